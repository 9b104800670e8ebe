//! The blend's regression as a Bayesian one, and the whitening of the
//! questions by its Cholesky factor: faer's, in blocks (the game), or the
//! hand-written reference, one question at a time (the benchmarks'
//! baseline, [`super::rank_questions_one_by_one`]).

use super::Face;
use crate::core::tuning::{RIDGE_APPEAL, RIDGE_CROWD, RIDGE_LOOKS};
use crate::math::linalg::Cholesky;
use crate::math::reference;
use crate::math::stats::mean;
use crate::vision::face_net::DESCRIPTOR;
use faer::Mat;

/// How [`super::leaders_variance_drop`] whitens the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Whitening {
    // Bench baseline only: `rank_questions_one_by_one`; the game whitens in blocks.
    OneByOne,
    InBlocks,
}

/// Questions whitened together: enough for faer's blocked solve to pay,
/// few enough that the block (× the design's width) stays in cache.
pub(super) const BLOCK: usize = 256;

/// The blend's regression on appeal, the descriptor and (with a crowd) the
/// crowd score, as a Bayesian one after the faces rated: prior precision
/// the ridge penalties, noise 1 in the penalties' units.
pub(super) struct Design {
    pub(super) with_crowd: bool,
    /// What a missing value counts as: the rated faces' mean of those known
    /// (0, the model's mean face, before any), so it teaches nothing.
    pub(super) fill: Vec<f64>,
    /// The rated rows' mean: the regression is centred.
    pub(super) centre: Vec<f64>,
    /// Cholesky factor L of `A = XᵀX + Λ` over the centred rated rows.
    pub(super) factor: Factor,
    /// The smallest penalty: `A`'s eigenvalues are at least this.
    pub(super) least_penalty: f64,
}

/// The design's factor: faer's, or (for the one-by-one baseline) the
/// hand-written one it replaced.
pub(super) enum Factor {
    Faer(Cholesky),
    // Bench baseline only: `Whitening::OneByOne`; the game uses faer's.
    Reference(Vec<Vec<f64>>),
}

impl Design {
    pub(super) fn new(rated: &[Face], with_crowd: bool, whiten: Whitening) -> Option<Design> {
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
    pub(super) fn raw_row(choice: &Face, with_crowd: bool, fill: &[f64]) -> Vec<f64> {
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
    pub(super) fn centred_into(&self, choice: &Face, out: &mut [f64]) {
        self.row_into(choice, out);
        for (x, c) in out.iter_mut().zip(&self.centre) {
            *x -= c;
        }
    }

    /// [`Self::row`] into `out`.
    pub(super) fn row_into(&self, choice: &Face, out: &mut [f64]) {
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
    pub(super) fn row(&self, choice: &Face) -> Vec<f64> {
        Design::raw_row(choice, self.with_crowd, &self.fill)
    }

    /// `L⁻¹ v`, so that `(L⁻¹u)·(L⁻¹v) = uᵀA⁻¹v`.
    pub(super) fn whiten(&self, v: &[f64]) -> Vec<f64> {
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
    pub(super) fn whitened_products(
        &self,
        questions: &[Face],
        leaders: &[(usize, Vec<f64>)],
    ) -> Vec<f64> {
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
