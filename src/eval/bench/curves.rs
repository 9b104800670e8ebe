//! Learning curves: the reveal after n ratings asked in adaptive or random
//! order.

use super::faces::Faces;
use super::report::{metrics, LearningCurves};
use super::{fit_blend, level_rating, personal_crowd, CURVE_POINTS, CURVE_TEST_FACES};
use crate::model::blend::{Blend, Face};
use crate::model::crowd::CrowdScores;
use crate::model::questions::next_question;
use crate::model::{FeatureSpace, PreferenceModel, ValidParams};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Learning curves: reveal_percentile after n ratings asked in adaptive or
/// random order. Per rater, [`CURVE_TEST_FACES`] rated faces are held out as
/// the reveal's candidates; the questions come from the others.
pub(super) struct CurveValues {
    points: Vec<usize>,
    /// Per curve, per point, each rater's reveal percentile.
    per_rater: BTreeMap<String, Vec<Vec<f64>>>,
    raters: usize,
}

impl CurveValues {
    pub(super) fn new(train: usize) -> CurveValues {
        CurveValues {
            points: CURVE_POINTS
                .iter()
                .copied()
                .filter(|&p| p <= train)
                .collect(),
            per_rater: BTreeMap::new(),
            raters: 0,
        }
    }

    /// `crowd`: score `mytype_crowd` too, with this crowd.
    // Long because: one curve per model and order replays the same rater's
    // questions step by step; the loop is the protocol, in order.
    pub(super) fn add_rater(
        &mut self,
        space: &FeatureSpace,
        params: &ValidParams,
        faces: &Faces,
        crowd_scores: Option<&CrowdScores>,
        rated: &[(usize, f64)],
        rng: &mut ChaCha8Rng,
    ) {
        let codes = &faces.codes;
        let Some(&last) = self.points.last() else {
            return;
        };
        if rated.len() < last + CURVE_TEST_FACES {
            return;
        }
        self.raters += 1;
        let (test, pool) = rated.split_at(CURVE_TEST_FACES);
        let truth: Vec<f64> = test.iter().map(|t| t.1).collect();
        let models: &[bool] = if crowd_scores.is_some() {
            &[false, true]
        } else {
            &[false]
        };
        for &with_crowd in models {
            for adaptive in [false, true] {
                let name = format!(
                    "{}/{}",
                    if with_crowd { "mytype_crowd" } else { "mytype" },
                    if adaptive { "adaptive" } else { "random" }
                );
                let mut model = PreferenceModel::new(space.clone(), params);
                let mut open: Vec<(usize, f64)> = pool.to_vec();
                let mut seen: Vec<(usize, f64)> = Vec::new();
                let mut blend = if with_crowd {
                    Blend::CROWD
                } else {
                    Blend::PERSONAL
                };
                // The player's crowd scores, redone as their neighbours change.
                let mut crowd: Vec<Option<f64>> = match crowd_scores {
                    Some(c) if with_crowd => personal_crowd(c, &faces.ids, &[], rated),
                    _ => vec![None; codes.len()],
                };
                let values = self
                    .per_rater
                    .entry(name)
                    .or_insert_with(|| vec![Vec::new(); self.points.len()]);
                for step in 1..=last {
                    let choice = |&(i, _): &(usize, f64)| Face {
                        code: &codes[i],
                        crowd: crowd[i],
                        appeal: faces.appeal[i],
                        descriptor: faces.descriptors[i].as_deref(),
                    };
                    let candidates: Vec<Face> = test.iter().map(choice).collect();
                    let pick = if adaptive {
                        let questions: Vec<Face> = open.iter().map(choice).collect();
                        let rated: Vec<Face> = seen.iter().map(choice).collect();
                        next_question(
                            &model,
                            &blend,
                            &questions,
                            &candidates,
                            &|_, _| false,
                            &rated,
                        )
                        .unwrap_or(0)
                    } else {
                        rng.random_range(0..open.len())
                    };
                    let (face, level) = open.swap_remove(pick);
                    model.update(&codes[face], level_rating(level));
                    seen.push((face, level));
                    blend = match crowd_scores.filter(|_| with_crowd) {
                        Some(c) => {
                            crowd = personal_crowd(c, &faces.ids, &seen, rated);
                            fit_blend(&mut model, faces, Some(&crowd), &seen)
                        }
                        None => fit_blend(&mut model, faces, None, &seen),
                    };
                    if let Some(k) = self.points.iter().position(|&p| p == step) {
                        let scores: Vec<f64> = test
                            .iter()
                            .map(|&(i, _)| {
                                faces.blended(&blend, i, model.score(&codes[i]), crowd[i])
                            })
                            .collect();
                        values[k].push(metrics(&scores, &truth).reveal_percentile);
                    }
                }
            }
        }
    }

    pub(super) fn finish(self) -> Option<LearningCurves> {
        if self.raters == 0 {
            return None;
        }
        let mut out = BTreeMap::new();
        for (name, values) in &self.per_rater {
            let curve = self
                .points
                .iter()
                .zip(values)
                .map(|(p, v)| (p.to_string(), v.iter().sum::<f64>() / v.len().max(1) as f64))
                .collect();
            out.insert(name.clone(), curve);
        }
        Some(LearningCurves {
            raters: self.raters,
            test_faces: CURVE_TEST_FACES,
            curves: out,
            goal: LearningCurves::goal_of(&self.per_rater),
            per_rater: self.per_rater,
        })
    }
}
