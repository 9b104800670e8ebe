//! Illustrated portraits: a face drawn with tiny-skia from its attribute levels
//! plus a few purely cosmetic style choices, together with the 68 landmark
//! positions (dlib scheme) of the drawing.
//!
//! All geometry is laid out on a 256x256 design canvas, then mapped through one
//! transform (a small per-face shift and scale) and scaled to the output size.

use rand::SeedableRng;
use tiny_skia::{
    Color, FillRule, GradientStop, LineCap, LineJoin, LinearGradient, Mask, Paint, Path,
    PathBuilder, Pixmap, Point, RadialGradient, Rect, Shader, SpreadMode, Stroke, Transform,
};

/// Side of the design canvas.
const DESIGN: f32 = 256.0;

/// A face's true attribute levels, as indices into the canonical levels
/// (see `crate::core::attributes`), in canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traits {
    /// 0 female, 1 male.
    pub sex: usize,
    /// 0 young_adult, 1 adult, 2 middle_aged, 3 senior.
    pub age: usize,
    /// 0 very_light .. 5 dark.
    pub skin_tone: usize,
    /// 0 grey, 1 blonde, 2 red, 3 light_brown, 4 dark_brown, 5 black.
    pub hair_color: usize,
    /// 0 bald, 1 short, 2 medium, 3 long.
    pub hair_length: usize,
    /// 0 small, 1 medium, 2 large.
    pub eye_size: usize,
    /// 0 long, 1 oval, 2 heart, 3 round, 4 square.
    pub face_shape: usize,
    /// 0 thin, 1 medium, 2 thick.
    pub eyebrows: usize,
    /// 0 thin, 1 medium, 2 full.
    pub lips: usize,
    /// 0 none, 1 stubble, 2 moustache, 3 beard.
    pub facial_hair: usize,
    /// 0 none, 1 glasses.
    pub glasses: usize,
    /// 0 neutral, 1 slight, 2 broad.
    pub smile: usize,
}

impl Traits {
    /// Level indices in canonical attribute order.
    pub fn indices(&self) -> [usize; 12] {
        [
            self.sex,
            self.age,
            self.skin_tone,
            self.hair_color,
            self.hair_length,
            self.eye_size,
            self.face_shape,
            self.eyebrows,
            self.lips,
            self.facial_hair,
            self.glasses,
            self.smile,
        ]
    }

    fn male(&self) -> bool {
        self.sex == 1
    }
}

/// Cosmetic choices that are not attributes: they make faces distinct.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Background colour (top of the gradient).
    pub background: [u8; 3],
    /// Clothing colour.
    pub clothing: [u8; 3],
    /// 0 crew neck, 1 v-neck, 2 collared shirt, 3 turtleneck.
    pub neckline: u8,
    /// Iris colour.
    pub iris: [u8; 3],
    /// Hair style variant within a length (0..4).
    pub hair_variant: u8,
    /// Side of the parting: -1 or 1.
    pub part_side: f32,
    /// Extra hair volume, 0..1.
    pub volume: f32,
    /// Small variation of the skin colour, -1..1.
    pub skin_shift: f32,
    /// Small variation of the hair colour, -1..1.
    pub hair_shift: f32,
    /// Glasses frame: 0 round, 1 rectangular, 2 browline.
    pub frame_shape: u8,
    /// Glasses frame colour.
    pub frame_color: [u8; 3],
    /// Earrings (visible when the ears are).
    pub earrings: bool,
    /// Head position offset on the canvas, in design pixels.
    pub offset: (f32, f32),
    /// Head scale, around 1.
    pub scale: f32,
    /// Seed for fine texture (stubble, strands).
    pub texture_seed: u64,
}

/// The image and its 68 landmarks, normalised to 0..1.
pub struct Rendered {
    pub pixmap: Pixmap,
    pub landmarks: Vec<(f32, f32)>,
}

// ---------------------------------------------------------------- colours

#[derive(Debug, Clone, Copy)]
struct Rgb(f32, f32, f32);

impl Rgb {
    fn from(c: [u8; 3]) -> Rgb {
        Rgb(c[0] as f32, c[1] as f32, c[2] as f32)
    }
    fn mix(self, o: Rgb, t: f32) -> Rgb {
        Rgb(
            self.0 + (o.0 - self.0) * t,
            self.1 + (o.1 - self.1) * t,
            self.2 + (o.2 - self.2) * t,
        )
    }
    fn scale(self, k: f32) -> Rgb {
        Rgb(self.0 * k, self.1 * k, self.2 * k)
    }
    fn lighten(self, t: f32) -> Rgb {
        self.mix(Rgb(255.0, 255.0, 255.0), t)
    }
    fn color(self, alpha: f32) -> Color {
        let c = |v: f32| (v / 255.0).clamp(0.0, 1.0);
        Color::from_rgba(c(self.0), c(self.1), c(self.2), alpha.clamp(0.0, 1.0))
            .unwrap_or(Color::BLACK)
    }
}

const SKIN: [[u8; 3]; 6] = [
    [247, 222, 204], // very light
    [236, 196, 164], // light
    [214, 163, 122], // intermediate
    [190, 134, 92],  // tan
    [143, 92, 60],   // brown
    [96, 60, 40],    // dark
];

const HAIR: [[u8; 3]; 6] = [
    [178, 176, 172], // grey
    [222, 186, 112], // blonde
    [176, 78, 38],   // red
    [140, 98, 60],   // light brown
    [78, 50, 32],    // dark brown
    [30, 26, 26],    // black
];

// ---------------------------------------------------------------- paths

/// A point in design pixels.
type Pt = (f32, f32);

fn pt(x: f32, y: f32) -> Point {
    Point::from_xy(x, y)
}

fn ellipse(cx: f32, cy: f32, rx: f32, ry: f32) -> Option<Path> {
    PathBuilder::from_oval(Rect::from_xywh(cx - rx, cy - ry, 2.0 * rx, 2.0 * ry)?)
}

fn polyline(points: &[(f32, f32)], close: bool) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let (first, rest) = points.split_first()?;
    pb.move_to(first.0, first.1);
    for p in rest {
        pb.line_to(p.0, p.1);
    }
    if close {
        pb.close();
    }
    pb.finish()
}

/// Appends a Catmull-Rom spline through `points` (the builder must already be
/// at `points[0]`).
fn spline_to(pb: &mut PathBuilder, points: &[(f32, f32)]) {
    let n = points.len();
    for i in 0..n.saturating_sub(1) {
        let p0 = points[i.saturating_sub(1)];
        let p1 = points[i];
        let p2 = points[i + 1];
        let p3 = points[(i + 2).min(n - 1)];
        let c1 = (p1.0 + (p2.0 - p0.0) / 6.0, p1.1 + (p2.1 - p0.1) / 6.0);
        let c2 = (p2.0 - (p3.0 - p1.0) / 6.0, p2.1 - (p3.1 - p1.1) / 6.0);
        pb.cubic_to(c1.0, c1.1, c2.0, c2.1, p2.0, p2.1);
    }
}

fn spline(points: &[(f32, f32)], close: bool) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let first = points.first()?;
    pb.move_to(first.0, first.1);
    spline_to(&mut pb, points);
    if close {
        pb.close();
    }
    pb.finish()
}

fn cubic(p0: (f32, f32), c1: (f32, f32), c2: (f32, f32), p1: (f32, f32), t: f32) -> (f32, f32) {
    let u = 1.0 - t;
    let a = u * u * u;
    let b = 3.0 * u * u * t;
    let c = 3.0 * u * t * t;
    let d = t * t * t;
    (
        a * p0.0 + b * c1.0 + c * c2.0 + d * p1.0,
        a * p0.1 + b * c1.1 + c * c2.1 + d * p1.1,
    )
}

fn sgn_pow(v: f32, e: f32) -> f32 {
    v.signum() * v.abs().powf(e)
}

// ---------------------------------------------------------------- painter

struct Painter {
    pixmap: Pixmap,
    ts: Transform,
}

impl Painter {
    fn paint(color: Color) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color(color);
        paint.anti_alias = true;
        paint
    }

    fn fill(&mut self, path: Option<Path>, color: Color) {
        self.fill_in(path, color, None);
    }

    fn fill_in(&mut self, path: Option<Path>, color: Color, mask: Option<&Mask>) {
        if let Some(path) = path {
            self.pixmap
                .fill_path(&path, &Self::paint(color), FillRule::Winding, self.ts, mask);
        }
    }

    fn shade(&mut self, path: Option<Path>, shader: Option<Shader<'static>>, mask: Option<&Mask>) {
        if let (Some(path), Some(shader)) = (path, shader) {
            let paint = Paint {
                shader,
                anti_alias: true,
                ..Paint::default()
            };
            self.pixmap
                .fill_path(&path, &paint, FillRule::Winding, self.ts, mask);
        }
    }

    fn stroke(&mut self, path: Option<Path>, color: Color, width: f32) {
        self.stroke_in(path, color, width, None);
    }

    fn stroke_in(&mut self, path: Option<Path>, color: Color, width: f32, mask: Option<&Mask>) {
        if let Some(path) = path {
            let stroke = Stroke {
                width,
                line_cap: LineCap::Round,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            self.pixmap
                .stroke_path(&path, &Self::paint(color), &stroke, self.ts, mask);
        }
    }

    fn mask(&self, path: &Option<Path>) -> Option<Mask> {
        let mut mask = Mask::new(self.pixmap.width(), self.pixmap.height())?;
        if let Some(path) = path {
            mask.fill_path(path, FillRule::Winding, true, self.ts);
        }
        Some(mask)
    }
}

/// A soft round spot: `color` at `alpha` in the middle fading to nothing.
fn soft_spot(cx: f32, cy: f32, r: f32, color: Rgb, alpha: f32) -> Option<Shader<'static>> {
    RadialGradient::new(
        pt(cx, cy),
        0.0,
        pt(cx, cy),
        r,
        vec![
            GradientStop::new(0.0, color.color(alpha)),
            GradientStop::new(1.0, color.color(0.0)),
        ],
        SpreadMode::Pad,
        Transform::identity(),
    )
}

// ---------------------------------------------------------------- geometry

/// Head layout in design pixels.
struct Head {
    cx: f32,
    /// Eye line.
    ey: f32,
    /// Half width at the eye line.
    a: f32,
    /// Eye line to chin.
    b: f32,
    /// Superellipse exponent of the lower face (2 = ellipse, larger = squarer).
    n: f32,
    /// Skull half width and height above the eye line.
    skull_a: f32,
    skull_h: f32,
    /// Neck half width.
    neck: f32,
}

impl Head {
    fn new(t: &Traits) -> Head {
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

    fn chin_y(&self) -> f32 {
        self.ey + self.b
    }

    /// Point on the lower face outline; theta runs from pi (left, eye line)
    /// through pi/2 (chin) to 0 (right).
    fn jaw(&self, theta: f32) -> (f32, f32) {
        let e = 2.0 / self.n;
        (
            self.cx + self.a * sgn_pow(theta.cos(), e),
            self.ey + self.b * sgn_pow(theta.sin(), e),
        )
    }

    /// Point on the skull outline grown by `grow`; alpha 0 right, pi/2 top, pi left.
    fn skull(&self, alpha: f32, grow: f32) -> (f32, f32) {
        (
            self.cx + (self.skull_a + grow) * alpha.cos(),
            self.ey - (self.skull_h + grow) * alpha.sin(),
        )
    }

    /// Half width of the face at height `y` below the eye line (approximate).
    fn half_width_at(&self, y: f32) -> f32 {
        let v = ((y - self.ey) / self.b).clamp(0.0, 1.0);
        self.a * (1.0 - v.powf(self.n)).max(0.0).powf(1.0 / self.n)
    }

    fn outline(&self) -> Vec<(f32, f32)> {
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
struct Features {
    eye: [Eye; 2],
    brow: [Vec<(f32, f32)>; 2],
    brow_width: f32,
    nose_y: f32,
    nose_w: f32,
    mouth: Mouth,
}

struct Eye {
    cx: f32,
    cy: f32,
    half_w: f32,
    open: f32,
    /// -1 for the eye on the image's left (outer corner to the left).
    dir: f32,
    outer: (f32, f32),
    inner: (f32, f32),
    upper: [(f32, f32); 2],
    lower: [(f32, f32); 2],
}

impl Eye {
    fn new(cx: f32, cy: f32, half_w: f32, open: f32, dir: f32, squint: f32) -> Eye {
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
    fn upper_at(&self, t: f32) -> (f32, f32) {
        cubic(self.inner, self.upper[0], self.upper[1], self.outer, t)
    }

    /// Lower lid from the outer to the inner corner.
    fn lower_at(&self, t: f32) -> (f32, f32) {
        cubic(self.outer, self.lower[0], self.lower[1], self.inner, t)
    }

    fn shape(&self) -> Option<Path> {
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

    fn upper_lid(&self, lift: f32) -> Option<Path> {
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

    fn lower_lid(&self) -> Option<Path> {
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

struct Mouth {
    cx: f32,
    y: f32,
    half_w: f32,
    lift: f32,
    upper: f32,
    lower: f32,
    open: f32,
}

impl Mouth {
    fn x(&self, u: f32) -> f32 {
        self.cx + self.half_w * u
    }
    /// Where the lips meet (upper edge of the opening).
    fn line(&self, u: f32) -> f32 {
        self.y - self.lift * u * u
    }
    fn upper_outer(&self, u: f32) -> f32 {
        let bow = 0.3 * self.upper * (-(u / 0.14).powi(2)).exp();
        let peak = (1.0 - u * u).max(0.0).powf(0.55);
        self.line(u) - self.upper * peak + bow
    }
    fn opening_bottom(&self, u: f32) -> f32 {
        self.line(u) + self.open * (1.0 - u * u).max(0.0).powf(0.8)
    }
    fn lower_outer(&self, u: f32) -> f32 {
        self.opening_bottom(u) + self.lower * (1.0 - u * u).max(0.0).powf(0.7)
    }
    fn curve(&self, f: impl Fn(&Mouth, f32) -> f32, from: f32, to: f32) -> Vec<(f32, f32)> {
        let steps = 24;
        (0..=steps)
            .map(|i| {
                let u = from + (to - from) * i as f32 / steps as f32;
                (self.x(u), f(self, u))
            })
            .collect()
    }
}

fn features(t: &Traits, h: &Head) -> Features {
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

/// Points along a Catmull-Rom spline through `pts`.
fn sample_spline(pts: &[(f32, f32)], per_segment: usize) -> Vec<(f32, f32)> {
    let n = pts.len();
    let mut out = vec![pts[0]];
    for i in 0..n - 1 {
        let p0 = pts[i.saturating_sub(1)];
        let p1 = pts[i];
        let p2 = pts[i + 1];
        let p3 = pts[(i + 2).min(n - 1)];
        let c1 = (p1.0 + (p2.0 - p0.0) / 6.0, p1.1 + (p2.1 - p0.1) / 6.0);
        let c2 = (p2.0 - (p3.0 - p1.0) / 6.0, p2.1 - (p3.1 - p1.1) / 6.0);
        for s in 1..=per_segment {
            out.push(cubic(p1, c1, c2, p2, s as f32 / per_segment as f32));
        }
    }
    out
}

fn landmarks(h: &Head, f: &Features) -> Vec<(f32, f32)> {
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

// ---------------------------------------------------------------- drawing

/// Draws a face at `size`x`size` pixels.
pub fn render(t: &Traits, s: &Style, size: u32) -> Option<Rendered> {
    let mut pixmap = Pixmap::new(size, size)?;
    let k = size as f32 / DESIGN;
    let ts_face = Transform::from_row(
        s.scale,
        0.0,
        0.0,
        s.scale,
        128.0 * (1.0 - s.scale) + s.offset.0,
        128.0 * (1.0 - s.scale) + s.offset.1,
    );
    let ts = Transform::from_scale(k, k).pre_concat(ts_face);

    // Background: soft vertical gradient, not affected by the face transform.
    let bg = Rgb::from(s.background);
    let bg_shader = LinearGradient::new(
        pt(0.0, 0.0),
        pt(0.0, size as f32),
        vec![
            GradientStop::new(0.0, bg.lighten(0.25).color(1.0)),
            GradientStop::new(1.0, bg.scale(0.92).color(1.0)),
        ],
        SpreadMode::Pad,
        Transform::identity(),
    );
    pixmap.fill(bg.color(1.0));
    if let Some(shader) = bg_shader {
        let paint = Paint {
            shader,
            anti_alias: false,
            ..Paint::default()
        };
        if let Some(rect) = Rect::from_xywh(0.0, 0.0, size as f32, size as f32) {
            pixmap.fill_rect(rect, &paint, Transform::identity(), None);
        }
    }

    let mut p = Painter { pixmap, ts };
    let h = Head::new(t);
    let f = features(t, &h);
    let mut tex = rand_chacha::ChaCha8Rng::seed_from_u64(s.texture_seed);

    let skin = skin_color(t, s);
    let hair = hair_color(t, s);

    draw_hair_back(&mut p, t, s, &h, hair);
    draw_neck_and_clothes(&mut p, t, s, &h, skin);
    draw_ears(&mut p, &h, skin);
    let face_path = polyline(&h.outline(), true);
    p.fill(face_path.clone(), skin.color(1.0));
    let face_mask = p.mask(&face_path);
    draw_face_shading(&mut p, t, &h, &f, skin, face_mask.as_ref());
    draw_age(&mut p, t, &h, &f, skin, face_mask.as_ref());
    if t.facial_hair == 1 {
        draw_stubble(&mut p, t, &h, &f, hair_for_face(t, hair), &mut tex);
    }
    if t.facial_hair == 3 {
        draw_beard(&mut p, t, &h, &f, hair_for_face(t, hair), &mut tex);
    }
    draw_nose(&mut p, &h, &f, skin);
    draw_mouth(&mut p, t, &f, skin);
    if t.facial_hair >= 2 {
        draw_moustache(&mut p, t, &f, hair_for_face(t, hair));
    }
    draw_eyes(&mut p, t, s, &f, skin, hair);
    draw_brows(&mut p, t, &f, hair_for_face(t, hair));
    if s.earrings && t.hair_length <= 1 {
        draw_earrings(&mut p, s, &h);
    }
    draw_hair_front(&mut p, t, s, &h, hair, &mut tex);
    if t.glasses == 1 {
        draw_glasses(&mut p, s, &h, &f);
    }

    let marks = landmarks(&h, &f)
        .into_iter()
        .map(|(x, y)| {
            let mut q = pt(x, y);
            ts_face.map_point(&mut q);
            let norm = |v: f32| ((v / DESIGN).clamp(0.0, 1.0) * 10000.0).round() / 10000.0;
            (norm(q.x), norm(q.y))
        })
        .collect();
    Some(Rendered {
        pixmap: p.pixmap,
        landmarks: marks,
    })
}

fn skin_color(t: &Traits, s: &Style) -> Rgb {
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

fn hair_color(t: &Traits, s: &Style) -> Rgb {
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
fn hair_for_face(t: &Traits, hair: Rgb) -> Rgb {
    match t.hair_color {
        0 => hair.scale(0.8),
        1 => hair.mix(Rgb(120.0, 88.0, 50.0), 0.45),
        2 => hair.scale(0.85),
        _ => hair.scale(0.9),
    }
}

fn draw_hair_back(p: &mut Painter, t: &Traits, s: &Style, h: &Head, hair: Rgb) {
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

fn draw_neck_and_clothes(p: &mut Painter, t: &Traits, s: &Style, h: &Head, skin: Rgb) {
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

fn draw_ears(p: &mut Painter, h: &Head, skin: Rgb) {
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

fn draw_face_shading(
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

fn draw_age(p: &mut Painter, t: &Traits, h: &Head, f: &Features, skin: Rgb, mask: Option<&Mask>) {
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

/// Region covered by a beard or stubble.
fn beard_region(h: &Head, f: &Features, grow: f32, mouth_gap: bool) -> Option<Path> {
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

fn draw_stubble(
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

fn draw_beard(
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

fn draw_moustache(p: &mut Painter, t: &Traits, f: &Features, hair: Rgb) {
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

fn draw_nose(p: &mut Painter, h: &Head, f: &Features, skin: Rgb) {
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

fn lip_color(t: &Traits, skin: Rgb) -> Rgb {
    let rose = if t.male() {
        Rgb(176.0, 92.0, 86.0)
    } else {
        Rgb(192.0, 72.0, 84.0)
    };
    let amount = if t.male() { 0.35 } else { 0.52 };
    skin.mix(rose, amount)
        .scale(if t.skin_tone >= 4 { 0.85 } else { 0.95 })
}

fn draw_mouth(p: &mut Painter, t: &Traits, f: &Features, skin: Rgb) {
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

fn draw_eyes(p: &mut Painter, t: &Traits, s: &Style, f: &Features, skin: Rgb, hair: Rgb) {
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

fn draw_brows(p: &mut Painter, t: &Traits, f: &Features, hair: Rgb) {
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

fn draw_earrings(p: &mut Painter, s: &Style, h: &Head) {
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

/// The hairline across the forehead, from the left temple to the right one,
/// and where the parting meets it, if there is one.
fn hairline(t: &Traits, s: &Style, h: &Head) -> (Vec<Pt>, Option<Pt>) {
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

fn draw_hair_front(
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

fn draw_bald(p: &mut Painter, t: &Traits, h: &Head, hair: Rgb) {
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

fn draw_glasses(p: &mut Painter, s: &Style, h: &Head, f: &Features) {
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
