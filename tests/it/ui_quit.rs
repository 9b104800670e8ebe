//! How a game ends: the lines printed after the TUI closes, in every state
//! (the game driven through the runtime, keys fed as a remote session's),
//! and pasted text or Alt keys that must not play.

use crate::ui_support::*;
use mytype::signals::Stop;
use mytype::ui::input::{ChannelInput, Feed};
use mytype::ui::runtime::{self, Ended, Pictures, Session, SharedOutput};
use mytype::ui::terminal::term_env::ColorDepth;
use mytype::ui::{strings, App, Outcome};

const RESUME: &str = "mytype --profile ana";

/// Runs `app` until it quits on `keys` (each fed as one read).
fn drive(fx: &Fixture, app: App, keys: &[&[u8]]) -> Ended<App> {
    let (feed, input) = ChannelInput::new();
    let session = Session::new(input, SharedOutput::default(), (80, 24))
        .pictures(Pictures::halfblocks(ColorDepth::TrueColor))
        .alternate_screen(true);
    for k in keys {
        feed.send(Feed::Bytes(k.to_vec())).unwrap();
    }
    // The input ends after the keys: a game they don't quit fails, not hangs.
    drop(feed);
    let ended = runtime::run(session, app, Some(&fx.store)).expect("the session runs");
    assert!(ended.state.quit, "the keys quit the game");
    ended
}

fn lines(ended: &Ended<App>) -> Vec<String> {
    Outcome::of(ended).farewell_lines(RESUME)
}

/// The pick's name as the farewell says it.
fn says_type(lines: &[String]) -> bool {
    lines
        .iter()
        .any(|l| l.starts_with("The AI says my type is"))
}

#[test]
fn before_any_reveal_the_only_line_is_the_command_that_continues() {
    let fx = fixture();
    let ended = drive(&fx, fx.app("ana"), &[b"5", b"4", b"3q"]);
    assert_eq!(
        lines(&ended),
        vec![strings::paused("ana", 3, MODELS, RESUME)]
    );
}

#[test]
fn after_a_reveal_and_back_the_last_line_is_still_the_command_that_continues() {
    let fx = fixture();
    // Ten ratings, r, any key skips the build-up, b, one more rating, q.
    let ended = drive(
        &fx,
        fx.app("ana"),
        &[b"5432154321", b"r", b" ", b"b", b"4", b"q"],
    );
    let lines = lines(&ended);
    assert_eq!(
        lines.last().unwrap(),
        &strings::paused("ana", 11, MODELS, RESUME),
        "{lines:?}"
    );
    // "my type is" only for the pick on screen, if it still stands.
    let standing = ended.state.standing_pick().map(|g| g.pick.name.clone());
    match standing {
        Some(name) => assert_eq!(lines[0], strings::farewell(&name)),
        None => assert!(!says_type(&lines), "{lines:?}"),
    }
}

#[test]
fn an_undo_below_ten_ratings_takes_the_pick_back() {
    let fx = fixture();
    let ended = drive(&fx, fx.app("ana"), &[b"5432154321", b"r", b" ", b"u", b"q"]);
    assert_eq!(
        lines(&ended),
        vec![strings::paused("ana", 9, MODELS, RESUME)],
        "no guess made below the minimum is called my type"
    );
}

#[test]
fn a_pick_changed_by_later_ratings_is_not_called_my_type() {
    use mytype::core::rating::Rating;
    use mytype::ui::Action;
    let fx = fixture_of(40, 5);
    let mut app = fx.app("ana");
    for r in Rating::ALL.iter().cycle().take(10) {
        act(&mut app, &fx.store, Action::Rate(*r));
    }
    act(&mut app, &fx.store, Action::Reveal);
    assert!(
        app.standing_pick().is_none(),
        "not seen during the build-up"
    );
    finish_buildup(&mut app);
    assert!(app.standing_pick().is_some(), "the pick on screen stands");
    act(&mut app, &fx.store, Action::Back);
    act(&mut app, &fx.store, Action::Rate(Rating::Type));
    // Later ratings make the model pick another face (here: by hand).
    let mut guess = app.guess.clone().unwrap();
    guess.pick.id = "someone-else".into();
    app.guess = Some(guess);
    assert!(app.standing_pick().is_none());
}

#[test]
fn with_every_face_rated_the_last_line_names_the_pick_seen() {
    let fx = fixture();
    let all = b"543215432154";
    assert_eq!(all.len(), MODELS);
    let ended = drive(&fx, fx.app("ana"), &[all, b" ", b"q"]);
    let name = ended.state.guess.as_ref().unwrap().pick.name.clone();
    assert_eq!(lines(&ended), vec![strings::farewell(&name)]);
}

#[test]
fn quitting_during_the_build_up_names_no_pick_and_says_how_to_see_it() {
    let fx = fixture();
    let ended = drive(&fx, fx.app("ana"), &[b"543215432154\x03"]);
    assert_eq!(
        lines(&ended),
        vec![strings::all_rated("ana", MODELS, RESUME)]
    );
}

#[test]
fn a_read_only_game_ends_saying_nothing_was_saved() {
    let fx = fixture();
    let mut app = fx.app("ana");
    app.read_only = true;
    let ended = drive(&fx, app, &[b"55q"]);
    assert_eq!(
        lines(&ended),
        vec![strings::read_only_done("ana", 2, MODELS)]
    );
    assert!(fx.store.load_optional("ana").unwrap().is_none());
}

#[test]
fn a_stopped_game_says_why_then_the_command_that_continues() {
    let fx = fixture();
    let ended = drive(&fx, fx.app("ana"), &[b"55q"]);
    let mut outcome = Outcome::of(&ended);
    outcome.farewell.stopped = Some(Stop(1));
    assert_eq!(
        outcome.farewell_lines(RESUME),
        vec![
            "mytype stopped: the terminal hung up (SIGHUP).".to_string(),
            strings::paused("ana", 2, MODELS, RESUME)
        ]
    );
}

#[test]
fn pasted_text_and_alt_keys_neither_rate_nor_quit() {
    let fx = fixture();
    let paste = b"\x1b[200~hello 5 4 world q\x1b[201~";
    // Alt-5 and Alt-q, each sent as one read (as a terminal sends them).
    let ended = drive(
        &fx,
        fx.app("ana"),
        &[b"5", paste, b"\x1b5", b"\x1bq", b"4q"],
    );
    assert_eq!(ended.state.rated(), 2, "only the plain 5 and 4 rated");
}

#[test]
fn u_after_s_brings_the_skipped_face_back_with_the_highlight_on_normal() {
    use mytype::core::rating::Rating;
    use mytype::ui::Action;
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Rate(Rating::Type));
    let skipped = app.current_face().unwrap().id.clone();
    act(&mut app, &fx.store, Action::Left);
    assert_eq!(app.selected, Rating::SlightlyLike);
    act(&mut app, &fx.store, Action::Skip);
    assert_ne!(app.current_face().unwrap().id, skipped);
    assert_eq!(
        app.selected,
        Rating::Normal,
        "the highlight goes back to Normal"
    );
    act(&mut app, &fx.store, Action::Undo);
    assert_eq!(app.current_face().unwrap().id, skipped, "u undid the skip");
    assert_eq!(app.rated(), 1, "and not the rating before it");
    act(&mut app, &fx.store, Action::Undo);
    assert_eq!(app.rated(), 0, "a second u undoes the rating");
}

#[test]
fn the_reveal_offers_no_way_back_when_every_face_is_rated() {
    use mytype::core::rating::Rating;
    use mytype::ui::Action;
    let fx = fixture();
    let mut app = fx.app("ana");
    for r in Rating::ALL.iter().cycle().take(MODELS) {
        act(&mut app, &fx.store, Action::Rate(*r));
    }
    finish_buildup(&mut app);
    let screen = screen_text(&draw(&mut app, 100, 32));
    assert!(screen.contains("n new round"), "{screen}");
    assert!(!screen.contains("b back"), "{screen}");
    assert!(!screen.contains("rate more faces"), "{screen}");
}

#[test]
fn a_long_status_is_cut_between_words_and_says_so() {
    use mytype::ui::screens::widgets::fit_words;
    let text = strings::confident_offer("Kwame Castellano", 12);
    assert_eq!(fit_words(&text, 100), text, "fits 100 columns whole");
    assert!(text.ends_with('.'));
    let cut = fit_words(
        &strings::confident_offer("A Very Long Name Indeed Longer", 12),
        60,
    );
    assert!(cut.chars().count() <= 60 && cut.ends_with('…'), "{cut}");
    let before = cut.trim_end_matches('…');
    assert!(
        strings::confident_offer("A Very Long Name Indeed Longer", 12)
            .starts_with(&format!("{before} ")),
        "cut after a whole word: {cut}"
    );
}

#[test]
fn the_help_keeps_its_key_column_at_60_by_20() {
    use mytype::ui::Action;
    let fx = fixture();
    let mut app = fx.app("ana");
    act(&mut app, &fx.store, Action::Help);
    let screen = screen_text(&draw(&mut app, 60, 20));
    // "5 4 3 2 1" is the widest label here but one: the description column
    // starts after the widest label and two spaces, on every row.
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains('│')).collect();
    let first = rows
        .iter()
        .find(|l| l.contains("5 4 3 2 1"))
        .expect(&screen);
    let column = first.find("Type,").unwrap();
    let wrapped = rows
        .iter()
        .skip_while(|l| !l.contains("5 4 3 2 1"))
        .nth(1)
        .unwrap();
    let text_at = wrapped
        .char_indices()
        .skip(1)
        .find(|(_, c)| !c.is_whitespace() && *c != '│')
        .map(|(i, _)| i)
        .unwrap();
    assert_eq!(text_at, column, "continued under its own text:\n{screen}");
}
