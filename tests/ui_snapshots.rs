//! Snapshots of every screen, rendered into ratatui's TestBackend.

mod ui_support;

use mytype::core::rating::Rating;
use mytype::ui::{Action, Screen};
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

#[test]
fn reveal_screen() {
    let fx = fixture();
    let mut app = fx.app("ana");
    for i in 0..MODELS {
        let r = Rating::ALL[i % 5];
        act(&mut app, &fx.store, Action::Rate(r));
    }
    assert_eq!(app.screen, Screen::Reveal);
    let terminal = draw(&mut app, 90, 26);
    insta::assert_snapshot!("reveal", terminal.backend());
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
