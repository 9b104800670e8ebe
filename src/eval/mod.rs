//! Measuring the models: `mytype bench` on real per-person ratings and
//! `mytype simulate` on simulated players.

pub mod bench;
pub mod simulate;
