//! Ties a pack, a profile's ratings and the model together: learns from
//! ratings on one pack and ranks the candidates of the same or another pack.

use crate::core::rating::Rating;
use crate::core::tuning::{
    CLOSE_CALL, GOOD_BET_FROM, HUNCH_FROM, MIN_REASON_EFFECT, STRONG_MATCH_FROM,
};
use crate::model::blend::{Blend, Face};
use crate::model::crowd::{CrowdScores, Neighbours, PersonalCrowd};
use crate::model::looks::{AppealScores, Descriptors};
use crate::model::questions::{rank_questions, rank_questions_one_by_one, top_questions};
use crate::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel, Reason};
use crate::pack::Pack;
use crate::profile::Profile;
use serde::Serialize;
use std::collections::HashMap;

/// How [`Recommender::questions_ranked_by`] ranks the questions.
#[derive(Debug, Clone, Copy)]
enum Ranking {
    /// [`rank_questions`]: every question.
    All,
    /// [`rank_questions_one_by_one`]: the baseline it replaced.
    // Bench baseline only: `questions_by_value_one_by_one`.
    OneByOne,
    /// [`top_questions`]: the first so many.
    Top(usize),
}

#[derive(Debug, thiserror::Error)]
pub enum RecommendError {
    #[error("face `{face}` is not in pack `{pack}`")]
    UnknownFace { face: String, pack: String },
    #[error("pack `{0}` has no faces to reveal (role `celebrity` or `both`)")]
    NoCandidates(String),
    #[error("model settings: {0}")]
    Model(#[from] crate::model::ModelError),
}

/// The attribute and level of the reason "others liked them too".
pub const CROWD_REASON: &str = "crowd";
pub const CROWD_REASON_LEVEL: &str = "liked_by_others";
/// The level when players who rate like this one rated the pick.
pub const CROWD_REASON_LEVEL_NEIGHBOURS: &str = "liked_by_players_like_you";
/// The attribute and level of the reason "faces like this appeal to most
/// people, and to you" (see [`crate::vision::appeal`]).
pub const APPEAL_REASON: &str = "appeal";
const APPEAL_REASON_LEVEL: &str = "broadly_appealing";
/// The level of the appeal reason when the player's own taste in looks
/// (the blend's descriptor weights) lifts the pick.
const LOOKS_REASON_LEVEL: &str = "your_kind_of_looks";

/// How sure a pick is, in words, from its confidence (the chance of a
/// rating of Slightly like or Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sureness {
    /// At least [`STRONG_MATCH_FROM`]: three in four or better.
    StrongMatch,
    /// At least [`GOOD_BET_FROM`]: more likely than not.
    GoodBet,
    /// At least [`HUNCH_FROM`]: less than even, but a real chance.
    Hunch,
    /// Below [`HUNCH_FROM`]: the likeliest face here, but unlikely.
    LongShot,
}

impl Sureness {
    pub fn of(confidence: f64) -> Sureness {
        if confidence >= STRONG_MATCH_FROM {
            Sureness::StrongMatch
        } else if confidence >= GOOD_BET_FROM {
            Sureness::GoodBet
        } else if confidence >= HUNCH_FROM {
            Sureness::Hunch
        } else {
            Sureness::LongShot
        }
    }
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
    /// Attribute levels of the pick (and the crowd, appeal) that pushed it
    /// towards Type by at least [`MIN_REASON_EFFECT`], strongest first.
    pub because: Vec<Reason>,
    /// Attributes the model could use for the reveal pack.
    pub used_attributes: Vec<String>,
    /// Ratings learnt.
    pub ratings: usize,
    /// How much the crowd, the player's own model and appeal count.
    pub blend: Blend,
    /// Whether a crowd prior was in use (else `blend.crowd` is 0).
    pub uses_crowd: bool,
    /// Whether the player's own taste in looks was learnt (photo packs with
    /// face descriptors; see [`Blend::looks`]).
    pub learnt_looks: bool,
    /// Other players in the crowd who rate like this one (see
    /// [`CrowdScores::neighbours`]).
    pub neighbours: usize,
}

/// How many faces of `pack` that are there to be rated `profile` has rated
/// (its latest rating of each): what [`MIN_RATINGS_TO_REVEAL`] is counted on.
///
/// [`MIN_RATINGS_TO_REVEAL`]: crate::core::tuning::MIN_RATINGS_TO_REVEAL
pub fn rated_faces(profile: &Profile, pack: &Pack) -> usize {
    profile
        .latest_ratings()
        .iter()
        .filter(|(f, _)| pack.face(f).is_some_and(|e| e.role.is_rated()))
        .count()
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
    /// Crowd scores of the rated pack's and of the reveal pack's faces.
    crowd: Option<(CrowdScores, CrowdScores)>,
    /// The crowd raters who rate like this player (from the ratings learnt).
    neighbours: Neighbours,
    /// Appeal of the rated pack's and of the reveal pack's faces.
    appeal: (AppealScores, AppealScores),
    /// Face network descriptors of the rated pack's and of the reveal
    /// pack's faces.
    descriptors: (Descriptors, Descriptors),
    blend: Blend,
    /// The ratings learnt, in order (for the blend and for undo).
    learnt: Vec<(String, Rating)>,
}

impl Recommendation {
    /// The pick's and the runner-up's expected ratings read the same (see
    /// [`CLOSE_CALL`]).
    pub fn close_call(&self) -> bool {
        self.top
            .get(1)
            .is_some_and(|second| self.pick.score - second.score < CLOSE_CALL)
    }
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
        let appeal = (
            AppealScores::new(rated.appeals()),
            AppealScores::new(source.appeals()),
        );
        let descriptors = (
            Descriptors::new(rated.descriptors()),
            Descriptors::new(source.descriptors()),
        );
        Ok(Recommender {
            rated: rated.clone(),
            reveal: reveal.cloned(),
            model: PreferenceModel::new(space, &params),
            rated_codes,
            candidates,
            used_attributes,
            crowd: None,
            neighbours: Neighbours::none(),
            appeal,
            descriptors,
            blend: Blend::PERSONAL,
            learnt: Vec::new(),
        })
    }

    /// Uses crowd scores as a prior: `rated` for the rated pack's faces,
    /// `reveal` for the reveal pack's (the same scores when there is no other
    /// pack). Empty scores leave the player's own model alone.
    pub fn with_crowd(mut self, rated: CrowdScores, reveal: CrowdScores) -> Recommender {
        if rated.is_empty() && reveal.is_empty() {
            self.crowd = None;
        } else {
            self.crowd = Some((rated, reveal));
        }
        self.refit_blend();
        self
    }

    /// The crowd scores in use, if any (rated pack's, reveal pack's).
    pub fn crowd(&self) -> Option<&(CrowdScores, CrowdScores)> {
        self.crowd.as_ref()
    }

    fn refit_blend(&mut self) {
        // In face order, not rating order: the fit's sums then come out the
        // same to the last bit however the ratings arrived (a replay that
        // re-rates a face must show what a fresh game shows).
        let mut learnt: Vec<&(String, Rating)> = self.learnt.iter().collect();
        learnt.sort_by(|a, b| a.0.cmp(&b.0));
        self.neighbours = match &self.crowd {
            Some((crowd, _)) => crowd.neighbours(
                learnt
                    .iter()
                    .map(|(face, r)| (face.as_str(), f64::from(r.value()))),
            ),
            None => Neighbours::none(),
        };
        let crowd = self.rated_crowd();
        let rated: Vec<(Face, Rating)> = learnt
            .iter()
            .filter_map(|(face, r)| {
                let rated = Face {
                    code: self.rated_codes.get(face)?,
                    crowd: crowd.as_ref().and_then(|c| c.score(face)),
                    appeal: self.appeal.0.get(face),
                    descriptor: self.descriptors.0.get(face),
                };
                Some((rated, *r))
            })
            .collect();
        let mut model = self.model.clone();
        self.blend = Blend::fit(&mut model, &rated, self.crowd.is_some());
    }

    /// The rated pack's crowd as this player sees it.
    fn rated_crowd(&self) -> Option<PersonalCrowd<'_>> {
        let (crowd, _) = self.crowd.as_ref()?;
        Some(crowd.personal(&self.neighbours))
    }

    /// The reveal pack's crowd as this player sees it.
    fn reveal_crowd(&self) -> Option<PersonalCrowd<'_>> {
        let (_, crowd) = self.crowd.as_ref()?;
        Some(crowd.personal(&self.neighbours))
    }

    /// A recommender that has learnt every rating of `profile`.
    pub fn from_profile(
        rated: &Pack,
        reveal: Option<&Pack>,
        profile: &Profile,
    ) -> Result<Recommender, RecommendError> {
        let mut rec = Recommender::new(rated, reveal)?;
        rec.relearn(profile)?;
        Ok(rec)
    }

    /// Forgets everything learnt and learns `profile` again (the crowd
    /// prior stays).
    pub fn relearn(&mut self, profile: &Profile) -> Result<(), RecommendError> {
        let params = NaiveBayesParams::new().check()?;
        self.model = PreferenceModel::new(self.model.space().clone(), &params);
        self.learnt.clear();
        for (face, level) in profile.latest_ratings() {
            let x = self.code(face)?.clone();
            self.model.update(&x, level);
            self.learnt.push((face.to_string(), level));
        }
        self.refit_blend();
        Ok(())
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
        self.learnt.push((face.to_string(), rating));
        self.refit_blend();
        Ok(())
    }

    /// `then` applied to this recommender as it would be after learning
    /// `rating` of `face`, learnt in place and forgotten again before
    /// returning (the decode-ahead's "what if": no copy of the packs and
    /// maps). Afterwards the state is as before, bit for bit: the model's
    /// counts are whole numbers, and the blend and neighbours are put back.
    pub fn what_if<R>(
        &mut self,
        face: &str,
        rating: Rating,
        then: impl FnOnce(&Recommender) -> R,
    ) -> Result<R, RecommendError> {
        let x = self.code(face)?.clone();
        let blend = self.blend.clone();
        let neighbours = self.neighbours.clone();
        self.model.update(&x, rating);
        self.learnt.push((face.to_string(), rating));
        self.refit_blend();
        let result = then(self);
        self.model.forget(&x, rating);
        self.learnt.pop();
        self.blend = blend;
        self.neighbours = neighbours;
        Ok(result)
    }

    /// Forgets a rating learnt earlier (undo).
    pub fn unlearn(&mut self, face: &str, rating: Rating) -> Result<(), RecommendError> {
        let x = self.code(face)?.clone();
        self.model.forget(&x, rating);
        if let Some(i) = self
            .learnt
            .iter()
            .rposition(|(f, r)| f == face && *r == rating)
        {
            self.learnt.remove(i);
        }
        self.refit_blend();
        Ok(())
    }

    /// The rated pack's faces `open` (ids) in the order worth asking them:
    /// in a photo pack (faces with appeal or descriptors), first the one
    /// whose rating is expected to narrow most the blend's doubt about the
    /// leading candidates; in a drawn pack, the one expected to move the
    /// contest between the two leaders the most (see
    /// [`crate::model::questions::rank_questions`]). Candidates already rated
    /// (`exclude`) are left out of the reveal as in [`Self::recommend`].
    pub fn questions_by_value<'a>(
        &self,
        open: &[&'a str],
        exclude: &dyn Fn(&str) -> bool,
    ) -> Vec<&'a str> {
        self.questions_ranked_by(open, exclude, Ranking::All)
    }

    /// The first `k` of [`Self::questions_by_value`] (the same faces in the
    /// same order), without weighing every open face exactly (see
    /// [`top_questions`]): what the game asks for every key.
    pub fn top_questions<'a>(
        &self,
        open: &[&'a str],
        exclude: &dyn Fn(&str) -> bool,
        k: usize,
    ) -> Vec<&'a str> {
        self.questions_ranked_by(open, exclude, Ranking::Top(k))
    }

    /// [`Self::questions_by_value`] with the questions whitened one by one
    /// as before (the benchmarks' baseline; the same order).
    // Bench baseline only: the game asks `questions_by_value`/`top_questions`.
    #[doc(hidden)]
    pub fn questions_by_value_one_by_one<'a>(
        &self,
        open: &[&'a str],
        exclude: &dyn Fn(&str) -> bool,
    ) -> Vec<&'a str> {
        self.questions_ranked_by(open, exclude, Ranking::OneByOne)
    }

    fn questions_ranked_by<'a>(
        &self,
        open: &[&'a str],
        exclude: &dyn Fn(&str) -> bool,
        ranking: Ranking,
    ) -> Vec<&'a str> {
        let rated_crowd = self.rated_crowd();
        let reveal_crowd = self.reveal_crowd();
        let question = |id: &str| {
            Some(Face {
                code: self.rated_codes.get(id)?,
                crowd: rated_crowd.as_ref().and_then(|c| c.score(id)),
                appeal: self.appeal.0.get(id),
                descriptor: self.descriptors.0.get(id),
            })
        };
        let questions: Vec<(&'a str, Face)> = open
            .iter()
            .filter_map(|&id| Some((id, question(id)?)))
            .collect();
        let rated: Vec<Face> = self
            .learnt
            .iter()
            .filter_map(|(face, _)| question(face))
            .collect();
        let pack = self.reveal_pack();
        let same_pack = self.reveal.is_none();
        let candidates: Vec<(&str, Face)> = self
            .candidates
            .iter()
            .map(|(i, x)| {
                let id = pack.faces()[*i].id.as_str();
                let choice = Face {
                    code: x,
                    crowd: reveal_crowd.as_ref().and_then(|c| c.score(id)),
                    appeal: self.appeal.1.get(id),
                    descriptor: self.descriptors.1.get(id),
                };
                (id, choice)
            })
            .filter(|(id, _)| !exclude(id))
            .collect();
        let q: Vec<Face> = questions.iter().map(|t| t.1).collect();
        let c: Vec<Face> = candidates.iter().map(|t| t.1).collect();
        let same = |qi: usize, ci: usize| same_pack && questions[qi].0 == candidates[ci].0;
        let (model, blend) = (&self.model, &self.blend);
        match ranking {
            Ranking::All => rank_questions(model, blend, &q, &c, &same, &rated),
            // Bench baseline only: see `Ranking::OneByOne`.
            Ranking::OneByOne => rank_questions_one_by_one(model, blend, &q, &c, &same, &rated),
            Ranking::Top(k) => top_questions(model, blend, &q, &c, &same, &rated, k),
        }
        .into_iter()
        .map(|(i, _)| questions[i].0)
        .collect()
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
        let crowd = self.reveal_crowd();
        let mut ranked: Vec<(usize, f64)> = pool
            .iter()
            .enumerate()
            .map(|(j, (i, x))| {
                let id = &pack.faces()[*i].id;
                let c = crowd.as_ref().and_then(|c| c.score(id));
                let a = self.appeal.1.get(id);
                let d = self.descriptors.1.get(id);
                (j, self.blend.score_with(self.model.score(x), c, a, d))
            })
            .collect();
        // Stable: ties keep the pack's order.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top: Vec<Scored> = ranked
            .iter()
            .take(k.max(1))
            .map(|&(j, score)| {
                let (i, _) = pool[j];
                let face = &pack.faces()[*i];
                Scored {
                    id: face.id.clone(),
                    name: face.name.clone(),
                    score: score.clamp(1.0, 5.0),
                    confidence: self.blend.confidence(score),
                }
            })
            .collect();
        let (pick_index, pick_code) = pool[ranked[0].0];
        let because = self.reasons(&pack.faces()[*pick_index].id, pick_code, crowd.as_ref());
        Recommendation {
            pick: top[0].clone(),
            top,
            because,
            used_attributes: self.used_attributes.clone(),
            ratings: self.model.ratings(),
            blend: self.blend.clone(),
            uses_crowd: self.crowd.is_some(),
            learnt_looks: !self.blend.looks.is_empty(),
            neighbours: self.neighbours.len(),
        }
    }

    /// Why the pick (`pick_id`, encoded `pick_code`) ranks high: its
    /// attribute levels weighted by the player's own model, the crowd and
    /// looks, each only where it pushed the pick up, strongest first.
    fn reasons(
        &self,
        pick_id: &str,
        pick_code: &Encoded,
        crowd: Option<&PersonalCrowd>,
    ) -> Vec<Reason> {
        let mut because: Vec<Reason> = self
            .model
            .explain(pick_code)
            .into_iter()
            .map(|r| Reason {
                weight: r.weight * self.blend.personal,
                ..r
            })
            .collect();
        // The crowd is a reason too when it pushed the pick up.
        if let (Some((_, all)), Some(crowd)) = (&self.crowd, crowd) {
            if let Some(c) = crowd.score(pick_id) {
                let level = if crowd.rated_by_neighbours(pick_id) {
                    CROWD_REASON_LEVEL_NEIGHBOURS
                } else {
                    CROWD_REASON_LEVEL
                };
                because.push(Reason {
                    attribute: CROWD_REASON.to_string(),
                    level: level.to_string(),
                    weight: self.blend.crowd * (c - all.global_mean()),
                });
                because.sort_by(|a, b| b.weight.total_cmp(&a.weight));
            }
        }
        // So are looks: appeal, when the player's ratings follow it, and
        // their own taste in looks, where the pick has them.
        let appeal = self
            .appeal
            .1
            .get(pick_id)
            .map_or(0.0, |a| self.blend.appeal * a);
        let looks = self.blend.looks_score(self.descriptors.1.get(pick_id));
        if appeal + looks > 0.0 {
            because.push(Reason {
                attribute: APPEAL_REASON.to_string(),
                level: if looks > appeal {
                    LOOKS_REASON_LEVEL
                } else {
                    APPEAL_REASON_LEVEL
                }
                .to_string(),
                weight: appeal + looks,
            });
            because.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        }
        because.retain(|r| r.weight >= MIN_REASON_EFFECT);
        because
    }
}
