//! Shared helpers for the CLI tests: a generated pack in a temporary
//! folder and the binary run against it with piped stdio.

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_mytype");

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub pack: std::path::PathBuf,
    pub profiles: std::path::PathBuf,
}

pub fn setup() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    let out = Command::new(BIN)
        .args([
            "pack",
            "generate",
            "--seed",
            "3",
            "--models",
            "20",
            "--celebrities",
            "10",
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
    Env {
        profiles: tmp.path().join("profiles"),
        pack,
        tmp,
    }
}

pub fn mytype(env: &Env, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("--profiles-dir")
        .arg(&env.profiles)
        .args(args)
        .env_remove("MYTYPE_PROFILES")
        .env_remove("MYTYPE_PACK")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that exits before reading its input closes the pipe: fine.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// Rates the test pack's first `n` faces to rate for `profile` (Type, then
/// on down the levels and round again) and checks they were saved: the
/// setup of a test that needs a profile with ratings.
pub fn rate_first(env: &Env, profile: &str, n: usize) {
    let pack = mytype::pack::Pack::load(&env.pack).unwrap();
    let lines: String = pack
        .model_faces()
        .take(n)
        .enumerate()
        .map(|(i, f)| format!("{} {}\n", f.id, 5 - i % 5))
        .collect();
    let out = mytype(
        env,
        &["rate", "--profile", profile, "--pack", &pack_arg(env)],
        &lines,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// [`rate_first`] of one face: `profile` exists and has rated `m001` Type.
pub fn rate_one(env: &Env, profile: &str) {
    rate_first(env, profile, 1);
}

pub fn pack_arg(env: &Env) -> String {
    env.pack.display().to_string()
}

pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The image file of the first face in the pack at `pack`.
pub fn first_image(pack: &std::path::Path) -> std::path::PathBuf {
    let pack_manifest = mytype::pack::Pack::load(pack).unwrap();
    pack.join(&pack_manifest.manifest().faces[0].image)
}
