//! Photo packs: how much a question's rating is expected to narrow the
//! doubt about the leading candidates, weighed against the [`Contest`].

use super::{Design, Face, Whitening, BLOCK};
use crate::core::tuning::DESIGN_LEADERS;
use crate::model::blend::Blend;
use crate::model::PreferenceModel;

/// Each question's expected drop in the variance of the leading
/// candidates' scores once its rating is learnt, read on [`Design`]: for a
/// question `x` (centred on the faces rated) and a leader's distance `t`
/// from the candidates' mean, `(tᵀA⁻¹x)² / (1 + xᵀA⁻¹x)`, summed over the
/// [`DESIGN_LEADERS`] best candidates the question is not. A face like
/// the leaders in what the player has not yet shown a taste for scores
/// high; one like every face rated, or unlike all leaders, does not.
/// The naive Bayes' own score is left out: it changes with every rating.
pub(super) fn leaders_variance_drop(
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

pub(super) fn minus(u: &[f64], v: &[f64]) -> Vec<f64> {
    u.iter().zip(v).map(|(a, b)| a - b).collect()
}

pub(super) fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum::<f64>()
}

/// What every question of a photo pack is weighed against: the design
/// after the faces rated, and the leading candidates' whitened distances
/// from the candidates' mean (one spare: a question that is a leader is
/// weighed against the next).
pub(super) struct Contest {
    pub(super) design: Design,
    pub(super) leaders: Vec<(usize, Vec<f64>)>,
}

impl Contest {
    pub(super) fn new(
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
    pub(super) fn value(
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
    pub(super) fn values_of(
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
