//! The player's taste: a naive-Bayes preference model over attribute
//! levels ([`naive_bayes`]), and the crowd, appeal and looks it is blended
//! with ([`crowd`]).

pub mod crowd;
pub mod naive_bayes;

pub use naive_bayes::*;
