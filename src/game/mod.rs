//! The game on top of packs, profiles and the model: the recommender that
//! picks the reveal and orders the questions, and the party features.

pub mod crowd;
pub mod party;
pub mod recommend;
