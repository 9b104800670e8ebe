//! How long the live guess's pick has held, and what that makes it.

use super::SETTLED_AFTER;
use crate::core::tuning::{MIN_RATINGS_TO_REVEAL, SETTLING_FROM};

/// How settled the live guess is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A new pick, or one held for fewer than [`SETTLING_FROM`] ratings.
    Changing,
    Settling,
    /// Held for [`SETTLED_AFTER`] ratings with enough in to reveal: the game
    /// offers the reveal.
    Settled,
}

/// The live guess's pick: how many ratings in a row it has been the pick
/// (this one included) and what that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickHeld {
    pub streak: usize,
    pub stage: Stage,
}

impl PickHeld {
    /// The pick after each rating, latest last, and the ratings in.
    pub fn of(picks: &[String], rated: usize) -> PickHeld {
        let streak = match picks.last() {
            Some(last) => picks.iter().rev().take_while(|p| *p == last).count(),
            None => 0,
        };
        let stage = if streak >= SETTLED_AFTER && rated >= MIN_RATINGS_TO_REVEAL {
            Stage::Settled
        } else if streak >= SETTLING_FROM {
            Stage::Settling
        } else {
            Stage::Changing
        };
        PickHeld { streak, stage }
    }
}
