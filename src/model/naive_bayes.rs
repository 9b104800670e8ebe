//! The preference model: a categorical naive Bayes over quantised attributes
//! with the five ordered rating classes, updated one rating at a time.
//!
//! For class c (Very weak … Type) and a face with levels x_a:
//!   P(c | x) ∝ P(c) · Π_a P(x_a | c)
//!   P(c)       = (N_c + α) / (N + 5α)
//!   P(l | c)   = (N_{a,l,c} + α) / (N_{a,c} + L_a α)      (Laplace smoothing)
//! where N_{a,c} counts class-c ratings whose level of a is known. Unknown
//! attributes or levels are left out of the product (and out of the counts).
//!
//! A face's score ([`PreferenceModel::score`]) is its expected rating in
//! 1..=5, computed ordinally from the same counts:
//!   score(x) = 1 + Σ_{k=2..5} P(rating ≥ k | x),
//! each P(rating ≥ k | x) from a binary naive Bayes of ≥ k against < k (the
//! classes pooled on each side, smoothed as above). The five-class
//! posterior's expected rating Σ_c value(c) · P(c | x) is
//! [`PreferenceModel::multiclass_score`], kept for comparison.

use crate::core::attributes::{AttributeDef, Levels};
use crate::core::rating::Rating;

/// Number of rating classes.
pub const CLASSES: usize = 5;
/// Ordinal thresholds: rating ≥ 2, ≥ 3, ≥ 4, ≥ 5.
const THRESHOLDS: usize = CLASSES - 1;

/// Errors of the model's hyperparameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("smoothing alpha must be finite and > 0, got {0}")]
    InvalidAlpha(f64),
}

/// Hyperparameters, checked before use (linfa style).
#[derive(Debug, Clone, PartialEq)]
pub struct NaiveBayesParams {
    alpha: f64,
}

impl Default for NaiveBayesParams {
    fn default() -> Self {
        NaiveBayesParams { alpha: 1.0 }
    }
}

/// Hyperparameters that passed [`NaiveBayesParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidParams {
    alpha: f64,
}

impl NaiveBayesParams {
    pub fn new() -> Self {
        Self::default()
    }
    /// Laplace smoothing: α added to every count (1.0 = add-one).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }
    pub fn check(&self) -> Result<ValidParams, ModelError> {
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(ModelError::InvalidAlpha(self.alpha));
        }
        Ok(ValidParams { alpha: self.alpha })
    }
}

/// The attributes a model works over, with their ordered levels.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureSpace {
    attributes: Vec<AttributeDef>,
}

/// A face encoded in a [`FeatureSpace`]: one level index per attribute, `None`
/// where unknown.
pub type Encoded = Vec<Option<u16>>;

impl FeatureSpace {
    pub fn new(attributes: Vec<AttributeDef>) -> Self {
        FeatureSpace { attributes }
    }
    pub fn attributes(&self) -> &[AttributeDef] {
        &self.attributes
    }
    /// Encodes a face's levels; attributes or levels this space lacks are unknown.
    pub fn encode(&self, levels: &Levels) -> Encoded {
        self.attributes
            .iter()
            .map(|def| {
                levels
                    .get(&def.name)
                    .and_then(|l| def.level_index(l))
                    .and_then(|i| u16::try_from(i).ok())
            })
            .collect()
    }
    /// Names of this space's attributes that `other` also defines with the
    /// same levels: the ones a cross-pack reveal can use.
    pub fn shared_with(&self, other: &[AttributeDef]) -> Vec<String> {
        self.attributes
            .iter()
            .filter(|a| {
                other
                    .iter()
                    .any(|b| b.name == a.name && b.levels == a.levels)
            })
            .map(|a| a.name.clone())
            .collect()
    }
    /// A copy restricted to the named attributes (order kept).
    pub fn restricted_to(&self, names: &[String]) -> FeatureSpace {
        FeatureSpace {
            attributes: self
                .attributes
                .iter()
                .filter(|a| names.contains(&a.name))
                .cloned()
                .collect(),
        }
    }
}

/// Why a face scored as it did: one attribute level and how far it moved the
/// expected rating on its own (in rating points, + towards Type).
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub attribute: String,
    pub level: String,
    pub weight: f64,
}

/// Categorical naive Bayes over five ordered classes, updated incrementally.
#[derive(Debug, Clone)]
pub struct PreferenceModel {
    space: FeatureSpace,
    alpha: f64,
    /// Ratings per class.
    class_counts: [f64; CLASSES],
    /// counts[a][l][c]: class-c ratings with level l of attribute a.
    counts: Vec<Vec<[f64; CLASSES]>>,
    /// totals[a][c]: class-c ratings with a known level of attribute a.
    totals: Vec<[f64; CLASSES]>,
    /// Cached log P(c).
    log_prior: [f64; CLASSES],
    /// Cached log P(l | c) as log_lik[a][l][c].
    log_lik: Vec<Vec<[f64; CLASSES]>>,
    /// Cached P(c) and P(l | c) in linear space: scoring multiplies these
    /// instead of exponentiating (no `exp` per candidate).
    prior: [f64; CLASSES],
    lik: Vec<Vec<[f64; CLASSES]>>,
    /// Ordinal scoring caches: for each threshold t (rating ≥ t + 2), the
    /// prior log-odds and each level's log-likelihood ratio.
    ord_prior: [f64; THRESHOLDS],
    ord_lik: Vec<Vec<[f64; THRESHOLDS]>>,
    ratings: usize,
}

impl PreferenceModel {
    /// An empty model: uniform until the first rating.
    pub fn new(space: FeatureSpace, params: &ValidParams) -> Self {
        let counts: Vec<Vec<[f64; CLASSES]>> = space
            .attributes
            .iter()
            .map(|a| vec![[0.0; CLASSES]; a.levels.len()])
            .collect();
        let totals = vec![[0.0; CLASSES]; space.attributes.len()];
        let mut model = PreferenceModel {
            log_lik: counts.clone(),
            lik: counts.clone(),
            prior: [0.0; CLASSES],
            ord_prior: [0.0; THRESHOLDS],
            ord_lik: space
                .attributes
                .iter()
                .map(|a| vec![[0.0; THRESHOLDS]; a.levels.len()])
                .collect(),
            space,
            alpha: params.alpha,
            class_counts: [0.0; CLASSES],
            counts,
            totals,
            log_prior: [0.0; CLASSES],
            ratings: 0,
        };
        model.refresh_all();
        model
    }

    /// Fits from scratch on a batch (same result as updating one by one).
    pub fn fit(space: FeatureSpace, params: &ValidParams, samples: &[(Encoded, Rating)]) -> Self {
        let mut model = PreferenceModel::new(space, params);
        for (x, r) in samples {
            model.update(x, *r);
        }
        model
    }

    pub fn space(&self) -> &FeatureSpace {
        &self.space
    }

    /// Number of ratings learnt.
    pub fn ratings(&self) -> usize {
        self.ratings
    }

    /// Learns one rating; only the touched cache entries are recomputed.
    pub fn update(&mut self, x: &Encoded, rating: Rating) {
        self.add(x, rating, 1.0);
        self.ratings += 1;
    }

    /// Forgets one rating previously learnt (undo).
    pub fn forget(&mut self, x: &Encoded, rating: Rating) {
        if self.ratings == 0 {
            return;
        }
        self.add(x, rating, -1.0);
        self.ratings -= 1;
    }

    fn add(&mut self, x: &Encoded, rating: Rating, weight: f64) {
        let c = rating.index();
        self.class_counts[c] = (self.class_counts[c] + weight).max(0.0);
        for (a, level) in x.iter().enumerate().take(self.counts.len()) {
            let Some(l) = level.map(usize::from) else {
                continue;
            };
            if l >= self.counts[a].len() {
                continue;
            }
            self.counts[a][l][c] = (self.counts[a][l][c] + weight).max(0.0);
            self.totals[a][c] = (self.totals[a][c] + weight).max(0.0);
            self.refresh_attribute_class(a, c);
            self.refresh_ordinal_attribute(a);
        }
        self.refresh_prior();
    }

    fn refresh_ordinal_attribute(&mut self, a: usize) {
        let levels = self.counts[a].len() as f64;
        for t in 0..THRESHOLDS {
            let split = t + 1;
            let t_hi: f64 = self.totals[a][split..].iter().sum();
            let t_lo: f64 = self.totals[a][..split].iter().sum();
            for l in 0..self.counts[a].len() {
                let hi: f64 = self.counts[a][l][split..].iter().sum();
                let lo: f64 = self.counts[a][l][..split].iter().sum();
                self.ord_lik[a][l][t] = self.level_log_ratio(hi, lo, t_hi, t_lo, levels);
            }
        }
    }

    /// log P(level | ≥ t) − log P(level | < t) from the level's counts on
    /// each side (`hi`, `lo`) and the attribute's (`t_hi`, `t_lo`).
    #[inline]
    fn level_log_ratio(&self, hi: f64, lo: f64, t_hi: f64, t_lo: f64, levels: f64) -> f64 {
        ((hi + self.alpha) / (t_hi + levels * self.alpha)).ln()
            - ((lo + self.alpha) / (t_lo + levels * self.alpha)).ln()
    }

    /// Prior log-odds of ≥ t from the ratings on each side.
    #[inline]
    fn prior_log_odds(&self, hi: f64, lo: f64) -> f64 {
        ((hi + self.alpha) / (lo + self.alpha)).ln()
    }

    fn refresh_prior(&mut self) {
        let total: f64 = self.class_counts.iter().sum();
        let denom = total + CLASSES as f64 * self.alpha;
        for c in 0..CLASSES {
            self.prior[c] = (self.class_counts[c] + self.alpha) / denom;
            self.log_prior[c] = self.prior[c].ln();
        }
        for t in 0..THRESHOLDS {
            let hi: f64 = self.class_counts[t + 1..].iter().sum();
            let lo: f64 = self.class_counts[..t + 1].iter().sum();
            self.ord_prior[t] = self.prior_log_odds(hi, lo);
        }
    }

    fn refresh_attribute_class(&mut self, a: usize, c: usize) {
        let levels = self.counts[a].len() as f64;
        let denom = self.totals[a][c] + levels * self.alpha;
        for l in 0..self.counts[a].len() {
            let p = (self.counts[a][l][c] + self.alpha) / denom;
            self.lik[a][l][c] = p;
            self.log_lik[a][l][c] = p.ln();
        }
    }

    fn refresh_all(&mut self) {
        for a in 0..self.counts.len() {
            for c in 0..CLASSES {
                self.refresh_attribute_class(a, c);
            }
            self.refresh_ordinal_attribute(a);
        }
        self.refresh_prior();
    }

    /// Log of the unnormalised joint per class.
    fn joint_log(&self, x: &Encoded) -> [f64; CLASSES] {
        let mut out = self.log_prior;
        for (a, level) in x.iter().enumerate().take(self.log_lik.len()) {
            if let Some(row) = level.and_then(|l| self.log_lik[a].get(usize::from(l))) {
                for c in 0..CLASSES {
                    out[c] += row[c];
                }
            }
        }
        out
    }

    /// Unnormalised P(c) · Π P(x_a | c) in linear space. Each factor is at
    /// least α/(N+Lα), so a few dozen attributes cannot underflow an f64;
    /// callers fall back to the log path when the sum is tiny.
    #[inline]
    fn joint_linear(&self, x: &Encoded) -> [f64; CLASSES] {
        let mut joint = self.prior;
        for (tables, level) in self.lik.iter().zip(x) {
            if let Some(row) = level.and_then(|l| tables.get(usize::from(l))) {
                for c in 0..CLASSES {
                    joint[c] *= row[c];
                }
            }
        }
        joint
    }

    /// P(class | x), summing to 1.
    pub fn posterior(&self, x: &Encoded) -> [f64; CLASSES] {
        let joint = self.joint_linear(x);
        let sum: f64 = joint.iter().sum();
        if sum.is_finite() && sum > 1e-250 {
            joint.map(|p| p / sum)
        } else {
            softmax(self.joint_log(x))
        }
    }

    /// Log-odds of rating ≥ t + 2 for each threshold t.
    #[inline]
    fn ordinal_logits(&self, x: &Encoded) -> [f64; THRESHOLDS] {
        let mut logits = self.ord_prior;
        for (tables, level) in self.ord_lik.iter().zip(x) {
            if let Some(row) = level.and_then(|l| tables.get(usize::from(l))) {
                for t in 0..THRESHOLDS {
                    logits[t] += row[t];
                }
            }
        }
        logits
    }

    /// The face's score, an expected rating in 1..=5 computed ordinally:
    /// 1 + Σ_k P(rating ≥ k | x), k = 2..5, each P from a binary naive Bayes
    /// (≥ k against < k) over the same counts. Pooling neighbouring classes
    /// gives each estimate more ratings than the five-class posterior has; on
    /// simulated players it ranks better (docs/model.md, *The naive Bayes*).
    pub fn score(&self, x: &Encoded) -> f64 {
        score_of_logits(&self.ordinal_logits(x))
    }

    /// What [`Self::score`] of `x` would be once one more rating of `learnt`
    /// were learnt, without learning it: the same counts plus one, so the
    /// same numbers as [`Self::update`] then [`Self::score`] (the adaptive
    /// order asks this for every open face and every rating, and only the
    /// few logs it touches are worked out).
    pub fn score_if(&self, learnt: &Encoded, rating: Rating, x: &Encoded) -> f64 {
        let c = rating.index();
        let mut logits = [0.0; THRESHOLDS];
        for (t, logit) in logits.iter_mut().enumerate() {
            let split = t + 1;
            let (into_hi, into_lo) = if c >= split { (1.0, 0.0) } else { (0.0, 1.0) };
            let hi: f64 = self.class_counts[split..].iter().sum::<f64>() + into_hi;
            let lo: f64 = self.class_counts[..split].iter().sum::<f64>() + into_lo;
            *logit = self.prior_log_odds(hi, lo);
        }
        for (a, level) in x.iter().enumerate().take(self.counts.len()) {
            let Some(l) = level.map(usize::from).filter(|&l| l < self.counts[a].len()) else {
                continue;
            };
            let added = learnt
                .get(a)
                .copied()
                .flatten()
                .map(usize::from)
                .filter(|&k| k < self.counts[a].len());
            let Some(k) = added else {
                // This attribute's counts do not change.
                for (logit, v) in logits.iter_mut().zip(self.ord_lik[a][l]) {
                    *logit += v;
                }
                continue;
            };
            let levels = self.counts[a].len() as f64;
            let same = k == l;
            for (t, logit) in logits.iter_mut().enumerate() {
                let split = t + 1;
                let (into_hi, into_lo) = if c >= split { (1.0, 0.0) } else { (0.0, 1.0) };
                let t_hi: f64 = self.totals[a][split..].iter().sum::<f64>() + into_hi;
                let t_lo: f64 = self.totals[a][..split].iter().sum::<f64>() + into_lo;
                let mut hi: f64 = self.counts[a][l][split..].iter().sum();
                let mut lo: f64 = self.counts[a][l][..split].iter().sum();
                if same {
                    hi += into_hi;
                    lo += into_lo;
                }
                *logit += self.level_log_ratio(hi, lo, t_hi, t_lo, levels);
            }
        }
        score_of_logits(&logits)
    }

    /// Expected rating under the five-class posterior (the plain categorical NB).
    pub fn multiclass_score(&self, x: &Encoded) -> f64 {
        let joint = self.joint_linear(x);
        let sum: f64 = joint.iter().sum();
        if sum.is_finite() && sum > 1e-250 {
            let weighted: f64 = joint
                .iter()
                .enumerate()
                .map(|(c, p)| (c + 1) as f64 * p)
                .sum();
            weighted / sum
        } else {
            expected_rating(&softmax(self.joint_log(x)))
        }
    }

    /// P(rating ≥ Slightly like | x): how sure the model is the player will
    /// like this face.
    pub fn confidence(&self, x: &Encoded) -> f64 {
        sigmoid(self.ordinal_logits(x)[Rating::SlightlyLike.index() - 1])
    }

    /// Candidates ranked best first as (index, score); ties keep input order.
    pub fn rank(&self, candidates: &[Encoded]) -> Vec<(usize, f64)> {
        // Scores are in 1..=5, so their IEEE bits order like the numbers:
        // sorting integer keys is about twice as fast as comparing floats.
        let mut keyed: Vec<(std::cmp::Reverse<u64>, usize)> = candidates
            .iter()
            .enumerate()
            .map(|(i, x)| (std::cmp::Reverse(self.score(x).to_bits()), i))
            .collect();
        keyed.sort_unstable();
        keyed
            .into_iter()
            .map(|(std::cmp::Reverse(bits), i)| (i, f64::from_bits(bits)))
            .collect()
    }

    /// The score with only the given (attribute, level) known.
    fn single_level_score(&self, a: usize, l: usize) -> f64 {
        let row = &self.ord_lik[a][l];
        1.0 + (0..THRESHOLDS)
            .map(|t| sigmoid(self.ord_prior[t] + row[t]))
            .sum::<f64>()
    }

    /// The score with nothing known.
    fn base_score(&self) -> f64 {
        1.0 + self.ord_prior.iter().map(|&z| sigmoid(z)).sum::<f64>()
    }

    /// The attribute levels of `x` ordered by how much each alone moves the
    /// score from the prior's (largest push towards Type first).
    pub fn explain(&self, x: &Encoded) -> Vec<Reason> {
        let base = self.base_score();
        let mut reasons: Vec<Reason> = x
            .iter()
            .enumerate()
            .take(self.ord_lik.len())
            .filter_map(|(a, level)| {
                let l = usize::from((*level)?);
                if l >= self.ord_lik[a].len() {
                    return None;
                }
                let def = &self.space.attributes[a];
                Some(Reason {
                    attribute: def.name.clone(),
                    level: def.levels[l].clone(),
                    weight: self.single_level_score(a, l) - base,
                })
            })
            .collect();
        reasons.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        reasons
    }

    /// The effect of every attribute level on its own (as in [`Self::explain`]).
    pub fn level_effects(&self) -> Vec<Reason> {
        let base = self.base_score();
        let mut out = Vec::new();
        for (a, def) in self.space.attributes.iter().enumerate() {
            for (l, level) in def.levels.iter().enumerate() {
                out.push(Reason {
                    attribute: def.name.clone(),
                    level: level.clone(),
                    weight: self.single_level_score(a, l) - base,
                });
            }
        }
        out
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// 1 + Σ_k P(rating ≥ k): the expected rating from the ordinal log-odds.
fn score_of_logits(logits: &[f64; THRESHOLDS]) -> f64 {
    1.0 + logits.iter().map(|&z| sigmoid(z)).sum::<f64>()
}

/// Σ_c value(c) · p_c.
fn expected_rating(p: &[f64; CLASSES]) -> f64 {
    p.iter().enumerate().map(|(c, p)| (c + 1) as f64 * p).sum()
}

fn softmax(log: [f64; CLASSES]) -> [f64; CLASSES] {
    let max = log.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut out = [0.0; CLASSES];
    let mut sum = 0.0;
    for c in 0..CLASSES {
        out[c] = (log[c] - max).exp();
        sum += out[c];
    }
    for p in &mut out {
        *p /= sum;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space() -> FeatureSpace {
        FeatureSpace::new(vec![
            AttributeDef {
                name: "hair".into(),
                levels: vec!["dark".into(), "light".into()],
                description: String::new(),
            },
            AttributeDef {
                name: "smile".into(),
                levels: vec!["no".into(), "yes".into(), "broad".into()],
                description: String::new(),
            },
        ])
    }

    fn params() -> ValidParams {
        NaiveBayesParams::new().check().unwrap()
    }

    #[test]
    fn hand_computed_posterior() {
        // Ratings: (dark, yes) Type; (dark, no) Type; (light, no) Very weak.
        let data = vec![
            (vec![Some(0), Some(1)], Rating::Type),
            (vec![Some(0), Some(0)], Rating::Type),
            (vec![Some(1), Some(0)], Rating::VeryWeak),
        ];
        let model = PreferenceModel::fit(space(), &params(), &data);
        // Priors (α=1, N=3, K=5): Type (2+1)/8, Very weak (1+1)/8, others 1/8.
        // Query (dark, yes):
        //   Type:      3/8 · (2+1)/(2+2) · (1+1)/(2+3) = 3/8 · 3/4 · 2/5 = 0.1125
        //   Very weak: 2/8 · (0+1)/(1+2) · (0+1)/(1+3) = 2/8 · 1/3 · 1/4 = 0.0208333
        //   others:    1/8 · 1/2 · 1/3                                   = 0.0208333 each
        let p = model.posterior(&vec![Some(0), Some(1)]);
        let unnorm = [
            2.0 / 8.0 / 3.0 / 4.0,
            1.0 / 48.0,
            1.0 / 48.0,
            1.0 / 48.0,
            0.1125,
        ];
        let z: f64 = unnorm.iter().sum();
        for c in 0..CLASSES {
            assert!((p[c] - unnorm[c] / z).abs() < 1e-12, "class {c}: {p:?}");
        }
        let expected: f64 = (0..CLASSES).map(|c| (c + 1) as f64 * unnorm[c] / z).sum();
        assert!((model.multiclass_score(&vec![Some(0), Some(1)]) - expected).abs() < 1e-12);
    }

    #[test]
    fn unknown_levels_are_ignored() {
        let data = vec![(vec![Some(0), None], Rating::Type)];
        let model = PreferenceModel::fit(space(), &params(), &data);
        // Smile never observed: any smile level gives the same posterior.
        let a = model.posterior(&vec![Some(0), Some(0)]);
        let b = model.posterior(&vec![Some(0), Some(2)]);
        let c = model.posterior(&vec![Some(0), None]);
        for k in 0..CLASSES {
            assert!((a[k] - b[k]).abs() < 1e-12 && (a[k] - c[k]).abs() < 1e-12);
        }
        // Out-of-range indices are ignored, not a panic.
        let _ = model.posterior(&vec![Some(9), Some(9), Some(9)]);
    }

    #[test]
    fn forget_undoes_update() {
        let mut model = PreferenceModel::new(space(), &params());
        let x = vec![Some(1), Some(2)];
        let before = model.posterior(&x);
        model.update(&x, Rating::Type);
        assert!(model.score(&x) > 3.0);
        model.forget(&x, Rating::Type);
        let after = model.posterior(&x);
        for c in 0..CLASSES {
            assert!((before[c] - after[c]).abs() < 1e-12);
        }
        assert_eq!(model.ratings(), 0);
    }

    #[test]
    fn ranks_and_explains_the_liked_level_first() {
        let mut model = PreferenceModel::new(space(), &params());
        for _ in 0..4 {
            model.update(&vec![Some(1), Some(0)], Rating::Type);
            model.update(&vec![Some(0), Some(0)], Rating::VeryWeak);
        }
        let ranked = model.rank(&[vec![Some(0), Some(1)], vec![Some(1), Some(1)]]);
        assert_eq!(ranked[0].0, 1);
        let why = model.explain(&vec![Some(1), Some(1)]);
        assert_eq!(why[0].attribute, "hair");
        assert_eq!(why[0].level, "light");
        assert!(why[0].weight > 0.5, "{why:?}");
        assert!(model.confidence(&vec![Some(1), Some(1)]) > 0.5);
    }

    /// The ordinal score straight from the counts, without caches.
    fn ordinal_score_uncached(m: &PreferenceModel, x: &Encoded) -> f64 {
        let mut score = 1.0;
        for k in 1..CLASSES {
            let n_hi: f64 = m.class_counts[k..].iter().sum();
            let n_lo: f64 = m.class_counts[..k].iter().sum();
            let mut log_hi = (n_hi + m.alpha).ln();
            let mut log_lo = (n_lo + m.alpha).ln();
            for (a, level) in x.iter().enumerate() {
                let Some(l) = level.map(usize::from) else {
                    continue;
                };
                let levels = m.counts[a].len() as f64;
                let hi: f64 = m.counts[a][l][k..].iter().sum();
                let lo: f64 = m.counts[a][l][..k].iter().sum();
                let t_hi: f64 = m.totals[a][k..].iter().sum();
                let t_lo: f64 = m.totals[a][..k].iter().sum();
                log_hi += ((hi + m.alpha) / (t_hi + levels * m.alpha)).ln();
                log_lo += ((lo + m.alpha) / (t_lo + levels * m.alpha)).ln();
            }
            score += 1.0 / (1.0 + (log_lo - log_hi).exp());
        }
        score
    }

    #[test]
    fn cached_ordinal_score_matches_the_counts() {
        let data = vec![
            (vec![Some(0), Some(1)], Rating::Type),
            (vec![Some(0), Some(0)], Rating::SlightlyLike),
            (vec![Some(1), Some(0)], Rating::VeryWeak),
            (vec![Some(1), None], Rating::Normal),
        ];
        let model = PreferenceModel::fit(space(), &params(), &data);
        for x in [
            vec![Some(0), Some(1)],
            vec![Some(1), Some(2)],
            vec![None, None],
        ] {
            let (a, b) = (model.score(&x), ordinal_score_uncached(&model, &x));
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        // Hand-computed: nothing known, P(≥k) = (N_≥k + 1)/(N + 2):
        // ratings 5, 4, 1, 3: ≥2: 4/6, ≥3: 4/6, ≥4: 3/6, ≥5: 2/6 → 1 + 13/6.
        assert!((model.score(&vec![None, None]) - 19.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn params_are_checked() {
        assert!(NaiveBayesParams::new().alpha(0.0).check().is_err());
        assert!(NaiveBayesParams::new().alpha(f64::NAN).check().is_err());
        assert!(NaiveBayesParams::new().alpha(0.5).check().is_ok());
    }
}
