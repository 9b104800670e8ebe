//! The blend: how much the crowd, the player's own model, appeal and looks
//! count for one player, learnt from their ratings.
//!
//! **Blending.** How much the crowd counts is learnt per player, not fixed:
//! the player's own ratings are regressed on the face's crowd score, the
//! naive-Bayes score the model gives it *without* that rating (leave-one-out,
//! so the model cannot take credit for having memorised it) and, in photo
//! packs, its appeal ([`crate::vision::appeal`], in spreads from the pack's mean: see
//! [`AppealScores`](super::looks::AppealScores)) and the 128 numbers of its face network descriptor
//! ([`crate::vision::face_net`], standardised: see [`Descriptors`](super::looks::Descriptors)), the player's
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
//! (docs/model.md, *The blend*; docs/measurements.md, *The tables*).

use super::{Encoded, PreferenceModel};
use crate::core::rating::Rating;
use crate::core::tuning::{
    LIKE_THRESHOLD, MIN_FIT_SPREAD, MIN_RATINGS_TO_BLEND, RIDGE_APPEAL, RIDGE_CROWD, RIDGE_LOOKS,
    RIDGE_PERSONAL, UNFITTED_SPREAD,
};
use crate::math::stats::mean;
use crate::vision::face_net::DESCRIPTOR;

/// One face as the blend and the question order read it, whether rated,
/// asked about or revealed: its attribute code, its crowd score (for this
/// player, if the crowd rated it), its appeal
/// ([`AppealScores::get`](super::looks::AppealScores::get)) and its
/// descriptor ([`Descriptors::get`](super::looks::Descriptors::get)). A
/// rated face is a `(Face, Rating)`.
#[derive(Debug, Clone, Copy)]
pub struct Face<'a> {
    pub code: &'a Encoded,
    pub crowd: Option<f64>,
    pub appeal: Option<f64>,
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
    pub fn fit(model: &mut PreferenceModel, rated: &[(Face, Rating)], use_crowd: bool) -> Blend {
        let rated: Vec<&(Face, Rating)> = rated
            .iter()
            .filter(|(f, _)| !use_crowd || f.crowd.is_some())
            .collect();
        let use_appeal = rated.iter().any(|(f, _)| f.appeal.is_some());
        let use_looks = rated.iter().any(|(f, _)| f.descriptor.is_some());
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
        let loo = leave_one_out(model, &rated);
        let truth: Vec<f64> = rated.iter().map(|(_, r)| f64::from(r.value())).collect();
        let crowd: Vec<f64> = rated.iter().map(|(f, _)| f.crowd.unwrap_or(0.0)).collect();
        // A face without an appeal counts as the pack's mean (0).
        let appeal: Vec<f64> = rated.iter().map(|(f, _)| f.appeal.unwrap_or(0.0)).collect();
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
        if use_looks {
            push_descriptor_columns(&rated, &mut columns, &mut penalties);
        }
        let mut w = crate::math::linalg::ridge(&columns, &truth, &penalties)
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
        blend.spread = blend.fitted_spread(&loo, &crowd, &appeal, &rated, &truth);
        blend
    }

    /// The spread of the player's ratings `truth` around the fit, from the
    /// rated faces' predictors (at least [`MIN_FIT_SPREAD`]).
    fn fitted_spread(
        &self,
        loo: &[f64],
        crowd: &[f64],
        appeal: &[f64],
        rated: &[&(Face, Rating)],
        truth: &[f64],
    ) -> f64 {
        let squares: f64 = (0..truth.len())
            .map(|i| {
                let fitted = self.score_with(
                    loo[i],
                    Some(crowd[i]),
                    Some(appeal[i]),
                    rated[i].0.descriptor,
                );
                (truth[i] - fitted).powi(2)
            })
            .sum();
        (squares / truth.len() as f64).sqrt().max(MIN_FIT_SPREAD)
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
    /// descriptor ([`Descriptors::get`](super::looks::Descriptors::get); without one, the face counts as
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
    pub fn score_of(&self, model: &PreferenceModel, choice: &Face) -> f64 {
        self.score_with(
            model.score(choice.code),
            choice.crowd,
            choice.appeal,
            choice.descriptor,
        )
    }
}

/// One regression column per descriptor number, penalised by
/// [`RIDGE_LOOKS`]; a face without a descriptor counts as the model's mean
/// face (0).
fn push_descriptor_columns(
    rated: &[&(Face, Rating)],
    columns: &mut Vec<Vec<f64>>,
    penalties: &mut Vec<f64>,
) {
    let descriptor = |f: &Face, j: usize| f.descriptor.map_or(0.0, |d| d[j]);
    for j in 0..DESCRIPTOR {
        columns.push(rated.iter().map(|(f, _)| descriptor(f, j)).collect());
        penalties.push(RIDGE_LOOKS);
    }
}

/// Each rated face's score from the model without its own rating (the
/// model learnt them all, and is left as it was).
fn leave_one_out(model: &mut PreferenceModel, rated: &[&(Face, Rating)]) -> Vec<f64> {
    rated
        .iter()
        .map(|&&(f, r)| {
            model.forget(f.code, r);
            let s = model.score(f.code);
            model.update(f.code, r);
            s
        })
        .collect()
}

/// With a crowd, the other predictors must earn their place: the
/// regression on the crowd score alone (column 1 of `columns`) is fitted
/// too, and when its leave-one-out error is no larger than the full fit's
/// (weights `w`), its weight is returned. A player who rates like the crowd
/// plus chance then gets the crowd, not a fit to the chance (docs/model.md,
/// *The crowd prior*).
fn crowd_alone_predicts_better(
    columns: &[Vec<f64>],
    truth: &[f64],
    penalties: &[f64],
    w: &[f64],
) -> Option<f64> {
    let crowd = std::slice::from_ref(&columns[1]);
    let alone = crate::math::linalg::ridge(crowd, truth, &[RIDGE_CROWD])?;
    let full_error = crate::math::linalg::ridge_loo_mse(columns, truth, penalties, w)?;
    let alone_error = crate::math::linalg::ridge_loo_mse(crowd, truth, &[RIDGE_CROWD], &alone)?;
    (alone_error <= full_error).then_some(alone[0])
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

    fn with_crowd(code: &Encoded, rating: Rating, crowd: f64) -> (Face<'_>, Rating) {
        (
            Face {
                code,
                crowd: Some(crowd),
                appeal: None,
                descriptor: None,
            },
            rating,
        )
    }

    fn choice(code: &Encoded, crowd: Option<f64>) -> Face<'_> {
        Face {
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
        entry: impl Fn(&'a Encoded, Rating) -> (Face<'a>, Rating),
    ) -> Vec<(Face<'a>, Rating)> {
        (0..20)
            .map(|i| {
                let x = if i % 2 == 0 { dark } else { light };
                let r = Rating::ALL[i % 5];
                m.update(x, r);
                entry(x, r)
            })
            .collect()
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
            let rated: Vec<(Face, Rating)> = faces
                .iter()
                .enumerate()
                .map(|(i, (d, appeal, crowd))| {
                    let x = if i % 2 == 0 { &dark } else { &light };
                    m.update(x, rating(i));
                    (
                        Face {
                            code: x,
                            crowd: Some(*crowd),
                            appeal: Some(*appeal),
                            descriptor: Some(d),
                        },
                        rating(i),
                    )
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
        let rated: Vec<(Face, Rating)> = descriptors
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let x = if i % 2 == 0 { &dark } else { &light };
                m.update(x, rating(d));
                (
                    Face {
                        code: x,
                        crowd: None,
                        appeal: None,
                        descriptor: Some(d),
                    },
                    rating(d),
                )
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
        let mut rated = ratings_unrelated_to_hair(&mut m, &dark, &light, |x, r| {
            (
                Face {
                    code: x,
                    crowd: None,
                    appeal: Some(f64::from(r.value()) - 3.0),
                    descriptor: None,
                },
                r,
            )
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
            r.0.appeal = r.0.appeal.map(|a| -a);
        }
        assert_eq!(Blend::fit(&mut m, &rated, false).appeal, 0.0);
        // Without appeal or a crowd, ratings the model cannot predict leave
        // it alone in charge.
        for r in rated.iter_mut() {
            r.0.appeal = None;
        }
        assert_eq!(Blend::fit(&mut m, &rated, false), Blend::PERSONAL);
    }

    #[test]
    fn the_expected_rating_is_centred_on_the_appeal_of_the_faces_rated() {
        // Every face the player rated is more appealing than the pack's
        // mean (appeal 1 to 3 spreads), and their ratings follow appeal.
        let mut m = model();
        let (dark, light) = (vec![Some(0)], vec![Some(1)]);
        let rated = ratings_unrelated_to_hair(&mut m, &dark, &light, |x, r| {
            (
                Face {
                    code: x,
                    crowd: None,
                    appeal: Some(f64::from(r.value()) / 2.0 + 0.5),
                    descriptor: None,
                },
                r,
            )
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
        let rated: Vec<(Face, Rating)> = ratings
            .iter()
            .map(|&(x, r)| {
                m.update(x, r);
                (
                    Face {
                        code: x,
                        crowd: None,
                        appeal: None,
                        descriptor: None,
                    },
                    r,
                )
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
        let unrated = (
            Face {
                crowd: None,
                ..with_crowd(&x, Rating::Type, 3.0).0
            },
            with_crowd(&x, Rating::Type, 3.0).1,
        );
        assert_eq!(Blend::fit(&mut m, &[unrated; 9], true), Blend::CROWD);
    }
}
