//! The adaptive choice of the next face to rate.
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
//! appeal (the game's order before): docs/measurements.md, *Question order*.
//!
//! Here: the order's entry points and drawn packs' gap. Beside it: photo
//! packs' value of a question (`contest.rs`), the regression and its
//! whitening, with the baseline's reference factor (`design.rs`), and the
//! cheap bound that shortlists the best few (`shortlist.rs`).

use super::blend::{Blend, Face};
use super::PreferenceModel;
use crate::core::rating::Rating;
use crate::core::tuning::DESIGN_LEADERS;

mod contest;
mod design;
mod shortlist;
#[cfg(test)]
mod test_faces;

use contest::{leaders_variance_drop, Contest};
use design::{Design, Factor, Whitening, BLOCK};

/// The index into `questions` of the face worth rating next (see the
/// module docs). `same` tells whether question `q` is candidate `c` (a rated
/// face is no longer revealed); `rated` are the faces rated so far, in any
/// order. Ties go to the earlier question; `None` when there are no
/// questions.
pub fn next_question(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Face],
    candidates: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Face],
) -> Option<usize> {
    rank_questions(model, blend, questions, candidates, same, rated)
        .first()
        .map(|&(q, _)| q)
}

/// Every question with its value, most valuable first (ties in `questions`
/// order): in a photo pack (questions with an appeal or a descriptor), how
/// much its rating is expected to narrow the blend's doubt about the
/// leading candidates (`leaders_variance_drop`); else the expected
/// squared change of the leaders' gap on the player's own model.
pub fn rank_questions(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Face],
    candidates: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Face],
) -> Vec<(usize, f64)> {
    let whiten = Whitening::InBlocks;
    rank_with(model, blend, questions, candidates, same, rated, whiten)
}

/// The first `k` of [`rank_questions`] (the same questions, order and
/// values), without weighing every question exactly: in a photo pack a
/// cheap upper bound of each question's value (`shortlist`) rules most
/// out, and only the rest are whitened. What the game asks: the next face
/// and those it decodes ahead.
pub fn top_questions(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Face],
    candidates: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Face],
    k: usize,
) -> Vec<(usize, f64)> {
    if !is_photo(questions) || k >= questions.len() {
        let mut all = rank_questions(model, blend, questions, candidates, same, rated);
        all.truncate(k);
        return all;
    }
    match Contest::new(model, blend, candidates, rated, Whitening::InBlocks) {
        Some(contest) => shortlist::top(&contest, questions, same, k),
        None => (0..k).map(|q| (q, 0.0)).collect(),
    }
}

/// [`rank_questions`] as it was before faer: every question whitened on its
/// own by the hand-written factor ([`crate::math::reference`]): the
/// benchmarks' baseline, and the reference the tests hold the blocks to
/// (the same order; values within rounding).
// Bench baseline only: the game ranks with `rank_questions`/`top_questions`.
#[doc(hidden)]
pub fn rank_questions_one_by_one(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Face],
    candidates: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Face],
) -> Vec<(usize, f64)> {
    let whiten = Whitening::OneByOne;
    rank_with(model, blend, questions, candidates, same, rated, whiten)
}

/// Photo packs (appeal or a descriptor) are weighed by the blend's
/// variance; drawn packs by the naive-Bayes leaders' gap.
fn is_photo(questions: &[Face]) -> bool {
    questions
        .iter()
        .any(|q| q.appeal.is_some() || q.descriptor.is_some())
}

fn rank_with(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Face],
    candidates: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Face],
    whiten: Whitening,
) -> Vec<(usize, f64)> {
    let mut values = if is_photo(questions) {
        leaders_variance_drop(model, blend, questions, candidates, same, rated, whiten)
    } else {
        leaders_gap_change(model, blend, questions, candidates, same)
    };
    // Stable sort: equal values keep the questions' order.
    values.sort_by(|a, b| b.1.total_cmp(&a.1));
    values
}

/// Each question's expected squared change of the gap between the two
/// leading candidates it is not.
fn leaders_gap_change(
    model: &PreferenceModel,
    blend: &Blend,
    questions: &[Face],
    candidates: &[Face],
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
mod tests;
