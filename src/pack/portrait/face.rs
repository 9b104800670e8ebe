//! The face itself: skin colour, age lines, nose, mouth, eyes and brows.

use super::layout::*;
use super::paint::*;
use super::{Style, Traits};
use tiny_skia::{Color, GradientStop, Mask, RadialGradient, SpreadMode, Transform};

pub(super) const SKIN: [[u8; 3]; 6] = [
    [247, 222, 204], // very light
    [236, 196, 164], // light
    [214, 163, 122], // intermediate
    [190, 134, 92],  // tan
    [143, 92, 60],   // brown
    [96, 60, 40],    // dark
];

pub(super) fn skin_color(t: &Traits, s: &Style) -> Rgb {
    let base = Rgb::from(SKIN[t.skin_tone]);
    // Shift a little towards the neighbouring tones, never past them.
    let shifted = if s.skin_shift >= 0.0 {
        let next = Rgb::from(SKIN[(t.skin_tone + 1).min(5)]);
        base.mix(next, s.skin_shift * 0.25)
    } else {
        let prev = Rgb::from(SKIN[t.skin_tone.saturating_sub(1)]);
        base.mix(prev, -s.skin_shift * 0.25)
    };
    if t.age == 3 {
        shifted.mix(Rgb(200.0, 180.0, 170.0), 0.06)
    } else {
        shifted
    }
}

pub(super) fn draw_age(
    p: &mut Painter,
    t: &Traits,
    h: &Head,
    f: &Features,
    skin: Rgb,
    mask: Option<&Mask>,
) {
    let line = skin.scale(0.6);
    let strength = [0.0, 0.12, 0.22, 0.34][t.age] + if t.smile == 2 { 0.12 } else { 0.0 };
    let m = &f.mouth;
    // Laugh lines, nose wing to past the mouth corner.
    if strength > 0.0 {
        for side in [-1.0f32, 1.0] {
            let pts = [
                (h.cx + side * (f.nose_w + 3.0), f.nose_y - 3.0),
                (h.cx + side * (m.half_w + 3.0), m.line(1.0) - 2.0),
                (h.cx + side * (m.half_w + 5.0), m.y + 8.0),
            ];
            p.stroke_in(spline(&pts, false), line.color(strength), 1.3, mask);
        }
    }
    if t.age >= 2 {
        for e in &f.eye {
            // Under-eye line.
            let pts = [
                (e.cx - e.half_w * 0.7, e.cy + e.open * 0.5 + 3.5),
                (e.cx, e.cy + e.open * 0.5 + 5.0),
                (e.cx + e.dir * e.half_w * 0.8, e.cy + e.open * 0.5 + 3.0),
            ];
            p.stroke_in(spline(&pts, false), line.color(strength * 0.8), 1.1, mask);
        }
        // Forehead.
        let lines = if t.age == 3 { 3 } else { 1 };
        for k in 0..lines {
            let y = h.ey - 34.0 - 6.0 * k as f32;
            let w = h.a * (0.42 - 0.05 * k as f32);
            let pts = [(h.cx - w, y + 1.5), (h.cx, y - 1.0), (h.cx + w, y + 1.5)];
            p.stroke_in(spline(&pts, false), line.color(strength * 0.7), 1.1, mask);
        }
    }
    if t.age == 3 {
        for e in &f.eye {
            // Crow's feet.
            for k in 0..3 {
                let dy = (k as f32 - 1.0) * 3.5;
                let x0 = e.outer.0 + e.dir * 3.0;
                let pts = [(x0, e.cy + dy * 0.5), (x0 + e.dir * 6.0, e.cy + dy * 1.3)];
                p.stroke_in(polyline(&pts, false), line.color(0.3), 1.0, mask);
            }
        }
        // Marionette lines.
        for side in [-1.0f32, 1.0] {
            let x = h.cx + side * (m.half_w + 1.0);
            let pts = [(x, m.line(1.0) + 4.0), (x + side * 1.5, m.y + 13.0)];
            p.stroke_in(polyline(&pts, false), line.color(0.22), 1.1, mask);
        }
    }
}

pub(super) fn draw_nose(p: &mut Painter, h: &Head, f: &Features, skin: Rgb) {
    let dark = skin.scale(0.62);
    let y = f.nose_y;
    let w = f.nose_w;
    // Bridge shading on one side.
    p.stroke(
        spline(
            &[
                (h.cx - 5.0, f.eye[0].cy + 2.0),
                (h.cx - 5.5, y - 12.0),
                (h.cx - 7.0, y - 5.0),
            ],
            false,
        ),
        dark.color(0.16),
        2.6,
    );
    // Shadow under the tip.
    p.shade(
        ellipse(h.cx, y + 2.0, w + 2.0, 6.0),
        soft_spot(h.cx, y + 2.0, w + 2.0, dark, 0.35),
        None,
    );
    // Wings.
    for side in [-1.0f32, 1.0] {
        let pts = [
            (h.cx + side * (w - 3.0), y - 7.0),
            (h.cx + side * (w + 0.5), y - 1.5),
            (h.cx + side * (w - 1.0), y + 2.5),
            (h.cx + side * (w - 4.5), y + 3.0),
        ];
        p.stroke(spline(&pts, false), dark.color(0.55), 1.4);
        // Nostril.
        p.fill(
            ellipse(h.cx + side * (w * 0.42), y + 2.6, 2.6, 1.4),
            skin.scale(0.38).color(0.75),
        );
    }
    // Tip highlight.
    p.fill(
        ellipse(h.cx, y - 3.5, 3.5, 2.5),
        skin.lighten(0.35).color(0.35),
    );
}

pub(super) fn lip_color(t: &Traits, skin: Rgb) -> Rgb {
    let rose = if t.male() {
        Rgb(176.0, 92.0, 86.0)
    } else {
        Rgb(192.0, 72.0, 84.0)
    };
    let amount = if t.male() { 0.35 } else { 0.52 };
    skin.mix(rose, amount)
        .scale(if t.skin_tone >= 4 { 0.85 } else { 0.95 })
}

pub(super) fn draw_mouth(p: &mut Painter, t: &Traits, f: &Features, skin: Rgb) {
    let m = &f.mouth;
    let lip = lip_color(t, skin);
    let line = lip.scale(0.5);
    // Upper lip.
    let mut upper = m.curve(Mouth::upper_outer, -1.0, 1.0);
    upper.extend(m.curve(Mouth::line, 1.0, -1.0));
    p.fill(polyline(&upper, true), lip.scale(0.9).color(1.0));
    // Lower lip.
    let mut lower = m.curve(Mouth::opening_bottom, -1.0, 1.0);
    lower.extend(m.curve(Mouth::lower_outer, 1.0, -1.0));
    p.fill(polyline(&lower, true), lip.color(1.0));
    // Highlight on the lower lip.
    let hy = m.opening_bottom(0.0) + m.lower * 0.45;
    p.fill(
        ellipse(m.cx + 1.5, hy, m.half_w * 0.3, m.lower * 0.18),
        lip.lighten(0.45).color(0.45),
    );
    if m.open > 0.0 {
        // Open mouth with upper teeth.
        let mut hole = m.curve(Mouth::line, -1.0, 1.0);
        hole.extend(m.curve(Mouth::opening_bottom, 1.0, -1.0));
        let hole = polyline(&hole, true);
        p.fill(hole.clone(), Rgb(86.0, 34.0, 38.0).color(1.0));
        let mask = p.mask(&hole);
        let teeth_h = m.open * 0.72;
        let mut teeth = m.curve(Mouth::line, -0.85, 0.85);
        teeth.extend(m.curve(Mouth::line, 0.85, -0.85).into_iter().map(|(x, y)| {
            (
                x,
                y + teeth_h * (1.0 - ((x - m.cx) / m.half_w).powi(2) * 0.6),
            )
        }));
        p.fill_in(
            polyline(&teeth, true),
            Rgb(246.0, 242.0, 232.0).color(1.0),
            mask.as_ref(),
        );
        p.stroke(hole, line.color(0.7), 0.9);
    } else {
        p.stroke(
            polyline(&m.curve(Mouth::line, -1.0, 1.0), false),
            line.color(0.85),
            1.3,
        );
    }
    // Corners.
    for side in [-1.0f32, 1.0] {
        let (x, y) = (m.x(side), m.line(side));
        let pts = [
            (x - side * 2.0, y + 0.3),
            (x + side * 1.5, y - 0.8 - m.lift * 0.25),
        ];
        p.stroke(polyline(&pts, false), line.color(0.5), 1.2);
    }
}

pub(super) fn draw_eyes(
    p: &mut Painter,
    t: &Traits,
    s: &Style,
    f: &Features,
    skin: Rgb,
    hair: Rgb,
) {
    let iris = Rgb::from(s.iris);
    let liner = Rgb(40.0, 28.0, 26.0).mix(hair, 0.15);
    for e in &f.eye {
        let shape = e.shape();
        p.fill(shape.clone(), Rgb(246.0, 243.0, 238.0).color(1.0));
        let mask = p.mask(&shape);
        let r = (e.half_w * 0.58).max(e.open * 0.55);
        let ix = e.cx - e.dir * 0.4;
        let iy = e.cy - e.open * 0.08;
        p.fill_in(ellipse(ix, iy, r, r), iris.color(1.0), mask.as_ref());
        p.shade(
            ellipse(ix, iy, r, r),
            RadialGradient::new(
                pt(ix, iy),
                r * 0.3,
                pt(ix, iy),
                r,
                vec![
                    GradientStop::new(0.0, iris.lighten(0.25).color(0.0)),
                    GradientStop::new(1.0, iris.scale(0.55).color(0.9)),
                ],
                SpreadMode::Pad,
                Transform::identity(),
            ),
            mask.as_ref(),
        );
        p.fill_in(
            ellipse(ix, iy, r * 0.45, r * 0.45),
            Rgb(16.0, 12.0, 12.0).color(1.0),
            mask.as_ref(),
        );
        // Shadow cast by the upper lid.
        p.stroke_in(
            e.upper_lid(0.0),
            skin.scale(0.45).color(0.35),
            3.2,
            mask.as_ref(),
        );
        // Catch light, same side on both eyes.
        p.fill_in(
            ellipse(ix - r * 0.38, iy - r * 0.4, r * 0.26, r * 0.26),
            Color::from_rgba8(255, 255, 255, 235),
            mask.as_ref(),
        );
        // Lid crease.
        let crease = [0.15, 0.5, 0.9].map(|t| {
            let (x, y) = e.upper_at(t);
            (x, y - 3.0 - e.open * 0.12)
        });
        p.stroke(spline(&crease, false), skin.scale(0.6).color(0.45), 1.1);
        // Upper lid line, lashes on women.
        let lid_w = if t.male() { 1.5 } else { 2.3 };
        p.stroke(e.upper_lid(0.0), liner.color(0.95), lid_w);
        if !t.male() {
            for k in 0..3 {
                let tt = 0.72 + 0.12 * k as f32;
                let (x, y) = e.upper_at(tt);
                let len = 2.0 + k as f32 * 0.6;
                p.stroke(
                    polyline(&[(x, y), (x + e.dir * len, y - len * 0.9)], false),
                    liner.color(0.9),
                    1.1,
                );
            }
        }
        p.stroke(e.lower_lid(), skin.scale(0.5).color(0.35), 0.9);
    }
}

pub(super) fn draw_brows(p: &mut Painter, t: &Traits, f: &Features, hair: Rgb) {
    let color = if t.hair_length == 0 && t.hair_color == 0 {
        hair.scale(0.75)
    } else {
        hair
    };
    for (k, brow) in f.brow.iter().enumerate() {
        // Tapered: thick at the inner end.
        let n = brow.len();
        let mut top = Vec::with_capacity(n);
        let mut bottom = Vec::with_capacity(n);
        for (i, &(x, y)) in brow.iter().enumerate() {
            // Position from the inner (0) to the outer (1) end.
            let pos = if k == 0 {
                1.0 - i as f32 / (n - 1) as f32
            } else {
                i as f32 / (n - 1) as f32
            };
            let w = f.brow_width * (1.0 - 0.6 * pos.powf(1.5));
            top.push((x, y - w * 0.5));
            bottom.push((x, y + w * 0.5));
        }
        bottom.reverse();
        top.extend(bottom);
        let path = polyline(&top, true);
        p.fill(path.clone(), color.color(0.95));
    }
}
