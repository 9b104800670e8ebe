//! Shared helpers for the end-to-end tests that drive the real binary in a
//! private tmux server (signals, SSH). Synchronisation is by polling with a
//! bounded timeout, never by fixed sleeps.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_mytype");
pub const TIMEOUT: Duration = Duration::from_secs(20);
pub const POLL: Duration = Duration::from_millis(50);
pub const MODELS: usize = 12;

/// Whether the CI environment variable is set (missing tools fail there).
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Whether `program args` runs at all.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty())
}

/// Says that `test` skipped and why, visibly: straight to stderr, past the
/// test harness's capture (which hides `eprintln!` of a passing test).
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIP {test}: {why}");
}

/// Whether every tool `(found, name)` is there. If not: a failure in CI,
/// elsewhere a visible skip naming what is missing and how to `install` it.
pub fn need_all(test: &str, tools: &[(bool, &str)], install: &str) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .filter(|(found, _)| !found)
        .map(|(_, name)| *name)
        .collect();
    if missing.is_empty() {
        return true;
    }
    if in_ci() {
        panic!("{test}: required in CI but missing: {}", missing.join(", "));
    }
    skip(
        test,
        &format!("{} not installed ({install})", missing.join(", ")),
    );
    false
}

/// Runs `command` with `stdin` piped in and its output captured; kills it
/// and fails the test if it outlives `deadline`.
pub fn output_within(command: &mut Command, stdin: &str, deadline: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin.as_bytes());
    }
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{command:?} hung for {deadline:?}; stderr so far:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Whether to run; panics in CI without tmux.
pub fn need_tmux(test: &str) -> bool {
    if runs("tmux", &["-V"]) {
        return true;
    }
    if in_ci() {
        panic!("{test}: tmux is required in CI but was not found on PATH");
    }
    skip(
        test,
        "tmux is not installed (install tmux to run this end-to-end test)",
    );
    false
}

/// Polls `check` until it returns `Some`, at most `TIMEOUT`.
pub fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        if start.elapsed() > TIMEOUT {
            panic!("timed out after {TIMEOUT:?} waiting for {what}");
        }
        std::thread::sleep(POLL);
    }
}

/// A private tmux server, killed on drop.
pub struct Tmux {
    socket: String,
    /// The program and its leading arguments that run `tmux` (just `tmux`,
    /// or e.g. `setpriv … tmux` for a server owned by another user).
    program: Vec<String>,
}

impl Tmux {
    pub fn new() -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "mytype-e2e-x-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        Tmux {
            socket,
            program: vec!["tmux".into()],
        }
    }

    /// A private tmux server run by `program` (which ends by running tmux).
    pub fn run_by(program: Vec<String>) -> Tmux {
        let mut tmux = Tmux::new();
        tmux.program = program;
        tmux
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program[0]);
        command.args(&self.program[1..]);
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = self
            .command()
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
    /// that prints `EXIT=<code>` when it ends and keeps the pane open.
    pub fn start(&self, name: &str, command: &str) {
        let shell = format!("{command}; echo EXIT=$?; sleep 60");
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

    pub fn keys(&self, target: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", target];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `text` literally, then Enter.
    pub fn line(&self, target: &str, text: &str) {
        self.run(&["send-keys", "-t", target, "-l", text]);
        self.run(&["send-keys", "-t", target, "Enter"]);
    }

    /// A pane format variable (`alternate_on`, `pane_tty`, …).
    pub fn format(&self, target: &str, var: &str) -> String {
        let f = format!("#{{{var}}}");
        String::from_utf8_lossy(
            &self
                .run(&["display-message", "-p", "-t", target, &f])
                .stdout,
        )
        .trim()
        .to_string()
    }

    pub fn screen(&self, target: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", target]).stdout)
            .into_owned()
    }

    pub fn scrollback(&self, target: &str) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["capture-pane", "-p", "-S", "-200", "-t", target])
                .stdout,
        )
        .into_owned()
    }

    /// The scrollback with wrapped lines joined (a long line as printed).
    pub fn scrollback_joined(&self, target: &str) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["capture-pane", "-p", "-J", "-S", "-200", "-t", target])
                .stdout,
        )
        .into_owned()
    }

    /// Polls the screen until the five rating buttons are drawn, within
    /// `timeout`; returns the screen.
    pub fn wait_for_buttons(&self, target: &str, timeout: Duration) -> String {
        let labels = mytype::core::rating::Rating::ALL.map(mytype::core::rating::Rating::label);
        let start = Instant::now();
        loop {
            let text = self.screen(target);
            if labels.iter().all(|l| text.contains(l)) {
                return text;
            }
            if start.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for the rating buttons; the pane shows:\n{}", self.scrollback(target));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls the pane (scrollback included if `history`) until `want` is on it.
    pub fn wait_for(&self, target: &str, want: &str, history: bool) -> String {
        self.wait_for_all(target, &[want], history)
    }

    /// Polls the pane until every one of `wants` is on it at once: a screen
    /// drawn in several writes can be caught half drawn.
    pub fn wait_for_all(&self, target: &str, wants: &[&str], history: bool) -> String {
        let start = Instant::now();
        loop {
            let text = if history {
                self.scrollback(target)
            } else {
                self.screen(target)
            };
            if wants.iter().all(|want| text.contains(want)) {
                return text;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {wants:?}; the pane shows:\n{text}"
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for the `EXIT=<code>` line and returns the code.
    pub fn exit_code(&self, target: &str) -> i32 {
        let text = self.wait_for(target, "EXIT=", true);
        text.lines()
            .find_map(|l| l.trim().strip_prefix("EXIT="))
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or_else(|| panic!("no exit code on the pane:\n{text}"))
    }

    /// The pane's own value of a tmux option ("" when not set on the pane).
    pub fn pane_option(&self, target: &str, option: &str) -> String {
        let out = self.run(&["show-options", "-p", "-t", target, option]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .strip_prefix(option)
            .unwrap_or("")
            .trim()
            .to_string()
    }

    /// The terminal is back to normal: main screen, no mouse reporting,
    /// canonical mode with echo (raw mode off), and tmux's
    /// `allow-passthrough` not left set on the pane (ratatui-image turns it
    /// on; the game puts it back).
    pub fn assert_restored(&self, target: &str) {
        assert_eq!(
            self.pane_option(target, "allow-passthrough"),
            "",
            "allow-passthrough left set on the pane"
        );
        assert_eq!(
            self.format(target, "alternate_on"),
            "0",
            "alternate screen left on"
        );
        assert_eq!(
            self.format(target, "mouse_any_flag"),
            "0",
            "mouse capture left on"
        );
        let tty = self.format(target, "pane_tty");
        let out = Command::new("stty")
            .args(["-a", "-F", &tty])
            .output()
            .expect("run stty");
        let modes = String::from_utf8_lossy(&out.stdout);
        let has = |flag: &str| modes.split_whitespace().any(|w| w == flag);
        assert!(has("icanon") && has("echo"), "raw mode left on: {modes}");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .command()
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// The last non-empty line of a pane's text before the shell's `EXIT=`
/// line: the last thing the program printed.
pub fn last_printed_line(text: &str) -> &str {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with("EXIT="))
        .unwrap_or("")
}

pub fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// A generated pack and an empty profiles folder in a temporary folder.
pub struct Game {
    pub dir: tempfile::TempDir,
    pub pack: PathBuf,
    pub profiles: PathBuf,
}

pub fn game() -> Game {
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
        dir,
        pack,
        profiles,
    }
}

impl Game {
    /// `mytype --profiles-dir … <command> --profile NAME --pack … <extra>`.
    pub fn command(&self, command: &str, profile: &str, extra: &str) -> String {
        format!(
            "{} --profiles-dir {} {command} --profile {profile} --pack {} {extra}",
            sh_quote(Path::new(BIN)),
            sh_quote(&self.profiles),
            sh_quote(&self.pack)
        )
    }

    /// One game as tmux runs it: TERM=xterm-256color and no COLORTERM, like
    /// an ssh session.
    pub fn play(&self, profile: &str, extra: &str) -> String {
        format!(
            "env -u COLORTERM TERM=xterm-256color {}",
            self.command("play", profile, extra)
        )
    }

    pub fn store(&self) -> mytype::profile::ProfileStore {
        mytype::profile::ProfileStore::at(&self.profiles)
    }

    pub fn ratings(&self, profile: &str) -> Vec<(String, u8)> {
        self.store()
            .load_optional(profile)
            .unwrap()
            .map(|p| {
                p.ratings
                    .iter()
                    .map(|r| (r.face.clone(), r.level.value()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Rates faces through `mytype rate` (lines `FACE LEVEL`), which must succeed.
    pub fn rate(&self, profile: &str, lines: &[String]) {
        use std::io::Write;
        let mut rate = Command::new(BIN)
            .arg("--profiles-dir")
            .arg(&self.profiles)
            .args(["rate", "--profile", profile, "--pack"])
            .arg(&self.pack)
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        {
            let mut stdin = rate.stdin.take().unwrap();
            for line in lines {
                writeln!(stdin, "{line}").unwrap();
            }
        }
        let out = rate.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The pid holding the profile's lock (from the lock file), once it is held.
    pub fn lock_holder(&self, profile: &str) -> i32 {
        let path = self.profiles.join(format!(".{profile}.lock"));
        wait_until(&format!("a holder in {}", path.display()), || {
            let text = std::fs::read_to_string(&path).ok()?;
            text.strip_prefix("pid ")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
    }

    /// Waits until nobody holds the profile's lock (its holder has exited).
    pub fn wait_unlocked(&self, profile: &str) {
        let store = self.store();
        wait_until(&format!("profile {profile} to be unlocked"), || {
            store.lock(profile).ok().map(drop)
        });
    }
}

/// Sends `signal` (e.g. "HUP") to `pid` with the shell's `kill` builtin
/// (no procps needed).
pub fn kill(signal: &str, pid: i32) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {pid}"))
        .status()
        .expect("run sh -c kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}
