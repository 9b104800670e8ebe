//! Dense linear algebra on [faer]: ridge regression through the Cholesky
//! factor of its normal equations, and that factor's triangular solves.
//! faer took 0.34 of the hand-written Gaussian elimination's time on the
//! blend's ridge (50 ratings × 131 predictors) and 0.09 on the appeal fit's
//! size (1,004 × 400), with solutions within 3e-15 (`cargo bench --bench
//! engine -- ridge`; docs/benchmarks.md).

use faer::linalg::solvers::Solve;
use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place, solve_upper_triangular_in_place,
};
use faer::{Mat, MatMut, Par, Side};

/// A pivot of the factor at or below this (squared) counts as zero: the
/// matrix is taken as singular rather than solved into noise.
const SINGULAR: f64 = 1e-12;

/// The Cholesky factorisation `A = L Lᵀ` of a symmetric positive definite
/// matrix.
#[derive(Debug)]
pub struct Cholesky {
    llt: faer::linalg::solvers::Llt<f64>,
}

impl Cholesky {
    /// The factorisation of `a` (its lower triangle is read); `None` when
    /// `a` is not square or not (numerically) positive definite.
    pub fn new(a: &Mat<f64>) -> Option<Cholesky> {
        if a.nrows() != a.ncols() {
            return None;
        }
        let llt = a.llt(Side::Lower).ok()?;
        let l = llt.L();
        let positive = (0..l.nrows()).all(|i| {
            let d = l[(i, i)];
            d.is_finite() && d * d > SINGULAR
        });
        positive.then_some(Cholesky { llt })
    }

    /// The factorisation of `XᵀX + Λ` for the rows of X (each as long as
    /// `penalties`) and the diagonal `penalties` of Λ.
    pub fn of_penalised_gram(rows: &[Vec<f64>], penalties: &[f64]) -> Option<Cholesky> {
        let k = penalties.len();
        if rows.iter().any(|r| r.len() != k) {
            return None;
        }
        let x = Mat::from_fn(rows.len(), k, |i, j| rows[i][j]);
        Cholesky::new(&penalised_gram(&x, penalties))
    }

    /// The order of the matrix.
    pub fn dim(&self) -> usize {
        self.llt.L().nrows()
    }

    /// `x` with `A x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let rhs = Mat::from_fn(b.len(), 1, |i, _| b[i]);
        let x = self.llt.solve(&rhs);
        (0..b.len()).map(|i| x[(i, 0)]).collect()
    }

    /// `L⁻¹ b`: then `|L⁻¹b|² = bᵀA⁻¹b` and `(L⁻¹b)·(L⁻¹c) = bᵀA⁻¹c`.
    pub fn whiten(&self, b: &[f64]) -> Vec<f64> {
        let mut m = Mat::from_fn(b.len(), 1, |i, _| b[i]);
        self.whiten_columns(m.as_mut());
        (0..b.len()).map(|i| m[(i, 0)]).collect()
    }

    /// `L⁻ᵀ b`: then `(L⁻ᵀb)·c = b·(L⁻¹c)`, so one solve for `b` stands
    /// in for whitening every `c` when only their products with `b` count.
    pub fn whiten_dual(&self, b: &[f64]) -> Vec<f64> {
        let mut m = Mat::from_fn(b.len(), 1, |i, _| b[i]);
        solve_upper_triangular_in_place(self.llt.L().transpose(), m.as_mut(), Par::Seq);
        (0..b.len()).map(|i| m[(i, 0)]).collect()
    }

    /// The factor L's entry at row `i`, column `j` (0 above the diagonal).
    pub fn factor_at(&self, i: usize, j: usize) -> f64 {
        if j > i {
            0.0
        } else {
            self.llt.L()[(i, j)]
        }
    }

    /// The trace of `A = L Lᵀ` (the sum of the squares of L's entries).
    pub fn trace(&self) -> f64 {
        let l = self.llt.L();
        (0..l.nrows())
            .map(|i| (0..=i).map(|j| l[(i, j)].powi(2)).sum::<f64>())
            .sum()
    }

    /// [`Self::whiten`] of every column of `columns`, in place.
    pub fn whiten_columns(&self, columns: MatMut<'_, f64>) {
        solve_lower_triangular_in_place(self.llt.L(), columns, Par::Seq);
    }
}

/// `XᵀX + Λ` for the diagonal `penalties` of Λ.
fn penalised_gram(x: &Mat<f64>, penalties: &[f64]) -> Mat<f64> {
    let mut a = x.transpose() * x;
    for (j, p) in penalties.iter().enumerate() {
        a[(j, j)] += p;
    }
    a
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Ridge regression of `y` on the `columns` (predictors, each as long as `y`),
/// centred first, so there is no intercept to penalise: minimises
/// Σ (y − ȳ − Σ_j w_j (x_j − x̄_j))² + Σ_j penalties\[j\] w_j². Returns the
/// weights, or `None` when the system is singular (e.g. a constant predictor
/// with no penalty) or the lengths disagree.
pub fn ridge(columns: &[Vec<f64>], y: &[f64], penalties: &[f64]) -> Option<Vec<f64>> {
    let k = columns.len();
    if penalties.len() != k || columns.iter().any(|c| c.len() != y.len()) || y.is_empty() {
        return None;
    }
    let means: Vec<f64> = columns.iter().map(|c| mean(c)).collect();
    // A penalised column that never varies has weight 0 and no bearing on
    // the others: leaving it out of the system spares the work (a face
    // model's many inputs, most absent in a test).
    let active: Vec<usize> = (0..k)
        .filter(|&j| penalties[j] <= 0.0 || columns[j].iter().any(|v| *v - means[j] != 0.0))
        .collect();
    let x = Mat::from_fn(y.len(), active.len(), |i, j| {
        columns[active[j]][i] - means[active[j]]
    });
    let y_mean = mean(y);
    let centred = Mat::from_fn(y.len(), 1, |i, _| y[i] - y_mean);
    let own: Vec<f64> = active.iter().map(|&j| penalties[j]).collect();
    let rhs = x.transpose() * &centred;
    let solved = Cholesky::new(&penalised_gram(&x, &own))?.llt.solve(&rhs);
    let mut w = vec![0.0; k];
    for (i, &j) in active.iter().enumerate() {
        w[j] = solved[(i, 0)];
    }
    w.iter().all(|v| v.is_finite()).then_some(w)
}

/// The leave-one-out mean squared error of a [`ridge`] fit with weights
/// `w`, without refitting: each residual divided by 1 − its leverage
/// (`1/n + xᵢᵀ(XᵀX + Λ)⁻¹xᵢ` on centred columns, the 1/n for the mean).
/// `None` when the lengths disagree or the system is singular.
pub fn ridge_loo_mse(columns: &[Vec<f64>], y: &[f64], penalties: &[f64], w: &[f64]) -> Option<f64> {
    let (k, n) = (columns.len(), y.len());
    if penalties.len() != k || w.len() != k || n < 2 || columns.iter().any(|c| c.len() != n) {
        return None;
    }
    let means: Vec<f64> = columns.iter().map(|c| mean(c)).collect();
    let x = Mat::from_fn(n, k, |i, j| columns[j][i] - means[j]);
    let factor = Cholesky::new(&penalised_gram(&x, penalties))?;
    // Column i of U = L⁻¹Xᵀ is row i whitened: its squared length is the
    // row's leverage less 1/n.
    let mut u = x.transpose().to_owned();
    factor.whiten_columns(u.as_mut());
    let y_mean = mean(y);
    let mut sum = 0.0;
    for (i, &yi) in y.iter().enumerate() {
        let leverage = 1.0 / n as f64 + (0..k).map(|j| u[(j, i)].powi(2)).sum::<f64>();
        let fitted = y_mean + (0..k).map(|j| x[(i, j)] * w[j]).sum::<f64>();
        sum += ((yi - fitted) / (1.0 - leverage).max(1e-9)).powi(2);
    }
    Some(sum / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::reference;

    /// A ridge problem like the blend's: `n` rows, `k` predictors.
    fn problem(n: usize, k: usize) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let columns: Vec<Vec<f64>> = (0..k).map(|_| (0..n).map(|_| next()).collect()).collect();
        let y = (0..n)
            .map(|i| 3.0 + columns[0][i] - 2.0 * columns[1][i] + next())
            .collect();
        let penalties = (0..k).map(|j| if j < 2 { 1.0 } else { 1000.0 }).collect();
        (columns, y, penalties)
    }

    #[test]
    fn ridge_agrees_with_the_hand_written_elimination() {
        for (n, k) in [(50, 131), (200, 12)] {
            let (columns, y, penalties) = problem(n, k);
            let ours = ridge(&columns, &y, &penalties).unwrap();
            let before = reference::ridge(&columns, &y, &penalties).unwrap();
            let diff = ours
                .iter()
                .zip(&before)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(diff < 1e-12, "{n}×{k}: {diff}");
            let loo = ridge_loo_mse(&columns, &y, &penalties, &ours).unwrap();
            let loo_before = reference::ridge_loo_mse(&columns, &y, &penalties, &before).unwrap();
            assert!(
                (loo - loo_before).abs() < 1e-12 * loo_before,
                "{loo} {loo_before}"
            );
        }
    }

    #[test]
    fn cholesky_whitens_and_solves() {
        let rows = vec![
            vec![1.0, 2.0, 0.0],
            vec![0.5, -1.0, 2.0],
            vec![2.0, 0.0, 1.0],
        ];
        let penalties = [0.5, 1.0, 2.0];
        let factor = Cholesky::of_penalised_gram(&rows, &penalties).unwrap();
        assert_eq!(factor.dim(), 3);
        let a = reference::penalised_gram(&rows, &penalties);
        let l = reference::cholesky(&a).unwrap();
        let b = [1.0, -2.0, 0.5];
        let (ours, before) = (factor.whiten(&b), reference::forward_substitute(&l, &b));
        for (x, y) in ours.iter().zip(&before) {
            assert!((x - y).abs() < 1e-12, "{ours:?} {before:?}");
        }
        // A x = b, with A's upper triangle mirrored from the lower.
        let x = factor.solve(&b);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|j| a[i.max(j)][i.min(j)] * x[j]).sum();
            assert!((ax - b[i]).abs() < 1e-12, "{x:?}");
        }
        let not_definite = Mat::from_fn(2, 2, |i, j| if i == j { 1.0 } else { 2.0 });
        assert!(Cholesky::new(&not_definite).is_none());
        assert!(Cholesky::new(&Mat::zeros(2, 3)).is_none());
        assert!(Cholesky::of_penalised_gram(&[vec![1.0]], &[1.0, 2.0]).is_none());
    }
}
