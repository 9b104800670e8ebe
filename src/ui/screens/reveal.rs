//! The reveal: a short build-up (see [`crate::ui::app::buildup`]), then the pick
//! large, "You will like this one", how sure, why and the runners-up.

use super::widgets::{bar_line, centre, draw_face, image_key, status_line};
use crate::game::reasons;
use crate::game::recommend::{Recommendation, Sureness};
use crate::ui::app::buildup::{self, Buildup};
use crate::ui::app::App;
use crate::ui::images::{ImageKey, ImageSlot, Images};
use crate::ui::strings;
use crate::ui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
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
    let Some(rec) = &app.guess else {
        return Vec::new();
    };
    let image_of = |id: &str| app.reveal_image(id);
    match &app.buildup {
        Some(b) => buildup_wanted(&l, rec, b, &image_of),
        None => image_of(&rec.pick.id)
            .map(|p| vec![image_key(p, l.face_image)])
            .unwrap_or_default(),
    }
}

/// The images of the build-up: every candidate it flashes, the one on
/// screen first (then the rest in the order they come).
pub fn buildup_wanted(
    l: &RevealLayout,
    rec: &Recommendation,
    b: &Buildup,
    image_of: &dyn Fn(&str) -> Option<PathBuf>,
) -> Vec<ImageKey> {
    let (order, pick_slot) = listing(rec);
    let now = b.highlighted(order.len(), pick_slot);
    (0..order.len())
        .map(|k| order[(now + k) % order.len()])
        .filter_map(|i| image_of(&rec.top[i].id))
        .map(|p| image_key(p, l.face_image))
        .collect()
}

/// The candidates the build-up lists (indices into `rec.top`, by name) and
/// the slot of the pick.
fn listing(rec: &Recommendation) -> (Vec<usize>, usize) {
    let names: Vec<(&str, &str)> = rec
        .top
        .iter()
        .map(|s| (s.name.as_str(), s.id.as_str()))
        .collect();
    buildup::listing(&names)
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
    if let Some(b) = &app.buildup {
        buildup_body(&app.images, theme, frame, &l, rec, b, &|id| {
            app.reveal_image(id)
        });
        status_line(app, frame, l.status, strings::HINTS_BUILDUP);
        return;
    }
    let judged_on = app.judged_on(rec);
    reveal_body(
        &app.images,
        theme,
        frame,
        &l,
        strings::REVEAL_TITLE,
        rec,
        app.reveal_image(&rec.pick.id),
        judged_on.as_deref(),
        app.faces_left(),
    );
    let hints = if app.faces_left() {
        strings::HINTS_REVEAL
    } else {
        strings::HINTS_REVEAL_ALL_RATED
    };
    status_line(app, frame, l.status, hints);
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

/// Reasons listed on the reveal (the card lists three).
const MAX_REASONS: usize = 4;

/// The build-up's body: the face of the candidate the highlight is on, and
/// the leading candidates listed by name with the highlight running down
/// them, slowing, until the pick is shown. `image_of`: a candidate's image.
pub fn buildup_body(
    images: &Images,
    theme: Theme,
    frame: &mut Frame,
    l: &RevealLayout,
    rec: &Recommendation,
    b: &Buildup,
    image_of: &dyn Fn(&str) -> Option<PathBuf>,
) {
    let (order, pick_slot) = listing(rec);
    let now = b.highlighted(order.len(), pick_slot);
    let shown = order.get(now).and_then(|&i| rec.top.get(i));
    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(
                format!(" {} ", strings::BUILDUP_TITLE),
                theme.title(),
            )),
        l.face,
    );
    // A face not loaded yet leaves the frame empty: "loading…" would flash.
    if let Some(path) = shown.and_then(|s| image_of(&s.id)) {
        let ready = matches!(
            images.get(&image_key(path.clone(), l.face_image)),
            Some(ImageSlot::Ready(_))
        );
        if ready {
            draw_face(images, theme, frame, Some(path), l.face_image, false);
        }
    }
    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border()),
        l.text_block,
    );
    let mut lines = vec![
        Line::styled(strings::BUILDUP_HEADLINE, theme.headline()),
        Line::raw(""),
    ];
    for (slot, &i) in order.iter().enumerate() {
        let name = strings::shown(&rec.top[i].name);
        lines.push(if slot == now {
            Line::styled(
                format!("▸ {name}"),
                theme.accent().add_modifier(Modifier::REVERSED),
            )
        } else {
            Line::raw(format!("  {name}"))
        });
    }
    lines.push(Line::raw(""));
    let (done, all) = b.progress();
    lines.push(bar_line(theme, l.text.width, done, all, String::new()));
    // In the middle of the panel, as the face is.
    let height = (lines.len() as u16).min(l.text.height);
    let rect = Rect {
        y: l.text.y + (l.text.height - height) / 2,
        height,
        ..l.text
    };
    frame.render_widget(Paragraph::new(lines), rect);
}

/// The reveal's body: the pick large on the left, in a panel titled `title`
/// ("Your type" in the game, "Alex's type" in a replay); headline,
/// confidence, why and runners-up on the right. `judged_on`: the attributes
/// line, when the reveal comes from another pack; `more_to_rate`: faces
/// are left to rate (else "rate more" is never said).
#[allow(clippy::too_many_arguments)]
pub fn reveal_body(
    images: &Images,
    theme: Theme,
    frame: &mut Frame,
    l: &RevealLayout,
    title: &str,
    rec: &Recommendation,
    image: Option<PathBuf>,
    judged_on: Option<&str>,
    more_to_rate: bool,
) {
    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(format!(" {title} "), theme.title())),
        l.face,
    );
    draw_face(images, theme, frame, image, l.face_image, false);

    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border()),
        l.text_block,
    );

    let sureness = Line::styled(
        strings::sureness(Sureness::of(rec.pick.confidence)),
        theme.accent(),
    );
    let chance = Line::styled(strings::chance_of_liking(rec.pick.confidence), theme.dim());
    let from = Line::styled(strings::from_ratings(rec.ratings), theme.dim());
    let why = why_lines(theme, rec, more_to_rate);
    let width = usize::from(l.text.width);
    let height = usize::from(l.text.height);
    let runners_up = runner_up_lines(theme, rec, width);
    // Everything when it fits; in a small terminal the spacing and the
    // ratings count go first, then the last runners-up.
    let body = |roomy: bool| {
        let mut lines = vec![Line::styled(strings::REVEAL_HEADLINE, theme.headline())];
        if roomy {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            strings::shown(&rec.pick.name).into_owned(),
            theme.title(),
        ));
        lines.extend([sureness.clone(), chance.clone()]);
        lines.push(Line::raw(strings::expected(rec.pick.score)));
        if roomy {
            lines.push(from.clone());
        }
        if let Some(judged) = judged_on {
            lines.push(Line::styled(judged.to_string(), theme.dim()));
        }
        lines.extend(why.iter().cloned());
        lines
    };
    let fits = |lines: &[Line]| rows(lines, width) + rows(&runners_up, width) <= height;
    let mut lines = body(true);
    if !fits(&lines) {
        lines = body(false);
    }
    // As many runners-up as there is room for (none rather than a bare title).
    let mut room = height.saturating_sub(rows(&lines, width));
    if room >= 3 {
        for line in runners_up {
            let need = rows(std::slice::from_ref(&line), width);
            if need > room {
                break;
            }
            room -= need;
            lines.push(line);
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), l.text);
}

/// "Why": the reasons that moved the pick, or a dim line saying there are none.
fn why_lines(theme: Theme, rec: &Recommendation, more_to_rate: bool) -> Vec<Line<'static>> {
    let mut why = vec![
        Line::raw(""),
        Line::styled(strings::REVEAL_WHY, theme.accent()),
    ];
    if rec.because.is_empty() {
        for line in reasons::why_in(rec, MAX_REASONS, more_to_rate) {
            why.push(Line::styled(line, theme.dim()));
        }
    } else {
        for reason in reasons::why(rec, MAX_REASONS) {
            why.push(Line::raw(format!(" • {reason}")));
        }
    }
    why
}

/// The runners-up under their heading; in a narrow panel a line drops its
/// score rather than wrap.
fn runner_up_lines(theme: Theme, rec: &Recommendation, width: usize) -> Vec<Line<'static>> {
    let mut runners_up = Vec::new();
    if rec.top.len() > 1 {
        runners_up.push(Line::raw(""));
        runners_up.push(Line::styled(strings::REVEAL_RUNNERS_UP, theme.accent()));
        for (i, s) in rec.top.iter().enumerate().skip(1) {
            let full = format!("  {}", strings::runner_up(i + 1, &s.name, s.score));
            // In a narrow panel the score goes rather than wrap.
            let line = if full.chars().count() <= width {
                full
            } else {
                format!(" {}. {}", i + 1, strings::shown(&s.name))
            };
            runners_up.push(Line::raw(line));
        }
    }
    runners_up
}

/// Rows `lines` take wrapped at `width` (word by word, as the paragraph
/// wraps them; a word longer than the width takes its share of rows).
fn rows(lines: &[Line], width: usize) -> usize {
    let width = width.max(1);
    lines
        .iter()
        .map(|line| {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let mut rows = 1;
            let mut used = 0;
            for word in text.split(' ') {
                let w = word.chars().count();
                let need = if used == 0 { w } else { used + 1 + w };
                if need <= width {
                    used = need;
                } else if used == 0 {
                    rows += (w - 1) / width;
                    used = (w - 1) % width + 1;
                } else {
                    rows += 1 + w.saturating_sub(1) / width;
                    used = w.saturating_sub(1) % width + 1;
                }
            }
            rows
        })
        .sum()
}
