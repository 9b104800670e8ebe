//! A pack with no faces to rate (only faces to reveal) cannot be played:
//! `play`, `replay` and `serve` refuse it, naming the pack and the fix
//! (`--reveal-pack`), exit 1, and write nothing.

use crate::cli_support::{mytype, BIN};
use crate::ui_support::make_pack_of;
use mytype::profile::{Profile, ProfileStore};

fn assert_refused(out: &std::process::Output, command: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
    assert!(
        stderr.contains("pack `ui-test`") && stderr.contains("no faces to rate"),
        "{command}: {stderr}"
    );
    assert!(
        stderr.contains(&format!("`{BIN} {command}--reveal-pack ")),
        "{command}: {stderr}"
    );
}

#[test]
fn a_pack_with_no_faces_to_rate_is_refused_with_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reveal-only");
    let pack = make_pack_of(&dir, 0, 5);
    assert_eq!(pack.model_faces().count(), 0);
    let env = crate::cli_support::Env {
        pack: dir.clone(),
        profiles: tmp.path().join("profiles"),
        tmp,
    };
    let pack_arg = dir.display().to_string();
    let out = mytype(&env, &["play", "--profile", "ana", "--pack", &pack_arg], "");
    assert_refused(&out, "");
    assert!(!env.profiles.exists(), "play wrote nothing");
    let out = mytype(&env, &["serve", "--pack", &pack_arg], "");
    assert_refused(&out, "serve ");
    assert!(!env.profiles.exists(), "serve wrote nothing");
    // A profile file of that pack, replayed.
    let file = env.tmp.path().join("bo.ron");
    let store = ProfileStore::at(env.tmp.path());
    store.save("bo", &Profile::new("bo", &pack)).unwrap();
    let before = std::fs::read(&file).unwrap();
    let out = mytype(
        &env,
        &["replay", &file.display().to_string(), "--pack", &pack_arg],
        "",
    );
    assert_refused(&out, &format!("replay {} ", file.display()));
    assert_eq!(std::fs::read(&file).unwrap(), before);
}
