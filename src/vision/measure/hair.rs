//! The hair: its colour over the head and how far it reaches beside the
//! jaw and the neck.

use super::frame::{jaw_band, pixel, sample_rect, share, Frame};
use super::Measurements;
use crate::core::tuning::{HAIR_LIKE_BELOW, HAIR_NOT_BACKGROUND_BELOW, HAIR_NOT_SKIN_BELOW};
use crate::math::colour::{delta_e, median_lab, srgb_to_lab};
use crate::math::points::Point as P;
use image::RgbImage;

/// Hair colour of hair pixels: the median of the darker half. Hair is lit
/// unevenly and its sheen is nearly white whatever the pigment, so the darker
/// half shows the colour (as the 25th percentile of lightness).
pub(super) fn hair_colour(mut pixels: Vec<[f64; 3]>) -> Option<[f64; 3]> {
    pixels.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let half = pixels.len().div_ceil(2);
    median_lab(&pixels[..half])
}

/// The background's colour: the median of the image's top corners.
fn background(img: &RgbImage) -> Option<[f64; 3]> {
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
    median_lab(&bg)
}

/// The hair over the head and beside the face: `hair_top`, `skin_top`,
/// `hair_lab` and, where hair was found, `hair_side` and `hair_below`.
pub(super) fn measure_hair(
    m: &mut Measurements,
    img: &RgbImage,
    frame: &Frame,
    f: &[P],
    skin_lab: [f64; 3],
) {
    let bg_lab = background(img);
    let is_skin = |c: &[f64; 3]| delta_e(c, &skin_lab) < HAIR_NOT_SKIN_BELOW;
    let is_bg = |c: &[f64; 3]| bg_lab.is_some_and(|b| delta_e(c, &b) < HAIR_NOT_BACKGROUND_BELOW);

    // Hair above the head (from the brows, the top of the skull is about
    // 1.0-1.4 IOD up), plus the temples, where the hair shows when the top is
    // a hat or a bald scalp. `top` gives the bald shares.
    let brow_y = f[17..27].iter().map(|q| q.1).sum::<f64>() / 10.0;
    let half_width = (f[16].0 - f[0].0).abs() / 2.0;
    let top = sample_rect(
        img,
        frame,
        (-0.55, 0.55),
        (brow_y - 1.25, brow_y - 0.75),
        14,
    );
    let mut temples = Vec::new();
    for x in [-half_width, half_width] {
        temples.extend(sample_rect(
            img,
            frame,
            (x - 0.15, x + 0.15),
            (brow_y - 0.7, brow_y - 0.2),
            6,
        ));
    }
    // The hair colour is read from a wider band over the head (1.8 IOD wide,
    // 0.6-1.4 IOD above the brows), which reaches more of the hair beside a
    // hat or a high forehead (on the odd-numbered OMI faces its L* + b*
    // ranked the crowd's hair colour at 0.79 against 0.75 for `top`).
    let crown = sample_rect(img, frame, (-0.9, 0.9), (brow_y - 1.4, brow_y - 0.6), 24);
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
        // their distance) and within ΔE HAIR_LIKE_BELOW of it
        let like_hair = |c: &[f64; 3]| {
            let d = delta_e(c, &hair).min(delta_e(c, &median));
            d < HAIR_LIKE_BELOW
                && d < delta_e(c, &skin_lab)
                && bg_lab.is_none_or(|b| d < delta_e(c, &b))
        };
        hair_reach(m, img, frame, f, half_width, like_hair);
    }
}

/// How far hair-like pixels reach: beside the jaw (`hair_side`) and beside
/// the neck below the chin (`hair_below`).
fn hair_reach(
    m: &mut Measurements,
    img: &RgbImage,
    frame: &Frame,
    f: &[P],
    half_width: f64,
    like_hair: impl Fn(&[f64; 3]) -> bool,
) {
    let chin_y = f[8].1;
    // beside the jaw, following its outline: 0.05-0.35 IOD out from the
    // eye line to 1.0 IOD below it, then 0.35-0.7 IOD out down to 1.5
    // IOD (below the jaw's corner hair hangs clear of the neck)
    let mut side = jaw_band(img, frame, f, (0.0, 1.0), (0.05, 0.35));
    side.extend(jaw_band(img, frame, f, (1.0, 1.5), (0.35, 0.7)));
    m.hair_side = share(&side, &like_hair);
    let mut below = sample_rect(
        img,
        frame,
        (-half_width - 0.35, -half_width + 0.1),
        (chin_y + 0.1, chin_y + 0.7),
        8,
    );
    below.extend(sample_rect(
        img,
        frame,
        (half_width - 0.1, half_width + 0.35),
        (chin_y + 0.1, chin_y + 0.7),
        8,
    ));
    m.hair_below = share(&below, &like_hair);
}
