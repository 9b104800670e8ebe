//! Shown instead of a broken layout when the terminal is too small.

use crate::ui::app::App;
use crate::ui::strings;
use crate::ui::theme::Theme;
use crate::ui::{MIN_HEIGHT, MIN_WIDTH};
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let hint = if app.read_only {
        strings::TOO_SMALL_HINT_UNSAVED
    } else {
        strings::TOO_SMALL_HINT
    };
    render_with(app.theme, frame, area, hint);
}

/// The too-small message with `hint` as its last line.
pub fn render_with(theme: Theme, frame: &mut Frame, area: Rect, hint: &str) {
    let lines = vec![
        Line::styled(strings::TOO_SMALL_TITLE, theme.error()),
        Line::raw(strings::too_small(
            MIN_WIDTH,
            MIN_HEIGHT,
            area.width,
            area.height,
        )),
        Line::styled(hint.to_string(), theme.dim()),
    ];
    let h = area.height.min(lines.len() as u16 + 2);
    let rect = Rect::new(area.x, area.y + (area.height - h) / 2, area.width, h);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}
