//! The ratatui back-end of a session: crossterm's escape sequences written
//! to any `Write`, with the window size kept here (it comes from the input
//! side: resize events), never asked of a process-wide terminal.
//!
//! It is also the TUI's last choke point for untrusted text: every cell
//! that text filled goes through [`crate::core::sanitize`] on its way out,
//! so no byte of a name can move the cursor, retitle a window or reorder
//! what is shown. (ratatui already drops control characters from text; this
//! catches the rest, such as bidirectional overrides, whatever the widget.)

use crate::core::sanitize;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::borrow::Cow;
use std::io::{self, Write};

/// A session's back-end (see the module docs).
pub struct SessionBackend<W: Write> {
    inner: CrosstermBackend<W>,
    size: Size,
    cursor: Position,
}

impl<W: Write> SessionBackend<W> {
    /// Writes to `out`, a window of `size` cells.
    pub fn new(out: W, size: Size) -> SessionBackend<W> {
        SessionBackend {
            inner: CrosstermBackend::new(out),
            size,
            cursor: Position::ORIGIN,
        }
    }

    /// The window changed size (a resize event); the next draw adapts.
    pub fn set_size(&mut self, size: Size) {
        self.size = size;
    }
}

/// Writes outside the frames (the probe, the screen set-up) go straight out.
impl<W: Write> Write for SessionBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

/// Whether a cell's symbol is a whole image sequence a graphics protocol
/// put there (kitty, sixel, iTerm2), not text. Text fills a cell with one
/// grapheme, and a grapheme never holds an ESC followed by more: ESC is a
/// control character, always a grapheme of its own.
fn is_protocol_payload(symbol: &str) -> bool {
    symbol.starts_with('\u{1b}') && symbol.len() > 1
}

/// The cell as it may reach the terminal.
fn shown(cell: &Cell) -> Cow<'_, Cell> {
    let symbol = cell.symbol();
    if is_protocol_payload(symbol) {
        return Cow::Borrowed(cell);
    }
    match sanitize::one_line(symbol) {
        Cow::Borrowed(_) => Cow::Borrowed(cell),
        Cow::Owned(safe) => {
            let mut cell = cell.clone();
            cell.set_symbol(&safe);
            Cow::Owned(cell)
        }
    }
}

impl<W: Write> Backend for SessionBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, Cow<'a, Cell>)> =
            content.map(|(x, y, cell)| (x, y, shown(cell))).collect();
        self.inner
            .draw(cells.iter().map(|(x, y, cell)| (*x, *y, cell.as_ref())))
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    /// Where the cursor was put last: asking the terminal would mean reading
    /// its input, which belongs to the session's reader.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        self.cursor = position;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_sanitised_and_image_sequences_kept() {
        let out = super::super::SharedOutput::default();
        let mut b = SessionBackend::new(out.clone(), Size::new(10, 1));
        let mut bidi = Cell::default();
        bidi.set_symbol("\u{202e}");
        let mut image = Cell::default();
        image.set_symbol("\u{1b}_Gi=1;AAAA\u{1b}\\");
        b.draw([(0, 0, &bidi), (1, 0, &image)].into_iter()).unwrap();
        let out = String::from_utf8(out.bytes()).unwrap();
        assert!(!out.contains('\u{202e}'), "{out:?}");
        assert!(out.contains('\u{fffd}'), "{out:?}");
        assert!(out.contains("\u{1b}_Gi=1;AAAA"), "{out:?}");
        assert_eq!(b.size().unwrap(), Size::new(10, 1));
    }
}
