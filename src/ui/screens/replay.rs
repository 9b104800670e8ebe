//! `mytype replay`: a saved profile replayed rating by rating.
//!
//! Each step shows a face with the level it was given (highlighted among the
//! five buttons) and the model's guess after learning the ratings so far; the
//! last step is the reveal, after the same build-up as in the game
//! ([`crate::ui::app::buildup`]). [`Replay`] holds the state and [`Replay::apply`]
//! is its pure update function (like [`crate::ui::App::apply`]); it runs on the
//! game's runtime ([`crate::ui::runtime`]), whose clock ticks it forward every
//! `delay` (and the build-up frame by frame), with the replay's key table
//! ([`crate::ui::keys::REPLAY`]).
//!
//! The profile is only read: nothing here saves, locks or writes anything.

use super::rating::{guess_panel, layout as rating_layout};
use super::reveal::{buildup_body, buildup_wanted, layout as reveal_layout, reveal_body};
use super::widgets::{bar_line, draw_face, image_key, rating_buttons, status_or_hints};
use super::{help, too_small};
use crate::core::rating::Rating;
use crate::core::tuning::MIN_RATINGS_TO_REVEAL;
use crate::game::recommend::{RecommendError, Recommendation, Recommender};
use crate::pack::{FaceEntry, Pack};
use crate::profile::Profile;
use crate::signals::Stop;
use crate::ui::action::Effect;
use crate::ui::app::buildup::Buildup;
use crate::ui::app::pick_held::PickHeld;
use crate::ui::app::TOP_K;
use crate::ui::fits;
use crate::ui::images::{self, Encoder, ImageKey, Images};
use crate::ui::keys::{self, Mode};
use crate::ui::strings;
use crate::ui::terminal::graphics::GraphicsChoice;
use crate::ui::theme::Theme;
use crossterm::event::{Event, KeyEvent};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use ratatui::Frame;
use ratatui_image::picker::Picker;
use std::path::PathBuf;
use std::time::Duration;

/// The default pause between two ratings.
pub const DEFAULT_DELAY: Duration = Duration::from_millis(700);

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("profile {profile} has no ratings of faces in pack `{pack}`: nothing to replay")]
    Empty { profile: String, pack: String },
    #[error(transparent)]
    Recommend(#[from] RecommendError),
}

/// What the viewer (or the clock) asked for: the game's actions, of which
/// the replay uses `Tick`, `PlayPause`, `Forward`, `Back`, `First`, `Last`,
/// `Help`, `Dismiss`, `Resize` and `Quit`.
pub type ReplayAction = crate::ui::action::Action;

/// A replay in progress.
pub struct Replay {
    pub profile_name: String,
    /// The ratings replayed, in the order they were made (faces of the pack only).
    steps: Vec<(String, Rating)>,
    /// Ratings of faces the pack does not rate (left out).
    left_out: usize,
    pack: Pack,
    reveal_pack: Option<Pack>,
    /// Has learnt exactly the first `step` ratings.
    recommender: Recommender,
    step: usize,
    /// The reveal is showing (after the last rating).
    pub finished: bool,
    /// The reveal's build-up, while it runs.
    pub buildup: Option<Buildup>,
    /// The pick after each of the first ratings (index k: after k + 1),
    /// as far as the replay has been.
    picks: Vec<String>,
    pub paused: bool,
    pub help: bool,
    /// The model's pick after the first `step` ratings.
    pub guess: Option<Recommendation>,
    pub images: Images,
    pub theme: Theme,
    pub quit: bool,
    /// The pause between two ratings while playing.
    pub delay: Duration,
}

impl Replay {
    /// A replay of `profile`'s ratings on `pack` (ratings of faces the pack
    /// does not rate are left out), showing the first rating, playing.
    pub fn new(
        profile_name: &str,
        profile: &Profile,
        pack: Pack,
        reveal_pack: Option<Pack>,
        theme: Theme,
    ) -> Result<Replay, ReplayError> {
        let steps: Vec<(String, Rating)> = profile
            .ratings
            .iter()
            .filter(|r| pack.face(&r.face).is_some_and(|f| f.role.is_rated()))
            .map(|r| (r.face.clone(), r.level))
            .collect();
        if steps.is_empty() {
            return Err(ReplayError::Empty {
                profile: profile_name.to_string(),
                pack: pack.name().to_string(),
            });
        }
        let left_out = profile.ratings.len() - steps.len();
        let recommender = Recommender::new(&pack, reveal_pack.as_ref())?;
        let mut replay = Replay {
            profile_name: profile_name.to_string(),
            steps,
            left_out,
            pack,
            reveal_pack,
            recommender,
            step: 0,
            finished: false,
            buildup: None,
            picks: Vec::new(),
            paused: false,
            help: false,
            guess: None,
            images: Images::default(),
            theme,
            quit: false,
            delay: DEFAULT_DELAY,
        };
        replay.go_to(1);
        Ok(replay)
    }

    /// Ratings replayed in all.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Never true: a replay has at least one rating.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Ratings learnt so far (1-based position of the rating shown).
    pub fn step(&self) -> usize {
        self.step
    }

    /// Ratings of the profile left out (their faces are not rated in the pack).
    pub fn left_out(&self) -> usize {
        self.left_out
    }

    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The pack reveals come from.
    pub fn reveal_pack(&self) -> &Pack {
        self.reveal_pack.as_ref().unwrap_or(&self.pack)
    }

    /// The rating shown: its face and level.
    pub fn current(&self) -> Option<(&FaceEntry, Rating)> {
        let (id, level) = self.steps.get(self.step.checked_sub(1)?)?;
        self.pack.face(id).map(|f| (f, *level))
    }

    /// Whether the clock moves the replay on.
    pub fn playing(&self) -> bool {
        !self.paused && !self.finished && !self.help && !self.quit
    }

    /// Whether the reveal's build-up is running.
    pub fn building_up(&self) -> bool {
        self.buildup.is_some()
    }

    /// How long until the next [`ReplayAction::Tick`] is due: the build-up's
    /// next frame, else `delay` while playing; `None`: wait for keys only.
    pub fn next_tick(&self, delay: Duration) -> Option<Duration> {
        match &self.buildup {
            Some(b) => Some(b.wait()),
            None => self.playing().then_some(delay),
        }
    }

    /// How long the guess's pick has held at the rating shown.
    pub fn pick_held(&self) -> PickHeld {
        let rated = self.guess.as_ref().map_or(0, |g| g.ratings);
        PickHeld::of(&self.picks[..self.step.min(self.picks.len())], rated)
    }

    /// The "Judged on: …" line of the reveal, when it comes from another pack.
    pub fn judged_on(&self) -> Option<String> {
        let rec = self.guess.as_ref()?;
        self.reveal_pack.as_ref().map(|_| {
            strings::judged_on(&rec.used_attributes, self.pack.manifest().attributes.len())
        })
    }

    fn image_of(&self, id: &str) -> Option<PathBuf> {
        self.pack.face(id).map(|f| self.pack.image_path(f))
    }

    fn reveal_image(&self, id: &str) -> Option<PathBuf> {
        let pack = self.reveal_pack();
        pack.face(id).map(|f| pack.image_path(f))
    }

    /// Shows the `k`-th rating (clamped to 1..=len), the model having learnt
    /// the first `k`. Forward steps learn one rating at a time; going back
    /// re-learns the first `k` from scratch.
    pub fn go_to(&mut self, k: usize) {
        let k = k.clamp(1, self.steps.len());
        if k < self.step {
            match Recommender::new(&self.pack, self.reveal_pack.as_ref()) {
                Ok(fresh) => self.recommender = fresh,
                // Built from the same packs in `new`: cannot fail here.
                Err(_) => return,
            }
            self.step = 0;
        }
        while self.step < k {
            let (face, level) = self.steps[self.step].clone();
            // A re-rated face counts once, with its latest level (like a profile).
            if let Some(earlier) = self.steps[..self.step]
                .iter()
                .rev()
                .find(|(f, _)| *f == face)
                .map(|(_, l)| *l)
            {
                let _ = self.recommender.unlearn(&face, earlier);
            }
            // Every step's face is rated in the pack (checked in `new`).
            let _ = self.recommender.learn(&face, level);
            self.step += 1;
            // The picks on the way, once (the last one is the guess's).
            if self.step < k && self.picks.len() < self.step {
                let pick = self.recommend(1).pick.id;
                self.picks.push(pick);
            }
        }
        self.guess = Some(self.recommend(TOP_K));
        if self.picks.len() < self.step {
            if let Some(g) = &self.guess {
                self.picks.push(g.pick.id.clone());
            }
        }
    }

    /// The top `k` after the ratings learnt so far.
    fn recommend(&self, k: usize) -> Recommendation {
        let same_pack = self.reveal_pack.is_none();
        let seen = &self.steps[..self.step];
        self.recommender
            .recommend(k, &|id| same_pack && seen.iter().any(|(f, _)| f == id))
    }

    /// Shows the reveal, after its build-up.
    fn finish(&mut self) {
        self.finished = true;
        // No build-up to a pick the replay will not show.
        self.buildup = self.enough_ratings().then(Buildup::new);
    }

    /// Distinct faces the replay rates (its latest rating of each counts).
    pub fn rated_faces(&self) -> usize {
        let faces: std::collections::BTreeSet<&str> =
            self.steps.iter().map(|(f, _)| f.as_str()).collect();
        faces.len()
    }

    /// Whether the profile has the ratings a pick needs (the game's rule).
    pub fn enough_ratings(&self) -> bool {
        self.rated_faces() >= MIN_RATINGS_TO_REVEAL
    }

    /// The pick the replay ends on: none below the ratings a pick needs.
    pub fn pick(&self) -> Option<&Recommendation> {
        self.guess.as_ref().filter(|_| self.enough_ratings())
    }

    /// The replay pausing `delay` between two ratings.
    pub fn with_delay(mut self, delay: Duration) -> Replay {
        self.delay = delay;
        self
    }

    /// Applies one action; a step by hand (or a skipped build-up) asks for
    /// the clock to start its wait again.
    pub fn apply(&mut self, action: ReplayAction) -> Vec<Effect> {
        let at = (self.step, self.finished, self.buildup);
        self.apply_inner(action);
        if action != ReplayAction::Tick && at != (self.step, self.finished, self.buildup) {
            return vec![Effect::RestartClock];
        }
        Vec::new()
    }

    fn apply_inner(&mut self, action: ReplayAction) {
        if let Some(b) = &mut self.buildup {
            match action {
                ReplayAction::Tick => {
                    if !b.tick() {
                        self.buildup = None;
                    }
                    return;
                }
                ReplayAction::Quit => {}
                ReplayAction::Resize => return,
                // Any other key skips to the pick.
                _ => {
                    self.buildup = None;
                    return;
                }
            }
        }
        if self.help {
            if !matches!(action, ReplayAction::Resize | ReplayAction::Tick) {
                self.help = false;
            }
            if action != ReplayAction::Quit {
                return;
            }
        }
        match action {
            ReplayAction::Tick if self.playing() => self.forward(),
            ReplayAction::PlayPause => {
                if self.finished {
                    self.finished = false;
                    self.go_to(1);
                    self.paused = false;
                } else {
                    self.paused = !self.paused;
                }
            }
            ReplayAction::Forward => {
                self.paused = true;
                self.forward();
            }
            ReplayAction::Back => {
                self.paused = true;
                if self.finished {
                    self.finished = false;
                } else if self.step > 1 {
                    self.go_to(self.step - 1);
                }
            }
            ReplayAction::First => {
                self.paused = true;
                self.finished = false;
                self.go_to(1);
            }
            ReplayAction::Last => {
                self.paused = true;
                self.go_to(self.steps.len());
                if !self.finished {
                    self.finish();
                }
            }
            ReplayAction::Help => self.help = true,
            ReplayAction::Quit => self.quit = true,
            _ => {}
        }
    }

    /// One rating further, or the reveal after the last one.
    fn forward(&mut self) {
        if self.step < self.steps.len() {
            self.go_to(self.step + 1);
        } else if !self.finished {
            self.finish();
        }
    }
}

/// The replay's key mode.
fn mode(replay: &Replay, area: Option<Rect>) -> Mode {
    if replay.help || replay.building_up() {
        Mode::AnyKeyDismisses
    } else if area.is_some_and(|a| !fits(a)) {
        Mode::TooSmall
    } else {
        Mode::Normal
    }
}

/// The action for a terminal event, if any (from [`keys::REPLAY`]).
pub fn action_for_event(replay: &Replay, event: &Event) -> Option<ReplayAction> {
    action_for(replay, event, None)
}

/// [`action_for_event`] on a screen of `area` (too small: only quitting).
pub fn action_for_event_in(replay: &Replay, event: &Event, area: Rect) -> Option<ReplayAction> {
    action_for(replay, event, Some(area))
}

fn action_for(replay: &Replay, event: &Event, area: Option<Rect>) -> Option<ReplayAction> {
    match event {
        Event::Key(key) => keys::action_for_key_in(keys::REPLAY, mode(replay, area), key),
        Event::Resize(..) => Some(ReplayAction::Resize),
        _ => None,
    }
}

pub fn action_for_key(replay: &Replay, key: &KeyEvent) -> Option<ReplayAction> {
    keys::action_for_key_in(keys::REPLAY, mode(replay, None), key)
}

/// Draws the replay.
pub fn render(replay: &Replay, frame: &mut Frame) {
    let area = frame.area();
    if !fits(area) {
        too_small::render_with(replay.theme, frame, area, strings::REPLAY_TOO_SMALL_HINT);
        return;
    }
    if replay.finished {
        render_reveal(replay, frame, area);
    } else {
        render_step(replay, frame, area);
    }
    if replay.help {
        help::render_rows(replay.theme, &keys::help_rows(keys::REPLAY), frame, area);
    }
}

fn header(replay: &Replay, frame: &mut Frame, area: Rect, counter: String) {
    let theme = replay.theme;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(strings::APP_TITLE, theme.title()),
            Span::raw("  "),
            Span::raw(counter),
        ])),
        area,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            strings::player(&replay.profile_name),
            theme.dim(),
        ))
        .alignment(Alignment::Right),
        area,
    );
}

fn render_step(replay: &Replay, frame: &mut Frame, area: Rect) {
    let l = rating_layout(area);
    let theme = replay.theme;
    let current = replay.current();
    let name = current.map(|(f, _)| f.name.clone()).unwrap_or_default();
    header(
        replay,
        frame,
        l.header,
        strings::replay_counter(replay.step, replay.len(), &name),
    );
    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(
                format!(" {} ", strings::replay_rated(&replay.profile_name, &name)),
                theme.title(),
            )),
        l.face,
    );
    let image = current.map(|(f, _)| replay.pack.image_path(f));
    draw_face(&replay.images, theme, frame, image, l.face_image, false);
    let guess_image = replay
        .guess
        .as_ref()
        .and_then(|g| replay.reveal_image(&g.pick.id));
    guess_panel(
        &replay.images,
        theme,
        frame,
        &l,
        replay.guess.as_ref(),
        guess_image,
        replay.pick_held(),
    );
    rating_buttons(theme, frame, &l.buttons, current.map(|(_, r)| r));
    frame.render_widget(
        Paragraph::new(bar_line(
            theme,
            l.gauge.width,
            replay.step,
            replay.len(),
            strings::replay_progress(replay.step, replay.len(), replay.paused),
        )),
        l.gauge,
    );
    status_or_hints(theme, frame, l.status, None, strings::HINTS_REPLAY);
}

fn render_reveal(replay: &Replay, frame: &mut Frame, area: Rect) {
    let l = reveal_layout(area);
    header(replay, frame, l.header, strings::replay_total(replay.len()));
    if let (Some(rec), Some(b)) = (&replay.guess, &replay.buildup) {
        buildup_body(&replay.images, replay.theme, frame, &l, rec, b, &|id| {
            replay.reveal_image(id)
        });
        status_or_hints(replay.theme, frame, l.status, None, strings::HINTS_BUILDUP);
        return;
    }
    if !replay.enough_ratings() {
        let text = strings::replay_not_enough(
            &replay.profile_name,
            replay.rated_faces(),
            MIN_RATINGS_TO_REVEAL,
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text, replay.theme.title()))
                .alignment(Alignment::Center)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            // No face to show: the whole body.
            l.face.union(l.text),
        );
    } else if let Some(rec) = &replay.guess {
        let judged_on = replay.judged_on();
        reveal_body(
            &replay.images,
            replay.theme,
            frame,
            &l,
            &strings::replay_reveal_title(&replay.profile_name),
            rec,
            replay.reveal_image(&rec.pick.id),
            judged_on.as_deref(),
            true,
        );
    }
    status_or_hints(
        replay.theme,
        frame,
        l.status,
        None,
        strings::HINTS_REPLAY_END,
    );
}

/// The images the replay needs at `area` (most urgent first, prefetches last).
pub fn wanted_images(replay: &Replay, area: Rect) -> Vec<ImageKey> {
    if !fits(area) {
        return Vec::new();
    }
    let pick = replay
        .guess
        .as_ref()
        .and_then(|g| replay.reveal_image(&g.pick.id));
    if replay.finished {
        let l = reveal_layout(area);
        if let (Some(rec), Some(b)) = (&replay.guess, &replay.buildup) {
            return buildup_wanted(&l, rec, b, &|id| replay.reveal_image(id));
        }
        return pick
            .map(|p| vec![image_key(p, l.face_image)])
            .unwrap_or_default();
    }
    let l = rating_layout(area);
    let mut keys = Vec::new();
    if let Some((face, _)) = replay.current() {
        keys.push(image_key(replay.pack.image_path(face), l.face_image));
    }
    if let Some(p) = pick {
        keys.push(image_key(p, l.side_image));
    }
    if let Some(p) = replay
        .steps
        .get(replay.step)
        .and_then(|(id, _)| replay.image_of(id))
    {
        keys.push(image_key(p, l.face_image));
    }
    keys
}

/// Loads the images `area` needs right now, on this thread (tests, snapshots).
pub fn load_images_now(replay: &mut Replay, area: Rect, picker: &Picker) {
    let wanted = wanted_images(replay, area);
    let mut cache = images::ThumbnailCache::default();
    let encoder = Encoder::new(picker.clone(), replay.theme);
    for key in replay.images.want(&wanted) {
        let result = images::load(&encoder, &mut cache, &key);
        replay.images.finish(key, result);
    }
}

/// Runs the replay in the local terminal until the viewer quits or a
/// signal (SIGHUP, SIGTERM, SIGINT) ends it; returns the final state and the
/// signal, if any. The terminal is restored on every path out of here, and a
/// hung-up terminal ends the replay instead of leaving it spinning.
pub fn run(
    replay: Replay,
    delay: Duration,
    graphics: GraphicsChoice,
) -> anyhow::Result<(Replay, Option<Stop>)> {
    let ended = crate::ui::runtime::local::run(replay.with_delay(delay), None, graphics)?;
    Ok((ended.state, ended.stopped))
}
