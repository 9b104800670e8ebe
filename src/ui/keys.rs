//! Every key binding and mouse gesture, in one place: terminal events → [`Action`]s.

use super::app::{Action, App, Overlay, Screen};
use super::rating;
use crate::core::rating::Rating;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

/// The action for a terminal event, if any. `area` is the whole screen (for clicks).
pub fn action_for_event(app: &App, event: &Event, area: Rect) -> Option<Action> {
    match event {
        Event::Key(key) => action_for_key(app, key),
        Event::Mouse(mouse) => action_for_mouse(app, mouse, area),
        Event::Resize(..) => Some(Action::Resize),
        _ => None,
    }
}

pub fn action_for_key(app: &App, key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') | KeyCode::Char('d') => Some(Action::Quit),
            _ => None,
        };
    }
    // Any key skips the reveal's build-up.
    if app.building_up() {
        return Some(Action::Dismiss);
    }
    match app.overlay {
        Overlay::Help => return Some(Action::Dismiss),
        Overlay::ConfirmNewRound => {
            return Some(match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => Action::Yes,
                _ => Action::No,
            })
        }
        Overlay::None => {}
    }
    let action = match key.code {
        KeyCode::Char(c @ '1'..='5') => {
            Action::Rate(Rating::from_value(c as u8 - b'0').unwrap_or(Rating::Normal))
        }
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::Enter | KeyCode::Char(' ') => Action::Confirm,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('s') => Action::Skip,
        KeyCode::Char('?') | KeyCode::F(1) => Action::Help,
        KeyCode::Char('r') => Action::Reveal,
        KeyCode::Char('n') => Action::NewRound,
        KeyCode::Char('b') | KeyCode::Backspace => Action::Back,
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        _ => return None,
    };
    Some(action)
}

pub fn action_for_mouse(app: &App, mouse: &MouseEvent, area: Rect) -> Option<Action> {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return None;
    }
    if app.building_up() {
        return Some(Action::Dismiss);
    }
    match app.overlay {
        Overlay::Help => return Some(Action::Dismiss),
        Overlay::ConfirmNewRound => return None,
        Overlay::None => {}
    }
    if app.screen != Screen::Rating || !super::fits(area) {
        return None;
    }
    let at = Position::new(mouse.column, mouse.row);
    let layout = rating::layout(area);
    App::BUTTONS
        .iter()
        .zip(layout.buttons.iter())
        .find(|(_, rect)| rect.contains(at))
        .map(|(r, _)| Action::Rate(*r))
}
