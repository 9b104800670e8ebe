//! The strings the game's screens show, in one place (the reveal's reasons
//! come from `game::reasons`, the party board's words from `serve::board`).

use super::app::pick_held::Stage;
use crate::core::attributes::attribute_label;
use crate::core::sanitize;
use crate::core::words::count;
use crate::game::recommend::Sureness;

pub const APP_TITLE: &str = "mytype";
pub const RATE_TITLE: &str = "Rate this face";
pub const GUESS_TITLE: &str = "Your type so far";
pub const GUESS_NONE: &str = "Rate a face to get a first guess.";
pub const REVEAL_TITLE: &str = "Your type";
pub const REVEAL_HEADLINE: &str = "You will like this one";
pub const REVEAL_WHY: &str = "Why:";
pub const REVEAL_RUNNERS_UP: &str = "Runners-up:";
pub const HELP_TITLE: &str = "Help";
/// The help's rows come from the key tables, [`super::keys`].
pub const HELP_CLOSE: &str = "Press any key to close this help.";
pub const LOADING: &str = "loading…";
pub const IMAGE_FAILED: &str = "This face's image cannot be shown:";
pub const IMAGE_FAILED_HINT: &str = "Press s to skip it.";
pub const TOO_SMALL_TITLE: &str = "Make the terminal bigger";
pub const CONFIRM_NEW_ROUND: &str =
    "Start a new round? Your current ratings are kept as a backup profile. (y/n)";

/// A screen's key hints: the full line, and a shorter one for a narrow
/// terminal (it fits the smallest, [`super::MIN_WIDTH`] columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hints {
    pub full: &'static str,
    pub short: &'static str,
}

impl Hints {
    /// The full hints if they fit in `width` columns, else the short ones.
    pub fn fitting(&self, width: u16) -> &'static str {
        if self.full.chars().count() <= usize::from(width) {
            self.full
        } else {
            self.short
        }
    }
}

pub const HINTS_RATING: Hints = Hints {
    full: "1-5 rate (5 = Type) · ←/→ Enter · u undo · s skip · r reveal · ? help · q quit",
    short: "1-5 rate · u undo · s skip · r reveal · ? help · q quit",
};
/// Fits 60 columns already: the short line is the same.
pub const HINTS_REVEAL: Hints = Hints {
    full: "n new round · b back · u undo · ? help · q quit",
    short: "n new round · b back · u undo · ? help · q quit",
};
/// The reveal once every face is rated: nothing to go back to.
pub const HINTS_REVEAL_ALL_RATED: Hints = Hints {
    full: "n new round · u undo · ? help · q quit",
    short: "n new round · u undo · ? help · q quit",
};

pub fn progress(rated: usize, total: usize) -> String {
    format!("{rated} / {total} rated")
}

/// Text from a pack or a profile (a face's or a player's name) as it may be
/// drawn: every control character, C1 control and bidirectional override
/// shown as a picture ([`sanitize::one_line`]). Every untrusted name the
/// screens draw goes through here; the back-end sanitises whatever is left
/// on its way out ([`super::runtime::backend`]).
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    sanitize::one_line(text)
}

pub fn face_counter(position: usize, total: usize, name: &str) -> String {
    let name = shown(name);
    format!("Face {position} of {total} · {name}")
}

pub fn player(name: &str) -> String {
    let name = shown(name);
    format!("player: {name}")
}

pub fn expected(score: f64) -> String {
    format!("expected rating {score:.1} / 5")
}

/// How sure the pick is, in words (thresholds: [`Sureness`]).
pub fn sureness(s: Sureness) -> &'static str {
    match s {
        Sureness::StrongMatch => "A strong match",
        Sureness::GoodBet => "A good bet",
        Sureness::Hunch => "A hunch",
        Sureness::LongShot => "A long shot",
    }
}

/// What the pick's confidence means, with the number.
pub fn chance_of_liking(confidence: f64) -> String {
    format!(
        "{:.0}% chance you'd rate them Slightly like or Type.",
        confidence * 100.0
    )
}

/// The live guess: how settled its pick is.
pub fn stage(stage: Stage) -> &'static str {
    match stage {
        Stage::Changing => "still changing",
        Stage::Settling => "settling",
        Stage::Settled => "settled",
    }
}

/// The live guess: how long its pick has held (`streak` ratings, this one included).
pub fn held_for(streak: usize) -> String {
    if streak <= 1 {
        "new pick".to_string()
    } else {
        format!("same for {streak} ratings")
    }
}

/// The reveal's build-up.
pub const BUILDUP_TITLE: &str = "Who is your type?";
pub const BUILDUP_HEADLINE: &str = "And your type is…";
pub const HINTS_BUILDUP: Hints = Hints {
    full: "any key: show the pick now",
    short: "any key: show the pick now",
};

pub fn from_ratings(n: usize) -> String {
    format!("from {}", count(n, "rating", "ratings"))
}

/// Which attributes a reveal from another pack was judged on.
pub fn judged_on(used: &[String], total: usize) -> String {
    let names: Vec<String> = used.iter().map(|a| attribute_label(a)).collect();
    format!(
        "Judged on: {} ({} of {})",
        if names.is_empty() {
            "nothing in common".to_string()
        } else {
            names.join(", ")
        },
        used.len(),
        count(total, "attribute", "attributes")
    )
}

pub fn runner_up(rank: usize, name: &str, score: f64) -> String {
    let name = shown(name);
    format!("{rank}. {name}  ({score:.1} / 5)")
}

/// The game's last line on the too-small screen.
pub const TOO_SMALL_HINT: &str = "q quits (your ratings are saved)";
/// The same in a game that saves nothing (read-only, or over SSH without
/// a key).
pub const TOO_SMALL_HINT_UNSAVED: &str = "q quits (nothing is saved in this game)";

pub fn too_small(min_w: u16, min_h: u16, w: u16, h: u16) -> String {
    format!("mytype needs at least {min_w}×{min_h} cells; this terminal is {w}×{h}.")
}

/// `r` pressed too early; the help's `r` row says the same
/// ("after at least 10 ratings").
pub fn need_more_ratings(min: usize, have: usize) -> String {
    format!(
        "Reveal after at least {} ({have} so far).",
        count(min, "rating", "ratings")
    )
}

pub fn save_failed(err: &str) -> String {
    format!("Could not save (will retry on the next rating): {err}.")
}

pub fn quit_save_failed(err: &str) -> String {
    format!("Could not save: {err}. Press q again to quit anyway.")
}

pub fn new_round_started(backup: &str) -> String {
    let backup = shown(backup);
    format!("New round! Your previous ratings were kept as profile {backup}.")
}

pub fn backup_failed(err: &str) -> String {
    format!("Could not back up the old round, nothing changed: {err}.")
}

/// Every backup name for a new round is taken.
pub fn no_free_backup(base: &str, last: usize) -> String {
    let base = shown(base);
    format!("profiles {base}-1 to {base}-{last} all exist")
}

pub const SAVED_AGAIN: &str = "Saved.";
pub const NOTHING_TO_UNDO: &str = "Nothing to undo.";
pub const ALL_SKIPPED_AGAIN: &str = "Those were the skipped faces: rate them or reveal with r.";
pub const NOTHING_LEFT: &str = "Every face is rated: press n for a new round.";

pub fn round_done(rated: usize) -> String {
    format!(
        "That makes {}: here is my pick. Press b to rate more, n for a new round.",
        count(rated, "rating", "ratings")
    )
}

pub fn undone(name: &str) -> String {
    let name = shown(name);
    format!("Undid the rating of {name}.")
}

pub fn skipped(name: &str) -> String {
    let name = shown(name);
    format!("Skipped {name} (u brings it back).")
}

pub fn unskipped(name: &str) -> String {
    let name = shown(name);
    format!("{name} is back: rate it, or s to skip it again.")
}

/// The last line printed after the game, outside the TUI.
pub fn farewell(name: &str) -> String {
    let name = shown(name);
    format!("The AI says my type is {name}.")
}

/// `play --read-only` refuses a new round (it would write a backup profile).
pub const READ_ONLY_NO_NEW_ROUND: &str =
    "Read-only game: a new round would write the profile. Play without --read-only.";

/// Shown when a read-only game starts.
pub const READ_ONLY_START: &str = "Read-only: ratings in this game are not saved.";

/// After a read-only game.
pub fn read_only_done(profile: &str, rated: usize, total: usize) -> String {
    let profile = shown(profile);
    format!("Read-only game on profile {profile}: {rated} of {total} rated, nothing was saved.")
}

/// After a game over SSH without a key (`mytype serve --open`).
pub fn keyless_done(rated: usize, total: usize) -> String {
    format!(
        "Played without an SSH key: {rated} of {total} rated, nothing was saved \
         (join with a key to keep your ratings)."
    )
}

/// After a game whose every face is rated but whose reveal the player did
/// not see (quit during its build-up); `command` shows it.
pub fn all_rated(profile: &str, rated: usize, command: &str) -> String {
    let profile = shown(profile);
    format!(
        "Saved all {} for profile {profile}; run `{command}` to see the reveal.",
        count(rated, "rating", "ratings")
    )
}

/// Before the lines after a game a signal ended (every rating is saved).
pub fn stopped_by(signal: &str, why: &str) -> String {
    format!("mytype stopped: {why} ({signal}).")
}

/// After a game quit with faces left to rate; `command` continues it.
pub fn paused(profile: &str, rated: usize, total: usize, command: &str) -> String {
    let profile = shown(profile);
    if rated == 0 {
        return format!("No ratings yet for profile {profile}; run `{command}` to start.");
    }
    format!(
        "Saved {rated} of {} for profile {profile}; run `{command}` to continue.",
        count(total, "rating", "ratings")
    )
}

pub const REPLAY_TITLE: &str = "Replay";
pub const HINTS_REPLAY: Hints = Hints {
    full: "Space pause/play · ←/→ step · Home/End first/last · ? help · q quit",
    short: "Space pause/play · ←/→ step · ? help · q quit",
};
pub const HINTS_REPLAY_END: Hints = Hints {
    full: "← back to the ratings · Space replay again · ? help · q quit",
    short: "← back · Space replay again · ? help · q quit",
};
pub const REPLAY_TOO_SMALL_HINT: &str = "q quits (the profile is never changed)";

/// The replay's header: `Replay · rating 7 of 50 · Name`.
pub fn replay_counter(step: usize, total: usize, name: &str) -> String {
    let name = shown(name);
    format!("{REPLAY_TITLE} · rating {step} of {total} · {name}")
}

/// The replay's header at the reveal: `Replay · 12 ratings`.
pub fn replay_total(total: usize) -> String {
    format!("{REPLAY_TITLE} · {}", count(total, "rating", "ratings"))
}

/// The reveal panel's title in a replay: whose type it is.
pub fn replay_reveal_title(player: &str) -> String {
    let player = shown(player);
    format!("{player}'s type")
}

/// The face panel's title during a replay.
pub fn replay_rated(player: &str, name: &str) -> String {
    let (player, name) = (shown(player), shown(name));
    format!("{player} rated {name}")
}

/// The replay's progress label, after the bar.
pub fn replay_progress(step: usize, total: usize, paused: bool) -> String {
    let state = if paused { "⏸ paused" } else { "▶ playing" };
    format!(" {step} / {total} replayed · {state}")
}

/// Printed after a replay that reached the reveal.
pub fn replay_farewell(player: &str, name: &str) -> String {
    let (player, name) = (shown(player), shown(name));
    format!("The AI says {player}'s type is {name}.")
}

pub fn confident_offer(name: &str, ratings: usize) -> String {
    let name = shown(name);
    format!(
        "{name} has been my pick for {}: r reveals it.",
        count(ratings, "rating", "ratings")
    )
}

/// Said once when faces fall back to 256 colours: how to get truecolor
/// (each at most 60 characters, the narrowest screen).
pub const TRUECOLOR_HINT: &str = "256 colours: for truecolor, export COLORTERM=truecolor";
/// `ssh` does not pass `COLORTERM` on: set it in the shell on this side.
pub const TRUECOLOR_HINT_SSH: &str = "256 colours over SSH: export COLORTERM=truecolor";
pub const TRUECOLOR_HINT_TMUX: &str = "256 colours: tmux.conf: set -as terminal-features ',*:RGB'";
pub const TRUECOLOR_HINT_OLD_TMUX: &str =
    "256 colours: tmux.conf: set -ga terminal-overrides ',*:Tc'";

/// `play` or `replay` in a terminal `TERM` says cannot draw the game
/// (`why`: "TERM is dumb"); `command` is the command again with a usable
/// `TERM`, `fallback` what works line by line instead.
pub fn unusable_terminal(why: &str, command: &str, fallback: &str) -> String {
    format!(
        "mytype needs a terminal that can draw a full screen, and {why}. In a real terminal \
         run `TERM=xterm-256color {command}`; {fallback}."
    )
}

/// Said once on the status line when the `--graphics` asked for is not
/// available and faces are drawn in half-blocks (at most 60 characters).
pub fn graphics_fell_back(asked: &str) -> String {
    format!("--graphics {asked} is not available here: half-blocks")
}

/// A replay's end when the profile has fewer ratings than a pick needs.
pub fn replay_not_enough(player: &str, have: usize, min: usize) -> String {
    let player = shown(player);
    format!(
        "Not enough ratings yet: {player} rated {}; a pick needs at least {min}.",
        count(have, "face", "faces")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines printed after the TUI closes (on the plain terminal, where
    /// no back-end filters them) show a pack's or a profile's text inert.
    #[test]
    fn farewells_show_names_inert() {
        let evil = "Nova\u{1b}]2;pwned\u{7}";
        for line in [
            farewell(evil),
            replay_farewell(evil, evil),
            read_only_done(evil, 1, 2),
            paused(evil, 1, 2, "mytype"),
            new_round_started(evil),
            all_rated(evil, 1, "mytype"),
        ] {
            assert!(sanitize::is_inert(line.as_bytes(), false), "{line:?}");
            assert!(line.contains("Nova␛]2;pwned␇"), "{line:?}");
        }
    }
}
