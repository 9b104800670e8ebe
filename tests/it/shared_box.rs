//! A shared box with a hostile neighbour (#28.2, #28.3, #28.5, #28.6,
//! #28.7): the neighbour plants symbolic links, named pipes, `/dev/zero`,
//! huge and foreign-owned files and temporary names in a shared profiles
//! folder; the victim rates, recommends, lists, shows and packs. Nothing
//! outside the folder changes, nothing hangs (every run has a deadline),
//! every message names the file, and no acknowledged rating is lost.
//!
//! Files "of another user" are made by `chown` to an unused uid, which
//! needs root (as in CI); reading "as another user" runs `setpriv` with
//! that uid. Without root those tests say so and skip.

use crate::cli_support::{first_image, mytype, pack_arg, setup, Env, BIN};
use crate::e2e_support::{in_ci, output_within, skip};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The neighbour's uid: no account needs to exist for a file to be theirs.
const NEIGHBOUR: u32 = 54_321;
/// Longest any one command may take here; a hang fails the test instead.
const DEADLINE: Duration = Duration::from_secs(30);

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Whether the test can act as another user; says why not when it cannot.
fn can_be_neighbour(test: &str) -> bool {
    if is_root() {
        return true;
    }
    if in_ci() {
        panic!("{test}: CI runs the tests as root, which this test needs");
    }
    skip(
        test,
        "needs root to make files owned by another user (CI runs as root)",
    );
    false
}

/// A file made by the neighbour.
fn plant_as_neighbour(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::os::unix::fs::chown(path, Some(NEIGHBOUR), Some(NEIGHBOUR)).unwrap();
}

fn make_fifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o666),
        0,
    )
    .unwrap();
}

/// `mytype --profiles-dir … ARGS`, killed and failed if it outlives
/// [`DEADLINE`].
fn bounded(env: &Env, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(BIN);
    command
        .arg("--profiles-dir")
        .arg(&env.profiles)
        .args(args)
        .env_remove("MYTYPE_PROFILES")
        .env_remove("MYTYPE_PACK");
    output_within(&mut command, stdin, DEADLINE)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn rate_ok(env: &Env, profile: &str, lines: &str) {
    let out = mytype(
        env,
        &["rate", "--profile", profile, "--pack", &pack_arg(env)],
        lines,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Files in the profiles folder whose name marks a save's temporary file.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn a_planted_lock_link_is_refused_and_its_target_kept() {
    let env = setup();
    let notes = env.tmp.path().join("notes.txt");
    std::fs::write(&notes, "alice's notes").unwrap();
    std::fs::create_dir_all(&env.profiles).unwrap();
    std::os::unix::fs::symlink(&notes, env.profiles.join(".alice.lock")).unwrap();
    let out = bounded(
        &env,
        &["rate", "--profile", "alice", "--pack", &pack_arg(&env)],
        "m001 5\n",
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(".alice.lock: is a symbolic link") && err.contains("rm"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "alice's notes");
    assert!(!env.profiles.join("alice.ron").exists());
}

#[test]
fn a_planted_profile_link_is_neither_read_nor_written() {
    let env = setup();
    rate_ok(&env, "bo", "m001 5\n");
    let elsewhere = env.tmp.path().join("elsewhere.ron");
    std::fs::copy(env.profiles.join("bo.ron"), &elsewhere).unwrap();
    let before = std::fs::read(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, env.profiles.join("alice.ron")).unwrap();
    for args in [
        vec!["rate", "--profile", "alice", "--pack", &pack_arg(&env)],
        vec!["recommend", "--profile", "alice", "--pack", &pack_arg(&env)],
        vec!["profiles", "show", "alice"],
    ] {
        let out = bounded(&env, &args, "m002 4\n");
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("alice.ron: is a symbolic link"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read(&elsewhere).unwrap(), before);
}

#[test]
fn pipes_devices_and_huge_profiles_are_skipped_with_one_warning_each() {
    let env = setup();
    rate_ok(
        &env,
        "alice",
        "m001 5\nm002 1\nm003 4\nm004 2\nm005 5\nm006 1\nm007 4\nm008 2\nm009 5\nm010 3\n",
    );
    make_fifo(&env.profiles.join("zzz.ron"));
    std::os::unix::fs::symlink("/dev/zero", env.profiles.join("yyy.ron")).unwrap();
    let huge = std::fs::File::create(env.profiles.join("xxx.ron")).unwrap();
    huge.set_len(100 * 1024 * 1024).unwrap();

    let out = bounded(
        &env,
        &["recommend", "--profile", "alice", "--pack", &pack_arg(&env)],
        "",
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    for (name, what) in [
        ("zzz", "named pipe (FIFO)"),
        ("yyy", "symbolic link"),
        ("xxx", "limit is 16 MiB"),
    ] {
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.contains(&format!("skipped profile {name}:")))
            .collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert!(
            lines[0].starts_with("mytype: warning:") && lines[0].contains(what),
            "{name}: {err}"
        );
    }

    let out = bounded(&env, &["profiles", "list"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("alice") && list.contains("named pipe"),
        "{list}"
    );

    let out = bounded(&env, &["profiles", "show", "zzz"], "");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("zzz.ron: is a named pipe (FIFO)"));
    let out = bounded(&env, &["profiles", "show", "xxx", "--json"], "");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("100.0 MiB"), "{}", stderr(&out));
}

#[test]
fn replay_of_a_pipe_or_device_file_is_refused_at_once() {
    let env = setup();
    let fifo = env.tmp.path().join("evil.ron");
    make_fifo(&fifo);
    let zero = env.tmp.path().join("zero.ron");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    for (file, what) in [(&fifo, "named pipe (FIFO)"), (&zero, "character device")] {
        let path = file.display().to_string();
        let out = bounded(&env, &["replay", &path, "--pack", &pack_arg(&env)], "");
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(err.contains(what), "{err}");
    }
}

#[test]
fn another_users_profile_lock_or_folder_is_not_written() {
    let test = "another_users_profile_lock_or_folder_is_not_written";
    if !can_be_neighbour(test) {
        return;
    }
    let env = setup();
    std::fs::create_dir_all(&env.profiles).unwrap();
    let planted = "(version: 1, player: \"alice\", pack: (name: \"x\"), ratings: [])\n";
    plant_as_neighbour(&env.profiles.join("alice.ron"), planted);
    plant_as_neighbour(&env.profiles.join(".bo.lock"), "neighbour's");
    for (name, file) in [("alice", "alice.ron"), ("bo", ".bo.lock")] {
        let out = bounded(
            &env,
            &["rate", "--profile", name, "--pack", &pack_arg(&env)],
            "m001 5\n",
        );
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "{file}: belongs to another user (uid {NEIGHBOUR})"
            )),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(env.profiles.join("alice.ron")).unwrap(),
        planted
    );
    assert_eq!(
        std::fs::read_to_string(env.profiles.join(".bo.lock")).unwrap(),
        "neighbour's"
    );

    // A folder every user can write to, or another user's, is named once.
    std::fs::set_permissions(&env.profiles, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let out = bounded(&env, &["profiles", "list"], "");
    let err = stderr(&out);
    assert_eq!(err.matches("writable by every user").count(), 1, "{err}");
    std::fs::set_permissions(&env.profiles, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::chown(&env.profiles, Some(NEIGHBOUR), None).unwrap();
    let out = bounded(&env, &["profiles", "list"], "");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("belongs to another user (uid {NEIGHBOUR})")),
        "{err}"
    );
}

#[test]
fn temporary_files_are_private_cleaned_and_others_left_alone() {
    let test = "temporary_files_are_private_cleaned_and_others_left_alone";
    if !can_be_neighbour(test) {
        return;
    }
    let env = setup();
    std::fs::create_dir_all(&env.profiles).unwrap();
    // A save killed earlier left one of ours; the neighbour planted one.
    let stale = env.profiles.join(".ana.ron.4242-abcDEF.tmp");
    std::fs::write(&stale, "an old half-written profile").unwrap();
    let theirs = env.profiles.join(".ana.ron.4243-ghiJKL.tmp");
    plant_as_neighbour(&theirs, "the neighbour's");
    rate_ok(&env, "ana", "m001 5\n");
    assert!(!stale.exists(), "our stale temporary file was left");
    assert!(theirs.exists(), "another user's file was removed");
    assert_eq!(temp_files(&env.profiles), vec![theirs_name(&theirs)]);

    // The profile is private: another user cannot read it...
    let profile = env.profiles.join("ana.ron");
    assert_eq!(std::fs::metadata(&profile).unwrap().mode() & 0o777, 0o600);
    if Command::new("setpriv").arg("--version").output().is_ok() {
        std::fs::set_permissions(&env.profiles, std::fs::Permissions::from_mode(0o755)).unwrap();
        let out = Command::new("setpriv")
            .args([
                &format!("--reuid={NEIGHBOUR}"),
                &format!("--regid={NEIGHBOUR}"),
                "--clear-groups",
                "cat",
            ])
            .arg(&profile)
            .output()
            .unwrap();
        assert!(!out.status.success(), "another user read a private profile");
    } else {
        skip(
            test,
            "setpriv is not installed: reading as another user not tried",
        );
    }
    // ...while in a group folder (setgid) the group reads it, and only
    // the owner writes it.
    std::fs::set_permissions(&env.profiles, std::fs::Permissions::from_mode(0o2770)).unwrap();
    rate_ok(&env, "ana", "m002 4\n");
    assert_eq!(std::fs::metadata(&profile).unwrap().mode() & 0o777, 0o640);
}

fn theirs_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn long_names_are_counted_in_bytes() {
    let env = setup();
    // 50 four-byte letters: 200 bytes, the most a name may take.
    let longest = "𝒜".repeat(50);
    rate_ok(&env, &longest, "m001 5\n");
    assert!(env.profiles.join(format!("{longest}.ron")).is_file());
    let over = "𝒜".repeat(51);
    let out = bounded(
        &env,
        &["rate", "--profile", &over, "--pack", &pack_arg(&env)],
        "m001 5\n",
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("longer than 200 bytes"),
        "{}",
        stderr(&out)
    );
}

/// SIGKILL at random moments of `rate` batches: each batch is on disk
/// whole or not at all, every batch `rate` acknowledged (exit 0) is there,
/// the profile always reads, and the next run removes the temporary files
/// killed saves left.
#[test]
fn killing_rate_mid_save_loses_no_acknowledged_batch() {
    use rand::Rng;
    let env = setup();
    let batch: String = (1..=20)
        .map(|i| format!("m{:03} {}\n", i, 1 + i % 5))
        .collect();
    let mut rng = rand::rng();
    let (mut acknowledged, mut kills) = (0usize, 0usize);
    let start = Instant::now();
    while kills < 100 && start.elapsed() < Duration::from_secs(90) {
        let mut child = Command::new(BIN)
            .arg("--profiles-dir")
            .arg(&env.profiles)
            .args(["rate", "--profile", "ana", "--pack", &pack_arg(&env)])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut input = child.stdin.take().unwrap();
            let _ = input.write_all(batch.as_bytes());
        }
        std::thread::sleep(Duration::from_micros(rng.random_range(0..40_000)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            acknowledged += 1;
        } else {
            kills += 1;
        }
        let store = mytype::profile::ProfileStore::at(&env.profiles);
        let saved = store
            .load_optional("ana")
            .expect("the profile always reads")
            .map_or(0, |p| p.ratings.len());
        assert_eq!(saved % 20, 0, "a batch was saved in part: {saved} ratings");
        assert!(
            saved / 20 >= acknowledged,
            "{acknowledged} batches acknowledged, {saved} ratings on disk"
        );
    }
    assert!(kills >= 50, "only {kills} runs were killed");
    rate_ok(&env, "ana", "m001 5\n");
    assert_eq!(temp_files(&env.profiles), Vec::<String>::new());
}

/// A pack of 12 tiny faces at `dir` (as `pack check` tests write them),
/// whose first image is replaced by `first`.
fn pack_with_first_image(dir: &Path, first: impl FnOnce(&Path)) {
    let out = Command::new(BIN)
        .args([
            "pack",
            "generate",
            "--models",
            "12",
            "--celebrities",
            "2",
            "--out",
        ])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let path = first_image(dir);
    std::fs::remove_file(&path).unwrap();
    first(&path);
}

#[test]
fn pack_check_names_a_pipe_and_does_not_wait_on_it() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    pack_with_first_image(&pack, make_fifo);
    let env = Env {
        pack: pack.clone(),
        profiles: tmp.path().join("profiles"),
        tmp,
    };
    let out = bounded(&env, &["pack", "check", &pack_arg(&env)], "");
    assert!(!out.status.success());
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(text.contains("named pipe (FIFO)"), "{text}");
    assert!(!text.contains("empty file"), "{text}");
}

#[test]
fn images_over_the_pixel_cap_are_refused_before_decoding() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    // 8192x8192 grey: a 200 KB file of 67 megapixels.
    pack_with_first_image(&pack, |path| {
        image::GrayImage::new(8192, 8192)
            .save_with_format(path, image::ImageFormat::Png)
            .unwrap()
    });
    let env = Env {
        pack: pack.clone(),
        profiles: tmp.path().join("profiles"),
        tmp,
    };
    let out = bounded(&env, &["pack", "check", &pack_arg(&env)], "");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(!out.status.success());
    assert!(
        text.contains("8192x8192 is 67.1 megapixels") && text.contains("scale it down"),
        "{text}"
    );
}

/// `play` with a pipe and a `/dev/zero` link among the other players'
/// profiles: the game starts (the crowd skips them) and `q` quits.
#[test]
fn play_starts_and_quits_beside_a_pipe_and_dev_zero() {
    use crate::e2e_support::{game, need_tmux, Tmux, MODELS};
    if !need_tmux("play_starts_and_quits_beside_a_pipe_and_dev_zero") {
        return;
    }
    let g = game();
    std::fs::create_dir_all(&g.profiles).unwrap();
    make_fifo(&g.profiles.join("zzz.ron"));
    std::os::unix::fs::symlink("/dev/zero", g.profiles.join("yyy.ron")).unwrap();
    let tmux = Tmux::new();
    tmux.start("game", &g.play("alice", ""));
    tmux.wait_for("game", &format!("Face 1 of {MODELS}"), false);
    tmux.keys("game", &["q"]);
    let text = tmux.wait_for("game", "EXIT=", true);
    assert_eq!(tmux.exit_code("game"), 0, "{text}");
}
