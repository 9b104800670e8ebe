//! The face's shading and outlines as appeal inputs: histograms of oriented
//! gradients (HOG) of a small grey copy of the face, aligned on the eyes.
//!
//! Landmark distances give the face's proportions; the gradients add what
//! they miss: the outline of the jaw and cheeks, skin smoothness, the
//! contrast of eyes, brows and lips, and the hair line. Grey only, and each
//! cell's histogram is normalised, so neither skin tone nor the light's
//! strength counts.

use image::RgbImage;

/// Side of the aligned grey square, in pixels.
pub const SIZE: usize = 48;
/// Side of a histogram cell, in pixels of the square.
pub const CELL: usize = 6;
/// Orientation bins over 0-180°.
pub const BINS: usize = 9;
/// Cells per side.
const CELLS: usize = SIZE / CELL;
/// Number of gradient inputs: one per bin per cell.
pub const GRADIENTS: usize = CELLS * CELLS * BINS;

/// Where the eye centres land in the square, as shares of its side: the
/// square holds the face from the forehead to the chin and a little beside.
const LEFT_EYE: (f64, f64) = (0.32, 0.38);
const RIGHT_EYE: (f64, f64) = (0.68, 0.38);
/// At most this many samples per side of one square pixel, which is an
/// area average for faces up to eight times the square's size in the photo.
const MAX_SUBSAMPLES: usize = 8;

/// The gradient inputs of a face: `landmarks` are its 68 points in pixels of
/// `img`. `None` when the eyes coincide or the points are not 68.
pub fn face_gradients(img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<[f64; GRADIENTS]> {
    let grey = aligned_grey(img, landmarks)?;
    Some(histograms(&grey))
}

/// A `SIZE`² grey square (0-1) of the photo, turned and scaled so the eyes
/// land on `LEFT_EYE` and `RIGHT_EYE`; each pixel averages the photo's
/// pixels it covers (beyond the photo's edge, the edge's).
fn aligned_grey(img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<Vec<f64>> {
    let square = crate::vision::aligned::AlignedSquare::on_eyes_of(
        img,
        landmarks,
        SIZE,
        (LEFT_EYE, RIGHT_EYE),
        MAX_SUBSAMPLES,
    )?
    .pixels();
    Some(
        square
            .iter()
            .map(|[r, g, b]| (0.299 * r + 0.587 * g + 0.114 * b) / 255.0)
            .collect(),
    )
}

/// Per cell, the gradient magnitudes summed by orientation (unsigned, nine
/// bins of 20°), then scaled to unit length. The small floor added to each
/// cell's length keeps a flat cell's noise from being blown up to full size.
fn histograms(grey: &[f64]) -> [f64; GRADIENTS] {
    let at = |x: usize, y: usize| grey[y * SIZE + x];
    // Central differences inside, one-sided at the edges.
    let diff = |lo: f64, hi: f64, span: usize| (hi - lo) / span as f64;
    let mut cells = [0.0; GRADIENTS];
    for y in 0..SIZE {
        for x in 0..SIZE {
            let (x0, x1) = (x.saturating_sub(1), (x + 1).min(SIZE - 1));
            let (y0, y1) = (y.saturating_sub(1), (y + 1).min(SIZE - 1));
            let gx = diff(at(x0, y), at(x1, y), x1 - x0);
            let gy = diff(at(x, y0), at(x, y1), y1 - y0);
            let magnitude = gx.hypot(gy);
            let angle = gy.atan2(gx).rem_euclid(std::f64::consts::PI);
            let bin = ((angle / std::f64::consts::PI * BINS as f64) as usize).min(BINS - 1);
            cells[((y / CELL) * CELLS + x / CELL) * BINS + bin] += magnitude;
        }
    }
    let floor = 1e-3 * cells.iter().sum::<f64>() / (CELLS * CELLS) as f64 + 1e-6;
    for cell in cells.chunks_mut(BINS) {
        let length = cell.iter().map(|v| v * v).sum::<f64>().sqrt() + floor;
        cell.iter_mut().for_each(|v| *v /= length);
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eyes_at(size: u32, left: (f64, f64), right: (f64, f64)) -> Vec<(f64, f64)> {
        let mut points = vec![(size as f64 / 2.0, size as f64 / 2.0); 68];
        points[36..42].fill(left);
        points[42..48].fill(right);
        points
    }

    #[test]
    fn a_vertical_edge_fills_the_horizontal_gradient_bin() {
        // Left half black, right half white: gradients point along x (0°).
        let img = RgbImage::from_fn(200, 200, |x, _| {
            if x < 100 {
                image::Rgb([0, 0, 0])
            } else {
                image::Rgb([255, 255, 255])
            }
        });
        let g = face_gradients(&img, &eyes_at(200, (64.0, 76.0), (136.0, 76.0))).unwrap();
        // The edge runs down the middle: the cells either side of it.
        let middle = CELLS / 2;
        for row in 0..CELLS {
            let cell = &g[(row * CELLS + middle - 1) * BINS..][..BINS];
            assert!(cell[0] > 0.9, "row {row}: {cell:?}");
        }
        // Far from the edge the photo is flat.
        assert!(g[..BINS].iter().all(|&v| v < 1e-6), "{:?}", &g[..BINS]);
    }

    #[test]
    fn the_same_face_bigger_gives_the_same_inputs() {
        let draw = |size: u32| {
            RgbImage::from_fn(size, size, |x, y| {
                let (u, v) = (x as f64 / size as f64, y as f64 / size as f64);
                let lit = ((u * 9.0).sin() * (v * 7.0).cos() * 0.5 + 0.5) * 255.0;
                image::Rgb([lit as u8, lit as u8, lit as u8])
            })
        };
        let small = face_gradients(&draw(100), &eyes_at(100, (32.0, 38.0), (68.0, 38.0))).unwrap();
        let big =
            face_gradients(&draw(400), &eyes_at(400, (128.0, 152.0), (272.0, 152.0))).unwrap();
        let alike = crate::math::stats::pearson(&small, &big);
        assert!(alike > 0.95, "{alike}");
        // The eyes given right to left turn the square upside down, which
        // changes the inputs.
        let flipped =
            face_gradients(&draw(400), &eyes_at(400, (272.0, 152.0), (128.0, 152.0))).unwrap();
        let flipped_alike = crate::math::stats::pearson(&big, &flipped);
        assert!(flipped_alike < 0.8, "{flipped_alike}");
    }

    #[test]
    fn no_inputs_without_two_distinct_eyes() {
        let img = RgbImage::new(50, 50);
        assert!(face_gradients(&img, &eyes_at(50, (20.0, 20.0), (20.0, 20.0))).is_none());
        assert!(face_gradients(&img, &[(1.0, 1.0); 5]).is_none());
    }
}
