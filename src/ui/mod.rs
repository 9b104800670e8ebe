//! The terminal game.
//!
//! television/gitui style: terminal events become [`Action`]s through one
//! key table per screen (`keys.rs`, which the help is drawn from),
//! [`App::apply`] updates the state and returns [`Effect`]s, the runtime
//! performs them (`runtime/`: the one event loop `play` and `replay` run
//! on, over any input source and output), and [`render`] draws the state
//! (`screens/`, one file per screen). Images are decoded and encoded on a
//! background thread (`images/`); the protocol is chosen once (`terminal/`).

pub mod action;
pub mod app;
pub mod images;
pub mod input;
pub mod keys;
pub mod runtime;
pub mod screens;
pub mod strings;
pub mod terminal;
pub mod theme;

pub use action::{Action, Effect};
pub use app::{App, Overlay, Screen};
pub use terminal::graphics::GraphicsChoice;

use crate::profile::ProfileStore;
use crate::signals::Stop;
use images::{Encoder, ImageKey};
use ratatui::layout::Rect;
use ratatui::Frame;
use ratatui_image::picker::{Picker, ProtocolType};
use screens::{help, rating, reveal, too_small};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The smallest terminal the game lays out for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

/// Whether the game fits in `area`.
pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}

/// Draws the whole screen from the state.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if !fits(area) {
        too_small::render(app, frame, area);
        return;
    }
    match app.screen {
        Screen::Rating => rating::render(app, frame, area),
        Screen::Reveal => reveal::render(app, frame, area),
    }
    match app.overlay {
        Overlay::Help => help::render(app, frame, area),
        Overlay::ConfirmNewRound => reveal::render_confirm(app, frame, area),
        Overlay::None => {}
    }
}

/// The images the current screen needs at `area` (most urgent first,
/// prefetches last).
pub fn wanted_images(app: &App, area: Rect) -> Vec<ImageKey> {
    if !fits(area) {
        return Vec::new();
    }
    match app.screen {
        Screen::Rating => rating::wanted(app, area),
        Screen::Reveal => reveal::wanted(app, area),
    }
}

/// Loads the images `area` needs right now, on this thread (tests, snapshots),
/// half-blocks at the colour depth of the environment and `app.theme`.
pub fn load_images_now(app: &mut App, area: Rect, picker: &Picker) {
    let encoder = Encoder::new(picker.clone(), app.theme);
    load_images_with(app, area, &encoder, &mut images::ThumbnailCache::default());
}

/// [`load_images_now`] with a given encoder and thumbnail cache (benchmarks).
pub fn load_images_with(
    app: &mut App,
    area: Rect,
    encoder: &Encoder,
    cache: &mut images::ThumbnailCache,
) {
    let wanted = wanted_images(app, area);
    for key in app.images.want(&wanted) {
        let result = images::load(encoder, cache, &key);
        app.images.finish(key, result);
    }
}

/// What the farewell lines say about a game: the data only, no picture and
/// no image protocol, so a `serve` guest's parting words come from it too.
#[derive(Debug, Clone)]
pub struct Farewell {
    /// The name of the pick the player saw on the reveal and that still
    /// stands: see [`App::standing_pick`].
    pub pick: Option<String>,
    pub profile: String,
    pub rated: usize,
    pub total: usize,
    /// Faces are left to rate (skipped ones included).
    pub faces_left: bool,
    /// `play --read-only`: nothing was saved.
    pub read_only: bool,
    /// The signal (SIGHUP, SIGTERM, SIGINT) that ended the game, after every
    /// rating was saved; the terminal may be gone.
    pub stopped: Option<Stop>,
}

impl Farewell {
    /// What a game in the state `app` leaves to say (also a `serve` guest's).
    pub fn of_app(app: &App, stopped: Option<Stop>) -> Farewell {
        Farewell {
            pick: standing_pick_image(app).map(|(name, _)| name),
            profile: app.profile_name.clone(),
            rated: app.rated(),
            total: app.total(),
            faces_left: app.faces_left(),
            read_only: app.read_only,
            stopped,
        }
    }

    /// The lines printed once the game is over (after the revealed face's
    /// picture, if any). "The AI says my type is …" only for a pick the
    /// player saw that still stands; then, while faces are left, the last
    /// line is the command that continues (`resume`). A read-only game
    /// saved nothing: its last line says so instead.
    pub fn lines(&self, resume: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(stop) = self.stopped {
            lines.push(strings::stopped_by(stop.name(), stop.meaning()));
        }
        if let Some(name) = &self.pick {
            lines.push(strings::farewell(name));
        }
        if self.read_only {
            lines.push(strings::read_only_done(
                &self.profile,
                self.rated,
                self.total,
            ));
        } else if self.faces_left {
            lines.push(strings::paused(
                &self.profile,
                self.rated,
                self.total,
                resume,
            ));
        } else if self.pick.is_none() {
            lines.push(strings::all_rated(&self.profile, self.rated, resume));
        }
        lines
    }
}

/// The standing pick's name and its picture's file.
fn standing_pick_image(app: &App) -> Option<(String, PathBuf)> {
    app.standing_pick().and_then(|g| {
        app.reveal_image(&g.pick.id)
            .map(|path| (g.pick.name.clone(), path))
    })
}

/// How a local game ended: the farewell, and what drawing the revealed
/// face in the scrollback needs (its picture and the image protocol).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub farewell: Farewell,
    /// The standing pick's picture (with [`Farewell::pick`]).
    pub image: Option<PathBuf>,
    pub protocol: ProtocolType,
}

impl Outcome {
    /// What a game that ended as `ended` leaves to say.
    pub fn of(ended: &runtime::Ended<App>) -> Outcome {
        Outcome {
            farewell: Farewell::of_app(&ended.state, ended.stopped),
            image: standing_pick_image(&ended.state).map(|(_, path)| path),
            protocol: ended.protocol,
        }
    }

    /// [`Farewell::lines`].
    pub fn farewell_lines(&self, resume: &str) -> Vec<String> {
        self.farewell.lines(resume)
    }
}

/// Runs the game in the local terminal until the player quits or a signal
/// (SIGHUP, SIGTERM, SIGINT) ends it. The terminal is restored on every path
/// out of here (errors, signals and panics included), and the profile saved.
pub fn run(app: App, store: &ProfileStore, graphics: GraphicsChoice) -> anyhow::Result<Outcome> {
    let ended = runtime::local::run(app, Some(store), graphics)?;
    Ok(Outcome::of(&ended))
}

/// Prints the farewell to the normal screen (stays in scrollback): the
/// revealed face with viuer when it still stands, then
/// [`Outcome::farewell_lines`]. After a signal the terminal may be gone:
/// the lines go to stderr, write errors ignored, no picture.
pub fn print_farewell(outcome: &Outcome, resume: &str) {
    use std::io::Write;
    let lines = outcome.farewell_lines(resume);
    if outcome.farewell.stopped.is_some() {
        let mut err = std::io::stderr().lock();
        for line in lines {
            let _ = writeln!(err, "{line}");
        }
        return;
    }
    if let Some(path) = &outcome.image {
        print_face(path, outcome.protocol);
    }
    let mut out = std::io::stdout().lock();
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
}

/// The revealed face in the scrollback, when the terminal can show it.
fn print_face(path: &std::path::Path, protocol: ProtocolType) {
    use std::io::Write;
    let graphics = matches!(protocol, ProtocolType::Kitty | ProtocolType::Iterm2);
    let colour_ok = theme::Theme::from_env().color;
    if !(std::io::stdout().is_terminal() && (graphics || colour_ok)) {
        return;
    }
    if let Ok(img) = crate::vision::imaging::decode(path) {
        let cols = crossterm::terminal::size().map(|(w, _)| w).unwrap_or(80);
        let config = viuer::Config {
            absolute_offset: false,
            width: Some(u32::from(cols.clamp(10, 32))),
            // viuer's own kitty probe blocks on stdin: only use real
            // graphics when our probe found them.
            use_kitty: protocol == ProtocolType::Kitty,
            use_iterm: protocol == ProtocolType::Iterm2,
            ..viuer::Config::default()
        };
        let _ = viuer::print(&img, &config);
        let _ = std::io::stdout().flush();
    }
}
