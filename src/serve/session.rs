//! The seam between the SSH server and a guest's game.
//!
//! The server turns each guest's connection into a [`GuestSession`] and runs
//! a [`SessionFn`] on it, on a thread of its own: the game reads keys and
//! resizes from [`GuestSession::input`], writes its frames (escape codes) to
//! [`GuestSession::output`], and reports progress and the reveal to the
//! party board through [`GuestSession::party`]. A panic in the game is caught
//! and ends that guest's session only.
//!
//! The game saves nothing through this seam; where it keeps the guest's
//! profile is its own business, told by [`GuestSession::identity`].

use super::board::PartyReporter;
use super::limits::{
    INPUT_QUEUE_BYTES, INPUT_QUEUE_EVENTS, OUTPUT_CHUNK, OUTPUT_FRAME_MAX, OUTPUT_QUEUE_CHUNKS,
    OUTPUT_STALL_LIMIT,
};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// What the guest sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestInput {
    /// Bytes typed (raw terminal input: keys, escape sequences, pastes).
    Bytes(Vec<u8>),
    /// The guest's terminal has a new size (already clamped to the limits).
    Resize { cols: u16, rows: u16 },
    /// The guest left, the connection dropped, or the server ends the
    /// session (idle, time limit, the host quit): stop and return.
    Closed,
}

/// How the guest proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// With an SSH key bound to this name: the profile `NAME` is theirs, to
    /// load and save as `mytype play --profile NAME` does.
    Key { fingerprint: String },
    /// Without a key (`--open`): the name is theirs only while connected.
    /// Keep the profile in memory and never write it to the profiles
    /// folder: nothing would stop the next keyless guest typing this name
    /// from reading or overwriting it.
    Keyless,
}

/// A guest's terminal, as its SSH client described it. Every string was
/// validated (length, characters) before it got here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    /// `TERM` from the pty request (e.g. `xterm-256color`).
    pub term: String,
    /// `COLORTERM` if the client sent it (`truecolor`, `24bit`); OpenSSH
    /// sends it only with `SetEnv` or `SendEnv COLORTERM`.
    pub colorterm: Option<String>,
    /// `LANG` if the client sent it.
    pub lang: Option<String>,
    pub cols: u16,
    pub rows: u16,
}

impl Terminal {
    /// Whether to draw in colour: not on a `dumb` terminal.
    pub fn colour(&self) -> bool {
        self.term != "dumb"
    }
}

/// What a game gets for one guest.
pub struct GuestSession {
    /// The SSH user name: a valid profile name.
    pub name: String,
    pub identity: Identity,
    pub terminal: Terminal,
    pub input: InputReceiver,
    pub output: GuestOutput,
    pub party: PartyReporter,
    /// The server's address this guest connected to (for commands told
    /// to them: the host and port they used).
    pub joined_at: Option<SocketAddr>,
}

/// How a guest's session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The guest saw their reveal (and then left).
    Finished { parting: String },
    /// The guest left before the reveal (`q`, or the input closed); no
    /// parting words when their connection is gone.
    Left { parting: Option<String> },
    /// The game failed; the text is for the host's log.
    Failed(String),
}

impl Outcome {
    /// What the guest reads on their own terminal once the game has given
    /// it back (main screen, cursor shown), as local play prints it: what
    /// was saved, the command that comes back, the revealed face.
    pub fn parting(&self) -> Option<&str> {
        match self {
            Outcome::Finished { parting } => Some(parting),
            Outcome::Left { parting } => parting.as_deref(),
            Outcome::Failed(_) => None,
        }
    }
}

/// The game's entry point: runs a whole session and returns when it ends.
pub type SessionFn = Arc<dyn Fn(GuestSession) -> Outcome + Send + Sync>;

/// How a session ended, as the server sees it (panics included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    Returned(Outcome),
    Panicked(String),
}

/// Runs `game` on its own thread; `done` gets how it ended (a panic is
/// caught and becomes [`Ended::Panicked`]). Only the thread's creation can
/// fail (out of threads), and then the session is handed back unrun.
pub fn spawn(
    game: SessionFn,
    session: GuestSession,
    done: impl FnOnce(Ended) + Send + 'static,
) -> std::io::Result<()> {
    let name = format!("guest-{}", session.name);
    // The session moves into the closure: on a spawn error it is dropped,
    // which closes its output and input as a finished session would.
    std::thread::Builder::new().name(name).spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| game(session)));
        done(match result {
            Ok(outcome) => Ended::Returned(outcome),
            Err(payload) => Ended::Panicked(panic_text(&*payload)),
        });
    })?;
    Ok(())
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

// ---------------------------------------------------------------- input

/// The sending side, kept by the server. Never blocks: input past the
/// limits is dropped.
pub struct InputSender {
    tx: mpsc::SyncSender<GuestInput>,
    queued: Arc<AtomicUsize>,
}

/// The game's side of the guest's input.
pub struct InputReceiver {
    rx: mpsc::Receiver<GuestInput>,
    queued: Arc<AtomicUsize>,
    closed: bool,
}

/// A bounded input queue: at most [`INPUT_QUEUE_EVENTS`] events and
/// [`INPUT_QUEUE_BYTES`] bytes unread.
pub fn input_queue() -> (InputSender, InputReceiver) {
    let (tx, rx) = mpsc::sync_channel(INPUT_QUEUE_EVENTS);
    let queued = Arc::new(AtomicUsize::new(0));
    (
        InputSender {
            tx,
            queued: queued.clone(),
        },
        InputReceiver {
            rx,
            queued,
            closed: false,
        },
    )
}

impl InputSender {
    /// Queues bytes; returns `false` if they were dropped (queue full) or the
    /// game is gone.
    pub fn bytes(&self, data: &[u8]) -> bool {
        let n = data.len();
        if n == 0 {
            return true;
        }
        if self.queued.fetch_add(n, Ordering::AcqRel) + n > INPUT_QUEUE_BYTES {
            self.queued.fetch_sub(n, Ordering::AcqRel);
            return false;
        }
        if self.tx.try_send(GuestInput::Bytes(data.to_vec())).is_err() {
            self.queued.fetch_sub(n, Ordering::AcqRel);
            return false;
        }
        true
    }

    /// Queues a resize; `false` if dropped.
    pub fn resize(&self, cols: u16, rows: u16) -> bool {
        self.tx.try_send(GuestInput::Resize { cols, rows }).is_ok()
    }
}

impl InputReceiver {
    fn account(&mut self, event: GuestInput) -> GuestInput {
        if let GuestInput::Bytes(b) = &event {
            self.queued.fetch_sub(b.len(), Ordering::AcqRel);
        }
        event
    }

    /// The next event, waiting for it. After [`GuestInput::Closed`] it
    /// keeps returning `Closed`.
    pub fn recv(&mut self) -> GuestInput {
        if self.closed {
            return GuestInput::Closed;
        }
        match self.rx.recv() {
            Ok(event) => self.account(event),
            Err(_) => {
                self.closed = true;
                GuestInput::Closed
            }
        }
    }

    /// The next event within `timeout`, or `None`.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<GuestInput> {
        if self.closed {
            return Some(GuestInput::Closed);
        }
        match self.rx.recv_timeout(timeout) {
            Ok(event) => Some(self.account(event)),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.closed = true;
                Some(GuestInput::Closed)
            }
        }
    }

    /// The next event if one is waiting.
    pub fn try_recv(&mut self) -> Option<GuestInput> {
        self.recv_timeout(Duration::ZERO)
    }
}

// --------------------------------------------------------------- output

/// The guest's screen: everything written is buffered until `flush` (a
/// frame), then handed to the connection in chunks through a bounded
/// queue. When the guest's terminal stops taking output the queue fills
/// and `flush` waits, up to [`OUTPUT_STALL_LIMIT`], then fails with
/// `TimedOut`: the game should end. Only this guest's thread ever waits;
/// the server's memory for them stays under
/// [`OUTPUT_QUEUE_CHUNKS`] x [`OUTPUT_CHUNK`] plus one frame.
/// Once the connection is gone, writes fail with `BrokenPipe`.
pub struct GuestOutput {
    tx: tokio::sync::mpsc::Sender<bytes::Bytes>,
    frame: Vec<u8>,
    stall_limit: Duration,
}

/// The connection's side of a guest's output.
pub type OutputReceiver = tokio::sync::mpsc::Receiver<bytes::Bytes>;

/// A bounded output queue.
pub fn output_queue() -> (GuestOutput, OutputReceiver) {
    let (tx, rx) = tokio::sync::mpsc::channel(OUTPUT_QUEUE_CHUNKS);
    (
        GuestOutput {
            tx,
            frame: Vec::new(),
            stall_limit: OUTPUT_STALL_LIMIT,
        },
        rx,
    )
}

impl GuestOutput {
    #[cfg(test)]
    fn with_stall_limit(mut self, limit: Duration) -> Self {
        self.stall_limit = limit;
        self
    }

    fn send_frame(&mut self) -> std::io::Result<()> {
        let frame = std::mem::take(&mut self.frame);
        let deadline = Instant::now() + self.stall_limit;
        for chunk in frame.chunks(OUTPUT_CHUNK) {
            let mut item = bytes::Bytes::copy_from_slice(chunk);
            loop {
                match self.tx.try_send(item) {
                    Ok(()) => break,
                    Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::BrokenPipe,
                            "the guest's connection is closed",
                        ));
                    }
                    Err(tokio::sync::mpsc::error::TrySendError::Full(back)) => {
                        if Instant::now() >= deadline {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::TimedOut,
                                "the guest's terminal stopped reading",
                            ));
                        }
                        item = back;
                        // This thread is the guest's alone: waiting here
                        // holds up nobody else.
                        std::thread::sleep(Duration::from_millis(10));
                    }
                }
            }
        }
        // Keep a frame-sized buffer around, but not a huge one.
        if frame.capacity() <= OUTPUT_FRAME_MAX {
            self.frame = frame;
            self.frame.clear();
        }
        Ok(())
    }
}

impl Write for GuestOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.tx.is_closed() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the guest's connection is closed",
            ));
        }
        let room = OUTPUT_FRAME_MAX.saturating_sub(self.frame.len());
        if room == 0 {
            self.send_frame()?;
            return self.write(buf);
        }
        let n = buf.len().min(room);
        self.frame.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.frame.is_empty() {
            return Ok(());
        }
        self.send_frame()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_bounded_and_closed_is_sticky() {
        let (tx, mut rx) = input_queue();
        assert!(tx.bytes(b"a"));
        assert!(tx.resize(80, 24));
        let big = vec![b'x'; INPUT_QUEUE_BYTES];
        assert!(!tx.bytes(&big), "past the byte budget input is dropped");
        assert_eq!(rx.recv(), GuestInput::Bytes(b"a".to_vec()));
        assert_eq!(rx.recv(), GuestInput::Resize { cols: 80, rows: 24 });
        // Read input frees the budget again.
        assert!(tx.bytes(&big[..INPUT_QUEUE_BYTES - 1]));
        assert!(matches!(rx.recv(), GuestInput::Bytes(b) if b.len() == INPUT_QUEUE_BYTES - 1));
        assert_eq!(rx.try_recv(), None);
        drop(tx);
        assert_eq!(rx.recv(), GuestInput::Closed);
        assert_eq!(rx.try_recv(), Some(GuestInput::Closed));
    }

    #[test]
    fn output_waits_for_a_reader_then_gives_up() {
        let (out, mut rx) = output_queue();
        let mut out = out.with_stall_limit(Duration::from_millis(100));
        // Fill the queue: nobody reads.
        let chunk = vec![b'y'; OUTPUT_CHUNK];
        for _ in 0..OUTPUT_QUEUE_CHUNKS {
            out.write_all(&chunk).unwrap();
            out.flush().unwrap();
        }
        out.write_all(b"one more frame").unwrap();
        let err = out.flush().unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        // The queue never held more than its bound.
        let mut queued = 0;
        while let Ok(b) = rx.try_recv() {
            queued += b.len();
        }
        assert_eq!(queued, OUTPUT_QUEUE_CHUNKS * OUTPUT_CHUNK);
        drop(rx);
        let err = out.write(b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn a_big_frame_is_chunked() {
        let (mut out, mut rx) = output_queue();
        let frame = vec![b'z'; OUTPUT_CHUNK * 3 + 5];
        out.write_all(&frame).unwrap();
        out.flush().unwrap();
        let mut sizes = Vec::new();
        while let Ok(b) = rx.try_recv() {
            sizes.push(b.len());
        }
        assert_eq!(sizes, vec![OUTPUT_CHUNK, OUTPUT_CHUNK, OUTPUT_CHUNK, 5]);
    }

    #[test]
    fn a_panicking_game_is_caught() {
        let (tx, rx) = mpsc::channel();
        let (output, _out_rx) = output_queue();
        let (_in_tx, input) = input_queue();
        let session = GuestSession {
            name: "ana".into(),
            identity: Identity::Keyless,
            terminal: Terminal {
                term: "xterm".into(),
                colorterm: None,
                lang: None,
                cols: 80,
                rows: 24,
            },
            input,
            output,
            party: PartyReporter::detached("ana"),
            joined_at: None,
        };
        let game: SessionFn = Arc::new(|_s| panic!("boom"));
        spawn(game, session, move |ended| tx.send(ended).unwrap()).unwrap();
        let ended = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(ended, Ended::Panicked("boom".into()));
    }
}
