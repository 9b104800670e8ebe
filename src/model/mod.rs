//! The player's taste: a naive-Bayes preference model over attribute
//! levels ([`naive_bayes`]), the crowd's ratings ([`crowd`]) and what faces
//! look like ([`looks`]), blended per player ([`blend`]), and the choice of
//! the next face to rate ([`questions`]).

pub mod blend;
pub mod crowd;
pub mod looks;
pub mod naive_bayes;
pub mod questions;

pub use naive_bayes::*;
