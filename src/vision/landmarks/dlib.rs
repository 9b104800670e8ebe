//! Reader and evaluator for dlib's `shape_predictor` files.
//!
//! Format (dlib 19.x `serialize.h`, `image_processing/shape_predictor.h`):
//!
//! ```text
//! shape_predictor = int version (== 1)
//!                   matrix<float,0,1>                         initial_shape  (x0 y0 x1 y1 ...)
//!                   vector<vector<regression_tree>>           forests        (one forest per cascade)
//!                   vector<vector<unsigned long>>             anchor_idx     (per cascade, per feature pixel)
//!                   vector<vector<dlib::vector<float,2>>>     deltas         (per cascade, per feature pixel)
//! regression_tree = vector<split_feature> splits, vector<matrix<float,0,1>> leaf_values
//! split_feature   = unsigned long idx1, unsigned long idx2, float thresh
//! std::vector<T>  = unsigned long size, then the elements
//! matrix<T,NR,NC> = long rows, long cols (both negated in the newer format), then the
//!                   elements row by row
//! dlib::vector<T,2> = x, y
//! integer         = one control byte (low 4 bits: byte count 1..=8, bit 0x80: negative),
//!                   then the magnitude's bytes, least significant first
//! float           = float_details { int64 mantissa, int16 exponent } as two integers;
//!                   value = ldexp((float)mantissa, exponent), exponent 32000 / 32001 /
//!                   32002 = +inf / -inf / NaN
//! ```
//!
//! The evaluator replays `shape_predictor::operator()(img, rect)`: start from the
//! initial shape; for each cascade, find the similarity transform from the initial
//! shape to the current one (`find_tform_between_shapes`, Umeyama), place each feature
//! pixel relative to its anchor landmark, map it into the image with the box's
//! unnormalising transform, round to the nearest pixel (`floor(x + 0.5)`), read its
//! grey value (0 outside the image), then walk every tree of the cascade and add the
//! leaf it lands in to the shape. dlib's `full_object_detection` finally rounds the
//! points to whole pixels; [`ShapePredictor::predict`] returns them unrounded.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

use image::{GrayImage, RgbImage};

use super::{FaceBox, LandmarkError};
use crate::vision::dlib_format::Cursor;

/// dlib's `split_feature`, with the pixel indices narrowed (checked at load).
#[derive(Debug, Clone, Copy)]
struct Split {
    idx1: u32,
    idx2: u32,
    thresh: f32,
}

/// One cascade level: its feature pixels and its forest of regression trees.
#[derive(Debug, Clone)]
struct Cascade {
    /// Landmark each feature pixel is anchored to.
    anchors: Vec<u32>,
    /// Offset of each feature pixel from its anchor, in the initial shape's space.
    deltas: Vec<[f32; 2]>,
    /// Splits of all trees, tree after tree.
    splits: Vec<Split>,
    /// Leaf values of all trees, tree after tree, each `2 * num_parts` long.
    leaves: Vec<f32>,
    /// Per tree: first split, split count, first leaf (in leaves, not floats).
    trees: Vec<TreeRef>,
}

#[derive(Debug, Clone, Copy)]
struct TreeRef {
    split_start: u32,
    num_splits: u32,
    leaf_start: u32,
    num_leaves: u32,
}

/// dlib's 68-point (or any) `shape_predictor`, loaded into memory.
#[derive(Debug, Clone)]
pub struct ShapePredictor {
    initial_shape: Vec<f32>,
    cascades: Vec<Cascade>,
    /// The initial shape about its mean, in f64 (the `from` side of every
    /// similarity transform), and its mean squared spread.
    ref_centered: Vec<[f64; 2]>,
    ref_sigma: f64,
}

/// Grey value of an RGB pixel as dlib computes it (`assign_pixel(unsigned char&,
/// rgb_pixel)`): the integer mean `(r + g + b) / 3`, rounded down.
pub fn dlib_grey(rgb: &RgbImage) -> GrayImage {
    let (w, h) = rgb.dimensions();
    let data: Vec<u8> = rgb
        .as_raw()
        .chunks_exact(3)
        .map(|p| ((u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3) as u8)
        .collect();
    GrayImage::from_raw(w, h, data).unwrap_or_else(|| GrayImage::new(w, h))
}

impl ShapePredictor {
    /// Loads a model file, e.g. [`super::default_model_path`].
    pub fn load(path: &Path) -> Result<Self, LandmarkError> {
        let file = File::open(path).map_err(|source| {
            if source.kind() == ErrorKind::NotFound {
                LandmarkError::ModelMissing {
                    path: path.to_path_buf(),
                }
            } else {
                LandmarkError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        let mut reader = std::io::BufReader::new(file);
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| LandmarkError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Self::from_bytes(&bytes).map_err(|e| e.in_file(path, &bytes))
    }

    /// Reads a model from any byte stream.
    pub fn from_reader(mut r: impl Read) -> Result<Self, LandmarkError> {
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes)?;
        Self::from_bytes(&bytes)
    }

    /// Parses a model held in memory.
    // Long because: it reads dlib's serialised shape predictor field by
    // field in file order, checking each; the one sequence is the format's
    // description.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, LandmarkError> {
        let mut c = Cursor { buf: bytes, pos: 0 };
        let version = c.signed(4, "version")?;
        if version != 1 {
            return Err(c
                .error(format!(
                    "unexpected shape_predictor version {version} (expected 1)"
                ))
                .into());
        }
        let initial_shape = c.column_vector("initial_shape")?;
        if initial_shape.is_empty() || initial_shape.len() % 2 != 0 {
            return Err(LandmarkError::Invalid(format!(
                "initial shape has {} coordinates, expected a positive even number",
                initial_shape.len()
            )));
        }
        let num_coords = initial_shape.len();

        let num_cascades = c.length(1, "number of cascades")?;
        let mut forests = Vec::with_capacity(num_cascades);
        for _ in 0..num_cascades {
            // a tree is at least two empty vectors: 2 bytes each
            let num_trees = c.length(4, "number of trees")?;
            let mut splits = Vec::new();
            let mut leaves = Vec::new();
            let mut trees = Vec::with_capacity(num_trees);
            for _ in 0..num_trees {
                let num_splits = c.length(6, "number of splits")?;
                let split_start = splits.len();
                for _ in 0..num_splits {
                    let idx1 = c.index("split idx1")?;
                    let idx2 = c.index("split idx2")?;
                    let thresh = c.float("split threshold")?;
                    splits.push(Split { idx1, idx2, thresh });
                }
                let num_leaves = c.length(4, "number of leaves")?;
                let leaf_start = leaves.len() / num_coords;
                for _ in 0..num_leaves {
                    let before = leaves.len();
                    c.column_vector_into("leaf value", &mut leaves)?;
                    if leaves.len() - before != num_coords {
                        return Err(LandmarkError::Invalid(format!(
                            "a leaf has {} values, the shape has {num_coords}",
                            leaves.len() - before
                        )));
                    }
                }
                if num_leaves != num_splits + 1 || !num_leaves.is_power_of_two() {
                    return Err(LandmarkError::Invalid(format!(
                        "a tree has {num_splits} splits and {num_leaves} leaves; dlib needs a \
                         full binary tree (leaves = splits + 1, a power of two)"
                    )));
                }
                trees.push(TreeRef {
                    split_start: to_u32(split_start)?,
                    num_splits: to_u32(num_splits)?,
                    leaf_start: to_u32(leaf_start)?,
                    num_leaves: to_u32(num_leaves)?,
                });
            }
            forests.push((splits, leaves, trees));
        }

        let n = c.length(1, "number of anchor lists")?;
        let mut anchor_lists = Vec::with_capacity(n);
        for _ in 0..n {
            let len = c.length(2, "number of anchors")?;
            let mut anchors = Vec::with_capacity(len);
            for _ in 0..len {
                anchors.push(c.index("anchor index")?);
            }
            anchor_lists.push(anchors);
        }
        let n = c.length(1, "number of delta lists")?;
        let mut delta_lists = Vec::with_capacity(n);
        for _ in 0..n {
            let len = c.length(8, "number of deltas")?;
            let mut deltas = Vec::with_capacity(len);
            for _ in 0..len {
                let x = c.float("delta x")?;
                let y = c.float("delta y")?;
                deltas.push([x, y]);
            }
            delta_lists.push(deltas);
        }
        if c.pos != bytes.len() {
            return Err(c
                .error(format!(
                    "{} unexpected bytes after the model",
                    bytes.len() - c.pos
                ))
                .into());
        }

        if anchor_lists.len() != forests.len() || delta_lists.len() != forests.len() {
            return Err(LandmarkError::Invalid(format!(
                "{} forests but {} anchor lists and {} delta lists",
                forests.len(),
                anchor_lists.len(),
                delta_lists.len()
            )));
        }
        let num_parts = num_coords / 2;
        let mut cascades = Vec::with_capacity(forests.len());
        for (level, ((splits, leaves, trees), (anchors, deltas))) in forests
            .into_iter()
            .zip(anchor_lists.into_iter().zip(delta_lists))
            .enumerate()
        {
            if anchors.len() != deltas.len() {
                return Err(LandmarkError::Invalid(format!(
                    "cascade {level}: {} anchors but {} deltas",
                    anchors.len(),
                    deltas.len()
                )));
            }
            if let Some(a) = anchors.iter().find(|&&a| a as usize >= num_parts) {
                return Err(LandmarkError::Invalid(format!(
                    "cascade {level}: anchor {a} is not one of the {num_parts} landmarks"
                )));
            }
            let pixels = anchors.len();
            if let Some(s) = splits
                .iter()
                .find(|s| s.idx1 as usize >= pixels || s.idx2 as usize >= pixels)
            {
                return Err(LandmarkError::Invalid(format!(
                    "cascade {level}: a split reads feature pixels {} and {} of {pixels}",
                    s.idx1, s.idx2
                )));
            }
            cascades.push(Cascade {
                anchors,
                deltas,
                splits,
                leaves,
                trees,
            });
        }

        let (ref_centered, ref_sigma) = centered(&initial_shape);
        Ok(ShapePredictor {
            initial_shape,
            cascades,
            ref_centered,
            ref_sigma,
        })
    }

    /// Number of landmarks (68 for the iBUG model).
    pub fn num_parts(&self) -> usize {
        self.initial_shape.len() / 2
    }

    /// Number of cascade levels.
    pub fn num_cascades(&self) -> usize {
        self.cascades.len()
    }

    /// Number of regression trees in cascade `level` (0 when there is no such level).
    pub fn num_trees(&self, level: usize) -> usize {
        self.cascades.get(level).map_or(0, |c| c.trees.len())
    }

    /// Number of feature pixels cascade `level` samples.
    pub fn num_feature_pixels(&self, level: usize) -> usize {
        self.cascades.get(level).map_or(0, |c| c.anchors.len())
    }

    /// `(splits, leaves)` of one tree.
    pub fn tree_size(&self, level: usize, tree: usize) -> Option<(usize, usize)> {
        let t = self.cascades.get(level)?.trees.get(tree)?;
        Some((t.num_splits as usize, t.num_leaves as usize))
    }

    /// The mean shape the cascade starts from, in box-normalised coordinates
    /// (0,0 = the box's top-left corner, 1,1 = its bottom-right one).
    pub fn initial_shape(&self) -> Vec<(f32, f32)> {
        self.initial_shape
            .chunks_exact(2)
            .map(|p| (p[0], p[1]))
            .collect()
    }

    /// The landmarks of the face in `face`, in pixel coordinates of `grey`, unrounded.
    /// For RGB images, convert with [`dlib_grey`] to match dlib on colour input.
    pub fn predict(&self, grey: &GrayImage, face: FaceBox) -> Vec<(f32, f32)> {
        let mut shape = self.initial_shape.clone();
        let max_pixels = self
            .cascades
            .iter()
            .map(|c| c.anchors.len())
            .max()
            .unwrap_or(0);
        let mut features = vec![0f32; max_pixels];
        let mut leaf_of = Vec::with_capacity(self.cascades.first().map_or(0, |c| c.trees.len()));
        let to_img = Unnormalize::new(face);
        let (w, h) = grey.dimensions();
        let pixels = grey.as_raw();
        let n = self.initial_shape.len();

        for cascade in &self.cascades {
            let m = self.similarity_to(&shape);
            let features = &mut features[..cascade.anchors.len()];
            for ((f, &a), d) in features
                .iter_mut()
                .zip(&cascade.anchors)
                .zip(&cascade.deltas)
            {
                let a = a as usize * 2;
                // tform * delta + location(current_shape, anchor), in f32 as dlib
                let vx = (m[0][0] * d[0] + m[0][1] * d[1]) + shape[a];
                let vy = (m[1][0] * d[0] + m[1][1] * d[1]) + shape[a + 1];
                let (px, py) = to_img.apply(vx, vy);
                // dlib::point from dpoint: floor(v + 0.5)
                let x = (px + 0.5).floor();
                let y = (py + 0.5).floor();
                *f = if x >= 0.0 && y >= 0.0 && x < f64::from(w) && y < f64::from(h) {
                    f32::from(pixels[y as usize * w as usize + x as usize])
                } else {
                    0.0
                };
            }

            // First find every tree's leaf, then add the leaves in tree order: the
            // additions are dlib's, and the leaf loads no longer wait on each other.
            leaf_of.clear();
            leaf_of.extend(cascade.trees.iter().map(|t| {
                let splits = &cascade.splits
                    [t.split_start as usize..(t.split_start + t.num_splits) as usize];
                let mut i = 0usize;
                while i < splits.len() {
                    let s = splits[i];
                    i = if features[s.idx1 as usize] - features[s.idx2 as usize] > s.thresh {
                        2 * i + 1
                    } else {
                        2 * i + 2
                    };
                }
                (t.leaf_start as usize + i - splits.len()) * n
            }));
            for &start in &leaf_of {
                let leaf = &cascade.leaves[start..start + n];
                for (s, l) in shape.iter_mut().zip(leaf) {
                    *s += *l;
                }
            }
        }

        shape
            .chunks_exact(2)
            .map(|p| {
                let (x, y) = to_img.apply(p[0], p[1]);
                (x as f32, y as f32)
            })
            .collect()
    }

    /// `find_tform_between_shapes(initial_shape, current)`'s linear part, cast to f32
    /// as `extract_feature_pixel_values` does. dlib solves Umeyama's least squares
    /// with an SVD of the 2x2 cross-covariance; in 2-D that has the closed form used
    /// here (rotation angle atan2(c - b, a + d), scale = its norm / spread).
    fn similarity_to(&self, current: &[f32]) -> [[f32; 2]; 2] {
        let parts = current.len() / 2;
        if parts < 2 {
            return [[1.0, 0.0], [0.0, 1.0]];
        }
        let (mut mx, mut my) = (0f64, 0f64);
        for p in current.chunks_exact(2) {
            mx += f64::from(p[0]);
            my += f64::from(p[1]);
        }
        mx /= parts as f64;
        my /= parts as f64;
        // cov = mean over points of (to - mean_to) * (from - mean_from)^T
        let (mut a, mut b, mut c, mut d) = (0f64, 0f64, 0f64, 0f64);
        for (p, r) in current.chunks_exact(2).zip(&self.ref_centered) {
            let tx = f64::from(p[0]) - mx;
            let ty = f64::from(p[1]) - my;
            a += tx * r[0];
            b += tx * r[1];
            c += ty * r[0];
            d += ty * r[1];
        }
        let inv_n = 1.0 / parts as f64;
        let (a, b, c, d) = (a * inv_n, b * inv_n, c * inv_n, d * inv_n);
        let cos = a + d;
        let sin = c - b;
        let (p, q) = if self.ref_sigma != 0.0 {
            (cos / self.ref_sigma, sin / self.ref_sigma)
        } else {
            // dlib keeps the scale at 1 when the reference has no spread
            let norm = cos.hypot(sin);
            if norm == 0.0 {
                (1.0, 0.0)
            } else {
                (cos / norm, sin / norm)
            }
        };
        [[p as f32, -q as f32], [q as f32, p as f32]]
    }
}

/// The initial shape about its mean (f64) and its mean squared distance from it.
fn centered(shape: &[f32]) -> (Vec<[f64; 2]>, f64) {
    let parts = (shape.len() / 2).max(1) as f64;
    let (mut mx, mut my) = (0f64, 0f64);
    for p in shape.chunks_exact(2) {
        mx += f64::from(p[0]);
        my += f64::from(p[1]);
    }
    mx /= parts;
    my /= parts;
    let pts: Vec<[f64; 2]> = shape
        .chunks_exact(2)
        .map(|p| [f64::from(p[0]) - mx, f64::from(p[1]) - my])
        .collect();
    let sigma = pts.iter().map(|p| p[0] * p[0] + p[1] * p[1]).sum::<f64>() / parts;
    (pts, sigma)
}

/// `unnormalizing_tform(rect)`: (0,0) to the box's top-left pixel, (1,1) to its
/// bottom-right pixel, in f64 as dlib's `point_transform_affine`.
struct Unnormalize {
    left: f64,
    top: f64,
    sx: f64,
    sy: f64,
}

impl Unnormalize {
    fn new(b: FaceBox) -> Self {
        let left = f64::from(b.left);
        let top = f64::from(b.top);
        Unnormalize {
            left,
            top,
            sx: f64::from(b.right()) - left,
            sy: f64::from(b.bottom()) - top,
        }
    }

    #[inline]
    fn apply(&self, x: f32, y: f32) -> (f64, f64) {
        (
            self.sx * f64::from(x) + self.left,
            self.sy * f64::from(y) + self.top,
        )
    }
}

fn to_u32(v: usize) -> Result<u32, LandmarkError> {
    u32::try_from(v).map_err(|_| LandmarkError::Invalid(format!("{v} is too large")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dlib's `pack_int`, for building test streams.
    fn pack(v: i64, out: &mut Vec<u8>) {
        let neg = if v < 0 { 0x80 } else { 0 };
        let mut m = v.unsigned_abs();
        let mut bytes = Vec::new();
        loop {
            bytes.push((m & 0xFF) as u8);
            m >>= 8;
            if m == 0 {
                break;
            }
        }
        out.push(bytes.len() as u8 | neg);
        out.extend(bytes);
    }

    /// dlib's `float_details` conversion of an f32, then packed.
    fn pack_f32(v: f32, out: &mut Vec<u8>) {
        if v == 0.0 {
            pack(0, out);
            pack(0, out);
            return;
        }
        let bits = v.to_bits();
        let exp = ((bits >> 23) & 0xFF) as i32;
        // subnormals have no implicit leading bit
        let (frac, exp) = if exp == 0 {
            (i64::from(bits & 0x7F_FFFF), 1)
        } else {
            (i64::from(bits & 0x7F_FFFF) | 0x80_0000, exp)
        };
        let mut mantissa = if v < 0.0 { -frac } else { frac };
        let mut exponent = exp - 127 - 23;
        for _ in 0..8 {
            if mantissa & 0xFF != 0 {
                break;
            }
            mantissa >>= 8;
            exponent += 8;
        }
        pack(mantissa, out);
        pack(i64::from(exponent), out);
    }

    fn col(v: &[f32], out: &mut Vec<u8>) {
        pack(-(v.len() as i64), out);
        pack(-1, out);
        for &x in v {
            pack_f32(x, out);
        }
    }

    /// A tiny valid model: 3 landmarks, 2 cascades of 2 depth-1 trees, 2 pixels each.
    pub(crate) fn tiny_model() -> Vec<u8> {
        let mut o = Vec::new();
        pack(1, &mut o); // version
        col(&[0.2, 0.3, 0.8, 0.3, 0.5, 0.7], &mut o);
        pack(2, &mut o);
        for level in 0..2 {
            pack(2, &mut o);
            for t in 0..2 {
                pack(1, &mut o); // one split
                pack(0, &mut o);
                pack(1, &mut o);
                pack_f32(-10.0 + level as f32, &mut o);
                pack(2, &mut o);
                let s = 0.01 * (t + 1) as f32;
                col(&[s, 0.0, -s, 0.0, 0.0, s], &mut o);
                col(&[-s, 0.0, s, 0.0, 0.0, -s], &mut o);
            }
        }
        pack(2, &mut o);
        for _ in 0..2 {
            pack(2, &mut o);
            pack(0, &mut o);
            pack(2, &mut o);
        }
        pack(2, &mut o);
        for _ in 0..2 {
            pack(2, &mut o);
            for v in [0.05f32, 0.0, -0.1, 0.05] {
                pack_f32(v, &mut o);
            }
        }
        o
    }

    #[test]
    fn integers_and_floats_decode_as_dlib_encodes_them() {
        for v in [
            0i64,
            1,
            -1,
            255,
            256,
            -70000,
            i64::from(i32::MAX),
            -(1 << 40),
        ] {
            let mut b = Vec::new();
            pack(v, &mut b);
            let mut c = Cursor { buf: &b, pos: 0 };
            assert_eq!(c.signed(8, "x").unwrap(), v);
            assert_eq!(c.pos, b.len());
        }
        for v in [0.0f32, 1.0, -1.5, 0.1, 1e-30, 3.4e38, -123.456, 1e-40] {
            let mut b = Vec::new();
            pack_f32(v, &mut b);
            let mut c = Cursor { buf: &b, pos: 0 };
            assert_eq!(c.float("x").unwrap().to_bits(), v.to_bits(), "{v}");
        }
        // special exponents
        let mut b = Vec::new();
        pack(0, &mut b);
        pack(32000, &mut b);
        assert_eq!(
            Cursor { buf: &b, pos: 0 }.float("x").unwrap(),
            f32::INFINITY
        );
    }

    #[test]
    fn unsigned_rejects_sign_bit_and_zero_size() {
        let mut c = Cursor {
            buf: &[0x81, 1],
            pos: 0,
        };
        assert!(c.unsigned(8, "x").is_err());
        let mut c = Cursor {
            buf: &[0x00],
            pos: 0,
        };
        assert!(c.unsigned(8, "x").is_err());
        let mut c = Cursor {
            buf: &[0x05, 1, 2, 3, 4, 5],
            pos: 0,
        };
        assert!(c.signed(4, "x").is_err());
    }

    #[test]
    fn tiny_model_loads_and_predicts_inside_the_box() {
        let sp = ShapePredictor::from_bytes(&tiny_model()).unwrap();
        assert_eq!(sp.num_parts(), 3);
        assert_eq!(sp.num_cascades(), 2);
        assert_eq!(sp.num_trees(1), 2);
        assert_eq!(sp.tree_size(0, 0), Some((1, 2)));
        let img = GrayImage::from_fn(40, 40, |x, _| image::Luma([(x * 6) as u8]));
        let pts = sp.predict(&img, FaceBox::from_ltrb(10.0, 10.0, 30.0, 30.0));
        assert_eq!(pts.len(), 3);
        for (x, y) in pts {
            assert!((9.0..=31.0).contains(&x) && (9.0..=31.0).contains(&y));
        }
    }

    #[test]
    fn every_truncation_of_the_tiny_model_is_an_error() {
        let full = tiny_model();
        for len in 0..full.len() {
            assert!(
                ShapePredictor::from_bytes(&full[..len]).is_err(),
                "prefix of {len} bytes accepted"
            );
        }
        let mut extra = full.clone();
        extra.push(0);
        assert!(ShapePredictor::from_bytes(&extra).is_err());
    }

    #[test]
    fn similarity_of_a_scaled_rotated_shape_is_recovered() {
        let sp = ShapePredictor::from_bytes(&tiny_model()).unwrap();
        let (s, a) = (1.7f64, 0.3f64);
        let moved: Vec<f32> = sp
            .initial_shape
            .chunks_exact(2)
            .flat_map(|p| {
                let (x, y) = (f64::from(p[0]), f64::from(p[1]));
                [
                    (s * (a.cos() * x - a.sin() * y) + 5.0) as f32,
                    (s * (a.sin() * x + a.cos() * y) - 2.0) as f32,
                ]
            })
            .collect();
        let m = sp.similarity_to(&moved);
        assert!((f64::from(m[0][0]) - s * a.cos()).abs() < 1e-5);
        assert!((f64::from(m[1][0]) - s * a.sin()).abs() < 1e-5);
        assert!((f64::from(m[0][1]) + s * a.sin()).abs() < 1e-5);
    }
}
