//! `mytype pack show` and `pack check` without a folder look at the pack
//! `mytype` plays (`MYTYPE_PACK`, else ./faces/default, else the bundled
//! pack) and say which one on their first line.

use crate::cli_support::BIN;
use std::path::Path;
use std::process::{Command, Output};

/// `mytype ARGS` run in `cwd`, its data folder in `data`, with `MYTYPE_PACK`
/// set to `pack` (or unset) and no sources to find a pack in.
fn run_in(cwd: &Path, data: &Path, pack: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env("XDG_DATA_HOME", data)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("MYTYPE_PACK");
    if let Some(pack) = pack {
        cmd.env("MYTYPE_PACK", pack);
    }
    cmd.output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn without_a_folder_show_and_check_name_the_bundled_pack_not_its_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let first = "The pack mytype plays without --pack: the bundled pack \
                 (default, 50 faces to rate, 40 to reveal)";
    for args in [&["pack", "show"][..], &["pack", "check"]] {
        let text = stdout(&run_in(tmp.path(), &data, None, args));
        assert_eq!(text.lines().next(), Some(first), "{args:?}: {text}");
        assert!(
            !text.contains(&data.display().to_string()),
            "{args:?} shows the data folder's copy as if it were chosen: {text}"
        );
    }
    let check = stdout(&run_in(tmp.path(), &data, None, &["pack", "check"]));
    assert!(
        check.contains("the bundled pack: 90 faces (50 to rate, 40 to reveal), 0 errors"),
        "{check}"
    );
}

#[test]
fn without_a_folder_mytype_pack_and_the_folder_here_come_first() {
    let env = crate::cli_support::setup();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let text = stdout(&run_in(
        tmp.path(),
        &data,
        Some(&env.pack),
        &["pack", "show"],
    ));
    let first = format!(
        "The pack mytype plays without --pack: the pack in {}, from MYTYPE_PACK \
         (default, 20 faces to rate, 10 to reveal)",
        env.pack.display()
    );
    assert_eq!(text.lines().next(), Some(first.as_str()), "{text}");

    // ./faces/default, when there is one.
    let here = tmp.path().join("faces");
    std::fs::create_dir_all(&here).unwrap();
    std::fs::rename(&env.pack, here.join("default")).unwrap();
    let text = stdout(&run_in(tmp.path(), &data, None, &["pack", "check"]));
    assert_eq!(
        text.lines().next(),
        Some(
            "The pack mytype plays without --pack: the pack in faces/default here \
             (default, 20 faces to rate, 10 to reveal)"
        ),
        "{text}"
    );
    assert!(
        text.contains("faces/default: 30 faces (20 to rate, 10 to reveal)"),
        "{text}"
    );
}

#[test]
fn without_a_folder_the_json_is_the_pack_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let json = stdout(&run_in(
        tmp.path(),
        &data,
        None,
        &["pack", "show", "--json"],
    ));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["name"], "default");
    let faces = value["faces"].as_array().unwrap();
    assert_eq!(faces.len(), 90);
}

#[test]
fn the_help_says_the_folder_is_optional() {
    for sub in ["show", "check"] {
        let out = Command::new(BIN)
            .args(["pack", sub, "--help"])
            .output()
            .unwrap();
        let help = stdout(&out);
        assert!(
            help.contains(&format!("Usage: mytype pack {sub} [OPTIONS] [DIR]")),
            "{help}"
        );
        assert!(help.contains("else the bundled pack"), "{help}");
    }
}
