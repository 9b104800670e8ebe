//! End to end: signals and shared profiles. The real binary runs in a private
//! tmux server; a signal is sent to its pid after a few ratings, and the test
//! checks the profile kept them, the exit code, and that the terminal is back
//! to normal. Skipped with a message without tmux, except in CI.

use crate::e2e_support;

use e2e_support::*;
use std::process::Command;

/// Rates three faces in the game, sends `signal`, checks code and profile.
fn game_signal(test: &str, signal: &str, code: i32) {
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    // Pack order: the faces rated, and so saved, are known in advance.
    tmux.start("game", &g.play("sig", "--order pack"));
    tmux.wait_for("game", &format!("Face 1 of {MODELS}"), false);
    for (i, k) in ["5", "2", "4"].iter().enumerate() {
        tmux.keys("game", &[k]);
        tmux.wait_for("game", &format!("{} / {MODELS} rated", i + 1), false);
    }
    let pid = g.lock_holder("sig");
    kill(signal, pid);
    assert_eq!(tmux.exit_code("game"), code, "exit code after SIG{signal}");
    let after = tmux.scrollback_joined("game");
    assert!(after.contains(&format!("(SIG{signal}).")), "{after}");
    // The last line before the shell's is the command that continues.
    let last = last_printed_line(&after);
    assert!(
        last.contains(&format!(
            "Saved 3 of {MODELS} ratings for profile sig; run `"
        )) && last.ends_with("to continue."),
        "{after}"
    );
    tmux.assert_restored("game");
    assert_eq!(
        g.ratings("sig"),
        vec![
            ("m001".to_string(), 5),
            ("m002".to_string(), 2),
            ("m003".to_string(), 4)
        ]
    );
    g.wait_unlocked("sig");
}

/// A replay waiting for its next step gets `signal`: it restores the
/// terminal and exits with 128 + the signal.
fn replay_signal(test: &str, signal: &str, code: i32) {
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let lines: Vec<String> = (0..MODELS).map(|i| format!("m{:03} 4", i + 1)).collect();
    g.rate("rep", &lines);
    let pid_file = g.dir.path().join("replay.pid");
    // The inner shell writes its pid, then becomes the replay.
    let command = format!(
        "sh -c \"echo \\$\\$ > {} && exec env -u COLORTERM TERM=xterm-256color {} --profiles-dir {} replay rep --delay 60000 --pack {}\"",
        sh_quote(&pid_file),
        sh_quote(std::path::Path::new(BIN)),
        sh_quote(&g.profiles),
        sh_quote(&g.pack)
    );
    let tmux = Tmux::new();
    tmux.start("replay", &command);
    tmux.wait_for("replay", &format!("rating 1 of {MODELS}"), false);
    let pid: i32 = wait_until("the replay's pid", || {
        std::fs::read_to_string(&pid_file).ok()?.trim().parse().ok()
    });
    kill(signal, pid);
    assert_eq!(
        tmux.exit_code("replay"),
        code,
        "exit code after SIG{signal}"
    );
    let after = tmux.scrollback_joined("replay");
    assert!(
        after.contains("mytype stopped: ")
            && after.contains(&format!(
                "(SIG{signal}). The replay of rep only read the profile"
            )),
        "{after}"
    );
    tmux.assert_restored("replay");
}

#[test]
fn sigterm_in_a_replay_restores_the_terminal_and_exits_143() {
    replay_signal(
        "sigterm_in_a_replay_restores_the_terminal_and_exits_143",
        "TERM",
        143,
    );
}

#[test]
fn sighup_in_a_replay_restores_the_terminal_and_exits_129() {
    replay_signal(
        "sighup_in_a_replay_restores_the_terminal_and_exits_129",
        "HUP",
        129,
    );
}

#[test]
fn sighup_in_the_game_saves_restores_and_exits_129() {
    game_signal(
        "sighup_in_the_game_saves_restores_and_exits_129",
        "HUP",
        129,
    );
}

#[test]
fn sigterm_in_the_game_saves_restores_and_exits_143() {
    game_signal(
        "sigterm_in_the_game_saves_restores_and_exits_143",
        "TERM",
        143,
    );
}

#[test]
fn sigint_in_the_game_saves_restores_and_exits_130() {
    game_signal(
        "sigint_in_the_game_saves_restores_and_exits_130",
        "INT",
        130,
    );
}

#[test]
fn a_panic_in_the_game_restores_the_terminal_and_exits_101() {
    let test = "a_panic_in_the_game_restores_the_terminal_and_exits_101";
    if !need_tmux(test) {
        return;
    }
    // Only debug builds panic on request (release builds ignore the
    // variable), and the game under test is built like this test.
    if !cfg!(debug_assertions) {
        eprintln!("{test}: skipped, release builds do not panic on request");
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    // Debug builds panic on request once two faces are rated.
    tmux.start(
        "game",
        &format!(
            "MYTYPE_TEST_PANIC_AFTER=2 {}",
            g.play("crash", "--order pack")
        ),
    );
    tmux.wait_for("game", &format!("Face 1 of {MODELS}"), false);
    tmux.keys("game", &["5"]);
    tmux.wait_for("game", &format!("1 / {MODELS} rated"), false);
    tmux.keys("game", &["1"]);
    assert_eq!(tmux.exit_code("game"), 101, "exit code after a panic");
    let after = tmux.scrollback("game");
    assert!(after.contains("a test asked for this panic"), "{after}");
    tmux.assert_restored("game");
    assert_eq!(
        g.ratings("crash"),
        vec![("m001".to_string(), 5), ("m002".to_string(), 1)]
    );
    g.wait_unlocked("crash");
}

/// Types rating lines into `mytype rate` at a terminal, then signals it.
fn rate_signal(test: &str, lines: &[&str], signal: &str, code: i32) -> (Game, String) {
    let g = game();
    let tmux = Tmux::new();
    tmux.start("rate", &g.command("rate", "typed", ""));
    for (i, line) in lines.iter().enumerate() {
        tmux.line("rate", line);
        // Each line is acknowledged once read (stdin is a terminal).
        let face = line.split(' ').next().unwrap_or(line);
        tmux.wait_for("rate", &format!("+ {face}: "), false);
        tmux.wait_for("rate", &format!("({} so far)", i + 1), false);
    }
    let pid = g.lock_holder("typed");
    kill(signal, pid);
    assert_eq!(
        tmux.exit_code("rate"),
        code,
        "{test}: exit code after SIG{signal}"
    );
    let text = tmux.scrollback("rate");
    g.wait_unlocked("typed");
    (g, text)
}

#[test]
fn sighup_in_rate_saves_the_lines_read_and_exits_129() {
    let test = "sighup_in_rate_saves_the_lines_read_and_exits_129";
    if !need_tmux(test) {
        return;
    }
    let (g, text) = rate_signal(test, &["m001 5", "m002 Slightly weak"], "HUP", 129);
    assert!(
        text.contains("SIGHUP: saved 2 ratings to profile typed"),
        "{text}"
    );
    assert_eq!(
        g.ratings("typed"),
        vec![("m001".to_string(), 5), ("m002".to_string(), 2)]
    );
}

/// Typed at a terminal, each good line is saved as it is acknowledged
/// (issue #28.1): a bad line is refused on its own, not with the others.
#[test]
fn sigterm_in_rate_exits_143_and_keeps_the_acknowledged_lines() {
    let test = "sigterm_in_rate_exits_143_and_keeps_the_acknowledged_lines";
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    tmux.start("rate", &g.command("rate", "typed", ""));
    tmux.line("rate", "m001 5");
    tmux.wait_for("rate", "+ m001: Type (1 so far)", false);
    tmux.line("rate", "m002 9");
    tmux.wait_for("rate", "! line 2: unknown level", false);
    kill("TERM", g.lock_holder("typed"));
    assert_eq!(tmux.exit_code("rate"), 143);
    let text = tmux.scrollback("rate");
    assert!(
        text.contains("SIGTERM: saved 1 rating to profile typed (1 bad line not saved)"),
        "{text}"
    );
    assert_eq!(g.ratings("typed"), vec![("m001".to_string(), 5)]);
}

#[test]
fn a_locked_profile_names_its_holder_and_offers_read_only() {
    let g = game();
    let store = g.store();
    let _held = store.lock("shared").unwrap();
    let out = Command::new(BIN)
        .arg("--profiles-dir")
        .arg(&g.profiles)
        .args(["play", "--profile", "shared", "--pack"])
        .arg(&g.pack)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--read-only"), "{err}");
    assert!(
        err.contains(&format!("pid {}", std::process::id())),
        "the holder is named: {err}"
    );
}

#[test]
fn read_only_plays_a_locked_profile_and_saves_nothing() {
    let test = "read_only_plays_a_locked_profile_and_saves_nothing";
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let store = g.store();
    let mut before =
        mytype::profile::Profile::new("shared", &mytype::pack::Pack::load(&g.pack).unwrap());
    before.push("m001", mytype::core::rating::Rating::Type);
    store.save("shared", &before).unwrap();
    let _held = store.lock("shared").unwrap();

    // The command the refusal offers, run as printed.
    let out = Command::new(BIN)
        .arg("--profiles-dir")
        .arg(&g.profiles)
        .args(["play", "--profile", "shared", "--order", "pack", "--pack"])
        .arg(&g.pack)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let offered = err
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no command offered: {err}"));
    assert!(offered.contains("--read-only"), "{offered}");
    let tmux = Tmux::new();
    tmux.start(
        "ro",
        &format!("env -u COLORTERM TERM=xterm-256color {offered}"),
    );
    tmux.wait_for("ro", "Read-only", false);
    tmux.wait_for("ro", &format!("Face 2 of {MODELS}"), false);
    tmux.keys("ro", &["1"]);
    tmux.wait_for("ro", &format!("2 / {MODELS} rated"), false);
    tmux.keys("ro", &["q"]);
    assert_eq!(tmux.exit_code("ro"), 0);
    let text = tmux.scrollback("ro");
    assert!(text.contains("nothing was saved"), "{text}");
    assert_eq!(g.ratings("shared"), vec![("m001".to_string(), 5)]);
}
