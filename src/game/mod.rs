//! The game on top of packs, profiles and the model: the recommender that
//! picks the reveal and orders the questions, the crowd loaded from saved
//! profiles, and the party features (compare, the card PNG, the "why" words).

pub mod card;
pub mod compare;
pub mod crowd_sources;
pub mod reasons;
pub mod recommend;
