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

use super::blend::{Blend, Face};
use super::PreferenceModel;
use crate::core::rating::Rating;
use crate::core::tuning::{DESIGN_LEADERS, RIDGE_APPEAL, RIDGE_CROWD, RIDGE_LOOKS};
use crate::math::linalg::Cholesky;
use crate::math::reference;
use crate::math::stats::mean;
use crate::vision::face_net::DESCRIPTOR;
use faer::Mat;

mod shortlist;
#[cfg(test)]
mod test_faces;

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

/// How [`leaders_variance_drop`] whitens the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whitening {
    // Bench baseline only: `rank_questions_one_by_one`; the game whitens in blocks.
    OneByOne,
    InBlocks,
}

/// Questions whitened together: enough for faer's blocked solve to pay,
/// few enough that the block (× the design's width) stays in cache.
const BLOCK: usize = 256;

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
    factor: Factor,
    /// The smallest penalty: `A`'s eigenvalues are at least this.
    least_penalty: f64,
}

/// The design's factor: faer's, or (for the one-by-one baseline) the
/// hand-written one it replaced.
enum Factor {
    Faer(Cholesky),
    // Bench baseline only: `Whitening::OneByOne`; the game uses faer's.
    Reference(Vec<Vec<f64>>),
}

impl Design {
    fn new(rated: &[Face], with_crowd: bool, whiten: Whitening) -> Option<Design> {
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
        let factor = match whiten {
            Whitening::InBlocks => Factor::Faer(Cholesky::of_penalised_gram(&centred, &penalties)?),
            // Bench baseline only: the hand-written factor faer replaced.
            Whitening::OneByOne => Factor::Reference(reference::cholesky(
                &reference::penalised_gram(&centred, &penalties),
            )?),
        };
        let least_penalty = penalties.iter().copied().fold(f64::INFINITY, f64::min);
        Some(Design {
            with_crowd,
            least_penalty,
            factor,
            fill,
            centre,
        })
    }

    /// The face's predictors: crowd score (when `with_crowd`), appeal and
    /// descriptor, each missing one as `fill`'s.
    fn raw_row(choice: &Face, with_crowd: bool, fill: &[f64]) -> Vec<f64> {
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

    /// The face's predictors less the centre, into `out` (no allocation:
    /// the shortlist reads every open face this way, every key).
    fn centred_into(&self, choice: &Face, out: &mut [f64]) {
        self.row_into(choice, out);
        for (x, c) in out.iter_mut().zip(&self.centre) {
            *x -= c;
        }
    }

    /// [`Self::row`] into `out`.
    fn row_into(&self, choice: &Face, out: &mut [f64]) {
        let a = usize::from(self.with_crowd);
        if self.with_crowd {
            out[0] = choice.crowd.unwrap_or(self.fill[0]);
        }
        out[a] = choice.appeal.unwrap_or(self.fill[a]);
        match choice.descriptor {
            Some(d) if d.len() == DESCRIPTOR => out[a + 1..].copy_from_slice(d),
            _ => out[a + 1..].copy_from_slice(&self.fill[a + 1..]),
        }
    }

    /// The face's predictors.
    fn row(&self, choice: &Face) -> Vec<f64> {
        Design::raw_row(choice, self.with_crowd, &self.fill)
    }

    /// `L⁻¹ v`, so that `(L⁻¹u)·(L⁻¹v) = uᵀA⁻¹v`.
    fn whiten(&self, v: &[f64]) -> Vec<f64> {
        match &self.factor {
            Factor::Faer(factor) => factor.whiten(v),
            // Bench baseline only: see `Factor::Reference`.
            Factor::Reference(l) => reference::forward_substitute(l, v),
        }
    }

    /// For each of `questions`, `u` its [`Self::whiten`]ed distance from
    /// the centre: `t·u` for each leader's whitened `t`, then `u·u`, as
    /// `(leaders + 1) × questions` values (leader by leader), the block
    /// whitened in one triangular solve.
    fn whitened_products(&self, questions: &[Face], leaders: &[(usize, Vec<f64>)]) -> Vec<f64> {
        let (rows, width) = (self.centre.len(), questions.len());
        let mut block = Mat::zeros(rows, width);
        for (i, question) in questions.iter().enumerate() {
            for (j, (x, c)) in self.row(question).iter().zip(&self.centre).enumerate() {
                block[(j, i)] = x - c;
            }
        }
        match &self.factor {
            Factor::Faer(factor) => factor.whiten_columns(block.as_mut()),
            // Bench baseline only: see `Factor::Reference`.
            Factor::Reference(l) => {
                for i in 0..width {
                    let column: Vec<f64> = (0..rows).map(|j| block[(j, i)]).collect();
                    for (j, v) in reference::forward_substitute(l, &column)
                        .into_iter()
                        .enumerate()
                    {
                        block[(j, i)] = v;
                    }
                }
            }
        }
        let mut products = vec![0.0; (leaders.len() + 1) * width];
        for i in 0..width {
            let u = block.col(i);
            for (l, (_, t)) in leaders.iter().enumerate() {
                products[l * width + i] = t.iter().zip(u.iter()).map(|(a, b)| a * b).sum();
            }
            products[leaders.len() * width + i] = u.iter().map(|v| v * v).sum();
        }
        products
    }
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
    questions: &[Face],
    candidates: &[Face],
    same: &dyn Fn(usize, usize) -> bool,
    rated: &[Face],
    whiten: Whitening,
) -> Vec<(usize, f64)> {
    let Some(contest) = Contest::new(model, blend, candidates, rated, whiten) else {
        return (0..questions.len()).map(|q| (q, 0.0)).collect();
    };
    // Bench baseline only: the live path is the blocked one below.
    if whiten == Whitening::OneByOne {
        return questions
            .iter()
            .enumerate()
            .map(|(q, question)| {
                let design = &contest.design;
                let u = design.whiten(&minus(&design.row(question), &design.centre));
                let leaders = &contest.leaders;
                let value = contest.value(q, same, &|l| dot(&leaders[l].1, &u), dot(&u, &u));
                (q, value)
            })
            .collect();
    }
    let all: Vec<usize> = (0..questions.len()).collect();
    contest.values_of(questions, &all, same)
}

fn minus(u: &[f64], v: &[f64]) -> Vec<f64> {
    u.iter().zip(v).map(|(a, b)| a - b).collect()
}

fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum::<f64>()
}

/// What every question of a photo pack is weighed against: the design
/// after the faces rated, and the leading candidates' whitened distances
/// from the candidates' mean (one spare: a question that is a leader is
/// weighed against the next).
struct Contest {
    design: Design,
    leaders: Vec<(usize, Vec<f64>)>,
}

impl Contest {
    fn new(
        model: &PreferenceModel,
        blend: &Blend,
        candidates: &[Face],
        rated: &[Face],
        whiten: Whitening,
    ) -> Option<Contest> {
        let with_crowd = rated.iter().chain(candidates).any(|c| c.crowd.is_some());
        let design = Design::new(rated, with_crowd, whiten)?;
        // The candidates' mean, summed row by row into one buffer: the same
        // sums, in the same order, as column by column over their rows.
        let width = design.centre.len();
        let (mut sums, mut row) = (vec![0.0; width], vec![0.0; width]);
        for candidate in candidates {
            design.row_into(candidate, &mut row);
            for (s, x) in sums.iter_mut().zip(&row) {
                *s += x;
            }
        }
        let n = candidates.len() as f64;
        let candidate_mean: Vec<f64> = sums
            .iter()
            .map(|s| if candidates.is_empty() { 0.0 } else { s / n })
            .collect();
        let mut ranked: Vec<(usize, f64)> = candidates
            .iter()
            .enumerate()
            .map(|(i, choice)| (i, blend.score_of(model, choice)))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let leaders = ranked
            .iter()
            .take(DESIGN_LEADERS + 1)
            .map(|&(c, _)| {
                let t = design.whiten(&minus(&design.row(&candidates[c]), &candidate_mean));
                (c, t)
            })
            .collect();
        Some(Contest { design, leaders })
    }

    /// The drop for question `q` from its whitened vector's products with
    /// the leaders' (`by_leader`) and with itself (`own`).
    fn value(
        &self,
        q: usize,
        same: &dyn Fn(usize, usize) -> bool,
        by_leader: &dyn Fn(usize) -> f64,
        own: f64,
    ) -> f64 {
        let drop: f64 = (0..self.leaders.len())
            .filter(|&l| !same(q, self.leaders[l].0))
            .take(DESIGN_LEADERS)
            .map(|l| by_leader(l).powi(2))
            .sum();
        drop / (1.0 + own)
    }

    /// The values of `questions[q]` for each `q` of `which`, whitened in
    /// blocks of [`BLOCK`].
    fn values_of(
        &self,
        questions: &[Face],
        which: &[usize],
        same: &dyn Fn(usize, usize) -> bool,
    ) -> Vec<(usize, f64)> {
        let mut values = Vec::with_capacity(which.len());
        let leaders = self.leaders.len();
        for chunk in which.chunks(BLOCK) {
            let block: Vec<Face> = chunk.iter().map(|&q| questions[q]).collect();
            let products = self.design.whitened_products(&block, &self.leaders);
            let width = block.len();
            for (i, &q) in chunk.iter().enumerate() {
                let by_leader = |l: usize| products[l * width + i];
                let own = products[leaders * width + i];
                values.push((q, self.value(q, same, &by_leader, own)));
            }
        }
        values
    }
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
mod tests {
    use super::*;
    use crate::core::attributes::AttributeDef;
    use crate::model::{Encoded, FeatureSpace, NaiveBayesParams};

    fn choice(code: &Encoded, crowd: Option<f64>) -> Face<'_> {
        Face {
            code,
            crowd,
            appeal: None,
            descriptor: None,
        }
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

    fn with_looks<'a>(code: &'a Encoded, descriptor: &'a [f64]) -> Face<'a> {
        Face {
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
        let rated: Vec<Face> = (0..40)
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
    fn questions_whitened_in_blocks_rank_as_they_did_one_by_one() {
        let mut m = test_faces::eyes_model();
        let pack = test_faces::TestFaces::new(4, 700, 17);
        let all = pack.faces();
        let (rated, rest) = all.split_at(40);
        let (candidates, questions) = rest.split_at(60);
        for (i, r) in rated.iter().enumerate() {
            m.update(r.code, Rating::ALL[(i * 3) % 5]);
        }
        // More questions than one block, and a last block part full.
        assert!(questions.len() > 2 * BLOCK && questions.len() % BLOCK != 0);
        let same = |q: usize, c: usize| q % 40 == c;
        for (blend, rated) in [(Blend::PERSONAL, rated), (Blend::CROWD, &rated[..3])] {
            let blocks = rank_questions(&m, &blend, questions, candidates, &same, rated);
            let one = rank_questions_one_by_one(&m, &blend, questions, candidates, &same, rated);
            let order = |v: &[(usize, f64)]| v.iter().map(|r| r.0).collect::<Vec<_>>();
            assert_eq!(order(&blocks), order(&one));
            for (b, o) in blocks.iter().zip(&one) {
                assert!(
                    (b.1 - o.1).abs() <= 1e-9 * o.1.abs().max(1e-12),
                    "{b:?} {o:?}"
                );
            }
            assert!(blocks[0].1 > 0.0, "{blocks:?}");
            // Copies of one face (question q is face q + 100) tie exactly.
            let none = |_, _| false;
            let blocks = rank_questions(&m, &blend, questions, candidates, &none, rated);
            let value = |q: usize| blocks.iter().find(|r| r.0 == q).unwrap().1;
            let copies: Vec<usize> = (0..questions.len())
                .filter(|q| (q + 100) % 17 == 0)
                .collect();
            assert!(copies.len() > 5);
            assert!(
                copies.iter().all(|&q| value(q) == value(copies[0])),
                "{copies:?}"
            );
        }
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
