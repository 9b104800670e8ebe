//! The terminal game.
//!
//! television/gitui style: terminal events become [`Action`]s (`keys.rs`),
//! [`App::apply`] updates the state and returns [`Effect`]s, and [`render`]
//! draws the state (one file per screen). Images are decoded and encoded on a
//! background thread (`images.rs`); the protocol is chosen once (`graphics.rs`).

pub mod app;
pub mod buildup;
pub mod graphics;
pub mod halfblock;
pub mod help;
pub mod images;
pub mod input;
pub mod keys;
pub mod probe;
pub mod rating;
pub mod replay;
pub mod reveal;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod too_small;
pub mod widgets;

pub use app::{Action, App, Effect, Overlay, Screen};
pub use graphics::GraphicsChoice;

use crate::profile::ProfileStore;
use crate::signals::{Stop, Watch};
use crossterm::event::Event;
use images::{Encoder, FaceImage, ImageKey, Loader};
pub(crate) use input::{spawn_input, InputEvent};
use probe::ProbeSlot;
use ratatui::layout::Rect;
use ratatui::Frame;
use ratatui_image::picker::{Picker, ProtocolType};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// How a game ended, for the farewell printed after the TUI closes.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The revealed face (name, image), if the reveal was shown.
    pub reveal: Option<(String, PathBuf)>,
    pub profile: String,
    pub rated: usize,
    pub total: usize,
    pub protocol: ProtocolType,
    /// The signal (SIGHUP, SIGTERM, SIGINT) that ended the game, after every
    /// rating was saved; the terminal may be gone.
    pub stopped: Option<Stop>,
}

enum UiEvent {
    Input(Event),
    InputError(String),
    Image(ImageKey, Result<FaceImage, String>),
    Signal(Stop),
}

/// How often an idle game or replay checks that its terminal is still there.
pub(crate) const HANGUP_CHECK: Duration = Duration::from_millis(500);

/// How long, after the terminal failed, to wait for the signal that explains
/// it (a dropped SSH connection: the pty fails before SIGHUP is forwarded).
const SIGNAL_GRACE: Duration = Duration::from_millis(300);

/// Runs the game until the player quits or a signal (SIGHUP, SIGTERM, SIGINT)
/// ends it. The terminal is restored on every path out of here (errors,
/// signals and panics included), and the profile saved.
pub fn run(
    mut app: App,
    store: &ProfileStore,
    graphics: GraphicsChoice,
) -> anyhow::Result<Outcome> {
    let (tx, rx) = mpsc::channel::<UiEvent>();
    // Before the terminal changes: from here a signal is an event, not death.
    let watch = Watch::start(tx.clone(), UiEvent::Signal)?;
    let (mut terminal, guard) = terminal::enter()?;
    // The one reader of the terminal starts before the probe, so a key
    // typed while the terminal answers is kept.
    let stop = Arc::new(AtomicBool::new(false));
    let probe = Arc::new(ProbeSlot::default());
    let input = spawn_input(tx.clone(), &stop, &probe)?;
    let chosen = graphics::pick(graphics, &probe);
    let protocol = chosen.picker.protocol_type();
    let encoder = graphics::encoder(chosen, app.theme);
    let loader = terminal::wipe(&mut terminal)
        .map_err(anyhow::Error::from)
        .and_then(|()| Ok(Loader::spawn(encoder, tx, UiEvent::Image)?));
    let loader = match loader {
        Ok(loader) => loader,
        Err(e) => {
            stop.store(true, Ordering::Relaxed);
            return Err(e);
        }
    };

    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, store, &loader, &rx, protocol)
    }));
    let result = match result {
        Ok(result) => result,
        Err(panic) => {
            // The panic hook restored the terminal; keep every rating, then
            // let the panic go on (exit code 101).
            app.perform(Effect::Save, store);
            stop.store(true, Ordering::Relaxed);
            release(terminal);
            drop(guard);
            std::panic::resume_unwind(panic);
        }
    };
    if result.is_err() {
        // Keep every rating, whatever ends the game.
        app.perform(Effect::Save, store);
    }
    let result = end_input(result, &rx, &stop, input, |e| match e {
        UiEvent::Signal(stop) => Some(*stop),
        _ => None,
    });
    drop(loader);
    release(terminal);
    drop(guard);
    drop(watch);
    let stopped = result?;

    let reveal = if app.revealed {
        app.guess.as_ref().and_then(|g| {
            app.reveal_image(&g.pick.id)
                .map(|path| (g.pick.name.clone(), path))
        })
    } else {
        None
    };
    Ok(Outcome {
        reveal,
        profile: app.profile_name.clone(),
        rated: app.rated(),
        total: app.total(),
        protocol,
        stopped,
    })
}

/// Drops the ratatui terminal without letting it print: its `Drop` shows
/// the cursor and `eprintln!`s on failure, and printing to a hung-up terminal
/// panics. So show the cursor here, and forget a terminal that could not.
pub(crate) fn release(mut terminal: ratatui::DefaultTerminal) {
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
}

/// A signal already queued, or arriving within [`SIGNAL_GRACE`];
/// `signal_of` picks the signal out of a session's events.
fn pending_signal<E>(rx: &mpsc::Receiver<E>, signal_of: fn(&E) -> Option<Stop>) -> Option<Stop> {
    let deadline = std::time::Instant::now() + SIGNAL_GRACE;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(event) => {
                if let Some(stop) = signal_of(&event) {
                    return Some(stop);
                }
            }
            Err(_) => return None,
        }
    }
}

/// The end of a session's event loop (the game's or a replay's): a failing
/// terminal is often a hang-up whose SIGHUP is on its way, so an error turns
/// into that signal if it comes within [`SIGNAL_GRACE`]. Then the input
/// thread is stopped: joined after a normal end, left behind otherwise (after
/// a hang-up it may sit in a read that never returns; the process exits next).
pub(crate) fn end_input<E>(
    result: anyhow::Result<Option<Stop>>,
    rx: &mpsc::Receiver<E>,
    stop: &AtomicBool,
    input: std::thread::JoinHandle<()>,
    signal_of: fn(&E) -> Option<Stop>,
) -> anyhow::Result<Option<Stop>> {
    let result = match result {
        Err(e) => match pending_signal(rx, signal_of) {
            Some(signal) => Ok(Some(signal)),
            None => Err(e),
        },
        ok => ok,
    };
    stop.store(true, Ordering::Relaxed);
    if matches!(result, Ok(None)) {
        let _ = input.join();
    }
    result
}

impl InputEvent for UiEvent {
    fn input(event: Event) -> Self {
        UiEvent::Input(event)
    }
    fn input_error(message: String) -> Self {
        UiEvent::InputError(message)
    }
}

/// Whether the terminal has hung up: it answered the size ioctl once
/// (`could_ask`) and no longer does. Idle sessions ask, as nothing else
/// would notice with nothing to draw.
pub(crate) fn hung_up(could_ask: bool) -> bool {
    could_ask && crossterm::terminal::window_size().is_err()
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    store: &ProfileStore,
    loader: &Loader,
    rx: &mpsc::Receiver<UiEvent>,
    protocol: ProtocolType,
) -> anyhow::Result<Option<Stop>> {
    // A rating's save (an atomic write with fsync, ~10 ms on a busy disk)
    // waits until its frame is drawn, so the next face shows first. Every
    // way out of the loop (quit, signal, terminal error, panic) saves too.
    let mut save_due = false;
    // Only a terminal that answered the size ioctl at first is taken for
    // hung up when it stops answering.
    let can_ask_size = crossterm::terminal::window_size().is_ok();
    let mut tick_at: Option<Instant> = None;
    loop {
        let size = terminal.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        for key in app.images.want(&wanted_images(app, area)) {
            loader.request(key);
        }
        terminal.draw(|frame| render(app, frame))?;
        if std::mem::take(&mut save_due) {
            let before = app.status.clone();
            app.perform(Effect::Save, store);
            if app.status != before {
                // A failed (or recovered) save: say so now.
                continue;
            }
        }
        if app.quit {
            return Ok(None);
        }
        // While something moves by itself (the reveal's build-up), its next
        // frame is due at `tick_at`; events in between leave it where it is.
        tick_at = app
            .next_tick()
            .map(|wait| tick_at.unwrap_or_else(|| Instant::now() + wait));
        let first = loop {
            let wait = tick_at.map_or(HANGUP_CHECK, |at| {
                at.saturating_duration_since(Instant::now())
                    .min(HANGUP_CHECK)
            });
            match rx.recv_timeout(wait) {
                Ok(ev) => break Some(ev),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the input thread stopped")
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if tick_at.is_some_and(|at| Instant::now() >= at) {
                        break None;
                    }
                    // Idle: the input thread can spin inside crossterm on a
                    // hung-up terminal without ever reporting it, and with
                    // nothing to draw no write fails either: ask the terminal.
                    if hung_up(can_ask_size) {
                        app.perform(Effect::Save, store);
                        anyhow::bail!("cannot read the terminal: the terminal hung up");
                    }
                }
            }
        };
        let Some(first) = first else {
            tick_at = None;
            app.apply(Action::Tick);
            continue;
        };
        let overlay = app.overlay;
        // Handle everything already queued before drawing again.
        for ev in std::iter::once(first).chain(rx.try_iter()) {
            match ev {
                UiEvent::Input(event) => {
                    if let Some(action) = keys::action_for_event(app, &event, area) {
                        for effect in app.apply(action) {
                            match effect {
                                Effect::Save => save_due = true,
                                effect => app.perform(effect, store),
                            }
                        }
                    }
                }
                UiEvent::Image(key, result) => app.images.finish(key, result),
                UiEvent::Signal(stop) => {
                    // Every rating is saved already unless a save failed:
                    // one last try either way, then leave without drawing.
                    app.perform(Effect::Save, store);
                    return Ok(Some(stop));
                }
                UiEvent::InputError(e) => {
                    // Keep every rating: try a last save before giving up.
                    app.perform(Effect::Save, store);
                    anyhow::bail!("cannot read the terminal: {e}");
                }
            }
            if app.quit {
                break;
            }
            #[cfg(debug_assertions)]
            test_panic(app);
        }
        if overlay != Overlay::None
            && app.overlay != overlay
            && images::popup_leaves_marks(protocol)
        {
            terminal.clear()?;
        }
    }
}

/// Debug builds only: `MYTYPE_TEST_PANIC_AFTER=N` panics in the event loop
/// once N faces are rated, so the end-to-end tests can check what a crash
/// leaves behind (saved ratings, a restored terminal, exit code 101).
#[cfg(debug_assertions)]
fn test_panic(app: &App) {
    let after = std::env::var("MYTYPE_TEST_PANIC_AFTER")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(n) = after.filter(|&n| app.rated() >= n) {
        panic!("MYTYPE_TEST_PANIC_AFTER={n}: a test asked for this panic");
    }
}

/// Prints the reveal to the normal screen (stays in scrollback): the face
/// with viuer, then `The AI says my type is <Name>.`; before the reveal,
/// how many ratings were saved and `resume`, the command that continues.
pub fn print_farewell(outcome: &Outcome, resume: &str) {
    use std::io::Write;
    let Some((name, path)) = &outcome.reveal else {
        println!(
            "{}",
            strings::paused(&outcome.profile, outcome.rated, outcome.total, resume)
        );
        return;
    };
    let graphics = matches!(outcome.protocol, ProtocolType::Kitty | ProtocolType::Iterm2);
    let colour_ok = theme::Theme::from_env().color;
    if std::io::stdout().is_terminal() && (graphics || colour_ok) {
        if let Ok(img) = crate::vision::imaging::decode(path) {
            let cols = crossterm::terminal::size().map(|(w, _)| w).unwrap_or(80);
            let config = viuer::Config {
                absolute_offset: false,
                width: Some(u32::from(cols.clamp(10, 32))),
                // viuer's own kitty probe blocks on stdin: only use real
                // graphics when our probe found them.
                use_kitty: outcome.protocol == ProtocolType::Kitty,
                use_iterm: outcome.protocol == ProtocolType::Iterm2,
                ..viuer::Config::default()
            };
            let _ = viuer::print(&img, &config);
            let _ = std::io::stdout().flush();
        }
    }
    println!("{}", strings::farewell(name));
}
