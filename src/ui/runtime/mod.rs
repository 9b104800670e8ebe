//! The one TUI runtime: the event loop `play` and `replay` both run on.
//!
//! television style: input bytes become events ([`super::input`]), events
//! become [`Action`]s through one key table per screen ([`super::keys`]),
//! a [`Component`] (the game's [`App`], a [`Replay`]) updates its state and
//! returns [`Effect`]s, the runtime performs them (disk I/O lives here, not
//! in `App`), and the component draws its state. A rating is on disk before
//! the frame that shows it.
//!
//! # Running a session anywhere
//!
//! The runtime holds no process-wide terminal state: no raw mode, no size
//! ioctl, no signal handler inside the loop. A [`Session`] says where input
//! bytes come from (any [`InputSource`]), where output bytes go (any
//! `Write + Send`), the window size to start with (later sizes come from the
//! input side as resize events), and the graphics to draw faces with. One
//! process can run many sessions at once, one per thread:
//!
//! ```no_run
//! use mytype::ui::runtime::{self, Pictures, Session};
//! use mytype::ui::input::{ChannelInput, Feed};
//! use mytype::ui::terminal::term_env::ColorDepth;
//! # fn demo(app: mytype::ui::App, store: &mytype::profile::ProfileStore,
//! #         channel_out: Vec<u8>) -> anyhow::Result<()> {
//! // Per SSH channel: feed its data and window-change requests in...
//! let (feed, input) = ChannelInput::new();
//! let session = Session::new(input, channel_out, (80, 24))
//!     .pictures(Pictures::halfblocks(ColorDepth::TrueColor))
//!     .alternate_screen(true);
//! let stopper = session.stopper(); // ends the game from another thread
//! feed.send(Feed::Bytes(b"5".to_vec()))?;
//! // ...and run the game on this thread until it ends.
//! let ended = runtime::run(session, app, Some(store))?;
//! # let _ = (stopper, ended); Ok(()) }
//! ```
//!
//! `run` returns the component (ratings, reveal) and why it ended. The
//! local terminal (`mytype play`, `mytype replay`) is one such session:
//! [`local`] sets the terminal up, installs what only a local process needs
//! (raw mode, the panic hook, signals forwarded through the [`Stopper`]) and
//! runs the same loop.

pub mod backend;
mod effects;
pub mod local;

pub use effects::{perform, perform_in};

use super::action::{Action, Effect};
use super::app::{App, Overlay};
use super::images::{self, Encoder, FaceImage, ImageKey, Images, Loader};
use super::input::{spawn_input, InputEvent, InputSource};
use super::keys;
use super::screens::replay::Replay;
use super::terminal::full_screen;
use super::terminal::graphics::{self, GraphicsChoice};
use super::terminal::probe::ProbeSlot;
use super::terminal::term_env::ColorDepth;
use super::theme::Theme;
use crate::profile::ProfileStore;
use crate::signals::Stop;
use backend::SessionBackend;
use crossterm::event::Event;
use ratatui::layout::{Rect, Size};
use ratatui::{Frame, Terminal};
use ratatui_image::picker::{Picker, ProtocolType};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a signal that comes while `play` or `replay` starts up waits
/// for the game to take it (then it ends the process as usual: a start-up
/// stuck on something is still killable).
pub const START_HOLD: Duration = Duration::from_secs(5);

/// How often an idle session checks that its output is still there.
pub(crate) const HANGUP_CHECK: Duration = Duration::from_millis(500);

/// How long, after the input failed, to wait for the stop that explains it
/// (a dropped SSH connection: the pty fails before SIGHUP is forwarded).
const SIGNAL_GRACE: Duration = Duration::from_millis(300);

/// A screen the runtime can run: state that turns actions into effects and
/// draws itself. Rendering never changes the state.
pub trait Component {
    /// Draws the whole screen.
    fn render(&self, frame: &mut Frame);
    /// The images the screen needs at `area` (most urgent first).
    fn wanted_images(&self, area: Rect) -> Vec<ImageKey>;
    fn images_mut(&mut self) -> &mut Images;
    /// The action for an input event (`area`: the whole screen).
    fn action_for(&self, event: &Event, area: Rect) -> Option<Action>;
    /// Applies an action; returns the work for the runtime.
    fn apply(&mut self, action: Action) -> Vec<Effect>;
    /// How long until the next [`Action::Tick`] (`None`: keys only).
    fn tick_due(&self) -> Option<Duration>;
    fn quitting(&self) -> bool;
    /// Whether an overlay (help, a question) is open.
    fn overlay_open(&self) -> bool;
    /// Performs an effect; `store` is where profiles are saved (`None`:
    /// nowhere; nothing is written).
    fn perform(&mut self, effect: Effect, store: Option<&ProfileStore>);
    /// The colours (for faces encoded after a probe).
    fn theme(&self) -> Theme;
    /// Ratings saved so far, for a component that saves any.
    fn saved_ratings(&self) -> Option<usize> {
        None
    }
    /// Faces fell back to 256 colours: `hint` says how to get truecolor
    /// (shown once, by a component with a status line).
    fn note_truecolor_hint(&mut self, _hint: &str) {}
    /// One step of the work to do once a frame is out, off the key path
    /// (the runtime checks for input between two steps); whether the
    /// images wanted changed.
    fn after_frame_step(&mut self) -> bool {
        false
    }
    /// Whether [`Component::after_frame_step`] has work left.
    fn after_frame_pending(&self) -> bool {
        false
    }
}

impl Component for App {
    fn note_truecolor_hint(&mut self, hint: &str) {
        App::note_truecolor_hint(self, hint)
    }
    fn after_frame_step(&mut self) -> bool {
        App::after_frame_step(self)
    }
    fn after_frame_pending(&self) -> bool {
        App::after_frame_pending(self)
    }
    fn render(&self, frame: &mut Frame) {
        super::render(self, frame)
    }
    fn wanted_images(&self, area: Rect) -> Vec<ImageKey> {
        super::wanted_images(self, area)
    }
    fn images_mut(&mut self) -> &mut Images {
        &mut self.images
    }
    fn action_for(&self, event: &Event, area: Rect) -> Option<Action> {
        keys::action_for_event(self, event, area)
    }
    fn apply(&mut self, action: Action) -> Vec<Effect> {
        App::apply(self, action)
    }
    fn tick_due(&self) -> Option<Duration> {
        self.next_tick()
    }
    fn quitting(&self) -> bool {
        self.quit
    }
    fn overlay_open(&self) -> bool {
        self.overlay != Overlay::None
    }
    fn theme(&self) -> Theme {
        self.theme
    }
    fn saved_ratings(&self) -> Option<usize> {
        Some(self.rated())
    }
    fn perform(&mut self, effect: Effect, store: Option<&ProfileStore>) {
        effects::perform_in(self, effect, store)
    }
}

impl Component for Replay {
    fn render(&self, frame: &mut Frame) {
        super::screens::replay::render(self, frame)
    }
    fn wanted_images(&self, area: Rect) -> Vec<ImageKey> {
        super::screens::replay::wanted_images(self, area)
    }
    fn images_mut(&mut self) -> &mut Images {
        &mut self.images
    }
    fn action_for(&self, event: &Event, area: Rect) -> Option<Action> {
        super::screens::replay::action_for_event_in(self, event, area)
    }
    fn apply(&mut self, action: Action) -> Vec<Effect> {
        Replay::apply(self, action)
    }
    fn tick_due(&self) -> Option<Duration> {
        self.next_tick(self.delay)
    }
    fn quitting(&self) -> bool {
        self.quit
    }
    fn overlay_open(&self) -> bool {
        self.help
    }
    fn theme(&self) -> Theme {
        self.theme
    }
    /// The replay only reads: there is never anything to save.
    fn perform(&mut self, _effect: Effect, _store: Option<&ProfileStore>) {}
}

/// How faces are drawn.
#[derive(Debug, Clone)]
pub enum Pictures {
    /// Ask the local terminal (bounded probe through the session's own
    /// reader), unless `--graphics` forces a protocol; the colour depth
    /// from the environment.
    Probe(GraphicsChoice),
    /// Given by the caller: e.g. half-blocks at the depth the client's
    /// `TERM`/`COLORTERM` allow.
    Given { picker: Picker, depth: ColorDepth },
}

impl Pictures {
    /// Half-block faces at `depth`, no probe.
    pub fn halfblocks(depth: ColorDepth) -> Pictures {
        Pictures::Given {
            picker: Picker::halfblocks(),
            depth,
        }
    }
}

/// Events the loop waits for.
pub(crate) enum UiEvent {
    Input(Event),
    InputError(String),
    Image(ImageKey, Result<FaceImage, String>),
    Stop(Stop),
}

impl InputEvent for UiEvent {
    fn input(event: Event) -> Self {
        UiEvent::Input(event)
    }
    fn input_error(message: String) -> Self {
        UiEvent::InputError(message)
    }
}

/// Ends a running session from any thread (a signal, a server shutting
/// down): every rating is saved first, then [`run`] returns with the stop.
#[derive(Clone)]
pub struct Stopper(mpsc::Sender<UiEvent>);

impl Stopper {
    /// Asks the session to end; `false` if it has ended already.
    pub fn stop(&self, why: Stop) -> bool {
        self.0.send(UiEvent::Stop(why)).is_ok()
    }
}

/// A check that the session's far end is still there, asked while idle.
pub type Alive = Box<dyn Fn() -> bool + Send>;

/// Where a session's bytes come from and go to (see the module docs).
pub struct Session<R: InputSource, W: Write + Send> {
    input: R,
    output: W,
    size: Size,
    /// `None`: half-blocks in 256 colours (built only when the session
    /// runs: building a picker inside tmux changes the pane's options).
    pictures: Option<Pictures>,
    alternate_screen: bool,
    alive: Option<Alive>,
    tx: mpsc::Sender<UiEvent>,
    rx: mpsc::Receiver<UiEvent>,
}

impl<R: InputSource, W: Write + Send> Session<R, W> {
    /// A session reading `input`, writing `output`, in a window of
    /// `(columns, rows)`; half-blocks in 256 colours until told otherwise.
    pub fn new(input: R, output: W, (columns, rows): (u16, u16)) -> Session<R, W> {
        let (tx, rx) = mpsc::channel();
        Session {
            input,
            output,
            size: Size::new(columns, rows),
            pictures: None,
            alternate_screen: false,
            alive: None,
            tx,
            rx,
        }
    }

    pub fn pictures(mut self, pictures: Pictures) -> Self {
        self.pictures = Some(pictures);
        self
    }

    /// Whether the runtime enters the alternate screen (and mouse
    /// reporting) on the output at start and leaves it at the end. The local
    /// terminal does that itself (its panic hook must be able to leave too).
    pub fn alternate_screen(mut self, on: bool) -> Self {
        self.alternate_screen = on;
        self
    }

    /// A check asked every `HANGUP_CHECK` while idle; `false` ends the
    /// session as a hang-up (a terminal whose reader may never notice).
    pub fn alive(mut self, check: Alive) -> Self {
        self.alive = Some(check);
        self
    }

    /// A handle that ends the session from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }
}

/// How a session ended.
pub struct Ended<C> {
    /// The component as it ended (the ratings, the reveal shown).
    pub state: C,
    /// The stop (a signal, a [`Stopper`]) that ended it, after every rating
    /// was saved; the far end may be gone.
    pub stopped: Option<Stop>,
    /// The image protocol the faces were drawn with.
    pub protocol: ProtocolType,
}

/// A clonable `Write` that keeps what was written (tests, benchmarks, and a
/// session whose output is sent elsewhere in pieces).
#[derive(Clone, Default)]
pub struct SharedOutput(Arc<Mutex<Vec<u8>>>);

impl SharedOutput {
    /// Everything written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Write for SharedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type SessionTerminal<W> = Terminal<SessionBackend<W>>;

/// Runs `component` on `session` until it quits, its input ends, or a
/// [`Stopper`] stops it. Effects are performed against `store` (`None`:
/// nothing is saved). On every way out (quit, stop, error, panic) a last
/// save is tried; a panic goes on after it.
// Long because: set-up, the loop and every way out (quit, stop, error,
// panic) share the reader, loader and output; each exit must save first.
pub fn run<R, W, C>(
    session: Session<R, W>,
    mut component: C,
    store: Option<&ProfileStore>,
) -> anyhow::Result<Ended<C>>
where
    R: InputSource,
    W: Write + Send,
    C: Component,
{
    let Session {
        input,
        output,
        size,
        pictures,
        alternate_screen,
        alive,
        tx,
        rx,
    } = session;
    let mut backend = SessionBackend::new(output, size);
    if alternate_screen {
        crossterm::execute!(
            backend,
            crossterm::terminal::EnterAlternateScreen,
            crossterm::event::EnableMouseCapture,
            crossterm::event::EnableBracketedPaste
        )?;
    }
    // The one reader of the input starts before the probe, so a key typed
    // while the terminal answers is kept.
    let stop = Arc::new(AtomicBool::new(false));
    let probe = Arc::new(ProbeSlot::default());
    let reader = spawn_input(input, tx.clone(), &stop, &probe)?;
    let (encoder, fell_back) = encoder_for(pictures, &probe, component.theme());
    // Said once: the protocol asked for is not there, else how to get
    // true colour.
    if let Some(note) = fell_back.as_deref().or(encoder.truecolor_hint()) {
        component.note_truecolor_hint(note);
    }
    let protocol = encoder.protocol_type();
    let mut terminal = match Terminal::new(backend) {
        Ok(terminal) => terminal,
        Err(e) => {
            stop.store(true, Ordering::Relaxed);
            return Err(e.into());
        }
    };
    let loader = full_screen::wipe(&mut terminal)
        .map_err(anyhow::Error::from)
        .and_then(|()| Ok(Loader::spawn(encoder, tx, UiEvent::Image)?));
    let loader = match loader {
        Ok(loader) => loader,
        Err(e) => {
            // Leave the modes entered above (alternate screen, mouse,
            // bracketed paste) as far as the output still takes it.
            stop.store(true, Ordering::Relaxed);
            finish_output(terminal, alternate_screen);
            return Err(e);
        }
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(
            &mut terminal,
            &mut component,
            store,
            &loader,
            &rx,
            protocol,
            alive.as_deref(),
        )
    }));
    let result = match result {
        Ok(result) => result,
        Err(panic) => {
            // Keep every rating, then let the panic go on (exit code 101).
            component.perform(Effect::Save, store);
            stop.store(true, Ordering::Relaxed);
            finish_output(terminal, alternate_screen);
            std::panic::resume_unwind(panic);
        }
    };
    if result.is_err() {
        // Keep every rating, whatever ends the session.
        component.perform(Effect::Save, store);
    }
    let result = end_input(result, &rx, &stop, reader);
    drop(loader);
    finish_output(terminal, alternate_screen);
    Ok(Ended {
        state: component,
        stopped: result?,
        protocol,
    })
}

/// The face encoder for `pictures` (`None`: half-blocks in 256 colours),
/// probing the local terminal through `probe` when asked to; and, when a
/// `--graphics` protocol was asked for but faces fell back to half-blocks,
/// the note that says so.
fn encoder_for(
    pictures: Option<Pictures>,
    probe: &ProbeSlot,
    theme: Theme,
) -> (Encoder, Option<String>) {
    match pictures.unwrap_or_else(|| Pictures::halfblocks(ColorDepth::Palette256)) {
        Pictures::Probe(choice) => {
            let encoder = graphics::encoder(graphics::pick(choice, probe), theme);
            let note = choice
                .fell_back(encoder.protocol_type())
                .map(super::strings::graphics_fell_back);
            (encoder, note)
        }
        Pictures::Given { picker, depth } => (Encoder::with_depth(picker, depth), None),
    }
}

/// Leaves the screen as the session found it, as far as the output still
/// takes it; failures are ignored (the far end may be gone), never printed.
fn finish_output<W: Write>(mut terminal: SessionTerminal<W>, alternate_screen: bool) {
    if terminal.show_cursor().is_err() {
        // ratatui's `Drop` would try again and `eprintln!` the failure, and
        // printing to a hung-up terminal panics: forget it instead.
        std::mem::forget(terminal);
        return;
    }
    if alternate_screen {
        let _ = crossterm::execute!(
            terminal.backend_mut(),
            crossterm::event::DisableMouseCapture,
            crossterm::event::DisableBracketedPaste,
            crossterm::terminal::LeaveAlternateScreen
        );
    }
}

/// A stop already queued, or arriving within [`SIGNAL_GRACE`].
fn pending_stop(rx: &mpsc::Receiver<UiEvent>) -> Option<Stop> {
    let deadline = Instant::now() + SIGNAL_GRACE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(UiEvent::Stop(stop)) => return Some(stop),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

/// The end of the event loop: a failing input is often a hang-up whose
/// SIGHUP is on its way, so an error turns into that stop if it comes
/// within [`SIGNAL_GRACE`]. Then the reader is stopped: joined after a
/// normal end, left behind otherwise (after a hang-up it may sit in a read
/// that never returns; the process or connection ends next).
fn end_input(
    result: anyhow::Result<Option<Stop>>,
    rx: &mpsc::Receiver<UiEvent>,
    stop: &AtomicBool,
    reader: std::thread::JoinHandle<()>,
) -> anyhow::Result<Option<Stop>> {
    let result = match result {
        Err(e) => match pending_stop(rx) {
            Some(signal) => Ok(Some(signal)),
            None => Err(e),
        },
        ok => ok,
    };
    stop.store(true, Ordering::Relaxed);
    if matches!(result, Ok(None)) {
        let _ = reader.join();
    }
    result
}

/// Waits for the next event, the clock (`due`), or a failed liveness check.
fn next_event(
    rx: &mpsc::Receiver<UiEvent>,
    due: Option<Instant>,
    alive: Option<&(dyn Fn() -> bool + Send)>,
) -> anyhow::Result<Option<UiEvent>> {
    loop {
        let wait = due.map_or(HANGUP_CHECK, |at| {
            at.saturating_duration_since(Instant::now())
                .min(HANGUP_CHECK)
        });
        match rx.recv_timeout(wait) {
            Ok(ev) => return Ok(Some(ev)),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                anyhow::bail!("the input thread stopped")
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if due.is_some_and(|at| Instant::now() >= at) {
                    return Ok(None);
                }
                // Idle: with nothing to draw no write fails either, so ask.
                if alive.is_some_and(|alive| !alive()) {
                    anyhow::bail!("cannot read the terminal: the terminal hung up");
                }
            }
        }
    }
}

/// The loop: draw, wait, handle everything queued, perform effects at once
/// (a rating is saved before the frame showing it), draw again.
// Long because: one loop whose clock, effects and exits share the same
// state; split, each part would need all of it.
fn event_loop<W: Write, C: Component>(
    terminal: &mut SessionTerminal<W>,
    component: &mut C,
    store: Option<&ProfileStore>,
    loader: &Loader,
    rx: &mpsc::Receiver<UiEvent>,
    protocol: ProtocolType,
    alive: Option<&(dyn Fn() -> bool + Send)>,
) -> anyhow::Result<Option<Stop>> {
    // While something moves by itself (a build-up, a playing replay), its
    // next tick is due at `due`; events in between leave it where it is.
    let mut due: Option<Instant> = None;
    loop {
        let size = terminal.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        let wanted = component.wanted_images(area);
        for key in component.images_mut().want(&wanted) {
            loader.request(key);
        }
        terminal.draw(|frame| component.render(frame))?;
        if component.quitting() {
            return Ok(None);
        }
        due = component
            .tick_due()
            .map(|wait| due.unwrap_or_else(|| Instant::now() + wait));
        // Work that waited for the frame (faces to decode ahead), a step
        // at a time while nothing waits: an event that comes meanwhile, or
        // a tick falling due, is handled first (then drawn, then the work
        // goes on).
        let mut waiting = None;
        while component.after_frame_pending() {
            waiting = rx.try_recv().ok();
            if waiting.is_some() || due.is_some_and(|at| Instant::now() >= at) {
                break;
            }
            if component.after_frame_step() {
                let wanted = component.wanted_images(area);
                for key in component.images_mut().want(&wanted) {
                    loader.request(key);
                }
            }
        }
        let first = match waiting {
            Some(event) => Some(event),
            None => next_event(rx, due, alive).inspect_err(|_| {
                component.perform(Effect::Save, store);
            })?,
        };
        let Some(first) = first else {
            due = None;
            component.apply(Action::Tick);
            continue;
        };
        let overlay = component.overlay_open();
        // Handle everything already queued before drawing again.
        for ev in std::iter::once(first).chain(rx.try_iter()) {
            match ev {
                UiEvent::Input(event) => {
                    // The size comes from the input side; the next draw
                    // adapts (ratatui clears and repaints on a new size).
                    if let Event::Resize(columns, rows) = event {
                        let size = Size::new(columns.max(1), rows.max(1));
                        terminal.backend_mut().set_size(size);
                    }
                    let size = terminal.size()?;
                    let area = Rect::new(0, 0, size.width, size.height);
                    if let Some(action) = component.action_for(&event, area) {
                        for effect in component.apply(action) {
                            match effect {
                                Effect::RestartClock => due = None,
                                // Saved now: before the frame that shows it.
                                effect => component.perform(effect, store),
                            }
                        }
                    }
                }
                UiEvent::Image(key, result) => component.images_mut().finish(key, result),
                UiEvent::Stop(stop) => {
                    // Every rating is saved already unless a save failed:
                    // one last try either way, then leave without drawing.
                    component.perform(Effect::Save, store);
                    return Ok(Some(stop));
                }
                UiEvent::InputError(e) => {
                    component.perform(Effect::Save, store);
                    anyhow::bail!("cannot read the terminal: {e}");
                }
            }
            if component.quitting() {
                break;
            }
            #[cfg(debug_assertions)]
            test_panic(component);
        }
        if overlay && !component.overlay_open() && images::popup_leaves_marks(protocol) {
            terminal.clear()?;
        }
    }
}

/// Debug builds only: `MYTYPE_TEST_PANIC_AFTER=N` panics in the event loop
/// once N faces are rated, so the end-to-end tests can check what a crash
/// leaves behind (saved ratings, a restored terminal, exit code 101).
#[cfg(debug_assertions)]
fn test_panic<C: Component>(component: &C) {
    let after = std::env::var("MYTYPE_TEST_PANIC_AFTER")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    if let (Some(n), Some(rated)) = (after, component.saved_ratings()) {
        if rated >= n {
            panic!("MYTYPE_TEST_PANIC_AFTER={n}: a test asked for this panic");
        }
    }
}
