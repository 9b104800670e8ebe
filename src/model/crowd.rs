//! The crowd prior and the adaptive choice of the next face to rate.
//!
//! **Crowd scores.** The crowd is other people's ratings of a pack's faces,
//! on the game's 1..=5 scale: the pack's `crowd` fields (one rater,
//! [`PACK_CROWD`]) and the other players' profiles in the same profiles
//! folder that rated the same pack. A face's crowd score is not the plain
//! mean of its ratings ([`CrowdScores::mean`], the bench's `crowd` baseline)
//! but how far each rater put it above *their own* mean, averaged (with one
//! pseudo-rating of 0) and added to the mean of all ratings: when raters see
//! different faces, a generous rater would otherwise lift every face they
//! happened to see. For one player it also leans towards the raters who rate
//! like them: each crowd rater with at least [`MIN_OVERLAP`] faces in common
//! with the player is weighted by the correlation of their ratings on those
//! faces (scaled by n / (n + [`OVERLAP_HALF`]); only positive weights), and
//! the weighted mean of their standardised ratings of a face is added
//! ([`PersonalCrowd::score`]). Measured in the README (*The crowd prior*).
//!
//! **Blending.** How much the crowd counts is learnt per player, not fixed:
//! the player's own ratings are regressed on the face's crowd score, the
//! naive-Bayes score the model gives it *without* that rating (leave-one-out,
//! so the model cannot take credit for having memorised it) and, in photo
//! packs, its appeal ([`crate::vision::appeal`], in spreads from the pack's mean: see
//! [`AppealScores`]) and the 128 numbers of its face network descriptor
//! ([`crate::vision::face_net`], standardised: see [`Descriptors`]), the player's
//! own taste in looks beyond appeal. Ridge regression on centred values
//! gives the weights, those of the crowd, the personal score and appeal
//! each clamped at 0. The descriptor's are penalised hardest
//! ([`RIDGE_LOOKS`]), so with few ratings they stay near 0 and the
//! player's taste in looks moves away from appeal only as far as the
//! ratings show. The penalty is light on the crowd ([`RIDGE_CROWD`]:
//! many people's mean is trusted) and heavy on the personal score
//! ([`RIDGE_PERSONAL`]: a naive Bayes on a few dozen ratings is noisy and
//! must earn its weight; 20 beat 5, 50 and 100 on MEBeauty and 3dsk over
//! three seeds) and on appeal ([`RIDGE_APPEAL`]: a guess made from other
//! faces and another crowd): a player who agrees with the crowd leans on it,
//! one who does not is ranked by their own model alone. Without a crowd the
//! same regression, on the personal score and appeal, is the game's model;
//! with neither crowd nor appeal (a drawn pack) it ranks as the naive Bayes
//! does, and is kept for its confidence: the spread of the player's ratings
//! around it, where the naive Bayes' own is far too sure early on.
//! With a crowd, the regression on the crowd score alone is fitted too, and
//! ranks instead when its leave-one-out error is no larger: a player who
//! rates like the crowd plus chance gets the crowd, not weights fitted to
//! the chance.
//! Below [`MIN_RATINGS_TO_BLEND`] ratings the crowd alone ranks (or, without
//! a crowd, the player's own model). On MEBeauty and 3dsk this blend scores
//! at least as well as the crowd alone, and appeal lifts the personal model
//! (README).
//!
//! **Adaptive order.** In a drawn pack the reveal is a contest between the
//! two candidates ranked highest. The next face to rate is the one whose
//! rating is expected to move that contest the most: over the ratings the
//! model expects the player to give it, the mean squared change of the gap
//! between the two leaders' scores once that rating is learnt. A face that
//! shares the leaders' contested levels moves the gap; one that shares none
//! does not. The gap is read on the player's own model: the blend scales it
//! by a positive weight, which leaves the order of the questions unchanged,
//! and while the crowd alone ranks (too few ratings) the player's own model
//! still tells which answers would matter.
//!
//! In a photo pack most of what the blend learns is how the player's
//! ratings follow appeal, the descriptor (and the crowd): a ridge
//! regression, which read as a Bayesian one says how unsure each weight
//! still is. The next face is the one whose rating is expected to narrow
//! most the doubt about the scores of the [`DESIGN_LEADERS`] candidates
//! ranked highest (relative to the candidates' mean): a face like the
//! leaders in what sets them apart, where the player's taste is still
//! unknown (see [`rank_questions`]). Measured on MEBeauty and 3dsk against
//! random order, the contest and the contest alternating with spread in
//! appeal (the game's order before): README, "Measuring on real people".

use super::{Encoded, PreferenceModel};
use crate::core::rating::Rating;
use crate::vision::face_net::DESCRIPTOR;
use std::collections::HashMap;

/// Ridge penalties of the blend regression (in squared rating points).
pub const RIDGE_CROWD: f64 = 1.0;
pub const RIDGE_PERSONAL: f64 = 20.0;
/// 20 as for the personal score: 1, 5 and 50 were no better on MEBeauty and
/// 3dsk taken together (README, *Appeal*).
pub const RIDGE_APPEAL: f64 = 20.0;
/// On each face network descriptor number (in spreads), heavy: 128 of them
/// against a few dozen ratings. In the bench 1000 beat 500 on MEBeauty and
/// 3dsk, and in a Python trial 2000 and 3000 did worse on MEBeauty (README,
/// *Appeal*).
pub const RIDGE_LOOKS: f64 = 1000.0;
/// The smallest spread of ratings around the blend's fit (rating points):
/// ratings are whole numbers, so a fit closer than that is luck.
const MIN_FIT_SPREAD: f64 = 0.5;
/// The spread assumed before there is a fit (too few ratings, or nothing
/// predicts them): about how far a player's ratings stray from their mean
/// (per rater on the five levels, median 0.96 / 1.15 / 0.79 on MEBeauty
/// generic / date and 3dsk). Far wider than the naive Bayes' own certainty,
/// which after two ratings can read 100%.
const UNFITTED_SPREAD: f64 = 1.0;
/// Halfway between Normal and Slightly like.
const LIKE_THRESHOLD: f64 = 3.5;
/// Ratings on faces with a crowd score needed before the player's own model
/// gets a weight.
pub const MIN_RATINGS_TO_BLEND: usize = 5;

/// The crowd rater made of a pack's own `crowd` fields (a path separator
/// makes it an invalid profile name, so no player's profile can take it).
pub const PACK_CROWD: &str = "/pack";

/// Pseudo-ratings at the crowd's overall mean (and spread) that a rater's own
/// mean (and spread) is shrunk towards: one rating says little about how
/// generous a rater is.
const RATER_SHRINK: f64 = 3.0;
/// Co-rated faces a rater needs with the player to count as a neighbour.
const MIN_OVERLAP: usize = 3;
/// Co-rated faces at which a neighbour's correlation counts half.
const OVERLAP_HALF: f64 = 10.0;
/// Smallest spread a rater's ratings are divided by (in rating points): a
/// rater who gives every face the same rating says nothing about any.
const MIN_SPREAD: f64 = 0.5;

/// One person in the crowd: their ratings by face id, on 1..=5.
#[derive(Debug, Clone, PartialEq)]
struct CrowdRater {
    name: String,
    ratings: HashMap<String, f64>,
    sum: f64,
    sum_sq: f64,
}

/// One face's crowd: who rated it and the score that follows.
#[derive(Debug, Clone, PartialEq, Default)]
struct FaceCrowd {
    /// (rater index, rating, the rating in the rater's spreads from the
    /// rater's mean).
    rated: Vec<(usize, f64, f64)>,
    /// [`CrowdScores::score`].
    score: f64,
}

/// Other people's ratings of a pack's faces, on the game's 1..=5 scale.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrowdScores {
    raters: Vec<CrowdRater>,
    faces: HashMap<String, FaceCrowd>,
    /// Σ ratings, number of ratings, Σ ratings².
    totals: (f64, f64, f64),
    /// Other players whose profiles contributed.
    pub players: usize,
}

/// How much each crowd rater agrees with one player, by rater name (only
/// those who agree count); see [`CrowdScores::neighbours`]. By name, so the
/// same neighbours serve the crowd of another pack the same people rated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Neighbours {
    weights: HashMap<String, f64>,
}

impl Neighbours {
    /// No neighbours: personal scores are the crowd's.
    pub fn none() -> Neighbours {
        Neighbours::default()
    }
    pub fn len(&self) -> usize {
        self.weights.len()
    }
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

/// A crowd seen by one player: [`CrowdScores::personal`].
#[derive(Debug, Clone)]
pub struct PersonalCrowd<'a> {
    crowd: &'a CrowdScores,
    /// Neighbour weight per rater index (0 for the others).
    weights: Vec<f64>,
}

impl PersonalCrowd<'_> {
    /// The face's crowd score for this player: [`CrowdScores::score`] plus
    /// what the player's neighbours think of it, each neighbour's rating in
    /// their own spreads from their own mean, weighted by agreement:
    /// `Σ w_r z_rf / (Σ w_r + 1)` over the neighbours who rated the face.
    pub fn score(&self, face: &str) -> Option<f64> {
        let crowd = self.crowd.faces.get(face)?;
        let (mut pull, mut weight) = (0.0, 0.0);
        for &(r, _, z) in &crowd.rated {
            let w = self.weights[r];
            if w > 0.0 {
                pull += w * z;
                weight += w;
            }
        }
        Some(crowd.score + pull / (weight + 1.0))
    }

    /// Whether any of the player's neighbours rated the face.
    pub fn rated_by_neighbours(&self, face: &str) -> bool {
        self.crowd
            .faces
            .get(face)
            .is_some_and(|c| c.rated.iter().any(|&(r, _, _)| self.weights[r] > 0.0))
    }
}

impl CrowdScores {
    pub fn new() -> Self {
        CrowdScores::default()
    }

    /// Adds one rater's ratings (face id, level on 1..=5); a face named twice
    /// keeps its last rating, and ratings that are not finite are skipped.
    pub fn add_rater<'a>(&mut self, name: &str, ratings: impl IntoIterator<Item = (&'a str, f64)>) {
        let mut own: HashMap<String, f64> = HashMap::new();
        for (face, level) in ratings {
            if level.is_finite() {
                own.insert(face.to_string(), level);
            }
        }
        if own.is_empty() {
            return;
        }
        let index = self.raters.len();
        for (face, &level) in &own {
            self.faces
                .entry(face.clone())
                .or_default()
                .rated
                .push((index, level, 0.0));
        }
        let rater = CrowdRater {
            name: name.to_string(),
            sum: own.values().sum(),
            sum_sq: own.values().map(|v| v * v).sum(),
            ratings: own,
        };
        self.totals.0 += rater.sum;
        self.totals.1 += rater.ratings.len() as f64;
        self.totals.2 += rater.sum_sq;
        self.raters.push(rater);
        // Every rater is shrunk towards the crowd, which this one changed.
        self.refresh();
    }

    /// Recomputes every face's score and standardised ratings.
    fn refresh(&mut self) {
        let scales = self.rater_scales();
        let global = self.global_mean();
        for crowd in self.faces.values_mut() {
            let mut lift = 0.0;
            for (r, v, z) in &mut crowd.rated {
                let (m, sd) = scales[*r];
                lift += *v - m;
                *z = (*v - m) / sd;
            }
            crowd.score = global + lift / (crowd.rated.len() as f64 + 1.0);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// Faces with at least one crowd rating.
    pub fn len(&self) -> usize {
        self.faces.len()
    }

    /// Mean of all crowd ratings (3 when there are none).
    pub fn global_mean(&self) -> f64 {
        let (s, n, _) = self.totals;
        if n > 0.0 {
            s / n
        } else {
            3.0
        }
    }

    /// Mean and spread of every rater, shrunk towards the crowd's by
    /// [`RATER_SHRINK`] pseudo-ratings.
    fn rater_scales(&self) -> Vec<(f64, f64)> {
        let (_, n, s_sq) = self.totals;
        let mean = self.global_mean();
        let var = if n > 0.0 {
            (s_sq / n - mean * mean).max(0.0)
        } else {
            1.0
        };
        self.raters
            .iter()
            .map(|r| {
                let k = r.ratings.len() as f64;
                let m = (r.sum + RATER_SHRINK * mean) / (k + RATER_SHRINK);
                // Σ (v − m)² over the rater's own ratings, plus the pseudo-ratings' spread.
                let own = r.sum_sq - 2.0 * m * r.sum + k * m * m;
                let v = (own + RATER_SHRINK * var) / (k + RATER_SHRINK);
                (m, v.sqrt().max(MIN_SPREAD))
            })
            .collect()
    }

    /// The face's plain crowd score: the mean of its ratings shrunk towards
    /// the global mean by one pseudo-rating, `(Σ ratings + m) / (n + 1)`
    /// (the bench's `crowd` baseline); `None` for a face nobody rated.
    pub fn mean(&self, face: &str) -> Option<f64> {
        let crowd = self.faces.get(face)?;
        let s: f64 = crowd.rated.iter().map(|(_, v, _)| v).sum();
        Some((s + self.global_mean()) / (crowd.rated.len() as f64 + 1.0))
    }

    /// The face's crowd score: the global mean plus how far each rater put
    /// it above their own mean, averaged with one pseudo-rating of 0, so a
    /// generous rater who saw a face does not lift it. `None` for a face
    /// nobody rated.
    pub fn score(&self, face: &str) -> Option<f64> {
        Some(self.faces.get(face)?.score)
    }

    /// This crowd as seen by a player with these neighbours (see
    /// [`PersonalCrowd::score`]).
    pub fn personal(&self, neighbours: &Neighbours) -> PersonalCrowd<'_> {
        let weights = self
            .raters
            .iter()
            .map(|r| neighbours.weights.get(&r.name).copied().unwrap_or(0.0))
            .collect();
        PersonalCrowd {
            crowd: self,
            weights,
        }
    }

    /// The crowd raters who rate like the player: for each rater with at
    /// least [`MIN_OVERLAP`] faces in common with `player` (face id, level),
    /// the Pearson correlation of the two on those faces, scaled by
    /// n / (n + [`OVERLAP_HALF`]) for n faces in common; raters who
    /// disagree or barely overlap are left out.
    pub fn neighbours<'a>(&self, player: impl IntoIterator<Item = (&'a str, f64)>) -> Neighbours {
        // A Vec, not a map: the correlation's sums then run in a fixed order.
        let player: Vec<(&str, f64)> = player.into_iter().collect();
        let mut weights = HashMap::new();
        for rater in &self.raters {
            let pairs: Vec<(f64, f64)> = player
                .iter()
                .filter_map(|&(face, mine)| Some((mine, *rater.ratings.get(face)?)))
                .collect();
            if pairs.len() < MIN_OVERLAP {
                continue;
            }
            let n = pairs.len() as f64;
            let w = pearson(&pairs) * n / (n + OVERLAP_HALF);
            if w > 0.0 {
                *weights.entry(rater.name.clone()).or_insert(0.0) += w;
            }
        }
        Neighbours { weights }
    }
}

/// Pearson correlation of the pairs; 0 when either side is constant.
fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    let (ma, mb) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        ab += (x - ma) * (y - mb);
        aa += (x - ma) * (x - ma);
        bb += (y - mb) * (y - mb);
    }
    if aa <= 1e-12 || bb <= 1e-12 {
        0.0
    } else {
        ab / (aa * bb).sqrt()
    }
}

/// Appeal in spreads from the pack's mean, by face id: the blend's appeal
/// predictor. Empty when fewer than two of the pack's faces have an appeal
/// (a drawn pack has none) or they all have the same.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppealScores {
    z: HashMap<String, f64>,
}

impl AppealScores {
    /// From `(face id, appeal)`; values that are not finite are skipped.
    pub fn new<'a>(faces: impl IntoIterator<Item = (&'a str, Option<f64>)>) -> AppealScores {
        let known: Vec<(&str, f64)> = faces
            .into_iter()
            .filter_map(|(id, a)| Some((id, a.filter(|v| v.is_finite())?)))
            .collect();
        let n = known.len() as f64;
        if known.len() < 2 {
            return AppealScores::default();
        }
        let mean = known.iter().map(|t| t.1).sum::<f64>() / n;
        let sd = (known.iter().map(|t| (t.1 - mean).powi(2)).sum::<f64>() / n).sqrt();
        if sd <= 1e-9 {
            return AppealScores::default();
        }
        AppealScores {
            z: known
                .into_iter()
                .map(|(id, a)| (id.to_string(), (a - mean) / sd))
                .collect(),
        }
    }

    /// The face's appeal in spreads from the pack's mean, if it has one.
    pub fn get(&self, face: &str) -> Option<f64> {
        self.z.get(face).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.z.is_empty()
    }
}

/// Each face's descriptor standardised number by number on the appeal
/// model's faces ([`crate::vision::appeal::MODEL`]), so faces of different packs
/// are on one scale.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Descriptors {
    z: HashMap<String, Vec<f64>>,
}

impl Descriptors {
    /// From `(face id, descriptor)`; descriptors of the wrong length or
    /// with numbers that are not finite are skipped.
    pub fn new<'a>(faces: impl IntoIterator<Item = (&'a str, Option<&'a [f32]>)>) -> Descriptors {
        let model = &crate::vision::appeal::MODEL;
        Descriptors {
            z: faces
                .into_iter()
                .filter_map(|(id, d)| {
                    let d =
                        d.filter(|d| d.len() == DESCRIPTOR && d.iter().all(|v| v.is_finite()))?;
                    let z = (0..DESCRIPTOR)
                        .map(|j| {
                            (f64::from(d[j]) - model.descriptor_mean[j])
                                / model.descriptor_sd[j].max(1e-9)
                        })
                        .collect();
                    Some((id.to_string(), z))
                })
                .collect(),
        }
    }

    pub fn get(&self, face: &str) -> Option<&[f64]> {
        self.z.get(face).map(Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.z.is_empty()
    }
}

/// One rated face as the blend learns from it.
#[derive(Debug, Clone, Copy)]
pub struct Rated<'a> {
    pub code: &'a Encoded,
    pub rating: Rating,
    /// The face's crowd score (for this player), if the crowd rated it.
    pub crowd: Option<f64>,
    /// [`AppealScores::get`].
    pub appeal: Option<f64>,
    /// [`Descriptors::get`].
    pub descriptor: Option<&'a [f64]>,
}

/// A face's final score: the player's ratings regressed on the crowd score,
/// the player's own model's score, appeal and the face's descriptor (see
/// the module docs), so the
/// score is an expected rating. The weights are in rating points per rating
/// point of the crowd and personal scores and per spread of appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct Blend {
    pub crowd: f64,
    pub personal: f64,
    pub appeal: f64,
    /// Rating points per spread of each face network descriptor number:
    /// the player's own taste in looks beyond appeal. Empty without
    /// descriptors.
    pub looks: Vec<f64>,
    /// The mean descriptor of the faces rated.
    looks_centre: Vec<f64>,
    /// Where the regression is centred: the player's mean rating and the
    /// mean personal score, crowd score and appeal of the faces they rated.
    centre: Centre,
    /// The spread of the player's ratings around the fit, in rating points
    /// (at least [`MIN_FIT_SPREAD`]); [`UNFITTED_SPREAD`] when nothing was
    /// fitted. Never 0.
    pub spread: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Centre {
    rating: f64,
    personal: f64,
    crowd: f64,
    appeal: f64,
}

const NO_CENTRE: Centre = Centre {
    rating: 0.0,
    personal: 0.0,
    crowd: 0.0,
    appeal: 0.0,
};

impl Blend {
    /// The player's own model only.
    pub const PERSONAL: Blend = Blend {
        crowd: 0.0,
        personal: 1.0,
        appeal: 0.0,
        looks: Vec::new(),
        looks_centre: Vec::new(),
        centre: NO_CENTRE,
        spread: UNFITTED_SPREAD,
    };
    /// The crowd only (too few ratings to learn from).
    pub const CROWD: Blend = Blend {
        crowd: 1.0,
        personal: 0.0,
        appeal: 0.0,
        looks: Vec::new(),
        looks_centre: Vec::new(),
        centre: NO_CENTRE,
        spread: UNFITTED_SPREAD,
    };

    /// Learns the weights from the player's ratings by leave-one-out ridge
    /// regression (see the module docs). With `use_crowd`, only faces with a
    /// crowd score count, and too few of them leave the crowd alone in
    /// charge. `model` must have learnt exactly these ratings; it is left
    /// unchanged.
    pub fn fit(model: &mut PreferenceModel, rated: &[Rated], use_crowd: bool) -> Blend {
        let rated: Vec<&Rated> = rated
            .iter()
            .filter(|r| !use_crowd || r.crowd.is_some())
            .collect();
        let use_appeal = rated.iter().any(|r| r.appeal.is_some());
        let use_looks = rated.iter().any(|r| r.descriptor.is_some());
        // With neither, the regression on the personal score alone still
        // counts: it ranks as the model does, and its spread makes the
        // "% sure" honest (the naive Bayes' own is far too sure early on).
        if rated.len() < MIN_RATINGS_TO_BLEND {
            return if use_crowd {
                Blend::CROWD
            } else {
                Blend::PERSONAL
            };
        }
        let loo: Vec<f64> = rated
            .iter()
            .map(|r| {
                model.forget(r.code, r.rating);
                let s = model.score(r.code);
                model.update(r.code, r.rating);
                s
            })
            .collect();
        let truth: Vec<f64> = rated.iter().map(|r| f64::from(r.rating.value())).collect();
        let crowd: Vec<f64> = rated.iter().map(|r| r.crowd.unwrap_or(0.0)).collect();
        // A face without an appeal counts as the pack's mean (0).
        let appeal: Vec<f64> = rated.iter().map(|r| r.appeal.unwrap_or(0.0)).collect();
        let mut columns = vec![loo.clone()];
        let mut penalties = vec![RIDGE_PERSONAL];
        if use_crowd {
            columns.push(crowd.clone());
            penalties.push(RIDGE_CROWD);
        }
        if use_appeal {
            columns.push(appeal.clone());
            penalties.push(RIDGE_APPEAL);
        }
        let scalars = columns.len();
        // A face without a descriptor counts as the model's mean face (0).
        let descriptor = |r: &Rated, j: usize| r.descriptor.map_or(0.0, |d| d[j]);
        if use_looks {
            for j in 0..DESCRIPTOR {
                columns.push(rated.iter().map(|r| descriptor(r, j)).collect());
                penalties.push(RIDGE_LOOKS);
            }
        }
        let mut w = crate::math::stats::ridge(&columns, &truth, &penalties)
            .unwrap_or_else(|| vec![0.0; columns.len()]);
        if use_crowd {
            if let Some(crowd_weight) =
                crowd_alone_predicts_better(&columns, &truth, &penalties, &w)
            {
                w = vec![0.0; columns.len()];
                w[1] = crowd_weight;
            }
        }
        let p = w[0].max(0.0);
        let c = if use_crowd { w[1].max(0.0) } else { 0.0 };
        let a = if use_appeal {
            w[scalars - 1].max(0.0)
        } else {
            0.0
        };
        let looks = w[scalars..].to_vec();
        let average = |v: &[f64]| mean(v.iter().copied()).unwrap_or(0.0);
        let looks_centre: Vec<f64> = columns[scalars..].iter().map(|c| average(c)).collect();
        if c + p + a <= 1e-12 && looks.iter().all(|w| w.abs() <= 1e-12) {
            // Nothing predicts this player's ratings: their own model still
            // knows more about them than the crowd does.
            return Blend::PERSONAL;
        }
        let mut blend = Blend {
            crowd: c,
            personal: p,
            appeal: a,
            looks,
            looks_centre,
            centre: Centre {
                rating: average(&truth),
                personal: average(&loo),
                crowd: average(&crowd),
                appeal: average(&appeal),
            },
            spread: 0.0,
        };
        let squares: f64 = (0..truth.len())
            .map(|i| {
                let fitted =
                    blend.score_with(loo[i], Some(crowd[i]), Some(appeal[i]), rated[i].descriptor);
                (truth[i] - fitted).powi(2)
            })
            .sum();
        blend.spread = (squares / truth.len() as f64).sqrt().max(MIN_FIT_SPREAD);
        blend
    }

    /// The blended score, an expected rating: the player's mean rating plus
    /// the weighted distances of the personal score, the crowd score (a face
    /// without one has the personal score in its place) and appeal (a face
    /// without one has the pack's mean, 0) from their means over the faces
    /// rated.
    pub fn score(&self, personal: f64, crowd: Option<f64>, appeal: Option<f64>) -> f64 {
        let crowd = crowd.unwrap_or(personal);
        self.centre.rating
            + self.personal * (personal - self.centre.personal)
            + self.crowd * (crowd - self.centre.crowd)
            + self.appeal * (appeal.unwrap_or(0.0) - self.centre.appeal)
    }

    /// [`Self::score`] plus the player's taste in looks, read on the face's
    /// descriptor ([`Descriptors::get`]; without one, the face counts as
    /// the mean of the faces rated).
    pub fn score_with(
        &self,
        personal: f64,
        crowd: Option<f64>,
        appeal: Option<f64>,
        descriptor: Option<&[f64]>,
    ) -> f64 {
        self.score(personal, crowd, appeal) + self.looks_score(descriptor)
    }

    /// The looks term of [`Self::score_with`], in rating points.
    pub fn looks_score(&self, descriptor: Option<&[f64]>) -> f64 {
        match descriptor {
            Some(d) if d.len() == self.looks.len() => self
                .looks
                .iter()
                .zip(d.iter().zip(&self.looks_centre))
                .map(|(w, (x, c))| w * (x - c))
                .sum(),
            _ => 0.0,
        }
    }

    /// The crowd's share of the crowd and personal weights, 0..=1.
    pub fn crowd_share(&self) -> f64 {
        let total = self.crowd + self.personal;
        if total > 0.0 {
            self.crowd / total
        } else {
            0.0
        }
    }

    /// P(rating ≥ Slightly like) for a face with this blended score, from
    /// the spread of the player's ratings around the fit (a normal spread,
    /// through the logistic approximation of its distribution function).
    pub fn confidence(&self, score: f64) -> f64 {
        let z = (score - LIKE_THRESHOLD) / self.spread;
        1.0 / (1.0 + (-1.702 * z).exp())
    }

    /// [`Self::score`] of a face the game could ask about or reveal.
    pub fn score_of(&self, model: &PreferenceModel, choice: &Choice) -> f64 {
        self.score_with(
            model.score(choice.code),
            choice.crowd,
            choice.appeal,
            choice.descriptor,
        )
    }
}

/// With a crowd, the other predictors must earn their place: the
/// regression on the crowd score alone (column 1 of `columns`) is fitted
/// too, and when its leave-one-out error is no larger than the full fit's
/// (weights `w`), its weight is returned. A player who rates like the crowd
/// plus chance then gets the crowd, not a fit to the chance (README, *The
/// crowd prior*).
fn crowd_alone_predicts_better(
    columns: &[Vec<f64>],
    truth: &[f64],
    penalties: &[f64],
    w: &[f64],
) -> Option<f64> {
    let crowd = std::slice::from_ref(&columns[1]);
    let alone = crate::math::stats::ridge(crowd, truth, &[RIDGE_CROWD])?;
    let full_error = crate::math::stats::ridge_loo_mse(columns, truth, penalties, w)?;
    let alone_error = crate::math::stats::ridge_loo_mse(crowd, truth, &[RIDGE_CROWD], &alone)?;
    (alone_error <= full_error).then_some(alone[0])
}

/// A face the game could ask about or reveal: its code, crowd score and
/// appeal ([`AppealScores::get`]).
#[derive(Debug, Clone, Copy)]
pub struct Choice<'a> {
    pub code: &'a Encoded,
    pub crowd: Option<f64>,
    pub appeal: Option<f64>,
    /// [`Descriptors::get`].
    pub descriptor: Option<&'a [f64]>,
}

/// Candidates whose scores [`leaders_variance_drop`] sharpens: the reveal
/// is one of the few the blend ranks highest. 5 beat 3, 10 and the two
/// leaders alone on MEBeauty (README, *Adaptive order*).
const DESIGN_LEADERS: usize = 5;

/// The index into `questions` of the face worth rating next (see the
/// module docs). `same` tells whether question `q` is candidate `c` (a rated
/// face is no longer revealed); `rated` are the faces rated so far, in any
/// order. Ties go to the earlier question; `None` when there are no
/// questions.
pub fn next_question(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Choice],
    candidates: &[Choice],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Choice],
) -> Option<usize> {
    rank_questions(model, blend, questions, candidates, same, rated)
        .first()
        .map(|&(q, _)| q)
}

/// Every question with its value, most valuable first (ties in `questions`
/// order): in a photo pack (questions with an appeal or a descriptor), how
/// much its rating is expected to narrow the blend's doubt about the
/// leading candidates ([`leaders_variance_drop`]); else the expected
/// squared change of the leaders' gap on the player's own model.
pub fn rank_questions(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Choice],
    candidates: &[Choice],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Choice],
) -> Vec<(usize, f64)> {
    let photo = questions
        .iter()
        .any(|q| q.appeal.is_some() || q.descriptor.is_some());
    let mut values = if photo {
        leaders_variance_drop(model, blend, questions, candidates, same, rated)
    } else {
        leaders_gap_change(model, blend, questions, candidates, same)
    };
    // Stable sort: equal values keep the questions' order.
    values.sort_by(|a, b| b.1.total_cmp(&a.1));
    values
}

/// The blend's regression on appeal, the descriptor and (with a crowd) the
/// crowd score, as a Bayesian one after the faces rated: prior precision
/// the ridge penalties, noise 1 in the penalties' units.
struct Design {
    with_crowd: bool,
    /// What a missing value counts as: the rated faces' mean of those known
    /// (0, the model's mean face, before any), so it teaches nothing.
    fill: Vec<f64>,
    /// The rated rows' mean: the regression is centred.
    centre: Vec<f64>,
    /// Cholesky factor L of `A = XᵀX + Λ` over the centred rated rows.
    factor: Vec<Vec<f64>>,
}

impl Design {
    fn new(rated: &[Choice], with_crowd: bool) -> Option<Design> {
        let width = usize::from(with_crowd) + 1 + DESCRIPTOR;
        let unknown = vec![f64::NAN; width];
        let mut rows: Vec<Vec<f64>> = rated
            .iter()
            .map(|c| Design::raw_row(c, with_crowd, &unknown))
            .collect();
        let fill: Vec<f64> = (0..width)
            .map(|j| mean(rows.iter().map(|r| r[j]).filter(|v| v.is_finite())).unwrap_or(0.0))
            .collect();
        for row in &mut rows {
            for (x, f) in row.iter_mut().zip(&fill) {
                if !x.is_finite() {
                    *x = *f;
                }
            }
        }
        let centre: Vec<f64> = (0..width)
            .map(|j| mean(rows.iter().map(|r| r[j])).unwrap_or(fill[j]))
            .collect();
        let penalties: Vec<f64> = (0..width)
            .map(|j| {
                if with_crowd && j == 0 {
                    RIDGE_CROWD
                } else if j == usize::from(with_crowd) {
                    RIDGE_APPEAL
                } else {
                    RIDGE_LOOKS
                }
            })
            .collect();
        let centred: Vec<Vec<f64>> = rows
            .iter()
            .map(|row| row.iter().zip(&centre).map(|(x, c)| x - c).collect())
            .collect();
        let a = crate::math::stats::penalised_gram(&centred, &penalties);
        Some(Design {
            with_crowd,
            factor: crate::math::stats::cholesky(&a)?,
            fill,
            centre,
        })
    }

    /// The face's predictors: crowd score (when `with_crowd`), appeal and
    /// descriptor, each missing one as `fill`'s.
    fn raw_row(choice: &Choice, with_crowd: bool, fill: &[f64]) -> Vec<f64> {
        let mut row = Vec::with_capacity(fill.len());
        if with_crowd {
            row.push(choice.crowd.unwrap_or(fill[0]));
        }
        let a = row.len();
        row.push(choice.appeal.unwrap_or(fill[a]));
        match choice.descriptor {
            Some(d) if d.len() == DESCRIPTOR => row.extend_from_slice(d),
            _ => row.extend_from_slice(&fill[a + 1..]),
        }
        row
    }

    /// The face's predictors.
    fn row(&self, choice: &Choice) -> Vec<f64> {
        Design::raw_row(choice, self.with_crowd, &self.fill)
    }

    /// `L⁻¹ v`, so that `(L⁻¹u)·(L⁻¹v) = uᵀA⁻¹v`.
    fn whiten(&self, v: &[f64]) -> Vec<f64> {
        crate::math::stats::forward_substitute(&self.factor, v)
    }
}

/// The mean of `values`; `None` when there are none.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Each question's expected drop in the variance of the leading
/// candidates' scores once its rating is learnt, read on [`Design`]: for a
/// question `x` (centred on the faces rated) and a leader's distance `t`
/// from the candidates' mean, `(tᵀA⁻¹x)² / (1 + xᵀA⁻¹x)`, summed over the
/// [`DESIGN_LEADERS`] best candidates the question is not. A face like
/// the leaders in what the player has not yet shown a taste for scores
/// high; one like every face rated, or unlike all leaders, does not.
/// The naive Bayes' own score is left out: it changes with every rating.
fn leaders_variance_drop(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Choice],
    candidates: &[Choice],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Choice],
) -> Vec<(usize, f64)> {
    let with_crowd = rated.iter().chain(candidates).any(|c| c.crowd.is_some());
    let Some(design) = Design::new(rated, with_crowd) else {
        return (0..questions.len()).map(|q| (q, 0.0)).collect();
    };
    let candidate_rows: Vec<Vec<f64>> = candidates.iter().map(|c| design.row(c)).collect();
    let candidate_mean: Vec<f64> = (0..design.centre.len())
        .map(|j| mean(candidate_rows.iter().map(|r| r[j])).unwrap_or(0.0))
        .collect();
    let mut ranked: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .map(|(i, choice)| (i, blend.score_of(model, choice)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let minus =
        |u: &[f64], v: &[f64]| -> Vec<f64> { u.iter().zip(v).map(|(a, b)| a - b).collect() };
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(a, b)| a * b).sum::<f64>();
    // One spare: a question that is a leader is weighed against the next.
    let leaders: Vec<(usize, Vec<f64>)> = ranked
        .iter()
        .take(DESIGN_LEADERS + 1)
        .map(|&(c, _)| {
            (
                c,
                design.whiten(&minus(&candidate_rows[c], &candidate_mean)),
            )
        })
        .collect();
    questions
        .iter()
        .enumerate()
        .map(|(q, question)| {
            let u = design.whiten(&minus(&design.row(question), &design.centre));
            let drop: f64 = leaders
                .iter()
                .filter(|(c, _)| !same(q, *c))
                .take(DESIGN_LEADERS)
                .map(|(_, t)| dot(t, &u).powi(2))
                .sum();
            (q, drop / (1.0 + dot(&u, &u)))
        })
        .collect()
}

/// Each question's expected squared change of the gap between the two
/// leading candidates it is not.
fn leaders_gap_change(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Choice],
    candidates: &[Choice],
    same: &dyn Fn(usize, usize) -> bool,
) -> Vec<(usize, f64)> {
    let mut ranked: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .map(|(i, choice)| (i, blend.score_of(model, choice)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    questions
        .iter()
        .enumerate()
        .map(|(q, question)| {
            let x = question.code;
            // Rating a candidate takes it out of the reveal: the contest is
            // between the two best the question is not.
            let mut leaders = ranked.iter().filter(|(c, _)| !same(q, *c));
            let (Some(&(first, _)), Some(&(second, _))) = (leaders.next(), leaders.next()) else {
                return (q, 0.0);
            };
            let (first, second) = (candidates[first].code, candidates[second].code);
            let now = model.score(first) - model.score(second);
            let posterior = model.posterior(x);
            let mut expected = 0.0;
            for (&rating, p) in Rating::ALL.iter().zip(posterior) {
                let after = model.score_if(x, rating, first) - model.score_if(x, rating, second);
                expected += p * (after - now).powi(2);
            }
            (q, expected)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::attributes::AttributeDef;
    use crate::model::{FeatureSpace, NaiveBayesParams};

    fn space() -> FeatureSpace {
        FeatureSpace::new(vec![AttributeDef {
            name: "hair".into(),
            levels: vec!["dark".into(), "light".into()],
            description: String::new(),
        }])
    }

    fn model() -> PreferenceModel {
        PreferenceModel::new(space(), &NaiveBayesParams::new().check().unwrap())
    }

    #[test]
    fn the_plain_mean_shrinks_towards_the_global_mean() {
        let mut crowd = CrowdScores::new();
        crowd.add_rater("r1", [("a", 5.0)]);
        for r in ["r2", "r3", "r4"] {
            crowd.add_rater(r, [("b", 1.0)]);
        }
        assert!((crowd.global_mean() - 2.0).abs() < 1e-12);
        assert!((crowd.mean("a").unwrap() - 3.5).abs() < 1e-12);
        assert!((crowd.mean("b").unwrap() - 1.25).abs() < 1e-12);
        assert_eq!(crowd.mean("c"), None);
        crowd.add_rater("r5", [("c", f64::NAN)]);
        assert_eq!(crowd.mean("c"), None);
        assert_eq!(crowd.score("c"), None);
        assert_eq!(crowd.len(), 2);
    }

    #[test]
    fn a_generous_rater_does_not_lift_the_faces_they_saw() {
        let mut crowd = CrowdScores::new();
        // A harsh rater singles out x; a generous one gives everything 5,
        // and is the only one who saw a.
        crowd.add_rater("harsh", [("x", 3.0), ("y", 1.0), ("z", 1.0), ("w", 1.0)]);
        crowd.add_rater("generous", [("a", 5.0), ("b", 5.0), ("c", 5.0), ("x", 5.0)]);
        let (x, a) = (crowd.score("x").unwrap(), crowd.score("a").unwrap());
        assert!(crowd.mean("a").unwrap() > crowd.mean("x").unwrap());
        assert!(x > a, "x {x} a {a}");
        assert!(a > crowd.score("y").unwrap());
    }

    #[test]
    fn raters_who_rate_like_the_player_count_for_more() {
        let mut crowd = CrowdScores::new();
        let shared = ["f1", "f2", "f3", "f4", "f5", "f6"];
        let player: Vec<(&str, f64)> = shared
            .iter()
            .enumerate()
            .map(|(i, f)| (*f, 1.0 + (i % 5) as f64))
            .collect();
        let reversed = |v: f64| 6.0 - v;
        let mut alike = player.clone();
        alike.extend([("new", 5.0), ("old", 1.0)]);
        let mut opposite: Vec<(&str, f64)> =
            player.iter().map(|&(f, v)| (f, reversed(v))).collect();
        opposite.extend([("new", 1.0), ("old", 5.0)]);
        crowd.add_rater("alike", alike);
        crowd.add_rater("opposite", opposite);
        // Two faces in common are too few to tell.
        crowd.add_rater("stranger", [("f1", 1.0), ("f2", 5.0), ("new", 5.0)]);
        let neighbours = crowd.neighbours(player.iter().copied());
        assert_eq!(neighbours.len(), 1, "{neighbours:?}");
        let personal = crowd.personal(&neighbours);
        let (new, old) = (
            personal.score("new").unwrap(),
            personal.score("old").unwrap(),
        );
        assert!(new > old + 0.5, "new {new} old {old}");
        assert!(personal.rated_by_neighbours("new"));
        assert!(!personal.rated_by_neighbours("nobody rated this"));
        assert!(!crowd
            .personal(&Neighbours::none())
            .rated_by_neighbours("new"));
        // Without neighbours only "stranger"'s extra rating separates them.
        assert!(crowd.score("new").unwrap() - crowd.score("old").unwrap() < new - old);
        assert_eq!(
            crowd.personal(&Neighbours::none()).score("f1"),
            crowd.score("f1")
        );
    }

    fn with_crowd(code: &Encoded, rating: Rating, crowd: f64) -> Rated<'_> {
        Rated {
            code,
            rating,
            crowd: Some(crowd),
            appeal: None,
            descriptor: None,
        }
    }

    fn choice(code: &Encoded, crowd: Option<f64>) -> Choice<'_> {
        Choice {
            code,
            crowd,
            appeal: None,
            descriptor: None,
        }
    }

    /// Twenty ratings, learnt by `m`, of two faces that differ only in hair
    /// (alternating), cycling through the five levels: unrelated to hair.
    /// `entry` makes each rating's entry for the blend.
    fn ratings_unrelated_to_hair<'a>(
        m: &mut PreferenceModel,
        dark: &'a Encoded,
        light: &'a Encoded,
        entry: impl Fn(&'a Encoded, Rating) -> Rated<'a>,
    ) -> Vec<Rated<'a>> {
        (0..20)
            .map(|i| {
                let x = if i % 2 == 0 { dark } else { light };
                let r = Rating::ALL[i % 5];
                m.update(x, r);
                entry(x, r)
            })
            .collect()
    }

    #[test]
    fn appeal_scores_are_spreads_from_the_packs_mean() {
        let a = AppealScores::new([
            ("a", Some(40.0)),
            ("b", Some(60.0)),
            ("c", None),
            ("d", Some(f64::NAN)),
        ]);
        assert_eq!((a.get("a"), a.get("b")), (Some(-1.0), Some(1.0)));
        assert_eq!((a.get("c"), a.get("d"), a.get("e")), (None, None, None));
        // One face, or faces that all look alike, give nothing to go by.
        assert!(AppealScores::new([("a", Some(40.0))]).is_empty());
        assert!(AppealScores::new([("a", Some(5.0)), ("b", Some(5.0))]).is_empty());
    }

    /// Forty faces: random descriptors and appeal, and a crowd score.
    fn crowd_faces(seed: u64) -> Vec<(Vec<f64>, f64, f64)> {
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(seed);
        let mut draw = |lo: f64, hi: f64| rand::Rng::random_range(&mut rng, lo..hi);
        (0..40)
            .map(|_| {
                let d: Vec<f64> = (0..DESCRIPTOR).map(|_| draw(-1.0, 1.0)).collect();
                (d, draw(-1.5, 1.5), draw(1.0, 5.0))
            })
            .collect()
    }

    #[test]
    fn a_player_who_rates_like_the_crowd_gets_the_crowd_alone() {
        let faces = crowd_faces(5);
        let (dark, light) = (vec![Some(0)], vec![Some(1)]);
        let fit = |rating: &dyn Fn(usize) -> Rating| {
            let mut m = model();
            let rated: Vec<Rated> = faces
                .iter()
                .enumerate()
                .map(|(i, (d, appeal, crowd))| {
                    let x = if i % 2 == 0 { &dark } else { &light };
                    m.update(x, rating(i));
                    Rated {
                        code: x,
                        rating: rating(i),
                        crowd: Some(*crowd),
                        appeal: Some(*appeal),
                        descriptor: Some(d),
                    }
                })
                .collect();
            Blend::fit(&mut m, &rated, true)
        };
        // The crowd's score, rounded, give or take a level by chance.
        // (Period 5 against the hair's 2: chance says nothing of hair.)
        let chance = [0, 1, 0, -1, 0];
        let like_the_crowd = |i: usize| {
            let level = faces[i].2.round() as i32 + chance[i % chance.len()];
            Rating::ALL[(level.clamp(1, 5) - 1) as usize]
        };
        let blend = fit(&like_the_crowd);
        assert!(blend.crowd > 0.5, "{blend:?}");
        assert_eq!((blend.personal, blend.appeal), (0.0, 0.0), "{blend:?}");
        assert!(blend.looks.iter().all(|w| *w == 0.0), "{blend:?}");
        // One who also follows descriptor number 3 keeps a looks weight.
        let own_taste = |i: usize| {
            let level = (faces[i].2 + 3.0 * faces[i].0[3]).round() as i32;
            Rating::ALL[(level.clamp(1, 5) - 1) as usize]
        };
        let blend = fit(&own_taste);
        assert!(blend.looks[3] > 0.0, "{:?}", blend.looks);
    }

    #[test]
    fn a_player_whose_ratings_follow_a_descriptor_number_gets_looks_weight_on_it() {
        let mut m = model();
        let (dark, light) = (vec![Some(0)], vec![Some(1)]);
        // Forty faces' descriptors: number 3 sets the rating, the others
        // are unrelated to it.
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
        let descriptors: Vec<Vec<f64>> = (0..40)
            .map(|_| {
                (0..DESCRIPTOR)
                    .map(|_| rand::Rng::random_range(&mut rng, -1.0..1.0))
                    .collect()
            })
            .collect();
        let rating = |d: &[f64]| Rating::ALL[((d[3] + 1.0) * 2.49).clamp(0.0, 4.0) as usize];
        let rated: Vec<Rated> = descriptors
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let x = if i % 2 == 0 { &dark } else { &light };
                m.update(x, rating(d));
                Rated {
                    code: x,
                    rating: rating(d),
                    crowd: None,
                    appeal: None,
                    descriptor: Some(d),
                }
            })
            .collect();
        let blend = Blend::fit(&mut m, &rated, false);
        let strongest = (0..DESCRIPTOR)
            .max_by(|&a, &b| blend.looks[a].abs().total_cmp(&blend.looks[b].abs()))
            .unwrap();
        assert_eq!(strongest, 3, "{:?}", blend.looks);
        assert!(blend.looks[3] > 0.0);
        // A face high on number 3 outranks one low on it; without a
        // descriptor a face counts as the mean of those rated.
        let mut high = vec![0.0; DESCRIPTOR];
        high[3] = 1.0;
        let mut low = high.clone();
        low[3] = -1.0;
        let score = |d: Option<&[f64]>| blend.score_with(m.score(&dark), None, None, d);
        assert!(score(Some(&high)) > score(None) && score(None) > score(Some(&low)));
        assert_eq!(score(None), blend.score(m.score(&dark), None, None));
    }

    #[test]
    fn a_player_who_likes_appealing_faces_gets_appeal_weight() {
        let mut m = model();
        let dark = vec![Some(0)];
        let light = vec![Some(1)];
        // Ratings follow appeal, not hair.
        let mut rated = ratings_unrelated_to_hair(&mut m, &dark, &light, |x, r| Rated {
            code: x,
            rating: r,
            crowd: None,
            appeal: Some(f64::from(r.value()) - 3.0),
            descriptor: None,
        });
        let blend = Blend::fit(&mut m, &rated, false);
        assert!(blend.appeal > 0.3, "{blend:?}");
        assert_eq!(blend.crowd, 0.0);
        // Of two faces the model cannot tell apart, the more appealing wins;
        // without an appeal a face counts as the pack's mean.
        let score = |a| blend.score(m.score(&dark), None, a);
        assert!(score(Some(1.0)) > score(None) && score(None) > score(Some(-1.0)));
        // A player whose ratings go against appeal gets none of it.
        for r in rated.iter_mut() {
            r.appeal = r.appeal.map(|a| -a);
        }
        assert_eq!(Blend::fit(&mut m, &rated, false).appeal, 0.0);
        // Without appeal or a crowd, ratings the model cannot predict leave
        // it alone in charge.
        for r in rated.iter_mut() {
            r.appeal = None;
        }
        assert_eq!(Blend::fit(&mut m, &rated, false), Blend::PERSONAL);
    }

    #[test]
    fn the_expected_rating_is_centred_on_the_appeal_of_the_faces_rated() {
        // Every face the player rated is more appealing than the pack's
        // mean (appeal 1 to 3 spreads), and their ratings follow appeal.
        let mut m = model();
        let (dark, light) = (vec![Some(0)], vec![Some(1)]);
        let rated = ratings_unrelated_to_hair(&mut m, &dark, &light, |x, r| Rated {
            code: x,
            rating: r,
            crowd: None,
            appeal: Some(f64::from(r.value()) / 2.0 + 0.5),
            descriptor: None,
        });
        let blend = Blend::fit(&mut m, &rated, false);
        assert!(blend.appeal > 0.3, "{blend:?}");
        // A face as appealing as the faces rated on average (2 spreads),
        // which the player's own model scores as it did them on average,
        // is expected to get the player's mean rating (3), not 3 plus the
        // appeal weight times 2.
        let shown = blend.score(blend.centre.personal, None, Some(2.0));
        assert!((shown - 3.0).abs() < 1e-9, "{shown} {blend:?}");
        // One spread more appealing: the appeal weight more.
        let more = blend.score(blend.centre.personal, None, Some(3.0));
        assert!((more - 3.0 - blend.appeal).abs() < 1e-9, "{more}");
        assert!(blend.confidence(shown) < 0.5, "{}", blend.confidence(shown));
    }

    #[test]
    fn without_crowd_or_appeal_the_blend_ranks_as_the_model_and_is_less_sure() {
        let mut m = model();
        let dark = vec![Some(0)];
        let light = vec![Some(1)];
        // Dark hair mostly liked, light mostly not, with some exceptions:
        // twelve ratings.
        let ratings = [
            (&dark, Rating::Type),
            (&dark, Rating::SlightlyLike),
            (&dark, Rating::Type),
            (&dark, Rating::Normal),
            (&dark, Rating::SlightlyLike),
            (&dark, Rating::SlightlyWeak),
            (&light, Rating::VeryWeak),
            (&light, Rating::SlightlyWeak),
            (&light, Rating::Normal),
            (&light, Rating::VeryWeak),
            (&light, Rating::SlightlyLike),
            (&light, Rating::SlightlyWeak),
        ];
        let rated: Vec<Rated> = ratings
            .iter()
            .map(|&(x, r)| {
                m.update(x, r);
                Rated {
                    code: x,
                    rating: r,
                    crowd: None,
                    appeal: None,
                    descriptor: None,
                }
            })
            .collect();
        let blend = Blend::fit(&mut m, &rated, false);
        assert!(blend.personal > 0.0, "{blend:?}");
        assert_eq!((blend.crowd, blend.appeal), (0.0, 0.0));
        let (top, bottom) = (
            blend.score_of(&m, &choice(&dark, None)),
            blend.score_of(&m, &choice(&light, None)),
        );
        assert!(top > bottom, "{top} {bottom}");
        // More sure of the dark-haired face, but after twelve ratings not as
        // sure as the naive Bayes, whose own confidence is far too high.
        let (sure, unsure) = (blend.confidence(top), blend.confidence(bottom));
        assert!(sure > unsure, "{sure} {unsure}");
        assert!(
            m.confidence(&dark) > sure + 0.2,
            "{} {sure}",
            m.confidence(&dark)
        );
    }

    #[test]
    fn a_player_who_follows_the_crowd_gets_crowd_weight() {
        let mut m = model();
        let dark = vec![Some(0)];
        let light = vec![Some(1)];
        // Ratings equal the crowd's, unrelated to hair.
        let rated = ratings_unrelated_to_hair(&mut m, &dark, &light, |x, r| {
            with_crowd(x, r, f64::from(r.value()))
        });
        let blend = Blend::fit(&mut m, &rated, true);
        assert!(blend.crowd_share() > 0.9, "{blend:?}");
        // The score is an expected rating: near the crowd's, and the
        // confidence that the player will like the face follows it.
        let top = blend.score(m.score(&dark), Some(5.0), None);
        let bottom = blend.score(m.score(&dark), Some(1.0), None);
        assert!(
            (4.0..=5.5).contains(&top) && (0.5..=2.0).contains(&bottom),
            "{top} {bottom}"
        );
        let (sure, unsure) = (blend.confidence(top), blend.confidence(bottom));
        assert!(sure > 0.8 && unsure < 0.2, "{sure} {unsure}");
        // Unfitted, the spread is a typical player's: a score one point
        // above the threshold is likely liked, not certainly.
        let unfitted = Blend::PERSONAL.confidence(LIKE_THRESHOLD + 1.0);
        assert!((0.8..0.9).contains(&unfitted), "{unfitted}");
        // The model was left as it was.
        assert_eq!(m.ratings(), 20);
    }

    #[test]
    fn a_player_against_the_crowd_is_ranked_by_their_own_model() {
        let mut m = model();
        let dark = vec![Some(0)];
        let light = vec![Some(1)];
        let mut rated = Vec::new();
        for i in 0..20 {
            // Likes dark hair; the crowd says the opposite.
            let (x, r, c) = if i % 2 == 0 {
                (&dark, Rating::Type, 1.0)
            } else {
                (&light, Rating::VeryWeak, 5.0)
            };
            m.update(x, r);
            rated.push(with_crowd(x, r, c));
        }
        let blend = Blend::fit(&mut m, &rated, true);
        assert_eq!(blend.crowd, 0.0, "{blend:?}");
        assert!(
            blend.score(m.score(&dark), Some(1.0), None)
                > blend.score(m.score(&light), Some(5.0), None)
        );
    }

    #[test]
    fn few_ratings_leave_the_crowd_in_charge() {
        let mut m = model();
        let x = vec![Some(0)];
        m.update(&x, Rating::Type);
        assert_eq!(
            Blend::fit(&mut m, &[with_crowd(&x, Rating::Type, 3.0)], true),
            Blend::CROWD
        );
        // A face the crowd did not rate does not count towards the five.
        let unrated = Rated {
            crowd: None,
            ..with_crowd(&x, Rating::Type, 3.0)
        };
        assert_eq!(Blend::fit(&mut m, &[unrated; 9], true), Blend::CROWD);
    }

    #[test]
    fn the_next_question_is_one_that_can_change_the_pick() {
        let space = FeatureSpace::new(vec![
            AttributeDef {
                name: "hair".into(),
                levels: vec!["dark".into(), "light".into()],
                description: String::new(),
            },
            AttributeDef {
                name: "eyes".into(),
                levels: vec!["small".into(), "large".into()],
                description: String::new(),
            },
        ]);
        let mut m = PreferenceModel::new(space, &NaiveBayesParams::new().check().unwrap());
        for _ in 0..6 {
            m.update(&vec![Some(0), Some(0)], Rating::Type);
            m.update(&vec![Some(1), Some(0)], Rating::VeryWeak);
        }
        // Candidates: dark-haired, large-eyed faces (the contest is about eyes).
        let c1 = vec![Some(0), Some(1)];
        let c2 = vec![Some(0), Some(0)];
        let candidates = [choice(&c1, None), choice(&c2, None)];
        // Question 0 (light hair, small eyes) says nothing new about eyes on
        // dark hair; question 1 (large eyes) does.
        let q0 = vec![Some(1), None];
        let q1 = vec![None, Some(1)];
        let questions = [choice(&q0, None), choice(&q1, None)];
        let none = |_, _| false;
        let pick = next_question(&m, &Blend::PERSONAL, &questions, &candidates, &none, &[]);
        assert_eq!(pick, Some(1));
        assert_eq!(
            next_question(&m, &Blend::PERSONAL, &[], &candidates, &none, &[]),
            None
        );
        // Without appeal or descriptors (a drawn pack) the contest decides
        // after any number of ratings.
        let rated = [choice(&q0, None)];
        let pick = next_question(&m, &Blend::PERSONAL, &questions, &candidates, &none, &rated);
        assert_eq!(pick, Some(1));
    }

    /// A descriptor that is `value` on number `j` and 0 elsewhere.
    fn descriptor_along(j: usize, value: f64) -> Vec<f64> {
        let mut d = vec![0.0; DESCRIPTOR];
        d[j] = value;
        d
    }

    fn with_looks<'a>(code: &'a Encoded, descriptor: &'a [f64]) -> Choice<'a> {
        Choice {
            code,
            crowd: None,
            appeal: Some(0.0),
            descriptor: Some(descriptor),
        }
    }

    #[test]
    fn in_a_photo_pack_the_question_narrows_the_doubt_about_the_leaders() {
        let space = FeatureSpace::new(vec![AttributeDef {
            name: "eyes".into(),
            levels: vec!["small".into(), "large".into()],
            description: String::new(),
        }]);
        let m = PreferenceModel::new(space, &NaiveBayesParams::new().check().unwrap());
        let x = vec![Some(0)];
        let looks = |d| with_looks(&x, d);
        // Nothing learnt, so the candidates tie and the first five lead.
        // They stand out from the candidates' mean on descriptor number 0
        // alone; the sixth lies far the other way.
        let (leader, other) = (descriptor_along(0, 2.0), descriptor_along(0, -10.0));
        let mut candidates = vec![looks(&leader); DESIGN_LEADERS];
        candidates.push(looks(&other));
        // Question 0 varies only where no leader stands out, 1 and 2 where
        // they do, 2 the more.
        let (elsewhere, near, far) = (
            descriptor_along(1, 3.0),
            descriptor_along(0, 1.0),
            descriptor_along(0, 3.0),
        );
        let questions = [looks(&elsewhere), looks(&near), looks(&far)];
        let none = |_, _| false;
        let ranked = rank_questions(&m, &Blend::PERSONAL, &questions, &candidates, &none, &[]);
        assert_eq!(ranked.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 1, 0]);
        assert_eq!(ranked[2].1, 0.0, "{ranked:?}");
        // Faces rated all over number 0 already pinned the player's taste
        // there: the same question is now worth less.
        let (plus, minus) = (descriptor_along(0, 5.0), descriptor_along(0, -5.0));
        let rated: Vec<Choice> = (0..40)
            .map(|i| looks(if i % 2 == 0 { &plus } else { &minus }))
            .collect();
        let after = rank_questions(&m, &Blend::PERSONAL, &questions, &candidates, &none, &rated);
        let value = |r: &[(usize, f64)], q| r.iter().find(|v| v.0 == q).unwrap().1;
        assert!(
            value(&after, 2) < value(&ranked, 2) / 2.0,
            "{after:?} {ranked:?}"
        );
        // A question that is a leader is weighed against the next best
        // candidate, which it is not.
        let is_first_leader = |q, c| q == 2 && c == 0;
        let leader_asked = rank_questions(
            &m,
            &Blend::PERSONAL,
            &questions,
            &candidates,
            &is_first_leader,
            &[],
        );
        assert!(
            value(&leader_asked, 2) > value(&ranked, 2),
            "{leader_asked:?}"
        );
    }

    #[test]
    fn the_order_follows_the_contest_while_the_crowd_alone_ranks() {
        let space = FeatureSpace::new(vec![AttributeDef {
            name: "eyes".into(),
            levels: vec!["small".into(), "large".into(), "round".into()],
            description: String::new(),
        }]);
        let mut m = PreferenceModel::new(space, &NaiveBayesParams::new().check().unwrap());
        m.update(&vec![Some(2)], Rating::Normal);
        // The crowd puts the small- and large-eyed faces first; a question
        // about round eyes touches neither, one about large eyes does.
        let (small, large, round) = (vec![Some(0)], vec![Some(1)], vec![Some(2)]);
        let candidates = [
            choice(&small, Some(4.5)),
            choice(&large, Some(4.4)),
            choice(&round, Some(1.0)),
        ];
        let questions = [choice(&round, None), choice(&large, None)];
        let ranked = rank_questions(
            &m,
            &Blend::CROWD,
            &questions,
            &candidates,
            &|_, _| false,
            &[],
        );
        assert_eq!(ranked[0].0, 1, "{ranked:?}");
        assert!(ranked[0].1 > ranked[1].1, "{ranked:?}");
    }
}
