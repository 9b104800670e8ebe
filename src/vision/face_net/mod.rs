//! Face descriptors: dlib's face recognition network
//! (`dlib_face_recognition_resnet_model_v1`, Davis King, released into the
//! public domain), run in plain Rust.
//!
//! The network maps an aligned 150 × 150 face to 128 numbers that place
//! faces of one person close together. Those numbers also carry much of what
//! people read in a face at a glance (sex, age, build, grooming), so a linear
//! model on them predicts a crowd's attractiveness ratings far better than
//! landmark distances and shading do (docs/model.md, *Appeal*).
//!
//! The weights ship inside the binary as half-precision floats
//! (`assets/face_net.f16`, written by `lab`'s `face_net_convert` from dlib's own
//! file, which `lab`'s `dlib_net` reads). Every convolution's batch-norm scale and
//! shift is folded into it.

pub mod chip;

use std::sync::OnceLock;

use image::RgbImage;
use ndarray::{Array2, Array3, ArrayView2};
use thiserror::Error;

/// Numbers in a descriptor.
pub const DESCRIPTOR: usize = 128;

/// Side of the aligned face the network reads.
pub const CHIP: usize = 150;

/// Blocks of [`BLOCKS`] after which [`Reading::activations`] are read: the
/// end of each stage of equal width, and the block before the last.
const READ_AFTER: [usize; 5] = [2, 6, 9, 12, 13];

/// The block after which the four quarters of the image are also read
/// apart (8 × 8 there, so each quarter is 4 × 4).
const QUARTERS_AFTER: usize = 9;

/// Numbers in [`Reading::activations`]: the mean and spread of each channel
/// after every block of `READ_AFTER` (32, 64, 128, 256 and 256 channels),
/// and each quarter's mean of the 128 channels after `QUARTERS_AFTER`.
pub const ACTIVATIONS: usize = 2 * (32 + 64 + 128 + 256 + 256) + 4 * 128;

/// What the network reads of a face.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The descriptor: what tells people apart.
    pub descriptor: [f32; DESCRIPTOR],
    /// [`ACTIVATIONS`] numbers from inside the network, pooled over the
    /// image. The descriptor was trained to stay the same for one person
    /// from photo to photo; these hold more of how the face looks in this
    /// one, and predict a crowd's attractiveness ratings better
    /// (docs/model.md, *Appeal*).
    pub activations: Vec<f32>,
}

/// Why a face network could not be read.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum FaceNetError {
    #[error("face network file is not a dlib network: {what} at byte {offset}")]
    Format { what: String, offset: usize },
    #[error("face network does not have the expected layers: {0}")]
    Shape(String),
}

impl From<crate::vision::dlib_format::FormatError> for FaceNetError {
    fn from(e: crate::vision::dlib_format::FormatError) -> Self {
        FaceNetError::Format {
            what: e.what,
            offset: e.offset,
        }
    }
}

/// The residual blocks, input side first: output channels, and whether the
/// block halves the image (a stride-2 first convolution, and a 2 × 2 mean of
/// its input added back).
pub const BLOCKS: [(usize, bool); 14] = [
    (32, false),
    (32, false),
    (32, false),
    (64, true),
    (64, false),
    (64, false),
    (64, false),
    (128, true),
    (128, false),
    (128, false),
    (256, true),
    (256, false),
    (256, false),
    (256, true),
];

/// Channels and side of the first convolution.
const STEM: (usize, usize) = (32, 7);

/// A convolution with its batch-norm folded in.
#[derive(Debug, Clone, PartialEq)]
pub struct Conv {
    pub outputs: usize,
    pub inputs: usize,
    pub side: usize,
    pub stride: usize,
    pub padding: usize,
    /// `[output][input][row][column]`.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Conv {
    fn shape_of(outputs: usize, inputs: usize, side: usize) -> usize {
        outputs * inputs * side * side
    }
}

/// The network's weights.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceNet {
    /// Mean red, green and blue subtracted from every pixel (0-255).
    pub mean_rgb: [f32; 3],
    pub stem: Conv,
    /// Two convolutions per entry of [`BLOCKS`].
    pub blocks: Vec<[Conv; 2]>,
    /// The last layer, `[input][output]`, 256 × [`DESCRIPTOR`], no bias.
    pub projection: Vec<f32>,
}

const MAGIC: &[u8] = b"mytype face net f16 v1\n";

static BUNDLED: &[u8] = include_bytes!("../../../assets/face_net.f16");

/// The convolutions of the network in order, with their shapes and
/// strides: (outputs, inputs, side, stride, padding).
fn layout() -> Vec<(usize, usize, usize, usize, usize)> {
    let mut layers = vec![(STEM.0, 3, STEM.1, 2, 0)];
    let mut channels = STEM.0;
    for (outputs, halves) in BLOCKS {
        let (stride, padding) = if halves { (2, 0) } else { (1, 1) };
        layers.push((outputs, channels, 3, stride, padding));
        layers.push((outputs, outputs, 3, 1, 1));
        channels = outputs;
    }
    layers
}

impl FaceNet {
    /// The network shipped with mytype, read once.
    pub fn bundled() -> Result<&'static FaceNet, FaceNetError> {
        static NET: OnceLock<Result<FaceNet, FaceNetError>> = OnceLock::new();
        NET.get_or_init(|| FaceNet::from_compact(BUNDLED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The weights as mytype ships them: a header, the mean colour as three
    /// f32, then every weight as a little-endian f16 in `layout` order
    /// (weights, then biases), then the projection.
    pub fn to_compact(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        for m in self.mean_rgb {
            out.extend(m.to_le_bytes());
        }
        let mut push = |values: &[f32]| {
            for &v in values {
                out.extend(half::f16::from_f32(v).to_le_bytes());
            }
        };
        for conv in self.convs() {
            push(&conv.weights);
            push(&conv.bias);
        }
        push(&self.projection);
        out
    }

    /// Reads [`Self::to_compact`]'s format.
    pub fn from_compact(bytes: &[u8]) -> Result<FaceNet, FaceNetError> {
        let format = |what: &str, offset| FaceNetError::Format {
            what: what.to_string(),
            offset,
        };
        let body = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| format("no mytype face net header", 0))?;
        let layers = layout();
        let count: usize = layers
            .iter()
            .map(|&(o, i, s, _, _)| Conv::shape_of(o, i, s) + o)
            .sum::<usize>()
            + 256 * DESCRIPTOR;
        if body.len() != 12 + 2 * count {
            return Err(format(
                &format!(
                    "{} bytes of weights, expected {}",
                    body.len(),
                    12 + 2 * count
                ),
                MAGIC.len(),
            ));
        }
        let mut mean_rgb = [0f32; 3];
        for (m, b) in mean_rgb.iter_mut().zip(body.chunks_exact(4)) {
            *m = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        let mut halves = body[12..]
            .chunks_exact(2)
            .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32());
        let mut take = |n: usize| -> Vec<f32> { halves.by_ref().take(n).collect() };
        let convs: Vec<Conv> = layers
            .iter()
            .map(|&(outputs, inputs, side, stride, padding)| Conv {
                outputs,
                inputs,
                side,
                stride,
                padding,
                weights: take(Conv::shape_of(outputs, inputs, side)),
                bias: take(outputs),
            })
            .collect();
        let projection = take(256 * DESCRIPTOR);
        FaceNet::assemble(mean_rgb, convs, projection)
    }

    /// Puts convolutions in `layout` order into the network's shape,
    /// checking each.
    pub fn assemble(
        mean_rgb: [f32; 3],
        convs: Vec<Conv>,
        projection: Vec<f32>,
    ) -> Result<FaceNet, FaceNetError> {
        let layers = layout();
        if convs.len() != layers.len() {
            return Err(FaceNetError::Shape(format!(
                "{} convolutions, expected {}",
                convs.len(),
                layers.len()
            )));
        }
        for (k, (conv, &(outputs, inputs, side, stride, padding))) in
            convs.iter().zip(&layers).enumerate()
        {
            let found = (
                conv.outputs,
                conv.inputs,
                conv.side,
                conv.stride,
                conv.padding,
            );
            if found != (outputs, inputs, side, stride, padding)
                || conv.weights.len() != Conv::shape_of(outputs, inputs, side)
                || conv.bias.len() != outputs
            {
                return Err(FaceNetError::Shape(format!(
                    "convolution {k} is (outputs, inputs, side, stride, padding) {found:?}, \
                     expected {:?}",
                    (outputs, inputs, side, stride, padding)
                )));
            }
        }
        if projection.len() != 256 * DESCRIPTOR {
            return Err(FaceNetError::Shape(format!(
                "the projection has {} weights, expected {}",
                projection.len(),
                256 * DESCRIPTOR
            )));
        }
        let mut convs = convs.into_iter();
        let stem = convs
            .next()
            .ok_or_else(|| FaceNetError::Shape("empty".into()))?;
        let mut blocks = Vec::with_capacity(BLOCKS.len());
        while let (Some(a), Some(b)) = (convs.next(), convs.next()) {
            blocks.push([a, b]);
        }
        Ok(FaceNet {
            mean_rgb,
            stem,
            blocks,
            projection,
        })
    }

    fn convs(&self) -> impl Iterator<Item = &Conv> {
        std::iter::once(&self.stem).chain(self.blocks.iter().flatten())
    }

    /// The descriptor of the face with these 68 landmarks (dlib's scheme,
    /// pixels of `img`); `None` unless there are 68 finite points.
    pub fn describe(&self, img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<[f32; DESCRIPTOR]> {
        self.read(img, landmarks).map(|r| r.descriptor)
    }

    /// [`Self::describe`] with the activations inside the network.
    pub fn read(&self, img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<Reading> {
        let face = chip::aligned(img, landmarks)?;
        Some(self.read_chip(&face))
    }

    /// The descriptor of an aligned face: `CHIP`² RGB pixels (0-255), row
    /// by row.
    pub fn run(&self, face: &[[f32; 3]]) -> [f32; DESCRIPTOR] {
        self.read_chip(face).descriptor
    }

    /// [`Self::run`] with the activations inside the network.
    pub fn read_chip(&self, face: &[[f32; 3]]) -> Reading {
        let mut x = Array3::<f32>::zeros((3, CHIP, CHIP));
        for (k, px) in face.iter().take(CHIP * CHIP).enumerate() {
            for c in 0..3 {
                x[[c, k / CHIP, k % CHIP]] = (px[c] - self.mean_rgb[c]) / 256.0;
            }
        }
        let mut x = max_pool(&relu(convolve(&x, &self.stem)), 3, 2);
        let mut activations = Vec::with_capacity(ACTIVATIONS);
        for (i, (convs, (_, halves))) in self.blocks.iter().zip(BLOCKS).enumerate() {
            let inner = convolve(&relu(convolve(&x, &convs[0])), &convs[1]);
            let shortcut = if halves { mean_pool(&x, 2, 2) } else { x };
            x = relu(add_padded(&inner, &shortcut));
            if READ_AFTER.contains(&i) {
                activations.extend(channel_means_and_spreads(&x));
            }
            if i == QUARTERS_AFTER {
                activations.extend(quarter_means(&x));
            }
        }
        let pooled: Vec<f32> = channel_means_and_spreads(&x).step_by(2).collect();
        let mut descriptor = [0f32; DESCRIPTOR];
        for (i, p) in pooled.iter().enumerate() {
            for (o, w) in descriptor
                .iter_mut()
                .zip(&self.projection[i * DESCRIPTOR..])
            {
                *o += p * w;
            }
        }
        Reading {
            descriptor,
            activations,
        }
    }
}

/// Each channel's mean and spread over the image, in turn.
fn channel_means_and_spreads(x: &Array3<f32>) -> impl Iterator<Item = f32> + '_ {
    let area = (x.dim().1 * x.dim().2) as f32;
    x.outer_iter().flat_map(move |channel| {
        let mean = channel.sum() / area;
        let var = channel.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / area;
        [mean, var.sqrt()]
    })
}

/// Each channel's mean over each quarter of the image (top left, top
/// right, bottom left, bottom right), channel by channel.
fn quarter_means(x: &Array3<f32>) -> Vec<f32> {
    let (_, rows, cols) = x.dim();
    let halves = |n: usize| [(0, n / 2), (n / 2, n)];
    x.outer_iter()
        .flat_map(|channel| {
            halves(rows).into_iter().flat_map(move |(r0, r1)| {
                halves(cols).map(|(c0, c1)| {
                    let part = channel.slice(ndarray::s![r0..r1, c0..c1]);
                    part.sum() / part.len().max(1) as f32
                })
            })
        })
        .collect::<Vec<f32>>()
}

/// dlib's `con_`: a cross-correlation, by unrolling the input patches into
/// a matrix and one matrix product.
fn convolve(x: &Array3<f32>, conv: &Conv) -> Array3<f32> {
    let (channels, rows, cols) = x.dim();
    let (side, stride, pad) = (conv.side, conv.stride, conv.padding);
    let out_rows = (rows + 2 * pad - side) / stride + 1;
    let out_cols = (cols + 2 * pad - side) / stride + 1;
    let mut patches = Array2::<f32>::zeros((channels * side * side, out_rows * out_cols));
    for c in 0..channels {
        for ky in 0..side {
            for kx in 0..side {
                let mut row = patches.row_mut((c * side + ky) * side + kx);
                for oy in 0..out_rows {
                    let Some(y) = (oy * stride + ky).checked_sub(pad).filter(|&y| y < rows) else {
                        continue;
                    };
                    for ox in 0..out_cols {
                        if let Some(xx) = (ox * stride + kx).checked_sub(pad).filter(|&v| v < cols)
                        {
                            row[oy * out_cols + ox] = x[[c, y, xx]];
                        }
                    }
                }
            }
        }
    }
    let weights = ArrayView2::from_shape((conv.outputs, channels * side * side), &conv.weights)
        .expect("a checked convolution's weights fill its matrix");
    let mut out = weights.dot(&patches);
    for (mut row, b) in out.rows_mut().into_iter().zip(&conv.bias) {
        row += *b;
    }
    out.into_shape_with_order((conv.outputs, out_rows, out_cols))
        .expect("the product has one row per output channel")
}

fn relu(mut x: Array3<f32>) -> Array3<f32> {
    x.mapv_inplace(|v| v.max(0.0));
    x
}

/// dlib's `max_pool` / `avg_pool` without padding.
fn pool(x: &Array3<f32>, side: usize, stride: usize, mean: bool) -> Array3<f32> {
    let (channels, rows, cols) = x.dim();
    let out_rows = (rows - side) / stride + 1;
    let out_cols = (cols - side) / stride + 1;
    Array3::from_shape_fn((channels, out_rows, out_cols), |(c, oy, ox)| {
        let window = x.slice(ndarray::s![
            c,
            oy * stride..oy * stride + side,
            ox * stride..ox * stride + side
        ]);
        if mean {
            window.sum() / (side * side) as f32
        } else {
            window.fold(f32::NEG_INFINITY, |m, &v| m.max(v))
        }
    })
}

fn max_pool(x: &Array3<f32>, side: usize, stride: usize) -> Array3<f32> {
    pool(x, side, stride, false)
}

fn mean_pool(x: &Array3<f32>, side: usize, stride: usize) -> Array3<f32> {
    pool(x, side, stride, true)
}

/// dlib's `add_prev`: the sum over the larger of the two shapes, each
/// missing channel or pixel counting as zero.
fn add_padded(a: &Array3<f32>, b: &Array3<f32>) -> Array3<f32> {
    let (ac, ar, aw) = a.dim();
    let (bc, br, bw) = b.dim();
    Array3::from_shape_fn((ac.max(bc), ar.max(br), aw.max(bw)), |(c, y, x)| {
        let at = |t: &Array3<f32>| t.get([c, y, x]).copied().unwrap_or(0.0);
        at(a) + at(b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_net() -> FaceNet {
        let convs = layout()
            .into_iter()
            .enumerate()
            .map(|(k, (outputs, inputs, side, stride, padding))| Conv {
                outputs,
                inputs,
                side,
                stride,
                padding,
                weights: (0..Conv::shape_of(outputs, inputs, side))
                    .map(|i| ((i * 7 + k) % 13) as f32 / 13.0 - 0.45)
                    .map(|w| w / (inputs * side * side) as f32)
                    .collect(),
                bias: (0..outputs).map(|o| (o % 5) as f32 * 0.01).collect(),
            })
            .collect();
        let projection = (0..256 * DESCRIPTOR)
            .map(|i| ((i * 11) % 17) as f32 / 17.0 - 0.5)
            .collect();
        FaceNet::assemble([120.0, 110.0, 100.0], convs, projection).unwrap()
    }

    #[test]
    fn compact_weights_read_back_within_half_precision() {
        let net = tiny_net();
        let back = FaceNet::from_compact(&net.to_compact()).unwrap();
        assert_eq!(back.mean_rgb, net.mean_rgb);
        for (a, b) in net.convs().zip(back.convs()) {
            for (x, y) in a.weights.iter().zip(&b.weights) {
                assert!((x - y).abs() <= x.abs() / 1000.0 + 1e-7, "{x} {y}");
            }
        }
        let bytes = net.to_compact();
        assert!(matches!(
            FaceNet::from_compact(&bytes[..bytes.len() - 2]),
            Err(FaceNetError::Format { .. })
        ));
        assert!(FaceNet::from_compact(b"not a net").is_err());
    }

    #[test]
    fn the_layers_shrink_a_face_as_dlib_does() {
        // 150 → 72 (7 × 7, stride 2) → 35 (max 3 × 3, stride 2) → 17 → 8 → 4
        // (the 3 × 3 of the stride-2 convolution, zero-padded to the 4 × 4
        // mean of its input) → 2.
        let x = Array3::<f32>::ones((3, CHIP, CHIP));
        let net = tiny_net();
        let x = max_pool(&relu(convolve(&x, &net.stem)), 3, 2);
        assert_eq!(x.dim(), (32, 35, 35));
        let sides: Vec<usize> = net
            .blocks
            .iter()
            .zip(BLOCKS)
            .scan(x, |x, (convs, (_, halves))| {
                let inner = convolve(&relu(convolve(x, &convs[0])), &convs[1]);
                let shortcut = if halves {
                    mean_pool(x, 2, 2)
                } else {
                    x.clone()
                };
                *x = relu(add_padded(&inner, &shortcut));
                Some(x.dim().1)
            })
            .collect();
        assert_eq!(sides, [35, 35, 35, 17, 17, 17, 17, 8, 8, 8, 4, 4, 4, 2]);
    }

    #[test]
    fn a_convolution_is_a_cross_correlation_with_padding() {
        let x = Array3::from_shape_fn((1, 3, 3), |(_, y, x)| (y * 3 + x) as f32);
        let conv = Conv {
            outputs: 1,
            inputs: 1,
            side: 3,
            stride: 1,
            padding: 1,
            // picks the right-hand neighbour
            weights: vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
            bias: vec![0.5],
        };
        let y = convolve(&x, &conv);
        assert_eq!(
            y.iter().copied().collect::<Vec<_>>(),
            [1.5, 2.5, 0.5, 4.5, 5.5, 0.5, 7.5, 8.5, 0.5]
        );
    }

    #[test]
    fn the_activations_hold_the_pooled_numbers_the_descriptor_projects() {
        let net = tiny_net();
        let face: Vec<[f32; 3]> = (0..CHIP * CHIP)
            .map(|k| [(k % 251) as f32, (k % 97) as f32 * 2.0, 128.0])
            .collect();
        let reading = net.read_chip(&face);
        assert_eq!(reading.activations.len(), ACTIVATIONS);
        assert_eq!(reading.descriptor, net.run(&face));
        // The last 512 numbers are the mean and spread of each of the 256
        // channels the projection reads: projecting the means gives the
        // descriptor back.
        let last = &reading.activations[ACTIVATIONS - 512..];
        let mut projected = [0f32; DESCRIPTOR];
        for (i, mean) in last.iter().step_by(2).enumerate() {
            for (o, w) in projected.iter_mut().zip(&net.projection[i * DESCRIPTOR..]) {
                *o += mean * w;
            }
        }
        for (a, b) in projected.iter().zip(&reading.descriptor) {
            assert!((a - b).abs() <= 1e-4 * (1.0 + b.abs()), "{a} {b}");
        }
        // Spreads are never negative and some channel varies.
        assert!(last.iter().skip(1).step_by(2).all(|s| *s >= 0.0));
        assert!(reading
            .activations
            .iter()
            .skip(1)
            .step_by(2)
            .any(|s| *s > 0.0));
    }

    #[test]
    fn quarter_means_read_each_quarter_apart() {
        let x = Array3::from_shape_fn((2, 4, 4), |(c, y, x)| {
            (c * 100 + usize::from(y >= 2) * 10 + usize::from(x >= 2)) as f32
        });
        assert_eq!(
            quarter_means(&x),
            [0.0, 1.0, 10.0, 11.0, 100.0, 101.0, 110.0, 111.0]
        );
        let spreads: Vec<f32> = channel_means_and_spreads(&x).collect();
        assert_eq!(spreads[0], 5.5);
        assert_eq!(spreads[2], 105.5);
        assert!((spreads[1] - 5.0249).abs() < 1e-3, "{}", spreads[1]);
    }

    #[test]
    fn the_bundled_network_loads_and_tells_faces_apart() {
        let net = FaceNet::bundled().unwrap();
        let grey = vec![[128.0f32; 3]; CHIP * CHIP];
        let striped: Vec<[f32; 3]> = (0..CHIP * CHIP)
            .map(|k| {
                if (k / CHIP) % 10 < 5 {
                    [30.0; 3]
                } else {
                    [220.0; 3]
                }
            })
            .collect();
        let (a, b) = (net.run(&grey), net.run(&striped));
        assert!(a.iter().chain(&b).all(|v| v.is_finite()));
        let distance: f32 = a.iter().zip(&b).map(|(x, y)| (x - y).powi(2)).sum::<f32>();
        assert!(distance.sqrt() > 0.1, "{distance}");
    }
}
