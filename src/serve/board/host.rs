//! The host's side: the start banner, then the live board in the terminal
//! (or, when stdout is not a terminal, one line per event), until the host
//! quits or a signal ends the party.

use super::screen::{self, BoardInfo};
use super::PartyBoard;
use crate::pack::Pack;
use crate::serve::{ServeOptions, Started};
use crate::signals::{Stop, Watch};
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
    use crossterm::event::{KeyCode, KeyModifiers};
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
            let key = match host_key(Duration::from_millis(250))? {
                HostKey::Pressed(key) => key,
                HostKey::Nothing => continue,
                // As on SIGHUP: the party ends, guests get the goodbye.
                HostKey::HungUp => return Ok(()),
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
    result
}

enum HostInput {
    Idle,
    Ready,
    HungUp,
}

enum HostKey {
    Nothing,
    Pressed(crossterm::event::KeyEvent),
    HungUp,
}

/// The host's next key press, waiting up to `timeout`.
fn host_key(timeout: Duration) -> std::io::Result<HostKey> {
    use crossterm::event::{self, Event, KeyEventKind};
    match host_input(timeout) {
        HostInput::Idle => return Ok(HostKey::Nothing),
        HostInput::HungUp => return Ok(HostKey::HungUp),
        HostInput::Ready => {}
    }
    if !event::poll(Duration::ZERO)? {
        return Ok(HostKey::Nothing);
    }
    Ok(match event::read()? {
        Event::Key(key) if key.kind == KeyEventKind::Press => HostKey::Pressed(key),
        _ => HostKey::Nothing,
    })
}

/// Waits up to `timeout` for the host's keys. Polled here rather than by
/// crossterm, whose reader spins on a terminal that has gone away (a closed
/// tmux pane, a dropped SSH session) instead of reporting it.
fn host_input(timeout: Duration) -> HostInput {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    let stdin = std::io::stdin();
    let timespec = Timespec::try_from(timeout).unwrap_or(Timespec {
        tv_sec: 0,
        tv_nsec: 250_000_000,
    });
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    match poll(&mut fds, Some(&timespec)) {
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return HostInput::Idle,
        Err(_) => return HostInput::HungUp,
    }
    let events = fds[0].revents();
    if events.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
        HostInput::HungUp
    } else if events.contains(PollFlags::IN) {
        HostInput::Ready
    } else {
        HostInput::Idle
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
