//! Points in the plane: centroids, distances, interpolation and polygons
//! (landmarks in pixels or in face-frame units alike).

/// A point (x, y).
pub type Point = (f64, f64);

/// The centroid of `points` (pixels or face-frame units alike).
pub fn centroid(points: &[Point]) -> Point {
    let n = points.len().max(1) as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    (sx / n, sy / n)
}

/// The distance between two points.
pub fn dist(a: Point, b: Point) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// The point a share `t` of the way from `a` to `b`.
pub fn lerp(a: Point, b: Point, t: f64) -> Point {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

/// Whether `q` lies inside the polygon `poly` (even-odd rule).
pub fn inside(poly: &[Point], q: Point) -> bool {
    let mut odd = false;
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + poly.len() - 1) % poly.len()];
        if (a.1 > q.1) != (b.1 > q.1) && q.0 < (b.0 - a.0) * (q.1 - a.1) / (b.1 - a.1) + a.0 {
            odd = !odd;
        }
    }
    odd
}
