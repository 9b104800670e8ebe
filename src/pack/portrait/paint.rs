//! Drawing helpers: colours, paths through points, and the painter that
//! fills and strokes on the design canvas.

use tiny_skia::{
    Color, FillRule, GradientStop, LineCap, LineJoin, Mask, Paint, Path, PathBuilder, Pixmap,
    Point, RadialGradient, Rect, Shader, SpreadMode, Stroke, Transform,
};

#[derive(Debug, Clone, Copy)]
pub(super) struct Rgb(pub(super) f32, pub(super) f32, pub(super) f32);

impl Rgb {
    pub(super) fn from(c: [u8; 3]) -> Rgb {
        Rgb(c[0] as f32, c[1] as f32, c[2] as f32)
    }
    pub(super) fn mix(self, o: Rgb, t: f32) -> Rgb {
        Rgb(
            self.0 + (o.0 - self.0) * t,
            self.1 + (o.1 - self.1) * t,
            self.2 + (o.2 - self.2) * t,
        )
    }
    pub(super) fn scale(self, k: f32) -> Rgb {
        Rgb(self.0 * k, self.1 * k, self.2 * k)
    }
    pub(super) fn lighten(self, t: f32) -> Rgb {
        self.mix(Rgb(255.0, 255.0, 255.0), t)
    }
    pub(super) fn color(self, alpha: f32) -> Color {
        let c = |v: f32| (v / 255.0).clamp(0.0, 1.0);
        Color::from_rgba(c(self.0), c(self.1), c(self.2), alpha.clamp(0.0, 1.0))
            .unwrap_or(Color::BLACK)
    }
}

/// A point in design pixels.
pub(super) type Pt = (f32, f32);

pub(super) fn pt(x: f32, y: f32) -> Point {
    Point::from_xy(x, y)
}

pub(super) fn ellipse(cx: f32, cy: f32, rx: f32, ry: f32) -> Option<Path> {
    PathBuilder::from_oval(Rect::from_xywh(cx - rx, cy - ry, 2.0 * rx, 2.0 * ry)?)
}

pub(super) fn polyline(points: &[(f32, f32)], close: bool) -> Option<Path> {
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
pub(super) fn spline_to(pb: &mut PathBuilder, points: &[(f32, f32)]) {
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

pub(super) fn spline(points: &[(f32, f32)], close: bool) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let first = points.first()?;
    pb.move_to(first.0, first.1);
    spline_to(&mut pb, points);
    if close {
        pb.close();
    }
    pb.finish()
}

pub(super) fn cubic(
    p0: (f32, f32),
    c1: (f32, f32),
    c2: (f32, f32),
    p1: (f32, f32),
    t: f32,
) -> (f32, f32) {
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

pub(super) fn sgn_pow(v: f32, e: f32) -> f32 {
    v.signum() * v.abs().powf(e)
}

pub(super) struct Painter {
    pub(super) pixmap: Pixmap,
    pub(super) ts: Transform,
}

impl Painter {
    pub(super) fn paint(color: Color) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color(color);
        paint.anti_alias = true;
        paint
    }

    pub(super) fn fill(&mut self, path: Option<Path>, color: Color) {
        self.fill_in(path, color, None);
    }

    pub(super) fn fill_in(&mut self, path: Option<Path>, color: Color, mask: Option<&Mask>) {
        if let Some(path) = path {
            self.pixmap
                .fill_path(&path, &Self::paint(color), FillRule::Winding, self.ts, mask);
        }
    }

    pub(super) fn shade(
        &mut self,
        path: Option<Path>,
        shader: Option<Shader<'static>>,
        mask: Option<&Mask>,
    ) {
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

    pub(super) fn stroke(&mut self, path: Option<Path>, color: Color, width: f32) {
        self.stroke_in(path, color, width, None);
    }

    pub(super) fn stroke_in(
        &mut self,
        path: Option<Path>,
        color: Color,
        width: f32,
        mask: Option<&Mask>,
    ) {
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

    pub(super) fn mask(&self, path: &Option<Path>) -> Option<Mask> {
        let mut mask = Mask::new(self.pixmap.width(), self.pixmap.height())?;
        if let Some(path) = path {
            mask.fill_path(path, FillRule::Winding, true, self.ts);
        }
        Some(mask)
    }
}

/// A soft round spot: `color` at `alpha` in the middle fading to nothing.
pub(super) fn soft_spot(
    cx: f32,
    cy: f32,
    r: f32,
    color: Rgb,
    alpha: f32,
) -> Option<Shader<'static>> {
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

/// Points along a Catmull-Rom spline through `pts`.
pub(super) fn sample_spline(pts: &[(f32, f32)], per_segment: usize) -> Vec<(f32, f32)> {
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
