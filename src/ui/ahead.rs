//! Which faces to decode before the player asks for them, so the frame
//! after a rating shows the next face at once instead of "loading…".

use crate::core::rating::Rating;
use crate::game::recommend::Recommender;
use crate::pack::{FaceEntry, Pack};
use crate::profile::Profile;

/// Faces of the question order decoded ahead of the one on screen. A
/// rating re-ranks the questions, so the face asked next is often not the
/// second of the ranking before it; on packs of up to [`EXACT_AHEAD_MAX`]
/// faces left, the face after each of the five ratings is decoded first
/// (`cargo bench --bench decode_ahead`, docs/benchmarks.md).
pub const DECODE_AHEAD: usize = 8;

/// Faces left up to which the face after each of the five ratings is
/// worked out exactly ([`after_each_rating`]). Ranking is now cheap
/// ([`Recommender::top_questions`]) and on bigger packs this would have the
/// next face ready on every key, but each rating is learnt on a clone of
/// the whole recommender (its packs and maps): at 1,200 and 3,000 faces the
/// work after the frame, which a key typed meanwhile waits for, reached a
/// p99 of 383 and 579 ms on a loaded machine (`cargo bench --bench
/// decode_ahead`). Past this, the ranking's first [`DECODE_AHEAD`] faces.
pub const EXACT_AHEAD_MAX: usize = 200;

/// The face asked after `current` for each of the five ratings it may get
/// (pack indices, without repeats), found by learning each rating on a copy
/// of the model and ranking the open faces as the game will. Empty when
/// more than [`EXACT_AHEAD_MAX`] faces are open. `same_pack`: the reveal
/// comes from the rated pack, so rated faces are no candidates.
pub fn after_each_rating(
    recommender: &Recommender,
    pack: &Pack,
    profile: &Profile,
    skipped: &[String],
    current: &FaceEntry,
    same_pack: bool,
) -> Vec<usize> {
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
    if open.is_empty() || open.len() > EXACT_AHEAD_MAX {
        return Vec::new();
    }
    let not_revealable = |id: &str| same_pack && (id == current.id || profile.has_rated(id));
    let mut after = Vec::new();
    for rating in Rating::ALL {
        let mut model = recommender.clone();
        if model.learn(&current.id, rating).is_err() {
            continue;
        }
        let next = model.top_questions(&open, &not_revealable, 1);
        let index = next
            .first()
            .and_then(|id| pack.faces().iter().position(|f| f.id == *id));
        if let Some(i) = index.filter(|i| !after.contains(i)) {
            after.push(i);
        }
    }
    after
}
