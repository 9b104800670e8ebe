//! The aligned face the network reads, as dlib's `get_face_chip_details(shape,
//! 150, 0.25)` and `extract_image_chip` make it for a 68-point shape.

use image::RgbImage;

use super::CHIP;

/// Padding around the mean face, as a share of its size (dlib's default
/// for face descriptors).
const PADDING: f64 = 0.25;

/// dlib's mean face: points 17-67 of the 68-point scheme on a unit square
/// (`image_transforms/interpolation.h`, Boost Software License 1.0).
const MEAN_FACE_X: [f64; 51] = [
    0.000213256,
    0.0752622,
    0.18113,
    0.29077,
    0.393397,
    0.586856,
    0.689483,
    0.799124,
    0.904991,
    0.98004,
    0.490127,
    0.490127,
    0.490127,
    0.490127,
    0.36688,
    0.426036,
    0.490127,
    0.554217,
    0.613373,
    0.121737,
    0.187122,
    0.265825,
    0.334606,
    0.260918,
    0.182743,
    0.645647,
    0.714428,
    0.793132,
    0.858516,
    0.79751,
    0.719335,
    0.254149,
    0.340985,
    0.428858,
    0.490127,
    0.551395,
    0.639268,
    0.726104,
    0.642159,
    0.556721,
    0.490127,
    0.423532,
    0.338094,
    0.290379,
    0.428096,
    0.490127,
    0.552157,
    0.689874,
    0.553364,
    0.490127,
    0.42689,
];
const MEAN_FACE_Y: [f64; 51] = [
    0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915,
    0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345,
    0.587326, 0.216423, 0.178758, 0.179852, 0.231733, 0.245099, 0.244077, 0.231733, 0.179852,
    0.178758, 0.216423, 0.244077, 0.245099, 0.780233, 0.745405, 0.727388, 0.742578, 0.727388,
    0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746,
    0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
];

type Point = (f64, f64);

/// Whether dlib aligns on landmark `i`: not the brows (17-26), nor the lower
/// lip (55-59, 65-67), which move with expression.
fn aligns_on(i: usize) -> bool {
    i >= 27 && !(55..=59).contains(&i) && !(65..=67).contains(&i)
}

/// The similarity `z ↦ a·z + b` (complex numbers) that best maps the chip's
/// mean-face points onto the photo's landmarks, by least squares.
fn chip_to_photo(landmarks: &[Point]) -> Option<(Point, Point)> {
    let side = CHIP as f64;
    let pairs: Vec<(Point, Point)> = (17..68)
        .filter(|&i| aligns_on(i))
        .map(|i| {
            let from = (
                (PADDING + MEAN_FACE_X[i - 17]) / (2.0 * PADDING + 1.0) * side,
                (PADDING + MEAN_FACE_Y[i - 17]) / (2.0 * PADDING + 1.0) * side,
            );
            (from, landmarks[i])
        })
        .collect();
    let n = pairs.len() as f64;
    let mean = |f: fn(&(Point, Point)) -> f64| pairs.iter().map(f).sum::<f64>() / n;
    let (fx, fy) = (mean(|p| p.0 .0), mean(|p| p.0 .1));
    let (tx, ty) = (mean(|p| p.1 .0), mean(|p| p.1 .1));
    let (mut re, mut im, mut norm) = (0.0, 0.0, 0.0);
    for &((x, y), (u, v)) in &pairs {
        let (x, y, u, v) = (x - fx, y - fy, u - tx, v - ty);
        // (u + iv)·conj(x + iy)
        re += u * x + v * y;
        im += v * x - u * y;
        norm += x * x + y * y;
    }
    let a = (re / norm, im / norm);
    let b = (tx - (a.0 * fx - a.1 * fy), ty - (a.1 * fx + a.0 * fy));
    [a.0, a.1, b.0, b.1]
        .iter()
        .all(|v| v.is_finite())
        .then_some((a, b))
}

/// The `CHIP`² aligned face, RGB 0-255 row by row; `None` unless there are
/// 68 finite landmarks spread over more than a pixel. Each chip pixel is
/// read bilinearly at up to 4 × 4 points, as many as its footprint in the
/// photo is wide, so a large photo is averaged down rather than aliased.
pub fn aligned(img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<Vec<[f32; 3]>> {
    if landmarks.len() != 68 || img.width() == 0 || img.height() == 0 {
        return None;
    }
    let ((re, im), (bx, by)) = chip_to_photo(landmarks)?;
    let scale = re.hypot(im);
    if scale < 1e-3 {
        return None;
    }
    let n = (scale.ceil() as usize).clamp(1, 4);
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let texel = |x: f64, y: f64| -> [f64; 3] {
        let (x, y) = (x.clamp(0.0, w - 1.0), y.clamp(0.0, h - 1.0));
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let (x0, y0) = (x0 as u32, y0 as u32);
        let (x1, y1) = (
            (x0 + 1).min(img.width() - 1),
            (y0 + 1).min(img.height() - 1),
        );
        let p = |x, y| img.get_pixel(x, y).0.map(f64::from);
        let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
        std::array::from_fn(|k| {
            (a[k] * (1.0 - fx) + b[k] * fx) * (1.0 - fy) + (c[k] * (1.0 - fx) + d[k] * fx) * fy
        })
    };
    let mut out = Vec::with_capacity(CHIP * CHIP);
    for row in 0..CHIP {
        for col in 0..CHIP {
            let mut sum = [0.0; 3];
            for i in 0..n {
                for j in 0..n {
                    let u = col as f64 + (j as f64 + 0.5) / n as f64;
                    let v = row as f64 + (i as f64 + 0.5) / n as f64;
                    let px = texel(bx + re * u - im * v, by + im * u + re * v);
                    for (s, c) in sum.iter_mut().zip(px) {
                        *s += c;
                    }
                }
            }
            out.push(sum.map(|s| (s / (n * n) as f64) as f32));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mean face placed in a photo at `scale`, turned by `angle`.
    fn placed(scale: f64, angle: f64, offset: (f64, f64)) -> Vec<(f64, f64)> {
        let (c, s) = (angle.cos(), angle.sin());
        (0..68)
            .map(|i| {
                let k = i.max(17) - 17;
                let (x, y) = (MEAN_FACE_X[k] * 100.0, MEAN_FACE_Y[k] * 100.0);
                (
                    offset.0 + scale * (c * x - s * y),
                    offset.1 + scale * (s * x + c * y),
                )
            })
            .collect()
    }

    #[test]
    fn the_fit_recovers_a_turned_scaled_face() {
        let ((re, im), _) = chip_to_photo(&placed(2.0, 0.3, (40.0, 60.0))).unwrap();
        // chip units are 150 / 1.5 = 100 per mean-face unit, as placed
        assert!((re.hypot(im) - 2.0).abs() < 1e-9, "{re} {im}");
        assert!((im.atan2(re) - 0.3).abs() < 1e-9);
    }

    #[test]
    fn the_chip_reads_the_face_not_the_background() {
        // A red disc behind the face's centre on a blue photo.
        let lm = placed(1.0, 0.0, (100.0, 100.0));
        let centre = (150.0, 150.0);
        let img = RgbImage::from_fn(300, 300, |x, y| {
            let d = (f64::from(x) - centre.0).hypot(f64::from(y) - centre.1);
            image::Rgb(if d < 60.0 { [255, 0, 0] } else { [0, 0, 255] })
        });
        let chip = aligned(&img, &lm).unwrap();
        let middle = chip[(CHIP / 2) * CHIP + CHIP / 2];
        let corner = chip[0];
        assert!(middle[0] > 200.0 && middle[2] < 50.0, "{middle:?}");
        assert!(corner[2] > 200.0 && corner[0] < 50.0, "{corner:?}");
        assert!(aligned(&img, &lm[..5]).is_none());
        assert!(aligned(&img, &vec![(1.0, 1.0); 68]).is_none());
    }
}
