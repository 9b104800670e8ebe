//! Ending a session cleanly on SIGHUP (the SSH connection dropped), SIGTERM
//! and SIGINT.
//!
//! While a [`Watch`] is alive those signals no longer kill the process: they
//! are forwarded to a channel, so the session can save, restore the terminal
//! and exit with `128 + signal` (129, 143, 130), as a shell would report.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};
use std::io::BufRead;
use std::sync::mpsc;
use std::thread::JoinHandle;

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
}

/// Why watching signals could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch for signals: {0}")]
pub struct WatchError(#[from] std::io::Error);

/// Forwards [`HANDLED`] signals to a channel until dropped.
pub struct Watch {
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    /// Starts forwarding: each signal becomes `wrap(Stop(n))` on `tx`.
    pub fn start<T, F>(tx: mpsc::Sender<T>, wrap: F) -> Result<Watch, WatchError>
    where
        T: Send + 'static,
        F: Fn(Stop) -> T + Send + 'static,
    {
        let mut signals = Signals::new(HANDLED)?;
        let handle = signals.handle();
        let thread = std::thread::Builder::new()
            .name("mytype-signals".into())
            .spawn(move || {
                for n in signals.forever() {
                    if tx.send(wrap(Stop(n))).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Watch {
            handle,
            thread: Some(thread),
        })
    }
}

impl Drop for Watch {
    /// Stops forwarding. The handlers stay installed (signal-hook cannot
    /// remove them), so a late signal is ignored rather than fatal: the
    /// process is about to exit anyway.
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
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
