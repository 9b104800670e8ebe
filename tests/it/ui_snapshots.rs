//! Snapshots of every screen, rendered into ratatui's TestBackend.

use crate::ui_support;

use mytype::core::rating::Rating;
use mytype::ui::{strings, Action, Screen};
use ui_support::*;

#[test]
fn rating_screen() {
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Rate(Rating::Type));
    act(&mut app, &fx.store, Action::Rate(Rating::VeryWeak));
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("rating", terminal.backend());
}

#[test]
fn rating_screen_first_face_has_no_guess_yet() {
    let fx = fixture();
    let mut app = fx.app("ana");
    let terminal = draw(&mut app, 60, 20);
    insta::assert_snapshot!("rating_first_60x20", terminal.backend());
}

/// `ana` rated every face: the reveal's build-up has begun.
fn revealing(fx: &Fixture) -> mytype::ui::App {
    let mut app = fx.app("ana");
    for i in 0..MODELS {
        let r = Rating::ALL[i % 5];
        act(&mut app, &fx.store, Action::Rate(r));
    }
    assert_eq!(app.screen, Screen::Reveal);
    assert!(app.building_up());
    app
}

#[test]
fn reveal_screen() {
    let fx = fixture();
    let mut app = revealing(&fx);
    finish_buildup(&mut app);
    let terminal = draw(&mut app, 90, 26);
    insta::assert_snapshot!("reveal", terminal.backend());
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("reveal_80x24", terminal.backend());
    let terminal = draw(&mut app, 60, 20);
    insta::assert_snapshot!("reveal_60x20", terminal.backend());
}

#[test]
fn reveal_buildup_midway() {
    let fx = fixture();
    let mut app = revealing(&fx);
    for _ in 0..mytype::ui::app::buildup::FRAMES / 2 {
        app.apply(Action::Tick);
    }
    assert!(app.building_up());
    let terminal = draw(&mut app, 80, 24);
    let text = screen_text(&terminal);
    // The leading candidates by name, one highlighted; the pick not told.
    let rec = app.guess.clone().unwrap();
    for candidate in &rec.top {
        assert!(text.contains(&candidate.name), "{text}");
    }
    assert_eq!(text.matches('▸').count(), 1, "{text}");
    assert!(!text.contains("You will like this one"), "{text}");
    insta::assert_snapshot!("reveal_buildup", terminal.backend());
    let terminal = draw(&mut app, 60, 20);
    insta::assert_snapshot!("reveal_buildup_60x20", terminal.backend());
}

#[test]
fn reveal_screen_at_60x20() {
    let fx = fixture();
    let mut app = fx.app("ana");
    for i in 0..MODELS {
        act(&mut app, &fx.store, Action::Rate(Rating::ALL[i % 5]));
    }
    finish_buildup(&mut app);
    let terminal = draw(&mut app, 60, 20);
    let last = screen_text(&terminal)
        .lines()
        .last()
        .unwrap()
        .trim_end()
        .to_string();
    // The screen itself is the `reveal_60x20` snapshot of `reveal_screen`.
    // Every face is rated: no "b back".
    assert_eq!(last, strings::HINTS_REVEAL_ALL_RATED.short);
}

/// At the smallest size the game lays out for, each screen's key hints
/// are the short line, whole; at 100 columns the full one.
#[test]
fn key_hints_are_shortened_not_cut() {
    for hints in [
        strings::HINTS_RATING,
        strings::HINTS_REVEAL,
        strings::HINTS_REPLAY,
        strings::HINTS_REPLAY_END,
    ] {
        assert!(
            hints.short.chars().count() <= usize::from(mytype::ui::MIN_WIDTH),
            "{hints:?}"
        );
        assert!(hints.short.ends_with("q quit"), "{hints:?}");
        let full = hints.full.chars().count() as u16;
        assert_eq!(hints.fitting(full), hints.full);
        assert_eq!(hints.fitting(full - 1), hints.short);
    }
    let fx = fixture();
    let mut app = fx.app("ana");
    let line = |app: &mut mytype::ui::App, w: u16| {
        let text = screen_text(&draw(app, w, 24));
        text.lines().last().unwrap().trim_end().to_string()
    };
    assert_eq!(line(&mut app, 60), strings::HINTS_RATING.short);
    assert_eq!(line(&mut app, 100), strings::HINTS_RATING.full);
}

#[test]
fn help_screen() {
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Help);
    let terminal = draw(&mut app, 80, 24);
    insta::assert_snapshot!("help", terminal.backend());
}

#[test]
fn too_small_screen() {
    let fx = fixture();
    let mut app = fx.app("ana");
    let terminal = draw(&mut app, 50, 12);
    insta::assert_snapshot!("too_small", terminal.backend());
    assert!(screen_text(&terminal).contains(strings::TOO_SMALL_HINT));
    // A game that saves nothing does not promise it.
    app.read_only = true;
    let text = screen_text(&draw(&mut app, 50, 12));
    assert!(text.contains(strings::TOO_SMALL_HINT_UNSAVED), "{text}");
}

#[test]
fn broken_image_shows_a_message_instead() {
    let fx = fixture();
    std::fs::write(fx.pack.dir().join("images/m001.png"), b"not a png at all").unwrap();
    let mut app = fx.app("ana");
    let terminal = draw(&mut app, 80, 24);
    let text = screen_text(&terminal);
    assert!(text.contains("cannot be shown"), "{text}");
    assert!(text.contains("Press s to skip it."), "{text}");
    act(&mut app, &fx.store, Action::Skip);
    assert_eq!(app.current_face().unwrap().id, "m002");
}
