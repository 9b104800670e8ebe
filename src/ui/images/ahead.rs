//! Which faces to decode before the player asks for them, so the frame
//! after a rating shows the next face at once instead of "loading…".

use crate::core::rating::Rating;
use crate::game::recommend::Recommender;
use crate::pack::{FaceEntry, Pack};
use crate::profile::Profile;

/// Faces of the question order decoded ahead of the one on screen. A
/// rating re-ranks the questions, so the face asked next is often not the
/// second of the ranking before it: the face after each of the five
/// ratings is decoded first ([`after_rating`]; `cargo bench --bench
/// decode_ahead`, docs/benchmarks.md).
pub const DECODE_AHEAD: usize = 8;

/// The face asked after `current` if it gets `rating` (a pack index),
/// found by learning the rating in place ([`Recommender::what_if`]: no
/// copy of the model) and ranking the open faces as the game will. One
/// rating per call, so the runtime can handle a key typed meanwhile before
/// the next (the work is one ranking of the open faces). `same_pack`: the
/// reveal comes from the rated pack, so rated faces are no candidates.
pub fn after_rating(
    recommender: &mut Recommender,
    pack: &Pack,
    profile: &Profile,
    skipped: &[String],
    current: &FaceEntry,
    same_pack: bool,
    rating: Rating,
) -> Option<usize> {
    let open: Vec<&str> = pack
        .faces()
        .iter()
        .filter(|f| {
            f.role.is_rated()
                && f.id != current.id
                && !profile.has_rated(&f.id)
                && !skipped.contains(&f.id)
        })
        .map(|f| f.id.as_str())
        .collect();
    if open.is_empty() {
        return None;
    }
    let not_revealable = |id: &str| same_pack && (id == current.id || profile.has_rated(id));
    let next = recommender
        .what_if(&current.id, rating, |model| {
            model
                .top_questions(&open, &not_revealable, 1)
                .first()
                .map(|id| id.to_string())
        })
        .ok()??;
    pack.faces().iter().position(|f| f.id == next)
}
