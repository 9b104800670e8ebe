//! The mouth: its shape, the teeth it shows and the colour of the lips.

use super::frame::{pixel, sample_rect, share, Frame};
use super::Measurements;
use crate::math::colour::srgb_to_lab;
use crate::math::points::{dist, inside, Point as P};
use image::RgbImage;

/// How much redder the lips are than the skin: the median a* (green-red) of
/// the pixels between the outer and inner lip outlines (points 48-59 and
/// 60-67, so neither teeth nor the mouth's opening count), on a 0.02 IOD
/// grid, minus the skin's a*. Lipstick and flushed lips are high, lips close
/// to the skin's colour low; a difference, so the photo's colour cast mostly
/// cancels. Raters' taste follows it: on MEBeauty redder lips were rated
/// higher (Spearman +0.25 women, +0.25 men between the level and the mean
/// rating), on 3dsk's studio portraits lower (−0.12, −0.28), so it is left
/// to each player's model which way it counts. `None` when fewer than 8 lip pixels are in the image.
pub(super) fn lip_redness(img: &RgbImage, frame: &Frame, f: &[P], skin: [f64; 3]) -> Option<f64> {
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

/// The mouth's lift, width and opening, the teeth it shows, and the lips'
/// fullness and redness (`skin_lab`: the skin's colour).
pub(super) fn measure_mouth(
    m: &mut Measurements,
    img: &RgbImage,
    frame: &Frame,
    f: &[P],
    skin_lab: [f64; 3],
) {
    let lip_centre_y = (f[51].1 + f[57].1) / 2.0;
    m.mouth_lift = lip_centre_y - (f[48].1 + f[54].1) / 2.0;
    m.mouth_width = dist(f[48], f[54]);
    m.mouth_open = ((f[66].1 - f[62].1) + (f[65].1 - f[63].1) + (f[67].1 - f[61].1)) / 3.0;
    if m.mouth_open > 0.02 {
        let inner = sample_rect(
            img,
            frame,
            (f[61].0.min(f[67].0), f[63].0.max(f[65].0)),
            (f[62].1, f[66].1),
            8,
        );
        m.teeth = share(&inner, |c| {
            c[0] > skin_lab[0] + 5.0 && (c[1].powi(2) + c[2].powi(2)).sqrt() < 18.0
        });
    }
    // Lips: upper plus lower lip height over mouth width.
    let upper = (dist(f[50], f[61]) + dist(f[52], f[63])) / 2.0;
    let lower = (dist(f[58], f[67]) + dist(f[56], f[65])) / 2.0;
    m.lip_ratio = (upper + lower) / m.mouth_width.max(1e-6);
    m.lip_redness = lip_redness(img, frame, f, skin_lab);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::points::lerp;
    use crate::vision::measure::frame::test_points::cheek_points;

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
}
