//! The face aligned on its eyes: a square view of a photo, turned and
//! scaled so the eye centres land on fixed points, sampled by skin tone,
//! hair colour and appeal's gradients alike.

/// A `size`² square view of a photo, turned and scaled so the eye centres
/// land on fixed points: the face at one size and upright whatever the
/// photo.
pub struct AlignedSquare<'a> {
    img: &'a image::RgbImage,
    size: usize,
    /// The similarity from square to photo: the photo point of square
    /// point (x, y) is `origin + (re·u − im·v, im·u + re·v)` with
    /// (u, v) = (x, y) − `target`.
    origin: (f64, f64),
    target: (f64, f64),
    re: f64,
    im: f64,
    /// Samples per side of one square pixel.
    subsamples: usize,
}

impl<'a> AlignedSquare<'a> {
    /// The eye centres `eyes` (pixels of `img`) land on `targets` (shares of
    /// the square's side). Each square pixel averages up to
    /// `max_subsamples`² samples of the photo pixels it covers. `None` when
    /// the eyes coincide or the photo is empty.
    pub fn new(
        img: &'a image::RgbImage,
        eyes: ((f64, f64), (f64, f64)),
        size: usize,
        targets: ((f64, f64), (f64, f64)),
        max_subsamples: usize,
    ) -> Option<Self> {
        let ((left_eye, right_eye), (left_target, right_target)) = (eyes, targets);
        if img.width() == 0 || img.height() == 0 {
            return None;
        }
        let side = size as f64;
        let (tdx, tdy) = (
            (right_target.0 - left_target.0) * side,
            (right_target.1 - left_target.1) * side,
        );
        let (sdx, sdy) = (right_eye.0 - left_eye.0, right_eye.1 - left_eye.1);
        let norm = tdx * tdx + tdy * tdy;
        let re = (sdx * tdx + sdy * tdy) / norm;
        let im = (sdy * tdx - sdx * tdy) / norm;
        let scale = re.hypot(im);
        if !scale.is_finite() || scale < 1e-9 {
            return None;
        }
        Some(AlignedSquare {
            img,
            size,
            origin: left_eye,
            target: (left_target.0 * side, left_target.1 * side),
            re,
            im,
            subsamples: (scale.ceil() as usize).clamp(1, max_subsamples.max(1)),
        })
    }

    /// [`Self::new`] with the eye centres of a face's 68 `landmarks` (dlib's
    /// scheme, pixels of `img`). `None` unless there are 68 points.
    pub fn on_eyes_of(
        img: &'a image::RgbImage,
        landmarks: &[(f64, f64)],
        size: usize,
        targets: ((f64, f64), (f64, f64)),
        max_subsamples: usize,
    ) -> Option<Self> {
        if landmarks.len() != 68 {
            return None;
        }
        let eyes = (
            crate::math::points::centroid(&landmarks[36..42]),
            crate::math::points::centroid(&landmarks[42..48]),
        );
        Self::new(img, eyes, size, targets, max_subsamples)
    }

    /// The mean RGB (0-255) of square pixel (x, y); beyond the photo's
    /// edge, the edge's.
    pub fn pixel(&self, x: usize, y: usize) -> [f64; 3] {
        let n = self.subsamples;
        let (w, h) = (f64::from(self.img.width()), f64::from(self.img.height()));
        let mut sum = [0.0; 3];
        for i in 0..n {
            for j in 0..n {
                let u = x as f64 + (j as f64 + 0.5) / n as f64 - self.target.0;
                let v = y as f64 + (i as f64 + 0.5) / n as f64 - self.target.1;
                let sx = (self.origin.0 + self.re * u - self.im * v).clamp(0.0, w - 1.0);
                let sy = (self.origin.1 + self.im * u + self.re * v).clamp(0.0, h - 1.0);
                let px = self.img.get_pixel(sx as u32, sy as u32).0;
                for (s, c) in sum.iter_mut().zip(px) {
                    *s += f64::from(c);
                }
            }
        }
        sum.map(|s| s / (n * n) as f64)
    }

    /// Every pixel of the square, row by row.
    pub fn pixels(&self) -> Vec<[f64; 3]> {
        (0..self.size * self.size)
            .map(|k| self.pixel(k % self.size, k / self.size))
            .collect()
    }
}
