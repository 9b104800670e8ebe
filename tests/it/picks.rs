//! One rule for how many ratings a pick needs (the game's minimum for `r`):
//! recommend, card, compare and replay refuse below it, saying how many
//! there are, how many are needed and the command that rates more.

use crate::cli_support::{mytype, pack_arg, rate_first as rate, setup, Env};
use mytype::core::tuning::MIN_RATINGS_TO_REVEAL;

fn refused(env: &Env, args: &[&str], have: usize) {
    let out = mytype(env, args, "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: half an answer on stdout");
    let have_text = if have == 1 {
        "1 face".to_string()
    } else {
        format!("{have} faces")
    };
    assert!(
        stderr.contains(&format!("has rated {have_text} so far"))
            && stderr.contains(&format!("at least {MIN_RATINGS_TO_REVEAL}")),
        "{args:?}: {stderr}"
    );
    // The exact command that rates more, on the same profiles and pack.
    assert!(
        stderr.contains("--profile few --pack ") && stderr.contains("--profiles-dir "),
        "{args:?}: {stderr}"
    );
}

#[test]
fn below_the_minimum_every_pick_is_refused_with_the_command_to_rate_more() {
    let env = setup();
    let pack = pack_arg(&env);
    rate(&env, "few", 1);
    rate(&env, "many", MIN_RATINGS_TO_REVEAL);
    refused(&env, &["recommend", "--profile", "few", "--pack", &pack], 1);
    refused(
        &env,
        &["recommend", "--profile", "few", "--pack", &pack, "--json"],
        1,
    );
    refused(&env, &["card", "few", "--pack", &pack], 1);
    refused(&env, &["compare", "many", "few", "--pack", &pack], 1);
    refused(
        &env,
        &["compare", "few", "many", "--pack", &pack, "--json"],
        1,
    );
    rate(&env, "few", MIN_RATINGS_TO_REVEAL - 1);
    refused(
        &env,
        &["card", "few", "--pack", &pack],
        MIN_RATINGS_TO_REVEAL - 1,
    );

    // At the minimum, every command picks.
    for args in [
        vec!["recommend", "--profile", "many", "--pack", &pack],
        vec!["card", "many", "--pack", &pack],
        vec!["compare", "many", "many", "--pack", &pack],
    ] {
        let out = mytype(&env, &args, "");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn recommend_top_zero_is_refused_as_a_usage_error() {
    let env = setup();
    let pack = pack_arg(&env);
    rate(&env, "many", MIN_RATINGS_TO_REVEAL);
    let out = mytype(
        &env,
        &[
            "recommend",
            "--profile",
            "many",
            "--pack",
            &pack,
            "--top",
            "0",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = mytype(
        &env,
        &[
            "recommend",
            "--profile",
            "many",
            "--pack",
            &pack,
            "--top",
            "1",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Top 1 from"));
}

#[test]
fn card_and_recommend_say_which_pack_they_picked_from() {
    let env = setup();
    let pack = pack_arg(&env);
    rate(&env, "fay", MIN_RATINGS_TO_REVEAL);
    let card = mytype(&env, &["card", "fay", "--pack", &pack], "");
    let (out, err) = (
        String::from_utf8_lossy(&card.stdout),
        String::from_utf8_lossy(&card.stderr),
    );
    assert!(card.status.success(), "{err}");
    assert!(out.contains("picked from pack `default`"), "{out}");
    assert!(
        err.contains("add --reveal-pack with that pack's folder"),
        "{err}"
    );
    let rec = mytype(
        &env,
        &["recommend", "--profile", "fay", "--pack", &pack],
        "",
    );
    let err = String::from_utf8_lossy(&rec.stderr);
    assert!(
        err.contains("add --from-pack with that pack's folder"),
        "{err}"
    );

    // Told the reveal pack, the card picks from it and says so.
    let other = env.tmp.path().join("friends");
    let made = std::process::Command::new(crate::cli_support::BIN)
        .args(["pack", "generate", "--models", "0", "--celebrities", "4"])
        .args(["--name", "friends", "--out"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let other = other.display().to_string();
    let card = mytype(
        &env,
        &["card", "fay", "--pack", &pack, "--reveal-pack", &other],
        "",
    );
    let (out, err) = (
        String::from_utf8_lossy(&card.stdout),
        String::from_utf8_lossy(&card.stderr),
    );
    assert!(card.status.success(), "{err}");
    assert!(out.contains("picked from pack `friends`"), "{out}");
    assert!(!err.contains("--reveal-pack"), "{err}");
}

/// Rates every face to rate in the test pack: `level(face)`.
fn rate_all(env: &Env, name: &str, level: impl Fn(&mytype::pack::FaceEntry) -> u8) {
    let pack = mytype::pack::Pack::load(&env.pack).unwrap();
    let lines: String = pack
        .model_faces()
        .map(|f| format!("{} {}\n", f.id, level(f)))
        .collect();
    let out = mytype(
        env,
        &["rate", "--profile", name, "--pack", &pack_arg(env)],
        &lines,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_card_gives_the_reasons_the_reveal_gives_or_says_why_there_are_none() {
    use mytype::game::reasons::{why_none, WHY_CLOSE_ALL_RATED};
    let env = setup();
    let pack = pack_arg(&env);
    let card = |name: &str| {
        let out = mytype(&env, &["card", name, "--pack", &pack, "--no-crowd"], "");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // A clear taste: the reasons.
    rate_all(&env, "keen", |f| {
        if f.attributes.get("sex").map(String::as_str) == Some("female") {
            5
        } else {
            1
        }
    });
    let text = card("keen");
    assert!(text.contains("\nbecause: sex: female"), "{text}");
    // Every face rated Normal: a hunch, which the card (as the reveal) says
    // in words rather than with an empty "because".
    rate_all(&env, "flat", |_| 3);
    let text = card("flat");
    assert!(!text.contains("because"), "{text}");
    assert_eq!(text.lines().last(), Some(WHY_CLOSE_ALL_RATED), "{text}");
    // Faces left to rate: the reveal's sentence that says to rate more.
    let lines: String = mytype::pack::Pack::load(&env.pack)
        .unwrap()
        .model_faces()
        .take(MIN_RATINGS_TO_REVEAL)
        .map(|f| format!("{} 3\n", f.id))
        .collect();
    let out = mytype(
        &env,
        &["rate", "--profile", "half", "--pack", &pack],
        &lines,
    );
    assert!(out.status.success());
    let text = card("half");
    assert!(!text.contains("because"), "{text}");
    assert_eq!(text.lines().last(), Some(why_none(true)), "{text}");
}
