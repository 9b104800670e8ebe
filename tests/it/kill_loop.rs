//! The kill loop of #28: `play` in tmux is killed (SIGKILL, SIGHUP or
//! SIGTERM) at varied moments, over and over; every rating the screen
//! acknowledged ("N / 12 rated") must be on disk, and once each profile is
//! opened again no temporary file is left. Bounded: at most 100 kills or
//! 75 s. `rate` typed at a terminal gets the same (50 kills or 60 s).
//! Skipped with a message without tmux, except in CI.

use crate::e2e_support;

use e2e_support::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// Temporary save files in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn killing_play_at_any_moment_loses_no_acknowledged_rating() {
    let test = "killing_play_at_any_moment_loses_no_acknowledged_rating";
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    let signals = ["KILL", "HUP", "TERM"];
    let started = Instant::now();
    let (mut kills, mut profile_no) = (0usize, 0usize);
    let mut profiles = Vec::new();
    let mut acknowledged = 0usize;
    while kills < 100 && started.elapsed() < Duration::from_secs(75) {
        // A fresh profile once this one is nearly full (the reveal takes no ratings).
        if profiles.is_empty() || acknowledged + 3 > MODELS {
            profile_no += 1;
            profiles.push(format!("k{profile_no}"));
            acknowledged = 0;
        }
        let profile = profiles.last().unwrap().clone();
        let window = format!("g{kills}");
        tmux.start(&window, &g.play(&profile, "--order pack"));
        tmux.wait_for_buttons(&window, Duration::from_secs(30));
        // 1 or 2 ratings seen on screen, then sometimes one more key that
        // is killed in flight (saved or not, it was never acknowledged).
        for _ in 0..1 + kills % 2 {
            tmux.keys(&window, &["4"]);
            acknowledged += 1;
            tmux.wait_for(&window, &format!("{acknowledged} / {MODELS} rated"), false);
        }
        if kills % 3 == 0 {
            tmux.keys(&window, &["2"]);
        }
        let pid = g.lock_holder(&profile);
        kill(signals[kills % signals.len()], pid);
        kills += 1;
        g.wait_unlocked(&profile);
        let on_disk = g.ratings(&profile).len();
        assert!(
            on_disk >= acknowledged,
            "kill {kills}: {on_disk} ratings on disk, {acknowledged} acknowledged"
        );
        // The in-flight key may have been saved: carry on from the disk.
        acknowledged = on_disk;
    }
    assert!(
        kills >= 20,
        "only {kills} games were killed in the time allowed"
    );
    // Opening each profile again (here with `rate`, which takes its lock)
    // clears what a killed save left.
    for profile in &profiles {
        g.rate(profile, &[]);
    }
    assert_eq!(temp_files(&g.profiles), Vec::<String>::new());
    eprintln!(
        "{test}: {kills} kills over {} profiles in {:.1?}",
        profiles.len(),
        started.elapsed()
    );
}

/// The same for `rate` typed at a terminal (#28.1): each line is saved when
/// it is acknowledged (`+ FACE: … (N so far), saved`), so a kill at
/// any moment after that loses none. Bounded: at most 50 kills or 60 s.
#[test]
fn killing_rate_at_a_terminal_loses_no_acknowledged_rating() {
    use rand::Rng;
    let test = "killing_rate_at_a_terminal_loses_no_acknowledged_rating";
    if !need_tmux(test) {
        return;
    }
    let g = game();
    let tmux = Tmux::new();
    let signals = ["KILL", "HUP", "TERM"];
    let mut rng = rand::rng();
    // Keeps the server up while each run's session is closed after it.
    tmux.run(&["new-session", "-d", "-s", "hold", "cat"]);
    let started = Instant::now();
    let (mut kills, mut acknowledged, mut typed) = (0usize, 0usize, 0usize);
    while kills < 50 && started.elapsed() < Duration::from_secs(60) {
        let window = format!("r{kills}");
        tmux.start(&window, &g.command("rate", "typed", ""));
        for n in 1..=rng.random_range(1..=3) {
            let face = format!("m{:03}", 1 + typed % MODELS);
            typed += 1;
            tmux.line(&window, &format!("{face} {}", 1 + typed % 5));
            tmux.wait_for(&window, &format!("({n} so far), saved"), false);
            acknowledged += 1;
        }
        // Sometimes one more line, killed in flight (never acknowledged).
        if rng.random_bool(0.5) {
            tmux.line(&window, "m001 5");
        }
        let pid = g.lock_holder("typed");
        std::thread::sleep(Duration::from_millis(rng.random_range(0..20)));
        kill(signals[kills % signals.len()], pid);
        kills += 1;
        g.wait_unlocked("typed");
        let on_disk = g.ratings("typed").len();
        assert!(
            on_disk >= acknowledged,
            "kill {kills} (SIG{}): {on_disk} ratings on disk, {acknowledged} acknowledged",
            signals[(kills - 1) % signals.len()]
        );
        acknowledged = on_disk;
        tmux.run(&["kill-session", "-t", &window]);
    }
    assert!(
        kills >= 20,
        "only {kills} rate runs were killed in the time allowed"
    );
    g.rate("typed", &[]);
    assert_eq!(temp_files(&g.profiles), Vec::<String>::new());
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "{test}: {kills} kills, {acknowledged} ratings on disk, in {:.1?}",
        started.elapsed()
    );
}
