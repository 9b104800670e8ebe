//! The game's rules through `App::apply`, key bindings and saving, without a terminal.

mod ui_support;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use mytype::core::rating::Rating;
use mytype::model::crowd::CrowdScores;
use mytype::ui::app::{Order, StatusKind, MIN_RATINGS_TO_REVEAL};
use mytype::ui::{keys, rating, Action, Effect, Overlay, Screen};
use ratatui::layout::Rect;
use ui_support::*;

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn every_rating_is_saved_and_the_guess_changes() {
    let fx = fixture();
    let mut app = fx.app("ana");
    assert_eq!(app.screen, Screen::Rating);
    assert_eq!(app.current_face().unwrap().id, "m001");
    assert!(app.guess.is_none());
    assert_eq!(app.apply(Action::Rate(Rating::Type)), vec![Effect::Save]);
    app.perform(Effect::Save, &fx.store);
    let saved = fx.store.load("ana").unwrap();
    assert_eq!(saved.ratings.len(), 1);
    assert_eq!(saved.ratings[0].face, "m001");
    assert_eq!(saved.ratings[0].level, Rating::Type);
    assert!(app.guess.is_some());
    assert_eq!(app.current_face().unwrap().id, "m002");
    let mut guesses = vec![app.guess.clone().unwrap()];
    for r in [Rating::VeryWeak, Rating::Normal, Rating::SlightlyLike] {
        act(&mut app, &fx.store, Action::Rate(r));
        guesses.push(app.guess.clone().unwrap());
    }
    assert_eq!(fx.store.load("ana").unwrap().ratings.len(), 4);
    // The guess is recomputed after every rating (its evidence grows).
    for pair in guesses.windows(2) {
        assert_ne!(pair[0], pair[1]);
    }
}

#[test]
fn arrows_and_enter_rate_the_highlighted_button() {
    let fx = fixture();
    let mut app = fx.app("ana");
    assert_eq!(app.selected, Rating::Normal);
    act(&mut app, &fx.store, Action::Left);
    act(&mut app, &fx.store, Action::Left);
    act(&mut app, &fx.store, Action::Left);
    assert_eq!(app.selected, Rating::Type);
    act(&mut app, &fx.store, Action::Right);
    assert_eq!(app.selected, Rating::SlightlyLike);
    act(&mut app, &fx.store, Action::Confirm);
    assert_eq!(app.profile.ratings[0].level, Rating::SlightlyLike);
}

#[test]
fn undo_forgets_the_last_rating_and_shows_that_face_again() {
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Rate(Rating::Type));
    act(&mut app, &fx.store, Action::Rate(Rating::Normal));
    act(&mut app, &fx.store, Action::Undo);
    assert_eq!(app.current_face().unwrap().id, "m002");
    assert_eq!(app.selected, Rating::Normal);
    assert_eq!(fx.store.load("ana").unwrap().ratings.len(), 1);
    act(&mut app, &fx.store, Action::Undo);
    act(&mut app, &fx.store, Action::Undo);
    assert_eq!(app.current_face().unwrap().id, "m001");
    assert!(app.guess.is_none());
    assert!(fx.store.load("ana").unwrap().ratings.is_empty());
}

#[test]
fn skip_moves_on_and_early_reveal_needs_ten_ratings() {
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Skip);
    assert_eq!(app.current_face().unwrap().id, "m002");
    for _ in 0..MIN_RATINGS_TO_REVEAL - 1 {
        act(&mut app, &fx.store, Action::Rate(Rating::Normal));
    }
    act(&mut app, &fx.store, Action::Reveal);
    assert_eq!(app.screen, Screen::Rating);
    assert!(app.status.as_ref().unwrap().text.contains("at least 10"));
    act(&mut app, &fx.store, Action::Rate(Rating::Type));
    act(&mut app, &fx.store, Action::Reveal);
    assert_eq!(app.screen, Screen::Reveal);
    assert!(app.revealed);
    // Back to the faces left, the skipped one included.
    act(&mut app, &fx.store, Action::Back);
    assert_eq!(app.screen, Screen::Rating);
    assert_eq!(app.current_face().unwrap().id, "m001");
}

#[test]
fn rating_every_face_reveals_and_skipped_faces_do_not_block_the_reveal() {
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Skip);
    for _ in 1..MODELS {
        act(&mut app, &fx.store, Action::Rate(Rating::SlightlyLike));
    }
    assert_eq!(app.screen, Screen::Reveal);
    let rec = app.guess.clone().unwrap();
    assert!(rec.pick.id.starts_with('c'));
    assert_eq!(rec.top.len(), 5);
}

#[test]
fn resume_continues_with_the_next_unrated_face() {
    let fx = fixture();
    let mut app = fx.app("ana");
    for _ in 0..3 {
        act(&mut app, &fx.store, Action::Rate(Rating::Normal));
    }
    act(&mut app, &fx.store, Action::Quit);
    assert!(app.quit);
    let app = fx.app("ana");
    assert_eq!(app.screen, Screen::Rating);
    assert_eq!(app.current_face().unwrap().id, "m004");
    assert_eq!(app.rated(), 3);
}

#[test]
fn a_finished_profile_opens_on_its_reveal_and_can_start_a_new_round() {
    let fx = fixture();
    let mut app = fx.app("ana");
    for _ in 0..MODELS {
        act(&mut app, &fx.store, Action::Rate(Rating::Type));
    }
    let mut app = fx.app("ana");
    assert_eq!(app.screen, Screen::Reveal);
    act(&mut app, &fx.store, Action::NewRound);
    assert_eq!(app.overlay, Overlay::ConfirmNewRound);
    act(&mut app, &fx.store, Action::No);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.screen, Screen::Reveal);
    act(&mut app, &fx.store, Action::NewRound);
    act(&mut app, &fx.store, Action::Yes);
    assert_eq!(app.screen, Screen::Rating);
    assert_eq!(app.current_face().unwrap().id, "m001");
    assert!(fx.store.load("ana").unwrap().ratings.is_empty());
    assert_eq!(fx.store.load("ana-1").unwrap().ratings.len(), MODELS);
    assert!(app.status.as_ref().unwrap().text.contains("ana-1"));
}

#[test]
fn a_failed_save_is_reported_and_retried() {
    let fx = fixture();
    // The profiles "folder" is a file: every save fails.
    let blocked = fx.dir.path().join("blocked");
    std::fs::write(&blocked, b"x").unwrap();
    let bad = mytype::profile::ProfileStore::at(&blocked);
    let mut app = fx.app("ana");
    act(&mut app, &bad, Action::Rate(Rating::Type));
    assert!(app.save_pending);
    assert_eq!(app.status.as_ref().unwrap().kind, StatusKind::Error);
    assert_eq!(app.profile.ratings.len(), 1);
    // Quit refuses once, then leaves anyway.
    act(&mut app, &bad, Action::Quit);
    assert!(!app.quit);
    // The next save to a working store writes both ratings.
    act(&mut app, &fx.store, Action::Rate(Rating::Normal));
    assert!(!app.save_pending);
    assert_eq!(fx.store.load("ana").unwrap().ratings.len(), 2);
    act(&mut app, &bad, Action::Quit);
    act(&mut app, &bad, Action::Quit);
    assert!(app.quit);
}

#[test]
fn keys_map_to_actions() {
    let fx = fixture();
    let mut app = fx.app("ana");
    let area = Rect::new(0, 0, 80, 24);
    let map = |app: &mytype::ui::App, ev: Event| keys::action_for_event(app, &ev, area);
    assert_eq!(
        map(&app, key(KeyCode::Char('5'))),
        Some(Action::Rate(Rating::Type))
    );
    assert_eq!(
        map(&app, key(KeyCode::Char('1'))),
        Some(Action::Rate(Rating::VeryWeak))
    );
    assert_eq!(map(&app, key(KeyCode::Enter)), Some(Action::Confirm));
    assert_eq!(map(&app, key(KeyCode::Char('u'))), Some(Action::Undo));
    assert_eq!(map(&app, key(KeyCode::Char('s'))), Some(Action::Skip));
    assert_eq!(map(&app, key(KeyCode::Char('q'))), Some(Action::Quit));
    assert_eq!(map(&app, key(KeyCode::Esc)), Some(Action::Quit));
    assert_eq!(map(&app, key(KeyCode::Char('?'))), Some(Action::Help));
    assert_eq!(map(&app, key(KeyCode::Char('x'))), None);
    assert_eq!(
        map(
            &app,
            Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
        ),
        Some(Action::Quit)
    );
    // Any key closes the help, even q (it does not quit).
    act(&mut app, &fx.store, Action::Help);
    assert_eq!(map(&app, key(KeyCode::Char('q'))), Some(Action::Dismiss));
    act(&mut app, &fx.store, Action::Dismiss);
    assert_eq!(app.overlay, Overlay::None);
    assert!(!app.quit);
}

#[test]
fn clicking_a_button_rates_with_it() {
    let fx = fixture();
    let app = fx.app("ana");
    let area = Rect::new(0, 0, 80, 24);
    let layout = rating::layout(area);
    for (i, expected) in mytype::ui::App::BUTTONS.iter().enumerate() {
        let b = layout.buttons[i];
        let click = Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: b.x + b.width / 2,
            row: b.y + 1,
            modifiers: KeyModifiers::NONE,
        });
        assert_eq!(
            keys::action_for_event(&app, &click, area),
            Some(Action::Rate(*expected))
        );
    }
    let elsewhere = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 1,
        row: 1,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(keys::action_for_event(&app, &elsewhere, area), None);
}

#[test]
fn every_screen_renders_at_many_sizes_without_panicking() {
    let fx = fixture();
    let mut app = fx.app("ana");
    for (w, h) in [
        (1, 1),
        (20, 5),
        (59, 19),
        (60, 20),
        (61, 21),
        (120, 40),
        (300, 90),
    ] {
        draw(&mut app, w, h);
    }
    for _ in 0..MODELS {
        act(&mut app, &fx.store, Action::Rate(Rating::Normal));
    }
    act(&mut app, &fx.store, Action::Help);
    for (w, h) in [(1, 1), (60, 20), (200, 60)] {
        draw(&mut app, w, h);
    }
}

#[test]
fn no_color_theme_has_no_colours() {
    use ratatui::style::Color;
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Rate(Rating::Type));
    // Render without images: only text styles are checked.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| mytype::ui::render(&app, f)).unwrap();
    let buf = terminal.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "coloured cell {cell:?}");
        assert_eq!(cell.bg, Color::Reset, "coloured cell {cell:?}");
    }
}

/// Crowd scores that love celebrity c003 and model faces m001..m006.
fn crowd_favouring_c003(fx: &Fixture) -> (CrowdScores, CrowdScores) {
    let mut crowd = CrowdScores::new();
    for rater in ["r1", "r2", "r3", "r4", "r5"] {
        crowd.add_rater(
            rater,
            fx.pack.faces().iter().map(|f| {
                let loved = f.id == "c003" || (f.id.starts_with('m') && f.id.as_str() <= "m006");
                (f.id.as_str(), if loved { 5.0 } else { 1.0 })
            }),
        );
    }
    (crowd.clone(), crowd)
}

#[test]
fn adaptive_order_asks_every_face_once_and_resumes_where_it_left() {
    let fx = fixture();
    let mut app = fx.app("ana").with_options(Order::Adaptive, None);
    let mut asked = Vec::new();
    for i in 0..MODELS {
        let face = app.current_face().unwrap().id.clone();
        assert!(!asked.contains(&face), "{face} asked twice");
        asked.push(face);
        if i == 4 {
            // Quit and come back: the same next face, chosen from the saved ratings.
            let next = app.current_face().unwrap().id.clone();
            let resumed = fx.app("ana").with_options(Order::Adaptive, None);
            assert_eq!(resumed.current_face().unwrap().id, next);
        }
        let r = Rating::ALL[i % 5];
        act(&mut app, &fx.store, Action::Rate(r));
    }
    assert_eq!(app.screen, Screen::Reveal);
    assert_eq!(fx.store.load("ana").unwrap().ratings.len(), MODELS);
}

#[test]
fn a_settled_pick_offers_the_reveal_early() {
    let fx = fixture();
    let crowd = crowd_favouring_c003(&fx);
    let mut app = fx.app("ana").with_options(Order::Pack, Some(crowd));
    assert!(app.has_crowd());
    // The player agrees with the crowd.
    for i in 0..MIN_RATINGS_TO_REVEAL - 1 {
        let id = app.current_face().unwrap().id.clone();
        let r = if id.as_str() <= "m006" {
            Rating::Type
        } else {
            Rating::VeryWeak
        };
        act(&mut app, &fx.store, Action::Rate(r));
        assert_eq!(
            app.guess.as_ref().unwrap().pick.id,
            "c003",
            "after {}",
            i + 1
        );
        assert!(!app.settled());
    }
    act(&mut app, &fx.store, Action::Rate(Rating::VeryWeak));
    assert!(app.settled());
    let status = app.status.clone().unwrap();
    assert!(status.text.contains("Press r to reveal"), "{status:?}");
    assert!(status.text.contains("Person 15"), "{status:?}");
    // The offer stays while the pick does, counting the ratings it held.
    act(&mut app, &fx.store, Action::Rate(Rating::VeryWeak));
    let status = app.status.clone().unwrap();
    assert!(status.text.contains("for 11 ratings"), "{status:?}");
    // The crowd is one of the reasons.
    assert!(app
        .guess
        .as_ref()
        .unwrap()
        .because
        .iter()
        .any(|r| r.attribute == "crowd"));
    act(&mut app, &fx.store, Action::Reveal);
    assert_eq!(app.screen, Screen::Reveal);
}

#[test]
fn a_big_pack_is_played_in_rounds_of_fifty() {
    use mytype::ui::app::ROUND;
    let fx = fixture_of(2 * ROUND + 7, 3);
    let store = &fx.store;
    let mut app = fx.app("bo");
    let counter = |app: &mytype::ui::App| {
        let name = app.current_face().unwrap().name.clone();
        mytype::ui::strings::face_counter(app.position(), app.total(), &name)
    };
    assert!(
        counter(&app).starts_with("Face 1 of 50 "),
        "{}",
        counter(&app)
    );
    for _ in 0..ROUND - 1 {
        act(&mut app, store, Action::Rate(Rating::Normal));
    }
    assert_eq!(app.screen, Screen::Rating);
    assert!(
        counter(&app).starts_with("Face 50 of 50 "),
        "{}",
        counter(&app)
    );
    act(&mut app, store, Action::Rate(Rating::Type));
    // The round ends with the reveal, though faces are left in the pack.
    assert_eq!(app.screen, Screen::Reveal);
    assert!(app.revealed);
    assert_eq!((app.rated(), app.total()), (ROUND, ROUND));
    let status = app.status.as_ref().unwrap();
    assert!(status.text.contains("b to rate more"), "{}", status.text);
    assert_eq!(store.load("bo").unwrap().ratings.len(), ROUND);
    // `b` plays the next fifty.
    act(&mut app, store, Action::Back);
    assert_eq!(app.screen, Screen::Rating);
    assert!(
        counter(&app).starts_with("Face 51 of 100 "),
        "{}",
        counter(&app)
    );
    for _ in 0..ROUND {
        act(&mut app, store, Action::Rate(Rating::Normal));
    }
    assert_eq!(app.screen, Screen::Reveal);
    act(&mut app, store, Action::Back);
    // The last round is what the pack has left.
    assert!(
        counter(&app).starts_with("Face 101 of 107 "),
        "{}",
        counter(&app)
    );
    for _ in 0..7 {
        act(&mut app, store, Action::Rate(Rating::Normal));
    }
    assert_eq!(app.screen, Screen::Reveal);
    assert_eq!((app.rated(), app.total()), (2 * ROUND + 7, 2 * ROUND + 7));
    assert_eq!(store.load("bo").unwrap().ratings.len(), 2 * ROUND + 7);
}

#[test]
fn a_resumed_big_pack_picks_up_the_next_round() {
    use mytype::ui::app::ROUND;
    let fx = fixture_of(ROUND + 20, 3);
    let mut profile = mytype::profile::Profile::new("cy", &fx.pack);
    for face in fx.pack.model_faces().take(ROUND) {
        profile.push(&face.id, Rating::Normal);
    }
    fx.store.save("cy", &profile).unwrap();
    let app = fx.app("cy");
    assert_eq!(app.screen, Screen::Rating);
    assert_eq!((app.position(), app.total()), (ROUND + 1, ROUND + 20));
}
