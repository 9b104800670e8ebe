//! Reads dlib's `dlib_face_recognition_resnet_model_v1.dat` into a
//! [`FaceNet`].
//!
//! dlib writes a network (`dnn/core.h`) as nested layers: the outermost
//! layer's version, then its inner network, then its own details, so the
//! file holds every layer's version first and then the layers' details from
//! the input outwards, each followed by state that only training uses
//! (flags and empty gradient tensors). The details of each layer kind start
//! with a tag naming its format (`dnn/layers.h`, `dnn/input.h`):
//!
//! ```text
//! input_rgb_image_sized: float avg_red, avg_green, avg_blue; long rows, cols
//! con_4 / con_5:  tensor params; long filters, rows, cols; int stride_y,
//!                 stride_x, padding_y, padding_x; alias filters, biases;
//!                 4 × double learning multipliers; (con_5) bool use_bias
//! affine_ / affine_2: tensor params (gamma, then beta); alias gamma, beta;
//!                 int mode; (affine_2) bool disabled
//! max_pool_2 / avg_pool_2: long rows, cols; int stride_y, stride_x,
//!                 padding_y, padding_x
//! fc_2 / fc_3:    unsigned long outputs, inputs; tensor params; alias
//!                 weights, biases; int bias mode; 4 × double; (fc_3) bool
//! tensor          = int version (2), long samples, channels, rows, cols, then
//!                   the data as little-endian IEEE floats
//! alias           = int version (1), long samples, channels, rows, cols
//! ```
//!
//! `relu_` and `add_prev_` carry nothing and the skip and tag layers write
//! no tag; their places are fixed by the architecture, which
//! [`FaceNet::assemble`] checks.

use mytype::vision::dlib_format::Cursor;
use mytype::vision::face_net::{Conv, FaceNet, FaceNetError, DESCRIPTOR};

const TAGS: [&str; 9] = [
    "input_rgb_image_sized",
    "con_4",
    "con_5",
    "affine_",
    "affine_2",
    "max_pool_2",
    "avg_pool_2",
    "fc_2",
    "fc_3",
];

/// Reads a dlib face recognition network, folding each batch-norm (affine)
/// layer into the convolution before it.
// Long because: it reads dlib's serialised network layer by layer in file
// order, checking each; the one sequence is the format's description.
pub fn read(bytes: &[u8]) -> Result<FaceNet, FaceNetError> {
    let mut c = Cursor { buf: bytes, pos: 0 };
    let mut mean_rgb = None;
    let mut convs: Vec<Conv> = Vec::new();
    let mut projection = None;
    while let Some(tag) = c.seek_tag(&TAGS) {
        c.string("layer tag")?;
        match tag {
            "input_rgb_image_sized" => {
                let rgb = [
                    c.float("avg_red")?,
                    c.float("avg_green")?,
                    c.float("avg_blue")?,
                ];
                mean_rgb = Some(rgb);
                let side = (c.signed(8, "rows")?, c.signed(8, "cols")?);
                if side != (150, 150) {
                    return Err(FaceNetError::Shape(format!(
                        "input is {side:?} pixels, expected 150 × 150"
                    )));
                }
            }
            "con_4" | "con_5" => {
                let (_, params) = c.tensor("convolution parameters")?;
                let outputs = count(c.signed(8, "filters")?)?;
                let rows = count(c.signed(8, "filter rows")?)?;
                let cols = count(c.signed(8, "filter cols")?)?;
                let stride = (c.signed(4, "stride_y")?, c.signed(4, "stride_x")?);
                let padding = (c.signed(4, "padding_y")?, c.signed(4, "padding_x")?);
                let filters = c.alias_tensor("filters")?;
                c.alias_tensor("biases")?;
                if rows != cols || stride.0 != stride.1 || padding.0 != padding.1 {
                    return Err(FaceNetError::Shape(format!(
                        "a {rows} × {cols} convolution with strides {stride:?} and padding \
                         {padding:?}: only square ones are supported"
                    )));
                }
                let inputs = filters[1];
                let size = outputs * inputs * rows * rows;
                if filters[0] != outputs || params.len() != size + outputs {
                    return Err(FaceNetError::Shape(format!(
                        "a convolution with {} parameters for {outputs} filters of {filters:?}",
                        params.len()
                    )));
                }
                convs.push(Conv {
                    outputs,
                    inputs,
                    side: rows,
                    stride: count(stride.0)?,
                    padding: count(padding.0)?,
                    weights: params[..size].to_vec(),
                    bias: params[size..].to_vec(),
                });
            }
            "affine_" | "affine_2" => {
                let (_, params) = c.tensor("affine parameters")?;
                let conv = convs.last_mut().ok_or_else(|| {
                    FaceNetError::Shape("an affine layer before any convolution".into())
                })?;
                let n = conv.outputs;
                if params.len() != 2 * n {
                    return Err(FaceNetError::Shape(format!(
                        "an affine layer with {} parameters after {n} filters",
                        params.len()
                    )));
                }
                let (gamma, beta) = params.split_at(n);
                let per_filter = conv.weights.len() / n;
                for (o, (&g, &b)) in gamma.iter().zip(beta).enumerate() {
                    for w in &mut conv.weights[o * per_filter..(o + 1) * per_filter] {
                        *w *= g;
                    }
                    conv.bias[o] = conv.bias[o] * g + b;
                }
            }
            "fc_2" | "fc_3" => {
                let outputs = c.unsigned(8, "outputs")?;
                let inputs = c.unsigned(8, "inputs")?;
                let (_, params) = c.tensor("projection")?;
                if (inputs, outputs) != (256, DESCRIPTOR as u64) || params.len() != 256 * DESCRIPTOR
                {
                    return Err(FaceNetError::Shape(format!(
                        "the last layer maps {inputs} to {outputs} with {} weights, \
                         expected 256 to {DESCRIPTOR} without bias",
                        params.len()
                    )));
                }
                projection = Some(params);
            }
            // Pools have no weights; their sizes are the architecture's.
            _ => {}
        }
    }
    let mean_rgb =
        mean_rgb.ok_or_else(|| FaceNetError::Shape("no input_rgb_image_sized layer".into()))?;
    let projection = projection.ok_or_else(|| FaceNetError::Shape("no fc layer".into()))?;
    FaceNet::assemble(mean_rgb, convs, projection)
}

fn count(v: i64) -> Result<usize, FaceNetError> {
    usize::try_from(v).map_err(|_| FaceNetError::Shape(format!("a negative size {v}")))
}
