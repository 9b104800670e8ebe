//! The README's first command, exactly as written (read from README.md's
//! first `sh` code block, so the test follows the README), run in a real
//! terminal (tmux) from the source tree: the game must come up with the
//! first face's rating buttons.
//!
//! It builds the release binary (several minutes on a 2-core machine), so it
//! runs in CI (env `CI` set, where it must not skip) or when
//! `MYTYPE_E2E_README=1`; otherwise it says, visibly, that it skipped and
//! how to run it. `cargo test` holds the build lock of target/debug only;
//! the release build has its own, so the command can build while the tests
//! run.

use crate::e2e_support;

use e2e_support::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// The first command of the README's first `sh` code block.
fn readme_first_command() -> String {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(&readme).expect("read README.md");
    let mut lines = text.lines().skip_while(|l| l.trim() != "```sh").skip(1);
    lines
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter(|l| !l.starts_with("```"))
        .unwrap_or_else(|| panic!("no command in README.md's first sh code block"))
        .trim()
        .to_string()
}

#[test]
fn the_readme_first_command_starts_the_game() {
    let test = "the_readme_first_command_starts_the_game";
    let command = readme_first_command();
    assert!(
        command.starts_with("cargo run"),
        "README's first command is {command:?}: this test expects the one that plays"
    );
    let asked = std::env::var("MYTYPE_E2E_README").is_ok_and(|v| v == "1");
    if !in_ci() && !asked {
        skip(
            test,
            &format!(
                "`{command}` builds the release binary (minutes): run it with \
                 `MYTYPE_E2E_README=1 cargo test --test it e2e_readme` (CI always does)"
            ),
        );
        return;
    }
    if !need_tmux(test) {
        return;
    }
    // Profiles go to a folder of the test's own; cargo from the running
    // toolchain, in case PATH does not have it.
    let profiles = tempfile::tempdir().unwrap();
    let cargo_dir = std::env::var_os("CARGO")
        .map(std::path::PathBuf::from)
        .and_then(|c| c.parent().map(Path::to_path_buf));
    let path = match (cargo_dir, std::env::var_os("PATH")) {
        (Some(dir), Some(path)) => format!("{}:{}", dir.display(), path.to_string_lossy()),
        (_, path) => path
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let tmux = Tmux::new();
    let started = Instant::now();
    tmux.start(
        "readme",
        &format!(
            "cd {} && env -u COLORTERM TERM=xterm-256color PATH={} MYTYPE_PROFILES={} {command}",
            sh_quote(Path::new(env!("CARGO_MANIFEST_DIR"))),
            sh_quote(Path::new(&path)),
            sh_quote(profiles.path())
        ),
    );
    // Bounded: a cold release build on a 2-core machine, and then the game.
    tmux.wait_for_buttons("readme", Duration::from_secs(40 * 60));
    eprintln!(
        "{test}: `{command}` showed the rating buttons after {:.0?}",
        started.elapsed()
    );
    tmux.wait_for("readme", "0 / 50 rated", false);
    tmux.keys("readme", &["5"]);
    tmux.wait_for("readme", "1 / 50 rated", false);
    tmux.keys("readme", &["q"]);
    assert_eq!(tmux.exit_code("readme"), 0);
    tmux.assert_restored("readme");
}
