//! Simulated players: compare preference models on players whose hidden taste
//! is a few attribute levels (`mytype simulate`).
//!
//! A simulated player likes 2-4 attribute levels (and, most of the time, one
//! sex strongly). Its utility for a face is the sum of the weights of the
//! liked levels it has, plus Gaussian noise when it rates. It rates every
//! model face, bucketing utilities by rank into the five levels (15% Very
//! weak, 20% Slightly weak, 30% Normal, 20% Slightly like, 15% Type). Each
//! model learns from those ratings and ranks the pack's celebrities, which are
//! scored against the player's noiseless utility.

use crate::core::rating::Rating;
use crate::math::stats::{percentile_of, spearman};
use crate::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel};
use crate::pack::Pack;
use linfa::prelude::*;
use linfa_bayes::{BernoulliNb, NaiveBayes};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::BTreeMap;

/// Options of a simulation run.
#[derive(Debug, Clone)]
pub struct SimulationOptions {
    pub players: usize,
    pub seed: u64,
    /// Standard deviation of the rating noise, in units of a liked level's weight.
    pub noise: f64,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        SimulationOptions {
            players: 200,
            seed: 7,
            noise: 0.7,
        }
    }
}

/// How well one model did, averaged over players.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ModelScore {
    /// Spearman correlation of the model's scores with the true utilities.
    pub spearman: f64,
    /// Share of the other celebrities the pick truly beats (ties half).
    pub pick_percentile: f64,
    /// Share of players whose pick is among their true top 5.
    pub top5_hit: f64,
}

/// The result of [`simulate`].
#[derive(Debug, Clone, Serialize)]
pub struct SimulationReport {
    pub players: usize,
    pub rated_faces: usize,
    pub candidates: usize,
    pub models: BTreeMap<String, ModelScore>,
}

/// A preference learner under comparison.
pub trait Learner {
    fn name(&self) -> &'static str;
    /// Learns from `train` and scores every face of `test` (higher = liked more).
    fn fit_score(
        &self,
        space: &FeatureSpace,
        train: &[(Encoded, Rating)],
        test: &[Encoded],
    ) -> Vec<f64>;
}

/// Fits mytype's model on `train` and scores `test` with `score`.
fn nb_scores(
    space: &FeatureSpace,
    train: &[(Encoded, Rating)],
    test: &[Encoded],
    score: fn(&PreferenceModel, &Encoded) -> f64,
) -> Vec<f64> {
    let Ok(params) = NaiveBayesParams::new().check() else {
        return vec![0.0; test.len()];
    };
    let model = PreferenceModel::fit(space.clone(), &params, train);
    test.iter().map(|x| score(&model, x)).collect()
}

/// mytype's model: naive-Bayes counts scored ordinally (the game's model).
pub struct OrdinalNb;

impl Learner for OrdinalNb {
    fn name(&self) -> &'static str {
        "mytype"
    }
    fn fit_score(
        &self,
        space: &FeatureSpace,
        train: &[(Encoded, Rating)],
        test: &[Encoded],
    ) -> Vec<f64> {
        nb_scores(space, train, test, PreferenceModel::score)
    }
}

/// The same counts scored by the plain five-class categorical posterior.
pub struct CategoricalNb;

impl Learner for CategoricalNb {
    fn name(&self) -> &'static str {
        "categorical_nb"
    }
    fn fit_score(
        &self,
        space: &FeatureSpace,
        train: &[(Encoded, Rating)],
        test: &[Encoded],
    ) -> Vec<f64> {
        nb_scores(space, train, test, PreferenceModel::multiclass_score)
    }
}

/// linfa-bayes' BernoulliNb on one-hot encoded levels (MultinomialNb prints a
/// `dbg!` on every fit, and on one-hot rows it is the same model up to the
/// treatment of absent levels).
pub struct LinfaBernoulli;

/// One-hot rows over every level of every attribute.
pub fn one_hot(space: &FeatureSpace, rows: &[Encoded]) -> Array2<f64> {
    let offsets: Vec<usize> = space
        .attributes()
        .iter()
        .scan(0, |acc, a| {
            let start = *acc;
            *acc += a.levels.len();
            Some(start)
        })
        .collect();
    let width: usize = space.attributes().iter().map(|a| a.levels.len()).sum();
    let mut out = Array2::zeros((rows.len(), width));
    for (r, x) in rows.iter().enumerate() {
        for (a, level) in x.iter().enumerate().take(offsets.len()) {
            if let Some(l) = level {
                out[[r, offsets[a] + usize::from(*l)]] = 1.0;
            }
        }
    }
    out
}

impl Learner for LinfaBernoulli {
    fn name(&self) -> &'static str {
        "linfa_bernoulli"
    }
    fn fit_score(
        &self,
        space: &FeatureSpace,
        train: &[(Encoded, Rating)],
        test: &[Encoded],
    ) -> Vec<f64> {
        let xs: Vec<Encoded> = train.iter().map(|(x, _)| x.clone()).collect();
        let records = one_hot(space, &xs);
        let targets: Array1<usize> = train.iter().map(|(_, r)| usize::from(r.value())).collect();
        let dataset = Dataset::new(records, targets);
        let Ok(model) = BernoulliNb::params().alpha(1.0).fit(&dataset) else {
            return vec![0.0; test.len()];
        };
        let test_x = one_hot(space, test);
        let (proba, labels) = model.predict_proba(test_x.view());
        (0..test.len())
            .map(|i| {
                labels
                    .iter()
                    .enumerate()
                    .map(|(j, label)| **label as f64 * proba[[i, j]])
                    .sum()
            })
            .collect()
    }
}

/// Scores at random: the floor.
pub struct RandomGuess {
    pub seed: u64,
}

impl Learner for RandomGuess {
    fn name(&self) -> &'static str {
        "random"
    }
    fn fit_score(
        &self,
        _: &FeatureSpace,
        train: &[(Encoded, Rating)],
        test: &[Encoded],
    ) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ train.len() as u64);
        test.iter().map(|_| rng.random::<f64>()).collect()
    }
}

/// A hidden taste: liked (attribute index, level index, weight).
#[derive(Debug, Clone)]
pub struct Taste {
    pub likes: Vec<(usize, u16, f64)>,
}

impl Taste {
    pub fn utility(&self, x: &Encoded) -> f64 {
        self.likes
            .iter()
            .filter(|(a, l, _)| x.get(*a).copied().flatten() == Some(*l))
            .map(|(_, _, w)| w)
            .sum()
    }

    /// Draws a taste over `space`.
    pub fn random(space: &FeatureSpace, rng: &mut ChaCha8Rng) -> Taste {
        let attrs = space.attributes();
        let mut likes = Vec::new();
        if let Some(sex) = attrs.iter().position(|a| a.name == "sex") {
            if rng.random_bool(0.85) {
                likes.push((
                    sex,
                    rng.random_range(0..attrs[sex].levels.len()) as u16,
                    3.0,
                ));
            }
        }
        let wanted = rng.random_range(2..=4usize);
        let mut guard = 0;
        while likes.len() < wanted + 1 && guard < 100 {
            guard += 1;
            let a = rng.random_range(0..attrs.len());
            if likes.iter().any(|(b, _, _)| *b == a) {
                continue;
            }
            let l = rng.random_range(0..attrs[a].levels.len()) as u16;
            likes.push((a, l, rng.random_range(1.0..2.0)));
        }
        Taste { likes }
    }
}

fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    // Box-Muller; 1 - u keeps the log finite.
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Buckets utilities into ratings by rank (15/20/30/20/15%).
pub fn ratings_by_rank(utilities: &[f64]) -> Vec<Rating> {
    let ranks = crate::math::stats::average_ranks(utilities);
    let n = utilities.len().max(1) as f64;
    ranks
        .iter()
        .map(|r| {
            let q = (r - 0.5) / n;
            match q {
                q if q < 0.15 => Rating::VeryWeak,
                q if q < 0.35 => Rating::SlightlyWeak,
                q if q < 0.65 => Rating::Normal,
                q if q < 0.85 => Rating::SlightlyLike,
                _ => Rating::Type,
            }
        })
        .collect()
}

/// Runs the comparison on `pack`: players rate its model faces; models rank its celebrities.
pub fn simulate(
    pack: &Pack,
    opts: &SimulationOptions,
    learners: &[&dyn Learner],
) -> SimulationReport {
    let space = FeatureSpace::new(pack.manifest().attributes.clone());
    let rated: Vec<Encoded> = pack
        .model_faces()
        .map(|f| space.encode(&f.attributes))
        .collect();
    let candidates: Vec<Encoded> = pack
        .candidate_faces()
        .map(|f| space.encode(&f.attributes))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut sums: BTreeMap<String, ModelScore> = BTreeMap::new();
    for _ in 0..opts.players {
        let taste = Taste::random(&space, &mut rng);
        let noisy: Vec<f64> = rated
            .iter()
            .map(|x| taste.utility(x) + opts.noise * gaussian(&mut rng))
            .collect();
        let train: Vec<(Encoded, Rating)> =
            rated.iter().cloned().zip(ratings_by_rank(&noisy)).collect();
        let truth: Vec<f64> = candidates.iter().map(|x| taste.utility(x)).collect();
        let mut true_order: Vec<usize> = (0..truth.len()).collect();
        true_order.sort_by(|&a, &b| truth[b].total_cmp(&truth[a]));
        let fifth = true_order
            .get(4.min(truth.len().saturating_sub(1)))
            .map(|&i| truth[i]);
        for learner in learners {
            let scores = learner.fit_score(&space, &train, &candidates);
            let Some(pick) = argmax(&scores) else {
                continue;
            };
            let others: Vec<f64> = truth
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != pick)
                .map(|(_, &u)| u)
                .collect();
            let entry = sums.entry(learner.name().to_string()).or_default();
            entry.spearman += spearman(&scores, &truth);
            entry.pick_percentile += percentile_of(truth[pick], &others);
            entry.top5_hit += f64::from(u8::from(fifth.is_some_and(|f| truth[pick] >= f)));
        }
    }
    let n = opts.players.max(1) as f64;
    for score in sums.values_mut() {
        score.spearman /= n;
        score.pick_percentile /= n;
        score.top5_hit /= n;
    }
    SimulationReport {
        players: opts.players,
        rated_faces: rated.len(),
        candidates: candidates.len(),
        models: sums,
    }
}

/// Index of the largest score (first on ties).
pub fn argmax(scores: &[f64]) -> Option<usize> {
    scores
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, f64)>, (i, &s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((i, s)),
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_by_rank_spreads_levels() {
        let u: Vec<f64> = (0..20).map(f64::from).collect();
        let r = ratings_by_rank(&u);
        assert_eq!(r[0], Rating::VeryWeak);
        assert_eq!(r[19], Rating::Type);
        assert_eq!(r.iter().filter(|&&x| x == Rating::Type).count(), 3);
    }

    #[test]
    fn argmax_first_on_ties() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0]), Some(1));
        assert_eq!(argmax(&[]), None);
    }
}
