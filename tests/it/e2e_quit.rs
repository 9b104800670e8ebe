//! End to end in a private tmux server: a paste and Alt keys don't play,
//! quitting after a reveal and `b` ends on the command that continues (and
//! that command resumes), `--graphics kitty` that falls back says so, and a
//! dumb terminal is refused. Skipped with a message without tmux, except
//! in CI.

use crate::e2e_support::*;

#[test]
fn a_paste_and_alt_keys_rate_nothing_and_quit_prints_the_resume_command() {
    if !need_tmux("a_paste_and_alt_keys_rate_nothing_and_quit_prints_the_resume_command") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    tmux.start("game", &g.play("paste", "--order pack"));
    tmux.wait_for("game", &format!("Face 1 of {MODELS}"), false);
    tmux.keys("game", &["5"]);
    tmux.wait_for("game", &format!("1 / {MODELS} rated"), false);
    // A bracketed paste (-p), then Alt-5 and Alt-q.
    tmux.run(&["set-buffer", "-b", "p", "hello 5 4 world q"]);
    tmux.run(&["paste-buffer", "-p", "-b", "p", "-t", "game"]);
    tmux.keys("game", &["M-5", "M-q", "4"]);
    tmux.wait_for("game", &format!("2 / {MODELS} rated"), false);
    tmux.keys("game", &["q"]);
    assert_eq!(tmux.exit_code("game"), 0);
    assert_eq!(
        g.ratings("paste"),
        vec![("m001".to_string(), 5), ("m002".to_string(), 4)],
        "only the two plain keys rated"
    );
    let after = tmux.scrollback_joined("game");
    let last = last_printed_line(&after);
    assert!(
        last.starts_with(&format!(
            "Saved 2 of {MODELS} ratings for profile paste; run `"
        )) && last.ends_with("to continue."),
        "{after}"
    );
    tmux.assert_restored("game");
}

#[test]
fn graphics_kitty_that_falls_back_says_so_on_the_status_line() {
    if !need_tmux("graphics_kitty_that_falls_back_says_so_on_the_status_line") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    // A detached tmux session answers no probe: faces fall back to half-blocks.
    tmux.start("game", &g.play("kitty", "--graphics kitty"));
    tmux.wait_for("game", "--graphics kitty is not available here", false);
    tmux.keys("game", &["q"]);
    assert_eq!(tmux.exit_code("game"), 0);
}

#[test]
fn a_dumb_or_unset_terminal_is_refused_with_what_to_do() {
    if !need_tmux("a_dumb_or_unset_terminal_is_refused_with_what_to_do") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    for (name, env) in [("dumb", "TERM=dumb"), ("unset", "-u TERM")] {
        let command = format!("env {env} {}", g.command("play", "ana", ""));
        tmux.start(name, &command);
        assert_eq!(tmux.exit_code(name), 1, "{name}");
        let text = tmux.scrollback_joined(name);
        assert!(
            text.contains("needs a terminal that can draw a full screen")
                && text.contains("`TERM=xterm-256color ")
                // The line-by-line way on the same profiles and pack.
                && text.contains(&format!(
                    " --profiles-dir {} rate --profile ana --pack {}`.",
                    g.profiles.display(),
                    g.pack.display()
                )),
            "{name}: {text}"
        );
        assert!(!text.contains("256 colours"), "{name}: {text}");
    }
    assert!(g.ratings("ana").is_empty());
}
