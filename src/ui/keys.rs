//! Every key binding and mouse gesture, in one place: terminal events →
//! [`Action`]s, per screen, from one table per screen ([`GAME`], [`REPLAY`]).
//! The help screen is drawn from the same tables ([`help_rows`]), so a key
//! cannot be bound without being documented, nor documented without working.

use super::action::Action;
use super::app::{App, Overlay, Screen};
use super::screens::rating;
use crate::core::rating::Rating;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

/// One row of a screen's key table: the keys as the help shows them, what
/// they do, and the keys themselves with their actions (keys not shown in
/// the label are quieter aliases).
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub label: &'static str,
    pub help: &'static str,
    pub keys: &'static [(KeyCode, Action)],
}

use Action as A;
use KeyCode::{Backspace, Char, End, Enter, Esc, Home, Left, Right, F};

/// The game's keys (rating and reveal screens).
pub const GAME: &[Row] = &[
    Row {
        label: "5 4 3 2 1",
        help: "Type, Slightly like, Normal, Slightly weak, Very weak",
        keys: &[
            (Char('5'), A::Rate(Rating::Type)),
            (Char('4'), A::Rate(Rating::SlightlyLike)),
            (Char('3'), A::Rate(Rating::Normal)),
            (Char('2'), A::Rate(Rating::SlightlyWeak)),
            (Char('1'), A::Rate(Rating::VeryWeak)),
        ],
    },
    Row {
        label: "← → (h l)",
        help: "move between the buttons",
        keys: &[
            (Left, A::Left),
            (Char('h'), A::Left),
            (Right, A::Right),
            (Char('l'), A::Right),
        ],
    },
    Row {
        label: "Enter / Space",
        help: "rate with the highlighted button",
        keys: &[(Enter, A::Confirm), (Char(' '), A::Confirm)],
    },
    Row {
        label: "mouse click",
        help: "rate with the clicked button",
        // Mouse: see [`action_for_mouse`].
        keys: &[],
    },
    Row {
        label: "u",
        help: "undo the last rating",
        keys: &[(Char('u'), A::Undo)],
    },
    Row {
        label: "s",
        help: "skip this face (it comes back next game)",
        keys: &[(Char('s'), A::Skip)],
    },
    Row {
        label: "r",
        help: "reveal early (after at least 10 ratings)",
        keys: &[(Char('r'), A::Reveal)],
    },
    Row {
        label: "n",
        help: "reveal: new round (old ratings kept as profile NAME-1, …)",
        keys: &[(Char('n'), A::NewRound)],
    },
    Row {
        label: "b / Backspace",
        help: "reveal: back to the faces left",
        keys: &[(Char('b'), A::Back), (Backspace, A::Back)],
    },
    Row {
        label: "? / F1",
        help: "this help",
        keys: &[(Char('?'), A::Help), (F(1), A::Help)],
    },
    Row {
        label: "q / Esc",
        help: "save and quit (every rating is saved at once)",
        keys: &[(Char('q'), A::Quit), (Esc, A::Quit)],
    },
];

/// Keys of a `mytype serve` guest's game only (a local game has no party),
/// listed in the help after [`GAME`]'s.
pub const PARTY: &[Row] = &[Row {
    label: "p",
    help: "the party board: who plays, their reveals, who matches (any key: back)",
    keys: &[(Char('p'), A::Party)],
}];

/// The game's key table: [`GAME`], and [`PARTY`] in a serve session.
pub fn game_table(app: &App) -> Vec<Row> {
    let mut rows = GAME.to_vec();
    if app.party {
        // Before "? / F1" and "q / Esc", which close the list.
        let at = rows.len().saturating_sub(2);
        rows.splice(at..at, PARTY.iter().copied());
    }
    rows
}

/// The replay's keys.
pub const REPLAY: &[Row] = &[
    Row {
        label: "Space / p / Enter",
        help: "pause / play (at the end: replay from the start)",
        keys: &[
            (Char(' '), A::PlayPause),
            (Char('p'), A::PlayPause),
            (Enter, A::PlayPause),
        ],
    },
    Row {
        label: "→ (l)",
        help: "step forward one rating (pauses)",
        keys: &[(Right, A::Forward), (Char('l'), A::Forward)],
    },
    Row {
        label: "← (h) / Backspace",
        help: "step back one rating (pauses)",
        keys: &[(Left, A::Back), (Char('h'), A::Back), (Backspace, A::Back)],
    },
    Row {
        label: "Home / End (g G)",
        help: "first rating / the reveal (pauses)",
        keys: &[
            (Home, A::First),
            (Char('g'), A::First),
            (End, A::Last),
            (Char('G'), A::Last),
        ],
    },
    Row {
        label: "? / F1",
        help: "this help",
        keys: &[(Char('?'), A::Help), (F(1), A::Help)],
    },
    Row {
        label: "q / Esc",
        help: "quit (the profile is only read, never changed)",
        keys: &[(Char('q'), A::Quit), (Esc, A::Quit)],
    },
];

/// Keys held with Ctrl, on every screen: they quit (saving first).
pub const CONTROL: &[(KeyCode, Action)] = &[(Char('c'), A::Quit), (Char('d'), A::Quit)];

/// [`CONTROL`] as the help lists it, last on every screen's help.
pub const CONTROL_ROW: Row = Row {
    label: "Ctrl-C / Ctrl-D",
    help: "quit from any screen, even this help",
    // Matched before any table: see [`action_for_key_in`].
    keys: &[],
};

/// Keys that still work on the "Make the terminal bigger" screen (besides
/// [`CONTROL`]): the player cannot see a face there, so nothing rates.
pub const TOO_SMALL: &[(KeyCode, Action)] = &[(Char('q'), A::Quit), (Esc, A::Quit)];

/// The help screen's rows (keys, what they do) for a key table, then
/// [`CONTROL_ROW`].
pub fn help_rows(table: &[Row]) -> Vec<(&'static str, &'static str)> {
    table
        .iter()
        .chain([&CONTROL_ROW])
        .map(|r| (r.label, r.help))
        .collect()
}

/// What the screen is doing, as far as keys are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The screen's own table applies.
    Normal,
    /// Any key closes an overlay or skips the reveal's build-up.
    AnyKeyDismisses,
    /// y (or Y) says yes, any other key no.
    Confirm,
    /// The terminal is too small to show the screen: only quitting works.
    TooSmall,
}

/// The action for a key press on a screen with key table `table` in `mode`.
pub fn action_for_key_in(table: &[Row], mode: Mode, key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let find = |keys: &[(KeyCode, Action)]| {
        keys.iter()
            .find(|(code, _)| *code == key.code)
            .map(|(_, action)| *action)
    };
    // Alt (or Super, Meta, Hyper) with a key is not meant for the game:
    // Alt-5 must not rate, nor Alt-q quit.
    let held = KeyModifiers::ALT | KeyModifiers::SUPER | KeyModifiers::META | KeyModifiers::HYPER;
    if key.modifiers.intersects(held) {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return find(CONTROL);
    }
    match mode {
        Mode::AnyKeyDismisses => Some(Action::Dismiss),
        Mode::Confirm => Some(match key.code {
            Char('y') | Char('Y') => Action::Yes,
            _ => Action::No,
        }),
        Mode::TooSmall => find(TOO_SMALL),
        Mode::Normal => table.iter().find_map(|row| find(row.keys)),
    }
}

/// The game's key mode: `area` is the whole screen (`None`: assume it fits).
fn game_mode(app: &App, area: Option<Rect>) -> Mode {
    if app.building_up() {
        return Mode::AnyKeyDismisses;
    }
    match app.overlay {
        Overlay::Help => return Mode::AnyKeyDismisses,
        Overlay::ConfirmNewRound => return Mode::Confirm,
        Overlay::None => {}
    }
    if area.is_some_and(|a| !super::fits(a)) {
        return Mode::TooSmall;
    }
    Mode::Normal
}

/// The action for a terminal event, if any. `area` is the whole screen (for
/// clicks, and the too-small screen where no key rates).
pub fn action_for_event(app: &App, event: &Event, area: Rect) -> Option<Action> {
    match event {
        Event::Key(key) => action_for_key_in(&game_table(app), game_mode(app, Some(area)), key),
        Event::Mouse(mouse) => action_for_mouse(app, mouse, area),
        Event::Resize(..) => Some(Action::Resize),
        _ => None,
    }
}

/// The action for a key in the game, whatever the screen size.
pub fn action_for_key(app: &App, key: &KeyEvent) -> Option<Action> {
    action_for_key_in(&game_table(app), game_mode(app, None), key)
}

pub fn action_for_mouse(app: &App, mouse: &MouseEvent, area: Rect) -> Option<Action> {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return None;
    }
    match game_mode(app, Some(area)) {
        Mode::AnyKeyDismisses => return Some(Action::Dismiss),
        Mode::Confirm | Mode::TooSmall => return None,
        Mode::Normal => {}
    }
    if app.screen != Screen::Rating {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// No key is bound twice in a table (the first binding would hide the second).
    #[test]
    fn no_key_is_bound_twice() {
        let game_and_party: Vec<Row> = GAME.iter().chain(PARTY).copied().collect();
        for table in [GAME, REPLAY, &game_and_party] {
            let codes: Vec<KeyCode> = table
                .iter()
                .flat_map(|r| r.keys.iter().map(|(c, _)| *c))
                .collect();
            for (i, c) in codes.iter().enumerate() {
                assert!(!codes[..i].contains(c), "{c:?} bound twice");
            }
        }
    }

    /// How a help label names `code`.
    fn key_name(code: KeyCode, ctrl: bool) -> String {
        let name = match code {
            Char(' ') => "Space".to_string(),
            Char(c) if ctrl => c.to_ascii_uppercase().to_string(),
            Char(c) => c.to_string(),
            Left => "←".into(),
            Right => "→".into(),
            F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if ctrl {
            format!("Ctrl-{name}")
        } else {
            name
        }
    }

    /// The help lists every key that works: each key of a row is named in
    /// its own label, and the Ctrl keys in the last row of every help.
    #[test]
    fn every_bound_key_is_in_its_help_label() {
        let words = |label: &str| -> Vec<String> {
            label
                .split_whitespace()
                .map(|w| w.trim_matches(|c| c == '(' || c == ')').to_string())
                .filter(|w| w != "/")
                .collect()
        };
        for row in GAME.iter().chain(PARTY).chain(REPLAY) {
            let named = words(row.label);
            for (code, _) in row.keys {
                let name = key_name(*code, false);
                assert!(
                    named.contains(&name),
                    "{name} is missing from {:?}",
                    row.label
                );
            }
        }
        for table in [GAME, REPLAY] {
            let rows = help_rows(table);
            let (label, _) = rows.last().unwrap();
            for (code, _) in CONTROL {
                let name = key_name(*code, true);
                assert!(
                    words(label).contains(&name),
                    "{name} is missing from {label:?}"
                );
            }
        }
    }

    /// The help and the status line say the reveal's minimum the same way.
    #[test]
    fn the_help_and_the_status_agree_on_when_r_reveals() {
        let min = crate::core::tuning::MIN_RATINGS_TO_REVEAL;
        let said = format!("after at least {min} ratings");
        let r = GAME.iter().find(|r| r.label == "r").unwrap();
        assert!(r.help.contains(&said), "{}", r.help);
        let status = super::super::strings::need_more_ratings(min, 3);
        assert!(status.contains(&said), "{status}");
    }

    #[test]
    fn the_too_small_screen_only_quits() {
        let press = |c| KeyEvent::new(c, KeyModifiers::NONE);
        for c in [Char('5'), Enter, Char(' '), Char('u'), Char('s')] {
            assert_eq!(action_for_key_in(GAME, Mode::TooSmall, &press(c)), None);
        }
        assert_eq!(
            action_for_key_in(GAME, Mode::TooSmall, &press(Char('q'))),
            Some(Action::Quit)
        );
    }
}
