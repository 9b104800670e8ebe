//! End to end: the real binary in a real terminal (tmux), driven by keys.
//!
//! Skipped with a message when tmux is missing, except in CI (env `CI` set),
//! where a missing tmux fails the test. Synchronisation is by polling the
//! pane (`capture-pane`) with a bounded timeout, never by fixed sleeps.

use crate::e2e_support;

use e2e_support::*;
use std::path::Path;

#[test]
fn plays_a_whole_game_in_tmux() {
    if !need_tmux("plays_a_whole_game_in_tmux") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    tmux.start("game", &g.play("e2e", ""));
    tmux.wait_for("game", &format!("Face 1 of {MODELS}"), false);
    let levels = ["5", "4", "3", "2", "1"];
    for i in 0..MODELS {
        tmux.keys("game", &[levels[i % 5]]);
        if i + 1 < MODELS {
            tmux.wait_for("game", &format!("{} / {MODELS} rated", i + 1), false);
        }
    }
    tmux.wait_for("game", "You will like this one", false);
    // A capture can catch the reveal half drawn: poll for the rest too.
    tmux.wait_for("game", "Runners-up:", false);
    tmux.keys("game", &["q"]);
    let after = tmux.wait_for("game", "EXIT=", true);
    assert!(after.contains("The AI says my type is"), "{after}");

    let ratings = g.ratings("e2e");
    assert_eq!(ratings.len(), MODELS);
    // Asked in adaptive order: every face to rate exactly once.
    let mut faces: Vec<&String> = ratings.iter().map(|(f, _)| f).collect();
    faces.sort();
    let expected: Vec<String> = (1..=MODELS).map(|i| format!("m{i:03}")).collect();
    assert_eq!(faces, expected.iter().collect::<Vec<_>>());
    for (i, (_, level)) in ratings.iter().enumerate() {
        assert_eq!(level.to_string(), levels[i % 5]);
    }
}

#[test]
fn quitting_midway_resumes_with_the_next_unrated_face() {
    if !need_tmux("quitting_midway_resumes_with_the_next_unrated_face") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    tmux.start("first", &g.play("resume", ""));
    tmux.wait_for("first", "Face 1 of", false);
    for (i, k) in ["5", "1", "3", "4"].iter().enumerate() {
        tmux.keys("first", &[k]);
        tmux.wait_for("first", &format!("{} / {MODELS} rated", i + 1), false);
    }
    tmux.keys("first", &["q"]);
    let after = tmux.wait_for("first", "EXIT=", true);
    assert!(after.contains("Saved 4 of 12 ratings"), "{after}");
    assert_eq!(g.ratings("resume").len(), 4);

    tmux.start("second", &g.play("resume", ""));
    tmux.wait_for("second", "Face 5 of 12", false);
    tmux.keys("second", &["2"]);
    tmux.wait_for("second", "5 / 12 rated", false);
    tmux.keys("second", &["Escape"]);
    tmux.wait_for("second", "EXIT=", true);
    let ratings = g.ratings("resume");
    assert_eq!(ratings.len(), 5);
    // The fifth is a face not rated before, rated 2.
    assert_eq!(ratings[4].1, 2);
    assert!(ratings[4].0.starts_with('m'), "{ratings:?}");
    assert!(
        !ratings[..4].iter().any(|(f, _)| *f == ratings[4].0),
        "{ratings:?}"
    );
}

#[test]
fn quitting_before_the_first_rating_leaves_no_profile() {
    if !need_tmux("quitting_before_the_first_rating_leaves_no_profile") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    tmux.start("game", &g.play("fresh", ""));
    tmux.wait_for("game", &format!("Face 1 of {MODELS}"), false);
    // A skip and the help change nothing to save either.
    tmux.keys("game", &["s"]);
    tmux.wait_for("game", "Skipped", false);
    tmux.keys("game", &["q"]);
    let pane = tmux.wait_for("game", "EXIT=", true);
    assert_eq!(tmux.exit_code("game"), 0);
    // Nothing was saved, and the last line says so (not "Saved 0 of …").
    assert!(
        pane.contains("No ratings yet for profile fresh; run `"),
        "{pane}"
    );
    assert!(!pane.contains("Saved 0"), "{pane}");
    // Only the lock file: no profile, no backup.
    let files: Vec<String> = std::fs::read_dir(&g.profiles)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, vec![".fresh.lock".to_string()]);
}

#[test]
fn replays_a_profile_to_the_reveal_without_touching_it() {
    if !need_tmux("replays_a_profile_to_the_reveal_without_touching_it") {
        return;
    }
    let g = game();
    let lines: Vec<String> = (0..MODELS)
        .map(|i| format!("m{:03} {}", i + 1, [5, 1, 3, 4, 2][i % 5]))
        .collect();
    g.rate("rep", &lines);
    let file = g.profiles.join("rep.ron");
    let before = std::fs::read(&file).unwrap();
    let files_before = std::fs::read_dir(&g.profiles).unwrap().count();

    let tmux = Tmux::new();
    let command = format!(
        "env -u COLORTERM TERM=xterm-256color {} replay {} --delay 50 --pack {}",
        sh_quote(Path::new(BIN)),
        sh_quote(&file),
        sh_quote(&g.pack)
    );
    tmux.start("replay", &command);
    let reveal = tmux.wait_for_all("replay", &["You will like this one", "Runners-up:"], false);
    assert!(
        reveal.contains(&format!("Replay · {MODELS} ratings")),
        "{reveal}"
    );
    // Back to the last rating, with its level highlighted, then quit.
    tmux.keys("replay", &["Left"]);
    tmux.wait_for("replay", &format!("rating {MODELS} of {MODELS}"), false);
    tmux.keys("replay", &["q"]);
    let after = tmux.wait_for("replay", "EXIT=", true);
    assert!(
        !after.contains("The AI says"),
        "quit before the reveal: {after}"
    );

    // By name from the profiles folder, played to the end again.
    let by_name = format!(
        "env -u COLORTERM TERM=xterm-256color {} --profiles-dir {} replay rep --delay 50 --pack {}",
        sh_quote(Path::new(BIN)),
        sh_quote(&g.profiles),
        sh_quote(&g.pack)
    );
    tmux.start("by-name", &by_name);
    tmux.wait_for("by-name", "You will like this one", false);
    tmux.keys("by-name", &["Escape"]);
    let after = tmux.wait_for("by-name", "EXIT=", true);
    assert!(after.contains("The AI says rep's type is"), "{after}");

    assert_eq!(std::fs::read(&file).unwrap(), before, "the profile changed");
    assert_eq!(
        std::fs::read_dir(&g.profiles).unwrap().count(),
        files_before,
        "a file was added next to the profile"
    );
}

/// `env` arguments for a player with nothing set up: no pack or profiles
/// folder given, no sources, home and data folders of their own.
fn fresh_player_env(home: &Path) -> String {
    format!(
        "env -u COLORTERM -u CARGO_MANIFEST_DIR -u MYTYPE_PACK -u MYTYPE_PROFILES \
         -u XDG_DATA_HOME TERM=xterm-256color HOME={} XDG_DATA_HOME={}",
        sh_quote(home),
        sh_quote(&home.join("data"))
    )
}

#[test]
fn a_bare_mytype_starts_the_game_and_its_quit_hint_resumes_it() {
    if !need_tmux("a_bare_mytype_starts_the_game_and_its_quit_hint_resumes_it") {
        return;
    }
    // No arguments at all, from the source tree (its faces/default), as
    // `cargo run` does; profiles go to a home folder of the test's own.
    let home = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmux = Tmux::new();
    let env = fresh_player_env(home.path());
    tmux.start(
        "bare",
        &format!(
            "cd {} && {env} {}",
            sh_quote(repo),
            sh_quote(Path::new(BIN))
        ),
    );
    tmux.wait_for_buttons("bare", TIMEOUT);
    tmux.wait_for("bare", "0 / 50 rated", false);
    tmux.keys("bare", &["5"]);
    tmux.wait_for("bare", "1 / 50 rated", false);
    tmux.keys("bare", &["q"]);
    assert_eq!(tmux.exit_code("bare"), 0);
    // The hint names the program as it was started, and nothing else: every
    // option was the default.
    let hint = resume_hint(&tmux, "bare");
    assert_eq!(
        hint,
        mytype::core::words::shell_word(std::ffi::OsStr::new(BIN))
    );
    tmux.assert_restored("bare");

    tmux.start("again", &format!("cd {} && {env} {hint}", sh_quote(repo)));
    tmux.wait_for_buttons("again", TIMEOUT);
    tmux.wait_for("again", "1 / 50 rated", false);
    tmux.keys("again", &["q"]);
    assert_eq!(tmux.exit_code("again"), 0);
}

/// The command in "run `…` to continue" on the pane.
fn resume_hint(tmux: &Tmux, target: &str) -> String {
    let text = tmux.scrollback_joined(target);
    let line = text
        .lines()
        .find(|l| l.contains("to continue"))
        .unwrap_or_else(|| panic!("no resume hint on the pane:\n{text}"));
    line.split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no command in {line:?}"))
        .to_string()
}

#[test]
fn the_quit_hint_with_every_option_resumes_where_the_game_was_left() {
    if !need_tmux("the_quit_hint_with_every_option_resumes_where_the_game_was_left") {
        return;
    }
    // Folders with spaces, a profile and an order that are not the defaults.
    let g = game();
    let spaced = g.dir.path().join("a pack");
    std::fs::rename(&g.pack, &spaced).unwrap();
    let profiles = g.dir.path().join("the profiles");
    let tmux = Tmux::new();
    let env = "env -u COLORTERM TERM=xterm-256color";
    tmux.start(
        "first",
        &format!(
            "{env} {} --profiles-dir {} play --profile hint --pack {} --order pack --graphics halfblocks",
            sh_quote(Path::new(BIN)),
            sh_quote(&profiles),
            sh_quote(&spaced)
        ),
    );
    tmux.wait_for("first", &format!("Face 1 of {MODELS}"), false);
    for (i, k) in ["5", "2", "4"].iter().enumerate() {
        tmux.keys("first", &[k]);
        tmux.wait_for("first", &format!("{} / {MODELS} rated", i + 1), false);
    }
    tmux.keys("first", &["q"]);
    assert_eq!(tmux.exit_code("first"), 0);
    let hint = resume_hint(&tmux, "first");
    for part in [
        "--profiles-dir",
        "--profile hint",
        "--pack",
        "--order pack",
        "--graphics halfblocks",
    ] {
        assert!(hint.contains(part), "{part} missing from {hint:?}");
    }

    // Typed as printed: the same game, at the fourth face.
    tmux.start("second", &format!("{env} {hint}"));
    tmux.wait_for("second", &format!("Face 4 of {MODELS}"), false);
    tmux.wait_for("second", &format!("3 / {MODELS} rated"), false);
    tmux.keys("second", &["1"]);
    tmux.wait_for("second", &format!("4 / {MODELS} rated"), false);
    tmux.keys("second", &["q"]);
    assert_eq!(tmux.exit_code("second"), 0);
    let ratings: Vec<(String, u8)> = mytype::profile::ProfileStore::at(&profiles)
        .load("hint")
        .unwrap()
        .ratings
        .iter()
        .map(|r| (r.face.clone(), r.level.value()))
        .collect();
    let want: Vec<(String, u8)> = [5, 2, 4, 1]
        .iter()
        .enumerate()
        .map(|(i, l)| (format!("m{:03}", i + 1), *l))
        .collect();
    assert_eq!(ratings, want);
}

#[test]
fn a_binary_alone_in_an_empty_folder_plays_the_bundled_pack() {
    if !need_tmux("a_binary_alone_in_an_empty_folder_plays_the_bundled_pack") {
        return;
    }
    // The built binary copied alone: no faces/, no sources, no
    // CARGO_MANIFEST_DIR, no MYTYPE_PACK.
    let home = tempfile::tempdir().unwrap();
    let alone = home.path().join("empty");
    std::fs::create_dir(&alone).unwrap();
    let copy = alone.join("mytype");
    std::fs::copy(BIN, &copy).unwrap();
    let env = fresh_player_env(home.path());
    let tmux = Tmux::new();
    tmux.start(
        "alone",
        &format!("cd {} && {env} ./mytype", sh_quote(&alone)),
    );
    tmux.wait_for_buttons("alone", TIMEOUT);
    tmux.wait_for("alone", "0 / 50 rated", false);
    tmux.keys("alone", &["q"]);
    assert_eq!(tmux.exit_code("alone"), 0);
    // The pack was written to the data folder, complete, under its hash.
    let packs = home.path().join("data/mytype/packs");
    let written: Vec<_> = std::fs::read_dir(&packs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(
        mytype::pack::check_pack(&written[0]).errors(),
        0,
        "{written:?}"
    );
    assert_eq!(
        std::fs::read_dir(&alone).unwrap().count(),
        1,
        "the binary's folder gained files"
    );

    // From / too (as after `cargo install`), on the copy written before.
    tmux.start("root", &format!("cd / && {env} {}", sh_quote(&copy)));
    tmux.wait_for_buttons("root", TIMEOUT);
    tmux.keys("root", &["5"]);
    tmux.wait_for("root", "1 / 50 rated", false);
    tmux.keys("root", &["q"]);
    assert_eq!(tmux.exit_code("root"), 0);
}

#[test]
fn a_resized_terminal_is_redrawn_at_its_new_size() {
    if !need_tmux("a_resized_terminal_is_redrawn_at_its_new_size") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    tmux.start("resize", &g.play("resize", ""));
    tmux.wait_for_buttons("resize", TIMEOUT);
    tmux.run(&["resize-window", "-t", "resize", "-x", "50", "-y", "15"]);
    tmux.wait_for("resize", mytype::ui::strings::TOO_SMALL_TITLE, false);
    tmux.run(&["resize-window", "-t", "resize", "-x", "100", "-y", "32"]);
    tmux.wait_for_buttons("resize", TIMEOUT);
    tmux.keys("resize", &["q"]);
    assert_eq!(tmux.exit_code("resize"), 0);
}
