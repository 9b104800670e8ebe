//! Headless CLI round trips: rate → recommend → profiles.

use crate::cli_support;

use cli_support::*;
use std::path::Path;
use std::process::Command;

#[test]
fn rate_then_recommend_round_trip() {
    let env = setup();
    let pack = pack_arg(&env);
    let out = mytype(
        &env,
        &["rate", "--profile", "ana", "--pack", &pack],
        "m001 5\nm002 1\n# a comment\n\nm003 Slightly like\nm004 very weak\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let shown = json(&mytype(&env, &["profiles", "show", "ana", "--json"], ""));
    let ratings = shown["ratings"].as_array().unwrap();
    assert_eq!(ratings.len(), 4);
    assert_eq!(ratings[0]["face"], "m001");
    assert_eq!(ratings[0]["level"], 5);
    assert_eq!(ratings[2]["level"], 4);
    assert_eq!(ratings[3]["level"], 1);
    assert!(ratings[0]["time"].as_str().unwrap().ends_with('Z'));

    // A pick needs the game's minimum of ratings.
    let more = mytype(
        &env,
        &["rate", "--profile", "ana", "--pack", &pack],
        "m005 5\nm006 1\nm007 4\nm008 1\nm009 5\nm010 1\n",
    );
    assert!(more.status.success());

    let rec = json(&mytype(
        &env,
        &[
            "recommend",
            "--profile",
            "ana",
            "--pack",
            &pack,
            "--top",
            "3",
            "--json",
        ],
        "",
    ));
    assert_eq!(rec["profile"], "ana");
    assert_eq!(rec["pack"], "default");
    let pick = &rec["pick"];
    assert!(pick["id"].as_str().unwrap().starts_with('c'), "{rec}");
    assert!(pick["name"].as_str().is_some());
    let score = pick["score"].as_f64().unwrap();
    assert!((1.0..=5.0).contains(&score));
    let top = rec["top"].as_array().unwrap();
    assert_eq!(top.len(), 3);
    assert_eq!(top[0]["id"], pick["id"]);
    assert!(top[0]["score"].as_f64() >= top[1]["score"].as_f64());
    for reason in rec["because"].as_array().unwrap() {
        assert!(reason["attribute"].is_string() && reason["level"].is_string());
        assert!(reason["weight"].as_f64().unwrap() > 0.0);
    }

    // Plain text ends with the line people quote.
    let text = mytype(
        &env,
        &["recommend", "--profile", "ana", "--pack", &pack],
        "",
    );
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("You will like this one"), "{stdout}");
    assert!(stdout.contains("The AI says my type is "), "{stdout}");
    // Reasons read as words ("hair color: red"), not field names.
    let because = stdout
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("because: "))
        .expect("a because line");
    for reason in because.split(", ") {
        assert!(reason.contains(": ") && !reason.contains('_'), "{because}");
    }

    // A second batch appends.
    let out = mytype(
        &env,
        &["rate", "--profile", "ana", "--pack", &pack],
        "m011 3\n",
    );
    assert!(out.status.success());
    let shown = json(&mytype(&env, &["profiles", "show", "ana", "--json"], ""));
    assert_eq!(shown["ratings"].as_array().unwrap().len(), 11);

    let list = mytype(&env, &["profiles", "list"], "");
    assert!(String::from_utf8_lossy(&list.stdout).contains("ana"));
    let rm = mytype(&env, &["profiles", "rm", "ana"], "");
    assert!(rm.status.success());
    let gone = mytype(&env, &["profiles", "show", "ana"], "");
    assert!(!gone.status.success());
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no profile named ana in"));
}

#[test]
fn a_bad_batch_is_reported_by_line_and_saves_nothing() {
    let env = setup();
    let pack = pack_arg(&env);
    rate_one(&env, "bo");
    let before = std::fs::read(env.profiles.join("bo.ron")).unwrap();
    let out = mytype(
        &env,
        &["rate", "--profile", "bo", "--pack", &pack],
        "m002 5\nnobody 3\nm003 9\nm004\nc001 5\n",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2: unknown face `nobody`"), "{err}");
    assert!(err.contains("line 3: unknown level \"9\""), "{err}");
    assert!(err.contains("line 4: expected `FACE_ID LEVEL`"), "{err}");
    assert!(
        err.contains(
            "line 5: face `c001` is only revealed (role `celebrity`), not rated, in pack `"
        ),
        "{err}"
    );
    assert!(err.contains("nothing of this batch was saved"), "{err}");
    assert_eq!(std::fs::read(env.profiles.join("bo.ron")).unwrap(), before);
}

#[test]
fn bad_profile_names_are_refused() {
    let env = setup();
    let pack = pack_arg(&env);
    for name in ["../evil", "a/b", ".hidden", ""] {
        let out = mytype(
            &env,
            &["rate", "--profile", name, "--pack", &pack],
            "m001 5\n",
        );
        assert!(!out.status.success(), "{name:?} accepted");
        assert!(String::from_utf8_lossy(&out.stderr).contains("invalid profile name"));
    }
    assert!(!Path::new(&env.profiles).join("../evil.ron").exists());
}

#[test]
fn recommend_from_another_pack_uses_the_shared_vocabulary() {
    let env = setup();
    let pack = pack_arg(&env);
    let other = env.tmp.path().join("other");
    let out = Command::new(BIN)
        .args([
            "pack",
            "generate",
            "--seed",
            "9",
            "--models",
            "10",
            "--celebrities",
            "6",
            "--out",
        ])
        .arg(&other)
        .output()
        .unwrap();
    assert!(out.status.success());
    let ok = mytype(
        &env,
        &["rate", "--profile", "cy", "--pack", &pack],
        "m001 5\nm002 1\nm003 5\nm004 1\nm005 5\nm006 1\nm007 5\nm008 1\nm009 5\nm010 1\n",
    );
    assert!(ok.status.success());
    let rec = json(&mytype(
        &env,
        &[
            "recommend",
            "--profile",
            "cy",
            "--pack",
            &pack,
            "--from-pack",
            &other.display().to_string(),
            "--json",
        ],
        "",
    ));
    assert!(rec["pick"]["id"].as_str().unwrap().starts_with('c'));
    assert_eq!(rec["used_attributes"].as_array().unwrap().len(), 12);
}

#[test]
fn compare_reports_overlap_and_card_writes_a_png() {
    let env = setup();
    let pack = pack_arg(&env);
    let ratings =
        "m001 5\nm002 1\nm003 4\nm004 2\nm005 5\nm006 1\nm007 4\nm008 2\nm009 5\nm010 1\n";
    let opposite =
        "m001 1\nm002 5\nm003 2\nm004 4\nm005 1\nm006 5\nm007 2\nm008 4\nm009 1\nm010 5\n";
    for (name, text) in [("a", ratings), ("twin", ratings), ("anti", opposite)] {
        let out = mytype(&env, &["rate", "--profile", name, "--pack", &pack], text);
        assert!(out.status.success());
    }
    let same = json(&mytype(
        &env,
        &["compare", "a", "twin", "--pack", &pack, "--json"],
        "",
    ));
    assert!(
        (same["overlap"].as_f64().unwrap() - 1.0).abs() < 1e-9,
        "{same}"
    );
    assert!(same["differences"].as_array().unwrap().is_empty());
    assert!(!same["shared_likes"].as_array().unwrap().is_empty());
    let anti = json(&mytype(
        &env,
        &["compare", "a", "anti", "--pack", &pack, "--json"],
        "",
    ));
    let overlap = anti["overlap"].as_f64().unwrap();
    assert!((-1.0..0.0).contains(&overlap), "{anti}");
    assert!(!anti["differences"].as_array().unwrap().is_empty());
    let text = mytype(&env, &["compare", "a", "anti", "--pack", &pack], "");
    assert!(String::from_utf8_lossy(&text.stdout).contains("overlap"));

    let png = env.tmp.path().join("card.png");
    let out = mytype(
        &env,
        &[
            "card",
            "a",
            "--pack",
            &pack,
            "--png",
            &png.display().to_string(),
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("The AI says my type is "));
    let img = image::open(&png).unwrap();
    assert_eq!((img.width(), img.height()), (600, 860));
}

#[test]
fn bench_scores_the_models_on_ratings() {
    let env = setup();
    let big = env.tmp.path().join("big");
    let out = Command::new(BIN)
        .args([
            "pack",
            "generate",
            "--seed",
            "4",
            "--models",
            "50",
            "--celebrities",
            "10",
            "--out",
        ])
        .arg(&big)
        .output()
        .unwrap();
    assert!(out.status.success());
    let manifest = Command::new(BIN)
        .args(["pack", "show", "--json"])
        .arg(&big)
        .output()
        .unwrap();
    let pack: serde_json::Value = serde_json::from_slice(&manifest.stdout).unwrap();
    // Twenty raters on a 1-10 scale who like women with long hair.
    let mut csv = String::from("rater,face,rating\n");
    for rater in 0..20 {
        for face in pack["faces"].as_array().unwrap() {
            let a = &face["attributes"];
            let mut score = 2;
            if a["sex"] == "female" {
                score += 5;
            }
            if a["hair_length"] == "long" {
                score += 3;
            }
            csv.push_str(&format!(
                "r{rater},{},{score}\n",
                face["id"].as_str().unwrap()
            ));
        }
    }
    let ratings = env.tmp.path().join("ratings.csv");
    std::fs::write(&ratings, csv).unwrap();
    let (big, ratings) = (big.display().to_string(), ratings.display().to_string());
    let bench = |extra: &[&str]| {
        let mut args = vec![
            "bench",
            "--pack",
            &big,
            "--ratings",
            &ratings,
            "--train",
            "30",
            "--json",
        ];
        args.extend_from_slice(extra);
        json(&mytype(&env, &args, ""))
    };
    let report = bench(&["--repeats", "2"]);
    assert_eq!(report["raters"], 10, "{report}");
    assert_eq!(report["train"], 30);
    assert_eq!(report["repeats"], 2);
    let models = report["models"].as_object().unwrap();
    for name in [
        "mytype",
        "random",
        "crowd",
        "similarity",
        "linfa_bernoulli",
        "mytype_crowd",
        "naive_bayes",
        "nb_demographic",
    ] {
        let m = &models[name];
        for metric in ["spearman", "reveal_percentile", "top5_hit"] {
            let v = m[metric].as_f64().unwrap();
            assert!((-1.0..=1.0).contains(&v), "{name}.{metric} = {v}");
        }
    }
    assert!(
        models["mytype"]["spearman"].as_f64().unwrap() > 0.8,
        "{report}"
    );
    assert!(
        models["mytype"]["reveal_percentile"].as_f64().unwrap() > 0.8,
        "{report}"
    );
    assert!(
        models["random"]["spearman"].as_f64().unwrap().abs() < 0.3,
        "{report}"
    );
    // The "% sure" of a model that learnt this taste beats the base rate's;
    // a model that says nothing of it has no Brier score.
    let brier = |name: &str| models[name]["brier"].as_f64();
    let (mine, base) = (brier("mytype").unwrap(), brier("random").unwrap());
    assert!(mine < base, "{report}");
    assert!(brier("naive_bayes").is_some() && brier("crowd").is_none());
    // Sex explains half of this taste: the demographic baseline finds it.
    assert!(
        models["nb_demographic"]["spearman"].as_f64().unwrap() > 0.5,
        "{report}"
    );
    // Paired differences for the bars, over the 2 runs' 20 raters.
    let comparisons = report["comparisons"].as_object().unwrap();
    let names: Vec<&str> = comparisons.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "mytype - linfa_bernoulli",
            "mytype - naive_bayes",
            "mytype - nb_demographic",
            "mytype - similarity",
            "mytype_crowd - crowd"
        ]
    );
    let vs_similarity = &comparisons["mytype - similarity"];
    assert_eq!(vs_similarity["pairs"], 20, "{report}");
    let d = &vs_similarity["spearman"];
    let expected = models["mytype"]["spearman"].as_f64().unwrap()
        - models["similarity"]["spearman"].as_f64().unwrap();
    assert!(
        (d["difference"].as_f64().unwrap() - expected).abs() < 1e-9,
        "{report}"
    );
    assert!(d["standard_error"].as_f64().unwrap() >= 0.0);
    let lc = &report["learning_curves"];
    assert_eq!(lc["raters"], 10, "{lc}");
    assert_eq!(lc["test_faces"], 20, "{lc}");
    for name in [
        "mytype/adaptive",
        "mytype/random",
        "mytype_crowd/adaptive",
        "mytype_crowd/random",
    ] {
        let curve = lc["curves"][name].as_object().unwrap();
        let points: Vec<&str> = curve.keys().map(String::as_str).collect();
        assert_eq!(points, ["10", "20", "25", "30"], "{name}: {lc}");
        for v in curve.values() {
            assert!((0.0..=1.0).contains(&v.as_f64().unwrap()), "{lc}");
        }
    }
    // A taste this simple is learnt within 30 ratings in either order.
    assert!(
        lc["curves"]["mytype/adaptive"]["30"].as_f64().unwrap() > 0.8,
        "{lc}"
    );
    // Without the curves: the same models, no curves.
    let quick = bench(&["--no-curves"]);
    assert!(quick.get("learning_curves").is_none(), "{quick}");
    assert_eq!(quick["raters"], 10, "{quick}");
    let quick_models: Vec<&String> = quick["models"].as_object().unwrap().keys().collect();
    assert_eq!(quick_models, models.keys().collect::<Vec<_>>(), "{quick}");
    assert!(
        quick["models"]["mytype"]["spearman"].as_f64().unwrap() > 0.8,
        "{quick}"
    );
}

#[test]
fn replay_reports_bad_arguments_before_opening_the_terminal() {
    let env = setup();
    let pack = pack_arg(&env);
    let fail = |args: &[&str], want: &str| {
        let out = mytype(&env, args, "");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(err.contains(want), "{args:?}: {err}");
    };
    fail(&["replay", "nobody", "--pack", &pack], "nobody");
    let missing = env.profiles.join("missing.ron");
    fail(
        &["replay", &missing.display().to_string(), "--pack", &pack],
        "missing.ron",
    );
    fail(&["replay", "x", "--delay", "0", "--pack", &pack], "--delay");
    fail(&["replay", "../evil", "--pack", &pack], "evil");

    // A profile with no ratings: nothing to replay.
    let out = mytype(&env, &["rate", "--profile", "empty", "--pack", &pack], "");
    assert!(out.status.success());
    fail(&["replay", "empty", "--pack", &pack], "nothing to replay");

    // A profile of another pack names that pack.
    rate_one(&env, "ana");
    let other = env.profiles.join("other.ron");
    let text = std::fs::read_to_string(env.profiles.join("ana.ron"))
        .unwrap()
        .replace("name: \"", "name: \"elsewhere-");
    std::fs::write(&other, text).unwrap();
    fail(
        &["replay", &other.display().to_string(), "--pack", &pack],
        "elsewhere-",
    );
}

#[test]
fn other_profiles_are_a_crowd_prior_unless_no_crowd() {
    let env = setup();
    let pack = pack_arg(&env);
    let batch: String = (1..=10)
        .map(|i| format!("m{i:03} {}\n", if i <= 5 { 5 } else { 1 }))
        .collect();
    for player in ["bo", "cy", "ana"] {
        let out = mytype(
            &env,
            &["rate", "--profile", player, "--pack", &pack],
            &batch,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let args = ["recommend", "--profile", "ana", "--pack", &pack, "--json"];
    let with = json(&mytype(&env, &args, ""));
    // ana agrees with bo and cy: the crowd carries weight.
    let weight = with["crowd_weight"].as_f64().unwrap();
    assert!(weight > 0.0 && weight <= 1.0, "{with}");
    assert_eq!(with["crowd_neighbours"], 2, "{with}");
    // A drawn pack has no appeal to weigh.
    assert_eq!(with["appeal_weight"], 0.0, "{with}");
    let without = json(&mytype(&env, &[&args[..], &["--no-crowd"]].concat(), ""));
    assert!(without["crowd_weight"].is_null(), "{without}");
    assert!(without["crowd_neighbours"].is_null(), "{without}");
    let text = mytype(&env, &args[..5], "");
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("(2 players rate like you)"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn bench_reads_spreadsheet_exports_and_names_bad_files_once() {
    let env = setup();
    let manifest = Command::new(BIN)
        .args(["pack", "show", "--json"])
        .arg(&env.pack)
        .output()
        .unwrap();
    let pack: serde_json::Value = serde_json::from_slice(&manifest.stdout).unwrap();
    let ids: Vec<&str> = pack["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    // The same ratings as a script writes them and as a spreadsheet exports
    // them: byte-order mark, quoted cells, CRLF, a blank line.
    let mut plain = String::from("rater,face,rating\n");
    let mut exported = String::from("\u{feff}\"Rater\",\"Face\",\"Rating\"\r\n");
    for rater in 0..4 {
        for (i, id) in ids.iter().enumerate() {
            let rating = 1 + (i * (rater + 2)) % 7;
            plain.push_str(&format!("r{rater},{id},{rating}\n"));
            exported.push_str(&format!("\"r{rater}\",\"{id}\",{rating}\r\n"));
        }
        exported.push_str("\r\n");
    }
    let run = |name: &str, text: &str| {
        let path = env.tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        let pack = pack_arg(&env);
        let ratings = path.display().to_string();
        mytype(
            &env,
            &[
                "bench",
                "--pack",
                &pack,
                "--ratings",
                &ratings,
                "--train",
                "5",
                "--json",
            ],
            "",
        )
    };
    let a = run("plain.csv", &plain);
    let b = run("exported.csv", &exported);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(json(&a)["raters"], 2);
    assert_eq!(json(&a), json(&b), "{}", String::from_utf8_lossy(&b.stderr));

    let bad = run("bad.csv", "rater,face,rating\nr0,a,3\nr0,b,high\n");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("bad.csv:3: rating \"high\" is not a number"),
        "{err}"
    );
    // Rows without a rating (R's NA, an empty cell) are left out, and
    // said so; the rest bench as before.
    let mut gaps = String::from("rater,face,rating\n");
    for (k, line) in plain.lines().skip(1).enumerate() {
        gaps.push_str(line);
        gaps.push('\n');
        if k % 5 == 0 {
            gaps.push_str(&format!("r{},{},NA\n", k % 4, ids[k % ids.len()]));
        }
    }
    gaps.push_str("r0,a,\n");
    let with_gaps = run("gaps.csv", &gaps);
    assert!(
        with_gaps.status.success(),
        "{}",
        String::from_utf8_lossy(&with_gaps.stderr)
    );
    assert_eq!(json(&with_gaps), json(&a));
    let note = String::from_utf8_lossy(&with_gaps.stderr);
    assert!(
        note.contains("without a rating (empty or NA) left out, the first on line 3"),
        "{note}"
    );
    let count = plain.lines().skip(1).step_by(5).count() + 1;
    assert!(note.contains(&format!(": {count} rows without")), "{note}");
    let pack = pack_arg(&env);
    let missing = mytype(
        &env,
        &["bench", "--pack", &pack, "--ratings", "/nonexistent/r.csv"],
        "",
    );
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(
        err.matches("No such file or directory").count(),
        1,
        "the reason is said once: {err}"
    );
}

#[test]
fn a_generated_pack_takes_its_name_and_a_bad_name_is_refused() {
    let env = setup();
    let named = env.tmp.path().join("drawn7");
    let run = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_mytype"))
            .args(["pack", "generate", "--seed", "7", "--models", "12"])
            .args(["--celebrities", "3", "--name", name, "--out"])
            .arg(&named)
            .output()
            .unwrap()
    };
    let out = run("drawn7");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = json(&mytype(
        &env,
        &["pack", "show", named.to_str().unwrap(), "--json"],
        "",
    ));
    assert_eq!(shown["name"], "drawn7");

    let out = run("evil\u{1b}[2J");
    // A command-line mistake: clap's exit code.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a pack name is 1 to 64 bytes"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}
