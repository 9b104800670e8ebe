//! The help overlay: every key, from the screen's key table ([`crate::ui::keys`]).

use super::widgets::centre;
use crate::ui::app::App;
use crate::ui::keys;
use crate::ui::strings;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    render_rows(
        app.theme,
        &keys::help_rows(&keys::game_table(app)),
        frame,
        area,
    );
}

/// A help overlay listing `rows` (keys, what they do).
pub fn render_rows(theme: Theme, rows: &[(&str, &str)], frame: &mut Frame, area: Rect) {
    let key_w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let w = area.width.saturating_sub(2).min(96);
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    // Each description wrapped beside its keys, continued under itself, so
    // the key column stays a column on a narrow screen.
    let text_w = inner_w.saturating_sub(key_w + 2).max(12);
    let mut lines: Vec<Line> = Vec::new();
    for (k, what) in rows {
        for (i, part) in wrap_words(what, text_w).into_iter().enumerate() {
            let keys = if i == 0 { *k } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:<key_w$}  "), theme.accent()),
                Span::raw(part),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(strings::HELP_CLOSE, theme.dim()));
    // Rows after wrapping, so the last line ("press any key") always shows.
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w))
        .sum();
    let h = (rows as u16).saturating_add(2).min(area.height);
    let rect = centre(area, w, h);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme.accent())
                .title(Span::styled(
                    format!(" {} ", strings::HELP_TITLE),
                    theme.title(),
                )),
        ),
        rect,
    );
}

/// `text` in lines of at most `width` columns, broken between words (a
/// word wider than that stays whole on its own line).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let columns = |s: &str| Span::raw(s).width();
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if columns(line) + 1 + columns(word) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}
