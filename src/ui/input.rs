//! The terminal's input, owned as bytes.
//!
//! One reader thread gets raw bytes from the terminal. [`Decoder`] frames
//! escape sequences, takes the terminal's replies out (for the probe,
//! [`super::probe`]) and hands every other byte to termina's parser, whose
//! key and mouse events become crossterm events for the rest of the game.
//! Window size changes come from the source (SIGWINCH on a local terminal,
//! a window-change request over SSH). Nothing else reads the input, so no
//! key typed while the probe runs, or after it, is lost. The reader works on
//! any [`InputSource`]: a local terminal ([`TerminalInput`]) or bytes fed
//! through a channel ([`ChannelInput`]: an SSH channel).

use super::probe::{ProbeSlot, Reply};
use crossterm::event as ct;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;

/// How long a lone ESC waits for the rest of a sequence before it is the
/// Esc key (the key is sent alone; a sequence comes in one piece).
pub const ESC_WAIT: Duration = Duration::from_millis(50);

/// How long an unfinished reply (or a lone ESC while the probe listens)
/// waits for its next bytes, which may come in another read over a slow link.
pub const REPLY_WAIT: Duration = Duration::from_millis(500);

/// How long a bracketed paste may go without a byte before it is over:
/// a terminal sends a paste in one burst, so a paste whose end marker never
/// came (a broken terminal, a cut connection) must not swallow every key
/// typed after it.
pub const PASTE_WAIT: Duration = Duration::from_secs(1);

/// Bracketed paste's start and end: what comes between is pasted text,
/// never keys (see [`Decoder`]).
pub const PASTE_START: &[u8] = b"\x1b[200~";
pub const PASTE_END: &[u8] = b"\x1b[201~";

/// The longest CSI parameter run and string reply kept; longer is garbage.
const MAX_CSI: usize = 64;
const MAX_STRING: usize = 4096;

/// What the decoder made of the bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// A key, mouse or focus event for the game.
    Input(ct::Event),
    /// A report from the terminal (never a key).
    Reply(Reply),
}

/// How long the decoder's unfinished sequence may wait for more bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// A lone ESC, `ESC O` or an Alt+key start: [`ESC_WAIT`].
    Short,
    /// An unfinished CSI or string reply: [`REPLY_WAIT`].
    Long,
    /// A bracketed paste not ended yet: [`PASTE_WAIT`] since its last byte.
    Paste,
}

/// How a sequence starting with ESC is framed.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    /// More bytes are needed.
    Incomplete,
    /// The first `n` bytes are a key or mouse sequence.
    Keys(usize),
    /// The first `n` bytes are a terminal report.
    Reply(usize),
    /// The first `n` bytes are broken: dropped.
    Drop(usize),
}

/// Splits terminal input into replies and keys (see the module docs).
/// Pasted text (between [`PASTE_START`] and [`PASTE_END`]) is dropped: a
/// paste is never a key, so it cannot rate, reveal or quit. A paste whose
/// end never comes is over once no byte came for [`PASTE_WAIT`] (the
/// reader then calls [`Decoder::flush`]).
#[derive(Debug, Default)]
pub struct Decoder {
    /// An escape sequence not complete yet (starts with ESC, or is empty);
    /// while pasting, the start of what may be [`PASTE_END`].
    pending: Vec<u8>,
    /// Inside a bracketed paste: bytes are dropped until [`PASTE_END`].
    pasting: bool,
    parser: termina::Parser,
}

impl Decoder {
    /// Decodes `bytes`, appending what they complete to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Decoded>) {
        let mut buf = std::mem::take(&mut self.pending);
        buf.extend_from_slice(bytes);
        let mut i = 0;
        while i < buf.len() {
            if self.pasting {
                match find(&buf[i..], PASTE_END) {
                    Some(at) => {
                        self.pasting = false;
                        i += at + PASTE_END.len();
                        continue;
                    }
                    None => {
                        // Keep what may be the end marker cut in two.
                        let keep = partial_end(&buf[i..]);
                        self.pending = buf[buf.len() - keep..].to_vec();
                        return;
                    }
                }
            }
            if buf[i] != ESC {
                let end = buf[i..]
                    .iter()
                    .position(|&b| b == ESC)
                    .map_or(buf.len(), |p| i + p);
                self.keys(&buf[i..end], out);
                i = end;
                continue;
            }
            match frame(&buf[i..]) {
                Frame::Incomplete => {
                    self.pending = buf[i..].to_vec();
                    return;
                }
                Frame::Keys(n) => {
                    let sequence = &buf[i..i + n];
                    // A stray paste end is dropped too.
                    if sequence == PASTE_START {
                        self.pasting = true;
                    } else if sequence != PASTE_END {
                        self.keys(sequence, out);
                    }
                    i += n;
                }
                Frame::Reply(n) => {
                    out.push(Decoded::Reply(Reply::parse(&buf[i..i + n])));
                    i += n;
                }
                Frame::Drop(n) => i += n,
            }
        }
    }

    /// No more bytes came in time: a lone ESC is the Esc key, ESC and a
    /// printable character is Alt+that key; anything else unfinished (a
    /// reply cut short) is dropped. A paste still open is over (its end
    /// marker never came): what was held of it is dropped, and the bytes
    /// after it are keys again.
    pub fn flush(&mut self, out: &mut Vec<Decoded>) {
        if self.pasting {
            self.pasting = false;
            self.pending.clear();
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let key = match pending[..] {
            [ESC] => ct::KeyEvent::new(ct::KeyCode::Esc, ct::KeyModifiers::NONE),
            [ESC, c] if c.is_ascii_graphic() => {
                let mut mods = ct::KeyModifiers::ALT;
                if c.is_ascii_uppercase() {
                    mods |= ct::KeyModifiers::SHIFT;
                }
                ct::KeyEvent::new(ct::KeyCode::Char(char::from(c)), mods)
            }
            _ => return,
        };
        out.push(Decoded::Input(ct::Event::Key(key)));
    }

    /// Whether an unfinished sequence waits for more bytes, and how long.
    pub fn waiting(&self) -> Option<Wait> {
        if self.pasting {
            return Some(Wait::Paste);
        }
        (!self.pending.is_empty()).then(|| self.waiting_for(&self.pending))
    }

    fn waiting_for(&self, pending: &[u8]) -> Wait {
        match pending.get(1) {
            Some(b'[' | b']' | b'P' | b'_') => Wait::Long,
            _ => Wait::Short,
        }
    }

    /// Parses key bytes: a run without ESC, or one complete sequence. A
    /// sequence starts on a fresh parser, so nothing broken before it (a
    /// UTF-8 character cut short) can swallow it.
    fn keys(&mut self, bytes: &[u8], out: &mut Vec<Decoded>) {
        if bytes.first() == Some(&ESC) {
            self.parser = termina::Parser::default();
        }
        self.parser.parse(bytes, false);
        while let Some(event) = self.parser.pop() {
            if let Some(event) = to_crossterm(event) {
                out.push(Decoded::Input(event));
            }
        }
    }
}

/// Frames the sequence at the start of `buf` (which starts with ESC).
fn frame(buf: &[u8]) -> Frame {
    match buf.get(1) {
        None => Frame::Incomplete,
        Some(b'[') => frame_csi(buf),
        Some(b']' | b'P' | b'_') => frame_string(buf),
        // SS3: `ESC O P` (F1), `ESC O A` (up) in application mode.
        Some(b'O') => {
            if buf.len() < 3 {
                Frame::Incomplete
            } else {
                Frame::Keys(3)
            }
        }
        // ESC ESC: the first is the Esc key.
        Some(&ESC) => Frame::Keys(1),
        // Alt+key: ESC and one UTF-8 character.
        Some(&lead) => {
            let n = 1 + utf8_len(lead);
            if buf.len() < n {
                Frame::Incomplete
            } else {
                Frame::Keys(n)
            }
        }
    }
}

/// Where `needle` first starts in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The length of the longest end of `bytes` that [`PASTE_END`] starts with.
fn partial_end(bytes: &[u8]) -> usize {
    (1..PASTE_END.len())
        .rev()
        .find(|&n| bytes.ends_with(&PASTE_END[..n]))
        .unwrap_or(0)
}

fn utf8_len(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

fn frame_csi(buf: &[u8]) -> Frame {
    match buf.get(2) {
        None => return Frame::Incomplete,
        // Linux console F1-F5: `ESC [ [ A`.
        Some(b'[') => {
            return if buf.len() < 4 {
                Frame::Incomplete
            } else {
                Frame::Keys(4)
            }
        }
        // X10 mouse: `ESC [ M` and three raw bytes.
        Some(b'M') => {
            return if buf.len() < 6 {
                Frame::Incomplete
            } else {
                Frame::Keys(6)
            }
        }
        Some(_) => {}
    }
    for (j, &b) in buf.iter().enumerate().skip(2) {
        match b {
            0x40..=0x7e => {
                let n = j + 1;
                return if is_report(&buf[2..n]) {
                    Frame::Reply(n)
                } else {
                    Frame::Keys(n)
                };
            }
            0x20..=0x3f if j < 2 + MAX_CSI => {}
            _ => return Frame::Drop(j),
        }
    }
    Frame::Incomplete
}

/// Whether a complete CSI (parameters and final byte) is a terminal report
/// rather than a key: private markers other than SGR mouse's `<`, and the
/// finals of device attributes, window reports, status and mode reports.
fn is_report(body: &[u8]) -> bool {
    matches!(body.first(), Some(b'?' | b'>' | b'='))
        || matches!(body.last(), Some(b'c' | b't' | b'n' | b'y'))
}

/// DCS, OSC and APC run to ST (`ESC \`) or BEL. Only the starts terminals
/// reply with are taken for a reply; anything else is Alt+key.
fn frame_string(buf: &[u8]) -> Frame {
    let Some(&third) = buf.get(2) else {
        return Frame::Incomplete;
    };
    let reply_start = match buf[1] {
        b'_' => third == b'G',
        b'P' => third.is_ascii_digit() || b"+$>|!=".contains(&third),
        _ => third.is_ascii_digit(),
    };
    if !reply_start {
        return Frame::Keys(2);
    }
    for (j, &b) in buf.iter().enumerate().skip(2) {
        if j >= MAX_STRING {
            return Frame::Drop(j);
        }
        match b {
            BEL => return Frame::Reply(j + 1),
            ESC => {
                return match buf.get(j + 1) {
                    None => Frame::Incomplete,
                    Some(b'\\') => Frame::Reply(j + 2),
                    // Cut short by a new sequence: the string ends here.
                    Some(_) => Frame::Reply(j),
                };
            }
            _ => {}
        }
    }
    Frame::Incomplete
}

/// termina's event as crossterm's (which the game's key bindings use);
/// terminal reports become nothing.
pub fn to_crossterm(event: termina::Event) -> Option<ct::Event> {
    use termina::Event as T;
    Some(match event {
        T::Key(key) => ct::Event::Key(key_event(key)),
        T::Mouse(mouse) => ct::Event::Mouse(ct::MouseEvent {
            kind: mouse_kind(mouse.kind),
            column: mouse.column,
            row: mouse.row,
            modifiers: modifiers(mouse.modifiers),
        }),
        T::WindowResized(size) => ct::Event::Resize(size.cols, size.rows),
        T::FocusIn => ct::Event::FocusGained,
        T::FocusOut => ct::Event::FocusLost,
        T::Paste(text) => ct::Event::Paste(text),
        T::Csi(_) | T::Osc(_) | T::Dcs(_) => return None,
    })
}

fn key_event(key: termina::event::KeyEvent) -> ct::KeyEvent {
    use termina::event::{KeyEventKind as K, KeyEventState as S, Modifiers as M};
    let mut state = ct::KeyEventState::empty();
    if key.state.contains(S::KEYPAD) {
        state |= ct::KeyEventState::KEYPAD;
    }
    if key.state.contains(S::CAPS_LOCK) || key.modifiers.contains(M::CAPS_LOCK) {
        state |= ct::KeyEventState::CAPS_LOCK;
    }
    if key.state.contains(S::NUM_LOCK) || key.modifiers.contains(M::NUM_LOCK) {
        state |= ct::KeyEventState::NUM_LOCK;
    }
    ct::KeyEvent {
        code: key_code(key.code),
        modifiers: modifiers(key.modifiers),
        kind: match key.kind {
            K::Press => ct::KeyEventKind::Press,
            K::Release => ct::KeyEventKind::Release,
            K::Repeat => ct::KeyEventKind::Repeat,
        },
        state,
    }
}

fn modifiers(m: termina::event::Modifiers) -> ct::KeyModifiers {
    use termina::event::Modifiers as M;
    let pairs = [
        (M::SHIFT, ct::KeyModifiers::SHIFT),
        (M::ALT, ct::KeyModifiers::ALT),
        (M::CONTROL, ct::KeyModifiers::CONTROL),
        (M::SUPER, ct::KeyModifiers::SUPER),
        (M::HYPER, ct::KeyModifiers::HYPER),
        (M::META, ct::KeyModifiers::META),
    ];
    pairs
        .into_iter()
        .filter(|(t, _)| m.contains(*t))
        .fold(ct::KeyModifiers::NONE, |acc, (_, c)| acc | c)
}

fn key_code(code: termina::event::KeyCode) -> ct::KeyCode {
    use termina::event::KeyCode as K;
    match code {
        K::Char(c) => ct::KeyCode::Char(c),
        K::Enter => ct::KeyCode::Enter,
        K::Backspace => ct::KeyCode::Backspace,
        K::Tab => ct::KeyCode::Tab,
        K::Escape => ct::KeyCode::Esc,
        K::Left => ct::KeyCode::Left,
        K::Right => ct::KeyCode::Right,
        K::Up => ct::KeyCode::Up,
        K::Down => ct::KeyCode::Down,
        K::Home => ct::KeyCode::Home,
        K::End => ct::KeyCode::End,
        K::BackTab => ct::KeyCode::BackTab,
        K::PageUp => ct::KeyCode::PageUp,
        K::PageDown => ct::KeyCode::PageDown,
        K::Insert => ct::KeyCode::Insert,
        K::Delete => ct::KeyCode::Delete,
        K::KeypadBegin => ct::KeyCode::KeypadBegin,
        K::CapsLock => ct::KeyCode::CapsLock,
        K::ScrollLock => ct::KeyCode::ScrollLock,
        K::NumLock => ct::KeyCode::NumLock,
        K::PrintScreen => ct::KeyCode::PrintScreen,
        K::Pause => ct::KeyCode::Pause,
        K::Menu => ct::KeyCode::Menu,
        K::Null => ct::KeyCode::Null,
        K::Function(n) => ct::KeyCode::F(n),
        // Bare modifier and media keys: no binding uses them.
        K::Modifier(_) | K::Media(_) => ct::KeyCode::Null,
    }
}

fn mouse_kind(kind: termina::event::MouseEventKind) -> ct::MouseEventKind {
    use termina::event::{MouseButton as B, MouseEventKind as K};
    let button = |b: B| match b {
        B::Left => ct::MouseButton::Left,
        B::Right => ct::MouseButton::Right,
        B::Middle => ct::MouseButton::Middle,
    };
    match kind {
        K::Down(b) => ct::MouseEventKind::Down(button(b)),
        K::Up(b) => ct::MouseEventKind::Up(button(b)),
        K::Drag(b) => ct::MouseEventKind::Drag(button(b)),
        K::Moved => ct::MouseEventKind::Moved,
        K::ScrollDown => ct::MouseEventKind::ScrollDown,
        K::ScrollUp => ct::MouseEventKind::ScrollUp,
        K::ScrollLeft => ct::MouseEventKind::ScrollLeft,
        K::ScrollRight => ct::MouseEventKind::ScrollRight,
    }
}

/// How the input thread reports to a session (the game or a replay).
pub(crate) trait InputEvent: Send + 'static {
    fn input(event: ct::Event) -> Self;
    fn input_error(message: String) -> Self;
}

/// How often the reader checks that it should stop.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// The terminal to read: stdin when it is one, else `/dev/tty` (as crossterm
/// does), as a descriptor of our own.
fn terminal_input() -> std::io::Result<OwnedFd> {
    use std::io::IsTerminal;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return stdin.as_fd().try_clone_to_owned();
    }
    Ok(std::fs::File::open("/dev/tty")?.into())
}

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

/// A local terminal: its descriptor, and the SIGWINCH wake pipe that says
/// its size changed (the size is then read from the descriptor).
pub struct TerminalInput {
    source: OwnedFd,
    winch: Option<UnixStream>,
    registered: Option<signal_hook::SigId>,
}

impl TerminalInput {
    /// The controlling terminal (stdin when it is one, else `/dev/tty`),
    /// with a SIGWINCH handler that wakes the reader (removed on drop).
    pub fn open() -> std::io::Result<TerminalInput> {
        let source = terminal_input()?;
        let (wake_rx, wake_tx) = UnixStream::pair()?;
        wake_rx.set_nonblocking(true)?;
        let id = signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, wake_tx)?;
        Ok(TerminalInput {
            source,
            winch: Some(wake_rx),
            registered: Some(id),
        })
    }

    /// A terminal read from `source`; `winch` gets a byte when its size changes.
    pub fn from_parts(source: OwnedFd, winch: Option<UnixStream>) -> TerminalInput {
        TerminalInput {
            source,
            winch,
            registered: None,
        }
    }
}

impl Drop for TerminalInput {
    fn drop(&mut self) {
        if let Some(id) = self.registered.take() {
            signal_hook::low_level::unregister(id);
        }
    }
}

impl InputSource for TerminalInput {
    fn next(&mut self, buf: &mut [u8], timeout: Duration) -> Incoming {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let timespec = Timespec::try_from(timeout).unwrap_or(Timespec {
            tv_sec: 0,
            tv_nsec: 50_000_000,
        });
        let mut fds = vec![PollFd::new(&self.source, PollFlags::IN)];
        if let Some(w) = &self.winch {
            fds.push(PollFd::new(w, PollFlags::IN));
        }
        match poll(&mut fds, Some(&timespec)) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => return Incoming::Idle,
            Err(e) => return Incoming::Closed(e.to_string()),
        }
        let input = fds[0].revents();
        let resized = fds.get(1).is_some_and(|f| !f.revents().is_empty());
        drop(fds);
        if resized {
            if let Some(w) = &self.winch {
                drain(w);
            }
            if let Some((cols, rows)) = window_size(&self.source) {
                // The bytes waiting, if any, come with the next call.
                return Incoming::Resize { cols, rows };
            }
        }
        if input.contains(PollFlags::IN) {
            match rustix::io::read(&self.source, buf) {
                Ok(0) => Incoming::Closed("the terminal hung up (end of input)".into()),
                Ok(n) => Incoming::Bytes(n),
                Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => Incoming::Idle,
                Err(rustix::io::Errno::IO) => {
                    Incoming::Closed("the terminal hung up (input/output error)".into())
                }
                Err(e) => Incoming::Closed(e.to_string()),
            }
        } else if input.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            Incoming::Closed("the terminal hung up (closed)".into())
        } else {
            Incoming::Idle
        }
    }
}

/// What a [`ChannelInput`] is sent: bytes as they came, a new window size,
/// or the end of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feed {
    Bytes(Vec<u8>),
    Resize {
        cols: u16,
        rows: u16,
    },
    /// The connection closed: why.
    Closed(String),
}

/// Input handed over through a channel, by a thread or task that gets it
/// from elsewhere (an SSH channel's data and window-change requests).
/// Dropping every sender ends the input, as a hang-up.
pub struct ChannelInput {
    rx: mpsc::Receiver<Feed>,
    /// Bytes received but not handed on yet (a feed bigger than the buffer).
    left: Vec<u8>,
}

impl ChannelInput {
    /// An input and the sender that feeds it.
    pub fn new() -> (mpsc::Sender<Feed>, ChannelInput) {
        let (tx, rx) = mpsc::channel();
        (
            tx,
            ChannelInput {
                rx,
                left: Vec::new(),
            },
        )
    }
}

impl InputSource for ChannelInput {
    fn next(&mut self, buf: &mut [u8], timeout: Duration) -> Incoming {
        if self.left.is_empty() {
            match self.rx.recv_timeout(timeout) {
                Ok(Feed::Bytes(bytes)) => self.left = bytes,
                Ok(Feed::Resize { cols, rows }) => return Incoming::Resize { cols, rows },
                Ok(Feed::Closed(why)) => return Incoming::Closed(why),
                Err(mpsc::RecvTimeoutError::Timeout) => return Incoming::Idle,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Incoming::Closed("the connection closed".into())
                }
            }
        }
        let n = self.left.len().min(buf.len());
        buf[..n].copy_from_slice(&self.left[..n]);
        self.left.drain(..n);
        Incoming::Bytes(n)
    }
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

/// The size in cells of the terminal we read (the one that changed size).
fn window_size(source: &OwnedFd) -> Option<(u16, u16)> {
    match rustix::termios::tcgetwinsize(source) {
        Ok(size) if size.ws_col > 0 && size.ws_row > 0 => Some((size.ws_col, size.ws_row)),
        _ => crossterm::terminal::size().ok(),
    }
}

fn drain(mut pipe: &UnixStream) {
    use std::io::Read;
    let mut sink = [0u8; 64];
    while matches!(pipe.read(&mut sink), Ok(n) if n > 0) {}
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
