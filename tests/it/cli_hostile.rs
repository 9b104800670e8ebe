//! Issue #28.4, black box: a pack and profiles whose every text field is
//! hostile (ESC sequences, BEL, C1 CSI, DEL, a bidi override), and every
//! printing command run on them. Nothing they print, on stdout or stderr,
//! may hold a control byte but newline; JSON still carries the text exactly.

use crate::cli_support;

use cli_support::*;
use mytype::core::sanitize::is_inert;
use mytype::pack::{Manifest, Pack};
use mytype::profile::{Profile, ProfileStore};

/// Retitles the window, rings, clears the screen (C1 CSI), deletes, and
/// turns the rest of the line around.
const HOSTILE: &str = "Eve\u{1b}]2;pwned\u{7}\u{1b}[2J\u{9b}2J\u{7f}\u{202e}gnp.exe";

/// The generated pack with a hostile name, description, licence and face names.
fn hostile_pack(env: &Env) {
    let path = env.pack.join("pack.ron");
    let options = mytype::pack::ron_options();
    let mut manifest: Manifest = options
        .from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap();
    // A name with control characters is refused (`pack check`); a
    // bidirectional override is printable, and must still be shown inert.
    manifest.name = "pack\u{202e}gnp.exe".to_string();
    manifest.description = format!("about\n{HOSTILE}");
    manifest.license = HOSTILE.to_string();
    manifest.attribution = HOSTILE.to_string();
    for face in &mut manifest.faces {
        face.name = format!("{}{HOSTILE}", face.name);
    }
    let text = options
        .to_string_pretty(&manifest, ron::ser::PrettyConfig::default())
        .unwrap();
    std::fs::write(&path, text).unwrap();
}

/// Profiles `ana` and `bo` (opposite tastes) with a hostile player name and
/// rating times, `cy` with a hostile face id, and a damaged file.
fn hostile_profiles(env: &Env) {
    let pack = Pack::load(&env.pack).unwrap();
    let store = ProfileStore::at(&env.profiles);
    for (name, flip) in [("ana", false), ("bo", true)] {
        let mut profile = Profile::new(name, &pack);
        for (i, level) in [5u8, 1, 4, 2, 5, 1].into_iter().enumerate() {
            let level = if flip { 6 - level } else { level };
            let level = mytype::core::rating::Rating::from_value(level).unwrap();
            profile.push(&format!("m00{}", i + 1), level);
        }
        profile.player = HOSTILE.to_string();
        for r in &mut profile.ratings {
            r.time = HOSTILE.to_string();
        }
        store.save(name, &profile).unwrap();
    }
    let mut cy = Profile::new("cy", &pack);
    cy.push(HOSTILE, mytype::core::rating::Rating::Type);
    store.save("cy", &cy).unwrap();
    std::fs::write(
        env.profiles.join("broken.ron"),
        format!("(version: 1, player: \"{HOSTILE}\" oops"),
    )
    .unwrap();
}

/// Runs `mytype ARGS` and checks that nothing it printed is a control.
fn run_inert(env: &Env, args: &[&str], stdin: &str) -> std::process::Output {
    let out = mytype(env, args, stdin);
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            is_inert(bytes, true),
            "`mytype {}` wrote a control byte to {what}: {:?}",
            args.join(" "),
            String::from_utf8_lossy(bytes)
        );
    }
    out
}

#[test]
fn nothing_printed_from_hostile_packs_and_profiles_drives_the_terminal() {
    let env = setup();
    hostile_pack(&env);
    hostile_profiles(&env);
    let pack = pack_arg(&env);
    let file = env.profiles.join("ana.ron").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["pack", "show", &pack],
        vec!["pack", "show", "--json", &pack],
        vec!["pack", "check", &pack],
        vec!["profiles", "list"],
        vec!["profiles", "list", "--json"],
        vec!["profiles", "show", "ana"],
        vec!["profiles", "show", "ana", "--json"],
        vec!["profiles", "show", "cy"],
        vec!["recommend", "--profile", "ana", "--pack", &pack],
        vec!["recommend", "--profile", "ana", "--pack", &pack, "--json"],
        vec!["compare", "ana", "bo", "--pack", &pack],
        vec!["compare", "ana", "bo", "--pack", &pack, "--json"],
        vec!["card", "ana", "--pack", &pack],
        vec!["replay", &file, "--pack", &pack],
        vec!["simulate", "--pack", &pack, "--players", "2"],
    ];
    let mut shown = String::new();
    for args in &commands {
        let out = run_inert(&env, args, "");
        shown.push_str(&String::from_utf8_lossy(&out.stdout));
        shown.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    // The hostile text was there to be shown, made visible.
    assert!(shown.contains("Eve␛]2;pwned␇"), "{shown}");
    // A bad `rate` line repeats a short, inert prefix.
    let long = format!("{HOSTILE}{} 5\nm001 {HOSTILE}\n", "x".repeat(5000));
    let out = run_inert(&env, &["rate", "--profile", "ana", "--pack", &pack], &long);
    assert!(!out.status.success());
    assert!(
        out.stderr.len() < 2000,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_carries_hostile_text_exactly() {
    let env = setup();
    hostile_pack(&env);
    hostile_profiles(&env);
    let out = run_inert(&env, &["profiles", "show", "ana", "--json"], "");
    let value = json(&out);
    assert_eq!(value["player"], HOSTILE);
    assert_eq!(value["ratings"][0]["time"], HOSTILE);
    let out = run_inert(&env, &["pack", "show", "--json", &pack_arg(&env)], "");
    assert_eq!(json(&out)["license"], HOSTILE);
}

#[test]
fn a_lock_holder_is_shown_inert_and_rm_refuses_a_held_profile() {
    let env = setup();
    let pack = pack_arg(&env);
    rate_one(&env, "held");
    let store = ProfileStore::at(&env.profiles);
    let lock = store.lock("held").unwrap();
    // The holder's text, as a hostile neighbour could have written it.
    std::fs::write(lock.path(), HOSTILE).unwrap();
    let rate = run_inert(
        &env,
        &["rate", "--profile", "held", "--pack", &pack],
        "m002 5\n",
    );
    assert!(!rate.status.success());
    let rm = run_inert(&env, &["profiles", "rm", "held"], "");
    let err = String::from_utf8_lossy(&rm.stderr);
    assert!(!rm.status.success(), "{err}");
    assert!(
        err.contains("in use by another mytype (Eve␛]2;pwned"),
        "{err}"
    );
    assert!(env.profiles.join("held.ron").exists(), "removed while held");
    drop(lock);
    let rm = mytype(&env, &["profiles", "rm", "held"], "");
    assert!(
        rm.status.success(),
        "{}",
        String::from_utf8_lossy(&rm.stderr)
    );
    assert!(!env.profiles.join("held.ron").exists());
    // A profile that does not exist leaves no lock file behind.
    let rm = mytype(&env, &["profiles", "rm", "nobody"], "");
    assert!(!rm.status.success());
    assert!(!env.profiles.join(".nobody.lock").exists());
}

#[test]
fn rate_accepts_a_bom_and_caps_lines() {
    let env = setup();
    let pack = pack_arg(&env);
    let rate = |stdin: &str| mytype(&env, &["rate", "--profile", "bom", "--pack", &pack], stdin);
    let out = rate("\u{feff}m001 5\nm002 1\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A line over 4 KiB is a bad line, echoed short; the batch is refused.
    let huge = format!("m003 {}\n", "5".repeat(1 << 20));
    let out = rate(&huge);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("line 1: longer than 4096 bytes"), "{err}");
    assert!(err.len() < 1000, "{} bytes of stderr", err.len());
    let shown = json(&mytype(&env, &["profiles", "show", "bom", "--json"], ""));
    assert_eq!(shown["ratings"].as_array().unwrap().len(), 2);
}
