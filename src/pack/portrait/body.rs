//! Everything around the face: neck, clothes, ears, earrings, the face's
//! shading, and glasses.

use super::layout::*;
use super::paint::*;
use super::{Style, Traits, DESIGN};
use tiny_skia::{
    Color, GradientStop, LinearGradient, Mask, PathBuilder, RadialGradient, Rect, SpreadMode,
    Transform,
};

/// The neck, its shadow under the chin, and the clothes over the shoulders
/// with their light, folds and neckline.
// Long because: the strokes share the neck's and shoulders' geometry and
// are drawn in a fixed order; split up, the order (and so the bundled
// pack's pixels) would be easy to change by accident.
pub(super) fn draw_neck_and_clothes(p: &mut Painter, t: &Traits, s: &Style, h: &Head, skin: Rgb) {
    let nw = h.neck;
    let top = h.ey + h.b * 0.5;
    let neck = polyline(
        &[
            (h.cx - nw, top),
            (h.cx - nw - 1.0, h.chin_y() + 20.0),
            (h.cx - nw - 6.0, 262.0),
            (h.cx + nw + 6.0, 262.0),
            (h.cx + nw + 1.0, h.chin_y() + 20.0),
            (h.cx + nw, top),
        ],
        true,
    );
    p.fill(neck.clone(), skin.scale(0.93).color(1.0));
    // Shadow under the chin.
    let chin = h.chin_y();
    p.shade(
        neck,
        LinearGradient::new(
            pt(0.0, chin - 4.0),
            pt(0.0, chin + 22.0),
            vec![
                GradientStop::new(0.0, skin.scale(0.62).color(0.8)),
                GradientStop::new(1.0, skin.scale(0.62).color(0.0)),
            ],
            SpreadMode::Pad,
            Transform::identity(),
        ),
        None,
    );

    let cloth = Rgb::from(s.clothing);
    let shoulder_y = chin + if t.male() { 26.0 } else { 30.0 };
    let width = if t.male() { 120.0 } else { 108.0 };
    let neck_out = nw + 8.0;
    let mut body = PathBuilder::new();
    body.move_to(h.cx - width - 20.0, 300.0);
    body.line_to(h.cx - width - 8.0, shoulder_y + 40.0);
    body.cubic_to(
        h.cx - width,
        shoulder_y + 8.0,
        h.cx - width * 0.6,
        shoulder_y - 2.0,
        h.cx - neck_out,
        shoulder_y - 8.0,
    );
    match s.neckline {
        1 => {
            body.line_to(h.cx, shoulder_y + 32.0);
            body.line_to(h.cx + neck_out, shoulder_y - 8.0);
        }
        3 => {
            // Turtleneck: the collar covers the neck.
            body.line_to(h.cx - nw - 2.0, chin + 12.0);
            body.quad_to(h.cx, chin + 18.0, h.cx + nw + 2.0, chin + 12.0);
            body.line_to(h.cx + neck_out, shoulder_y - 8.0);
        }
        _ => {
            body.quad_to(h.cx, shoulder_y + 22.0, h.cx + neck_out, shoulder_y - 8.0);
        }
    }
    body.cubic_to(
        h.cx + width * 0.6,
        shoulder_y - 2.0,
        h.cx + width,
        shoulder_y + 8.0,
        h.cx + width + 8.0,
        shoulder_y + 40.0,
    );
    body.line_to(h.cx + width + 20.0, 300.0);
    body.close();
    let body = body.finish();
    p.fill(body.clone(), cloth.color(1.0));
    let body_mask = p.mask(&body);
    // Gentle light from above.
    p.shade(
        body,
        LinearGradient::new(
            pt(0.0, shoulder_y - 10.0),
            pt(0.0, 260.0),
            vec![
                GradientStop::new(0.0, cloth.lighten(0.18).color(0.6)),
                GradientStop::new(1.0, cloth.scale(0.8).color(0.6)),
            ],
            SpreadMode::Pad,
            Transform::identity(),
        ),
        None,
    );
    let fold = cloth.scale(0.7).color(0.55);
    // Arm creases.
    for side in [-1.0f32, 1.0] {
        p.stroke_in(
            spline(
                &[
                    (h.cx + side * (width - 18.0), shoulder_y + 30.0),
                    (h.cx + side * (width - 24.0), shoulder_y + 50.0),
                    (h.cx + side * (width - 26.0), 262.0),
                ],
                false,
            ),
            fold,
            1.6,
            body_mask.as_ref(),
        );
    }
    match s.neckline {
        2 => {
            // Shirt collar points, in a lighter shade.
            let collar = cloth.lighten(0.55);
            for side in [-1.0f32, 1.0] {
                let c = polyline(
                    &[
                        (h.cx + side * (nw + 2.0), shoulder_y - 14.0),
                        (h.cx + side * (neck_out + 10.0), shoulder_y - 6.0),
                        (h.cx + side * 9.0, shoulder_y + 26.0),
                        (h.cx + side * 2.0, shoulder_y + 14.0),
                    ],
                    true,
                );
                p.fill(c.clone(), collar.color(1.0));
                p.stroke(c, collar.scale(0.75).color(1.0), 1.0);
            }
        }
        3 => {
            for k in 1..3 {
                let y = chin + 12.0 + 5.0 * k as f32;
                p.stroke(
                    spline(
                        &[(h.cx - nw - 2.0, y), (h.cx, y + 5.0), (h.cx + nw + 2.0, y)],
                        false,
                    ),
                    fold,
                    1.2,
                );
            }
        }
        _ => {
            // A hem along the neckline.
            let mut hem = PathBuilder::new();
            hem.move_to(h.cx - neck_out, shoulder_y - 8.0);
            if s.neckline == 1 {
                hem.line_to(h.cx, shoulder_y + 32.0);
                hem.line_to(h.cx + neck_out, shoulder_y - 8.0);
            } else {
                hem.quad_to(h.cx, shoulder_y + 22.0, h.cx + neck_out, shoulder_y - 8.0);
            }
            p.stroke(hem.finish(), cloth.scale(0.75).color(1.0), 2.2);
        }
    }
}

pub(super) fn draw_ears(p: &mut Painter, h: &Head, skin: Rgb) {
    for side in [-1.0f32, 1.0] {
        let x = h.cx + side * (h.a + 2.0);
        let y = h.ey + 10.0;
        p.fill(ellipse(x, y, 7.5, 15.0), skin.scale(0.95).color(1.0));
        p.stroke(
            spline(
                &[
                    (x - side * 1.0, y - 10.0),
                    (x + side * 3.5, y - 4.0),
                    (x + side * 2.5, y + 6.0),
                    (x - side * 1.5, y + 9.0),
                ],
                false,
            ),
            skin.scale(0.68).color(0.8),
            1.8,
        );
    }
}

pub(super) fn draw_face_shading(
    p: &mut Painter,
    t: &Traits,
    h: &Head,
    f: &Features,
    skin: Rgb,
    mask: Option<&Mask>,
) {
    let shadow = skin.scale(0.7);
    let rect = Rect::from_xywh(0.0, 0.0, DESIGN, DESIGN).map(PathBuilder::from_rect);
    // Edge shading for roundness.
    p.shade(
        rect.clone(),
        RadialGradient::new(
            pt(0.0, 0.0),
            0.0,
            pt(0.0, 0.0),
            h.a * 1.3,
            vec![
                GradientStop::new(0.0, shadow.color(0.0)),
                GradientStop::new(0.62, shadow.color(0.0)),
                GradientStop::new(1.0, shadow.color(0.45)),
            ],
            SpreadMode::Pad,
            Transform::from_row(
                1.0,
                0.0,
                0.0,
                (h.b + h.skull_h) / (2.0 * h.a),
                h.cx - 4.0,
                h.ey + (h.b - h.skull_h) * 0.5,
            ),
        ),
        mask,
    );
    // Cheeks.
    let blush = Rgb(222.0, 96.0, 96.0);
    let amount = if t.male() { 0.1 } else { 0.2 } * if t.skin_tone >= 4 { 0.6 } else { 1.0 };
    for side in [-1.0f32, 1.0] {
        let cx = h.cx + side * h.a * 0.55;
        let cy = f.nose_y - 4.0;
        p.shade(
            ellipse(cx, cy, 16.0, 16.0),
            soft_spot(cx, cy, 16.0, blush, amount),
            mask,
        );
    }
    // Soft shadow under the lower lip and on the chin's underside.
    let m = &f.mouth;
    let chin_shadow_y = m.lower_outer(0.0) + 4.0;
    p.shade(
        ellipse(h.cx, chin_shadow_y, 12.0, 5.0),
        soft_spot(h.cx, chin_shadow_y, 12.0, shadow, 0.25),
        mask,
    );
    // Eye sockets.
    for e in &f.eye {
        let y = e.cy - e.open * 0.5;
        p.shade(
            ellipse(e.cx, y, e.half_w * 1.6, e.half_w * 1.6),
            soft_spot(e.cx, y, e.half_w * 1.6, shadow, 0.16),
            mask,
        );
    }
}

pub(super) fn draw_earrings(p: &mut Painter, s: &Style, h: &Head) {
    let metal = Rgb::from(s.frame_color).mix(Rgb(222.0, 184.0, 90.0), 0.7);
    for side in [-1.0f32, 1.0] {
        let x = h.cx + side * (h.a + 2.5);
        let y = h.ey + 26.0;
        p.fill(ellipse(x, y, 2.6, 2.6), metal.color(1.0));
        p.fill(
            ellipse(x - 0.8, y - 0.8, 0.9, 0.9),
            metal.lighten(0.6).color(1.0),
        );
    }
}

pub(super) fn draw_glasses(p: &mut Painter, s: &Style, h: &Head, f: &Features) {
    let frame = Rgb::from(s.frame_color);
    let width = if s.frame_shape == 0 { 1.8 } else { 2.6 };
    let mut lenses = Vec::new();
    for e in &f.eye {
        let cy = e.cy + 1.0;
        let rx = e.half_w + 6.0;
        let ry = match s.frame_shape {
            0 => rx * 0.95,
            1 => e.half_w * 0.8 + 4.0,
            _ => e.half_w * 0.85 + 4.5,
        };
        let lens = match s.frame_shape {
            0 => ellipse(e.cx, cy, rx, ry),
            _ => {
                let mut pb = PathBuilder::new();
                let (l, r, t, b) = (e.cx - rx, e.cx + rx, cy - ry, cy + ry);
                let c = 5.0;
                pb.move_to(l + c, t);
                pb.line_to(r - c, t);
                pb.quad_to(r, t, r, t + c);
                pb.line_to(r - 1.0, b - c);
                pb.quad_to(r - 1.5, b, r - c - 1.0, b);
                pb.line_to(l + c + 1.0, b);
                pb.quad_to(l + 1.5, b, l + 1.0, b - c);
                pb.line_to(l, t + c);
                pb.quad_to(l, t, l + c, t);
                pb.close();
                pb.finish()
            }
        };
        p.fill(lens.clone(), Color::from_rgba8(235, 245, 255, 30));
        lenses.push((lens, e.cx, cy, rx, ry, e.dir));
    }
    for (lens, cx, cy, rx, ry, dir) in &lenses {
        // Reflection streak.
        let mask = p.mask(lens);
        p.stroke_in(
            polyline(
                &[
                    (cx - rx * 0.6, cy + ry * 0.2),
                    (cx - rx * 0.1, cy - ry * 0.7),
                ],
                false,
            ),
            Color::from_rgba8(255, 255, 255, 60),
            3.0,
            mask.as_ref(),
        );
        p.stroke(lens.clone(), frame.color(1.0), width);
        if s.frame_shape == 2 {
            // Browline: heavy top rim.
            p.stroke(
                polyline(&[(cx - rx, cy - ry + 1.0), (cx + rx, cy - ry + 1.0)], false),
                frame.color(1.0),
                4.0,
            );
        }
        // Temple arm towards the ear.
        let x0 = cx + dir * rx;
        let x1 = h.cx + dir * (h.a + 1.0);
        p.stroke(
            polyline(&[(x0, cy - ry * 0.5), (x1, cy - ry * 0.6)], false),
            frame.color(1.0),
            width,
        );
    }
    // Bridge.
    let l = &lenses[0];
    let r = &lenses[1];
    let y = l.2 - l.4 * 0.35;
    p.stroke(
        spline(&[(l.1 + l.3, y), (h.cx, y - 3.0), (r.1 - r.3, y)], false),
        frame.color(1.0),
        width,
    );
}
