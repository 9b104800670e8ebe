//! mytype: rate faces, and a naive-Bayes preference model tells you who your type is.
//!
//! Data flows one way: pack → attributes → model → profile → ui.

pub mod attributes;
pub mod imaging;
pub mod pack;
