//! The host's side: the start banner, then the live board in the terminal
//! (or, when stdout is not a terminal, one line per event), until the host
//! quits or a signal ends the party.

use super::screen::{self, BoardInfo};
use super::PartyBoard;
use crate::pack::Pack;
use crate::serve::{ServeOptions, Started};
use crate::signals::{Stop, Watch};
use crate::ui::input::{spawn_input, InputEvent, TerminalInput};
use crate::ui::probe::ProbeSlot;
use crate::ui::theme::Theme;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Where the board's PNG goes, and the pack its faces come from.
pub struct PngTarget {
    pub path: Option<PathBuf>,
    pub pack: Arc<Pack>,
}

/// Prints where the party is and how to join (stdout; errors ignored: the
/// server runs on even if nobody reads it).
pub fn print_start(started: &Started, options: &ServeOptions) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "mytype serve: listening on {} (pack {}, up to {} players{})",
        started.address,
        options.pack.name(),
        options.max_players,
        if options.open {
            ", keyless guests welcome"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "host key {} ({} {})",
        started.fingerprint,
        if started.key_created {
            "created in"
        } else {
            "from"
        },
        started.host_key.display()
    );
    let _ = writeln!(out, "guests join with:");
    for cmd in &started.join {
        let _ = writeln!(out, "  {cmd}");
    }
    let _ = out.flush();
}

/// Shows the board until the host quits; returns when the party should end.
pub fn run(board: &PartyBoard, started: &Started, png: &PngTarget) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel();
    let _signals = Watch::start(tx, |s| s).map_err(std::io::Error::other)?;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        live(board, started, png, &rx)
    } else {
        lines(board, &rx);
        Ok(())
    }
}

/// One line per event, until a signal.
fn lines(board: &PartyBoard, signals: &mpsc::Receiver<Stop>) {
    let mut seen = 0;
    loop {
        if let Ok(stop) = signals.try_recv() {
            let _ = writeln!(
                std::io::stdout(),
                "mytype serve: {}: ending the party",
                stop.name()
            );
            return;
        }
        let version = board.wait_change(seen, Duration::from_millis(200));
        if version == seen {
            continue;
        }
        let events = board.lock().events_since(seen);
        seen = version;
        let mut out = std::io::stdout().lock();
        for (_, event) in events {
            // A closed stdout must not end the party.
            let _ = writeln!(out, "{event}");
        }
        let _ = out.flush();
    }
}

/// The live board on the host's terminal.
fn live(
    board: &PartyBoard,
    started: &Started,
    png: &PngTarget,
    signals: &mpsc::Receiver<Stop>,
) -> std::io::Result<()> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
    use mpsc::RecvTimeoutError;
    // Not ratatui::init: its panic hook would restore the terminal when a
    // guest's game panics on its own thread; ours ignores those.
    crossterm::terminal::enable_raw_mode()?;
    LIVE.store(true, Ordering::SeqCst);
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::cursor::Hide
    )?;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
    let theme = Theme::from_env();
    let mut info = BoardInfo {
        join: started.join.clone(),
        fingerprint: started.fingerprint.clone(),
        max_players: started.max_players,
        status: None,
    };
    // The host's keys are read as the game reads its own (bytes from the
    // terminal, decoded): a terminal that goes away (a closed tmux pane, a
    // dropped SSH session) is reported, where crossterm's reader spun on it.
    let (tx, keys) = mpsc::channel();
    let stop_reading = Arc::new(AtomicBool::new(false));
    let probe = Arc::new(ProbeSlot::default());
    let reader =
        TerminalInput::open().and_then(|input| spawn_input(input, tx, &stop_reading, &probe));
    let reader = match reader {
        Ok(reader) => reader,
        Err(e) => {
            restore();
            return Err(e);
        }
    };
    let mut quit_armed: Option<Instant> = None;
    let mut status_until: Option<Instant> = None;
    let result = (|| -> std::io::Result<()> {
        loop {
            if signals.try_recv().is_ok() {
                return Ok(());
            }
            if status_until.is_some_and(|t| Instant::now() > t) {
                info.status = None;
                status_until = None;
                quit_armed = None;
            }
            {
                let state = board.lock();
                terminal.draw(|f| screen::render(f, &state, &info, theme))?;
            }
            let key = match keys.recv_timeout(Duration::from_millis(250)) {
                Ok(HostEvent::Input(Event::Key(key))) if key.kind == KeyEventKind::Press => key,
                Ok(HostEvent::Input(_)) | Err(RecvTimeoutError::Timeout) => continue,
                // As on SIGHUP: the party ends, guests get the goodbye.
                Ok(HostEvent::HungUp) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
            };
            let ctrl_c =
                key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Char('q') | KeyCode::Esc if quit_armed.is_some() => return Ok(()),
                _ if ctrl_c => return Ok(()),
                KeyCode::Char('q') | KeyCode::Esc => {
                    quit_armed = Some(Instant::now());
                    info.status = Some(format!(
                        "Press q again to end the party ({} connected will be disconnected).",
                        board.lock().connected()
                    ));
                    status_until = Some(Instant::now() + Duration::from_secs(4));
                }
                KeyCode::Char('s') => {
                    let path = png.path.clone().unwrap_or_else(default_png_path);
                    info.status = Some(match super::png::save(&board.lock(), &png.pack, &path) {
                        Ok(()) => format!("Saved the board to {}", path.display()),
                        Err(e) => format!("Cannot save the board: {e}"),
                    });
                    status_until = Some(Instant::now() + Duration::from_secs(6));
                }
                _ => {}
            }
        }
    })();
    restore();
    stop_reading.store(true, Ordering::SeqCst);
    let _ = reader.join();
    result
}

/// What the host's terminal reader sends the board.
enum HostEvent {
    Input(crossterm::event::Event),
    /// The terminal went away.
    HungUp,
}

impl InputEvent for HostEvent {
    fn input(event: crossterm::event::Event) -> Self {
        HostEvent::Input(event)
    }
    fn input_error(_why: String) -> Self {
        HostEvent::HungUp
    }
}

/// Whether the live board has the terminal.
static LIVE: AtomicBool = AtomicBool::new(false);

/// Gives the host's terminal back (also from the panic hook).
fn restore() {
    if LIVE.swap(false, Ordering::SeqCst) {
        let _ = crossterm::terminal::disable_raw_mode();
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::LeaveAlternateScreen,
            crossterm::cursor::Show
        );
    }
}

/// A panic in a guest's game (thread `guest-NAME`) prints nothing: the
/// board logs it and the session ends. Any other panic gives the terminal
/// back first.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let guest = std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("guest-"));
        if !guest {
            restore();
            previous(info);
        }
    }));
}

/// `mytype-party-YYYY-MM-DDTHH-MM-SS.png` in the current folder.
fn default_png_path() -> PathBuf {
    let stamp = crate::profile::now_rfc3339()
        .trim_end_matches('Z')
        .replace(':', "-");
    PathBuf::from(format!("mytype-party-{stamp}.png"))
}
