//! The hand-written solvers that [`super::linalg`] (on faer) replaced,
//! kept as the benchmarks' baselines (`cargo bench --bench engine --
//! ridge`) and the tests' references: Gaussian elimination for the ridge,
//! and a Cholesky factor with forward substitution on `Vec<Vec<f64>>`.
//! The game's own paths never reach them: `model::questions` keeps a
//! one-by-one whitening on them (`Whitening::OneByOne`) only as the
//! question order's bench baseline.

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
    let centre = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| x - m).collect::<Vec<f64>>()
    };
    let x: Vec<Vec<f64>> = columns.iter().map(|c| centre(c)).collect();
    let y = centre(y);
    // A penalised column that never varies has weight 0 and no bearing on
    // the others: leaving it out of the system spares the work (a face
    // model's many inputs, most absent in a test).
    let active: Vec<usize> = (0..k)
        .filter(|&j| penalties[j] <= 0.0 || x[j].iter().any(|v| *v != 0.0))
        .collect();
    let m = active.len();
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(a, b)| a * b).sum::<f64>();
    // Normal equations (XᵀX + Λ) w = Xᵀy, as an augmented m × (m + 1)
    // matrix; XᵀX is symmetric, so each product is taken once.
    let mut a: Vec<Vec<f64>> = vec![vec![0.0; m + 1]; m];
    for (i, &ci) in active.iter().enumerate() {
        for (j, &cj) in active.iter().enumerate().skip(i) {
            let v = dot(&x[ci], &x[cj]);
            a[i][j] = v;
            a[j][i] = v;
        }
        a[i][i] += penalties[ci];
        a[i][m] = dot(&x[ci], &y);
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..m {
        let pivot = (col..m).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for row in lower.iter_mut() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
        }
    }
    let mut solved = vec![0.0; m];
    for i in (0..m).rev() {
        let rest: f64 = (i + 1..m).map(|j| a[i][j] * solved[j]).sum();
        solved[i] = (a[i][m] - rest) / a[i][i];
    }
    let mut w = vec![0.0; k];
    for (&j, v) in active.iter().zip(solved) {
        w[j] = v;
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
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let means: Vec<f64> = columns.iter().map(|c| mean(c)).collect();
    let rows: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..k).map(|j| columns[j][i] - means[j]).collect())
        .collect();
    let l = cholesky(&penalised_gram(&rows, penalties))?;
    let y_mean = mean(y);
    let mut sum = 0.0;
    for (x, &yi) in rows.iter().zip(y) {
        let u = forward_substitute(&l, x);
        let leverage = 1.0 / n as f64 + u.iter().map(|v| v * v).sum::<f64>();
        let fitted = y_mean + x.iter().zip(w).map(|(x, w)| x * w).sum::<f64>();
        sum += ((yi - fitted) / (1.0 - leverage).max(1e-9)).powi(2);
    }
    Some(sum / n as f64)
}

/// `XᵀX + Λ` for the (already centred) `rows` of X and the diagonal
/// `penalties` of Λ: the lower triangle only, which is all [`cholesky`]
/// reads.
pub fn penalised_gram(rows: &[Vec<f64>], penalties: &[f64]) -> Vec<Vec<f64>> {
    let k = penalties.len();
    let mut a = vec![vec![0.0; k]; k];
    for (j, row) in a.iter_mut().enumerate() {
        row[j] = penalties[j];
    }
    for x in rows {
        for (r, a) in a.iter_mut().enumerate() {
            for (c, a) in a.iter_mut().enumerate().take(r + 1) {
                *a += x[r] * x[c];
            }
        }
    }
    a
}

/// The lower Cholesky factor `L` of a symmetric positive definite matrix
/// (rows; only the lower triangle is read), `A = L Lᵀ`; `None` when `A` is
/// not square or not positive definite.
pub fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    if a.iter().any(|row| row.len() != n) {
        return None;
    }
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = l[i][..j].iter().zip(&l[j][..j]).map(|(a, b)| a * b).sum();
            if i == j {
                let d = a[i][i] - s;
                if d.is_nan() || d <= 1e-12 {
                    return None;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Solves `L y = b` for a lower-triangular `L` (a [`cholesky`] factor):
/// then `|y|² = bᵀ A⁻¹ b` and `y·z = bᵀ A⁻¹ c` for `z = L⁻¹ c`.
pub fn forward_substitute(l: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; b.len()];
    for i in 0..b.len() {
        let s: f64 = l[i][..i].iter().zip(&y[..i]).map(|(a, b)| a * b).sum();
        y[i] = (b[i] - s) / l[i][i];
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_factors_and_solves() {
        let a = vec![
            vec![4.0, 2.0, 0.4],
            vec![2.0, 5.0, 1.0],
            vec![0.4, 1.0, 3.0],
        ];
        let l = cholesky(&a).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let llt: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
                assert!((llt - a[i][j]).abs() < 1e-12, "{i} {j}");
            }
        }
        // bᵀ A⁻¹ b through the factor equals it through a solve of A x = b.
        let b = [1.0, -2.0, 0.5];
        let y = forward_substitute(&l, &b);
        let x = cramer_solve(&a, &b);
        let direct: f64 = b.iter().zip(&x).map(|(b, x)| b * x).sum();
        let through: f64 = y.iter().map(|v| v * v).sum();
        assert!((direct - through).abs() < 1e-12, "{direct} {through}");
        assert_eq!(cholesky(&[vec![1.0, 2.0], vec![2.0, 1.0]]), None);
        assert_eq!(cholesky(&[vec![1.0, 2.0]]), None);
    }

    /// Solves `A x = b` by Cramer's rule (3 × 3 only), independently of
    /// the factor under test.
    fn cramer_solve(a: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
        let det = |m: &[[f64; 3]; 3]| {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        };
        let m: [[f64; 3]; 3] = std::array::from_fn(|i| std::array::from_fn(|j| a[i][j]));
        let d = det(&m);
        (0..3)
            .map(|c| {
                let mut mc = m;
                for r in 0..3 {
                    mc[r][c] = b[r];
                }
                det(&mc) / d
            })
            .collect()
    }
}
