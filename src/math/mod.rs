//! Numerics with no knowledge of faces or players: ranks and correlations
//! ([`stats`]), ridge regression and the linear algebra under it
//! ([`linalg`], on faer), colour ([`colour`]).

pub mod colour;
pub mod linalg;
pub mod points;
#[doc(hidden)]
pub mod reference;
pub mod stats;
