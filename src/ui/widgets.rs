//! Small drawing helpers shared by the screens.

use super::app::{App, StatusKind};
use super::images::{ImageKey, ImageSlot};
use super::strings;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use ratatui_image::Image;
use std::path::PathBuf;

/// The key of an image drawn into `area`.
pub fn image_key(path: PathBuf, area: Rect) -> ImageKey {
    ImageKey::new(path, area.width, area.height)
}

/// `inner` of `outer` centred.
pub fn centre(outer: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(outer.width);
    let h = height.min(outer.height);
    Rect::new(
        outer.x + (outer.width - w) / 2,
        outer.y + (outer.height - h) / 2,
        w,
        h,
    )
}

/// Draws a face image (or its loading / failure message) centred in `area`.
pub fn face_image(
    app: &App,
    frame: &mut Frame,
    path: Option<PathBuf>,
    area: Rect,
    skip_hint: bool,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let Some(path) = path else { return };
    let key = image_key(path, area);
    match app.images.get(&key) {
        Some(ImageSlot::Ready(proto)) => {
            let size = proto.size();
            let rect = centre(area, size.width, size.height);
            frame.render_widget(Image::new(proto), rect);
        }
        Some(ImageSlot::Failed(message)) => {
            let mut lines = vec![
                Line::styled(strings::IMAGE_FAILED, app.theme.error()),
                Line::raw(message.clone()),
            ];
            if skip_hint {
                lines.push(Line::raw(""));
                lines.push(Line::styled(strings::IMAGE_FAILED_HINT, app.theme.accent()));
            }
            let rect = centre(area, area.width, (lines.len() as u16 + 2).min(area.height));
            frame.render_widget(
                Paragraph::new(lines)
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true }),
                rect,
            );
        }
        Some(ImageSlot::Loading) | None => {
            let rect = centre(area, area.width, 1);
            frame.render_widget(
                Paragraph::new(Span::styled(strings::LOADING, app.theme.dim()))
                    .alignment(Alignment::Center),
                rect,
            );
        }
    }
}

/// The bottom line: the status message if any, else the key hints.
pub fn status_line(app: &App, frame: &mut Frame, area: Rect, hints: &str) {
    let line = match &app.status {
        Some(s) => Line::styled(
            s.text.clone(),
            match s.kind {
                StatusKind::Error => app.theme.error(),
                StatusKind::Info => app.theme.info(),
            },
        ),
        None => Line::styled(hints, app.theme.dim()),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// A text progress bar `███░░░ 11 / 50 rated` (readable without colour).
pub fn gauge_line(app: &App, width: u16) -> Line<'static> {
    let total = app.total().max(1);
    let rated = app.rated().min(total);
    let label = format!(" {}", strings::progress(rated, total));
    let bar_w = (width as usize).saturating_sub(label.chars().count());
    let filled = bar_w * rated / total;
    Line::from(vec![
        Span::styled("█".repeat(filled), app.theme.gauge()),
        Span::styled("░".repeat(bar_w - filled), app.theme.dim()),
        Span::raw(label),
    ])
}
