//! Every string the game shows, in one place.

pub const APP_TITLE: &str = "mytype";
pub const RATE_TITLE: &str = "Rate this face";
pub const GUESS_TITLE: &str = "Best guess so far";
pub const GUESS_NONE: &str = "Rate a face to get a first guess.";
pub const REVEAL_TITLE: &str = "Your type";
pub const REVEAL_HEADLINE: &str = "You will like this one";
pub const REVEAL_WHY: &str = "Why:";
pub const REVEAL_WHY_NONE: &str = "No attribute stood out yet: rate more faces for a sharper pick.";
pub const REVEAL_RUNNERS_UP: &str = "Runners-up:";
pub const HELP_TITLE: &str = "Help";
pub const HELP_CLOSE: &str = "Press any key to close this help.";
pub const LOADING: &str = "loading…";
pub const IMAGE_FAILED: &str = "This face's image cannot be shown:";
pub const IMAGE_FAILED_HINT: &str = "Press s to skip it.";
pub const TOO_SMALL_TITLE: &str = "Make the terminal bigger";
pub const CONFIRM_NEW_ROUND: &str =
    "Start a new round? Your current ratings are kept as a backup profile. (y/n)";

pub const HINTS_RATING: &str =
    "1-5 rate (5 = Type) · ←/→ Enter · u undo · s skip · r reveal · ? help · q quit";
pub const HINTS_REVEAL: &str = "n new round · b back · u undo · ? help · q quit";

/// Help screen rows: (keys, what they do).
pub const HELP_ROWS: &[(&str, &str)] = &[
    (
        "5 4 3 2 1",
        "Type, Slightly like, Normal, Slightly weak, Very weak",
    ),
    ("← → (h l)", "move between the buttons"),
    ("Enter / Space", "rate with the highlighted button"),
    ("mouse click", "rate with the clicked button"),
    ("u", "undo the last rating"),
    ("s", "skip this face (it comes back next game)"),
    ("r", "reveal early (after at least 10 ratings)"),
    (
        "n",
        "reveal: new round (old ratings kept as profile NAME-1, …)",
    ),
    ("b", "reveal: back to the faces left"),
    ("?", "this help"),
    ("q / Esc", "save and quit (every rating is saved at once)"),
];

pub fn progress(rated: usize, total: usize) -> String {
    format!("{rated} / {total} rated")
}

pub fn face_counter(position: usize, total: usize, name: &str) -> String {
    format!("Face {position} of {total} · {name}")
}

pub fn player(name: &str) -> String {
    format!("player: {name}")
}

pub fn expected(score: f64) -> String {
    format!("expected rating {score:.1} / 5")
}

pub fn short_confidence(confidence: f64) -> String {
    format!("{:.0}% sure", confidence * 100.0)
}

pub fn long_confidence(confidence: f64) -> String {
    format!("{:.0}% sure you'll like them", confidence * 100.0)
}

pub fn from_ratings(n: usize) -> String {
    format!("from {n} rating(s)")
}

pub fn reason(attribute: &str, level: &str) -> String {
    format!(
        "{}: {}",
        attribute.replace('_', " "),
        level.replace('_', " ")
    )
}

/// Which attributes a reveal from another pack was judged on.
pub fn judged_on(used: &[String], total: usize) -> String {
    let names: Vec<String> = used.iter().map(|a| a.replace('_', " ")).collect();
    format!(
        "Judged on: {} ({} of {total} attributes)",
        if names.is_empty() {
            "nothing in common".to_string()
        } else {
            names.join(", ")
        },
        used.len()
    )
}

pub fn runner_up(rank: usize, name: &str, score: f64) -> String {
    format!("{rank}. {name}  ({score:.1} / 5)")
}

pub fn too_small(min_w: u16, min_h: u16, w: u16, h: u16) -> String {
    format!("mytype needs at least {min_w}×{min_h} cells; this terminal is {w}×{h}.")
}

pub fn need_more_ratings(min: usize, have: usize) -> String {
    format!("Rate at least {min} faces before revealing ({have} so far).")
}

pub fn save_failed(err: &str) -> String {
    format!("Could not save (will retry on the next rating): {err}")
}

pub fn quit_save_failed(err: &str) -> String {
    format!("Could not save: {err}. Press q again to quit anyway.")
}

pub fn new_round_started(backup: &str) -> String {
    format!("New round! Your previous ratings were kept as profile {backup}.")
}

pub fn backup_failed(err: &str) -> String {
    format!("Could not back up the old round, nothing changed: {err}")
}

pub const SAVED_AGAIN: &str = "Saved.";
pub const NOTHING_TO_UNDO: &str = "Nothing to undo.";
pub const ALL_SKIPPED_AGAIN: &str = "Those were the skipped faces: rate them or reveal with r.";
pub const NOTHING_LEFT: &str = "Every face is rated: press n for a new round.";

pub fn round_done(rated: usize) -> String {
    format!("That makes {rated} ratings: here is my pick. Press b to rate more, n for a new round.")
}

pub fn undone(name: &str) -> String {
    format!("Undid the rating of {name}.")
}

pub fn skipped(name: &str) -> String {
    format!("Skipped {name}.")
}

/// The last line printed after the game, outside the TUI.
pub fn farewell(name: &str) -> String {
    format!("The AI says my type is {name}.")
}

/// `play --read-only` refuses a new round (it would write a backup profile).
pub const READ_ONLY_NO_NEW_ROUND: &str =
    "Read-only game: a new round would write the profile. Play without --read-only.";

/// Shown when a read-only game starts.
pub const READ_ONLY_START: &str = "Read-only: ratings in this game are not saved.";

/// After a read-only game.
pub fn read_only_done(profile: &str, rated: usize, total: usize) -> String {
    format!("Read-only game on profile {profile}: {rated} of {total} rated, nothing was saved.")
}

pub fn paused(profile: &str, rated: usize, total: usize) -> String {
    format!("Saved {rated} of {total} ratings for profile {profile}; run mytype again to continue.")
}

pub const REPLAY_TITLE: &str = "Replay";
pub const HINTS_REPLAY: &str = "space pause/play · ←/→ step · ? help · q quit";
pub const HINTS_REPLAY_END: &str = "← back to the ratings · space replay again · ? help · q quit";
pub const REPLAY_TOO_SMALL_HINT: &str = "q quits (the profile is never changed)";

/// Replay help rows: (keys, what they do).
pub const REPLAY_HELP_ROWS: &[(&str, &str)] = &[
    ("space", "pause / play (at the end: replay from the start)"),
    ("→ (l)", "step forward one rating (pauses)"),
    ("← (h)", "step back one rating (pauses)"),
    ("Home / End", "first rating / the reveal (pauses)"),
    ("?", "this help"),
    ("q / Esc", "quit (the profile is only read, never changed)"),
];

/// The replay's header: `Replay · rating 7 of 50 · Name`.
pub fn replay_counter(step: usize, total: usize, name: &str) -> String {
    format!("{REPLAY_TITLE} · rating {step} of {total} · {name}")
}

/// The face panel's title during a replay.
pub fn replay_rated(player: &str, name: &str) -> String {
    format!("{player} rated {name}")
}

/// The replay's progress label, after the bar.
pub fn replay_progress(step: usize, total: usize, paused: bool) -> String {
    let state = if paused { "⏸ paused" } else { "▶ playing" };
    format!(" {step} / {total} replayed · {state}")
}

/// Printed after a replay that reached the reveal.
pub fn replay_farewell(player: &str, name: &str) -> String {
    format!("The AI says {player}'s type is {name}.")
}

pub fn confident_offer(name: &str, ratings: usize) -> String {
    format!("I'm fairly sure now: {name} has been my pick for {ratings} ratings. Press r to reveal, or keep rating.")
}

/// Said once when faces fall back to 256 colours: how to get true colour
/// (each at most 60 characters, the narrowest screen).
pub const TRUECOLOR_HINT: &str = "256 colours: for true colour, export COLORTERM=truecolor";
pub const TRUECOLOR_HINT_SSH: &str = "256 colours over SSH: true colour needs COLORTERM=truecolor";
pub const TRUECOLOR_HINT_TMUX: &str = "256 colours: tmux.conf: set -as terminal-features ',*:RGB'";
pub const TRUECOLOR_HINT_OLD_TMUX: &str =
    "256 colours: tmux.conf: set -ga terminal-overrides ',*:Tc'";
