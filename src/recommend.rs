//! Ties a pack, a profile's ratings and the model together: learns from
//! ratings on one pack and ranks the candidates of the same or another pack.

use crate::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel, Reason};
use crate::pack::Pack;
use crate::profile::Profile;
use crate::rating::Rating;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum RecommendError {
    #[error("face `{face}` is not in pack `{pack}`")]
    UnknownFace { face: String, pack: String },
    #[error("pack `{0}` has no faces to reveal (role `celebrity` or `both`)")]
    NoCandidates(String),
    #[error("model settings: {0}")]
    Model(#[from] crate::model::ModelError),
}

/// One ranked face.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub id: String,
    pub name: String,
    /// Expected rating, 1..=5.
    pub score: f64,
    /// P(rating ≥ Slightly like).
    pub confidence: f64,
}

/// The reveal: a pick, the runners-up and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub pick: Scored,
    /// The best `k` faces, the pick first.
    pub top: Vec<Scored>,
    /// Attribute levels of the pick that pushed it most, strongest first
    /// (only those that pushed towards Type).
    pub because: Vec<Reason>,
    /// Attributes the model could use for the reveal pack.
    pub used_attributes: Vec<String>,
    /// Ratings learnt.
    pub ratings: usize,
}

/// A model learnt on `rated` pack's faces, ranking `reveal` pack's candidates.
#[derive(Debug, Clone)]
pub struct Recommender {
    rated: Pack,
    reveal: Option<Pack>,
    model: PreferenceModel,
    rated_codes: HashMap<String, Encoded>,
    candidates: Vec<(usize, Encoded)>,
    used_attributes: Vec<String>,
}

impl Recommender {
    /// `reveal`: another pack to pick from (its candidates are encoded through
    /// the shared vocabulary); `None` picks from `rated` itself.
    pub fn new(rated: &Pack, reveal: Option<&Pack>) -> Result<Recommender, RecommendError> {
        let params = NaiveBayesParams::new().check()?;
        let full = FeatureSpace::new(rated.manifest().attributes.clone());
        let (space, used_attributes) = match reveal {
            Some(other) => {
                let shared = full.shared_with(&other.manifest().attributes);
                (full.restricted_to(&shared), shared)
            }
            None => {
                let names = full.attributes().iter().map(|a| a.name.clone()).collect();
                (full, names)
            }
        };
        let rated_codes = rated
            .model_faces()
            .map(|f| (f.id.clone(), space.encode(&f.attributes)))
            .collect();
        let source = reveal.unwrap_or(rated);
        let candidates: Vec<(usize, Encoded)> = source
            .faces()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role.is_candidate())
            .map(|(i, f)| (i, space.encode(&f.attributes)))
            .collect();
        if candidates.is_empty() {
            return Err(RecommendError::NoCandidates(source.name().to_string()));
        }
        Ok(Recommender {
            rated: rated.clone(),
            reveal: reveal.cloned(),
            model: PreferenceModel::new(space, &params),
            rated_codes,
            candidates,
            used_attributes,
        })
    }

    /// A recommender that has learnt every rating of `profile`.
    pub fn from_profile(
        rated: &Pack,
        reveal: Option<&Pack>,
        profile: &Profile,
    ) -> Result<Recommender, RecommendError> {
        let mut rec = Recommender::new(rated, reveal)?;
        for (face, level) in profile.latest_ratings() {
            rec.learn(face, level)?;
        }
        Ok(rec)
    }

    pub fn model(&self) -> &PreferenceModel {
        &self.model
    }
    pub fn rated_pack(&self) -> &Pack {
        &self.rated
    }
    /// The pack reveals come from.
    pub fn reveal_pack(&self) -> &Pack {
        self.reveal.as_ref().unwrap_or(&self.rated)
    }

    fn code(&self, face: &str) -> Result<&Encoded, RecommendError> {
        self.rated_codes
            .get(face)
            .ok_or_else(|| RecommendError::UnknownFace {
                face: face.to_string(),
                pack: self.rated.name().to_string(),
            })
    }

    /// Learns one rating of a face of the rated pack.
    pub fn learn(&mut self, face: &str, rating: Rating) -> Result<(), RecommendError> {
        let x = self.code(face)?.clone();
        self.model.update(&x, rating);
        Ok(())
    }

    /// Forgets a rating learnt earlier (undo).
    pub fn unlearn(&mut self, face: &str, rating: Rating) -> Result<(), RecommendError> {
        let x = self.code(face)?.clone();
        self.model.forget(&x, rating);
        Ok(())
    }

    /// Ranks the candidates (excluding `exclude`, e.g. faces already rated)
    /// and returns the top `k` with the reasons for the pick.
    pub fn recommend(&self, k: usize, exclude: &dyn Fn(&str) -> bool) -> Recommendation {
        let pack = self.reveal_pack();
        let pool: Vec<&(usize, Encoded)> = {
            let open: Vec<_> = self
                .candidates
                .iter()
                .filter(|(i, _)| !exclude(&pack.faces()[*i].id))
                .collect();
            // Everyone rated already: rank them all rather than reveal nobody.
            if open.is_empty() {
                self.candidates.iter().collect()
            } else {
                open
            }
        };
        let codes: Vec<Encoded> = pool.iter().map(|(_, x)| x.clone()).collect();
        let ranked = self.model.rank(&codes);
        let top: Vec<Scored> = ranked
            .iter()
            .take(k.max(1))
            .map(|&(j, score)| {
                let (i, x) = pool[j];
                let face = &pack.faces()[*i];
                Scored {
                    id: face.id.clone(),
                    name: face.name.clone(),
                    score,
                    confidence: self.model.confidence(x),
                }
            })
            .collect();
        let pick_code = &pool[ranked[0].0].1;
        let because = self
            .model
            .explain(pick_code)
            .into_iter()
            .filter(|r| r.weight > 0.0)
            .collect();
        Recommendation {
            pick: top[0].clone(),
            top,
            because,
            used_attributes: self.used_attributes.clone(),
            ratings: self.model.ratings(),
        }
    }
}
