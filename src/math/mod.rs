//! Numerics with no knowledge of faces or players: ranks and correlations
//! ([`stats`]), ridge regression and the linear algebra under it
//! ([`linalg`], on faer), colour: CIELAB and ΔE ([`colour`]), points in the
//! plane ([`points`]), and the hand-written solvers faer replaced, kept as
//! bench baselines and test references ([`reference`](mod@reference)).

pub mod colour;
pub mod linalg;
pub mod points;
#[doc(hidden)]
pub mod reference;
pub mod stats;
