//! The face to rate next: the open faces in the question order (pack order
//! or adaptive), or the reveal once none is left.

use super::order::Order;
use super::{App, Screen};
use crate::core::rating::Rating;
use crate::ui::strings;

impl App {
    /// The faces still to rate, in the order to ask them (best first; at
    /// most the next and those to decode ahead).
    fn next_faces(&self, skipped: &[String]) -> Vec<usize> {
        let open: Vec<usize> = self
            .pack
            .faces()
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.role.is_rated() && !self.profile.has_rated(&f.id) && !skipped.contains(&f.id)
            })
            .map(|(i, _)| i)
            .collect();
        if self.order == Order::Pack || open.len() <= 1 {
            return open.into_iter().take(1 + self.ahead).collect();
        }
        let ids: Vec<&str> = open
            .iter()
            .map(|&i| self.pack.faces()[i].id.as_str())
            .collect();
        self.recommender
            .top_questions(&ids, &self.not_revealable(), 1 + self.ahead)
            .into_iter()
            .filter_map(|id| self.pack.faces().iter().position(|f| f.id == id))
            .collect()
    }

    /// Picks the next face to rate, or moves to the reveal when none is left.
    pub(super) fn advance(&mut self) {
        let mut next = self.next_faces(&self.skipped);
        if next.is_empty() && self.rated() == 0 && !self.skipped.is_empty() {
            // Everything was skipped and nothing rated: there is nothing to
            // reveal from, so the skipped faces come back.
            self.skipped.clear();
            self.skips.clear();
            next = self.next_faces(&self.skipped);
            self.info(strings::ALL_SKIPPED_AGAIN);
        }
        self.current = next.first().copied();
        self.upcoming = next.into_iter().skip(1).collect();
        self.ahead_found = 0;
        self.ahead_todo = if self.exact_ahead && self.order == Order::Adaptive {
            Rating::ALL.to_vec()
        } else {
            Vec::new()
        };
        if self.current.is_none() {
            self.show_reveal();
        } else {
            self.screen = Screen::Rating;
        }
    }
}
