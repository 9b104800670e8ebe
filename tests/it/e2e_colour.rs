//! End to end: the colour depth the game picks in a real terminal (tmux),
//! and the status line that says once how to get truecolor.
//!
//! Skipped with a message when tmux is missing, except in CI (env `CI` set),
//! where a missing tmux fails the test.

use crate::e2e_support::*;

#[test]
fn a_256_colour_game_in_tmux_says_once_how_to_get_true_colour() {
    if !need_tmux("a_256_colour_game_in_tmux_says_once_how_to_get_true_colour") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    // Inside tmux with no client attached: tmux cannot say, COLORTERM is
    // unset, so 256 colours.
    tmux.start("plain", &g.play("e2e", "--graphics halfblocks"));
    tmux.wait_for_all(
        "plain",
        &[mytype::ui::strings::TRUECOLOR_HINT_TMUX, "Face 1 of"],
        false,
    );
    // Said once: the first rating replaces it for good.
    tmux.keys("plain", &["3"]);
    let after = tmux.wait_for("plain", "1 / ", false);
    assert!(!after.contains("256 colours"), "{after}");
    tmux.keys("plain", &["3"]);
    let later = tmux.wait_for("plain", "2 / ", false);
    assert!(!later.contains("256 colours"), "{later}");
    tmux.keys("plain", &["q"]);
    tmux.wait_for("plain", "EXIT=0", true);
}

#[test]
fn a_true_colour_game_says_nothing_about_colours() {
    if !need_tmux("a_true_colour_game_says_nothing_about_colours") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    let command = format!(
        "env COLORTERM=truecolor TERM=xterm-256color {}",
        g.command("play", "e2e", "--graphics halfblocks")
    );
    tmux.start("true", &command);
    let first = tmux.wait_for_all("true", &["1-5 rate", "Face 1 of"], false);
    assert!(!first.contains("256 colours"), "{first}");
    tmux.keys("true", &["q"]);
    tmux.wait_for("true", "EXIT=0", true);
}
