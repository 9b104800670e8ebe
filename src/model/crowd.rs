//! The crowd prior and the adaptive choice of the next face to rate.
//!
//! **Crowd scores.** A face's crowd score is the mean rating other people gave
//! it, on the game's 1..=5 scale, shrunk towards the mean of all faces by one
//! pseudo-rating: `(Σ ratings + m) / (n + 1)`. It comes from the pack (a face's
//! `crowd` field counts as one rater) and from the other players' profiles in
//! the same profiles folder that rated the same pack.
//!
//! **Blending.** How much the crowd counts is learnt per player, not fixed:
//! the player's own ratings are regressed on two predictors, the face's crowd
//! score and the naive-Bayes score the model gives it *without* that rating
//! (leave-one-out, so the model cannot take credit for having memorised it).
//! Ridge regression on centred values gives the two weights, each clamped
//! at 0. The penalty is light on the crowd ([`RIDGE_CROWD`]: many people's
//! mean is trusted) and heavy on the personal score ([`RIDGE_PERSONAL`]: a
//! naive Bayes on a few dozen ratings is noisy and must earn its weight;
//! 20 beat 5, 50 and 100 on MEBeauty and 3dsk over three seeds): a player who agrees with the crowd leans on it,
//! one who does not is ranked by their own model alone. Below
//! [`MIN_RATINGS_TO_BLEND`] ratings the crowd alone ranks. On MEBeauty and
//! 3dsk this blend scores at least as well as the crowd alone (README).
//!
//! **Adaptive order.** The reveal is a contest between the two candidates
//! ranked highest. The next face to rate is the one whose rating is expected
//! to move that contest the most: over the ratings the model expects the
//! player to give it, the mean squared change of the gap between the two
//! leaders' scores once that rating is learnt. A face that shares the
//! leaders' contested levels moves the gap; one that shares none does not.
//! The gap is read on the player's own model: the blend scales it by a
//! positive weight, which leaves the order of the questions unchanged, and
//! while the crowd alone ranks (too few ratings) the player's own model
//! still tells which answers would matter. Measured on MEBeauty against the
//! knowledge gradient (the expected rise of the best candidate's score) and
//! asking the current favourite: README, "Measuring on real people".

use super::{Encoded, PreferenceModel};
use crate::rating::Rating;
use std::collections::HashMap;

/// Ridge penalties of the blend regression (in squared rating points).
pub const RIDGE_CROWD: f64 = 1.0;
pub const RIDGE_PERSONAL: f64 = 20.0;
/// Ratings on faces with a crowd score needed before the player's own model
/// gets a weight.
pub const MIN_RATINGS_TO_BLEND: usize = 5;

/// Mean ratings by other people, per face id, on the 1..=5 scale.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrowdScores {
    sums: HashMap<String, (f64, f64)>,
    /// Other players whose profiles contributed.
    pub players: usize,
}

impl CrowdScores {
    pub fn new() -> Self {
        CrowdScores::default()
    }

    /// Adds `weight` ratings of `level` (1..=5) for `face`.
    pub fn add(&mut self, face: &str, level: f64, weight: f64) {
        if !(level.is_finite() && weight.is_finite() && weight > 0.0) {
            return;
        }
        let e = self.sums.entry(face.to_string()).or_insert((0.0, 0.0));
        e.0 += level * weight;
        e.1 += weight;
    }

    pub fn is_empty(&self) -> bool {
        self.sums.is_empty()
    }

    /// Faces with at least one crowd rating.
    pub fn len(&self) -> usize {
        self.sums.len()
    }

    /// Mean of all crowd ratings (3 when there are none).
    pub fn global_mean(&self) -> f64 {
        let (s, n) = self
            .sums
            .values()
            .fold((0.0, 0.0), |(s, n), (a, b)| (s + a, n + b));
        if n > 0.0 {
            s / n
        } else {
            3.0
        }
    }

    /// The face's crowd score, shrunk towards the global mean by one rating;
    /// `None` for a face nobody rated.
    pub fn score(&self, face: &str) -> Option<f64> {
        let (s, n) = self.sums.get(face)?;
        Some((s + self.global_mean()) / (n + 1.0))
    }
}

/// The weights of the crowd score and of the player's own model in a face's
/// final score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrowdBlend {
    pub crowd: f64,
    pub personal: f64,
}

impl CrowdBlend {
    /// The player's own model only.
    pub const PERSONAL: CrowdBlend = CrowdBlend {
        crowd: 0.0,
        personal: 1.0,
    };
    /// The crowd only (too few ratings to learn from).
    pub const CROWD: CrowdBlend = CrowdBlend {
        crowd: 1.0,
        personal: 0.0,
    };

    /// Learns the weights from the player's ratings `(face, rating, crowd
    /// score)` by leave-one-out ridge regression (see the module docs).
    /// `model` must have learnt exactly these ratings; it is left unchanged.
    pub fn fit(model: &mut PreferenceModel, rated: &[(&Encoded, Rating, f64)]) -> CrowdBlend {
        if rated.len() < MIN_RATINGS_TO_BLEND {
            return CrowdBlend::CROWD;
        }
        let loo: Vec<f64> = rated
            .iter()
            .map(|&(x, r, _)| {
                model.forget(x, r);
                let s = model.score(x);
                model.update(x, r);
                s
            })
            .collect();
        let crowd: Vec<f64> = rated.iter().map(|t| t.2).collect();
        let truth: Vec<f64> = rated.iter().map(|t| f64::from(t.1.value())).collect();
        let (c, p) = ridge2(&crowd, &loo, &truth, RIDGE_CROWD, RIDGE_PERSONAL);
        let (c, p) = (c.max(0.0), p.max(0.0));
        if c + p <= 1e-12 {
            // Neither predicts this player's ratings: their own model still
            // knows more about them than the crowd does.
            return CrowdBlend::PERSONAL;
        }
        CrowdBlend {
            crowd: c / (c + p),
            personal: p / (c + p),
        }
    }

    /// The blended score, in 1..=5 (a weighted mean of two 1..=5 scores).
    pub fn score(&self, personal: f64, crowd: Option<f64>) -> f64 {
        match crowd {
            Some(c) if self.crowd > 0.0 => self.crowd * c + self.personal * personal,
            _ => personal,
        }
    }
}

/// Ridge regression of `y` on two centred predictors, without intercept,
/// with penalties `lambda_a` and `lambda_b` on their coefficients.
fn ridge2(a: &[f64], b: &[f64], y: &[f64], lambda_a: f64, lambda_b: f64) -> (f64, f64) {
    let centre = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len().max(1) as f64;
        v.iter().map(|x| x - m).collect::<Vec<f64>>()
    };
    let (a, b, y) = (centre(a), centre(b), centre(y));
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(x, y)| x * y).sum::<f64>();
    let (aa, bb, ab) = (dot(&a, &a) + lambda_a, dot(&b, &b) + lambda_b, dot(&a, &b));
    let (ay, by) = (dot(&a, &y), dot(&b, &y));
    let det = aa * bb - ab * ab;
    if det.abs() < 1e-12 {
        return (0.0, 0.0);
    }
    ((bb * ay - ab * by) / det, (aa * by - ab * ay) / det)
}

/// A face the game could ask about or reveal: its code and crowd score.
pub type Choice<'a> = (&'a Encoded, Option<f64>);

/// The index into `questions` of the face worth rating next (see the
/// module docs). `same` tells whether question `q` is candidate `c` (a rated
/// face is no longer revealed). Ties go to the earlier question; `None` when
/// there are no questions.
pub fn next_question(
    model: &mut PreferenceModel,
    blend: CrowdBlend,
    questions: &[Choice],
    candidates: &[Choice],
    same: &dyn Fn(usize, usize) -> bool,
) -> Option<usize> {
    rank_questions(model, blend, questions, candidates, same)
        .first()
        .map(|&(q, _)| q)
}

/// Every question as (index, expected squared change of the leaders' gap),
/// most valuable first (ties in `questions` order). `model` is left as it was.
pub fn rank_questions(
    model: &mut PreferenceModel,
    blend: CrowdBlend,
    questions: &[Choice],
    candidates: &[Choice],
    same: &dyn Fn(usize, usize) -> bool,
) -> Vec<(usize, f64)> {
    let mut ranked: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .map(|(i, &(x, crowd))| (i, blend.score(model.score(x), crowd)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut values: Vec<(usize, f64)> = questions
        .iter()
        .enumerate()
        .map(|(q, &(x, _))| {
            // Rating a candidate takes it out of the reveal: the contest is
            // between the two best the question is not.
            let mut leaders = ranked.iter().filter(|(c, _)| !same(q, *c));
            let (Some(&(first, _)), Some(&(second, _))) = (leaders.next(), leaders.next()) else {
                return (q, 0.0);
            };
            let gap =
                |m: &PreferenceModel| m.score(candidates[first].0) - m.score(candidates[second].0);
            let now = gap(model);
            let posterior = model.posterior(x);
            let mut expected = 0.0;
            for (rating, p) in Rating::ALL.iter().zip(posterior) {
                model.update(x, *rating);
                expected += p * (gap(model) - now).powi(2);
                model.forget(x, *rating);
            }
            (q, expected)
        })
        .collect();
    // Stable sort: equal values keep the questions' order.
    values.sort_by(|a, b| b.1.total_cmp(&a.1));
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attributes::AttributeDef;
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
    fn crowd_scores_shrink_towards_the_mean() {
        let mut crowd = CrowdScores::new();
        crowd.add("a", 5.0, 1.0);
        crowd.add("b", 1.0, 3.0);
        let m = crowd.global_mean();
        assert!((m - 2.0).abs() < 1e-12);
        assert!((crowd.score("a").unwrap() - 3.5).abs() < 1e-12);
        assert!((crowd.score("b").unwrap() - 1.25).abs() < 1e-12);
        assert_eq!(crowd.score("c"), None);
        crowd.add("c", f64::NAN, 1.0);
        assert_eq!(crowd.score("c"), None);
    }

    #[test]
    fn a_player_who_follows_the_crowd_gets_crowd_weight() {
        let mut m = model();
        let dark = vec![Some(0)];
        let light = vec![Some(1)];
        // Ratings equal the crowd's, unrelated to hair.
        let mut rated = Vec::new();
        for i in 0..20 {
            let x = if i % 2 == 0 { &dark } else { &light };
            let r = Rating::ALL[i % 5];
            m.update(x, r);
            rated.push((x, r, f64::from(r.value())));
        }
        let blend = CrowdBlend::fit(&mut m, &rated);
        assert!(blend.crowd > 0.9, "{blend:?}");
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
            rated.push((x, r, c));
        }
        let blend = CrowdBlend::fit(&mut m, &rated);
        assert_eq!(blend.crowd, 0.0, "{blend:?}");
        assert!(blend.score(m.score(&dark), Some(1.0)) > blend.score(m.score(&light), Some(5.0)));
    }

    #[test]
    fn few_ratings_leave_the_crowd_in_charge() {
        let mut m = model();
        let x = vec![Some(0)];
        m.update(&x, Rating::Type);
        assert_eq!(
            CrowdBlend::fit(&mut m, &[(&x, Rating::Type, 3.0)]),
            CrowdBlend::CROWD
        );
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
        let candidates = [(&c1, None), (&c2, None)];
        // Question 0 (light hair, small eyes) says nothing new about eyes on
        // dark hair; question 1 (large eyes) does.
        let q0 = vec![Some(1), None];
        let q1 = vec![None, Some(1)];
        let questions = [(&q0, None), (&q1, None)];
        let before = m.clone().score(&c1);
        let pick = next_question(
            &mut m,
            CrowdBlend::PERSONAL,
            &questions,
            &candidates,
            &|_, _| false,
        );
        assert_eq!(pick, Some(1));
        assert_eq!(m.score(&c1), before, "the model is left unchanged");
        assert_eq!(
            next_question(&mut m, CrowdBlend::PERSONAL, &[], &candidates, &|_, _| {
                false
            }),
            None
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
            (&small, Some(4.5)),
            (&large, Some(4.4)),
            (&round, Some(1.0)),
        ];
        let questions = [(&round, None), (&large, None)];
        let ranked = rank_questions(
            &mut m,
            CrowdBlend::CROWD,
            &questions,
            &candidates,
            &|_, _| false,
        );
        assert_eq!(ranked[0].0, 1, "{ranked:?}");
        assert!(ranked[0].1 > ranked[1].1, "{ranked:?}");
    }
}
