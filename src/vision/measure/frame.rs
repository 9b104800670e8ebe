//! The face frame measurements are taken in (origin between the eye
//! centres, x along the eye line, one unit = the distance between them),
//! and the samplers that read a photo's pixels in it.

use crate::math::colour::srgb_to_lab;
use crate::math::points::{centroid, Point as P};
use image::RgbImage;

pub(super) struct Frame {
    pub(super) origin: P,
    pub(super) u: P,
    pub(super) v: P,
    pub(super) iod: f64,
}

impl Frame {
    pub(super) fn new(points: &[P]) -> Option<Frame> {
        let left = centroid(&points[36..42]);
        let right = centroid(&points[42..48]);
        let (dx, dy) = (right.0 - left.0, right.1 - left.1);
        let iod = (dx * dx + dy * dy).sqrt();
        if !iod.is_finite() || iod < 4.0 {
            return None;
        }
        let u = (dx / iod, dy / iod);
        Some(Frame {
            origin: ((left.0 + right.0) / 2.0, (left.1 + right.1) / 2.0),
            u,
            v: (-u.1, u.0),
            iod,
        })
    }
    /// Image point of face-frame coordinates (x, y) in IOD units.
    pub(super) fn to_image(&self, x: f64, y: f64) -> P {
        (
            self.origin.0 + self.iod * (x * self.u.0 + y * self.v.0),
            self.origin.1 + self.iod * (x * self.u.1 + y * self.v.1),
        )
    }
    /// Face-frame coordinates of an image point.
    pub(super) fn to_face(&self, p: P) -> P {
        let (dx, dy) = (p.0 - self.origin.0, p.1 - self.origin.1);
        (
            (dx * self.u.0 + dy * self.u.1) / self.iod,
            (dx * self.v.0 + dy * self.v.1) / self.iod,
        )
    }
}

/// Lab colours of the pixels in a face-frame rectangle (x0..x1, y0..y1), IOD
/// units, sampled on a grid of about `steps`² points; out-of-image points skipped.
pub(super) fn sample_rect(
    img: &RgbImage,
    frame: &Frame,
    x: (f64, f64),
    y: (f64, f64),
    steps: usize,
) -> Vec<[f64; 3]> {
    let mut out = Vec::with_capacity(steps * steps);
    for i in 0..steps {
        for j in 0..steps {
            let fx = x.0 + (x.1 - x.0) * (i as f64 + 0.5) / steps as f64;
            let fy = y.0 + (y.1 - y.0) * (j as f64 + 0.5) / steps as f64;
            if let Some(px) = pixel(img, frame.to_image(fx, fy)) {
                out.push(srgb_to_lab(px));
            }
        }
    }
    out
}

pub(super) fn pixel(img: &RgbImage, p: P) -> Option<[u8; 3]> {
    let (x, y) = (p.0.round(), p.1.round());
    if x < 0.0 || y < 0.0 || x >= f64::from(img.width()) || y >= f64::from(img.height()) {
        return None;
    }
    Some(img.get_pixel(x as u32, y as u32).0)
}

pub(super) fn luminance(img: &RgbImage, p: P) -> Option<f64> {
    pixel(img, p).map(|c| srgb_to_lab(c)[0])
}

pub(super) fn share(colours: &[[f64; 3]], keep: impl Fn(&[f64; 3]) -> bool) -> f64 {
    if colours.is_empty() {
        return 0.0;
    }
    colours.iter().filter(|c| keep(c)).count() as f64 / colours.len() as f64
}

/// Mean absolute vertical gradient of L* (across horizontal edges, in the
/// face frame) over a face-frame rectangle, on a 12 × 12 grid.
pub(super) fn vertical_gradient(
    img: &RgbImage,
    frame: &Frame,
    x: (f64, f64),
    y: (f64, f64),
) -> f64 {
    let steps = 12;
    let h = (frame.iod * 0.02).max(1.0) / frame.iod;
    let mut sum = 0.0;
    let mut n = 0.0;
    for i in 0..steps {
        for j in 0..steps {
            let fx = x.0 + (x.1 - x.0) * (i as f64 + 0.5) / steps as f64;
            let fy = y.0 + (y.1 - y.0) * (j as f64 + 0.5) / steps as f64;
            let below = luminance(img, frame.to_image(fx, fy + h));
            let above = luminance(img, frame.to_image(fx, fy - h));
            if let (Some(b), Some(a)) = (below, above) {
                sum += (b - a).abs();
                n += 1.0;
            }
        }
    }
    if n > 0.0 {
        sum / n
    } else {
        0.0
    }
}

/// x of the jaw outline (landmarks 0-8 on the left, 8-16 on the right) at
/// face-frame height `y`, linearly interpolated; the end point's x beyond it.
pub(super) fn jaw_x(f: &[P], y: f64, left: bool) -> f64 {
    let side: Vec<P> = if left {
        f[0..9].to_vec()
    } else {
        f[8..17].iter().rev().copied().collect()
    };
    // from the top of the jaw (0 or 16) down to the chin (8)
    for pair in side.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if y >= a.1.min(b.1) && y <= a.1.max(b.1) && (b.1 - a.1).abs() > 1e-9 {
            return a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1);
        }
    }
    if y < side[0].1 {
        side[0].0
    } else {
        side[side.len() - 1].0
    }
}

/// Lab colours beside the jaw on both sides: from `d.0` to `d.1` IOD out
/// from the jaw outline, between face-frame heights `y.0` and `y.1`, on a
/// 0.04 IOD grid.
pub(super) fn jaw_band(
    img: &RgbImage,
    frame: &Frame,
    f: &[P],
    y: (f64, f64),
    d: (f64, f64),
) -> Vec<[f64; 3]> {
    let step = 0.04;
    let mut out = Vec::new();
    let mut fy = y.0;
    while fy < y.1 {
        for left in [true, false] {
            let x = jaw_x(f, fy, left);
            let mut dd = d.0;
            while dd < d.1 {
                let fx = if left { x - dd } else { x + dd };
                if let Some(px) = pixel(img, frame.to_image(fx, fy)) {
                    out.push(srgb_to_lab(px));
                }
                dd += step;
            }
        }
        fy += step;
    }
    out
}

/// Landmarks for the measurements' tests.
#[cfg(test)]
pub(super) mod test_points {
    use super::P;

    /// A face frame with the eyes 40 px apart at y = 100, and the jaw and nose
    /// wing points the cheek patches need.
    pub(in crate::vision::measure) fn cheek_points() -> Vec<P> {
        let mut p = vec![(120.0, 150.0); 68];
        p[36..42].fill((100.0, 100.0));
        p[42..48].fill((140.0, 100.0));
        p[3] = (82.0, 150.0);
        p[13] = (158.0, 150.0);
        p[31] = (110.0, 140.0);
        p[35] = (130.0, 140.0);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::points::inside;

    #[test]
    fn jaw_outline_is_interpolated_and_polygons_contain_their_middle() {
        let mut f = vec![(0.0, 0.0); 68];
        for (i, q) in f.iter_mut().enumerate().take(17) {
            // a V-shaped jaw from (-1, 0) down to the chin (0, 2) and up to (1, 0)
            let t = i as f64 / 16.0;
            *q = (-1.0 + 2.0 * t, 2.0 - 4.0 * (t - 0.5).abs());
        }
        assert!((jaw_x(&f, 1.0, true) + 0.5).abs() < 1e-9);
        assert!((jaw_x(&f, 1.0, false) - 0.5).abs() < 1e-9);
        assert!((jaw_x(&f, -1.0, true) + 1.0).abs() < 1e-9);
        let square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
        assert!(inside(&square, (0.5, 0.5)));
        assert!(!inside(&square, (1.5, 0.5)));
    }
}
