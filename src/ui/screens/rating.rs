//! The rating screen: the face, five buttons, progress, and the model's best guess.

use super::widgets::{draw_face, face_image, gauge_line, image_key, rating_buttons, status_line};
use crate::game::recommend::Recommendation;
use crate::ui::app::pick_held::{PickHeld, Stage};
use crate::ui::app::App;
use crate::ui::images::{ImageKey, Images};
use crate::ui::strings;
use crate::ui::theme::Theme;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use ratatui::Frame;
use std::path::PathBuf;

/// Where everything goes on the rating screen (also used for mouse clicks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingLayout {
    pub header: Rect,
    pub face: Rect,
    pub face_image: Rect,
    pub side: Rect,
    pub side_image: Rect,
    pub side_text: Rect,
    pub buttons: [Rect; 5],
    pub gauge: Rect,
    pub status: Rect,
}

pub fn layout(area: Rect) -> RatingLayout {
    let [header, body, buttons_row, gauge, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(4),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let side_w = (area.width / 3).clamp(22, 40);
    let [face, side] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(side_w)]).areas(body);
    let face_image = Block::bordered().inner(face);
    let side_inner = Block::bordered().inner(side);
    let [side_image, side_text] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(3)]).areas(side_inner);
    let buttons = Layout::horizontal([Constraint::Ratio(1, 5); 5]).areas(buttons_row);
    RatingLayout {
        header,
        face,
        face_image,
        side,
        side_image,
        side_text,
        buttons,
        gauge,
        status,
    }
}

/// Images this screen draws, most urgent first.
pub fn wanted(app: &App, area: Rect) -> Vec<ImageKey> {
    let l = layout(area);
    let mut keys = Vec::new();
    if let Some(path) = app.current_image() {
        keys.push(image_key(path, l.face_image));
    }
    if let Some(path) = app
        .guess
        .as_ref()
        .and_then(|g| app.reveal_image(&g.pick.id))
    {
        keys.push(image_key(path, l.side_image));
    }
    for path in app.next_images() {
        keys.push(image_key(path, l.face_image));
    }
    keys
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let l = layout(area);
    let theme = app.theme;

    let counter = match app.current_face() {
        Some(face) => strings::face_counter(app.position(), app.total(), &face.name),
        None => String::new(),
    };
    let header = Line::from(vec![
        Span::styled(strings::APP_TITLE, theme.title()),
        Span::raw("  "),
        Span::raw(counter),
    ]);
    frame.render_widget(Paragraph::new(header), l.header);
    frame.render_widget(
        Paragraph::new(Span::styled(
            strings::player(&app.profile_name),
            theme.dim(),
        ))
        .alignment(Alignment::Right),
        l.header,
    );

    let title = match app.current_face() {
        Some(face) => format!(" {} — {} ", strings::RATE_TITLE, strings::shown(&face.name)),
        None => format!(" {} ", strings::RATE_TITLE),
    };
    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(title, theme.title())),
        l.face,
    );
    face_image(app, frame, app.current_image(), l.face_image, true);

    render_guess(app, frame, &l);

    rating_buttons(theme, frame, &l.buttons, Some(app.selected));

    frame.render_widget(Paragraph::new(gauge_line(app, l.gauge.width)), l.gauge);
    status_line(app, frame, l.status, strings::HINTS_RATING);
}

fn render_guess(app: &App, frame: &mut Frame, l: &RatingLayout) {
    let image = app
        .guess
        .as_ref()
        .and_then(|g| app.reveal_image(&g.pick.id));
    guess_panel(
        &app.images,
        app.theme,
        frame,
        l,
        app.guess.as_ref(),
        image,
        app.pick_held(),
    );
}

/// The side panel: the model's current pick (small face, name) and how
/// settled it is (`held`: how long it has been the pick). No "% sure"
/// here: mid-game it reads as a grade of the guess, which it is not.
pub fn guess_panel(
    images: &Images,
    theme: Theme,
    frame: &mut Frame,
    l: &RatingLayout,
    guess: Option<&Recommendation>,
    image: Option<PathBuf>,
    held: PickHeld,
) {
    frame.render_widget(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(
                format!(" {} ", strings::GUESS_TITLE),
                theme.accent(),
            )),
        l.side,
    );
    match guess {
        None => {
            frame.render_widget(
                Paragraph::new(Span::styled(strings::GUESS_NONE, theme.dim()))
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true }),
                l.side_image,
            );
        }
        Some(guess) => {
            draw_face(images, theme, frame, image, l.side_image, false);
            let stage = match held.stage {
                Stage::Changing => theme.dim(),
                Stage::Settling => theme.info(),
                Stage::Settled => theme.accent(),
            };
            let lines = vec![
                Line::styled(
                    strings::shown(&guess.pick.name).into_owned(),
                    theme.accent(),
                ),
                Line::styled(strings::stage(held.stage), stage),
                Line::styled(strings::held_for(held.streak), theme.dim()),
            ];
            frame.render_widget(
                Paragraph::new(lines).alignment(Alignment::Center),
                l.side_text,
            );
        }
    }
}
