//! The reveal: the pick large, "You will like this one", runners-up and why.

use super::app::App;
use super::images::{ImageKey, Images};
use super::strings;
use super::theme::Theme;
use super::widgets::{centre, draw_face, image_key, status_line};
use crate::game::recommend::Recommendation;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use ratatui::Frame;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevealLayout {
    pub header: Rect,
    pub face: Rect,
    pub face_image: Rect,
    pub text_block: Rect,
    pub text: Rect,
    pub status: Rect,
}

pub fn layout(area: Rect) -> RevealLayout {
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(1),
    ])
    .areas(area);
    let [face, text] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
    RevealLayout {
        header,
        face,
        face_image: Block::bordered().inner(face),
        text_block: text,
        text: Block::bordered()
            .inner(text)
            .inner(ratatui::layout::Margin::new(1, 0)),
        status,
    }
}

pub fn wanted(app: &App, area: Rect) -> Vec<ImageKey> {
    let l = layout(area);
    app.guess
        .as_ref()
        .and_then(|g| app.reveal_image(&g.pick.id))
        .map(|p| vec![image_key(p, l.face_image)])
        .unwrap_or_default()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let l = layout(area);
    let theme = app.theme;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(strings::APP_TITLE, theme.title()),
            Span::raw("  "),
            Span::raw(strings::player(&app.profile_name)),
        ])),
        l.header,
    );
    let Some(rec) = &app.guess else {
        status_line(app, frame, l.status, strings::HINTS_REVEAL);
        return;
    };
    let judged_on = app.judged_on(rec);
    reveal_body(
        &app.images,
        theme,
        frame,
        &l,
        rec,
        app.reveal_image(&rec.pick.id),
        judged_on.as_deref(),
    );
    status_line(app, frame, l.status, strings::HINTS_REVEAL);
}

/// The "start a new round?" question over the reveal.
pub fn render_confirm(app: &App, frame: &mut Frame, area: Rect) {
    let w = area.width.saturating_sub(8).min(60);
    let rect = centre(area, w, 5);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(strings::CONFIRM_NEW_ROUND)
            .wrap(Wrap { trim: true })
            .block(
                Block::bordered()
                    .border_type(BorderType::Double)
                    .border_style(app.theme.accent()),
            ),
        rect,
    );
}

/// The reveal's body: the pick large on the left; headline, confidence, why
/// and runners-up on the right. `judged_on`: the attributes line, when the
/// reveal comes from another pack.
pub fn reveal_body(
    images: &Images,
    theme: Theme,
    frame: &mut Frame,
    l: &RevealLayout,
    rec: &Recommendation,
    image: Option<PathBuf>,
    judged_on: Option<&str>,
) {
    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(
                format!(" {} ", strings::REVEAL_TITLE),
                theme.title(),
            )),
        l.face,
    );
    draw_face(images, theme, frame, image, l.face_image, false);

    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border()),
        l.text_block,
    );

    let mut lines = vec![
        Line::styled(strings::REVEAL_HEADLINE, theme.headline()),
        Line::raw(""),
        Line::styled(rec.pick.name.clone(), theme.title()),
        Line::raw(strings::long_confidence(rec.pick.confidence)),
        Line::raw(strings::expected(rec.pick.score)),
        Line::styled(strings::from_ratings(rec.ratings), theme.dim()),
    ];
    if let Some(judged) = judged_on {
        lines.push(Line::styled(judged.to_string(), theme.dim()));
    }
    lines.extend([
        Line::raw(""),
        Line::styled(strings::REVEAL_WHY, theme.accent()),
    ]);
    if rec.because.is_empty() {
        lines.push(Line::raw(strings::REVEAL_WHY_NONE));
    }
    for reason in rec.because.iter().take(4) {
        lines.push(Line::raw(format!(
            "  • {}",
            strings::reason(&reason.attribute, &reason.level)
        )));
    }
    if rec.top.len() > 1 {
        lines.push(Line::raw(""));
        lines.push(Line::styled(strings::REVEAL_RUNNERS_UP, theme.accent()));
        for (i, s) in rec.top.iter().enumerate().skip(1) {
            lines.push(Line::raw(format!(
                "  {}",
                strings::runner_up(i + 1, &s.name, s.score)
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), l.text);
}
