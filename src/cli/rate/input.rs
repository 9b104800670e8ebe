//! Lines of `mytype rate`'s stdin, read on a thread in bounded pieces and
//! interleaved with the handled signals: a blocking read cannot hold a
//! signal back, and a huge line cannot grow memory.

use mytype::signals::{Stop, Watch, WatchError};
use std::io::BufRead;
use std::sync::mpsc;

/// Longest line read, in bytes (its newline left out). A longer line is a
/// bad line; the rest of it is skipped without being kept.
pub const MAX_LINE_BYTES: usize = 4096;

/// How much of a bad line an error message shows, in characters.
const ECHO_CHARS: usize = 60;

/// A line that could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadLine {
    #[error("longer than {MAX_LINE_BYTES} bytes (starts {0})")]
    TooLong(String),
    #[error("not UTF-8 text (starts {0})")]
    NotUtf8(String),
}

/// What the input gives, in order.
#[derive(Debug)]
pub enum Input {
    Line(Result<String, BadLine>),
    /// Reading failed (a terminal that hung up reads as `EIO`); nothing follows.
    Failed(std::io::Error),
    /// A handled signal arrived; nothing follows.
    Signal(Stop),
}

/// The first [`ECHO_CHARS`] characters of `text`, quoted, with `…` when
/// there is more, every control character made visible: what a message
/// may repeat of a line someone else typed.
pub fn echo(text: &str) -> String {
    format!("\"{}\"", shorten(text).replace('"', "\\\""))
}

/// [`echo`] without the quotes.
pub fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let start: String = chars.by_ref().take(ECHO_CHARS).collect();
    let more = if chars.next().is_some() { "…" } else { "" };
    format!("{}{more}", mytype::core::sanitize::one_line(&start))
}

enum Msg {
    Input(Input),
    End,
}

/// Stdin's lines and the signals, until the input ends, fails or a signal
/// comes.
pub struct Lines {
    rx: mpsc::Receiver<Msg>,
    _watch: Watch,
    done: bool,
}

impl Lines {
    pub fn start() -> Result<Lines, WatchError> {
        let (tx, rx) = mpsc::channel();
        let watch = Watch::start(tx.clone(), |stop| Msg::Input(Input::Signal(stop)))?;
        std::thread::Builder::new()
            .name("mytype-stdin".into())
            .spawn(move || read_lines(std::io::stdin().lock(), |msg| tx.send(msg).is_ok()))?;
        Ok(Lines {
            rx,
            _watch: watch,
            done: false,
        })
    }
}

impl Iterator for Lines {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        if self.done {
            return None;
        }
        match self.rx.recv() {
            Ok(Msg::Input(input)) => {
                self.done = !matches!(input, Input::Line(_));
                Some(input)
            }
            Ok(Msg::End) | Err(_) => {
                self.done = true;
                None
            }
        }
    }
}

/// Reads `input` line by line, keeping at most [`MAX_LINE_BYTES`] of a
/// line, and hands each to `send` (which says whether to go on). A UTF-8
/// byte order mark at the very start is dropped.
fn read_lines(mut input: impl BufRead, mut send: impl FnMut(Msg) -> bool) {
    let mut line = Vec::new();
    let mut too_long = false;
    let mut first = true;
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                send(Msg::Input(Input::Failed(e)));
                return;
            }
        };
        if buf.is_empty() {
            if (!line.is_empty() || too_long) && !send(finish(&mut line, &mut too_long, &mut first))
            {
                return;
            }
            send(Msg::End);
            return;
        }
        let end = buf.iter().position(|&b| b == b'\n');
        let piece = &buf[..end.unwrap_or(buf.len())];
        let room = MAX_LINE_BYTES.saturating_sub(line.len());
        too_long |= piece.len() > room;
        line.extend_from_slice(&piece[..piece.len().min(room)]);
        let used = end.map_or(buf.len(), |i| i + 1);
        input.consume(used);
        if end.is_some() && !send(finish(&mut line, &mut too_long, &mut first)) {
            return;
        }
    }
}

/// The line read so far as a message, and a fresh start for the next.
fn finish(line: &mut Vec<u8>, too_long: &mut bool, first: &mut bool) -> Msg {
    let mut bytes = std::mem::take(line);
    if std::mem::take(first) && bytes.starts_with("\u{feff}".as_bytes()) {
        bytes.drain(..3);
    }
    let text = if std::mem::take(too_long) {
        Err(BadLine::TooLong(echo(&String::from_utf8_lossy(&bytes))))
    } else {
        String::from_utf8(bytes)
            .map_err(|e| BadLine::NotUtf8(echo(&String::from_utf8_lossy(e.as_bytes()))))
    };
    Msg::Input(Input::Line(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(bytes: &[u8]) -> Vec<Result<String, BadLine>> {
        let mut out = Vec::new();
        // A small buffer, so lines span many reads.
        let input = std::io::BufReader::with_capacity(7, bytes);
        read_lines(input, |msg| {
            match msg {
                Msg::Input(Input::Line(line)) => out.push(line),
                Msg::Input(other) => panic!("{other:?}"),
                Msg::End => {}
            }
            true
        });
        out
    }

    #[test]
    fn lines_are_split_and_a_leading_bom_dropped() {
        let lines = lines_of("\u{feff}m001 5\r\nm002 1\n\nlast".as_bytes());
        let lines: Vec<String> = lines.into_iter().map(Result::unwrap).collect();
        assert_eq!(lines, ["m001 5\r", "m002 1", "", "last"]);
        // Only at the very start.
        assert_eq!(
            lines_of("a\n\u{feff}b\n".as_bytes())[1],
            Ok("\u{feff}b".to_string())
        );
    }

    #[test]
    fn a_huge_line_is_refused_with_a_short_echo_and_the_next_read() {
        let mut input = vec![b'x'; 10 * MAX_LINE_BYTES];
        input.extend_from_slice(b"\nm001 5\n");
        let lines = lines_of(&input);
        assert_eq!(lines.len(), 2);
        let Err(BadLine::TooLong(echoed)) = &lines[0] else {
            panic!("{:?}", lines[0]);
        };
        assert_eq!(echoed, &format!("\"{}…\"", "x".repeat(ECHO_CHARS)));
        assert_eq!(lines[1], Ok("m001 5".to_string()));
        // Exactly the limit is fine.
        let exact = vec![b'y'; MAX_LINE_BYTES];
        assert!(lines_of(&exact)[0].is_ok());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_a_bad_line() {
        let lines = lines_of(b"m001 \xff\nm002 1\n");
        assert!(matches!(&lines[0], Err(BadLine::NotUtf8(e)) if e == "\"m001 \u{fffd}\""));
        assert_eq!(lines[1], Ok("m002 1".to_string()));
    }

    #[test]
    fn echoes_are_short_and_inert() {
        assert_eq!(echo("m001"), "\"m001\"");
        let hostile = format!("\u{1b}]2;pwned\u{7}\u{9b}\u{202e}{}", "z".repeat(500));
        let shown = echo(&hostile);
        assert!(shown.chars().count() < ECHO_CHARS + 4, "{shown}");
        assert!(mytype::core::sanitize::is_inert(shown.as_bytes(), false));
        assert!(shown.ends_with("…\""));
    }
}
