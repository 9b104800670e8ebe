//! Ending a session cleanly on SIGHUP (the SSH connection dropped), SIGTERM
//! and SIGINT.
//!
//! While a [`Watch`] is alive those signals no longer kill the process: they
//! are forwarded to a channel, so the session can save, restore the terminal
//! and exit with `128 + signal` (129, 143, 130), as a shell would report.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::io::BufRead;
use std::sync::{mpsc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The signals a session handles.
pub const HANDLED: [i32; 3] = [SIGHUP, SIGTERM, SIGINT];

/// A signal that asked the session to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop(pub i32);

impl Stop {
    /// `128 + signal`, the code a shell shows for a process the signal killed.
    pub fn exit_code(self) -> u8 {
        u8::try_from(128 + self.0.clamp(0, 127)).unwrap_or(u8::MAX)
    }

    pub fn name(self) -> &'static str {
        match self.0 {
            SIGHUP => "SIGHUP",
            SIGTERM => "SIGTERM",
            SIGINT => "SIGINT",
            _ => "a signal",
        }
    }

    /// What the signal means, for people: "the terminal hung up".
    pub fn meaning(self) -> &'static str {
        match self.0 {
            SIGHUP => "the terminal hung up",
            SIGTERM => "asked to stop",
            SIGINT => "interrupted",
            _ => "a signal",
        }
    }
}

/// Why watching signals could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch for signals: {0}")]
pub struct WatchError(#[from] std::io::Error);

/// A forwarder: `false` when its session is gone.
type Forward = Box<dyn Fn(Stop) -> bool + Send>;

/// Where the handled signals go: the one process-wide handler thread
/// ([`install`]) hands each to the newest live [`Watch`].
#[derive(Default)]
struct Dispatch {
    installed: bool,
    forwards: Vec<(u64, Forward)>,
    next_id: u64,
    /// Until then, a signal with no watch yet waits for one (a session
    /// starting up), instead of ending the process.
    hold_until: Option<Instant>,
    queued: Vec<Stop>,
    /// A watch existed once: a late signal is ignored rather than fatal
    /// (the session saved and is on its way out).
    watched: bool,
}

static DISPATCH: Mutex<Dispatch> = Mutex::new(Dispatch {
    installed: false,
    forwards: Vec::new(),
    next_id: 0,
    hold_until: None,
    queued: Vec::new(),
    watched: false,
});

fn dispatch() -> std::sync::MutexGuard<'static, Dispatch> {
    DISPATCH.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the handlers for [`HANDLED`] signals, once: the first thing
/// `main` does, so no moment of start-up has a signal that could come
/// before them. Until a [`Watch`] takes them (or [`hold`] asks to wait), a
/// signal ends the process as it would have without handlers.
pub fn install() -> Result<(), WatchError> {
    let mut d = dispatch();
    if d.installed {
        return Ok(());
    }
    let mut signals = Signals::new(HANDLED)?;
    std::thread::Builder::new()
        .name("mytype-signals".into())
        .spawn(move || {
            for n in signals.forever() {
                deliver(Stop(n));
            }
        })?;
    d.installed = true;
    Ok(())
}

/// A session is starting: a signal that comes before its [`Watch`] waits
/// for it (at most `limit`, then it ends the process as usual), so the
/// session ends cleanly on it (saved, exit code `128 + signal`).
pub fn hold(limit: Duration) {
    dispatch().hold_until = Some(Instant::now() + limit);
}

fn deliver(stop: Stop) {
    let mut d = dispatch();
    while let Some((_, forward)) = d.forwards.last() {
        if forward(stop) {
            return;
        }
        d.forwards.pop();
    }
    if let Some(until) = d.hold_until.filter(|&t| t > Instant::now()) {
        d.queued.push(stop);
        let wait = until.saturating_duration_since(Instant::now());
        let _ = std::thread::Builder::new()
            .name("mytype-signal-hold".into())
            .spawn(move || {
                std::thread::sleep(wait);
                let first = dispatch().queued.first().copied();
                if let Some(stop) = first {
                    die(stop);
                }
            });
        return;
    }
    if !d.watched {
        drop(d);
        die(stop);
    }
}

/// What the signal would have done without our handler: end the process.
fn die(stop: Stop) {
    let _ = signal_hook::low_level::emulate_default_handler(stop.0);
    std::process::exit(i32::from(stop.exit_code()));
}

/// Forwards [`HANDLED`] signals to a channel until dropped.
pub struct Watch {
    id: u64,
}

impl Watch {
    /// Starts forwarding: each signal becomes `wrap(Stop(n))` on `tx`.
    pub fn start<T, F>(tx: mpsc::Sender<T>, wrap: F) -> Result<Watch, WatchError>
    where
        T: Send + 'static,
        F: Fn(Stop) -> T + Send + 'static,
    {
        Watch::start_with(move |stop| tx.send(wrap(stop)).is_ok())
    }

    /// Starts forwarding each signal to `forward` (which says `false` once
    /// its session is gone). Signals held since [`hold`] come first.
    pub fn start_with<F>(forward: F) -> Result<Watch, WatchError>
    where
        F: Fn(Stop) -> bool + Send + 'static,
    {
        install()?;
        let mut d = dispatch();
        for stop in std::mem::take(&mut d.queued) {
            forward(stop);
        }
        d.hold_until = None;
        d.watched = true;
        let id = d.next_id;
        d.next_id += 1;
        d.forwards.push((id, Box::new(forward)));
        Ok(Watch { id })
    }
}

impl Drop for Watch {
    /// Stops forwarding. A later signal is ignored rather than fatal: the
    /// process is about to exit anyway.
    fn drop(&mut self) {
        dispatch().forwards.retain(|(id, _)| *id != self.id);
    }
}

/// What [`StdinLines`] yields.
#[derive(Debug)]
pub enum LineEvent {
    Line(std::io::Result<String>),
    /// A handled signal arrived; the iterator ends after this.
    Signal(Stop),
}

enum Msg {
    Line(std::io::Result<String>),
    End,
    Signal(Stop),
}

/// Lines of stdin, read on a thread, interleaved with the handled signals:
/// a blocking read cannot hold a signal back.
pub struct StdinLines {
    rx: mpsc::Receiver<Msg>,
    _watch: Watch,
    done: bool,
}

impl StdinLines {
    pub fn start() -> Result<StdinLines, WatchError> {
        let (tx, rx) = mpsc::channel();
        let watch = Watch::start(tx.clone(), Msg::Signal)?;
        std::thread::Builder::new()
            .name("mytype-stdin".into())
            .spawn(move || {
                for line in std::io::stdin().lock().lines() {
                    let failed = line.is_err();
                    if tx.send(Msg::Line(line)).is_err() || failed {
                        return;
                    }
                }
                let _ = tx.send(Msg::End);
            })?;
        Ok(StdinLines {
            rx,
            _watch: watch,
            done: false,
        })
    }
}

impl Iterator for StdinLines {
    type Item = LineEvent;

    fn next(&mut self) -> Option<LineEvent> {
        if self.done {
            return None;
        }
        match self.rx.recv() {
            Ok(Msg::Line(line)) => Some(LineEvent::Line(line)),
            Ok(Msg::Signal(stop)) => {
                self.done = true;
                Some(LineEvent::Signal(stop))
            }
            Ok(Msg::End) | Err(_) => {
                self.done = true;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_shell() {
        assert_eq!(Stop(SIGHUP).exit_code(), 129);
        assert_eq!(Stop(SIGINT).exit_code(), 130);
        assert_eq!(Stop(SIGTERM).exit_code(), 143);
        assert_eq!(Stop(SIGHUP).name(), "SIGHUP");
    }
}
