//! End to end: the real binary in a real terminal (tmux), driven by keys.
//!
//! Skipped with a message when tmux is missing, except in CI (env `CI` set),
//! where a missing tmux fails the test. Synchronisation is by polling the
//! pane (`capture-pane`) with a bounded timeout, never by fixed sleeps.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mytype");
const TIMEOUT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);
const MODELS: usize = 12;

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether to run; panics in CI without tmux.
fn need_tmux(test: &str) -> bool {
    if tmux_available() {
        return true;
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{test}: tmux is required in CI but was not found on PATH");
    }
    eprintln!("{test}: SKIPPED: tmux is not installed (install tmux to run this end-to-end test)");
    false
}

/// A private tmux server, killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new() -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "mytype-e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        Tmux { socket }
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Starts `command` in a new 100x32 session named `name`, inside a shell
    /// that keeps the pane open after the game exits.
    fn start(&self, name: &str, command: &str) {
        let shell = format!("{command}; echo EXITED; sleep 30");
        self.run(&[
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "32",
            "-s",
            name,
            "sh",
            "-c",
            &shell,
        ]);
    }

    fn keys(&self, target: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", target];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn screen(&self, target: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", target]).stdout)
            .into_owned()
    }

    fn scrollback(&self, target: &str) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["capture-pane", "-p", "-S", "-200", "-t", target])
                .stdout,
        )
        .into_owned()
    }

    /// Polls the pane (scrollback included if `history`) until `want` is on it.
    fn wait_for(&self, target: &str, want: &str, history: bool) -> String {
        let start = Instant::now();
        loop {
            let text = if history {
                self.scrollback(target)
            } else {
                self.screen(target)
            };
            if text.contains(want) {
                return text;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out after {TIMEOUT:?} waiting for {want:?}; the pane shows:\n{text}");
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

struct Game {
    _dir: tempfile::TempDir,
    pack: PathBuf,
    profiles: PathBuf,
}

fn game() -> Game {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    let out = Command::new(BIN)
        .args([
            "pack",
            "generate",
            "--models",
            "12",
            "--celebrities",
            "5",
            "--out",
        ])
        .arg(&pack)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let profiles = dir.path().join("profiles");
    Game {
        _dir: dir,
        pack,
        profiles,
    }
}

impl Game {
    /// The command line of one game, as tmux runs it: TERM=xterm-256color and
    /// no COLORTERM, like an ssh session.
    fn command(&self, profile: &str) -> String {
        format!(
            "env -u COLORTERM TERM=xterm-256color {} --profiles-dir {} play --profile {profile} --pack {}",
            sh_quote(Path::new(BIN)),
            sh_quote(&self.profiles),
            sh_quote(&self.pack)
        )
    }

    fn ratings(&self, profile: &str) -> Vec<(String, u8)> {
        mytype::profile::ProfileStore::at(&self.profiles)
            .load(profile)
            .unwrap()
            .ratings
            .iter()
            .map(|r| (r.face.clone(), r.level.value()))
            .collect()
    }
}

#[test]
fn plays_a_whole_game_in_tmux() {
    if !need_tmux("plays_a_whole_game_in_tmux") {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    tmux.start("game", &g.command("e2e"));
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
    let after = tmux.wait_for("game", "EXITED", true);
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
    tmux.start("first", &g.command("resume"));
    tmux.wait_for("first", "Face 1 of", false);
    for (i, k) in ["5", "1", "3", "4"].iter().enumerate() {
        tmux.keys("first", &[k]);
        tmux.wait_for("first", &format!("{} / {MODELS} rated", i + 1), false);
    }
    tmux.keys("first", &["q"]);
    let after = tmux.wait_for("first", "EXITED", true);
    assert!(after.contains("Saved 4 of 12 ratings"), "{after}");
    assert_eq!(g.ratings("resume").len(), 4);

    tmux.start("second", &g.command("resume"));
    tmux.wait_for("second", "Face 5 of 12", false);
    tmux.keys("second", &["2"]);
    tmux.wait_for("second", "5 / 12 rated", false);
    tmux.keys("second", &["Escape"]);
    tmux.wait_for("second", "EXITED", true);
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
fn replays_a_profile_to_the_reveal_without_touching_it() {
    if !need_tmux("replays_a_profile_to_the_reveal_without_touching_it") {
        return;
    }
    let g = game();
    let mut rate = Command::new(BIN)
        .arg("--profiles-dir")
        .arg(&g.profiles)
        .args(["rate", "--profile", "rep", "--pack"])
        .arg(&g.pack)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = rate.stdin.take().unwrap();
        for i in 0..MODELS {
            writeln!(stdin, "m{:03} {}", i + 1, [5, 1, 3, 4, 2][i % 5]).unwrap();
        }
    }
    let out = rate.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
    let after = tmux.wait_for("replay", "EXITED", true);
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
    let after = tmux.wait_for("by-name", "EXITED", true);
    assert!(after.contains("The AI says rep's type is"), "{after}");

    assert_eq!(std::fs::read(&file).unwrap(), before, "the profile changed");
    assert_eq!(
        std::fs::read_dir(&g.profiles).unwrap().count(),
        files_before,
        "a file was added next to the profile"
    );
}
