//! What the host's terminal keeps once the party is over, in its
//! scrollback, as local play keeps the reveal: how long it ran, who played
//! and how far they got, each guest's type when their game would say "my
//! type is", the best and least matched pairs (the board's own), where the
//! ratings were saved and the command that replays one.

use super::{verdict, PairMatch, PartyState, Player};
use crate::core::sanitize;
use crate::core::tuning::MIN_RATINGS_TO_REVEAL;
use crate::core::words::{count, shell_word};
use std::path::Path;
use std::time::Duration;

/// Guests listed one per line, in the order they joined; past this,
/// "and N more".
pub const ROWS_SHOWN: usize = 20;

/// Where the party's ratings went and how to type a command.
pub struct SummaryContext<'a> {
    /// How long the party ran.
    pub ran: Duration,
    /// The profiles folder keyed guests' ratings were saved in.
    pub profiles: &'a Path,
    /// This program as the host started it ([`crate::core::words::program_word`]).
    pub program: &'a str,
}

/// The summary, one line per entry, each ending in a newline. Every name
/// in it came from a guest or a pack: inert.
pub fn summary(state: &PartyState, ctx: &SummaryContext) -> String {
    let players = state.players();
    let lasted = lasted(ctx.ran);
    if players.is_empty() {
        return format!("mytype serve: the party is over after {lasted}; nobody joined.\n");
    }
    let mut text = format!(
        "mytype serve: the party is over after {lasted}; {} joined:\n",
        count(players.len(), "guest", "guests")
    );
    let width = players
        .iter()
        .take(ROWS_SHOWN)
        .map(|p| shown(&p.name).chars().count())
        .max()
        .unwrap_or(0);
    for p in players.iter().take(ROWS_SHOWN) {
        let name = shown(&p.name);
        text.push_str(&format!("  {name:<width$}  {}\n", row(p)));
    }
    if players.len() > ROWS_SHOWN {
        text.push_str(&format!("  and {} more\n", players.len() - ROWS_SHOWN));
    }
    if let Some((best, least)) = state.matches() {
        text.push_str(&format!("Best match: {}\n", pair(&best)));
        if best != least {
            text.push_str(&format!("Least matched: {}\n", pair(&least)));
        }
    }
    text.push_str(&saved_line(players, ctx));
    text
}

/// How far one guest got, as their game would sum it up.
fn row(p: &Player) -> String {
    let rated = match p.rated {
        0 => "nothing rated".to_string(),
        n => format!("{} rated", count(n, "face", "faces")),
    };
    let pick = match &p.pick {
        None if p.rated == 0 => None,
        Some(pick) => Some(format!("my type is {}", shown(pick))),
        None if p.rated < MIN_RATINGS_TO_REVEAL => Some(format!(
            "no pick yet (a pick needs {})",
            count(MIN_RATINGS_TO_REVEAL, "rating", "ratings")
        )),
        None => Some("no pick seen yet".to_string()),
    };
    let mut row = match pick {
        Some(pick) => format!("{rated}, {pick}"),
        None => rated,
    };
    if p.keyless {
        row.push_str(", no key: nothing saved");
    }
    row
}

fn pair(m: &PairMatch) -> String {
    format!(
        "{} & {} ({:+.2}, {})",
        shown(&m.a),
        shown(&m.b),
        m.overlap,
        verdict(m.overlap)
    )
}

/// Where the keyed guests' ratings are, and the command that replays one
/// of them (one with a pick if any); keyless guests saved nothing.
fn saved_line(players: &[Player], ctx: &SummaryContext) -> String {
    let saved = |p: &&Player| !p.keyless && p.rated > 0;
    let Some(example) = players
        .iter()
        .filter(saved)
        .find(|p| p.pick.is_some())
        .or_else(|| players.iter().find(saved))
    else {
        return "No ratings were saved.\n".to_string();
    };
    let dir = ctx.profiles.as_os_str();
    format!(
        "Ratings saved in {}; to replay one: {} --profiles-dir {} replay {}\n",
        sanitize::one_line(&ctx.profiles.display().to_string()),
        ctx.program,
        sanitize::one_line(&shell_word(dir)),
        shown(&shell_word(example.name.as_ref())),
    )
}

fn shown(text: &str) -> String {
    sanitize::one_line(text).into_owned()
}

/// "45 seconds", "12 minutes", "2 hours 5 minutes" (whole units, rounded down).
fn lasted(ran: Duration) -> String {
    let secs = ran.as_secs();
    let (hours, minutes) = (secs / 3600, secs % 3600 / 60);
    let n = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    match (hours, minutes) {
        (0, 0) if secs == 0 => "less than a second".to_string(),
        (0, 0) => count(n(secs), "second", "seconds"),
        (0, m) => count(n(m), "minute", "minutes"),
        (h, 0) => count(n(h), "hour", "hours"),
        (h, m) => format!(
            "{} {}",
            count(n(h), "hour", "hours"),
            count(n(m), "minute", "minutes")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Reveal;
    use super::*;

    fn ctx(ran: Duration) -> SummaryContext<'static> {
        SummaryContext {
            ran,
            profiles: Path::new("/home/host/party profiles"),
            program: "mytype",
        }
    }

    fn reveal(name: &str) -> Reveal {
        Reveal {
            face_id: "c1".into(),
            face_name: name.into(),
        }
    }

    #[test]
    fn nobody_joined_is_one_plain_line() {
        let text = summary(&PartyState::default(), &ctx(Duration::from_secs(61)));
        assert_eq!(
            text,
            "mytype serve: the party is over after 1 minute; nobody joined.\n"
        );
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(lasted(Duration::from_millis(400)), "less than a second");
        assert_eq!(lasted(Duration::from_secs(1)), "1 second");
        assert_eq!(lasted(Duration::from_secs(59)), "59 seconds");
        assert_eq!(lasted(Duration::from_secs(150)), "2 minutes");
        assert_eq!(lasted(Duration::from_secs(3600)), "1 hour");
        assert_eq!(
            lasted(Duration::from_secs(2 * 3600 + 60)),
            "2 hours 1 minute"
        );
    }

    #[test]
    fn a_party_s_summary() {
        let mut s = PartyState::default();
        for (n, keyless) in [("ana", false), ("bo", false), ("cy", true), ("dee", false)] {
            s.joined(n, keyless);
        }
        s.progress("ana", 50, 50);
        s.progress("bo", 12, 50);
        s.progress("cy", 1, 50);
        // ana and bo saw their pick; bo's changed since (rated on).
        s.revealed("ana", reveal("Nova Reyes"), &[]);
        s.standing("ana", Some("Nova Reyes".into()));
        s.revealed("bo", reveal("Kai Moreau"), &[("ana".into(), 0.71)]);
        s.standing("bo", Some("Kai Moreau".into()));
        s.standing("bo", None);
        s.left("dee", "connection lost");
        let text = summary(&s, &ctx(Duration::from_secs(3 * 3600 + 7 * 60)));
        insta::assert_snapshot!(text);
        assert!(text.contains("  ana  50 faces rated, my type is Nova Reyes\n"));
        assert!(text.contains("  bo   12 faces rated, no pick seen yet\n"));
        assert!(text.contains(
            "  cy   1 face rated, no pick yet (a pick needs 10 ratings), no key: nothing saved\n"
        ));
        assert!(text.contains("  dee  nothing rated\n"));
        assert!(text.contains("Best match: ana & bo (+0.71, practically the same type)\n"));
        assert!(!text.contains("Least matched"), "one pair: said once");
        // The command replays a guest with a pick, from the right folder.
        assert!(text.ends_with(
            "Ratings saved in /home/host/party profiles; to replay one: \
             mytype --profiles-dir '/home/host/party profiles' replay ana\n"
        ));
    }

    #[test]
    fn three_revealed_guests_have_a_best_and_a_least_matched_pair() {
        let mut s = PartyState::default();
        for n in ["ana", "bo", "cy"] {
            s.joined(n, false);
            s.progress(n, 50, 50);
        }
        s.revealed("ana", reveal("A"), &[]);
        s.revealed("bo", reveal("B"), &[("ana".into(), 0.4)]);
        s.revealed(
            "cy",
            reveal("C"),
            &[("ana".into(), 0.9), ("bo".into(), -0.5)],
        );
        let text = summary(&s, &ctx(Duration::from_secs(5)));
        assert!(
            text.contains(
                "Best match: ana & cy (+0.90, practically the same type)\n\
             Least matched: bo & cy (-0.50, opposite tastes)\n"
            ),
            "{text}"
        );
        // Nobody's pick stands (not reported): none is named.
        assert!(!text.contains("my type is"), "{text}");
        assert!(text.ends_with("replay ana\n"), "{text}");
    }

    #[test]
    fn keyless_guests_alone_saved_nothing() {
        let mut s = PartyState::default();
        s.joined("cy", true);
        s.progress("cy", 4, 50);
        let text = summary(&s, &ctx(Duration::from_secs(5)));
        assert!(
            text.starts_with("mytype serve: the party is over after 5 seconds; 1 guest joined:\n")
        );
        assert!(text.ends_with("No ratings were saved.\n"), "{text}");
    }

    #[test]
    fn names_and_picks_are_inert() {
        let mut s = PartyState::default();
        let evil = "ev\u{1b}]2;pwned\u{7}il";
        s.joined(evil, false);
        s.progress(evil, 10, 50);
        s.standing(evil, Some("Nova\u{1b}[2J\u{202e}".into()));
        let text = summary(&s, &ctx(Duration::from_secs(5)));
        assert!(sanitize::is_inert(text.as_bytes(), true), "{text:?}");
        assert!(text.contains("ev␛]2;pwned␇il"), "{text}");
        assert!(text.contains("my type is Nova␛[2J"), "{text}");
    }

    #[test]
    fn a_big_party_is_cut_short() {
        let mut s = PartyState::default();
        for i in 0..(ROWS_SHOWN + 3) {
            let name = format!("g{i:02}");
            s.joined(&name, false);
            s.progress(&name, i, 50);
        }
        let text = summary(&s, &ctx(Duration::from_secs(600)));
        assert!(text
            .starts_with("mytype serve: the party is over after 10 minutes; 23 guests joined:\n"));
        assert!(text.contains(&format!("  g{:02}  ", ROWS_SHOWN - 1)));
        assert!(!text.contains(&format!("  g{ROWS_SHOWN:02}  ")), "{text}");
        assert!(text.contains("\n  and 3 more\n"), "{text}");
        assert_eq!(text.lines().count(), 1 + ROWS_SHOWN + 1 + 1, "{text}");
        // The first guest with ratings (g00 rated none).
        assert!(text.ends_with("replay g01\n"), "{text}");
    }
}
