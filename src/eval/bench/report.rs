//! What a bench run reports: the metrics per model, the paired differences
//! between models, and the learning curves.

use super::{CURVE_POINTS, GOAL_ADAPTIVE_AFTER};
use crate::core::rating::Rating;
use crate::eval::simulate::argmax;
use crate::math::stats::{mean_and_standard_error, percentile_of, spearman};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metrics {
    pub spearman: f64,
    pub reveal_percentile: f64,
    pub top5_hit: f64,
    /// For models that say how sure they are ("% sure" in the game): the
    /// Brier score of that confidence on the held-out faces, the mean squared
    /// gap between it and 1 for a face rated Slightly like or Type, 0
    /// otherwise (lower is better; always saying 50% scores 0.25).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brier: Option<f64>,
}

impl Metrics {
    /// The mean of each metric (all zero for none; the Brier score over the
    /// runs that have one).
    pub fn mean(all: &[Metrics]) -> Metrics {
        let n = all.len().max(1) as f64;
        let briers: Vec<f64> = all.iter().filter_map(|m| m.brier).collect();
        Metrics {
            spearman: all.iter().map(|m| m.spearman).sum::<f64>() / n,
            reveal_percentile: all.iter().map(|m| m.reveal_percentile).sum::<f64>() / n,
            top5_hit: all.iter().map(|m| m.top5_hit).sum::<f64>() / n,
            brier: (!briers.is_empty()).then(|| briers.iter().sum::<f64>() / briers.len() as f64),
        }
    }
}

/// Whether a true level counts as liked: Slightly like or Type.
pub(super) fn liked(level: f64) -> bool {
    level >= f64::from(Rating::SlightlyLike.value())
}

/// The Brier score of `confidence` (P(liked)) against the true levels.
pub(super) fn brier(confidence: &[f64], truth: &[f64]) -> f64 {
    let squares: f64 = confidence
        .iter()
        .zip(truth)
        .map(|(p, &t)| (p - if liked(t) { 1.0 } else { 0.0 }).powi(2))
        .sum();
    squares / confidence.len().max(1) as f64
}

/// The comparisons the bars name, (model, baseline): the personal
/// model against each baseline, and the crowd prior against the crowd alone.
pub const COMPARED: [(&str, &str); 5] = [
    ("mytype", "naive_bayes"),
    ("mytype", "similarity"),
    ("mytype", "nb_demographic"),
    ("mytype", "linfa_bernoulli"),
    ("mytype_crowd", "crowd"),
];

/// A mean difference between two models, rater by rater, and its standard
/// error (the sample standard deviation of the differences over √n).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Difference {
    pub difference: f64,
    pub standard_error: f64,
}

impl Difference {
    fn of(pairs: impl Iterator<Item = (f64, f64)>) -> Difference {
        let d: Vec<f64> = pairs.map(|(a, b)| a - b).collect();
        let (difference, standard_error) = mean_and_standard_error(&d);
        Difference {
            difference,
            standard_error,
        }
    }
}

/// Paired differences of Spearman and reveal percentile for one comparison.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Comparison {
    /// Rater-runs compared.
    pub pairs: usize,
    pub spearman: Difference,
    pub reveal_percentile: Difference,
}

/// The [`COMPARED`] pairs both present in `per_rater`, keyed `"a - b"`.
/// Each model has one entry per evaluated rater, in the same order.
pub(super) fn comparisons(
    per_rater: &BTreeMap<String, Vec<Metrics>>,
) -> BTreeMap<String, Comparison> {
    COMPARED
        .iter()
        .filter_map(|&(a, b)| {
            let (xs, ys) = (per_rater.get(a)?, per_rater.get(b)?);
            let pairs = || xs.iter().zip(ys);
            Some((
                format!("{a} - {b}"),
                Comparison {
                    pairs: xs.len().min(ys.len()),
                    spearman: Difference::of(pairs().map(|(x, y)| (x.spearman, y.spearman))),
                    reveal_percentile: Difference::of(
                        pairs().map(|(x, y)| (x.reveal_percentile, y.reveal_percentile)),
                    ),
                },
            ))
        })
        .collect()
}

/// The JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub raters: usize,
    pub train: usize,
    /// Runs averaged (`--repeats`).
    pub repeats: usize,
    pub models: BTreeMap<String, Metrics>,
    /// Paired differences, rater by rater over every run (see [`COMPARED`]).
    pub comparisons: BTreeMap<String, Comparison>,
    /// Each model's metrics per evaluated rater (over every run).
    #[serde(skip)]
    pub per_rater: BTreeMap<String, Vec<Metrics>>,
    /// reveal_percentile after n ratings, adaptive vs random order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_curves: Option<LearningCurves>,
}

/// reveal_percentile after n ratings (`"10"`, `"20"`, …) per model and order
/// (`"mytype/adaptive"`, `"mytype/random"`, `"mytype_crowd/…"`).
#[derive(Debug, Clone, Serialize)]
pub struct LearningCurves {
    /// Raters with enough ratings for the longest curve.
    pub raters: usize,
    /// Held-out faces the reveal picks from, per rater.
    pub test_faces: usize,
    pub curves: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per model (`"mytype"`, `"mytype_crowd"`), the goal: adaptive
    /// order after [`GOAL_ADAPTIVE_AFTER`] ratings less random order after
    /// the curves' last point, rater by rater over every run. Empty when
    /// the curves stop at or before that point.
    pub goal: BTreeMap<String, Difference>,
    /// Each curve's reveal percentile per point, per rater (over every run).
    #[serde(skip)]
    pub per_rater: BTreeMap<String, Vec<Vec<f64>>>,
}

impl LearningCurves {
    /// [`LearningCurves::goal`] from [`LearningCurves::per_rater`].
    pub(super) fn goal_of(
        per_rater: &BTreeMap<String, Vec<Vec<f64>>>,
    ) -> BTreeMap<String, Difference> {
        let points: Vec<usize> = CURVE_POINTS
            .iter()
            .copied()
            .take(per_rater.values().next().map_or(0, Vec::len))
            .collect();
        let Some(early) = points.iter().position(|&p| p == GOAL_ADAPTIVE_AFTER) else {
            return BTreeMap::new();
        };
        let late = points.len() - 1;
        if late == early {
            return BTreeMap::new();
        }
        ["mytype", "mytype_crowd"]
            .into_iter()
            .filter_map(|model| {
                let adaptive = per_rater.get(&format!("{model}/adaptive"))?;
                let random = per_rater.get(&format!("{model}/random"))?;
                let pairs = adaptive[early]
                    .iter()
                    .copied()
                    .zip(random[late].iter().copied());
                Some((model.to_string(), Difference::of(pairs)))
            })
            .collect()
    }
}

/// The share of the other faces rated below the highest-scored one (ties
/// half; the first of equal scores is the pick); 0 with no faces.
pub fn reveal_percentile(scores: &[f64], truth: &[f64]) -> f64 {
    let Some(pick) = argmax(scores) else {
        return 0.0;
    };
    let others: Vec<f64> = truth
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pick)
        .map(|(_, &t)| t)
        .collect();
    percentile_of(truth[pick], &others)
}

pub(super) fn metrics(scores: &[f64], truth: &[f64]) -> Metrics {
    if scores.is_empty() {
        return Metrics::default();
    }
    let best = truth.iter().copied().fold(f64::MIN, f64::max);
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let hit = order.iter().take(5).any(|&i| truth[i] >= best);
    Metrics {
        spearman: spearman(scores, truth),
        reveal_percentile: reveal_percentile(scores, truth),
        top5_hit: if hit { 1.0 } else { 0.0 },
        brier: None,
    }
}

impl BenchReport {
    /// The mean of runs with successive seeds: every number averaged, the
    /// differences and the learning curves' goal taken rater by rater over
    /// every run. `reports` is not empty.
    pub(super) fn average(reports: &[BenchReport]) -> BenchReport {
        let repeats = reports.len();
        let mut out = reports[0].clone();
        out.repeats = repeats;
        out.raters = reports.iter().map(|r| r.raters).sum::<usize>() / repeats;
        for (name, m) in out.models.iter_mut() {
            let means: Vec<Metrics> = reports
                .iter()
                .filter_map(|r| r.models.get(name).cloned())
                .collect();
            *m = Metrics::mean(&means);
        }
        // Differences are taken rater by rater, over every run's raters.
        let mut pooled: BTreeMap<String, Vec<Metrics>> = BTreeMap::new();
        for r in reports {
            for (name, all) in &r.per_rater {
                pooled
                    .entry(name.clone())
                    .or_default()
                    .extend(all.iter().cloned());
            }
        }
        out.comparisons = comparisons(&pooled);
        out.per_rater = pooled;
        if let Some(lc) = out.learning_curves.as_mut() {
            let others: Vec<&LearningCurves> = reports
                .iter()
                .filter_map(|r| r.learning_curves.as_ref())
                .collect();
            lc.raters = others.iter().map(|l| l.raters).sum::<usize>() / others.len().max(1);
            for (name, curve) in lc.curves.iter_mut() {
                for (point, v) in curve.iter_mut() {
                    let values: Vec<f64> = others
                        .iter()
                        .filter_map(|l| l.curves.get(name)?.get(point).copied())
                        .collect();
                    *v = values.iter().sum::<f64>() / values.len().max(1) as f64;
                }
            }
            // The goal is taken rater by rater, over every run's raters.
            let mut pooled: BTreeMap<String, Vec<Vec<f64>>> = BTreeMap::new();
            for l in &others {
                for (name, points) in &l.per_rater {
                    let into = pooled
                        .entry(name.clone())
                        .or_insert_with(|| vec![Vec::new(); points.len()]);
                    for (all, run) in into.iter_mut().zip(points) {
                        all.extend(run);
                    }
                }
            }
            lc.goal = LearningCurves::goal_of(&pooled);
            lc.per_rater = pooled;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_goal_pairs_adaptive_after_25_with_random_at_the_last_point() {
        // Points 10, 20, 25, 30, 50; two raters.
        let curve = |at_25: [f64; 2], at_50: [f64; 2]| {
            vec![
                vec![0.0; 2],
                vec![0.0; 2],
                at_25.to_vec(),
                vec![0.0; 2],
                at_50.to_vec(),
            ]
        };
        let mut per_rater = BTreeMap::new();
        per_rater.insert("mytype/adaptive".to_string(), curve([0.8, 0.6], [0.9, 0.9]));
        per_rater.insert("mytype/random".to_string(), curve([0.1, 0.1], [0.7, 0.7]));
        let goal = LearningCurves::goal_of(&per_rater);
        assert_eq!(goal.keys().collect::<Vec<_>>(), ["mytype"]);
        // Differences +0.1 and −0.1: mean 0, standard error 0.1.
        assert!(goal["mytype"].difference.abs() < 1e-12);
        assert!((goal["mytype"].standard_error - 0.1).abs() < 1e-12);
        // Curves that stop at 25 (train 25) have no goal to read.
        for v in per_rater.values_mut() {
            v.truncate(3);
        }
        assert!(LearningCurves::goal_of(&per_rater).is_empty());
    }

    #[test]
    fn comparisons_pair_the_same_raters() {
        let m = |spearman: f64, reveal_percentile: f64| Metrics {
            spearman,
            reveal_percentile,
            top5_hit: 0.0,
            brier: None,
        };
        let mut per_rater = BTreeMap::new();
        per_rater.insert(
            "mytype".to_string(),
            vec![m(0.5, 0.9), m(0.3, 0.4), m(0.1, 0.8)],
        );
        per_rater.insert(
            "similarity".to_string(),
            vec![m(0.4, 0.7), m(0.2, 0.3), m(0.0, 0.6)],
        );
        per_rater.insert("crowd".to_string(), vec![m(0.9, 0.9); 3]);
        let c = comparisons(&per_rater);
        // Only pairs whose two models were scored; mytype_crowd was not.
        assert_eq!(c.keys().collect::<Vec<_>>(), ["mytype - similarity"]);
        let d = &c["mytype - similarity"];
        assert_eq!(d.pairs, 3);
        // Spearman differences are all 0.1: no spread, no error.
        assert!((d.spearman.difference - 0.1).abs() < 1e-12);
        assert!(d.spearman.standard_error < 1e-12);
        // Reveal differences 0.2, 0.1, 0.2: mean 1/6, sd √(1/300), se sd/√3.
        assert!((d.reveal_percentile.difference - 1.0 / 6.0).abs() < 1e-12);
        let se = (1.0f64 / 300.0).sqrt() / 3f64.sqrt();
        assert!((d.reveal_percentile.standard_error - se).abs() < 1e-12);
    }

    #[test]
    fn metrics_of_a_perfect_and_a_reversed_model() {
        let truth = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0];
        let perfect = metrics(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &truth);
        assert!((perfect.spearman - 0.986).abs() < 0.01);
        // Pick (truth 5) beats 4 of the 5 others and ties one: (4 + 0.5)/5.
        assert!((perfect.reveal_percentile - 0.9).abs() < 1e-12);
        assert_eq!(perfect.top5_hit, 1.0);
        let reversed = metrics(&[6.0, 5.0, 4.0, 3.0, 2.0, 1.0], &truth);
        assert_eq!(reversed.reveal_percentile, 0.0);
        assert!(reversed.spearman < -0.9);
    }

    #[test]
    fn the_brier_score_counts_slightly_like_and_type_as_liked() {
        let truth = [1.0, 3.0, 4.0, 5.0];
        assert_eq!(brier(&[0.0, 0.0, 1.0, 1.0], &truth), 0.0);
        assert_eq!(brier(&[1.0, 1.0, 0.0, 0.0], &truth), 1.0);
        assert_eq!(brier(&[0.5; 4], &truth), 0.25);
        assert_eq!(metrics(&[1.0, 2.0, 3.0, 4.0], &truth).brier, None);
    }
}
