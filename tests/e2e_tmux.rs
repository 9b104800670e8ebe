//! End to end: the real binary in a real terminal (tmux), driven by keys.
//!
//! Skipped with a message when tmux is missing, except in CI (env `CI` set),
//! where a missing tmux fails the test. Synchronisation is by polling the
//! pane (`capture-pane`) with a bounded timeout, never by fixed sleeps.

mod e2e_support;

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
    tmux.wait_for("game", "EXIT=", true);
    assert_eq!(tmux.exit_code("game"), 0);
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
    let reveal = tmux.wait_for("replay", "You will like this one", false);
    assert!(reveal.contains("Runners-up:"), "{reveal}");
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
