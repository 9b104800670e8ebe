//! The skin: its colour inside the face outline, its exposure-normalised
//! ITA°, and the fine texture of the cheeks.

use super::frame::{pixel, Frame};
use crate::core::tuning::{EXPOSURE_PULL, ITA_CLASS_CUTS, REFERENCE_SKIN_L, SKIN_CLOSE_BELOW};
use crate::math::colour::{delta_e, median_lab, srgb_to_lab};
use crate::math::points::{centroid, inside, lerp, Point as P};
use image::RgbImage;

/// Lab colours of the skin inside the face outline (jaw points 0-16 and the
/// brows), on a grid of 0.04 IOD, leaving out the brows and everything above
/// them, the eyes (ellipses 0.35 × 0.22 IOD about each eye centre), the
/// nostrils and the mouth (an ellipse a little wider than the lip corners).
/// Below the nose only pixels within ΔE 15 of the skin above it count (no
/// beard or stubble). `f`: the landmarks in the face frame.
pub(super) fn face_skin_pixels(img: &RgbImage, frame: &Frame, f: &[P]) -> Vec<[f64; 3]> {
    let mut outline: Vec<P> = f[0..17].to_vec();
    outline.extend(f[17..27].iter().rev());
    let brow_y = f[17..27].iter().map(|q| q.1).sum::<f64>() / 10.0;
    let eyes = [centroid(&f[36..42]), centroid(&f[42..48])];
    let mouth = centroid(&f[48..60]);
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
        upper.extend(
            lower
                .into_iter()
                .filter(|c| delta_e(c, &reference) < SKIN_CLOSE_BELOW),
        );
    }
    upper
}

/// Skin colour of sampled skin pixels: the middle 70% by lightness (no cast
/// shadows, no specular highlights), then those within ΔE*ab 15 of that
/// median (no lips, stubble or strands of hair; [`SKIN_CLOSE_BELOW`]);
/// channel-wise median.
pub(super) fn robust_skin(pixels: &mut [[f64; 3]]) -> Option<[f64; 3]> {
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
        .filter(|c| delta_e(c, &first) < SKIN_CLOSE_BELOW)
        .collect();
    median_lab(&close).or(Some(first))
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
pub(super) fn skin_texture(img: &RgbImage, frame: &Frame, f: &[P]) -> Option<f64> {
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
    let [very_light, light, intermediate, tan, brown] = ITA_CLASS_CUTS;
    match ita {
        a if a > very_light => "very_light",
        a if a > light => "light",
        a if a > intermediate => "intermediate",
        a if a > tan => "tan",
        a if a > brown => "brown",
        _ => "dark",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vision::measure::frame::test_points::cheek_points;

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
}
