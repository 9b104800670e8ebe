//! The best few questions of a photo pack without whitening them all.
//!
//! A question's value is `Σ (t·u)² / (1 + u·u)` with `u = L⁻¹x` (see
//! [`super::leaders_variance_drop`]). Whitening `x` costs the design's
//! width squared; but `t·u = (L⁻ᵀt)·x`, so with one solve per leader the
//! numerator costs a few dot products, and `u·u` is at least the square of
//! `u`'s leading entries (crowd, appeal), which take one or two divisions.
//! That bounds every question's value from above; questions are then
//! weighed exactly, best bound first, until the `k`-th best exact value
//! beats every bound left. The bounds carry a margin far above rounding
//! (the products' error is within a few hundred ulps times the factor's
//! condition number, which the margin takes at its largest), so what is
//! ruled out could not have ranked: the result is the first `k` of the
//! full ranking, computed by the same whitening.

use super::{Contest, Face, DESIGN_LEADERS};
use crate::math::linalg::Cholesky;

/// Relative margin on each product, per unit of the factor's condition
/// number (rounding is about `width × 2⁻⁵³ ≈ 1.5e-14` per unit).
const MARGIN: f64 = 1e-12;

/// The leaders' products a pass over a question makes (at least the
/// [`DESIGN_LEADERS`] and the spare; a whole number of SIMD lanes).
const STRIDE: usize = 8;
const _: () = assert!(STRIDE > DESIGN_LEADERS);

/// Questions weighed exactly at a time.
const CHUNK: usize = 32;

/// The first `k` questions by value (ties in `questions` order), exact.
pub(super) fn top(
    contest: &Contest,
    questions: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
    k: usize,
) -> Vec<(usize, f64)> {
    if k == 0 {
        return Vec::new();
    }
    let bounds = match &contest.design.factor {
        super::Factor::Faer(factor) => upper_bounds(contest, factor, questions, same),
        super::Factor::Reference(_) => vec![f64::INFINITY; questions.len()],
    };
    let mut order: Vec<(usize, f64)> = bounds.into_iter().enumerate().collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let by_value = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let mut best: Vec<(usize, f64)> = Vec::with_capacity(k + CHUNK.max(2 * k));
    let mut next = 0;
    while next < order.len() {
        let end = (next + CHUNK.max(2 * k)).min(order.len());
        let which: Vec<usize> = order[next..end].iter().map(|o| o.0).collect();
        best.extend(contest.values_of(questions, &which, same));
        next = end;
        best.sort_by(by_value);
        best.truncate(k);
        // Every question left is worth at most its bound: below the k-th
        // best exact value, none of them can rank (an equal one could, by
        // its place in `questions`).
        if best.len() == k && order.get(next).is_some_and(|o| o.1 < best[k - 1].1) {
            break;
        }
    }
    best
}

/// For each question, a number at least its exact value.
fn upper_bounds(
    contest: &Contest,
    factor: &Cholesky,
    questions: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
) -> Vec<f64> {
    let design = &contest.design;
    let width = design.centre.len();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    // t·u = (L⁻ᵀt)·x for each leader's t.
    let duals: Vec<Vec<f64>> = contest
        .leaders
        .iter()
        .map(|(_, t)| factor.whiten_dual(t))
        .collect();
    let leader_norms: Vec<(f64, f64)> = contest
        .leaders
        .iter()
        .zip(&duals)
        .map(|((_, t), v)| (norm(t), norm(v)))
        .collect();
    // cond(L)² = cond(A) ≤ trace(A) / its least eigenvalue.
    let condition = (factor.trace() / design.least_penalty).sqrt();
    let margin = MARGIN * condition;
    // The leading entries of u: crowd (with one) and appeal.
    let lead = usize::from(design.with_crowd) + 1;
    let l: Vec<Vec<f64>> = (0..lead)
        .map(|i| (0..lead).map(|j| factor.factor_at(i, j)).collect())
        .collect();
    // The duals interleaved (entry j of every leader's together), so one
    // pass over x makes every product, in independent sums.
    let count = duals.len();
    let mut interleaved = vec![[0.0; STRIDE]; width];
    for (i, v) in duals.iter().enumerate() {
        for (j, x) in v.iter().enumerate() {
            interleaved[j][i] = *x;
        }
    }
    let mut x = vec![0.0; width];
    let mut u = vec![0.0; lead];
    let mut bounds = Vec::with_capacity(questions.len());
    for (q, question) in questions.iter().enumerate() {
        design.centred_into(question, &mut x);
        let mut products = [0.0; STRIDE];
        let mut squares = 0.0;
        for (xj, v) in x.iter().zip(&interleaved) {
            for i in 0..STRIDE {
                products[i] += v[i] * xj;
            }
            squares += xj * xj;
        }
        let x_norm = squares.sqrt();
        // |u|² = xᵀA⁻¹x ≤ |x|² / the least eigenvalue.
        let u_norm = x_norm / design.least_penalty.sqrt();
        let mut own = 0.0;
        for i in 0..lead {
            let rest: f64 = (0..i).map(|j| l[i][j] * u[j]).sum();
            u[i] = (x[i] - rest) / l[i][i];
            own += u[i] * u[i];
        }
        let mut drop = 0.0;
        let leaders = (0..count).filter(|&i| !same(q, contest.leaders[i].0));
        for i in leaders.take(DESIGN_LEADERS) {
            let (t_norm, v_norm) = leader_norms[i];
            let most = products[i].abs() + margin * (t_norm * u_norm + v_norm * x_norm);
            drop += most * most;
        }
        bounds.push(drop / (1.0 + own * (1.0 - margin)) * (1.0 + margin));
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::super::test_faces::{eyes_model, TestFaces};
    use super::super::{rank_questions, top_questions};
    use crate::core::rating::Rating;
    use crate::model::blend::{Blend, Face};

    #[test]
    fn the_shortlist_is_the_first_k_of_the_full_ranking_to_the_bit() {
        let mut m = eyes_model();
        let pack = TestFaces::new(9, 900, 19);
        let all = pack.faces();
        let (rated, rest) = all.split_at(60);
        let (candidates, questions) = rest.split_at(100);
        let same = |q: usize, c: usize| q % 50 == c;
        for (i, r) in rated.iter().enumerate() {
            m.update(r.code, Rating::ALL[(i * 3) % 5]);
        }
        let mut checked = 0;
        // From no rating to 60, with and without the crowd (a crowd score
        // on some faces or none at all).
        for n in [0, 1, 2, 5, 12, 30, 60] {
            let no_crowd: Vec<Face> = all.iter().map(|f| Face { crowd: None, ..*f }).collect();
            for (faces, blend) in [(&all, Blend::PERSONAL), (&no_crowd, Blend::CROWD)] {
                let (rated, rest) = faces.split_at(60);
                let (candidates, questions) = rest.split_at(100);
                let rated = &rated[..n];
                let full = rank_questions(&m, &blend, questions, candidates, &same, rated);
                for k in [1, 2, 9, 40] {
                    let top = top_questions(&m, &blend, questions, candidates, &same, rated, k);
                    assert_eq!(top, full[..k], "{n} rated, k {k}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 7 * 2 * 4);
        assert!(candidates.len() == 100 && questions.len() == 740);
    }
}
