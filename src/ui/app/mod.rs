//! The game state and its pure update function, `App::apply`.
//!
//! Events become [`Action`]s (see `keys.rs`); `apply` changes the state and
//! returns [`Effect`]s (saving) for the event loop to perform, so every rule of
//! the game is unit-testable without a terminal.
//!
//! Beside it: the face asked next (`next_face.rs`) in the chosen order
//! ([`order`]), the faces decoded ahead of it (`after_frame.rs`), how long
//! the live guess's pick has held ([`pick_held`]) and what saves and backups
//! mean for the game (`saving.rs`), and the reveal's build-up as it steps
//! ([`buildup`]; `screens::reveal` draws it). The game's rules of play live
//! here too ([`ROUND`], [`TOP_K`], [`SETTLED_AFTER`]); the tuning shared
//! with the CLI and the party board is in [`crate::core::tuning`].

mod after_frame;
pub mod buildup;
mod next_face;
pub mod order;
pub mod pick_held;
mod saving;

use super::action::{Action, Effect};
use super::images::Images;
use super::strings;
use super::theme::Theme;
use crate::core::rating::Rating;
use crate::core::tuning::MIN_RATINGS_TO_REVEAL;
use crate::game::recommend::{Recommendation, Recommender};
use crate::model::crowd::CrowdScores;
use crate::pack::{FaceEntry, Pack};
use crate::profile::Profile;
use buildup::Buildup;
use order::Order;
use pick_held::{PickHeld, Stage};
use std::path::PathBuf;
use std::time::Duration;

/// Runners-up listed on the reveal (the pick included).
pub const TOP_K: usize = 5;
/// The game offers the reveal early once the pick has stayed the same for
/// this many ratings in a row (and at least [`MIN_RATINGS_TO_REVEAL`] are in).
pub const SETTLED_AFTER: usize = 8;
/// Faces in a round: the game promises about fifty, so a big photo pack is
/// played fifty at a time, with the reveal after each fifty.
pub const ROUND: usize = 50;
use super::images::ahead::DECODE_AHEAD;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Rating,
    Reveal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    ConfirmNewRound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
}

/// Everything the screens show.
pub struct App {
    pub profile_name: String,
    pub profile: Profile,
    pack: Pack,
    reveal_pack: Option<Pack>,
    recommender: Recommender,
    pub screen: Screen,
    pub overlay: Overlay,
    /// Index (into the rated pack's faces) of the face being rated.
    pub current: Option<usize>,
    /// Faces skipped in this session (not saved: they come back next game).
    skipped: Vec<String>,
    /// Each skip of this session: the ratings in at the time, the face
    /// (`u` undoes a skip when no rating came after it).
    skips: Vec<(usize, String)>,
    /// The highlighted button.
    pub selected: Rating,
    /// The model's current pick, refreshed after every rating.
    pub guess: Option<Recommendation>,
    pub status: Option<Status>,
    pub images: Images,
    pub theme: Theme,
    /// A save failed: the next save retries (the whole profile is written each time).
    pub save_pending: bool,
    /// The ratings changed since they were loaded or last saved. Saving
    /// writes nothing until then, so opening the game and quitting before
    /// the first rating leaves no profile file behind.
    unsaved: bool,
    /// A quit was refused because saving failed; a second quit leaves anyway.
    quit_armed: bool,
    /// The reveal was shown in this session.
    pub revealed: bool,
    /// The reveal's build-up, while it runs (the pick is shown after it).
    pub buildup: Option<Buildup>,
    /// The pick the player last saw on the reveal (its build-up over).
    seen_pick: Option<String>,
    pub quit: bool,
    /// `play --read-only`: nothing is ever written to the store.
    pub read_only: bool,
    /// A `mytype serve` guest's game: there is a party board to open
    /// ([`Action::Party`], listed in the help). A local game has none.
    pub party: bool,
    order: Order,
    /// The faces expected after the current one, likeliest first (decoded
    /// ahead, see [`DECODE_AHEAD`]).
    upcoming: Vec<usize>,
    /// How many faces to decode ahead.
    ahead: usize,
    /// Whether the face after each of the five ratings is decoded ahead
    /// too (see [`App::after_frame_step`]).
    exact_ahead: bool,
    /// The ratings of the current face whose next face is still to work
    /// out once the frame is drawn, one per [`App::after_frame_step`].
    ahead_todo: Vec<Rating>,
    /// How many of the first `upcoming` are the faces after a rating.
    ahead_found: usize,
    /// The pick after each rating of this session, latest last.
    picks: Vec<String>,
}

impl App {
    pub fn new(
        profile_name: &str,
        profile: Profile,
        pack: Pack,
        reveal_pack: Option<Pack>,
        theme: Theme,
    ) -> Result<App, crate::game::recommend::RecommendError> {
        let recommender = Recommender::from_profile(&pack, reveal_pack.as_ref(), &profile)?;
        let mut app = App {
            profile_name: profile_name.to_string(),
            profile,
            pack,
            reveal_pack,
            recommender,
            screen: Screen::Rating,
            overlay: Overlay::None,
            current: None,
            skipped: Vec::new(),
            skips: Vec::new(),
            selected: Rating::Normal,
            guess: None,
            status: None,
            images: Images::default(),
            theme,
            save_pending: false,
            unsaved: false,
            quit_armed: false,
            revealed: false,
            buildup: None,
            seen_pick: None,
            quit: false,
            read_only: false,
            party: false,
            order: Order::Pack,
            upcoming: Vec::new(),
            ahead: DECODE_AHEAD,
            exact_ahead: true,
            ahead_todo: Vec::new(),
            ahead_found: 0,
            picks: Vec::new(),
        };
        app.refresh_guess();
        app.advance();
        app.seed_picks();
        Ok(app)
    }

    /// Starts the pick history at the pick the saved ratings give, so a
    /// resumed game counts how long it has held from there.
    fn seed_picks(&mut self) {
        self.picks = self.guess.iter().map(|g| g.pick.id.clone()).collect();
    }

    /// Sets the question order and the crowd prior (`None`: none), before
    /// the game starts.
    pub fn with_options(mut self, order: Order, crowd: Option<(CrowdScores, CrowdScores)>) -> App {
        self.order = order;
        if let Some((rated, reveal)) = crowd {
            self.recommender = self.recommender.clone().with_crowd(rated, reveal);
        }
        self.refresh_guess();
        if self.screen == Screen::Rating {
            self.advance();
        }
        self.seed_picks();
        self
    }

    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The pack reveals come from.
    pub fn reveal_pack(&self) -> &Pack {
        self.reveal_pack.as_ref().unwrap_or(&self.pack)
    }

    /// The "Judged on: …" line of the reveal, when it comes from another pack.
    pub fn judged_on(&self, rec: &Recommendation) -> Option<String> {
        self.reveal_pack.as_ref().map(|_| {
            strings::judged_on(&rec.used_attributes, self.pack.manifest().attributes.len())
        })
    }

    /// Faces to rate in this round: the pack's, up to the end of the
    /// current round of [`ROUND`] (the face on screen counts as begun).
    pub fn total(&self) -> usize {
        let in_pack = self.pack.model_faces().count();
        let begun = self.rated() + usize::from(self.screen == Screen::Rating);
        in_pack.min(ROUND * begun.div_ceil(ROUND).max(1))
    }

    /// Distinct faces rated.
    pub fn rated(&self) -> usize {
        self.profile
            .latest_ratings()
            .iter()
            .filter(|(f, _)| self.pack.face(f).is_some_and(|e| e.role.is_rated()))
            .count()
    }

    pub fn current_face(&self) -> Option<&FaceEntry> {
        self.current.and_then(|i| self.pack.faces().get(i))
    }

    pub fn current_image(&self) -> Option<PathBuf> {
        self.current_face().map(|f| self.pack.image_path(f))
    }

    /// Image of a face of the reveal pack by id.
    pub fn reveal_image(&self, id: &str) -> Option<PathBuf> {
        let pack = self.reveal_pack();
        pack.face(id).map(|f| pack.image_path(f))
    }

    /// 1-based position of the current face in the rating order.
    pub fn position(&self) -> usize {
        (self.rated() + 1).min(self.total())
    }

    fn set_status(&mut self, text: String, kind: StatusKind) {
        self.status = Some(Status { text, kind });
    }

    fn info(&mut self, text: impl Into<String>) {
        self.set_status(text.into(), StatusKind::Info);
    }

    /// Says once, on the status line, how to get truecolor (faces fell
    /// back to 256 colours); a message already there is kept.
    pub fn note_truecolor_hint(&mut self, hint: &str) {
        if self.status.is_none() {
            self.info(hint);
        }
    }

    fn refresh_guess(&mut self) {
        if self.profile.ratings.is_empty() {
            self.guess = None;
            return;
        }
        let guess = self.recommender.recommend(TOP_K, &self.not_revealable());
        self.guess = Some(guess);
    }

    /// Faces the reveal leaves out: those already rated, when the reveal
    /// comes from the rated pack itself.
    fn not_revealable(&self) -> impl Fn(&str) -> bool + '_ {
        let same_pack = self.reveal_pack.is_none();
        move |id| same_pack && self.profile.has_rated(id)
    }

    fn rebuild_model(&mut self) {
        // Faces of the rated pack always have codes: an error cannot happen.
        let _ = self.recommender.relearn(&self.profile);
        self.refresh_guess();
    }

    /// Whether a crowd prior is in use.
    pub fn has_crowd(&self) -> bool {
        self.recommender.crowd().is_some()
    }

    /// Records the pick after a rating and, while it has settled (see
    /// [`SETTLED_AFTER`]), offers the reveal early on the status line (an
    /// error there is left for the player to read).
    fn note_pick(&mut self) {
        let Some(pick) = self.guess.as_ref().map(|g| g.pick.id.clone()) else {
            return;
        };
        self.picks.push(pick);
        let error_shown = matches!(&self.status, Some(s) if s.kind == StatusKind::Error);
        if self.settled() && self.faces_left() && !error_shown {
            let streak = self.pick_held().streak;
            if let Some(g) = &self.guess {
                self.info(strings::confident_offer(&g.pick.name, streak));
            }
        }
    }

    /// How long the live guess's pick has held (the rating screen's panel).
    pub fn pick_held(&self) -> PickHeld {
        PickHeld::of(&self.picks, self.rated())
    }

    /// The pick has not changed for [`SETTLED_AFTER`] ratings in a row and
    /// enough ratings are in to reveal.
    pub fn settled(&self) -> bool {
        self.pick_held().stage == Stage::Settled
    }

    /// Shows the reveal, after its build-up.
    fn show_reveal(&mut self) {
        self.refresh_guess();
        self.screen = Screen::Reveal;
        self.revealed = self.guess.is_some();
        self.buildup = self.guess.as_ref().map(|_| Buildup::new());
    }

    /// The build-up is over: the player sees the pick.
    fn end_buildup(&mut self) {
        self.buildup = None;
        self.seen_pick = self.guess.as_ref().map(|g| g.pick.id.clone());
    }

    /// The pick the player saw on the reveal, if it is still the pick now
    /// (not changed by ratings or undos since, and made from enough
    /// ratings): the one "my type is" may name.
    pub fn standing_pick(&self) -> Option<&Recommendation> {
        let enough = self.rated() >= MIN_RATINGS_TO_REVEAL || !self.faces_left();
        self.guess
            .as_ref()
            .filter(|g| enough && self.seen_pick.as_deref() == Some(g.pick.id.as_str()))
    }

    /// Whether the reveal's build-up is running (the pick not shown yet).
    pub fn building_up(&self) -> bool {
        self.buildup.is_some()
    }

    /// How long until the next [`Action::Tick`] is due, while something
    /// moves by itself (the reveal's build-up); `None`: wait for events only.
    pub fn next_tick(&self) -> Option<Duration> {
        self.buildup.as_ref().map(Buildup::wait)
    }

    /// Whether faces are left to rate (unrated, skipped included).
    pub fn faces_left(&self) -> bool {
        self.pack
            .model_faces()
            .any(|f| !self.profile.has_rated(&f.id))
    }

    /// The rating screen's buttons, left to right.
    pub const BUTTONS: [Rating; 5] = [
        Rating::Type,
        Rating::SlightlyLike,
        Rating::Normal,
        Rating::SlightlyWeak,
        Rating::VeryWeak,
    ];

    /// Applies one action; returns the work to do (saving).
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::Tick {
            if self.buildup.as_mut().is_some_and(|b| !b.tick()) {
                self.end_buildup();
            }
            return Vec::new();
        }
        if action != Action::Quit {
            self.quit_armed = false;
        }
        if self.buildup.is_some() {
            match action {
                // Ctrl-C still quits; a resize only redraws.
                Action::Quit => {}
                Action::Resize => return Vec::new(),
                // Any other key skips to the pick.
                _ => {
                    self.end_buildup();
                    return Vec::new();
                }
            }
        }
        match self.overlay {
            Overlay::Help => {
                if action != Action::Resize {
                    self.overlay = Overlay::None;
                }
                return Vec::new();
            }
            Overlay::ConfirmNewRound => {
                return match action {
                    Action::Yes => {
                        self.overlay = Overlay::None;
                        vec![Effect::NewRound]
                    }
                    Action::Resize => Vec::new(),
                    _ => {
                        self.overlay = Overlay::None;
                        Vec::new()
                    }
                };
            }
            Overlay::None => {}
        }
        match action {
            Action::Quit => {
                if self.quit_armed {
                    self.quit = true;
                    return Vec::new();
                }
                return vec![Effect::SaveAndQuit];
            }
            Action::Help => {
                self.overlay = Overlay::Help;
                return Vec::new();
            }
            Action::Undo => return self.undo(),
            Action::Resize | Action::Dismiss | Action::Yes | Action::No | Action::Tick => {
                return Vec::new()
            }
            _ => {}
        }
        match self.screen {
            Screen::Rating => self.apply_rating(action),
            Screen::Reveal => self.apply_reveal(action),
        }
    }

    fn apply_rating(&mut self, action: Action) -> Vec<Effect> {
        let idx = App::BUTTONS
            .iter()
            .position(|r| *r == self.selected)
            .unwrap_or(2);
        match action {
            Action::Rate(r) => self.rate(r),
            Action::Confirm => self.rate(self.selected),
            Action::Left => {
                self.selected = App::BUTTONS[idx.saturating_sub(1)];
                Vec::new()
            }
            Action::Right => {
                self.selected = App::BUTTONS[(idx + 1).min(App::BUTTONS.len() - 1)];
                Vec::new()
            }
            Action::Skip => {
                if let Some(face) = self.current_face().cloned() {
                    self.skipped.push(face.id.clone());
                    self.skips
                        .push((self.profile.ratings.len(), face.id.clone()));
                    self.selected = Rating::Normal;
                    self.info(strings::skipped(&face.name));
                    self.advance();
                }
                Vec::new()
            }
            Action::Reveal => {
                let have = self.rated();
                if have >= MIN_RATINGS_TO_REVEAL {
                    self.status = None;
                    self.show_reveal();
                } else {
                    self.info(strings::need_more_ratings(MIN_RATINGS_TO_REVEAL, have));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn apply_reveal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::NewRound => {
                self.overlay = Overlay::ConfirmNewRound;
            }
            Action::Back => {
                if self.faces_left() {
                    self.skipped.clear();
                    self.skips.clear();
                    self.status = None;
                    self.advance();
                    if self.screen == Screen::Reveal {
                        self.info(strings::NOTHING_LEFT);
                    }
                } else {
                    self.info(strings::NOTHING_LEFT);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn rate(&mut self, rating: Rating) -> Vec<Effect> {
        let Some(face) = self.current_face().cloned() else {
            return Vec::new();
        };
        self.profile.push(&face.id, rating);
        self.unsaved = true;
        // A face of the rated pack always has a code: ignore the impossible error.
        let _ = self.recommender.learn(&face.id, rating);
        if !matches!(&self.status, Some(s) if s.kind == StatusKind::Error) {
            self.status = None;
        }
        self.selected = Rating::Normal;
        self.refresh_guess();
        self.note_pick();
        let rated = self.rated();
        if rated.is_multiple_of(ROUND) && self.faces_left() {
            self.show_reveal();
            self.info(strings::round_done(rated));
        } else {
            self.advance();
        }
        vec![Effect::Save]
    }

    fn undo(&mut self) -> Vec<Effect> {
        if self.undo_skip() {
            return Vec::new();
        }
        let Some(last) = self.profile.ratings.pop() else {
            self.info(strings::NOTHING_TO_UNDO);
            return Vec::new();
        };
        self.unsaved = true;
        self.picks.pop();
        self.rebuild_model();
        let name = self
            .pack
            .face(&last.face)
            .map(|f| f.name.clone())
            .unwrap_or_else(|| last.face.clone());
        self.skipped.retain(|f| *f != last.face);
        if let Some(i) = self.pack.faces().iter().position(|f| f.id == last.face) {
            if !self.profile.has_rated(&last.face) {
                self.current = Some(i);
                self.screen = Screen::Rating;
            }
        }
        self.selected = last.level;
        self.info(strings::undone(&name));
        vec![Effect::Save]
    }

    /// Undoes the last skip if nothing was rated since: the face comes back
    /// on screen. Whether it did.
    fn undo_skip(&mut self) -> bool {
        let rated_now = self.profile.ratings.len();
        let Some((_, id)) = self.skips.pop_if(|(at, _)| *at == rated_now) else {
            return false;
        };
        self.skipped.retain(|f| *f != id);
        let Some(i) = self.pack.faces().iter().position(|f| f.id == id) else {
            return false;
        };
        self.current = Some(i);
        self.screen = Screen::Rating;
        self.selected = Rating::Normal;
        self.info(strings::unskipped(&self.pack.faces()[i].name));
        true
    }
}
