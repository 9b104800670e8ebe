//! What the CLI says when something is wrong: option values checked by
//! clap (exit 2 with the usage), and messages that name the exact command
//! to type.

use crate::cli_support::*;
use std::process::Output;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A command-line mistake: exit 2, and clap's words naming `needle`.
fn assert_usage_error(out: &Output, needle: &str) {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains(needle), "{text}");
    assert!(text.contains("--help"), "{text}");
}

#[test]
fn bad_option_values_are_command_line_mistakes() {
    let env = setup();
    let pack = pack_arg(&env);
    let cases: &[(&[&str], &str)] = &[
        (
            &["play", "--graphics", "foo"],
            "[possible values: auto, kitty, sixel, iterm, halfblocks]",
        ),
        (
            &["replay", "--graphics", "foo"],
            "[possible values: auto, kitty, sixel, iterm, halfblocks]",
        ),
        (
            &["play", "--order", "random"],
            "[possible values: adaptive, pack]",
        ),
        (
            &["serve", "--max-players", "0"],
            "must be a number from 1 to 256",
        ),
        (
            &["serve", "--max-players", "257"],
            "must be a number from 1 to 256",
        ),
        (
            &["serve", "--open", "--authorized-keys", "keys"],
            "cannot be used with",
        ),
        (
            &["pack", "generate", "--out", "x", "--name", ""],
            "--name is empty",
        ),
        (
            &[
                "pack", "build", "photos", "--out", "x", "--name", "a\u{1b}b",
            ],
            "--name `a␛b` will not do",
        ),
    ];
    for (args, needle) in cases {
        let mut args = args.to_vec();
        if args[0] == "play" || args[0] == "replay" {
            args.extend(["--pack", &pack]);
        }
        let out = mytype(&env, &args, "");
        assert_usage_error(&out, needle);
        assert!(
            !stderr(&out).contains('\u{1b}'),
            "{args:?}: a raw escape reached stderr"
        );
    }
}

#[test]
fn every_graphics_value_and_alias_is_still_accepted() {
    let env = setup();
    let pack = pack_arg(&env);
    for value in [
        "auto",
        "kitty",
        "sixel",
        "iterm",
        "iterm2",
        "halfblocks",
        "blocks",
        "KITTY",
        " sixel ",
    ] {
        let out = mytype(&env, &["play", "--pack", &pack, "--graphics", value], "");
        // Parsed: the game then refuses the pipe it was given (exit 1).
        assert_eq!(out.status.code(), Some(1), "{value}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("needs an interactive terminal"),
            "{value}: {}",
            stderr(&out)
        );
    }
    for order in ["adaptive", "pack"] {
        let out = mytype(&env, &["play", "--pack", &pack, "--order", order], "");
        assert_eq!(out.status.code(), Some(1), "{order}: {}", stderr(&out));
    }
}

#[test]
fn a_world_writable_profiles_folder_points_at_the_readmes_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = setup();
    std::fs::create_dir_all(&env.profiles).unwrap();
    std::fs::set_permissions(&env.profiles, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = mytype(&env, &["profiles", "list"], "");
    // Sticky as well as setgid: players cannot remove each other's profiles.
    assert!(
        stderr(&out).contains("group folder instead (mode 3770, see the README"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn seeds_past_the_largest_are_a_command_line_mistake_not_a_panic() {
    let env = setup();
    let out = mytype(
        &env,
        &[
            "bench",
            "--pack",
            "p",
            "--ratings",
            "r.csv",
            "--seed",
            &u64::MAX.to_string(),
            "--repeats",
            "2",
        ],
        "",
    );
    assert_usage_error(&out, "would run past the largest seed");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    let out = mytype(
        &env,
        &[
            "bench",
            "--pack",
            "p",
            "--ratings",
            "r.csv",
            "--repeats",
            "0",
        ],
        "",
    );
    assert_usage_error(&out, "must be a whole number from 1 to 100");
    let out = mytype(&env, &["replay", "ana", "--delay", "0"], "");
    assert_usage_error(&out, "must be a whole number from 1 to 600000");
}

#[test]
fn a_locked_profile_says_why_then_what_to_do_with_the_exact_command() {
    let env = setup();
    let pack = pack_arg(&env);
    rate_one(&env, "held");
    let _lock = mytype::profile::ProfileStore::at(&env.profiles)
        .lock("held")
        .unwrap();
    let out = mytype(&env, &["play", "--profile", "held", "--pack", &pack], "");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let command = format!(
        "{} --profiles-dir {} --read-only --profile held --pack {}",
        BIN,
        env.profiles.display(),
        pack
    );
    assert!(
        err.contains("profile held is in use by another mytype (pid "),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "): finish that game first, play as another --profile, or look on without saving: `{command}`"
        )),
        "{err}"
    );
    assert_eq!(err.matches("in use").count(), 1, "said twice: {err}");
}

#[test]
fn a_damaged_profile_is_one_line_in_the_list_with_the_command_that_says_more() {
    let env = setup();
    std::fs::create_dir_all(&env.profiles).unwrap();
    std::fs::write(
        env.profiles.join("ana.ron"),
        "(version: 1, player: \"ana\"\n oops",
    )
    .unwrap();
    let out = mytype(&env, &["profiles", "list"], "");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let row = format!(
        "damaged: line 2, column 2: Expected comma (`{BIN} --profiles-dir {} profiles show ana` for more)",
        env.profiles.display()
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("ana ") && l.ends_with(&row)),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn a_profile_without_ratings_says_the_command_that_plays_it() {
    let env = setup();
    let pack = pack_arg(&env);
    let out = mytype(&env, &["rate", "--profile", "bo", "--pack", &pack], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let play = format!(
        "play first with `{BIN} --profiles-dir {} --profile bo --pack {pack}`",
        env.profiles.display()
    );
    for args in [
        vec!["recommend", "--profile", "bo", "--pack", &pack],
        vec!["card", "bo", "--pack", &pack],
    ] {
        let out = mytype(&env, &args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains(&format!("profile bo has no ratings yet: {play}")),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn help_says_what_the_commands_really_do() {
    let env = setup();
    let help = |args: &[&str]| String::from_utf8_lossy(&mytype(&env, args, "").stdout).into_owned();
    let top = help(&["--help"]);
    assert!(
        top.contains("Check, show, build or generate face packs"),
        "{top}"
    );
    assert!(top.contains("else ~/.local/share/mytype/profiles"), "{top}");
    for command in ["rate", "simulate"] {
        let text = help(&[command, "--help"]);
        assert!(
            text.contains("else ./faces/default, else the bundled pack"),
            "{command}: {text}"
        );
    }
    let recommend = help(&["recommend", "--help"]);
    assert!(recommend.contains("--top <K>"), "{recommend}");
    assert!(
        recommend.contains("faces to reveal instead (it must share attributes"),
        "{recommend}"
    );
    assert!(
        recommend.contains("Rank by your ratings alone"),
        "{recommend}"
    );
    let build = help(&["pack", "build", "--help"]);
    assert!(build.contains("(the file name or its stem)"), "{build}");
}

#[test]
fn removing_a_profile_and_a_missing_pack_are_worded_like_the_rest() {
    let env = setup();
    rate_one(&env, "ana");
    let out = mytype(&env, &["profiles", "rm", "ana"], "");
    assert!(
        stderr(&out).contains("Removed profile ana"),
        "{}",
        stderr(&out)
    );
    let missing = env.tmp.path().join("nowhere");
    let out = mytype(&env, &["pack", "show", missing.to_str().unwrap()], "");
    assert!(
        stderr(&out).contains(&format!(
            "cannot load the face pack in {}",
            missing.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_built_pack_named_after_a_folder_with_control_characters_asks_for_a_name() {
    let env = setup();
    let out_dir = env.tmp.path().join("pack\u{1b}[2J");
    let out = mytype(
        &env,
        &[
            "pack",
            "build",
            env.pack.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        "",
    );
    assert_usage_error(
        &out,
        "cannot name a pack (it holds control characters): give one with --name",
    );
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
    assert!(!out_dir.exists());
}

#[test]
fn a_profile_of_another_pack_says_how_to_go_on_with_it() {
    let env = setup();
    let other = env.tmp.path().join("other");
    let out = mytype(
        &env,
        &[
            "pack",
            "generate",
            "--out",
            &other.display().to_string(),
            "--name",
            "drawn7",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let other = other.display().to_string();
    // A profile of the bundled pack: there is no folder to pass.
    let bundled = first_face_of_the_bundled_pack();
    let out = mytype(
        &env,
        &["rate", "--profile", "ana"],
        &format!("{bundled} 5\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = mytype(
        &env,
        &["recommend", "--profile", "ana", "--pack", &other],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "rated pack `default`, not `drawn7`: that is the bundled pack: leave out --pack"
        ),
        "{}",
        stderr(&out)
    );
    // A profile of a pack with a folder: pass it.
    rate_one(&env, "bo");
    let out = mytype(
        &env,
        &["recommend", "--profile", "bo", "--pack", &other],
        "",
    );
    assert!(
        stderr(&out).contains(
            "rated pack `default`, not `drawn7`: pass --pack with the folder of pack `default`"
        ),
        "{}",
        stderr(&out)
    );
}

/// The id of the bundled pack's first face to rate, from its embedded manifest.
fn first_face_of_the_bundled_pack() -> String {
    let text = mytype::pack::bundled::manifest_text();
    let manifest = mytype::pack::Manifest::parse(text, std::path::Path::new("pack.ron")).unwrap();
    let face = manifest
        .faces
        .iter()
        .find(|face| face.role.is_rated())
        .unwrap();
    face.id.clone()
}
