//! `mytype replay`: the replay state through `Replay::apply`, its keys, its
//! screens (insta snapshots) and the promise never to touch the profile.

use crate::ui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use mytype::core::rating::Rating;
use mytype::game::recommend::{Recommendation, Recommender};
use mytype::pack::{write_manifest, Pack};
use mytype::profile::{Profile, RatingEntry};
use mytype::ui::app::TOP_K;
use mytype::ui::screens::replay::{self, Replay, ReplayAction, ReplayError};
use mytype::ui::theme::Theme;
use mytype::ui::Screen;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use ui_support::*;

/// The level `ana` gave the i-th face.
fn level(i: usize) -> Rating {
    Rating::ALL[(i * 3 + 1) % 5]
}

/// `ana` rated every face of the test pack in order.
fn profile(fx: &Fixture) -> Profile {
    let mut p = Profile::new("ana", &fx.pack);
    for i in 0..MODELS {
        p.ratings.push(RatingEntry {
            face: format!("m{:03}", i + 1),
            level: level(i),
            time: format!("2026-01-01T20:00:{i:02}Z"),
        });
    }
    p
}

fn replay_of(fx: &Fixture, p: &Profile, reveal: Option<Pack>) -> Replay {
    Replay::new("ana", p, fx.pack.clone(), reveal, Theme::plain()).unwrap()
}

/// What a recommender fed the first `k` ratings of `p` picks.
fn fed_first(fx: &Fixture, p: &Profile, k: usize) -> Recommendation {
    let mut rec = Recommender::new(&fx.pack, None).unwrap();
    let mut prefix = p.clone();
    prefix.ratings.truncate(k);
    for (face, level) in prefix.latest_ratings() {
        rec.learn(face, level).unwrap();
    }
    rec.recommend(TOP_K, &|id| prefix.has_rated(id))
}

fn draw(replay: &mut Replay, w: u16, h: u16) -> Terminal<TestBackend> {
    let picker = ratatui_image::picker::Picker::halfblocks();
    replay::load_images_now(replay, Rect::new(0, 0, w, h), &picker);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| replay::render(replay, f)).unwrap();
    terminal
}

/// Lets the reveal's build-up run out, as the clock does with no key pressed.
fn finish_replay_buildup(r: &mut Replay) {
    for _ in 0..mytype::ui::app::buildup::FRAMES {
        if !r.building_up() {
            return;
        }
        r.apply(ReplayAction::Tick);
    }
    assert!(!r.building_up(), "the build-up did not end");
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn starts_on_the_first_rating_playing() {
    let fx = fixture();
    let r = replay_of(&fx, &profile(&fx), None);
    assert_eq!(r.len(), MODELS);
    assert_eq!(r.step(), 1);
    let (face, lvl) = r.current().unwrap();
    assert_eq!(face.id, "m001");
    assert_eq!(lvl, level(0));
    assert!(r.playing());
    assert!(!r.finished);
    assert_eq!(r.guess.as_ref().unwrap().ratings, 1);
}

#[test]
fn the_clock_steps_through_every_rating_then_reveals() {
    let fx = fixture();
    let p = profile(&fx);
    let mut r = replay_of(&fx, &p, None);
    for k in 2..=MODELS {
        r.apply(ReplayAction::Tick);
        assert_eq!(r.step(), k);
        assert_eq!(r.current().unwrap().0.id, format!("m{k:03}"));
        assert_eq!(r.current().unwrap().1, level(k - 1));
        assert!(!r.finished);
    }
    r.apply(ReplayAction::Tick);
    assert!(r.finished);
    assert!(!r.playing());
    r.apply(ReplayAction::Tick);
    assert!(r.finished);
    assert_eq!(r.step(), MODELS);
    // The reveal is the one `play` shows for the whole profile.
    let full = Recommender::from_profile(&fx.pack, None, &p).unwrap();
    assert_eq!(
        r.guess.as_ref().unwrap(),
        &full.recommend(TOP_K, &|id| p.has_rated(id))
    );
}

#[test]
fn space_pauses_and_resumes() {
    let fx = fixture();
    let mut r = replay_of(&fx, &profile(&fx), None);
    r.apply(ReplayAction::PlayPause);
    assert!(r.paused);
    assert!(!r.playing());
    r.apply(ReplayAction::Tick);
    r.apply(ReplayAction::Tick);
    assert_eq!(r.step(), 1, "a paused replay does not move");
    r.apply(ReplayAction::PlayPause);
    assert!(r.playing());
    r.apply(ReplayAction::Tick);
    assert_eq!(r.step(), 2);
}

#[test]
fn arrows_step_and_pause_and_back_relearns() {
    let fx = fixture();
    let p = profile(&fx);
    let mut r = replay_of(&fx, &p, None);
    r.apply(ReplayAction::Forward);
    assert!(r.paused, "stepping by hand pauses");
    assert_eq!(r.step(), 2);
    r.apply(ReplayAction::Forward);
    r.apply(ReplayAction::Forward);
    assert_eq!(r.step(), 4);
    r.apply(ReplayAction::Back);
    assert_eq!(r.step(), 3);
    assert_eq!(r.guess.as_ref().unwrap(), &fed_first(&fx, &p, 3));
    r.apply(ReplayAction::Back);
    r.apply(ReplayAction::Back);
    r.apply(ReplayAction::Back);
    assert_eq!(r.step(), 1, "back stops at the first rating");
    assert_eq!(r.guess.as_ref().unwrap(), &fed_first(&fx, &p, 1));

    r.apply(ReplayAction::Last);
    assert!(r.finished);
    finish_replay_buildup(&mut r);
    r.apply(ReplayAction::Back);
    assert!(!r.finished, "back from the reveal shows the last rating");
    assert_eq!(r.step(), MODELS);
    r.apply(ReplayAction::Forward);
    assert!(r.finished);
    finish_replay_buildup(&mut r);
    r.apply(ReplayAction::First);
    assert_eq!(r.step(), 1);
    assert!(!r.finished);

    // Space at the end replays from the start.
    r.apply(ReplayAction::Last);
    finish_replay_buildup(&mut r);
    r.apply(ReplayAction::PlayPause);
    assert_eq!(r.step(), 1);
    assert!(r.playing());
}

#[test]
fn the_guess_after_k_ratings_is_a_recommender_fed_the_first_k() {
    let fx = fixture();
    let p = profile(&fx);
    let mut r = replay_of(&fx, &p, None);
    let mut guesses = Vec::new();
    for k in 1..=MODELS {
        assert_eq!(r.step(), k);
        let want = fed_first(&fx, &p, k);
        assert_eq!(r.guess.as_ref().unwrap(), &want, "after {k} ratings");
        assert_eq!(want.ratings, k);
        guesses.push(want);
        r.apply(ReplayAction::Tick);
    }
    // The confidence and pick change as it goes.
    assert!(guesses.windows(2).any(|w| w[0].pick != w[1].pick));
    finish_replay_buildup(&mut r);
    // Back from the reveal shows the last rating, then each one before it,
    // with the same guesses.
    for k in (1..=MODELS).rev() {
        r.apply(ReplayAction::Back);
        assert_eq!(r.step(), k);
        assert_eq!(r.guess.as_ref().unwrap(), &guesses[k - 1]);
    }
}

#[test]
fn a_re_rated_face_counts_once_with_its_latest_level() {
    let fx = fixture();
    let mut p = profile(&fx);
    p.ratings.truncate(4);
    p.ratings.push(RatingEntry {
        face: "m002".into(),
        level: Rating::Type,
        time: "2026-01-01T20:01:00Z".into(),
    });
    p.ratings.push(RatingEntry {
        face: "m005".into(),
        level: Rating::VeryWeak,
        time: "2026-01-01T20:01:05Z".into(),
    });
    let mut r = replay_of(&fx, &p, None);
    assert_eq!(r.len(), 6);
    for k in 1..=6 {
        assert_eq!(r.guess.as_ref().unwrap(), &fed_first(&fx, &p, k), "k={k}");
        r.apply(ReplayAction::Forward);
    }
    assert_eq!(r.guess.as_ref().unwrap().ratings, 5);
}

#[test]
fn ratings_of_faces_the_pack_lacks_are_left_out_and_nothing_left_is_an_error() {
    let fx = fixture();
    let mut p = profile(&fx);
    p.ratings.truncate(3);
    for face in ["zz999", "c001"] {
        p.ratings.insert(
            1,
            RatingEntry {
                face: face.into(),
                level: Rating::Type,
                time: "2026-01-01T20:00:00Z".into(),
            },
        );
    }
    let r = replay_of(&fx, &p, None);
    assert_eq!(r.len(), 3);
    assert_eq!(r.left_out(), 2);

    let empty = Profile::new("ana", &fx.pack);
    let err = Replay::new("ana", &empty, fx.pack.clone(), None, Theme::plain())
        .err()
        .unwrap();
    assert!(matches!(err, ReplayError::Empty { .. }), "{err}");
    assert!(err.to_string().contains("nothing to replay"));
}

#[test]
fn the_profile_file_is_byte_identical_after_a_replay() {
    let fx = fixture();
    fx.store.save("ana", &profile(&fx)).unwrap();
    let path = fx.store.path_of("ana").unwrap();
    let before = std::fs::read(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let loaded = mytype::profile::load_file(&path).unwrap();
    let mut r = replay_of(&fx, &loaded, None);
    for action in [
        ReplayAction::Tick,
        ReplayAction::Back,
        ReplayAction::Last,
        ReplayAction::PlayPause,
        ReplayAction::Quit,
    ] {
        r.apply(action);
        draw(&mut r, 80, 24);
    }
    assert!(r.quit);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    let names = std::fs::read_dir(fx.store.dir()).unwrap().count();
    assert_eq!(names, 1, "no lock or backup file was created");
}

#[test]
fn keys_map_to_replay_actions() {
    let fx = fixture();
    let mut r = replay_of(&fx, &profile(&fx), None);
    let cases = [
        (KeyCode::Char(' '), ReplayAction::PlayPause),
        (KeyCode::Right, ReplayAction::Forward),
        (KeyCode::Left, ReplayAction::Back),
        (KeyCode::Home, ReplayAction::First),
        (KeyCode::End, ReplayAction::Last),
        (KeyCode::Char('?'), ReplayAction::Help),
        (KeyCode::Char('q'), ReplayAction::Quit),
        (KeyCode::Esc, ReplayAction::Quit),
    ];
    for (code, want) in cases {
        assert_eq!(
            replay::action_for_event(&r, &key(code)),
            Some(want),
            "{code:?}"
        );
    }
    assert_eq!(replay::action_for_event(&r, &key(KeyCode::Char('x'))), None);
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(
        replay::action_for_event(&r, &ctrl_c),
        Some(ReplayAction::Quit)
    );

    // The help stops the clock; any key closes it without doing anything else.
    r.apply(ReplayAction::Help);
    assert!(r.help);
    assert!(!r.playing());
    r.apply(ReplayAction::Tick);
    assert_eq!(r.step(), 1);
    assert_eq!(
        replay::action_for_event(&r, &key(KeyCode::Char('q'))),
        Some(ReplayAction::Dismiss)
    );
    r.apply(ReplayAction::Dismiss);
    assert!(!r.help);
    assert!(!r.quit);
    assert!(r.playing());
}

#[test]
fn replay_screen_midway() {
    let fx = fixture();
    let mut r = replay_of(&fx, &profile(&fx), None);
    for _ in 0..5 {
        r.apply(ReplayAction::Tick);
    }
    r.apply(ReplayAction::PlayPause);
    let terminal = draw(&mut r, 80, 24);
    let text = screen_text(&terminal);
    assert!(text.contains("rating 6 of 12 · Person 6"), "{text}");
    assert!(text.contains("⏸ paused"), "{text}");
    insta::assert_snapshot!("replay_midway", terminal.backend());
}

#[test]
fn replay_screen_at_the_end() {
    let fx = fixture();
    let mut r = replay_of(&fx, &profile(&fx), None);
    for _ in 0..MODELS {
        r.apply(ReplayAction::Tick);
    }
    assert!(r.finished);
    finish_replay_buildup(&mut r);
    let terminal = draw(&mut r, 90, 26);
    let text = screen_text(&terminal);
    assert!(text.contains("You will like this one"), "{text}");
    assert!(text.contains("Runners-up:"), "{text}");
    assert!(!text.contains("Judged on"), "same pack: {text}");
    insta::assert_snapshot!("replay_end", terminal.backend());
}

#[test]
fn replay_screens_at_60x20_shorten_the_key_hints() {
    let fx = fixture();
    let mut r = replay_of(&fx, &profile(&fx), None);
    r.apply(ReplayAction::Tick);
    let terminal = draw(&mut r, 60, 20);
    let text = screen_text(&terminal);
    assert_eq!(
        text.lines().last().unwrap().trim_end(),
        mytype::ui::strings::HINTS_REPLAY.short
    );
    insta::assert_snapshot!("replay_midway_60x20", terminal.backend());
    for _ in 0..MODELS {
        r.apply(ReplayAction::Tick);
    }
    assert!(r.finished);
    finish_replay_buildup(&mut r);
    let terminal = draw(&mut r, 60, 20);
    let text = screen_text(&terminal);
    assert_eq!(
        text.lines().last().unwrap().trim_end(),
        mytype::ui::strings::HINTS_REPLAY_END.fitting(60)
    );
    // The reveal panel says whose type it is.
    assert!(text.contains("╭ ana's type "), "{text}");
    assert!(!text.contains("Your type"), "{text}");
    insta::assert_snapshot!("replay_end_60x20", terminal.backend());
}

#[test]
fn the_help_and_too_small_screens_render() {
    let fx = fixture();
    let mut r = replay_of(&fx, &profile(&fx), None);
    r.apply(ReplayAction::Help);
    let text = screen_text(&draw(&mut r, 80, 24));
    assert!(text.contains("step back one rating"), "{text}");
    let text = screen_text(&draw(&mut r, 40, 10));
    assert!(text.contains("Make the terminal bigger"), "{text}");
    for (w, h) in [(60, 20), (61, 21), (100, 32), (200, 60)] {
        r.apply(ReplayAction::Dismiss);
        draw(&mut r, w, h);
        r.apply(ReplayAction::Last);
        draw(&mut r, w, h);
        r.apply(ReplayAction::First);
    }
}

/// The test pack without its `glasses` attribute, as a reveal pack.
fn pack_without_glasses(fx: &Fixture) -> Pack {
    let dir = fx.dir.path().join("other");
    std::fs::create_dir_all(dir.join("images")).unwrap();
    let mut manifest = fx.pack.manifest().clone();
    manifest.name = "other".into();
    manifest.attributes.retain(|a| a.name != "glasses");
    for face in &mut manifest.faces {
        face.attributes.remove("glasses");
        std::fs::copy(fx.pack.dir().join(&face.image), dir.join(&face.image)).unwrap();
    }
    write_manifest(&dir, &manifest).unwrap();
    Pack::load(&dir).unwrap()
}

#[test]
fn a_reveal_from_another_pack_says_which_attributes_were_used() {
    let fx = fixture();
    let other = pack_without_glasses(&fx);
    let total = fx.pack.manifest().attributes.len();
    let mut r = replay_of(&fx, &profile(&fx), Some(other.clone()));
    r.apply(ReplayAction::Last);
    finish_replay_buildup(&mut r);
    let used = &r.guess.as_ref().unwrap().used_attributes;
    assert_eq!(used.len(), total - 1);
    assert!(!used.iter().any(|a| a == "glasses"));
    let judged = r.judged_on().unwrap();
    assert!(judged.starts_with("Judged on: sex, "), "{judged}");
    assert!(
        judged.ends_with(&format!("({} of {total} attributes)", total - 1)),
        "{judged}"
    );
    let text = screen_text(&draw(&mut r, 100, 32));
    assert!(text.contains("Judged on: sex"), "{text}");
    assert!(text.contains("attributes)"), "{text}");

    // play's reveal shows the same line with a reveal pack, and none without.
    let mut app = mytype::ui::App::new(
        "ana",
        profile(&fx),
        fx.pack.clone(),
        Some(other),
        Theme::plain(),
    )
    .unwrap();
    assert_eq!(app.screen, Screen::Reveal);
    finish_buildup(&mut app);
    let text = screen_text(&ui_support::draw(&mut app, 100, 32));
    assert!(text.contains("Judged on: sex"), "{text}");
    let mut app = fx.app("ana");
    for _ in 0..MODELS {
        act(
            &mut app,
            &fx.store,
            mytype::ui::Action::Rate(Rating::Normal),
        );
    }
    assert_eq!(app.screen, Screen::Reveal);
    finish_buildup(&mut app);
    let text = screen_text(&ui_support::draw(&mut app, 100, 32));
    assert!(!text.contains("Judged on"), "{text}");
}

#[test]
fn the_reveal_builds_up_in_the_replay_too_and_any_key_skips_it() {
    use mytype::ui::app::buildup::FRAMES;
    use std::time::Duration;
    let fx = fixture();
    let p = profile(&fx);
    let delay = Duration::from_millis(700);
    let mut r = replay_of(&fx, &p, None);
    assert_eq!(r.next_tick(delay), Some(delay), "playing: the next step");
    r.apply(ReplayAction::PlayPause);
    assert_eq!(r.next_tick(delay), None, "paused: keys only");
    r.apply(ReplayAction::PlayPause);
    for _ in 1..MODELS {
        r.apply(ReplayAction::Tick);
    }
    assert!(!r.building_up());
    r.apply(ReplayAction::Tick);
    assert!(r.finished && r.building_up());
    let frame = r.next_tick(delay).unwrap();
    assert!(
        frame < delay,
        "the build-up's frames are its own: {frame:?}"
    );
    let text = screen_text(&draw(&mut r, 80, 24));
    assert!(text.contains("And your type is"), "{text}");
    assert!(!text.contains("You will like this one"), "{text}");
    // Without a key it ends by itself on the reveal.
    for _ in 0..FRAMES {
        r.apply(ReplayAction::Tick);
    }
    assert!(!r.building_up());
    assert_eq!(r.next_tick(delay), None);
    let text = screen_text(&draw(&mut r, 80, 24));
    assert!(text.contains("You will like this one"), "{text}");

    // The End key gets the build-up too; any key skips it, and only that.
    r.apply(ReplayAction::First);
    r.apply(ReplayAction::Last);
    assert!(r.building_up());
    for code in [KeyCode::Char('x'), KeyCode::Left, KeyCode::Char('q')] {
        let action = replay::action_for_event(&r, &key(code));
        assert_eq!(action, Some(ReplayAction::Dismiss), "{code:?}");
    }
    r.apply(ReplayAction::Back);
    assert!(!r.building_up());
    assert!(r.finished, "the key only skipped the build-up");
    assert!(!r.quit);
    // Ctrl-C still quits during it.
    r.apply(ReplayAction::First);
    r.apply(ReplayAction::Last);
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let action = replay::action_for_event(&r, &ctrl_c).unwrap();
    r.apply(action);
    assert!(r.quit);
}

#[test]
fn the_replay_says_how_settled_each_guess_was() {
    let fx = fixture();
    let p = profile(&fx);
    let mut r = replay_of(&fx, &p, None);
    let mut picks = Vec::new();
    for k in 1..=MODELS {
        picks.push(fed_first(&fx, &p, k).pick.id);
        let held = r.pick_held();
        let want = picks
            .iter()
            .rev()
            .take_while(|id| **id == picks[k - 1])
            .count();
        assert_eq!(held.streak, want, "after {k} ratings");
        r.apply(ReplayAction::Tick);
    }
    // Stepping back recounts from the same picks.
    finish_replay_buildup(&mut r);
    r.apply(ReplayAction::First);
    r.apply(ReplayAction::Last);
    finish_replay_buildup(&mut r);
    r.apply(ReplayAction::Back);
    let want = picks
        .iter()
        .rev()
        .take_while(|id| **id == picks[MODELS - 1])
        .count();
    assert_eq!(r.pick_held().streak, want);
}

#[test]
fn below_the_ratings_a_pick_needs_the_replay_ends_without_a_pick() {
    use mytype::core::tuning::MIN_RATINGS_TO_REVEAL;
    let fx = fixture();
    let mut few = profile(&fx);
    few.ratings.truncate(3);
    let mut r = replay_of(&fx, &few, None);
    r.apply(ReplayAction::Last);
    assert!(r.finished);
    assert!(!r.building_up(), "no build-up to a pick it will not show");
    assert!(r.pick().is_none());
    assert_eq!(r.rated_faces(), 3);
    let text = screen_text(&draw(&mut r, 100, 32));
    assert!(
        text.contains("Not enough ratings yet: ana rated 3 faces"),
        "{text}"
    );
    assert!(
        text.contains(&format!("at least {MIN_RATINGS_TO_REVEAL}")),
        "{text}"
    );
    assert!(!text.contains("You will like this one"), "{text}");

    // At the minimum, the pick is shown.
    let mut enough = profile(&fx);
    enough.ratings.truncate(MIN_RATINGS_TO_REVEAL);
    let mut r = replay_of(&fx, &enough, None);
    r.apply(ReplayAction::Last);
    finish_replay_buildup(&mut r);
    assert!(r.pick().is_some());
    let text = screen_text(&draw(&mut r, 100, 32));
    assert!(text.contains("You will like this one"), "{text}");
}
