//! Issue #28, "How it is checked": two throwaway Unix users on one box.
//! The neighbour plants traps in a shared 1777 profiles folder (links to
//! the victim's own files outside it, named pipes, `/dev/zero`, a huge
//! file, a directory, a foreign-owned profile and lock, temporary names);
//! the victim rates (piped and typed at a terminal), lists, shows, removes,
//! replays, asks for a recommendation and plays in tmux. Nothing outside
//! the folder changes, nothing hangs, every acknowledged rating is on disk,
//! each refusal names its file, and the victim leaves no temporary file.
//!
//! Needs root (to add and remove the users; CI runs as root), `useradd`,
//! `userdel`, `setpriv` and tmux; skips with a message otherwise, except
//! in CI, where it fails.

use crate::e2e_support::{in_ci, output_within, runs, skip, Tmux, MODELS};
use crate::files_support::snapshot;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// Longest any one command may take; a hang fails the test instead.
const DEADLINE: Duration = Duration::from_secs(30);

/// A Unix user made for this test, removed (with `userdel`) when dropped,
/// panic or not.
struct ThrowawayUser {
    name: String,
    uid: u32,
    gid: u32,
}

impl ThrowawayUser {
    fn add(prefix: &str) -> ThrowawayUser {
        let name = format!("{prefix}{}", std::process::id());
        let out = Command::new("useradd")
            .args(["-M", "-N", "-s", "/usr/sbin/nologin", &name])
            .output()
            .expect("run useradd");
        assert!(
            out.status.success(),
            "useradd {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let id = |flag: &str| -> u32 {
            let out = Command::new("id").args([flag, &name]).output().unwrap();
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        };
        let (uid, gid) = (id("-u"), id("-g"));
        ThrowawayUser { name, uid, gid }
    }

    /// `setpriv` arguments that run what follows as this user, `HOME` set.
    fn prefix(&self, home: &Path) -> Vec<String> {
        vec![
            "setpriv".into(),
            format!("--reuid={}", self.uid),
            format!("--regid={}", self.gid),
            "--clear-groups".into(),
            "env".into(),
            format!("HOME={}", home.display()),
            format!("USER={}", self.name),
            "LOGNAME=".to_string() + &self.name,
        ]
    }

    /// A command run as this user.
    fn command(&self, home: &Path, program: &str) -> Command {
        let prefix = self.prefix(home);
        let mut command = Command::new(&prefix[0]);
        command
            .args(&prefix[1..])
            .arg(program)
            .env_remove("MYTYPE_PROFILES")
            .env_remove("MYTYPE_PACK")
            .env_remove("TMUX");
        command
    }
}

impl Drop for ThrowawayUser {
    fn drop(&mut self) {
        // -f: even if a process of theirs outlived a failed test.
        let _ = Command::new("userdel").args(["-f", &self.name]).output();
    }
}

/// Whether this test can run; why not, visibly (a failure in CI).
fn can_run(test: &str) -> bool {
    let why = if !rustix::process::geteuid().is_root() {
        "needs root to add two throwaway users (CI runs as root)"
    } else if !runs("useradd", &["--help"]) || !runs("userdel", &["--help"]) {
        "useradd/userdel are not installed (apt-get install passwd)"
    } else if !runs("setpriv", &["--version"]) {
        "setpriv is not installed (apt-get install util-linux)"
    } else if !runs("tmux", &["-V"]) {
        "tmux is not installed (apt-get install tmux)"
    } else {
        return true;
    };
    if in_ci() {
        panic!("{test}: {why}");
    }
    skip(test, why);
    false
}

/// Runs `command` with `stdin`; kills it and fails past [`DEADLINE`].
fn bounded(mut command: Command, stdin: &str) -> Output {
    output_within(&mut command, stdin, DEADLINE)
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The box: a world-readable base folder holding the binary, a pack, the
/// shared 1777 profiles folder and each user's private home.
struct SharedBox {
    _base: tempfile::TempDir,
    bin: PathBuf,
    pack: PathBuf,
    shared: PathBuf,
    home: PathBuf,
    neighbour_home: PathBuf,
    tmux_dir: PathBuf,
    victim: ThrowawayUser,
    neighbour: ThrowawayUser,
}

impl SharedBox {
    fn new() -> SharedBox {
        let victim = ThrowawayUser::add("mtvic");
        let neighbour = ThrowawayUser::add("mtnb");
        let base = tempfile::tempdir().unwrap();
        let root = base.path();
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        let pack = root.join("pack");
        let out = Command::new(crate::e2e_support::BIN)
            .args(["pack", "generate", "--models", "12", "--celebrities", "5"])
            .arg("--out")
            .arg(&pack)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out).1);
        let shared = root.join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        let mut homes = Vec::new();
        for (user, name) in [
            (&victim, "home-victim"),
            (&neighbour, "home-neighbour"),
            (&victim, "tmux-victim"),
        ] {
            let home = root.join(name);
            std::fs::create_dir(&home).unwrap();
            std::os::unix::fs::chown(&home, Some(user.uid), Some(user.gid)).unwrap();
            std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
            homes.push(home);
        }
        let mut shared_box = SharedBox {
            bin: PathBuf::from(crate::e2e_support::BIN),
            _base: base,
            pack,
            shared,
            tmux_dir: homes.pop().unwrap(),
            neighbour_home: homes.pop().unwrap(),
            home: homes.pop().unwrap(),
            victim,
            neighbour,
        };
        shared_box.make_binary_reachable();
        shared_box
    }

    /// The built binary may sit under a folder the throwaway users cannot
    /// enter: then they run a copy in the (0755) base folder.
    fn make_binary_reachable(&mut self) {
        let out = bounded(self.as_victim(&["--version"]), "");
        if out.status.success() {
            return;
        }
        let copy = self._base.path().join("mytype");
        std::fs::copy(&self.bin, &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        self.bin = copy;
        let out = bounded(self.as_victim(&["--version"]), "");
        assert!(out.status.success(), "{}", text(&out).1);
    }

    /// `mytype --profiles-dir SHARED ARGS` as the victim.
    fn as_victim(&self, args: &[&str]) -> Command {
        let mut command = self
            .victim
            .command(&self.home, &self.bin.display().to_string());
        command.arg("--profiles-dir").arg(&self.shared).args(args);
        command
    }

    /// `sh -c SCRIPT` as the neighbour, in the shared folder; must succeed.
    fn neighbour_sh(&self, script: &str) {
        let mut command = self.neighbour.command(&self.neighbour_home, "sh");
        command.arg("-c").arg(script).current_dir(&self.shared);
        let out = bounded(command, "");
        assert!(out.status.success(), "{script}: {}", text(&out).1);
    }

    fn pack_arg(&self) -> String {
        self.pack.display().to_string()
    }

    /// The victim's ratings of `profile`, as `profiles show --json` says.
    fn ratings(&self, profile: &str) -> usize {
        let out = bounded(self.as_victim(&["profiles", "show", profile, "--json"]), "");
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "profiles show {profile}: {stderr}");
        let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        value["ratings"].as_array().unwrap().len()
    }

    /// A tmux server owned by the victim, so the terminal is theirs.
    fn victim_tmux(&self) -> Tmux {
        let mut program = self.victim.prefix(&self.home);
        // tmux's socket folder: the victim's, outside the compared home.
        program.push(format!("TMUX_TMPDIR={}", self.tmux_dir.display()));
        program.push("tmux".into());
        Tmux::run_by(program)
    }

    /// The shell command a tmux pane runs: `mytype --profiles-dir … ARGS`.
    fn pane_command(&self, args: &str) -> String {
        format!(
            "env -u COLORTERM TERM=xterm-256color {} --profiles-dir {} {args}",
            crate::e2e_support::sh_quote(&self.bin),
            crate::e2e_support::sh_quote(&self.shared),
        )
    }
}

/// The victim's files outside the shared folder that the neighbour aims at.
const OUTSIDE: [&str; 4] = ["notes.txt", "lock-target.txt", "secret.ron", "temp-target"];

/// The neighbour's traps. Names: `linked` (profile linked to the victim's
/// notes), `locked` (lock linked to a victim file), `owned` (profile and
/// lock made by the neighbour), `piped` (profile and lock are named pipes),
/// `vic` (the victim's real profile: its temporary names are taken by
/// links and pipes), and crowd junk: `zzz` pipe, `yyy` → /dev/zero, `xxx`
/// 100 MiB, `www` → the victim's secret profile, `ddd` a directory, `nb`
/// the neighbour's honest profile; `dir` and `dirlock`: a directory as the
/// profile or the lock. (Hard links to the victim's files are refused by
/// the kernel's `fs.protected_hardlinks`; the lock's unit tests cover them.)
fn plant(b: &SharedBox) {
    let home = b.home.display();
    let mut script = format!(
        "set -e
ln -s {home}/notes.txt linked.ron
ln -s {home}/lock-target.txt .locked.lock
mkfifo piped.ron .piped.lock
mkfifo zzz.ron
ln -s /dev/zero yyy.ron
truncate -s 100M xxx.ron
ln -s {home}/secret.ron www.ron
mkdir ddd.ron dir.ron .dirlock.lock
printf 'pid 1 on host nowhere' > .owned.lock
chmod 644 .owned.lock
"
    );
    // Likely temporary names of `vic` (pid, random suffix): links to the
    // victim's files and pipes.
    for (i, suffix) in ["abcDEF", "xyz123", "QWErty"].iter().enumerate() {
        script.push_str(&format!(
            "ln -s {home}/temp-target .vic.ron.{}-{suffix}.tmp\nmkfifo .vic.ron.{}-{suffix}.tmp\n",
            100 + i,
            200 + i
        ));
    }
    b.neighbour_sh(&script);
    // The neighbour's honest profile and the one they squat on as `owned`.
    let mut command = b
        .neighbour
        .command(&b.neighbour_home, &b.bin.display().to_string());
    command.arg("--profiles-dir").arg(&b.shared).args([
        "rate",
        "--profile",
        "nb",
        "--pack",
        &b.pack_arg(),
    ]);
    let out = bounded(command, "m001 1\nm002 5\nm003 2\n");
    assert!(out.status.success(), "{}", text(&out).1);
    b.neighbour_sh("cp nb.ron owned.ron && chmod 644 nb.ron owned.ron");
}

/// The victim's own files outside the folder, written as the victim.
fn victim_files(b: &SharedBox) {
    for name in OUTSIDE {
        let path = b.home.join(name);
        std::fs::write(&path, format!("the victim's {name}, keep out\n")).unwrap();
        std::os::unix::fs::chown(&path, Some(b.victim.uid), Some(b.victim.gid)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

/// Every file in the shared folder whose name marks a save's temporary file
/// and that belongs to the victim.
fn victims_temp_files(b: &SharedBox) -> Vec<String> {
    std::fs::read_dir(&b.shared)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .filter(|e| e.path().symlink_metadata().unwrap().uid() == b.victim.uid)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_hostile_neighbour_on_a_shared_box_changes_and_hangs_nothing() {
    let test = "a_hostile_neighbour_on_a_shared_box_changes_and_hangs_nothing";
    if !can_run(test) {
        return;
    }
    let b = SharedBox::new();
    victim_files(&b);
    plant(&b);
    let outside_before = snapshot(&b.home);
    let pack_before = snapshot(&b.pack);
    let planted_before = planted(&b);

    refusals_name_their_file(&b);
    let piped = victim_rates_piped(&b);
    let typed = victim_rates_at_a_terminal(&b);
    victim_reads_lists_and_removes(&b);
    victim_replays(&b);
    let played = victim_plays_in_tmux(&b);

    // Every acknowledged rating is on disk.
    assert_eq!(
        b.ratings("vic"),
        piped + typed,
        "vic: piped and typed ratings"
    );
    assert_eq!(
        b.ratings("player"),
        played,
        "player: ratings seen on screen"
    );
    // Nothing outside the folder changed; nothing of the neighbour's either.
    assert_eq!(
        snapshot(&b.home),
        outside_before,
        "the victim's own files changed"
    );
    assert_eq!(snapshot(&b.pack), pack_before, "the pack changed");
    assert_eq!(planted(&b), planted_before, "the neighbour's files changed");
    // No temporary file of the victim's is left, and their profile is private.
    assert_eq!(victims_temp_files(&b), Vec::<String>::new());
    let mut cat = b.neighbour.command(&b.neighbour_home, "cat");
    cat.arg(b.shared.join("vic.ron"));
    let out = bounded(cat, "");
    assert!(
        !out.status.success(),
        "the neighbour read the victim's profile"
    );
}

/// The neighbour's planted entries: name → (kind, owner, size).
fn planted(b: &SharedBox) -> Vec<(String, String, u32, u64)> {
    let mut out: Vec<_> = std::fs::read_dir(&b.shared)
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let meta = e.path().symlink_metadata().ok()?;
            (meta.uid() == b.neighbour.uid).then(|| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    format!("{:?}", meta.file_type()),
                    meta.uid(),
                    meta.len(),
                )
            })
        })
        .collect();
    out.sort();
    out
}

/// Each trapped profile is refused at once, naming the file and why.
fn refusals_name_their_file(b: &SharedBox) {
    let pack = b.pack_arg();
    let nb = b.neighbour.uid;
    for (profile, file, why) in [
        ("linked", "linked.ron", "is a symbolic link".to_string()),
        ("locked", ".locked.lock", "is a symbolic link".to_string()),
        (
            "owned",
            ".owned.lock",
            format!("belongs to another user (uid {nb})"),
        ),
        ("piped", ".piped.lock", "is a named pipe (FIFO)".to_string()),
        ("dir", "dir.ron", "is a folder".to_string()),
        ("dirlock", ".dirlock.lock", "is a folder".to_string()),
    ] {
        let out = bounded(
            b.as_victim(&["rate", "--profile", profile, "--pack", &pack]),
            "m001 5\n",
        );
        let (_, err) = text(&out);
        assert!(!out.status.success(), "rate {profile} succeeded: {err}");
        assert!(
            err.contains(&format!("{file}: {why}")),
            "rate {profile}: {err}"
        );
    }
    for (profile, file, why) in [
        ("linked", "linked.ron", "is a symbolic link".to_string()),
        ("piped", "piped.ron", "is a named pipe (FIFO)".to_string()),
        ("xxx", "xxx.ron", "limit is 16 MiB".to_string()),
        ("owned", "owned.ron", String::new()),
    ] {
        let out = bounded(b.as_victim(&["profiles", "show", profile]), "");
        let (_, err) = text(&out);
        if why.is_empty() {
            // Another player's readable profile: shown (the crowd reads it).
            assert!(out.status.success(), "profiles show {profile}: {err}");
        } else {
            assert!(!out.status.success(), "profiles show {profile}: {err}");
            assert!(
                err.contains(&format!("{file}: ")) && err.contains(&why),
                "{err}"
            );
        }
    }
}

/// `rate` fed by a pipe: the batch is saved whole. Returns the count.
fn victim_rates_piped(b: &SharedBox) -> usize {
    let out = bounded(
        b.as_victim(&["rate", "--profile", "vic", "--pack", &b.pack_arg()]),
        // Seven here and three typed: the ten a pick needs.
        "m001 5\nm002 4\nm003 1\nm007 2\nm008 5\nm009 3\nm010 1\n",
    );
    assert!(out.status.success(), "{}", text(&out).1);
    assert_eq!(b.ratings("vic"), 7);
    7
}

/// `rate` typed at the victim's terminal: each line acknowledged is saved;
/// Ctrl-D ends it. Returns how many were acknowledged.
fn victim_rates_at_a_terminal(b: &SharedBox) -> usize {
    let tmux = b.victim_tmux();
    let command = b.pane_command(&format!("rate --profile vic --pack {}", b.pack_arg()));
    tmux.start("rate", &command);
    for (n, line) in ["m004 5", "m005 Slightly weak", "m006 3"]
        .iter()
        .enumerate()
    {
        tmux.line("rate", line);
        tmux.wait_for("rate", &format!("({} so far), saved", n + 1), false);
        assert_eq!(
            b.ratings("vic"),
            7 + n + 1,
            "typed line {} not on disk",
            n + 1
        );
    }
    tmux.keys("rate", &["C-d"]);
    let text = tmux.wait_for("rate", "EXIT=", true);
    assert_eq!(tmux.exit_code("rate"), 0, "{text}");
    3
}

/// `recommend`, `profiles list`, `profiles rm`: each finishes,
/// names every planted file it skips, and removes only what is the victim's.
fn victim_reads_lists_and_removes(b: &SharedBox) {
    let pack = b.pack_arg();
    let out = bounded(
        b.as_victim(&["recommend", "--profile", "vic", "--pack", &pack]),
        "",
    );
    let (stdout, err) = text(&out);
    assert!(out.status.success(), "recommend: {err}");
    assert!(!stdout.trim().is_empty(), "recommend printed nothing");
    for (name, what) in [
        ("zzz", "named pipe (FIFO)"),
        ("yyy", "symbolic link"),
        ("xxx", "limit is 16 MiB"),
        ("www", "symbolic link"),
        ("linked", "symbolic link"),
        ("piped", "named pipe (FIFO)"),
    ] {
        let lines = err
            .lines()
            .filter(|l| l.contains(&format!("skipped profile {name}:")))
            .count();
        assert_eq!(lines, 1, "recommend, {name} ({what}): {err}");
        assert!(err.contains(what), "recommend, {name}: {err}");
    }

    let out = bounded(b.as_victim(&["profiles", "list"]), "");
    let (stdout, err) = text(&out);
    assert!(out.status.success(), "profiles list: {err}");
    assert!(stdout.contains("vic") && stdout.contains("nb"), "{stdout}");
    assert!(
        err.contains("writable by every user"),
        "profiles list: {err}"
    );

    // The victim's own profile goes; the neighbour's cannot, and says so.
    let out = bounded(
        b.as_victim(&["rate", "--profile", "gone", "--pack", &pack]),
        "m001 3\n",
    );
    assert!(out.status.success(), "{}", text(&out).1);
    let out = bounded(b.as_victim(&["profiles", "rm", "gone"]), "");
    assert!(out.status.success(), "profiles rm gone: {}", text(&out).1);
    assert!(!b.shared.join("gone.ron").exists());
    let nb = b.neighbour.uid;
    for (profile, file, why) in [
        (
            "owned",
            ".owned.lock",
            format!("belongs to another user (uid {nb})"),
        ),
        ("linked", "linked.ron", "is a symbolic link".to_string()),
        ("piped", ".piped.lock", "is a named pipe (FIFO)".to_string()),
    ] {
        let out = bounded(b.as_victim(&["profiles", "rm", profile]), "");
        let (_, err) = text(&out);
        assert!(
            !out.status.success(),
            "profiles rm {profile} succeeded: {err}"
        );
        assert!(
            err.contains(&format!("{file}: {why}")),
            "profiles rm {profile}: {err}"
        );
    }
}

/// `replay` of planted files is refused at once, naming what they are; the
/// victim's own profile replays at their terminal, to the reveal.
fn victim_replays(b: &SharedBox) {
    let pack = b.pack_arg();
    for (file, what) in [
        ("zzz.ron", "named pipe (FIFO)"),
        ("yyy.ron", "character device"),
    ] {
        let path = b.shared.join(file).display().to_string();
        let out = bounded(b.as_victim(&["replay", &path, "--pack", &pack]), "");
        let (_, err) = text(&out);
        assert!(!out.status.success(), "replay {file}: {err}");
        assert!(err.contains(what), "replay {file}: {err}");
    }
    let tmux = b.victim_tmux();
    tmux.start(
        "replay",
        &b.pane_command(&format!("replay vic --delay 20 --pack {pack}")),
    );
    tmux.wait_for("replay", "You will like this one", false);
    tmux.keys("replay", &["q"]);
    let text = tmux.wait_for("replay", "EXIT=", true);
    assert_eq!(tmux.exit_code("replay"), 0, "{text}");
}

/// `play` in the victim's tmux beside every trap: two ratings seen on
/// screen, then `q`. Returns how many the screen acknowledged.
fn victim_plays_in_tmux(b: &SharedBox) -> usize {
    let tmux = b.victim_tmux();
    tmux.start(
        "play",
        &b.pane_command(&format!(
            "play --profile player --order pack --pack {}",
            b.pack_arg()
        )),
    );
    tmux.wait_for_buttons("play", Duration::from_secs(30));
    for n in 1..=2 {
        tmux.keys("play", &["4"]);
        tmux.wait_for("play", &format!("{n} / {MODELS} rated"), false);
    }
    tmux.keys("play", &["q"]);
    let text = tmux.wait_for("play", "EXIT=", true);
    assert_eq!(tmux.exit_code("play"), 0, "{text}");
    2
}
