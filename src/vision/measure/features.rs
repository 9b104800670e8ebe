//! The rest of the face: eyes, brows, outline, facial hair and glasses.

use super::frame::{luminance, sample_rect, vertical_gradient, Frame};
use super::Measurements;
use crate::core::tuning::BROW_DARKER_BY;
use crate::math::colour::median_lab;
use crate::math::points::{dist, lerp, Point as P};
use image::RgbImage;

/// Glasses: a frame's bridge crosses the nose between the eyes and its rims
/// run under the eyes, both horizontal edges where bare skin is smooth. Both
/// must show (the weaker counts), against the edges on the cheeks lower down,
/// so a textured or noisy photo does not pass for glasses.
pub(super) fn glasses_score(img: &RgbImage, frame: &Frame) -> f64 {
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

/// Eye opening, brow thickness, the face's outline, facial hair, glasses
/// and the nose's width (`skin_lab`: the skin's colour).
pub(super) fn measure_features(
    m: &mut Measurements,
    img: &RgbImage,
    frame: &Frame,
    f: &[P],
    skin_lab: [f64; 3],
) {
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
                luminance(img, frame.to_image(f[i].0, y))
                    .is_some_and(|l| l < skin_lab[0] - BROW_DARKER_BY)
            })
            .count();
        thickness.push(0.35 * dark as f64 / steps as f64);
    }
    m.brow_thickness = thickness.iter().sum::<f64>() / thickness.len() as f64;

    // Face outline.
    let brow_y = f[17..27].iter().map(|q| q.1).sum::<f64>() / 10.0;
    let face_width = dist(f[0], f[16]).max(1e-6);
    m.face_aspect = (f[8].1 - brow_y) / face_width;
    m.jaw_ratio = dist(f[4], f[12]) / face_width;

    facial_hair(m, img, frame, f, skin_lab);
    m.glasses = glasses_score(img, frame);
    m.nose_width = dist(f[31], f[35]);
}

/// Facial hair: relative darkening of the chin and jaw (`beard`) and of
/// the upper lip (`moustache`) against the skin.
fn facial_hair(m: &mut Measurements, img: &RgbImage, frame: &Frame, f: &[P], skin_lab: [f64; 3]) {
    let region_l = |c: P, rx: f64, ry: f64| {
        median_lab(&sample_rect(
            img,
            frame,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::tuning::GLASSES_CUT;
    use crate::vision::measure::frame::test_points::cheek_points;

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
}
