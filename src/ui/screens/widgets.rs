//! Small drawing helpers shared by the screens.

use crate::core::rating::Rating;
use crate::ui::app::{App, StatusKind};
use crate::ui::images::{FaceImage, ImageKey, ImageSlot, Images};
use crate::ui::strings::{self, Hints};
use crate::ui::theme::Theme;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
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
    draw_face(&app.images, app.theme, frame, path, area, skip_hint);
}

/// [`face_image`] for any screen: the images it loaded and its theme.
pub fn draw_face(
    images: &Images,
    theme: Theme,
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
    match images.get(&key) {
        Some(ImageSlot::Ready(face)) => {
            let size = face.size();
            let rect = centre(area, size.width, size.height);
            match face {
                FaceImage::Graphics(proto) => frame.render_widget(Image::new(proto), rect),
                FaceImage::Blocks(blocks) => frame.render_widget(blocks, rect),
            }
        }
        Some(ImageSlot::Failed(message)) => {
            let mut lines = vec![
                Line::styled(strings::IMAGE_FAILED, theme.error()),
                Line::raw(message.clone()),
            ];
            if skip_hint {
                lines.push(Line::raw(""));
                lines.push(Line::styled(strings::IMAGE_FAILED_HINT, theme.accent()));
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
                Paragraph::new(Span::styled(strings::LOADING, theme.dim()))
                    .alignment(Alignment::Center),
                rect,
            );
        }
    }
}

/// The five rating buttons, `selected` highlighted.
pub fn rating_buttons(
    theme: Theme,
    frame: &mut Frame,
    buttons: &[Rect; 5],
    selected: Option<Rating>,
) {
    for (rating, rect) in App::BUTTONS.iter().zip(buttons.iter()) {
        let selected = Some(*rating) == selected;
        let style = theme.button(*rating, selected);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(if selected {
                BorderType::Thick
            } else {
                BorderType::Plain
            })
            .border_style(style)
            .title(Line::from(format!(" {} ", rating.value())).centered());
        frame.render_widget(
            Paragraph::new(rating.label())
                .style(style)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .block(block),
            *rect,
        );
    }
}

/// A status line: `status` (text, is-error) if any, else the key hints
/// (the short ones when the full ones do not fit the width).
pub fn status_or_hints(
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    status: Option<(&str, bool)>,
    hints: Hints,
) {
    let line = match status {
        Some((text, true)) => Line::styled(fit_words(text, area.width), theme.error()),
        Some((text, false)) => Line::styled(fit_words(text, area.width), theme.info()),
        None => Line::styled(hints.fitting(area.width), theme.dim()),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// `text` as it fits `width` columns: whole, else cut after the last word
/// that fits and marked with "…" (never in the middle of a word).
pub fn fit_words(text: &str, width: u16) -> String {
    let columns = |s: &str| ratatui::text::Span::raw(s).width();
    let width = usize::from(width);
    if columns(text) <= width {
        return text.to_string();
    }
    let mut cut = String::new();
    for word in text.split(' ') {
        let next = if cut.is_empty() {
            word.to_string()
        } else {
            format!("{cut} {word}")
        };
        if columns(&next) + 1 > width {
            break;
        }
        cut = next;
    }
    if cut.is_empty() {
        // One word wider than the line: cut it.
        cut = text.chars().take(width.saturating_sub(1)).collect();
    }
    let cut = cut.trim_end_matches([',', ':', ';']);
    format!("{cut}…")
}

/// The bottom line: the status message if any, else the key hints.
pub fn status_line(app: &App, frame: &mut Frame, area: Rect, hints: Hints) {
    let status = app
        .status
        .as_ref()
        .map(|s| (s.text.as_str(), s.kind == StatusKind::Error));
    status_or_hints(app.theme, frame, area, status, hints);
}

/// A text progress bar `███░░░ 11 / 50 rated` (readable without colour).
pub fn gauge_line(app: &App, width: u16) -> Line<'static> {
    let total = app.total().max(1);
    let rated = app.rated().min(total);
    bar_line(
        app.theme,
        width,
        rated,
        total,
        format!(" {}", strings::progress(rated, total)),
    )
}

/// A text progress bar `███░░░` of `done / total` followed by `label`.
pub fn bar_line(
    theme: Theme,
    width: u16,
    done: usize,
    total: usize,
    label: String,
) -> Line<'static> {
    let total = total.max(1);
    let done = done.min(total);
    let bar_w = (width as usize).saturating_sub(label.chars().count());
    let filled = bar_w * done / total;
    Line::from(vec![
        Span::styled("█".repeat(filled), theme.gauge()),
        Span::styled("░".repeat(bar_w - filled), theme.dim()),
        Span::raw(label),
    ])
}
