//! The exact bytes every JSON-emitting command prints (and the text of the
//! same commands), pinned as snapshots. They were captured from the CLI
//! before its JSON moved from hand-built `json!` values to serde structs:
//! a script parsing them must see no difference.

use crate::cli_support;

use cli_support::*;
use mytype::core::rating::Rating;
use mytype::pack::Pack;
use mytype::profile::{Profile, ProfileStore};
use std::process::Command;

/// A profile with fixed times (so the output is the same on every run).
fn save_profile(env: &Env, name: &str, ratings: &[(&str, u8)]) {
    let pack = Pack::load(&env.pack).unwrap();
    let mut profile = Profile::new(name, &pack);
    for (i, (face, level)) in ratings.iter().enumerate() {
        profile.push(face, Rating::from_value(*level).unwrap());
        profile.ratings[i].time = format!("2024-05-0{}T12:00:0{}Z", 1 + i / 10, i % 10);
    }
    ProfileStore::at(&env.profiles)
        .save(name, &profile)
        .unwrap();
}

/// Two players who rated the same faces in opposite ways, and one damaged file.
fn players() -> Env {
    let env = setup();
    let ana = [
        ("m001", 5),
        ("m002", 1),
        ("m003", 4),
        ("m004", 2),
        ("m005", 5),
        ("m006", 3),
        ("m007", 1),
        ("m008", 4),
        ("m009", 2),
        ("m010", 5),
    ];
    let bo: Vec<(&str, u8)> = ana.iter().map(|&(f, l)| (f, 6 - l)).collect();
    save_profile(&env, "ana", &ana);
    save_profile(&env, "bo", &bo);
    std::fs::write(env.profiles.join("broken.ron"), "(version: 1, oops").unwrap();
    env
}

/// Stdout of a successful run, with the temporary folder's path and the
/// program's (in the commands it says to type) replaced.
fn stdout_of(env: &Env, args: &[&str]) -> String {
    let out = mytype(env, args, "");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.replace(BIN, "[BIN]")
        .replace(&env.tmp.path().display().to_string(), "[TMP]")
}

#[test]
fn profiles_list_and_show() {
    let env = players();
    insta::assert_snapshot!(
        "profiles_list_json",
        stdout_of(&env, &["profiles", "list", "--json"])
    );
    insta::assert_snapshot!("profiles_list", stdout_of(&env, &["profiles", "list"]));
    insta::assert_snapshot!(
        "profiles_show_json",
        stdout_of(&env, &["profiles", "show", "ana", "--json"])
    );
    insta::assert_snapshot!(
        "profiles_show",
        stdout_of(&env, &["profiles", "show", "ana"])
    );
}

#[test]
fn recommend_with_and_without_the_crowd() {
    let env = players();
    let pack = pack_arg(&env);
    let args = [
        "recommend",
        "--profile",
        "ana",
        "--pack",
        &pack,
        "--top",
        "3",
    ];
    insta::assert_snapshot!(
        "recommend_json",
        stdout_of(&env, &[&args[..], &["--json"]].concat())
    );
    insta::assert_snapshot!(
        "recommend_no_crowd_json",
        stdout_of(&env, &[&args[..], &["--json", "--no-crowd"]].concat())
    );
    insta::assert_snapshot!("recommend", stdout_of(&env, &args));
}

#[test]
fn compare_two_players() {
    let env = players();
    let pack = pack_arg(&env);
    let args = ["compare", "ana", "bo", "--pack", &pack];
    insta::assert_snapshot!(
        "compare_json",
        stdout_of(&env, &[&args[..], &["--json"]].concat())
    );
    insta::assert_snapshot!("compare", stdout_of(&env, &args));
}

#[test]
fn pack_show_and_check() {
    let env = setup();
    let small = env.tmp.path().join("small");
    let out = Command::new(BIN)
        .args([
            "pack",
            "generate",
            "--seed",
            "5",
            "--models",
            "10",
            "--celebrities",
            "1",
            "--out",
        ])
        .arg(&small)
        .output()
        .unwrap();
    assert!(out.status.success());
    let small = small.display().to_string();
    insta::assert_snapshot!(
        "pack_show_json",
        stdout_of(&env, &["pack", "show", "--json", &small])
    );
    insta::assert_snapshot!(
        "pack_show",
        stdout_of(&env, &["pack", "show", &pack_arg(&env)])
    );
    insta::assert_snapshot!("pack_check", stdout_of(&env, &["pack", "check", &small]));
}

#[test]
fn simulate_report() {
    let env = setup();
    let pack = pack_arg(&env);
    let args = ["simulate", "--pack", &pack, "--players", "6", "--seed", "2"];
    insta::assert_snapshot!(
        "simulate_json",
        stdout_of(&env, &[&args[..], &["--json"]].concat())
    );
    insta::assert_snapshot!("simulate", stdout_of(&env, &args));
}

#[test]
fn bench_report() {
    let env = setup();
    let pack = Pack::load(&env.pack).unwrap();
    // Six raters on a 1-7 scale, each with a taste of their own.
    let mut csv = String::from("rater,face,rating\n");
    for rater in 0..6 {
        for (i, face) in pack.faces().iter().enumerate() {
            let rating = 1 + (i * (rater + 2) + rater) % 7;
            csv.push_str(&format!("r{rater},{},{rating}\n", face.id));
        }
    }
    let ratings = env.tmp.path().join("ratings.csv");
    std::fs::write(&ratings, csv).unwrap();
    let (pack, ratings) = (pack_arg(&env), ratings.display().to_string());
    let args = [
        "bench",
        "--pack",
        &pack,
        "--ratings",
        &ratings,
        "--train",
        "10",
        "--raters",
        "4",
        "--repeats",
        "2",
    ];
    insta::assert_snapshot!(
        "bench_json",
        stdout_of(&env, &[&args[..], &["--json"]].concat())
    );
    insta::assert_snapshot!("bench", stdout_of(&env, &args));
}
