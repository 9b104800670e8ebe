//! The host's side: the start banner, then the live board in the terminal
//! (or, when stdout is not a terminal, one line per event), until the host
//! quits or a signal ends the party.

use super::screen::{self, BoardInfo};
use super::PartyBoard;
use crate::core::sanitize;
use crate::core::words::count;
use crate::pack::Pack;
use crate::serve::{ServeOptions, Started};
use crate::signals::{Stop, Watch};
use crate::ui::input::{spawn_input, InputEvent, TerminalInput};
use crate::ui::terminal::probe::ProbeSlot;
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
    let banner = start_banner(
        started,
        options.pack.name(),
        options.max_players,
        options.open,
    );
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes());
    let _ = out.flush();
}

/// The start banner: the address, the pack (its name shown inert: it is the
/// pack maker's text), the limit, the host key, the join commands.
fn start_banner(started: &Started, pack: &str, max_players: usize, open: bool) -> String {
    let mut text = format!(
        "mytype serve: listening on {} (pack {}, up to {}{})\n",
        started.address,
        sanitize::one_line(pack),
        count(max_players, "player", "players"),
        if open { ", keyless guests welcome" } else { "" }
    );
    text.push_str(&format!(
        "host key {} ({} {})\n",
        started.fingerprint,
        if started.key_created {
            "created in"
        } else {
            "from"
        },
        started.host_key.display()
    ));
    text.push_str("guests join with:\n");
    for cmd in &started.join {
        text.push_str(&format!("  {cmd}\n"));
    }
    text
}

/// What the host's first `q` says: how many guests the second one
/// disconnects.
fn quit_prompt(connected: usize) -> String {
    match connected {
        0 => "Press q again to end the party.".to_string(),
        n => format!(
            "Press q again to end the party: {} will be disconnected.",
            count(n, "player", "players")
        ),
    }
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
            // A closed stdout must not end the party. Names in it may come
            // from a pack or a guest: inert.
            let _ = writeln!(out, "{}", sanitize::one_line(&event.to_string()));
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
    let mut terminal = take_terminal().inspect_err(|_| restore())?;
    let theme = Theme::from_env();
    let mut info = BoardInfo {
        join: started.join.clone(),
        fingerprint: started.fingerprint.clone(),
        max_players: started.max_players,
        status: None,
    };
    let keys = match HostKeys::start() {
        Ok(keys) => keys,
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
            let key = match keys.next(Duration::from_millis(250)) {
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
                    info.status = Some(quit_prompt(board.lock().connected()));
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
    drop(keys);
    restore();
    result
}

type HostTerminal = ratatui::Terminal<ratatui::backend::CrosstermBackend<std::io::Stdout>>;

/// Raw mode and the alternate screen for the board ([`restore`] undoes it).
/// Not ratatui::init: its panic hook would restore the terminal when a
/// guest's game panics on its own thread; ours ignores those.
fn take_terminal() -> std::io::Result<HostTerminal> {
    crossterm::terminal::enable_raw_mode()?;
    LIVE.store(true, Ordering::SeqCst);
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::cursor::Hide
    )?;
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))
}

/// The host's keys, read on their own thread as the game reads its own
/// (bytes from the terminal, decoded): a terminal that goes away (a closed
/// tmux pane, a dropped SSH session) is reported, where crossterm's reader
/// spun on it. The reader stops when this is dropped.
struct HostKeys {
    events: mpsc::Receiver<HostEvent>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

enum HostKey {
    Nothing,
    Pressed(crossterm::event::KeyEvent),
    HungUp,
}

impl HostKeys {
    fn start() -> std::io::Result<HostKeys> {
        let (tx, events) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let probe = Arc::new(ProbeSlot::default());
        let reader = spawn_input(TerminalInput::open()?, tx, &stop, &probe)?;
        Ok(HostKeys {
            events,
            stop,
            reader: Some(reader),
        })
    }

    /// The host's next key press, waiting up to `timeout`.
    fn next(&self, timeout: Duration) -> HostKey {
        use crossterm::event::{Event, KeyEventKind};
        use mpsc::RecvTimeoutError;
        match self.events.recv_timeout(timeout) {
            Ok(HostEvent::Input(Event::Key(key))) if key.kind == KeyEventKind::Press => {
                HostKey::Pressed(key)
            }
            Ok(HostEvent::Input(_)) | Err(RecvTimeoutError::Timeout) => HostKey::Nothing,
            Ok(HostEvent::HungUp) | Err(RecvTimeoutError::Disconnected) => HostKey::HungUp,
        }
    }
}

impl Drop for HostKeys {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn started() -> Started {
        Started {
            address: "0.0.0.0:2222".parse().unwrap(),
            fingerprint: "SHA256:abc".into(),
            host_key: PathBuf::from("/home/host/.config/mytype/host_key"),
            key_created: false,
            join: vec!["ssh -p 2222 NAME@192.168.1.20".into()],
            max_players: 1,
        }
    }

    #[test]
    fn the_banner_counts_players_and_shows_the_pack_name_inert() {
        let one = start_banner(&started(), "party\u{1b}[2J", 1, false);
        assert!(
            one.starts_with(
                "mytype serve: listening on 0.0.0.0:2222 (pack party␛[2J, up to 1 player)\n"
            ),
            "{one}"
        );
        assert!(sanitize::is_inert(one.as_bytes(), true), "{one}");
        let many = start_banner(&started(), "default", 32, true);
        assert!(
            many.contains("(pack default, up to 32 players, keyless guests welcome)"),
            "{many}"
        );
        assert!(many.ends_with("guests join with:\n  ssh -p 2222 NAME@192.168.1.20\n"));
    }

    #[test]
    fn the_first_q_counts_who_would_be_disconnected() {
        assert_eq!(quit_prompt(0), "Press q again to end the party.");
        assert_eq!(
            quit_prompt(1),
            "Press q again to end the party: 1 player will be disconnected."
        );
        assert_eq!(
            quit_prompt(3),
            "Press q again to end the party: 3 players will be disconnected."
        );
    }
}
