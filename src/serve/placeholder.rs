//! A stand-in for the game until it runs over SSH: greets the guest by
//! name, echoes the keys it parsed, counts digits 1-5 as ratings on the
//! party board, and leaves on `q`. It exercises the whole path (input,
//! resize, bounded output, the board) end to end.

use super::session::{GuestInput, GuestSession, Outcome};
use crate::ui::theme::Theme;
use crossterm::{cursor, terminal, QueueableCommand};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::time::Duration;

/// Keys kept on screen.
const KEYS_SHOWN: usize = 12;
/// A round, as the game's.
const ROUND: usize = 50;

/// Runs the placeholder for one guest.
pub fn run(mut guest: GuestSession) -> Outcome {
    match session(&mut guest) {
        Ok(outcome) => outcome,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Left,
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

fn session(guest: &mut GuestSession) -> std::io::Result<Outcome> {
    let area = Rect::new(0, 0, guest.terminal.cols, guest.terminal.rows);
    let out = &mut guest.output;
    out.queue(terminal::EnterAlternateScreen)?
        .queue(cursor::Hide)?
        .flush()?;
    let mut term = Terminal::with_options(
        CrosstermBackend::new(&mut *out),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )?;
    let mut keys: Vec<String> = Vec::new();
    let mut rated = 0usize;
    guest.party.progress(rated, ROUND);
    let outcome = loop {
        let name = guest.name.clone();
        let colour = guest.terminal.colorterm.is_some();
        term.draw(|f| draw(f, &name, &keys, rated, colour))?;
        match guest.input.recv_timeout(Duration::from_secs(5)) {
            None => continue,
            Some(GuestInput::Closed) => break Outcome::Left,
            Some(GuestInput::Resize { cols, rows }) => {
                term.resize(Rect::new(0, 0, cols, rows))?;
            }
            Some(GuestInput::Bytes(bytes)) => {
                let mut quit = false;
                for key in parse_keys(&bytes) {
                    if key == "q" {
                        quit = true;
                    }
                    if matches!(key.as_str(), "1" | "2" | "3" | "4" | "5") && rated < ROUND {
                        rated += 1;
                        guest.party.progress(rated, ROUND);
                    }
                    keys.push(key);
                }
                let excess = keys.len().saturating_sub(KEYS_SHOWN);
                keys.drain(..excess);
                if quit {
                    break Outcome::Left;
                }
            }
        }
    };
    drop(term);
    let out = &mut guest.output;
    out.queue(cursor::Show)?
        .queue(terminal::LeaveAlternateScreen)?
        .flush()?;
    writeln!(out, "Bye {}!\r", guest.name)?;
    out.flush()?;
    Ok(outcome)
}

fn draw(f: &mut ratatui::Frame, name: &str, keys: &[String], rated: usize, truecolor: bool) {
    let theme = Theme { color: true };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(" mytype party ", theme.title()));
    let text = vec![
        Line::from(""),
        Line::from(Span::styled(
            format!("Hi {name} — the game starts here"),
            theme.headline(),
        )),
        Line::from(""),
        Line::from(format!(
            "Keys: {}",
            if keys.is_empty() {
                "(none yet)".to_string()
            } else {
                keys.join(" ")
            }
        )),
        Line::from(format!("Rated {rated}/{ROUND} (digits 1-5)")),
        Line::from(Span::styled(
            if truecolor {
                "colours: truecolor"
            } else {
                "colours: 256"
            },
            theme.dim(),
        )),
        Line::from(""),
        Line::from(Span::styled("q leaves", theme.dim())),
    ];
    f.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(block),
        f.area(),
    );
}

/// Names of the keys in raw terminal input: printable characters as
/// themselves, the usual escape sequences and control keys by name.
pub fn parse_keys(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut keys = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let key = match c {
            '\u{1b}' => match chars.peek() {
                Some('[') | Some('O') => {
                    chars.next();
                    let mut seq = String::new();
                    while let Some(&n) = chars.peek() {
                        chars.next();
                        seq.push(n);
                        if n.is_ascii_alphabetic() || n == '~' || seq.len() > 8 {
                            break;
                        }
                    }
                    match seq.as_str() {
                        "A" => "Up".into(),
                        "B" => "Down".into(),
                        "C" => "Right".into(),
                        "D" => "Left".into(),
                        "H" => "Home".into(),
                        "F" => "End".into(),
                        _ => "Esc-seq".into(),
                    }
                }
                _ => "Esc".into(),
            },
            '\r' | '\n' => "Enter".into(),
            '\t' => "Tab".into(),
            '\u{7f}' | '\u{8}' => "Backspace".into(),
            ' ' => "Space".into(),
            c if (c as u32) < 0x20 => format!("Ctrl-{}", char::from(b'@' + c as u8)),
            c if c.is_control() => "?".into(),
            c => c.to_string(),
        };
        keys.push(key);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named() {
        assert_eq!(
            parse_keys(b"a\x1b[A\r\x03\x7f \x1bx\xc3\xa9"),
            [
                "a",
                "Up",
                "Enter",
                "Ctrl-C",
                "Backspace",
                "Space",
                "Esc",
                "x",
                "é"
            ]
        );
        // Control sequences a guest types are never echoed raw.
        assert!(parse_keys(b"\x1b]0;evil\x07")
            .iter()
            .all(|k| !k.contains('\u{1b}') && !k.contains('\u{7}')));
    }
}
