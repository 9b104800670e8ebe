//! What the CLI says to people: counts with the right plural, attribute
//! levels worded one way everywhere, `play` and `replay` refusing a pipe
//! plainly, shell completions and the manual page.

use crate::cli_support;

use cli_support::*;
use mytype::core::attributes::trait_label;
use std::process::{Command, Stdio};

/// Every subcommand, nested ones as `parent child`.
const SUBCOMMANDS: &[&str] = &[
    "play",
    "rate",
    "recommend",
    "profiles",
    "profiles list",
    "profiles show",
    "profiles rm",
    "pack",
    "pack check",
    "pack show",
    "pack build",
    "pack generate",
    "simulate",
    "bench",
    "compare",
    "card",
    "replay",
    "completions",
    "man",
];

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn rate(env: &Env, profile: &str, lines: &str) -> std::process::Output {
    mytype(
        env,
        &["rate", "--profile", profile, "--pack", &pack_arg(env)],
        lines,
    )
}

#[test]
fn counts_say_1_rating_and_2_ratings() {
    let env = setup();
    let pack = pack_arg(&env);
    let one = rate(&env, "ana", "m001 5\n");
    assert!(
        stderr(&one).contains("Saved 1 rating to profile ana (1 in all)"),
        "{}",
        stderr(&one)
    );
    let two = rate(&env, "ana", "m002 1\nm003 4\n");
    assert!(
        stderr(&two).contains("Saved 2 ratings to profile ana (3 in all)"),
        "{}",
        stderr(&two)
    );
    rate(&env, "bo", "m004 2\n");

    let list = stdout(&mytype(&env, &["profiles", "list"], ""));
    let line = |name: &str| {
        list.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {list}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(line("ana"), "ana 3 ratings pack default");
    assert_eq!(line("bo"), "bo 1 rating pack default");

    let show = |name: &str| stdout(&mytype(&env, &["profiles", "show", name], ""));
    assert!(
        show("ana").lines().nth(1) == Some("3 ratings:"),
        "{}",
        show("ana")
    );
    assert!(
        show("bo").lines().nth(1) == Some("1 rating:"),
        "{}",
        show("bo")
    );

    // Too few for a pick: the refusal counts them.
    let rec = |name: &str| {
        stderr(&mytype(
            &env,
            &["recommend", "--profile", name, "--pack", &pack],
            "",
        ))
    };
    assert!(
        rec("bo").contains("bo has rated 1 face so far"),
        "{}",
        rec("bo")
    );
    assert!(
        rec("ana").contains("ana has rated 3 faces so far"),
        "{}",
        rec("ana")
    );

    let bad_one = rate(&env, "ana", "m005 5\nnobody 3\n");
    assert!(
        stderr(&bad_one).contains("error: 1 bad line; nothing of this batch was saved"),
        "{}",
        stderr(&bad_one)
    );
    let bad_two = rate(&env, "ana", "x\ny\n");
    assert!(
        stderr(&bad_two).contains("error: 2 bad lines; nothing of this batch was saved"),
        "{}",
        stderr(&bad_two)
    );

    let check = stdout(&mytype(&env, &["pack", "check", &pack], ""));
    assert!(
        check.contains(": 30 faces (20 to rate, 10 to reveal), 0 errors, 0 warnings"),
        "{check}"
    );
    for out in [&one, &two, &bad_one, &bad_two] {
        assert!(!stderr(out).contains("(s)"), "{}", stderr(out));
    }
}

#[test]
fn attribute_levels_read_the_same_in_recommend_compare_and_card() {
    let env = setup();
    let pack = pack_arg(&env);
    rate(
        &env,
        "ana",
        "m001 5\nm002 5\nm003 1\nm004 2\nm005 4\nm006 5\nm007 1\nm008 4\nm009 2\nm010 5\n",
    );
    rate(
        &env,
        "bo",
        "m001 1\nm002 2\nm003 5\nm004 5\nm005 1\nm006 1\nm007 5\nm008 2\nm009 4\nm010 1\n",
    );

    // recommend: the text's reasons are the JSON's, worded by trait_label.
    let args = [
        "recommend",
        "--profile",
        "ana",
        "--pack",
        &pack,
        "--no-crowd",
    ];
    let rec = json(&mytype(&env, &[&args[..], &["--json"]].concat(), ""));
    let labels: Vec<String> = rec["because"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|b| {
            trait_label(
                b["attribute"].as_str().unwrap(),
                b["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(!labels.is_empty(), "{rec}");
    let text = stdout(&mytype(&env, &args, ""));
    assert!(
        text.contains(&format!("  because: {}\n", labels.join(", "))),
        "{text}\nwanted {labels:?}"
    );

    // card: the same reasons, the same words.
    let card = stdout(&mytype(
        &env,
        &["card", "ana", "--pack", &pack, "--no-crowd"],
        "",
    ));
    assert!(
        card.contains(&format!("because: {}\n", labels.join(", "))),
        "{card}"
    );

    // compare: every level listed is worded the same way.
    let cmp = json(&mytype(
        &env,
        &["compare", "ana", "bo", "--pack", &pack, "--json"],
        "",
    ));
    let text = stdout(&mytype(
        &env,
        &["compare", "ana", "bo", "--pack", &pack],
        "",
    ));
    let mut listed = 0;
    for key in ["shared_likes", "differences"] {
        for t in cmp[key].as_array().unwrap().iter().take(6) {
            let label = trait_label(
                t["attribute"].as_str().unwrap(),
                t["level"].as_str().unwrap(),
            );
            assert!(text.contains(&format!("  {label} ")), "{label} in {text}");
            listed += 1;
        }
    }
    assert!(listed > 0, "{text}");
    for output in [&text, &card] {
        assert!(!output.contains('_'), "raw names: {output}");
        assert!(!output.contains("hair color"), "{output}");
    }
}

/// Runs `args` with stdin and stdout piped (no terminal anywhere).
fn without_terminal(env: &Env, args: &[&str], stdin: Stdio) -> std::process::Output {
    Command::new(BIN)
        .arg("--profiles-dir")
        .arg(&env.profiles)
        .args(args)
        .env_remove("MYTYPE_PROFILES")
        .env_remove("MYTYPE_PACK")
        .env("TERM", "xterm-256color")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn play_without_a_terminal_says_so_and_touches_nothing() {
    let env = setup();
    let pack = pack_arg(&env);
    let runs = [
        (
            vec!["play", "--profile", "ana", "--pack", &pack],
            Stdio::piped(),
        ),
        (
            vec!["play", "--profile", "ana", "--pack", &pack],
            Stdio::null(),
        ),
        // The bare command plays too.
        (vec!["--profile", "ana", "--pack", &pack], Stdio::piped()),
    ];
    for (args, stdin) in runs {
        let out = without_terminal(&env, &args, stdin);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&out),
            "mytype play needs an interactive terminal; to rate from a script use `mytype rate`\n",
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
    }
    // No profile was created (the lock file may be there).
    let files: Vec<String> = std::fs::read_dir(&env.profiles)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(files.iter().all(|f| f == ".ana.lock"), "{files:?}");
}

#[test]
fn replay_without_a_terminal_names_the_command_that_lists_the_ratings() {
    let env = setup();
    let pack = pack_arg(&env);
    rate(&env, "ana", "m001 5\nm002 1\n");
    let before = std::fs::read(env.profiles.join("ana.ron")).unwrap();
    let out = without_terminal(&env, &["replay", "ana", "--pack", &pack], Stdio::piped());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(!err.contains('\x1b'), "{err:?}");
    let command = err
        .strip_prefix(
            "mytype replay needs an interactive terminal; to list the ratings from a script use `",
        )
        .and_then(|rest| rest.strip_suffix("`\n"))
        .unwrap_or_else(|| panic!("{err:?}"));
    // The command it names works as printed (the program as it was started).
    let listed = Command::new("sh").arg("-c").arg(command).output().unwrap();
    assert!(listed.status.success(), "{command}: {}", stderr(&listed));
    assert!(
        stdout(&listed).contains("2 ratings:"),
        "{}",
        stdout(&listed)
    );
    assert_eq!(std::fs::read(env.profiles.join("ana.ron")).unwrap(), before);

    // A profile file: no command to offer, the file is plain text.
    let file = env.profiles.join("ana.ron").display().to_string();
    let out = without_terminal(&env, &["replay", &file, "--pack", &pack], Stdio::null());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "mytype replay needs an interactive terminal; the profile file itself is plain text\n"
    );
}

#[test]
fn completions_cover_every_subcommand_in_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(BIN)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.len() > 1000, "{shell}: {script}");
        for sub in SUBCOMMANDS {
            // How each shell's script offers a subcommand.
            let (parent, name) = match sub.rsplit_once(' ') {
                Some((parent, name)) => (format!("mytype__subcmd__{parent}"), name),
                None => ("mytype".to_string(), *sub),
            };
            let offered = match shell {
                "bash" => format!("{parent},{name})"),
                "zsh" => format!("'{name}:"),
                _ => format!("-a \"{name}\""),
            };
            assert!(
                script.contains(&offered),
                "{shell} completes no `{sub}`: no {offered}"
            );
        }
        assert!(script.contains("profiles-dir"), "{shell}");
    }
    let out = Command::new(BIN)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("possible values: bash"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_manual_page_has_every_subcommand() {
    let out = Command::new(BIN).arg("man").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains("\n.TH mytype 1 "), "{page}");
    for sub in SUBCOMMANDS {
        let heading = format!("\n.SH \"MYTYPE {}\"\n", sub.to_uppercase());
        assert!(page.contains(&heading), "no {heading:?}");
    }
    // Options carry their help text.
    assert!(page.contains("Folder holding player profiles"), "{page}");
}
