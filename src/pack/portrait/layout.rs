//! Where the face's parts go: the head's outline, the eyes, brows, nose
//! and mouth laid out from the traits, and the 68 landmarks of the drawing.

use super::paint::*;
use super::Traits;
use tiny_skia::{Path, PathBuilder};

/// Head layout in design pixels.
pub(super) struct Head {
    pub(super) cx: f32,
    /// Eye line.
    pub(super) ey: f32,
    /// Half width at the eye line.
    pub(super) a: f32,
    /// Eye line to chin.
    pub(super) b: f32,
    /// Superellipse exponent of the lower face (2 = ellipse, larger = squarer).
    pub(super) n: f32,
    /// Skull half width and height above the eye line.
    pub(super) skull_a: f32,
    pub(super) skull_h: f32,
    /// Neck half width.
    pub(super) neck: f32,
}

impl Head {
    pub(super) fn new(t: &Traits) -> Head {
        let (mut a, mut b, mut n, top): (f32, f32, f32, f32) = match t.face_shape {
            0 => (51.0, 84.0, 2.2, 0.97),
            1 => (55.0, 77.0, 2.0, 0.98),
            2 => (58.5, 74.0, 1.7, 1.01),
            3 => (60.0, 68.0, 2.05, 0.99),
            _ => (58.0, 73.0, 3.3, 0.99),
        };
        if t.male() {
            a += 2.0;
            b += 3.0;
            n += 0.3;
        } else {
            a -= 1.0;
        }
        if t.face_shape == 2 {
            n = n.min(1.85);
        }
        Head {
            cx: 128.0,
            ey: 118.0,
            a,
            b,
            n,
            skull_a: a * top,
            skull_h: 80.0,
            neck: a * if t.male() { 0.6 } else { 0.5 },
        }
    }

    pub(super) fn chin_y(&self) -> f32 {
        self.ey + self.b
    }

    /// Point on the lower face outline; theta runs from pi (left, eye line)
    /// through pi/2 (chin) to 0 (right).
    pub(super) fn jaw(&self, theta: f32) -> (f32, f32) {
        let e = 2.0 / self.n;
        (
            self.cx + self.a * sgn_pow(theta.cos(), e),
            self.ey + self.b * sgn_pow(theta.sin(), e),
        )
    }

    /// Point on the skull outline grown by `grow`; alpha 0 right, pi/2 top, pi left.
    pub(super) fn skull(&self, alpha: f32, grow: f32) -> (f32, f32) {
        (
            self.cx + (self.skull_a + grow) * alpha.cos(),
            self.ey - (self.skull_h + grow) * alpha.sin(),
        )
    }

    /// Half width of the face at height `y` below the eye line (approximate).
    pub(super) fn half_width_at(&self, y: f32) -> f32 {
        let v = ((y - self.ey) / self.b).clamp(0.0, 1.0);
        self.a * (1.0 - v.powf(self.n)).max(0.0).powf(1.0 / self.n)
    }

    pub(super) fn outline(&self) -> Vec<(f32, f32)> {
        let steps = 48;
        let mut pts = Vec::with_capacity(2 * steps + 2);
        for i in 0..=steps {
            let theta = std::f32::consts::PI * (1.0 - i as f32 / steps as f32);
            pts.push(self.jaw(theta));
        }
        for i in 1..steps {
            let alpha = std::f32::consts::PI * i as f32 / steps as f32;
            pts.push(self.skull(alpha, 0.0));
        }
        pts
    }
}

/// Everything computed about the features, shared by drawing and landmarks.
pub(super) struct Features {
    pub(super) eye: [Eye; 2],
    pub(super) brow: [Vec<(f32, f32)>; 2],
    pub(super) brow_width: f32,
    pub(super) nose_y: f32,
    pub(super) nose_w: f32,
    pub(super) mouth: Mouth,
}

pub(super) struct Eye {
    pub(super) cx: f32,
    pub(super) cy: f32,
    pub(super) half_w: f32,
    pub(super) open: f32,
    /// -1 for the eye on the image's left (outer corner to the left).
    pub(super) dir: f32,
    pub(super) outer: (f32, f32),
    pub(super) inner: (f32, f32),
    pub(super) upper: [(f32, f32); 2],
    pub(super) lower: [(f32, f32); 2],
}

impl Eye {
    pub(super) fn new(cx: f32, cy: f32, half_w: f32, open: f32, dir: f32, squint: f32) -> Eye {
        let outer = (cx + dir * half_w, cy - 1.0);
        let inner = (cx - dir * half_w, cy + 0.6);
        let upper = [
            (inner.0 + dir * half_w * 0.45, cy - open * 0.86),
            (outer.0 - dir * half_w * 0.55, cy - open * 0.82),
        ];
        let low = open * 0.5 * (1.0 - squint);
        let lower = [
            (outer.0 - dir * half_w * 0.45, cy + low),
            (inner.0 + dir * half_w * 0.45, cy + low),
        ];
        Eye {
            cx,
            cy,
            half_w,
            open,
            dir,
            outer,
            inner,
            upper,
            lower,
        }
    }

    /// Upper lid from the inner to the outer corner.
    pub(super) fn upper_at(&self, t: f32) -> (f32, f32) {
        cubic(self.inner, self.upper[0], self.upper[1], self.outer, t)
    }

    /// Lower lid from the outer to the inner corner.
    pub(super) fn lower_at(&self, t: f32) -> (f32, f32) {
        cubic(self.outer, self.lower[0], self.lower[1], self.inner, t)
    }

    pub(super) fn shape(&self) -> Option<Path> {
        let mut pb = PathBuilder::new();
        pb.move_to(self.inner.0, self.inner.1);
        pb.cubic_to(
            self.upper[0].0,
            self.upper[0].1,
            self.upper[1].0,
            self.upper[1].1,
            self.outer.0,
            self.outer.1,
        );
        pb.cubic_to(
            self.lower[0].0,
            self.lower[0].1,
            self.lower[1].0,
            self.lower[1].1,
            self.inner.0,
            self.inner.1,
        );
        pb.close();
        pb.finish()
    }

    pub(super) fn upper_lid(&self, lift: f32) -> Option<Path> {
        let mut pb = PathBuilder::new();
        pb.move_to(self.inner.0, self.inner.1 - lift);
        pb.cubic_to(
            self.upper[0].0,
            self.upper[0].1 - lift,
            self.upper[1].0,
            self.upper[1].1 - lift,
            self.outer.0,
            self.outer.1 - lift,
        );
        pb.finish()
    }

    pub(super) fn lower_lid(&self) -> Option<Path> {
        let mut pb = PathBuilder::new();
        pb.move_to(self.outer.0, self.outer.1);
        pb.cubic_to(
            self.lower[0].0,
            self.lower[0].1,
            self.lower[1].0,
            self.lower[1].1,
            self.inner.0,
            self.inner.1,
        );
        pb.finish()
    }
}

pub(super) struct Mouth {
    pub(super) cx: f32,
    pub(super) y: f32,
    pub(super) half_w: f32,
    pub(super) lift: f32,
    pub(super) upper: f32,
    pub(super) lower: f32,
    pub(super) open: f32,
}

impl Mouth {
    pub(super) fn x(&self, u: f32) -> f32 {
        self.cx + self.half_w * u
    }
    /// Where the lips meet (upper edge of the opening).
    pub(super) fn line(&self, u: f32) -> f32 {
        self.y - self.lift * u * u
    }
    pub(super) fn upper_outer(&self, u: f32) -> f32 {
        let bow = 0.3 * self.upper * (-(u / 0.14).powi(2)).exp();
        let peak = (1.0 - u * u).max(0.0).powf(0.55);
        self.line(u) - self.upper * peak + bow
    }
    pub(super) fn opening_bottom(&self, u: f32) -> f32 {
        self.line(u) + self.open * (1.0 - u * u).max(0.0).powf(0.8)
    }
    pub(super) fn lower_outer(&self, u: f32) -> f32 {
        self.opening_bottom(u) + self.lower * (1.0 - u * u).max(0.0).powf(0.7)
    }
    pub(super) fn curve(
        &self,
        f: impl Fn(&Mouth, f32) -> f32,
        from: f32,
        to: f32,
    ) -> Vec<(f32, f32)> {
        let steps = 24;
        (0..=steps)
            .map(|i| {
                let u = from + (to - from) * i as f32 / steps as f32;
                (self.x(u), f(self, u))
            })
            .collect()
    }
}

pub(super) fn features(t: &Traits, h: &Head) -> Features {
    let male = t.male();
    let scale = h.a / 56.0;
    let half_w = [9.4, 10.8, 12.2][t.eye_size] * scale;
    let open = [6.4, 8.9, 11.6][t.eye_size] * scale * if male { 0.94 } else { 1.0 };
    let squint = [0.0, 0.12, 0.3][t.smile];
    let spacing = h.a * 0.42 + 0.5 * half_w - 4.0;
    let eye = [
        Eye::new(h.cx - spacing, h.ey, half_w, open, -1.0, squint),
        Eye::new(h.cx + spacing, h.ey, half_w, open, 1.0, squint),
    ];
    let brow_width = [2.2, 3.5, 5.2][t.eyebrows] + if male { 0.8 } else { 0.0 };
    let arch = if male { 2.0 } else { 4.0 };
    let brow = [0, 1].map(|k| {
        let e = &eye[k];
        let base = e.cy - open * 0.62 - 8.5 - brow_width * 0.3;
        let inner = (e.cx - e.dir * half_w * 0.95, base + 1.2);
        let outer = (e.cx + e.dir * half_w * 1.3, base + 2.0);
        let peak = (e.cx + e.dir * half_w * 0.45, base - arch);
        let mid = (e.cx - e.dir * half_w * 0.25, base - arch * 0.7);
        // outer to inner for the left brow, inner to outer for the right.
        let pts = vec![inner, mid, peak, outer];
        let curve = sample_spline(&pts, 16);
        if k == 0 {
            curve.into_iter().rev().collect()
        } else {
            curve
        }
    });
    let nose_y = h.ey + h.b * 0.41 + 2.0;
    let nose_w = h.a * 0.2 + if male { 1.5 } else { 0.0 };
    let lift = [0.6, 3.2, 5.0][t.smile];
    let mut upper = [2.6, 3.8, 5.2][t.lips];
    let mut lower = [3.4, 5.2, 7.2][t.lips];
    if !male {
        upper *= 1.1;
        lower *= 1.1;
    }
    if t.smile == 2 {
        upper *= 0.8;
        lower *= 0.85;
    }
    let mouth_half = h.a * if male { 0.33 } else { 0.32 } * [1.0, 1.06, 1.15][t.smile];
    let mouth = Mouth {
        cx: h.cx,
        y: h.ey + h.b * 0.635 + lift * 0.4,
        half_w: mouth_half,
        lift,
        upper,
        lower,
        open: if t.smile == 2 { 6.5 * scale } else { 0.0 },
    };
    Features {
        eye,
        brow,
        brow_width,
        nose_y,
        nose_w,
        mouth,
    }
}

pub(super) fn landmarks(h: &Head, f: &Features) -> Vec<(f32, f32)> {
    let mut l = Vec::with_capacity(68);
    // Jaw 0-16, image left to right via the chin.
    for i in 0..17 {
        let theta = std::f32::consts::PI * (1.0 - i as f32 / 16.0);
        l.push(h.jaw(theta));
    }
    // Brows 17-21 (image left, outer to inner) and 22-26 (inner to outer).
    for brow in &f.brow {
        let n = brow.len() - 1;
        for k in 0..5 {
            l.push(brow[k * n / 4]);
        }
    }
    // Nose bridge 27-30 and base 31-35.
    let top = f.eye[0].cy - 1.0;
    let tip = f.nose_y - 1.5;
    for k in 0..4 {
        l.push((h.cx, top + (tip - top) * k as f32 / 3.0));
    }
    let w = f.nose_w;
    for (dx, dy) in [
        (-0.85, 2.2),
        (-0.45, 3.4),
        (0.0, 4.2),
        (0.45, 3.4),
        (0.85, 2.2),
    ] {
        l.push((h.cx + dx * w, f.nose_y + dy));
    }
    // Eyes: 36-41 (image left: outer, upper x2, inner, lower x2) and 42-47
    // (image right: inner, upper x2, outer, lower x2).
    let left = &f.eye[0];
    l.push(left.outer);
    l.push(left.upper_at(2.0 / 3.0));
    l.push(left.upper_at(1.0 / 3.0));
    l.push(left.inner);
    l.push(left.lower_at(2.0 / 3.0));
    l.push(left.lower_at(1.0 / 3.0));
    let right = &f.eye[1];
    l.push(right.inner);
    l.push(right.upper_at(1.0 / 3.0));
    l.push(right.upper_at(2.0 / 3.0));
    l.push(right.outer);
    l.push(right.lower_at(1.0 / 3.0));
    l.push(right.lower_at(2.0 / 3.0));
    // Mouth: outer 48-59, inner 60-67.
    let m = &f.mouth;
    l.push((m.x(-1.0), m.line(-1.0)));
    for u in [-0.62, -0.28, 0.0, 0.28, 0.62] {
        l.push((m.x(u), m.upper_outer(u)));
    }
    l.push((m.x(1.0), m.line(1.0)));
    for u in [0.62, 0.28, 0.0, -0.28, -0.62] {
        l.push((m.x(u), m.lower_outer(u)));
    }
    l.push((m.x(-0.9), m.line(-0.9)));
    for u in [-0.4, 0.0, 0.4] {
        l.push((m.x(u), m.line(u)));
    }
    l.push((m.x(0.9), m.line(0.9)));
    for u in [0.4, 0.0, -0.4] {
        l.push((m.x(u), m.opening_bottom(u)));
    }
    l
}
