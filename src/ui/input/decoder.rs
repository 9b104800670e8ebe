//! The escape-sequence framer: splits the terminal's bytes into keys (for
//! termina's parser), the terminal's replies (for the probe) and bracketed
//! pastes (dropped), waiting for the rest of a sequence cut across reads.

use super::to_crossterm::to_crossterm;
use crate::ui::terminal::probe::Reply;
use crossterm::event as ct;
use std::time::Duration;

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
