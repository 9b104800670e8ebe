//! Canonical attributes from pixels and 68 landmarks (dlib's scheme: jaw 0-16,
//! brows 17-26, nose 27-35, eyes 36-47, mouth 48-67).
//!
//! Everything is measured in a face frame: origin between the eye centres,
//! x along the eye line, y perpendicular and downwards, one unit = the distance
//! between the eye centres (IOD). That cancels image size and head roll.
//!
//! Cut points (documented in the README):
//! - skin_tone: as people see it through the photo's light, on the crowd's
//!   0-100 scale ([`crate::vision::skin_tone`]: a model of the face's and the hair's
//!   colours and the skin's own), cut at 15.2, 22, 32.5, 42.2 and 53.7 into
//!   very light, light, intermediate, tan, brown and dark. Among its inputs
//!   is the individual typology angle ITA° = atan((L* − 50)/b*) of the skin
//!   colour with the photo's exposure pulled 70% of the way (in log
//!   exposure) to a well exposed skin lightness (L* = 65; see
//!   [`exposure_normalised_ita`]; its own six classes, [`skin_tone_level`],
//!   were the level before the model). The skin colour is the median CIELAB of the skin
//!   inside the face outline (jaw and brows) without the eyes, brows, nostrils
//!   and mouth, after dropping the darkest and lightest 15% of pixels
//!   (shadows, highlights) and those more than ΔE 15 from the first median;
//!   below the nose only pixels within ΔE 15 of the skin above it count (no
//!   beard or stubble).
//! - hair_color: as people name it, on the crowd's 0-100 scale
//!   ([`crate::vision::hair_color`]: a model of the darker quantiles of the hair
//!   over the forehead and of the brows, with the hair's and the skin's
//!   colours), cut at its quarters 25, 50 and 75 into blonde, light brown,
//!   dark brown and black; grey (C* < 9, L* > 40) and red (hue 15-55°, a* >
//!   14, C* > 22) by the hair's colour where the score is below 50 and 55.
//!   The hair's colour is the median CIELAB of the darker half of the pixels
//!   in a band over the head (1.8 IOD wide, 0.6-1.4 IOD above the brows) and
//!   at the temples that are neither skin-coloured (ΔE < 14 from the skin)
//!   nor background-coloured (ΔE < 12 from the image's top corners); no
//!   hair pixels, no hair colour.
//! - hair_length: share of hair-like pixels (nearer the hair colour than the
//!   skin and the background, and within ΔE 20 of it) in a band following the
//!   jaw outline on both sides (0.05-0.35 IOD out from the eye line to 1.0 IOD
//!   below it, 0.35-0.7 IOD out from 1.0 to 1.5 IOD below: "side"), and beside
//!   the neck below the chin ("below"): bald if under 20% hair and over 40%
//!   skin above the head with side < 25% (hair beside the jaw under a bare top
//!   is a hat or a scarf); long if side > 80%, or below > 30% with side > 40%
//!   (hair below the jaw alone could be dark clothes); medium if side > 25%;
//!   short otherwise.
//! - smile: teeth shown (bright, low-chroma pixels between the inner lips) or a
//!   wide open smile → broad; mouth corners lifted above the lip centre by more
//!   than 0.03 IOD, or a mouth wider than 1.0 IOD → slight; else neutral.
//! - facial_hair: darkening (skin L* − region L*, relative to skin L*) of the
//!   chin and jaw (beard > 0.25, stubble > 0.12) and of the upper lip (moustache
//!   > 0.2 with a clean chin).
//! - glasses: horizontal edges (vertical L* gradient) on the nose bridge
//!   between the eyes and in bands under the eyes (a frame's bridge and
//!   rims), the weaker of the two, over those on the lower cheeks (> 2.7 →
//!   glasses).
//! - eye_size, eyebrows, lips, face_shape: geometric ratios with no natural
//!   absolute scale, so pack-relative tertiles (see [`quantise`]).
//! - sex, age: only when declared (`--info`).

use crate::core::attributes::Levels;
use image::RgbImage;

/// Raw measurements of one face.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measurements {
    /// ITA° of the skin colour as photographed.
    pub ita: Option<f64>,
    /// ITA° after pulling the photo's exposure most of the way to a reference
    /// skin lightness (see [`exposure_normalised_ita`]); the skin tone level's
    /// input.
    pub ita_normalised: Option<f64>,
    /// Median CIELAB of the skin inside the face outline.
    pub skin_lab: Option<[f64; 3]>,
    /// Median hair CIELAB above the forehead, if hair was found.
    pub hair_lab: Option<[f64; 3]>,
    /// Share of hair pixels above the head.
    pub hair_top: f64,
    /// Share of skin pixels above the head (a bald scalp).
    pub skin_top: f64,
    /// Share of hair-coloured pixels beside the jaw, following its outline.
    pub hair_side: f64,
    /// Share of hair-coloured pixels beside the neck, below the chin.
    pub hair_below: f64,
    /// Corner lift of the mouth, IOD units (+ = corners up).
    pub mouth_lift: f64,
    /// Mouth width, IOD units.
    pub mouth_width: f64,
    /// Inner lip gap, IOD units.
    pub mouth_open: f64,
    /// Share of teeth-like pixels between the inner lips.
    pub teeth: f64,
    /// Eye opening area, IOD² units.
    pub eye_area: f64,
    /// Brow thickness, IOD units.
    pub brow_thickness: f64,
    /// Lip height over mouth width.
    pub lip_ratio: f64,
    /// Face height (brows to chin) over width (jaw points 0-16).
    pub face_aspect: f64,
    /// Jaw width (points 4-12) over face width.
    pub jaw_ratio: f64,
    /// Relative darkening of chin and jaw.
    pub beard: f64,
    /// Relative darkening of the upper lip.
    pub moustache: f64,
    /// Horizontal edges on the nose bridge and under the eyes (the weaker of
    /// the two) over those on the lower cheeks.
    pub glasses: f64,
    /// Nose width at the nostrils (points 31-35), IOD units.
    pub nose_width: f64,
    /// Fine texture of the cheek skin (see [`skin_texture`]).
    pub skin_texture: Option<f64>,
    /// How much redder the lips are than the skin (see [`lip_redness`]).
    pub lip_redness: Option<f64>,
    /// How attractive a crowd would find the face (see [`crate::vision::appeal`]).
    pub appeal: Option<f64>,
    /// The face network's descriptor (see [`crate::vision::face_net`]).
    pub descriptor: Option<Vec<f32>>,
    /// The face network's activations, for appeal only (see
    /// [`crate::vision::face_net::Reading`]); not stored in packs.
    pub activations: Option<Vec<f32>>,
    /// Skin tone as people see it, on the crowd's 0-100 scale, light to
    /// dark (see [`crate::vision::skin_tone`]).
    pub skin_tone: Option<f64>,
    /// Hair colour as people name it, on the crowd's 0-100 scale, light to
    /// dark (see [`crate::vision::hair_color`]); `None` when no hair was found.
    pub hair_color: Option<f64>,
}

type P = (f64, f64);

struct Frame {
    origin: P,
    u: P,
    v: P,
    iod: f64,
}

impl Frame {
    fn new(points: &[P]) -> Option<Frame> {
        let left = mean(&points[36..42]);
        let right = mean(&points[42..48]);
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
    fn to_image(&self, x: f64, y: f64) -> P {
        (
            self.origin.0 + self.iod * (x * self.u.0 + y * self.v.0),
            self.origin.1 + self.iod * (x * self.u.1 + y * self.v.1),
        )
    }
    /// Face-frame coordinates of an image point.
    fn to_face(&self, p: P) -> P {
        let (dx, dy) = (p.0 - self.origin.0, p.1 - self.origin.1);
        (
            (dx * self.u.0 + dy * self.u.1) / self.iod,
            (dx * self.v.0 + dy * self.v.1) / self.iod,
        )
    }
}

/// The centroid of `points` (pixels or face-frame units alike).
pub(crate) fn mean(points: &[P]) -> P {
    let n = points.len().max(1) as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    (sx / n, sy / n)
}

pub(crate) fn dist(a: P, b: P) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

fn lerp(a: P, b: P, t: f64) -> P {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// sRGB (0-255) to CIELAB (D65).
pub fn srgb_to_lab(rgb: [u8; 3]) -> [f64; 3] {
    srgb_f64_to_lab(rgb.map(f64::from))
}

/// [`srgb_to_lab`] of a mean colour (channels 0-255, not rounded).
pub fn srgb_f64_to_lab(rgb: [f64; 3]) -> [f64; 3] {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(rgb[0]), lin(rgb[1]), lin(rgb[2]));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn delta_e(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// Lab colours of the pixels in a face-frame rectangle (x0..x1, y0..y1), IOD
/// units, sampled on a grid of about `steps`² points; out-of-image points skipped.
fn sample_rect(
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

fn pixel(img: &RgbImage, p: P) -> Option<[u8; 3]> {
    let (x, y) = (p.0.round(), p.1.round());
    if x < 0.0 || y < 0.0 || x >= f64::from(img.width()) || y >= f64::from(img.height()) {
        return None;
    }
    Some(img.get_pixel(x as u32, y as u32).0)
}

fn luminance(img: &RgbImage, p: P) -> Option<f64> {
    pixel(img, p).map(|c| srgb_to_lab(c)[0])
}

/// Channel-wise median of Lab colours.
fn median_lab(colours: &[[f64; 3]]) -> Option<[f64; 3]> {
    if colours.is_empty() {
        return None;
    }
    let mut out = [0.0; 3];
    for (k, slot) in out.iter_mut().enumerate() {
        let mut v: Vec<f64> = colours.iter().map(|c| c[k]).collect();
        v.sort_by(f64::total_cmp);
        *slot = v[v.len() / 2];
    }
    Some(out)
}

fn share(colours: &[[f64; 3]], keep: impl Fn(&[f64; 3]) -> bool) -> f64 {
    if colours.is_empty() {
        return 0.0;
    }
    colours.iter().filter(|c| keep(c)).count() as f64 / colours.len() as f64
}

/// Mean absolute vertical gradient of L* (across horizontal edges, in the
/// face frame) over a face-frame rectangle, on a 12 × 12 grid.
fn vertical_gradient(img: &RgbImage, frame: &Frame, x: (f64, f64), y: (f64, f64)) -> f64 {
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

/// Whether `q` lies inside the polygon `poly` (even-odd rule).
fn inside(poly: &[P], q: P) -> bool {
    let mut odd = false;
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + poly.len() - 1) % poly.len()];
        if (a.1 > q.1) != (b.1 > q.1) && q.0 < (b.0 - a.0) * (q.1 - a.1) / (b.1 - a.1) + a.0 {
            odd = !odd;
        }
    }
    odd
}

/// x of the jaw outline (landmarks 0-8 on the left, 8-16 on the right) at
/// face-frame height `y`, linearly interpolated; the end point's x beyond it.
fn jaw_x(f: &[P], y: f64, left: bool) -> f64 {
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
fn jaw_band(img: &RgbImage, frame: &Frame, f: &[P], y: (f64, f64), d: (f64, f64)) -> Vec<[f64; 3]> {
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

/// Lab colours of the skin inside the face outline (jaw points 0-16 and the
/// brows), on a grid of 0.04 IOD, leaving out the brows and everything above
/// them, the eyes (ellipses 0.35 × 0.22 IOD about each eye centre), the
/// nostrils and the mouth (an ellipse a little wider than the lip corners).
/// Below the nose only pixels within ΔE 15 of the skin above it count (no
/// beard or stubble). `f`: the landmarks in the face frame.
fn face_skin_pixels(img: &RgbImage, frame: &Frame, f: &[P]) -> Vec<[f64; 3]> {
    let mut outline: Vec<P> = f[0..17].to_vec();
    outline.extend(f[17..27].iter().rev());
    let brow_y = f[17..27].iter().map(|q| q.1).sum::<f64>() / 10.0;
    let eyes = [mean(&f[36..42]), mean(&f[42..48])];
    let mouth = mean(&f[48..60]);
    let mouth_rx = (f[54].0 - f[48].0).abs() / 2.0 + 0.08;
    let (x0, x1) = outline
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), q| (a.min(q.0), b.max(q.0)));
    let y0 = outline.iter().fold(f64::MAX, |a, q| a.min(q.1));
    let y1 = outline.iter().fold(f64::MIN, |a, q| a.max(q.1));
    let nose_bottom = f[33].1;
    let step = 0.04;
    let (mut upper, mut lower) = (Vec::new(), Vec::new());
    let mut y = y0.max(brow_y + 0.15);
    while y < y1 {
        let mut x = x0;
        while x < x1 {
            let q = (x, y);
            let in_ellipse = |c: P, rx: f64, ry: f64| {
                ((q.0 - c.0) / rx).powi(2) + ((q.1 - c.1) / ry).powi(2) < 1.0
            };
            let nostrils =
                q.1 > f[30].1 - 0.05 && q.1 < f[33].1 + 0.08 && (q.0 - f[33].0).abs() < 0.3;
            if inside(&outline, q)
                && !eyes.iter().any(|&e| in_ellipse(e, 0.35, 0.22))
                && !in_ellipse(mouth, mouth_rx, 0.28)
                && !nostrils
            {
                if let Some(px) = pixel(img, frame.to_image(x, y)) {
                    if y < nose_bottom {
                        upper.push(srgb_to_lab(px));
                    } else {
                        lower.push(srgb_to_lab(px));
                    }
                }
            }
            x += step;
        }
        y += step;
    }
    // below the nose, only what looks like the skin above it (no beard)
    if let Some(reference) = robust_skin(&mut upper.clone()) {
        upper.extend(lower.into_iter().filter(|c| delta_e(c, &reference) < 15.0));
    }
    upper
}

/// Skin colour of sampled skin pixels: the middle 70% by lightness (no cast
/// shadows, no specular highlights), then those within ΔE*ab 15 of that
/// median (no lips, stubble or strands of hair); channel-wise median.
fn robust_skin(pixels: &mut [[f64; 3]]) -> Option<[f64; 3]> {
    if pixels.is_empty() {
        return None;
    }
    pixels.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let n = pixels.len();
    let middle = &pixels[n * 15 / 100..(n * 85 / 100).max(n * 15 / 100 + 1)];
    let first = median_lab(middle)?;
    let close: Vec<[f64; 3]> = middle
        .iter()
        .copied()
        .filter(|c| delta_e(c, &first) < 15.0)
        .collect();
    median_lab(&close).or(Some(first))
}

/// Hair colour of hair pixels: the median of the darker half. Hair is lit
/// unevenly and its sheen is nearly white whatever the pigment, so the darker
/// half shows the colour (as the 25th percentile of lightness).
fn hair_colour(mut pixels: Vec<[f64; 3]>) -> Option<[f64; 3]> {
    pixels.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let half = pixels.len().div_ceil(2);
    median_lab(&pixels[..half])
}

/// Measures one face. `landmarks`: 68 points in pixels of `img`.
pub fn measure(img: &RgbImage, landmarks: &[(f32, f32)]) -> Option<Measurements> {
    if landmarks.len() != 68 {
        return None;
    }
    let p: Vec<P> = landmarks
        .iter()
        .map(|&(x, y)| (f64::from(x), f64::from(y)))
        .collect();
    let frame = Frame::new(&p)?;
    let f: Vec<P> = p.iter().map(|&q| frame.to_face(q)).collect();
    let mut m = Measurements::default();

    // Skin: every pixel inside the face outline (jaw and brows) except the
    // eyes, the brows, the nostrils and the mouth, trimmed of shadows and
    // highlights, then of pixels of another colour (stubble, a strand of hair).
    let mut skin = face_skin_pixels(img, &frame, &f);
    let skin_lab = robust_skin(&mut skin)?;
    m.skin_lab = Some(skin_lab);
    m.ita = Some((skin_lab[0] - 50.0).atan2(skin_lab[2]).to_degrees());
    let ita_normalised = exposure_normalised_ita(skin_lab);
    m.ita_normalised = Some(ita_normalised);

    // Background: the image's top corners.
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let mut bg = Vec::new();
    for x0 in [0.0, w * 0.9] {
        for i in 0..6 {
            for j in 0..6 {
                if let Some(px) = pixel(
                    img,
                    (x0 + w * 0.1 * i as f64 / 6.0, h * 0.1 * j as f64 / 6.0),
                ) {
                    bg.push(srgb_to_lab(px));
                }
            }
        }
    }
    let bg_lab = median_lab(&bg);
    let is_skin = |c: &[f64; 3]| delta_e(c, &skin_lab) < 14.0;
    let is_bg = |c: &[f64; 3]| bg_lab.is_some_and(|b| delta_e(c, &b) < 12.0);

    // Hair above the head (from the brows, the top of the skull is about
    // 1.0-1.4 IOD up), plus the temples, where the hair shows when the top is
    // a hat or a bald scalp. `top` gives the bald shares.
    let brow_y = f[17..27].iter().map(|q| q.1).sum::<f64>() / 10.0;
    let half_width = (f[16].0 - f[0].0).abs() / 2.0;
    let top = sample_rect(
        img,
        &frame,
        (-0.55, 0.55),
        (brow_y - 1.25, brow_y - 0.75),
        14,
    );
    let mut temples = Vec::new();
    for x in [-half_width, half_width] {
        temples.extend(sample_rect(
            img,
            &frame,
            (x - 0.15, x + 0.15),
            (brow_y - 0.7, brow_y - 0.2),
            6,
        ));
    }
    // The hair colour is read from a wider band over the head (1.8 IOD wide,
    // 0.6-1.4 IOD above the brows), which reaches more of the hair beside a
    // hat or a high forehead (on the odd-numbered OMI faces its L* + b*
    // ranked the crowd's hair colour at 0.79 against 0.75 for `top`).
    let crown = sample_rect(img, &frame, (-0.9, 0.9), (brow_y - 1.4, brow_y - 0.6), 24);
    let hair_pixels: Vec<[f64; 3]> = crown
        .iter()
        .chain(&temples)
        .copied()
        .filter(|c| !is_skin(c) && !is_bg(c))
        .collect();
    m.hair_top = share(&top, |c| !is_skin(c) && !is_bg(c));
    m.skin_top = share(&top, |c| is_skin(c));
    let found = hair_pixels.len() * 6 >= crown.len() + temples.len();
    // lit strands beside the face are lighter than the darker half: match
    // against the median of all hair pixels too
    let hair_median = median_lab(&hair_pixels).filter(|_| found);
    m.hair_lab = if found {
        hair_colour(hair_pixels)
    } else {
        None
    };

    if let (Some(hair), Some(median)) = (m.hair_lab, hair_median) {
        // nearer the hair colour than the skin and the background (whatever
        // their distance) and within ΔE 20 of it
        let like_hair = |c: &[f64; 3]| {
            let d = delta_e(c, &hair).min(delta_e(c, &median));
            d < 20.0 && d < delta_e(c, &skin_lab) && bg_lab.is_none_or(|b| d < delta_e(c, &b))
        };
        let chin_y = f[8].1;
        // beside the jaw, following its outline: 0.05-0.35 IOD out from the
        // eye line to 1.0 IOD below it, then 0.35-0.7 IOD out down to 1.5
        // IOD (below the jaw's corner hair hangs clear of the neck)
        let mut side = jaw_band(img, &frame, &f, (0.0, 1.0), (0.05, 0.35));
        side.extend(jaw_band(img, &frame, &f, (1.0, 1.5), (0.35, 0.7)));
        m.hair_side = share(&side, like_hair);
        let mut below = sample_rect(
            img,
            &frame,
            (-half_width - 0.35, -half_width + 0.1),
            (chin_y + 0.1, chin_y + 0.7),
            8,
        );
        below.extend(sample_rect(
            img,
            &frame,
            (half_width - 0.1, half_width + 0.35),
            (chin_y + 0.1, chin_y + 0.7),
            8,
        ));
        m.hair_below = share(&below, like_hair);
    }

    // Mouth.
    let lip_centre_y = (f[51].1 + f[57].1) / 2.0;
    m.mouth_lift = lip_centre_y - (f[48].1 + f[54].1) / 2.0;
    m.mouth_width = dist(f[48], f[54]);
    m.mouth_open = ((f[66].1 - f[62].1) + (f[65].1 - f[63].1) + (f[67].1 - f[61].1)) / 3.0;
    if m.mouth_open > 0.02 {
        let inner = sample_rect(
            img,
            &frame,
            (f[61].0.min(f[67].0), f[63].0.max(f[65].0)),
            (f[62].1, f[66].1),
            8,
        );
        m.teeth = share(&inner, |c| {
            c[0] > skin_lab[0] + 5.0 && (c[1].powi(2) + c[2].powi(2)).sqrt() < 18.0
        });
    }

    // Eyes: opening area from the lid landmarks.
    let eye_area = |a: usize| {
        let width = dist(f[a], f[a + 3]);
        let height = (dist(f[a + 1], f[a + 5]) + dist(f[a + 2], f[a + 4])) / 2.0;
        width * height
    };
    m.eye_area = (eye_area(36) + eye_area(42)) / 2.0;

    // Brows: extent of dark pixels around each brow landmark, vertically.
    let mut thickness = Vec::new();
    for &i in &[18usize, 19, 20, 23, 24, 25] {
        let steps = 24;
        let dark = (0..steps)
            .filter(|&s| {
                let y = f[i].1 - 0.2 + 0.35 * s as f64 / steps as f64;
                luminance(img, frame.to_image(f[i].0, y)).is_some_and(|l| l < skin_lab[0] - 12.0)
            })
            .count();
        thickness.push(0.35 * dark as f64 / steps as f64);
    }
    m.brow_thickness = thickness.iter().sum::<f64>() / thickness.len() as f64;

    // Lips: upper plus lower lip height over mouth width.
    let upper = (dist(f[50], f[61]) + dist(f[52], f[63])) / 2.0;
    let lower = (dist(f[58], f[67]) + dist(f[56], f[65])) / 2.0;
    m.lip_ratio = (upper + lower) / m.mouth_width.max(1e-6);
    m.lip_redness = lip_redness(img, &frame, &f, skin_lab);

    // Face outline.
    let face_width = dist(f[0], f[16]).max(1e-6);
    m.face_aspect = (f[8].1 - brow_y) / face_width;
    m.jaw_ratio = dist(f[4], f[12]) / face_width;

    // Facial hair: relative darkening against the cheeks.
    let region_l = |c: P, rx: f64, ry: f64| {
        median_lab(&sample_rect(
            img,
            &frame,
            (c.0 - rx, c.0 + rx),
            (c.1 - ry, c.1 + ry),
            6,
        ))
        .map(|l| l[0])
    };
    let darkening =
        |l: Option<f64>| l.map_or(0.0, |l| ((skin_lab[0] - l) / skin_lab[0].max(1.0)).max(0.0));
    let chin = darkening(region_l(lerp(f[57], f[8], 0.55), 0.15, 0.08));
    let jaw_l = darkening(region_l(lerp(f[5], f[48], 0.3), 0.08, 0.08));
    let jaw_r = darkening(region_l(lerp(f[11], f[54], 0.3), 0.08, 0.08));
    m.beard = (chin + jaw_l + jaw_r) / 3.0;
    m.moustache = darkening(region_l(lerp(f[33], f[51], 0.55), 0.18, 0.03));

    m.glasses = glasses_score(img, &frame);
    m.nose_width = dist(f[31], f[35]);
    m.skin_texture = skin_texture(img, &frame, &f);
    if let Some(reading) = crate::vision::appeal::reading(img, &p) {
        m.descriptor = Some(reading.descriptor.to_vec());
        m.activations = Some(reading.activations);
    }
    m.appeal = crate::vision::appeal::appeal(&m, img, &p);
    m.skin_tone = crate::vision::skin_tone::inputs(img, &p, skin_lab, m.hair_lab, ita_normalised)
        .map(|i| crate::vision::skin_tone::MODEL.score(&i));
    m.hair_color = m
        .hair_lab
        .and_then(|hair| crate::vision::hair_color::inputs(img, &p, skin_lab, hair))
        .map(|i| crate::vision::hair_color::MODEL.score(&i));
    Some(m)
}

/// Glasses: a frame's bridge crosses the nose between the eyes and its rims
/// run under the eyes, both horizontal edges where bare skin is smooth. Both
/// must show (the weaker counts), against the edges on the cheeks lower down,
/// so a textured or noisy photo does not pass for glasses.
fn glasses_score(img: &RgbImage, frame: &Frame) -> f64 {
    let bridge = vertical_gradient(img, frame, (-0.12, 0.12), (-0.12, 0.05));
    let band = |y: (f64, f64)| {
        (vertical_gradient(img, frame, (-0.75, -0.25), y)
            + vertical_gradient(img, frame, (0.25, 0.75), y))
            / 2.0
    };
    let rims = band((0.2, 0.4));
    let lower_cheeks = band((0.55, 0.75));
    bridge.min(rims) / lower_cheeks.max(0.5)
}

/// Cells per IOD of the skin texture grid: about one pixel of a 224 px
/// portrait, so pores and blemishes show but a larger photo gives the same
/// scale (cells average the pixels they cover).
const TEXTURE_CELLS_PER_IOD: f64 = 80.0;

/// Fine texture of the cheek skin: the mean absolute Laplacian of grey level
/// on a grid of IOD/80 cells over two cheek patches (between the jaw and the
/// nose wings, 0.3 IOD square). Smooth, even skin is low; pores, blemishes,
/// stubble and wrinkles are high. Faces with smoother cheeks were rated more
/// attractive on average (MEBeauty and 3dsk), so a player's taste can use it.
fn skin_texture(img: &RgbImage, frame: &Frame, f: &[P]) -> Option<f64> {
    let cell = frame.iod / TEXTURE_CELLS_PER_IOD;
    let block = cell.max(1.0).round() as i64;
    let grey = |p: P| -> Option<f64> {
        let (x0, y0) = (
            (p.0 - block as f64 / 2.0).round() as i64,
            (p.1 - block as f64 / 2.0).round() as i64,
        );
        if x0 < 0
            || y0 < 0
            || x0 + block > i64::from(img.width())
            || y0 + block > i64::from(img.height())
        {
            return None;
        }
        let mut sum = 0.0;
        for y in y0..y0 + block {
            for x in x0..x0 + block {
                let c = img.get_pixel(x as u32, y as u32).0;
                sum += 0.299 * f64::from(c[0]) + 0.587 * f64::from(c[1]) + 0.114 * f64::from(c[2]);
            }
        }
        Some(sum / (block * block) as f64)
    };
    let half = (0.15 * TEXTURE_CELLS_PER_IOD) as i64;
    // the patch plus a one-cell border for the Laplacian's neighbours
    let side = (2 * half + 3) as usize;
    let (mut total, mut n) = (0.0, 0.0);
    for (jaw, wing) in [(3, 31), (13, 35)] {
        let c = lerp(f[jaw], f[wing], 0.5);
        let centre = frame.to_image(c.0, c.1 - 0.1);
        let mut cells: Vec<Option<f64>> = Vec::with_capacity(side * side);
        for j in -half - 1..=half + 1 {
            for i in -half - 1..=half + 1 {
                let (dx, dy) = (i as f64 * cell, j as f64 * cell);
                cells.push(grey((
                    centre.0 + dx * frame.u.0 + dy * frame.v.0,
                    centre.1 + dx * frame.u.1 + dy * frame.v.1,
                )));
            }
        }
        let at = |i: usize, j: usize| cells[j * side + i];
        for j in 1..side - 1 {
            for i in 1..side - 1 {
                if let (Some(v), Some(l), Some(r), Some(u), Some(d)) = (
                    at(i, j),
                    at(i - 1, j),
                    at(i + 1, j),
                    at(i, j - 1),
                    at(i, j + 1),
                ) {
                    total += (4.0 * v - l - r - u - d).abs();
                    n += 1.0;
                }
            }
        }
    }
    (n > 0.0).then(|| total / n)
}

/// How much redder the lips are than the skin: the median a* (green-red) of
/// the pixels between the outer and inner lip outlines (points 48-59 and
/// 60-67, so neither teeth nor the mouth's opening count), on a 0.02 IOD
/// grid, minus the skin's a*. Lipstick and flushed lips are high, lips close
/// to the skin's colour low; a difference, so the photo's colour cast mostly
/// cancels. Raters' taste follows it: on MEBeauty redder lips were rated
/// higher (Spearman +0.25 women, +0.25 men between the level and the mean
/// rating), on 3dsk's studio portraits lower (−0.12, −0.28), so it is left
/// to each player's model which way it counts. `None` when fewer than 8 lip pixels are in the image.
fn lip_redness(img: &RgbImage, frame: &Frame, f: &[P], skin: [f64; 3]) -> Option<f64> {
    let outer = &f[48..60];
    let inner = &f[60..68];
    let (x0, x1) = outer
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), q| (a.min(q.0), b.max(q.0)));
    let (y0, y1) = outer
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), q| (a.min(q.1), b.max(q.1)));
    let step = 0.02;
    let mut redness = Vec::new();
    let mut y = y0;
    while y < y1 {
        let mut x = x0;
        while x < x1 {
            if inside(outer, (x, y)) && !inside(inner, (x, y)) {
                if let Some(px) = pixel(img, frame.to_image(x, y)) {
                    redness.push(srgb_to_lab(px)[1]);
                }
            }
            x += step;
        }
        y += step;
    }
    if redness.len() < 8 {
        return None;
    }
    redness.sort_by(f64::total_cmp);
    Some(redness[redness.len() / 2] - skin[1])
}

/// Skin lightness (L*) of a well exposed portrait, the exposure reference.
const REFERENCE_SKIN_L: f64 = 65.0;
/// How far the exposure is pulled towards the reference: 0 none, 1 all the way.
/// Chosen on the odd-numbered OMI faces among 0.3, 0.5, 0.6, 0.7, 0.8 and
/// 0.85 (0.5 before; the drawn pack's darkest skins read a class lighter for
/// it, see the README).
const EXPOSURE_PULL: f64 = 0.7;
/// ITA° of a skin colour re-exposed towards the reference lightness.
///
/// A photo's exposure scales XYZ, which scales L* + 16, a* and b* by one
/// factor (the cube root of the exposure change), so ITA°, which pivots at
/// L* = 50, reads a dark photo of light skin as dark skin. Scaling fully to a
/// reference lightness would keep only the chromaticity angle, which cannot
/// tell very dark skin from a dark photo of medium skin; part of the way
/// ([`EXPOSURE_PULL`]) keeps both signals. The standard ITA cut points then
/// apply.
pub fn exposure_normalised_ita(lab: [f64; 3]) -> f64 {
    let [l, _, b] = lab;
    let k = ((REFERENCE_SKIN_L + 16.0) / (l + 16.0).max(1.0)).powf(EXPOSURE_PULL);
    (k * (l + 16.0) - 16.0 - 50.0).atan2(k * b).to_degrees()
}

/// The six ITA° classes of the exposure-normalised ITA°: the standard cuts
/// 55, 41 and 28 for the lighter four, and 19 and 11 (standard: 10 and −30)
/// for tan, brown and dark. The exposure pull lifts dark skin most (a skin
/// at the standard brown/dark boundary, L* 40 and b* 17, ITA° −30, reads
/// 16.5° after it), so below 28 the standard cuts leave brown and dark all
/// but empty: none of OMI's 1003 faces was dark, and the drawn pack's brown
/// and dark faces, whose true levels are known, read tan and brown. 19 and
/// 11 are the midpoints of the gaps between the drawn pack's tan, brown and
/// dark faces (21-25°, 13-16° and 4-9°); the standard cuts already separate
/// its other classes.
pub fn skin_tone_level(ita: f64) -> &'static str {
    match ita {
        a if a > 55.0 => "very_light",
        a if a > 41.0 => "light",
        a if a > 28.0 => "intermediate",
        a if a > 19.0 => "tan",
        a if a > 11.0 => "brown",
        _ => "dark",
    }
}

fn hair_length_level(m: &Measurements) -> &'static str {
    if m.hair_top < 0.2 && m.skin_top > 0.4 && m.hair_side < 0.25 {
        "bald"
    } else if m.hair_side > 0.8 || (m.hair_below > 0.3 && m.hair_side > 0.4) {
        "long"
    } else if m.hair_side > 0.25 {
        "medium"
    } else {
        "short"
    }
}

fn smile_level(m: &Measurements) -> &'static str {
    if m.teeth > 0.25 || m.mouth_open > 0.12 {
        "broad"
    } else if m.mouth_lift > 0.03 || m.mouth_width > 1.0 {
        "slight"
    } else {
        "neutral"
    }
}

fn facial_hair_level(m: &Measurements) -> &'static str {
    if m.beard > 0.25 {
        "beard"
    } else if m.moustache > 0.2 && m.beard < 0.12 {
        "moustache"
    } else if m.beard > 0.12 {
        "stubble"
    } else {
        "none"
    }
}

/// Tertile level (0, 1, 2) of each value within the pack.
/// Glasses when both the bridge and the rims show horizontal edges this many
/// times stronger than the lower cheeks. Chosen by looking at MEBeauty faces
/// ranked by the measure (real frames from 2.9 up, none at 2.6 and below);
/// the Canada portraits, none with glasses, reach 1.4.
const GLASSES_CUT: f64 = 2.7;

/// Measured attributes beyond the canonical twelve, for photo packs: (name,
/// levels, description). Both are pack-relative tertiles.
pub const NOSE_WIDTH: (&str, [&str; 3], &str) = (
    "nose_width",
    ["narrow", "medium", "wide"],
    "Nose width at the nostrils relative to the eye distance (pack tertiles).",
);
pub const SKIN_TEXTURE: (&str, [&str; 3], &str) = (
    "skin_texture",
    ["smooth", "medium", "textured"],
    "Fine texture of the cheek skin: pores, blemishes, stubble (pack tertiles).",
);
pub const LIP_COLOR: (&str, [&str; 3], &str) = (
    "lip_color",
    ["muted", "natural", "vivid"],
    "How much redder the lips are than the skin: lipstick, flush (pack tertiles).",
);

/// Definitions of the measured attributes that are not canonical.
pub fn measured_extras() -> Vec<crate::core::attributes::AttributeDef> {
    [NOSE_WIDTH, SKIN_TEXTURE, LIP_COLOR]
        .iter()
        .map(
            |(name, levels, description)| crate::core::attributes::AttributeDef {
                name: (*name).to_string(),
                levels: levels.iter().map(|l| (*l).to_string()).collect(),
                description: (*description).to_string(),
            },
        )
        .collect()
}

fn tertiles(values: &[f64]) -> Vec<usize> {
    let ranks = crate::math::stats::average_ranks(values);
    let n = values.len().max(1) as f64;
    ranks
        .iter()
        .map(|r| (((r - 0.5) / n * 3.0).floor() as usize).min(2))
        .collect()
}

/// Tertiles of an optional measurement among the faces that have it; `None`
/// for the others.
fn measured_tertiles(
    all: &[Measurements],
    value: impl Fn(&Measurements) -> Option<f64>,
) -> Vec<Option<usize>> {
    let mut levels = tertiles(&all.iter().filter_map(&value).collect::<Vec<_>>()).into_iter();
    all.iter()
        .map(|m| value(m).and_then(|_| levels.next()))
        .collect()
}

/// Turns a pack's measurements into canonical levels: fixed cut points where
/// the quantity has a meaningful scale, pack-relative tertiles otherwise.
pub fn quantise(all: &[Measurements]) -> Vec<Levels> {
    let eye = tertiles(&all.iter().map(|m| m.eye_area).collect::<Vec<_>>());
    let brow = tertiles(&all.iter().map(|m| m.brow_thickness).collect::<Vec<_>>());
    let lips = tertiles(&all.iter().map(|m| m.lip_ratio).collect::<Vec<_>>());
    let aspect = tertiles(&all.iter().map(|m| m.face_aspect).collect::<Vec<_>>());
    let jaw = tertiles(&all.iter().map(|m| m.jaw_ratio).collect::<Vec<_>>());
    let nose = tertiles(&all.iter().map(|m| m.nose_width).collect::<Vec<_>>());
    // Tertiles among the faces whose cheeks (lips) could be measured.
    let texture = measured_tertiles(all, |m| m.skin_texture);
    let lip_color = measured_tertiles(all, |m| m.lip_redness);
    all.iter()
        .enumerate()
        .map(|(i, m)| {
            let mut levels = Levels::new();
            let mut set = |k: &str, v: &str| {
                levels.insert(k.to_string(), v.to_string());
            };
            if let Some(score) = m.skin_tone {
                set("skin_tone", crate::vision::skin_tone::level(score));
            }
            if let (Some(score), Some(hair)) = (m.hair_color, m.hair_lab) {
                set("hair_color", crate::vision::hair_color::level(score, hair));
            }
            set("hair_length", hair_length_level(m));
            set("smile", smile_level(m));
            set("facial_hair", facial_hair_level(m));
            set(
                "glasses",
                if m.glasses > GLASSES_CUT {
                    "glasses"
                } else {
                    "none"
                },
            );
            set("eye_size", ["small", "medium", "large"][eye[i]]);
            set("eyebrows", ["thin", "medium", "thick"][brow[i]]);
            set("lips", ["thin", "medium", "full"][lips[i]]);
            let shape = match (aspect[i], jaw[i]) {
                (2, _) => "long",
                (0, 2) => "square",
                (0, _) => "round",
                (_, 0) => "heart",
                (_, 2) => "square",
                _ => "oval",
            };
            set("face_shape", shape);
            set(NOSE_WIDTH.0, NOSE_WIDTH.1[nose[i]]);
            if let Some(t) = texture[i] {
                set(SKIN_TEXTURE.0, SKIN_TEXTURE.1[t]);
            }
            if let Some(t) = lip_color[i] {
                set(LIP_COLOR.0, LIP_COLOR.1[t]);
            }
            levels
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_of_known_colours() {
        let white = srgb_to_lab([255, 255, 255]);
        assert!((white[0] - 100.0).abs() < 0.1 && white[1].abs() < 0.5 && white[2].abs() < 0.5);
        let black = srgb_to_lab([0, 0, 0]);
        assert!(black[0].abs() < 0.1);
        let red = srgb_to_lab([255, 0, 0]);
        assert!(
            (red[0] - 53.2).abs() < 0.5
                && (red[1] - 80.1).abs() < 1.0
                && (red[2] - 67.2).abs() < 1.0
        );
    }

    #[test]
    fn exposure_normalisation_narrows_the_gap_between_exposures() {
        let skin = [65.0, 15.0, 15.0];
        // the same skin photographed with half the light: XYZ halves
        let k = 0.5f64.cbrt();
        let dark = [k * (skin[0] + 16.0) - 16.0, k * skin[1], k * skin[2]];
        let ita = |c: [f64; 3]| (c[0] - 50.0).atan2(c[2]).to_degrees();
        let plain = ita(skin) - ita(dark);
        let normalised = exposure_normalised_ita(skin) - exposure_normalised_ita(dark);
        assert!(
            normalised.abs() < plain.abs() / 2.0,
            "{normalised} vs {plain}"
        );
        // at the reference lightness nothing changes
        assert!((exposure_normalised_ita(skin) - ita(skin)).abs() < 1e-9);
        // darker skin at the same exposure stays darker
        assert!(exposure_normalised_ita([40.0, 15.0, 20.0]) < exposure_normalised_ita(skin));
    }

    #[test]
    fn ita_classes_follow_the_standard_cuts_then_the_pulled_dark_ones() {
        assert_eq!(skin_tone_level(60.0), "very_light");
        assert_eq!(skin_tone_level(45.0), "light");
        assert_eq!(skin_tone_level(30.0), "intermediate");
        assert_eq!(skin_tone_level(22.0), "tan");
        assert_eq!(skin_tone_level(15.0), "brown");
        assert_eq!(skin_tone_level(5.0), "dark");
        assert_eq!(skin_tone_level(-45.0), "dark");
        // skins at standard ITA° 0, −30 (the standard brown/dark boundary)
        // and −59 read 26°, 16.5° and 7.5° after the exposure pull
        let pulled = |l: f64, b: f64| skin_tone_level(exposure_normalised_ita([l, 10.0, b]));
        assert_eq!(pulled(50.0, 18.0), "tan");
        assert_eq!(pulled(40.0, 17.0), "brown");
        assert_eq!(pulled(30.0, 12.0), "dark");
    }

    /// A face frame with the eyes 40 px apart at y = 100, and the jaw and nose
    /// wing points the cheek patches need.
    fn cheek_points() -> Vec<P> {
        let mut p = vec![(120.0, 150.0); 68];
        p[36..42].fill((100.0, 100.0));
        p[42..48].fill((140.0, 100.0));
        p[3] = (82.0, 150.0);
        p[13] = (158.0, 150.0);
        p[31] = (110.0, 140.0);
        p[35] = (130.0, 140.0);
        p
    }

    fn texture_of(img: &RgbImage, points: &[P]) -> Option<f64> {
        let frame = Frame::new(points).unwrap();
        let f: Vec<P> = points.iter().map(|&q| frame.to_face(q)).collect();
        skin_texture(img, &frame, &f)
    }

    #[test]
    fn skin_texture_is_zero_on_even_skin_and_grows_with_blemishes() {
        let flat = RgbImage::from_pixel(240, 240, image::Rgb([200, 160, 140]));
        let even = texture_of(&flat, &cheek_points()).unwrap();
        assert!(even.abs() < 1e-9, "{even}");
        let speckled = |amplitude: u8| {
            RgbImage::from_fn(240, 240, |x, y| {
                let dark = (x * 7 + y * 13) % 5 == 0;
                let v = if dark { 200 - amplitude } else { 200 };
                image::Rgb([v, v - 40, v - 60])
            })
        };
        let light = texture_of(&speckled(10), &cheek_points()).unwrap();
        let heavy = texture_of(&speckled(40), &cheek_points()).unwrap();
        assert!(light > 1.0 && heavy > 3.0 * light, "{light} {heavy}");
        // cheeks outside the image: nothing to measure
        let tiny = RgbImage::from_pixel(60, 60, image::Rgb([200, 160, 140]));
        assert_eq!(texture_of(&tiny, &cheek_points()), None);
    }

    #[test]
    fn glasses_need_both_a_bridge_and_rims() {
        let frame = Frame::new(&cheek_points()).unwrap();
        // eyes at (100, 100) and (140, 100): IOD 40, bridge around y 95-102
        // between x 115 and 125, rims around y 108-116
        let skin = image::Rgb([200, 160, 140]);
        let frame_colour = image::Rgb([40, 30, 30]);
        let draw = |bridge: bool, rims: bool| {
            RgbImage::from_fn(240, 240, |x, y| {
                let on_bridge = bridge && (97..=99).contains(&y) && (105..=135).contains(&x);
                let on_rims = rims && (111..=113).contains(&y) && (80..=160).contains(&x);
                if on_bridge || on_rims {
                    frame_colour
                } else {
                    skin
                }
            })
        };
        let both = glasses_score(&draw(true, true), &frame);
        assert!(both > GLASSES_CUT, "{both}");
        for (bridge, rims) in [(true, false), (false, true), (false, false)] {
            let score = glasses_score(&draw(bridge, rims), &frame);
            assert!(score < GLASSES_CUT, "bridge {bridge} rims {rims}: {score}");
        }
    }

    /// Lip landmarks around a mouth centred at (120, 150): the outer outline
    /// 40 × 20 px, the inner one 36 × 16 px (an open mouth: most of it is
    /// teeth), as diamonds (the rest as in
    /// [`cheek_points`]).
    fn mouth_points() -> Vec<P> {
        let mut p = cheek_points();
        outline(
            &mut p,
            48..60,
            [
                (100.0, 150.0),
                (120.0, 140.0),
                (140.0, 150.0),
                (120.0, 160.0),
            ],
        );
        outline(
            &mut p,
            60..68,
            [
                (102.0, 150.0),
                (120.0, 142.0),
                (138.0, 150.0),
                (120.0, 158.0),
            ],
        );
        p
    }

    /// Spreads the landmarks `slots` evenly around the diamond `corners`.
    fn outline(p: &mut [P], slots: std::ops::Range<usize>, corners: [P; 4]) {
        let per_side = slots.len() / 4;
        for (i, slot) in slots.enumerate() {
            let side = i / per_side;
            let t = (i % per_side) as f64 / per_side as f64;
            p[slot] = lerp(corners[side], corners[(side + 1) % 4], t);
        }
    }

    fn redness_of(img: &RgbImage, points: &[P], skin: [f64; 3]) -> Option<f64> {
        let frame = Frame::new(points).unwrap();
        let f: Vec<P> = points.iter().map(|&q| frame.to_face(q)).collect();
        lip_redness(img, &frame, &f, skin)
    }

    #[test]
    fn lip_redness_reads_the_lips_against_the_skin_not_the_teeth() {
        let skin_rgb = [200, 160, 140];
        let skin = srgb_to_lab(skin_rgb);
        let face = |lips: [u8; 3]| {
            RgbImage::from_fn(240, 240, |x, y| {
                let (dx, dy) = ((f64::from(x) - 120.0).abs(), (f64::from(y) - 150.0).abs());
                let in_mouth = dx / 20.0 + dy / 10.0 < 1.0;
                let in_gap = dx / 18.0 + dy / 8.0 < 1.0;
                image::Rgb(if in_gap {
                    [250, 250, 250] // teeth: left out
                } else if in_mouth {
                    lips
                } else {
                    skin_rgb
                })
            })
        };
        let points = mouth_points();
        let bare = redness_of(&face(skin_rgb), &points, skin).unwrap();
        assert!(bare.abs() < 1.0, "{bare}");
        let natural = redness_of(&face([200, 130, 130]), &points, skin).unwrap();
        let lipstick = redness_of(&face([190, 40, 60]), &points, skin).unwrap();
        assert!(
            natural > 5.0 && lipstick > natural + 20.0,
            "{natural} {lipstick}"
        );
        // mouth outside the image: nothing to measure
        let tiny = RgbImage::from_pixel(60, 60, image::Rgb(skin_rgb));
        assert_eq!(redness_of(&tiny, &points, skin), None);
    }

    #[test]
    fn nose_width_skin_texture_and_lip_color_are_pack_tertiles() {
        let faces: Vec<Measurements> = (0..6)
            .map(|i| Measurements {
                nose_width: f64::from(i),
                skin_texture: (i != 2).then(|| f64::from(10 - i)),
                lip_redness: (i != 4).then(|| f64::from(i % 3)),
                ..Measurements::default()
            })
            .collect();
        let levels = quantise(&faces);
        let nose: Vec<&str> = levels.iter().map(|l| l["nose_width"].as_str()).collect();
        assert_eq!(
            nose,
            ["narrow", "narrow", "medium", "medium", "wide", "wide"]
        );
        assert!(!levels[2].contains_key("skin_texture"));
        assert_eq!(levels[0]["skin_texture"], "textured");
        assert_eq!(levels[5]["skin_texture"], "smooth");
        // lip redness 0, 1, 2, 0, -, 2: ranks among the five measured
        let lips: Vec<Option<&str>> = levels
            .iter()
            .map(|l| l.get("lip_color").map(String::as_str))
            .collect();
        assert_eq!(
            lips,
            [
                Some("muted"),
                Some("natural"),
                Some("vivid"),
                Some("muted"),
                None,
                Some("vivid")
            ]
        );
        let defs = measured_extras();
        for l in &levels {
            for d in &defs {
                if let Some(v) = l.get(&d.name) {
                    assert!(d.level_index(v).is_some(), "{v}");
                }
            }
        }
    }

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

    #[test]
    fn tertiles_split_in_three() {
        assert_eq!(
            tertiles(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            vec![0, 0, 1, 1, 2, 2]
        );
    }
}
