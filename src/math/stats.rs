//! Small statistics: ranks, Pearson and Spearman correlations, the mean
//! and its standard error, and a ridge-fitted linear model on standardised
//! inputs ([`StandardisedLinear`]). Used by the benchmarks and simulations,
//! and by the product: vision's level models (skin tone, hair colour,
//! appeal, measure's levels) and model's blend. The ridge itself is in
//! [`super::linalg`].

/// Ranks (1-based) with ties given their average rank.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// The mean of `values`; `None` when there are none.
pub fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Pearson correlation; 0 when either side is constant or shorter than 2.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    if n < 2 {
        return 0.0;
    }
    let mean = |v: &[f64]| v[..n].iter().sum::<f64>() / n as f64;
    let (ma, mb) = (mean(a), mean(b));
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (da, db) = (a[i] - ma, b[i] - mb);
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if saa <= 0.0 || sbb <= 0.0 {
        return 0.0;
    }
    sab / (saa.sqrt() * sbb.sqrt())
}

/// Spearman rank correlation (Pearson on average ranks).
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    pearson(&average_ranks(a), &average_ranks(b))
}

/// Share of `others` strictly below `value`, ties counted half.
pub fn percentile_of(value: f64, others: &[f64]) -> f64 {
    if others.is_empty() {
        return 0.5;
    }
    let below = others.iter().filter(|&&o| o < value).count() as f64;
    let ties = others.iter().filter(|&&o| o == value).count() as f64;
    (below + ties / 2.0) / others.len() as f64
}

/// The mean and its standard error (sample standard deviation over √n);
/// (0, 0) for no values, and a standard error of 0 for one.
pub fn mean_and_standard_error(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0);
    }
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (variance / n).sqrt())
}

use super::linalg::ridge;

/// A linear model on standardised inputs, each clamped to `clamp` spreads:
/// `intercept + Σ weight_j · clamp((x_j − mean_j) / sd_j)`.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardisedLinear {
    pub intercept: f64,
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub weight: Vec<f64>,
}

/// `intercept + Σ weight_j · clamp((row_j − mean_j) / sd_j, ±clamp)`: a
/// [`StandardisedLinear`]'s prediction, for models that keep its arrays in
/// constants.
pub fn standardised_sum(
    intercept: f64,
    weight: &[f64],
    mean: &[f64],
    sd: &[f64],
    row: &[f64],
    clamp: f64,
) -> f64 {
    intercept
        + row
            .iter()
            .zip(weight)
            .zip(mean.iter().zip(sd))
            .map(|((x, w), (m, s))| w * ((x - m) / s).clamp(-clamp, clamp))
            .sum::<f64>()
}

/// Ridge regression of `targets` on `rows` (one input vector per case, all
/// as long), on inputs standardised over the rows and clamped to `clamp`
/// spreads, with the same `penalty` for every input. A constant input gets
/// spread 1. `None` with fewer than two rows, ragged rows or a singular
/// system.
pub fn standardised_ridge(
    rows: &[Vec<f64>],
    targets: &[f64],
    penalty: f64,
    clamp: f64,
) -> Option<StandardisedLinear> {
    let width = rows.first()?.len();
    if rows.len() < 2 || rows.len() != targets.len() || rows.iter().any(|r| r.len() != width) {
        return None;
    }
    let n = rows.len() as f64;
    let mut mean = vec![0.0; width];
    let mut sd = vec![1.0; width];
    let mut columns = Vec::with_capacity(width);
    for j in 0..width {
        mean[j] = rows.iter().map(|r| r[j]).sum::<f64>() / n;
        let var = rows.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f64>() / n;
        sd[j] = if var > 1e-18 { var.sqrt() } else { 1.0 };
        columns.push(
            rows.iter()
                .map(|r| ((r[j] - mean[j]) / sd[j]).clamp(-clamp, clamp))
                .collect::<Vec<f64>>(),
        );
    }
    let weight = ridge(&columns, targets, &vec![penalty; width])?;
    let target_mean = targets.iter().sum::<f64>() / n;
    let intercept = target_mean
        - weight
            .iter()
            .zip(&columns)
            .map(|(w, c)| w * c.iter().sum::<f64>() / n)
            .sum::<f64>();
    Some(StandardisedLinear {
        intercept,
        mean,
        sd,
        weight,
    })
}

/// The `q`-th quantile (0-1) of `sorted` (ascending), interpolating
/// linearly between neighbours; `None` when empty.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let below = pos.floor() as usize;
    let above = (below + 1).min(last);
    let t = pos - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * t)
}

/// `x` mapped through the piecewise-linear curve through `(xs[i], ys[i])`
/// (`xs` ascending), held flat beyond its ends.
pub fn interpolate(x: f64, xs: &[f64], ys: &[f64]) -> f64 {
    let (Some(&first), Some(&last)) = (xs.first(), xs.last()) else {
        return x;
    };
    if x <= first {
        return ys[0];
    }
    if x >= last {
        return ys[xs.len() - 1];
    }
    let k = xs.partition_point(|&v| v <= x).clamp(1, xs.len() - 1);
    let (x0, x1, y0, y1) = (xs[k - 1], xs[k], ys[k - 1], ys[k]);
    if x1 > x0 {
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    } else {
        y1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::linalg::ridge_loo_mse;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 5.0]),
            vec![2.5, 4.0, 2.5, 1.0]
        );
    }

    #[test]
    fn spearman_known_values() {
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), 0.0);
        // Monotone but non-linear: still 1.
        assert!((spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 4.0, 9.0, 100.0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn percentile_counts_ties_half() {
        assert_eq!(percentile_of(3.0, &[1.0, 2.0, 3.0, 4.0]), 0.625);
        assert_eq!(percentile_of(9.0, &[]), 0.5);
    }

    #[test]
    fn the_loo_shortcut_matches_refitting_without_each_row() {
        let x1 = vec![1.0, 2.0, 0.5, 3.0, 4.5, 2.2, 0.1];
        let x2 = vec![0.3, -1.0, 2.0, 0.0, 1.1, -0.4, 0.9];
        let y = vec![2.0, 3.5, 1.0, 4.0, 6.5, 3.0, 1.2];
        let penalties = [0.7, 2.0];
        let columns = [x1.clone(), x2.clone()];
        let w = ridge(&columns, &y, &penalties).unwrap();
        let shortcut = ridge_loo_mse(&columns, &y, &penalties, &w).unwrap();
        let without = |v: &[f64], i: usize| -> Vec<f64> {
            v.iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, x)| *x)
                .collect()
        };
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let mut refit = 0.0;
        for i in 0..y.len() {
            let (c1, c2, rest) = (without(&x1, i), without(&x2, i), without(&y, i));
            let wi = ridge(&[c1.clone(), c2.clone()], &rest, &penalties).unwrap();
            let guess = mean(&rest) + wi[0] * (x1[i] - mean(&c1)) + wi[1] * (x2[i] - mean(&c2));
            refit += (y[i] - guess).powi(2) / y.len() as f64;
        }
        assert!((shortcut - refit).abs() < 1e-9, "{shortcut} {refit}");
        assert_eq!(ridge_loo_mse(&columns, &y[..3], &penalties, &w), None);
    }

    #[test]
    fn ridge_recovers_weights_and_shrinks_them() {
        // y = 2 a − b + 7, exactly.
        let a = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let b = vec![2.0, 1.0, 4.0, 3.0, 6.0, 5.0];
        let y: Vec<f64> = a.iter().zip(&b).map(|(a, b)| 2.0 * a - b + 7.0).collect();
        let w = ridge(&[a.clone(), b.clone()], &y, &[0.0, 0.0]).unwrap();
        assert!(
            (w[0] - 2.0).abs() < 1e-9 && (w[1] + 1.0).abs() < 1e-9,
            "{w:?}"
        );
        // A penalty pulls a weight towards 0, the more the larger.
        let light = ridge(&[a.clone(), b.clone()], &y, &[1.0, 1.0]).unwrap();
        let heavy = ridge(&[a.clone(), b.clone()], &y, &[100.0, 100.0]).unwrap();
        assert!(
            heavy[0].abs() < light[0].abs() && light[0].abs() < 2.0,
            "{light:?} {heavy:?}"
        );
        // One predictor: the closed form Σxy / (Σx² + λ) on centred values.
        let one = ridge(std::slice::from_ref(&a), &y, &[3.0]).unwrap();
        let centred: Vec<f64> = a.iter().map(|v| v - 3.5).collect();
        let ym = y.iter().sum::<f64>() / 6.0;
        let xy: f64 = centred.iter().zip(&y).map(|(x, y)| x * (y - ym)).sum();
        let xx: f64 = centred.iter().map(|x| x * x).sum();
        assert!((one[0] - xy / (xx + 3.0)).abs() < 1e-9, "{one:?}");
        // A constant predictor without a penalty is singular; lengths must agree.
        assert_eq!(ridge(&[vec![1.0; 6]], &y, &[0.0]), None);
        assert_eq!(ridge(&[vec![1.0; 5]], &y, &[1.0]), None);
        // A penalised constant predictor gets 0 and leaves the others as
        // they were.
        let with_constant =
            ridge(&[a.clone(), vec![4.0; 6], b.clone()], &y, &[1.0, 5.0, 1.0]).unwrap();
        assert_eq!(with_constant[1], 0.0);
        assert!(
            (with_constant[0] - light[0]).abs() < 1e-12
                && (with_constant[2] - light[1]).abs() < 1e-12,
            "{with_constant:?} {light:?}"
        );
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let sorted = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile_sorted(&sorted, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&sorted, 0.5), Some(3.0));
        assert_eq!(quantile_sorted(&sorted, 0.25), Some(1.75));
        assert_eq!(quantile_sorted(&sorted, 1.0), Some(8.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn interpolation_follows_the_curve_and_holds_flat_beyond_it() {
        let (xs, ys) = ([0.0, 1.0, 3.0], [10.0, 20.0, 60.0]);
        assert_eq!(interpolate(-5.0, &xs, &ys), 10.0);
        assert_eq!(interpolate(0.5, &xs, &ys), 15.0);
        assert_eq!(interpolate(2.0, &xs, &ys), 40.0);
        assert_eq!(interpolate(9.0, &xs, &ys), 60.0);
    }

    #[test]
    fn standardised_ridge_fits_a_line_whatever_the_input_scale() {
        // y = 3 + 2x on x in the thousands: standardising makes the small
        // penalty negligible, and predictions come back on y's scale.
        let rows: Vec<Vec<f64>> = (0..20)
            .map(|i| vec![1000.0 + 10.0 * f64::from(i), 5.0])
            .collect();
        let y: Vec<f64> = rows.iter().map(|r| 3.0 + 2.0 * r[0]).collect();
        let fit = standardised_ridge(&rows, &y, 1e-6, 4.0).unwrap();
        assert_eq!(fit.sd[1], 1.0, "a constant input keeps spread 1");
        let predict =
            |r: &[f64]| standardised_sum(fit.intercept, &fit.weight, &fit.mean, &fit.sd, r, 4.0);
        for (r, want) in rows.iter().zip(&y) {
            assert!(
                (predict(r) - want).abs() < 1e-3,
                "{} against {want}",
                predict(r)
            );
        }
        assert!(standardised_ridge(&rows[..1], &y[..1], 1.0, 4.0).is_none());
    }
}
