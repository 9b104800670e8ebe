//! The terminal probe: which image protocol works, the cell size in pixels,
//! and whether 24-bit colour does, asked once at start within
//! [`PROBE_TIMEOUT`].
//!
//! The queries go out in one write with the primary device attributes (DA1)
//! last: terminals answer in order and every terminal answers DA1, so its
//! reply ends the probe early. The replies come back through the input
//! reader ([`crate::ui::input`]), which takes them out of the key stream, so a
//! key typed during the probe is never lost; a reply that comes after the
//! probe gave up is taken out and dropped the same way.

use ratatui_image::picker::ProtocolType;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long the terminal may take to answer the probe.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(1000);

/// The colour the SGR round trip sets and asks back (not in the 256-colour
/// palette, so a terminal that rounds colours gives another answer).
const ROUND_TRIP: [u16; 3] = [1, 2, 3];

/// The queries, in one string. `kitty`: ask for the kitty graphics protocol
/// (left out where its answer is known to lie). Inside tmux everything goes
/// through tmux's passthrough to the outer terminal, DA1 included, so the
/// outer terminal's DA1 reply is the one that ends the probe.
pub fn query(tmux: bool, kitty: bool) -> String {
    let mut q = String::new();
    if kitty {
        // A one-pixel image query: `OK` means kitty graphics work.
        q.push_str("\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\");
    }
    // Cell size in pixels.
    q.push_str("\x1b[16t");
    // XTGETTCAP for tmux's `Tc` and the standard `RGB` (names in hex).
    q.push_str("\x1bP+q5463\x1b\\");
    q.push_str("\x1bP+q524742\x1b\\");
    // DECRQSS round trip: set a 24-bit foreground, ask for the SGR back, reset.
    let [r, g, b] = ROUND_TRIP;
    q.push_str(&format!("\x1b[38;2;{r};{g};{b}m\x1bP$qm\x1b\\\x1b[m"));
    // XTVERSION: the terminal's name and version (an old kitty's graphics
    // answer is not enough, see [`Answers::protocol`]).
    q.push_str("\x1b[>0q");
    // DA1, last: its reply ends the probe.
    q.push_str("\x1b[c");
    if tmux {
        format!("\x1bPtmux;{}\x1b\\", q.replace('\x1b', "\x1b\x1b"))
    } else {
        q
    }
}

/// One report the terminal sent (never a key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The kitty graphics query's answer: `true` for `OK`.
    Kitty(bool),
    /// Primary device attributes (`CSI ? Ps ; … c`): the values (4 = sixel).
    DeviceAttributes(Vec<u16>),
    /// The cell size in pixels (`CSI 6 ; height ; width t`).
    CellSize { width: u16, height: u16 },
    /// XTGETTCAP: a capability the terminal knows (`DCS 1 + r …`) or not.
    Capability { name: String, known: bool },
    /// DECRQSS for SGR: the attributes as reported (`DCS 1 $ r … m`).
    Rendition { valid: bool, sgr: String },
    /// XTVERSION: the terminal's name and version (`DCS > | text ST`).
    Version(String),
    /// Any other report: dropped.
    Other,
}

impl Reply {
    /// Reads a complete reply: a CSI, DCS, APC or OSC sequence, from its ESC
    /// to its final byte or string terminator.
    pub fn parse(seq: &[u8]) -> Reply {
        if seq.len() < 3 || seq[0] != 0x1b {
            return Reply::Other;
        }
        match seq[1] {
            b'[' => parse_csi(&seq[2..]),
            b'_' => parse_apc(string_body(seq)),
            b'P' => parse_dcs(string_body(seq)),
            _ => Reply::Other,
        }
    }
}

/// A string sequence's content, without `ESC x` and the terminator.
fn string_body(seq: &[u8]) -> &[u8] {
    let body = &seq[2..];
    body.strip_suffix(b"\x1b\\")
        .or_else(|| body.strip_suffix(b"\x07"))
        .unwrap_or(body)
}

fn numbers(text: &[u8]) -> Option<Vec<u16>> {
    std::str::from_utf8(text)
        .ok()?
        .split(';')
        .map(|n| n.parse().ok())
        .collect()
}

fn parse_csi(body: &[u8]) -> Reply {
    let Some((&last, params)) = body.split_last() else {
        return Reply::Other;
    };
    match last {
        b'c' => match params.strip_prefix(b"?").and_then(numbers) {
            Some(values) => Reply::DeviceAttributes(values),
            None => Reply::Other,
        },
        b't' => match numbers(params).as_deref() {
            Some([6, height, width]) if *height > 0 && *width > 0 => Reply::CellSize {
                width: *width,
                height: *height,
            },
            _ => Reply::Other,
        },
        _ => Reply::Other,
    }
}

fn parse_apc(body: &[u8]) -> Reply {
    match body.strip_prefix(b"Gi=31;") {
        Some(rest) => Reply::Kitty(rest == b"OK"),
        None => Reply::Other,
    }
}

fn parse_dcs(body: &[u8]) -> Reply {
    let Some((&flag, rest)) = body.split_first() else {
        return Reply::Other;
    };
    if flag == b'>' {
        return match rest.strip_prefix(b"|") {
            Some(text) => Reply::Version(String::from_utf8_lossy(text).into_owned()),
            None => Reply::Other,
        };
    }
    let valid = flag == b'1';
    if let Some(caps) = rest.strip_prefix(b"+r") {
        let hex = caps.split(|&b| b == b'=').next().unwrap_or_default();
        return Reply::Capability {
            name: unhex(hex).unwrap_or_default(),
            known: valid,
        };
    }
    if let Some(sgr) = rest.strip_prefix(b"$r") {
        let sgr = sgr.strip_suffix(b"m").unwrap_or(sgr);
        return Reply::Rendition {
            valid,
            sgr: String::from_utf8_lossy(sgr).into_owned(),
        };
    }
    Reply::Other
}

fn unhex(hex: &[u8]) -> Option<String> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = hex
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// Whether an SGR report holds the round trip's colour as a 24-bit
/// foreground, in any of the spellings terminals use (`38;2;1;2;3`,
/// `38:2::1:2:3`, `38:2:0:1:2:3`).
fn keeps_round_trip(sgr: &str) -> bool {
    let values: Vec<u16> = sgr
        .split([';', ':'])
        .filter(|v| !v.is_empty())
        .filter_map(|v| v.parse().ok())
        .collect();
    values.windows(2).enumerate().any(|(i, w)| {
        w == [38, 2]
            && (values.get(i + 2..i + 5) == Some(&ROUND_TRIP[..])
                || values.get(i + 3..i + 6) == Some(&ROUND_TRIP[..]))
    })
}

/// What the terminal answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub kitty: bool,
    pub sixel: bool,
    /// Cell size in pixels, (width, height).
    pub cell_size: Option<(u16, u16)>,
    /// XTGETTCAP said `Tc` or `RGB`.
    truecolor_capability: bool,
    /// The SGR round trip: `Some(true)` kept the 24-bit colour.
    round_trip: Option<bool>,
    /// XTVERSION's answer, e.g. `kitty(0.26.5)`.
    pub version: Option<String>,
    /// DA1 came: nothing more will.
    pub finished: bool,
}

impl Answers {
    pub fn add(&mut self, reply: &Reply) {
        match reply {
            Reply::Kitty(ok) => self.kitty |= ok,
            Reply::DeviceAttributes(values) => {
                self.sixel |= values.contains(&4);
                self.finished = true;
            }
            Reply::CellSize { width, height } => self.cell_size = Some((*width, *height)),
            Reply::Capability { name, known } => {
                if *known && (name == "Tc" || name == "RGB") {
                    self.truecolor_capability = true;
                }
            }
            Reply::Rendition { valid, sgr } => {
                if keeps_round_trip(sgr) {
                    self.round_trip = Some(true);
                } else if *valid || !sgr.is_empty() {
                    self.round_trip = Some(false);
                }
            }
            Reply::Version(text) => self.version = Some(text.clone()),
            Reply::Other => {}
        }
    }

    /// Whether the terminal shows 24-bit colour: `None` when it did not say.
    pub fn truecolor(&self) -> Option<bool> {
        if self.truecolor_capability {
            Some(true)
        } else {
            self.round_trip
        }
    }

    /// The image protocol the terminal answered for (kitty before sixel).
    /// A kitty older than [`KITTY_PLACEHOLDERS`] answers the graphics query
    /// but draws ratatui-image's Unicode placeholder cells as boxes: none.
    pub fn protocol(&self) -> Option<ProtocolType> {
        let old_kitty = self
            .version
            .as_deref()
            .and_then(kitty_version)
            .is_some_and(|v| v < KITTY_PLACEHOLDERS);
        if self.kitty && !old_kitty {
            Some(ProtocolType::Kitty)
        } else if self.sixel {
            Some(ProtocolType::Sixel)
        } else {
            None
        }
    }
}

/// The first kitty that draws Unicode placeholder cells as images.
pub const KITTY_PLACEHOLDERS: (u32, u32, u32) = (0, 28, 0);

/// The version in kitty's XTVERSION answer (`kitty(0.26.5)`); `None` for
/// another terminal or a version it cannot read.
pub fn kitty_version(text: &str) -> Option<(u32, u32, u32)> {
    let inner = text.strip_prefix("kitty(")?.split(')').next()?;
    let mut parts = inner.split('.').map(|p| p.parse::<u32>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some((major, minor, patch))
}

/// Where the input reader hands the probe's replies to the thread that
/// waits for them. Replies offered while nobody listens are dropped.
#[derive(Debug, Default)]
pub struct ProbeSlot {
    answers: Mutex<Option<Answers>>,
    finished: Condvar,
}

impl ProbeSlot {
    /// Starts collecting replies (call before writing the query).
    pub fn listen(&self) {
        *self.lock() = Some(Answers::default());
    }

    pub fn listening(&self) -> bool {
        self.lock().is_some()
    }

    /// A reply from the terminal (the input reader calls this).
    pub fn offer(&self, reply: &Reply) {
        let mut answers = self.lock();
        if let Some(a) = answers.as_mut() {
            a.add(reply);
            if a.finished {
                self.finished.notify_all();
            }
        }
    }

    /// Waits until DA1 is answered or `timeout` passes, then stops listening
    /// and returns what came.
    pub fn wait(&self, timeout: Duration) -> Answers {
        let deadline = Instant::now() + timeout;
        let mut answers = self.lock();
        loop {
            if answers.as_ref().is_none_or(|a| a.finished) {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            answers = self
                .finished
                .wait_timeout(answers, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        answers.take().unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Answers>> {
        self.answers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(replies: &[&[u8]]) -> Answers {
        let mut a = Answers::default();
        for r in replies {
            a.add(&Reply::parse(r));
        }
        a
    }

    #[test]
    fn replies_are_read() {
        assert_eq!(Reply::parse(b"\x1b_Gi=31;OK\x1b\\"), Reply::Kitty(true));
        assert_eq!(
            Reply::parse(b"\x1b_Gi=31;ENOENT:nope\x1b\\"),
            Reply::Kitty(false)
        );
        assert_eq!(
            Reply::parse(b"\x1b[?62;4;22c"),
            Reply::DeviceAttributes(vec![62, 4, 22])
        );
        assert_eq!(
            Reply::parse(b"\x1b[6;20;10t"),
            Reply::CellSize {
                width: 10,
                height: 20
            }
        );
        assert_eq!(Reply::parse(b"\x1b[6;0;0t"), Reply::Other);
        assert_eq!(
            Reply::parse(b"\x1bP1+r5463\x1b\\"),
            Reply::Capability {
                name: "Tc".into(),
                known: true
            }
        );
        assert_eq!(
            Reply::parse(b"\x1bP1+r524742=382F382F38\x1b\\"),
            Reply::Capability {
                name: "RGB".into(),
                known: true
            }
        );
        assert_eq!(
            Reply::parse(b"\x1bP0+r5463\x1b\\"),
            Reply::Capability {
                name: "Tc".into(),
                known: false
            }
        );
        assert_eq!(
            Reply::parse(b"\x1bP1$r0;38:2::1:2:3m\x1b\\"),
            Reply::Rendition {
                valid: true,
                sgr: "0;38:2::1:2:3".into()
            }
        );
        assert_eq!(Reply::parse(b"\x1b[0n"), Reply::Other);
        assert_eq!(
            Reply::parse(b"\x1bP>|kitty(0.26.5)\x1b\\"),
            Reply::Version("kitty(0.26.5)".into())
        );
        assert_eq!(
            Reply::parse(b"\x1bP>|XTerm(379)\x1b\\"),
            Reply::Version("XTerm(379)".into())
        );
    }

    #[test]
    fn kitty_versions_are_read() {
        assert_eq!(kitty_version("kitty(0.26.5)"), Some((0, 26, 5)));
        assert_eq!(kitty_version("kitty(0.28.0)"), Some((0, 28, 0)));
        assert_eq!(kitty_version("kitty(0.35)"), Some((0, 35, 0)));
        assert_eq!(kitty_version("kitty(1)"), Some((1, 0, 0)));
        for other in [
            "XTerm(379)",
            "WezTerm 20240203",
            "tmux 3.3a",
            "kitty()",
            "kitty(0.x)",
            "",
        ] {
            assert_eq!(kitty_version(other), None, "{other}");
        }
    }

    #[test]
    fn a_kitty_older_than_0_28_gets_no_kitty_graphics() {
        let ok = &b"\x1b_Gi=31;OK\x1b\\"[..];
        let da1 = &b"\x1b[?62;22c"[..];
        let with = |version: &[u8]| answers(&[ok, version, da1]).protocol();
        assert_eq!(with(b"\x1bP>|kitty(0.26.5)\x1b\\"), None);
        assert_eq!(with(b"\x1bP>|kitty(0.27.1)\x1b\\"), None);
        assert_eq!(
            with(b"\x1bP>|kitty(0.28.0)\x1b\\"),
            Some(ProtocolType::Kitty)
        );
        assert_eq!(
            with(b"\x1bP>|kitty(0.35.2)\x1b\\"),
            Some(ProtocolType::Kitty)
        );
        // Another terminal that answers the kitty query, or no version.
        assert_eq!(
            with(b"\x1bP>|WezTerm 20240203\x1b\\"),
            Some(ProtocolType::Kitty)
        );
        assert_eq!(answers(&[ok, da1]).protocol(), Some(ProtocolType::Kitty));
    }

    #[test]
    fn truecolor_from_capabilities_or_the_round_trip() {
        assert_eq!(answers(&[b"\x1b[?1;2c"]).truecolor(), None);
        assert_eq!(answers(&[b"\x1bP1+r5463\x1b\\"]).truecolor(), Some(true));
        assert_eq!(answers(&[b"\x1bP0+r5463\x1b\\"]).truecolor(), None);
        for kept in [
            &b"\x1bP1$r0;38;2;1;2;3m\x1b\\"[..],
            b"\x1bP1$r38:2::1:2:3m\x1b\\",
            b"\x1bP1$r0;38:2:0:1:2:3m\x1b\\",
        ] {
            assert_eq!(answers(&[kept]).truecolor(), Some(true), "{kept:?}");
        }
        // Rounded to the palette: no 24-bit colour.
        assert_eq!(
            answers(&[b"\x1bP1$r0;38;5;16m\x1b\\"]).truecolor(),
            Some(false)
        );
        // A capability beats a rounded round trip.
        assert_eq!(
            answers(&[b"\x1bP1$r0;38;5;16m\x1b\\", b"\x1bP1+r524742\x1b\\"]).truecolor(),
            Some(true)
        );
    }

    #[test]
    fn protocol_kitty_before_sixel_and_da1_finishes() {
        let a = answers(&[b"\x1b_Gi=31;OK\x1b\\", b"\x1b[?62;4c"]);
        assert_eq!(a.protocol(), Some(ProtocolType::Kitty));
        assert!(a.finished);
        let a = answers(&[b"\x1b[?62;4c"]);
        assert_eq!(a.protocol(), Some(ProtocolType::Sixel));
        let a = answers(&[b"\x1b[?1;2c"]);
        assert_eq!(a.protocol(), None);
    }

    #[test]
    fn the_query_ends_with_da1_and_is_wrapped_for_tmux() {
        let q = query(false, true);
        assert!(q.starts_with("\x1b_Gi=31"));
        assert!(q.ends_with("\x1b[>0q\x1b[c"));
        assert!(!query(false, false).contains("\x1b_G"));
        let t = query(true, true);
        assert!(t.starts_with("\x1bPtmux;\x1b\x1b_G"));
        assert!(t.ends_with("\x1b\x1b[c\x1b\\"));
    }

    #[test]
    fn the_slot_returns_at_da1_or_the_timeout() {
        let slot = std::sync::Arc::new(ProbeSlot::default());
        // Not listening: dropped.
        slot.offer(&Reply::Kitty(true));
        slot.listen();
        let feeder = std::sync::Arc::clone(&slot);
        let t = std::thread::spawn(move || {
            feeder.offer(&Reply::Kitty(true));
            feeder.offer(&Reply::DeviceAttributes(vec![62]));
        });
        let a = slot.wait(Duration::from_secs(10));
        t.join().unwrap();
        assert!(a.kitty && a.finished);
        assert!(!slot.listening());

        slot.listen();
        let start = Instant::now();
        let a = slot.wait(Duration::from_millis(30));
        assert!(!a.finished);
        assert!(start.elapsed() >= Duration::from_millis(30));
    }
}
