//! mytype's research programs, kept apart from the game (the `mytype` crate at the top): they fit
//! the bundled models and write `assets/*.weights` and `assets/face_net.f16`,
//! and measure attributes, question orders and tastes on the real photos
//! and ratings of `../shared/data` (which is never part of the repository).
//!
//! Run one with `cargo run --release -p mytype-lab --bin NAME -- ARGS`; each
//! program's own docs give its arguments. The library part holds what only
//! these programs need: reading dlib's original face network file.

pub mod dlib_net;
