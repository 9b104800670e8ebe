//! Decode-ahead scheduling: which faces of the pack the runtime decodes
//! while the player looks at the current one ([`App::next_images`]). The
//! face after each possible rating is worked out once the frame is drawn,
//! one rating per [`App::after_frame_step`] so a key typed meanwhile wins;
//! the ranking itself is `ui/images/ahead.rs`.

use super::{App, Screen};
use std::path::PathBuf;

impl App {
    /// Decodes `faces` of the ranking ahead instead of
    /// [`DECODE_AHEAD`](crate::ui::images::ahead::DECODE_AHEAD), and the face after each rating
    /// only if `exact` (benchmarks compare against the single face decoded
    /// ahead before).
    pub fn with_decode_ahead(mut self, faces: usize, exact: bool) -> App {
        self.ahead = faces;
        self.exact_ahead = exact;
        if self.screen == Screen::Rating && self.current.is_some() {
            self.advance();
        }
        self
    }

    /// The faces that may come after the current one, likeliest first (to
    /// decode ahead).
    pub fn next_images(&self) -> Vec<PathBuf> {
        self.upcoming
            .iter()
            .filter_map(|&i| self.pack.faces().get(i))
            .map(|face| self.pack.image_path(face))
            .collect()
    }

    /// Once the frame is out (off the key path): all of
    /// [`App::after_frame_step`] at once. Whether the images wanted changed.
    pub fn after_frame(&mut self) -> bool {
        let mut changed = false;
        while self.after_frame_pending() {
            changed |= self.after_frame_step();
        }
        changed
    }

    /// Whether [`App::after_frame_step`] has work left for this face.
    pub fn after_frame_pending(&self) -> bool {
        !self.ahead_todo.is_empty()
    }

    /// One step of the work after the frame: the face asked after the
    /// current one for one rating it may get, put first among those to
    /// decode ahead (after those of the ratings before). The runtime checks
    /// for a key between two steps. Whether the images wanted changed.
    pub fn after_frame_step(&mut self) -> bool {
        if self.ahead_todo.is_empty() {
            return false;
        }
        let rating = self.ahead_todo.remove(0);
        let Some(current) = self.current.and_then(|i| self.pack.faces().get(i)) else {
            self.ahead_todo.clear();
            return false;
        };
        let Some(next) = crate::ui::images::ahead::after_rating(
            &mut self.recommender,
            &self.pack,
            &self.profile,
            &self.skipped,
            current,
            self.reveal_pack.is_none(),
            rating,
        ) else {
            return false;
        };
        let at = self.ahead_found;
        match self.upcoming.iter().position(|&i| i == next) {
            Some(i) if i < at => return false,
            Some(i) => {
                self.upcoming.remove(i);
            }
            None => {}
        }
        self.upcoming.insert(at, next);
        self.ahead_found += 1;
        true
    }
}
