//! Every command mytype prints for the player to type is the exact command
//! that does it: taken from the message and run as printed (through `sh`),
//! with folders whose names need quoting.

use crate::e2e_support;

use e2e_support::*;
use std::process::Command;

/// The command in "run `…`" / "To remove it: `…`" in `text`.
fn command_in(text: &str, after: &str) -> String {
    text.split_once(after)
        .and_then(|(_, rest)| rest.strip_prefix('`')?.split('`').next())
        .unwrap_or_else(|| panic!("no command after {after:?} in: {text}"))
        .to_string()
}

fn sh(command: &str) -> std::process::Output {
    Command::new("sh").arg("-c").arg(command).output().unwrap()
}

#[test]
fn a_damaged_profile_names_the_command_that_removes_it() {
    let g = game();
    let profiles = g.dir.path().join("our profiles");
    std::fs::create_dir(&profiles).unwrap();
    let file = profiles.join("broken.ron");
    std::fs::write(&file, "this is not ron (").unwrap();
    let out = Command::new(BIN)
        .arg("--profiles-dir")
        .arg(&profiles)
        .args(["recommend", "--profile", "broken", "--pack"])
        .arg(&g.pack)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged profile"), "{err}");
    let command = command_in(&err, "To remove it: ");
    assert!(command.contains("profiles rm broken"), "{command}");
    let run = sh(&command);
    assert!(
        run.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!file.exists(), "{command} left the profile");
}

#[test]
fn a_broken_pack_names_the_command_that_lists_its_problems() {
    let g = game();
    let broken = g.dir.path().join("my pack");
    std::fs::rename(&g.pack, &broken).unwrap();
    std::fs::remove_file(broken.join("images/m003.png")).unwrap();
    let manifest = broken.join("pack.ron");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("images/m001.png", "../m001.png")).unwrap();
    let out = Command::new(BIN)
        .args(["recommend", "--profile", "x", "--pack"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let command = command_in(&err, "(run ");
    assert!(command.contains("pack check"), "{command}");
    let run = sh(&command);
    let report =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{command} found nothing: {report}");
    assert!(report.contains("m001"), "{report}");
}
