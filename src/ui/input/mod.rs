//! The terminal's input, owned as bytes.
//!
//! One reader thread gets raw bytes from the terminal. [`Decoder`] frames
//! escape sequences, takes the terminal's replies out (for the probe,
//! [`super::terminal::probe`]) and hands every other byte to termina's parser, whose
//! key and mouse events become crossterm events for the rest of the game.
//! Window size changes come from the source (SIGWINCH on a local terminal,
//! a window-change request over SSH). Nothing else reads the input, so no
//! key typed while the probe runs, or after it, is lost. The reader works on
//! any [`InputSource`]: a local terminal ([`TerminalInput`]) or bytes fed
//! through a channel ([`ChannelInput`]: an SSH channel).
//!
//! In this folder: the framer ([`Decoder`], `decoder.rs`), termina's events
//! as crossterm's (`to_crossterm.rs`), the two sources (`terminal_input.rs`,
//! `channel_input.rs`); the reader thread is here.

mod channel_input;
mod decoder;
mod terminal_input;
mod to_crossterm;

pub use channel_input::{ChannelInput, Feed};
pub use decoder::{
    Decoded, Decoder, Wait, ESC_WAIT, PASTE_END, PASTE_START, PASTE_WAIT, REPLY_WAIT,
};
pub use terminal_input::TerminalInput;
pub use to_crossterm::to_crossterm;

use super::terminal::probe::ProbeSlot;
use crossterm::event as ct;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the input thread reports to a session (the game or a replay).
pub(crate) trait InputEvent: Send + 'static {
    fn input(event: ct::Event) -> Self;
    fn input_error(message: String) -> Self;
}

/// How often the reader checks that it should stop.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// What an [`InputSource`] delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// This many bytes were put at the start of the buffer.
    Bytes(usize),
    /// The window is now this many columns and rows.
    Resize { cols: u16, rows: u16 },
    /// Nothing came within the timeout.
    Idle,
    /// The input is gone for good (a hang-up, a closed channel): why.
    Closed(String),
}

/// Where a session's input bytes come from: a local terminal
/// ([`TerminalInput`]), or anything that can hand over bytes and window
/// sizes, such as an SSH channel ([`ChannelInput`]). The reader thread owns
/// it and calls [`InputSource::next`] until the session ends.
pub trait InputSource: Send + 'static {
    /// Waits at most `timeout` for input; bytes are written to `buf`.
    fn next(&mut self, buf: &mut [u8], timeout: Duration) -> Incoming;
}

/// Starts the thread that reads `source` until `stop` is set (checked
/// every 50 ms, so the thread is gone before anything else reads it):
/// key and mouse events and window size changes go to `tx`, replies to
/// `probe`.
pub(crate) fn spawn_input<E: InputEvent, S: InputSource>(
    mut source: S,
    tx: mpsc::Sender<E>,
    stop: &Arc<AtomicBool>,
    probe: &Arc<ProbeSlot>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let stop = Arc::clone(stop);
    let probe = Arc::clone(probe);
    std::thread::Builder::new()
        .name("mytype-input".into())
        .spawn(move || read_loop(&mut source, &tx, &stop, &probe))
}

/// The reader: waits for input, decodes what comes, flushes an unfinished
/// sequence once its wait is over, and reports a closed input (a hang-up)
/// as an input error.
pub(crate) fn read_loop<E: InputEvent, S: InputSource>(
    source: &mut S,
    tx: &mpsc::Sender<E>,
    stop: &AtomicBool,
    probe: &ProbeSlot,
) {
    read_loop_timed(source, tx, stop, probe, &Instant::now);
}

/// [`read_loop`] on the clock `now` (a test's own clock, so waits are
/// tested without sleeping).
pub(crate) fn read_loop_timed<E: InputEvent, S: InputSource>(
    source: &mut S,
    tx: &mpsc::Sender<E>,
    stop: &AtomicBool,
    probe: &ProbeSlot,
    now: &dyn Fn() -> Instant,
) {
    let mut decoder = Decoder::default();
    let mut buf = [0u8; 4096];
    let mut out = Vec::new();
    // When the unfinished sequence last got a byte.
    let mut held_since: Option<Instant> = None;
    while !stop.load(Ordering::Relaxed) {
        let mut timeout = STOP_CHECK;
        if let (Some(wait), Some(since)) = (decoder.waiting(), held_since) {
            let wait = match wait {
                Wait::Short if !probe.listening() => ESC_WAIT,
                Wait::Paste => PASTE_WAIT,
                _ => REPLY_WAIT,
            };
            let left = wait.saturating_sub(now().saturating_duration_since(since));
            if left.is_zero() {
                decoder.flush(&mut out);
                held_since = None;
                if !dispatch(&mut out, tx, probe) {
                    return;
                }
                continue;
            }
            timeout = timeout.min(left);
        }
        match source.next(&mut buf, timeout) {
            Incoming::Bytes(n) => {
                decoder.feed(&buf[..n], &mut out);
                held_since = decoder.waiting().map(|_| now());
            }
            Incoming::Resize { cols, rows } => {
                out.push(Decoded::Input(ct::Event::Resize(cols, rows)))
            }
            Incoming::Idle => {}
            Incoming::Closed(why) => {
                let _ = tx.send(E::input_error(why));
                return;
            }
        }
        if !dispatch(&mut out, tx, probe) {
            return;
        }
    }
}

/// Sends the events on and hands the replies to the probe; `false` when the
/// session is gone.
fn dispatch<E: InputEvent>(
    out: &mut Vec<Decoded>,
    tx: &mpsc::Sender<E>,
    probe: &ProbeSlot,
) -> bool {
    for decoded in out.drain(..) {
        match decoded {
            Decoded::Input(event) => {
                if tx.send(E::input(event)).is_err() {
                    return false;
                }
            }
            Decoded::Reply(reply) => probe.offer(&reply),
        }
    }
    true
}

#[cfg(test)]
mod tests;
