//! What the runtime's saves and backups mean for the game: what to write
//! ([`App::to_save`]) and how each result shows on screen (a failed save is
//! retried, a failed quit-save arms a second quit, a new round starts only
//! once the old ratings are backed up).

use super::{App, StatusKind};
use crate::profile::{Profile, ProfileStore};
use crate::ui::action::Effect;
use crate::ui::strings;

impl App {
    /// Performs an effect against the store: the runtime's
    /// [`crate::ui::runtime::perform`], for tests and benchmarks that drive
    /// `apply` by hand. Never fails: errors go to the status line.
    pub fn perform(&mut self, effect: Effect, store: &ProfileStore) {
        crate::ui::runtime::perform(self, effect, store);
    }

    /// What [`Effect::Save`] writes: the profile's name and ratings, when
    /// they changed since the last save (`None`: nothing to write, and no
    /// file to create), never in `--read-only`.
    pub fn to_save(&self) -> Option<(&str, &Profile)> {
        (!self.read_only && self.unsaved).then_some((&self.profile_name, &self.profile))
    }

    /// The runtime saved (or failed to save) what [`App::to_save`] gave it.
    /// A failure is shown and the save retried next time (the whole
    /// profile is written each time).
    pub fn saved(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.unsaved = false;
                if self.save_pending {
                    self.save_pending = false;
                    self.info(strings::SAVED_AGAIN);
                }
            }
            Err(e) => {
                self.save_pending = true;
                self.set_status(strings::save_failed(&e), StatusKind::Error);
            }
        }
    }

    /// [`Effect::SaveAndQuit`]: the save's result (`None`: nothing needed
    /// saving). Quits unless the save failed; then a second quit leaves anyway.
    pub fn saved_to_quit(&mut self, result: Option<Result<(), String>>) {
        match result {
            None => self.quit = true,
            Some(Ok(())) => {
                self.unsaved = false;
                self.save_pending = false;
                self.quit = true;
            }
            Some(Err(e)) => {
                self.save_pending = true;
                self.quit_armed = true;
                self.set_status(strings::quit_save_failed(&e), StatusKind::Error);
            }
        }
    }

    /// [`Effect::NewRound`] after the runtime kept the ratings as a backup
    /// profile (its name) or failed to. On success the ratings start over,
    /// and the runtime saves next, then calls [`App::new_round_saved`].
    /// `false`: no new round (read-only, or no backup).
    pub fn new_round_backed_up(&mut self, backup: Result<String, String>) -> bool {
        if self.read_only {
            self.set_status(strings::READ_ONLY_NO_NEW_ROUND.into(), StatusKind::Error);
            return false;
        }
        if let Err(e) = backup {
            self.set_status(strings::backup_failed(&e), StatusKind::Error);
            return false;
        }
        self.profile.ratings.clear();
        self.unsaved = true;
        self.skipped.clear();
        self.skips.clear();
        self.picks.clear();
        self.revealed = false;
        self.seen_pick = None;
        self.rebuild_model();
        self.advance();
        true
    }

    /// The new round's first save is done: say where the old ratings went.
    pub fn new_round_saved(&mut self, backup: &str) {
        if !self.save_pending {
            self.info(strings::new_round_started(backup));
        }
    }
}
