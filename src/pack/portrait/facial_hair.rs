//! Stubble, beards and moustaches.

use super::layout::*;
use super::paint::*;
use super::Traits;
use tiny_skia::{Path, PathBuilder};

/// Region covered by a beard or stubble.
pub(super) fn beard_region(h: &Head, f: &Features, grow: f32, mouth_gap: bool) -> Option<Path> {
    let m = &f.mouth;
    let mut pts = Vec::new();
    // Along the jaw from the right sideburn, round the chin, to the left one.
    let steps = 24;
    for i in 0..=steps {
        let theta = -0.05 + (std::f32::consts::PI + 0.1) * i as f32 / steps as f32;
        let (x, y) = h.jaw(theta);
        let dx = x - h.cx;
        let dy = y - h.ey;
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let g = grow * (dy / h.b).clamp(0.0, 1.0).powf(1.5);
        pts.push((x + dx / len * g, y + dy / len * g));
    }
    // Up the left cheek and over the upper lip, back to the right.
    let cheek_y = f.nose_y + 3.0;
    let mut upper = vec![
        (h.cx - h.a * 0.98, h.ey - 2.0),
        (h.cx - h.a * 0.9, h.ey + 10.0),
        (h.cx - h.a * 0.78, cheek_y),
        (h.cx - m.half_w - 6.0, f.nose_y + 5.0),
    ];
    if mouth_gap {
        upper.push((h.cx - m.half_w * 0.4, f.nose_y + 4.5));
    }
    upper.push((h.cx, f.nose_y + 5.0));
    if mouth_gap {
        upper.push((h.cx + m.half_w * 0.4, f.nose_y + 4.5));
    }
    upper.push((h.cx + m.half_w + 6.0, f.nose_y + 5.0));
    upper.push((h.cx + h.a * 0.78, cheek_y));
    upper.push((h.cx + h.a * 0.9, h.ey + 10.0));
    upper.push((h.cx + h.a * 0.98, h.ey - 2.0));
    let mut pb = PathBuilder::new();
    pb.move_to(pts[0].0, pts[0].1);
    for q in &pts[1..] {
        pb.line_to(q.0, q.1);
    }
    let last = pts[pts.len() - 1];
    let mut back = vec![last];
    back.extend(upper);
    spline_to(&mut pb, &back);
    pb.close();
    pb.finish()
}

pub(super) fn draw_stubble(
    p: &mut Painter,
    t: &Traits,
    h: &Head,
    f: &Features,
    hair: Rgb,
    tex: &mut rand_chacha::ChaCha8Rng,
) {
    use rand::Rng;
    let region = beard_region(h, f, 0.0, true);
    let alpha = if t.skin_tone >= 4 { 0.4 } else { 0.28 };
    let dark = hair.scale(0.6).mix(Rgb(40.0, 35.0, 35.0), 0.3);
    p.fill(region.clone(), dark.color(alpha));
    let mask = p.mask(&region);
    let mut dots = PathBuilder::new();
    for _ in 0..360 {
        let x = h.cx + tex.random_range(-h.a..h.a);
        let y = h.ey + tex.random_range(h.b * 0.3..h.b + 2.0);
        dots.push_circle(x, y, 0.45);
    }
    p.fill_in(dots.finish(), dark.color(0.3), mask.as_ref());
}

pub(super) fn draw_beard(
    p: &mut Painter,
    t: &Traits,
    h: &Head,
    f: &Features,
    hair: Rgb,
    tex: &mut rand_chacha::ChaCha8Rng,
) {
    use rand::Rng;
    let grow = 8.0 + if t.age >= 2 { 4.0 } else { 0.0 };
    let region = beard_region(h, f, grow, false);
    p.stroke(region.clone(), hair.color(0.35), 3.0);
    p.fill(region.clone(), hair.color(1.0));
    let mask = p.mask(&region);
    // Strands.
    let light = hair.lighten(0.25).color(0.35);
    let dark = hair.scale(0.6).color(0.35);
    for i in 0..40 {
        let x = h.cx + tex.random_range(-h.a..h.a);
        let y = h.ey + tex.random_range(h.b * 0.35..h.b + grow);
        let len = tex.random_range(4.0..8.0);
        let lean = (x - h.cx) / h.a * 2.0;
        let c = if i % 2 == 0 { light } else { dark };
        p.stroke_in(
            polyline(&[(x, y), (x + lean, y + len)], false),
            c,
            1.0,
            mask.as_ref(),
        );
    }
}

pub(super) fn draw_moustache(p: &mut Painter, t: &Traits, f: &Features, hair: Rgb) {
    let m = &f.mouth;
    let thick = if t.facial_hair == 3 { 5.0 } else { 6.0 };
    let mut top = Vec::new();
    let mut bottom = Vec::new();
    for i in 0..=12 {
        let u = -1.08 + 2.16 * i as f32 / 12.0;
        let x = m.x(u);
        let lip = m.upper_outer(u.clamp(-1.0, 1.0)) + 0.5;
        bottom.push((x, lip + u.abs().powi(3) * 4.0));
        let rise = thick * (1.0 - 0.45 * u.abs().powi(2));
        top.push((x, (lip - rise - 1.0).max(f.nose_y + 4.0)));
    }
    bottom.reverse();
    let mut pts = top;
    pts.extend(bottom);
    p.fill(spline(&pts, true), hair.color(1.0));
    p.stroke(spline(&pts, true), hair.scale(0.75).color(0.6), 0.8);
}
