//! `mytype rate` typed at a terminal (issue #28.1): every acknowledged line
//! is on disk when it is acknowledged, so closing the terminal (or killing
//! the process outright) loses none of them, and a hang-up exits 129.

use crate::e2e_support::{game, kill, need_tmux, sh_quote, wait_until, Game, Tmux};

/// Starts `mytype rate --profile typed` in a tmux pane under a shell that
/// survives the pane's hang-up and writes the exit code to a file.
fn start_rate(tmux: &Tmux, g: &Game) -> std::path::PathBuf {
    let code = g.dir.path().join("exit-code");
    let command = format!(
        "trap '' HUP; {}; echo $? > {}",
        g.command("rate", "typed", ""),
        sh_quote(&code)
    );
    tmux.run(&[
        "new-session",
        "-d",
        "-x",
        "100",
        "-y",
        "32",
        "-s",
        "rate",
        "sh",
        "-c",
        &command,
    ]);
    code
}

/// Types two lines and waits until both are acknowledged.
fn type_two(tmux: &Tmux) {
    // Typed at a terminal, `rate` first says what to type.
    tmux.wait_for("rate", "Type one rating a line, `FACE_ID LEVEL`", false);
    tmux.wait_for(
        "rate",
        "e.g. `m001 5` or `m001 Slightly like`. Ctrl-D when done.",
        false,
    );
    tmux.line("rate", "m001 5");
    tmux.wait_for("rate", "+ m001: Type (1 so far)", false);
    tmux.line("rate", "m002 Slightly weak");
    tmux.wait_for("rate", "+ m002: Slightly weak (2 so far)", false);
}

fn both() -> Vec<(String, u8)> {
    vec![("m001".to_string(), 5), ("m002".to_string(), 2)]
}

#[test]
fn closing_the_terminal_keeps_every_acknowledged_line_and_exits_129() {
    let test = "closing_the_terminal_keeps_every_acknowledged_line_and_exits_129";
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    let code_file = start_rate(&tmux, &g);
    type_two(&tmux);
    // On disk already, before the terminal goes.
    assert_eq!(g.ratings("typed"), both());
    tmux.run(&["kill-pane", "-t", "rate"]);
    let code = wait_until("the exit code file", || {
        let text = std::fs::read_to_string(&code_file).ok()?;
        text.trim().parse::<i32>().ok()
    });
    assert_eq!(code, 129, "{test}: exit code after the hang-up");
    assert_eq!(g.ratings("typed"), both());
    g.wait_unlocked("typed");
}

#[test]
fn sigkill_loses_no_acknowledged_line() {
    let test = "sigkill_loses_no_acknowledged_line";
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    start_rate(&tmux, &g);
    type_two(&tmux);
    kill("KILL", g.lock_holder("typed"));
    g.wait_unlocked("typed");
    assert_eq!(g.ratings("typed"), both());
}
