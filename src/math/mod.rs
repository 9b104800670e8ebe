//! Numerics with no knowledge of faces or players: ranks and correlations,
//! ridge regression and the linear algebra under it.

pub mod colour;
pub mod points;
pub mod stats;
