//! Hair: its colour, the hair behind the head, the hairline and the hair
//! in front, and a bald scalp.

use super::layout::*;
use super::paint::*;
use super::{Style, Traits};
use tiny_skia::{Color, PathBuilder};

pub(super) const HAIR: [[u8; 3]; 6] = [
    [178, 176, 172], // grey
    [222, 186, 112], // blonde
    [176, 78, 38],   // red
    [140, 98, 60],   // light brown
    [78, 50, 32],    // dark brown
    [30, 26, 26],    // black
];

pub(super) fn hair_color(t: &Traits, s: &Style) -> Rgb {
    let base = Rgb::from(HAIR[t.hair_color]);
    let c = if s.hair_shift >= 0.0 {
        base.lighten(s.hair_shift * 0.12)
    } else {
        base.scale(1.0 + s.hair_shift * 0.12)
    };
    if t.hair_color == 0 && t.age == 3 {
        c.lighten(0.2)
    } else {
        c
    }
}

/// Colour of brows and facial hair: a little darker than the head hair.
pub(super) fn hair_for_face(t: &Traits, hair: Rgb) -> Rgb {
    match t.hair_color {
        0 => hair.scale(0.8),
        1 => hair.mix(Rgb(120.0, 88.0, 50.0), 0.45),
        2 => hair.scale(0.85),
        _ => hair.scale(0.9),
    }
}

pub(super) fn draw_hair_back(p: &mut Painter, t: &Traits, s: &Style, h: &Head, hair: Rgb) {
    if t.hair_length < 2 {
        return;
    }
    let long = t.hair_length == 3;
    let v = 7.0 + 6.0 * s.volume;
    let bottom = if long {
        238.0 + 10.0 * s.volume
    } else if t.male() {
        h.chin_y() - 18.0
    } else {
        h.chin_y() - 8.0
    };
    let flare = if long { 14.0 + 10.0 * s.volume } else { 6.0 };
    let mut pts = Vec::new();
    pts.push((h.cx + h.a * 0.5, bottom - 6.0));
    pts.push((h.cx + h.skull_a + v + flare, bottom));
    pts.push((
        h.cx + h.skull_a + v + flare * 0.45,
        h.ey + (bottom - h.ey) * 0.55,
    ));
    for i in 0..=12 {
        let alpha = std::f32::consts::PI * i as f32 / 12.0;
        pts.push(h.skull(alpha, v));
    }
    pts.push((
        h.cx - h.skull_a - v - flare * 0.45,
        h.ey + (bottom - h.ey) * 0.55,
    ));
    pts.push((h.cx - h.skull_a - v - flare, bottom));
    pts.push((h.cx - h.a * 0.5, bottom - 6.0));
    let path = spline(&pts, true);
    p.fill(path, hair.scale(0.72).color(1.0));
}

/// The hairline across the forehead, from the left temple to the right one,
/// and where the parting meets it, if there is one.
pub(super) fn hairline(t: &Traits, s: &Style, h: &Head) -> (Vec<Pt>, Option<Pt>) {
    let side = s.part_side;
    let a = h.a;
    let top = h.ey - 48.0 + if t.male() && t.age >= 2 { -5.0 } else { 0.0 };
    let temple_y = h.ey - 22.0;
    let lt = (h.cx - a * 0.92, temple_y);
    let rt = (h.cx + a * 0.92, temple_y);
    let female = !t.male();
    match (female, t.hair_length, s.hair_variant) {
        // Blunt bangs.
        (true, 2..=3, 2) => (
            vec![
                lt,
                (h.cx - a * 0.8, h.ey - 27.0),
                (h.cx, h.ey - 27.0),
                (h.cx + a * 0.8, h.ey - 27.0),
                rt,
            ],
            None,
        ),
        // Side-swept fringe across the forehead.
        (true, _, 1) | (false, 2..=3, 1) => {
            let part = (h.cx + side * a * 0.38, top - 4.0);
            let low = (h.cx - side * a * 0.55, h.ey - 28.0);
            let mut pts = vec![
                (h.cx - side * a * 0.92, temple_y),
                low,
                (h.cx - side * a * 0.05, h.ey - 34.0),
                part,
                (h.cx + side * a * 0.7, top + 6.0),
                (h.cx + side * a * 0.92, temple_y),
            ];
            if side < 0.0 {
                pts.reverse();
            }
            (pts, Some(part))
        }
        // Centre parting.
        (true, _, 0) => (
            vec![
                lt,
                (h.cx - a * 0.6, top + 6.0),
                (h.cx - a * 0.15, top + 1.0),
                (h.cx, top - 2.0),
                (h.cx + a * 0.15, top + 1.0),
                (h.cx + a * 0.6, top + 6.0),
                rt,
            ],
            Some((h.cx, top - 2.0)),
        ),
        // Male crew cut / quiff and swept back: an M-shaped hairline.
        _ => {
            let recede = if t.male() { 4.0 * t.age as f32 } else { 0.0 };
            let part = (s.hair_variant == 1).then_some((h.cx + side * a * 0.4, top + 2.0));
            let pts = vec![
                (lt.0, temple_y - 2.0),
                (h.cx - a * 0.62, top + 3.0 - recede),
                (h.cx - a * 0.25, top + 1.0),
                (h.cx + side * a * 0.05, top + 2.0),
                (h.cx + a * 0.25, top + 1.0),
                (h.cx + a * 0.62, top + 3.0 - recede),
                (rt.0, temple_y - 2.0),
            ];
            (pts, part)
        }
    }
}

/// The hair in front: its outline by length and style, then strands, the
/// parting and the sheen, clipped to it.
// Long because: one seeded texture stream runs through every stroke in
// order; split up, the draws (and so the bundled pack's pixels) would be
// easy to reorder by accident.
pub(super) fn draw_hair_front(
    p: &mut Painter,
    t: &Traits,
    s: &Style,
    h: &Head,
    hair: Rgb,
    tex: &mut rand_chacha::ChaCha8Rng,
) {
    use rand::Rng;
    if t.hair_length == 0 {
        draw_bald(p, t, h, hair);
        return;
    }
    let curly = s.hair_variant == 3;
    let v = if t.hair_length == 1 && t.male() {
        [4.0, 6.0, 9.0, 8.0][s.hair_variant as usize % 4]
    } else {
        7.0
    } + 6.0 * s.volume;
    let outer_at = |alpha: f32, tex: &mut rand_chacha::ChaCha8Rng| {
        // Quiff: more volume at the front top on the parting's far side.
        let mut grow = v;
        if t.male() && t.hair_length == 1 && s.hair_variant == 2 {
            let c = (alpha - std::f32::consts::FRAC_PI_2 - 0.25 * s.part_side).cos();
            grow += 6.0 * c.max(0.0).powi(4);
        }
        if curly {
            grow += 3.0 * (alpha * 18.0).sin().abs() + tex.random_range(0.0..1.0);
        }
        h.skull(alpha, grow)
    };
    let mut pts: Vec<(f32, f32)> = Vec::new();
    let (hl, part) = hairline(t, s, h);
    match t.hair_length {
        1 => {
            // Short: a cap down to the top of the ears, sideburns in front.
            let side_bottom = if t.male() { h.ey + 8.0 } else { h.ey + 2.0 };
            let in_x = h.a - if t.male() { 6.0 } else { 4.0 };
            pts.push((h.cx + in_x, side_bottom));
            pts.push((h.cx + h.skull_a + v * 0.5, side_bottom - 2.0));
            let steps = if curly { 60 } else { 14 };
            for i in 0..=steps {
                let alpha = -0.05 + (std::f32::consts::PI + 0.1) * i as f32 / steps as f32;
                pts.push(outer_at(alpha, tex));
            }
            pts.push((h.cx - h.skull_a - v * 0.5, side_bottom - 2.0));
            pts.push((h.cx - in_x, side_bottom));
            pts.push((h.cx - in_x + 1.0, h.ey - 12.0));
            pts.extend(hl.iter().copied());
            pts.push((h.cx + in_x - 1.0, h.ey - 12.0));
        }
        _ => {
            // Medium and long: locks framing the face.
            let long = t.hair_length == 3;
            let bottom = if long {
                236.0 + 12.0 * s.volume
            } else if t.male() {
                h.chin_y() - 16.0
            } else {
                h.chin_y() - 6.0
            };
            let flare = if long { 12.0 + 8.0 * s.volume } else { 4.0 };
            let inner_low = if long {
                h.neck + 6.0
            } else {
                h.half_width_at(bottom) + 4.0
            };
            pts.push((h.cx + inner_low, bottom - 3.0));
            pts.push((h.cx + h.skull_a + v + flare, bottom));
            pts.push((
                h.cx + h.skull_a + v + flare * 0.4,
                h.ey + (bottom - h.ey) * 0.5,
            ));
            let steps = if curly { 60 } else { 14 };
            for i in 0..=steps {
                let alpha = std::f32::consts::PI * i as f32 / steps as f32;
                pts.push(outer_at(alpha, tex));
            }
            pts.push((
                h.cx - h.skull_a - v - flare * 0.4,
                h.ey + (bottom - h.ey) * 0.5,
            ));
            pts.push((h.cx - h.skull_a - v - flare, bottom));
            pts.push((h.cx - inner_low, bottom - 3.0));
            // Inner edge of the left lock, up the cheek.
            let cheek = h.a * if t.male() { 0.97 } else { 0.9 };
            if long {
                pts.push((h.cx - h.a * 0.74, h.chin_y() - 4.0));
            }
            pts.push((h.cx - cheek, h.ey + h.b * 0.45));
            pts.push((h.cx - h.a * 0.86, h.ey - 4.0));
            pts.extend(hl.iter().copied());
            pts.push((h.cx + h.a * 0.86, h.ey - 4.0));
            pts.push((h.cx + cheek, h.ey + h.b * 0.45));
            if long {
                pts.push((h.cx + h.a * 0.74, h.chin_y() - 4.0));
            }
        }
    }
    let path = spline(&pts, true);
    p.fill(path.clone(), hair.color(1.0));
    let mask = p.mask(&path);
    // Strands and sheen, clipped to the hair: arcs following the skull, and
    // falling strands on the locks.
    let light = hair.lighten(0.3);
    let dark = hair.scale(0.62);
    let pi = std::f32::consts::PI;
    let arcs = if curly { 6 } else { 14 };
    for i in 0..arcs {
        let inset = tex.random_range(2.0..16.0f32);
        let a0 = pi * tex.random_range(0.08..0.55f32);
        let a1 = (a0 + pi * tex.random_range(0.15..0.4f32)).min(pi * 0.95);
        let arc: Vec<_> = (0..=6)
            .map(|k| h.skull(a0 + (a1 - a0) * k as f32 / 6.0, v - inset))
            .collect();
        let c = if i % 3 == 0 { light } else { dark };
        p.stroke_in(spline(&arc, false), c.color(0.3), 1.1, mask.as_ref());
    }
    if t.hair_length >= 2 {
        let bottom = if t.hair_length == 3 {
            236.0
        } else {
            h.chin_y() - 8.0
        };
        for i in 0..10 {
            let side = if i % 2 == 0 { -1.0 } else { 1.0 };
            let inset = tex.random_range(2.0..12.0f32);
            let x0 = h.cx + side * (h.skull_a + v - inset);
            let pts = [
                (x0 - side * 2.0, h.ey - 30.0),
                (x0 + side * 1.0, h.ey + 10.0),
                (x0 + side * (2.0 + 6.0 * s.volume), bottom - 6.0),
            ];
            let c = if i % 3 == 0 { light } else { dark };
            p.stroke_in(spline(&pts, false), c.color(0.3), 1.1, mask.as_ref());
        }
    }
    if let Some((px, py)) = part {
        let crown = h.skull(std::f32::consts::FRAC_PI_2 - 0.3 * s.part_side, v - 8.0);
        let pts = [
            (px, py + 1.0),
            (px + (crown.0 - px) * 0.3, py - 10.0),
            crown,
        ];
        p.stroke_in(
            spline(&pts, false),
            dark.scale(0.8).color(0.6),
            1.4,
            mask.as_ref(),
        );
    }
    // Sheen on the crown.
    let sheen = [0.35, 0.5, 0.65].map(|q| h.skull(pi * q, v - 6.0));
    p.stroke_in(spline(&sheen, false), light.color(0.22), 6.0, mask.as_ref());
    if curly {
        // Curls: small soft blobs, darker and lighter.
        let mut darks = PathBuilder::new();
        let mut lights = PathBuilder::new();
        for i in 0..70 {
            let alpha = tex.random_range(-0.05..pi + 0.05);
            let (x, y) = h.skull(alpha, v - tex.random_range(1.0..14.0));
            let r = tex.random_range(1.6..2.8);
            if i % 2 == 0 {
                darks.push_circle(x, y, r);
            } else {
                lights.push_circle(x, y, r * 0.8);
            }
        }
        p.fill_in(darks.finish(), dark.color(0.4), mask.as_ref());
        p.fill_in(lights.finish(), light.color(0.25), mask.as_ref());
    }
}

pub(super) fn draw_bald(p: &mut Painter, t: &Traits, h: &Head, hair: Rgb) {
    // Scalp highlight.
    let (x, y) = h.skull(std::f32::consts::FRAC_PI_2 + 0.35, -14.0);
    p.fill(
        ellipse(x, y, 14.0, 8.0),
        Color::from_rgba8(255, 255, 255, 40),
    );
    if !t.male() || t.age < 2 {
        return;
    }
    // A fringe of short hair at the sides, above and behind the ears.
    for side in [-1.0f32, 1.0] {
        let mut pts = Vec::new();
        for i in 0..=6 {
            let alpha = 0.3 - 0.4 * i as f32 / 6.0;
            let (x, y) = h.skull(alpha, 1.5);
            pts.push((h.cx + side * (x - h.cx), y));
        }
        for i in (0..=6).rev() {
            let alpha = 0.3 - 0.4 * i as f32 / 6.0;
            let taper = 1.0 - (2.0 * i as f32 / 6.0 - 1.0).powi(2);
            let (x, y) = h.skull(alpha, 1.5 - 3.5 * taper);
            pts.push((h.cx + side * (x - h.cx), y));
        }
        p.fill(spline(&pts, true), hair.color(0.8));
    }
}
