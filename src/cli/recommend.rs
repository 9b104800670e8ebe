//! `mytype recommend`: the face a profile will like most, as text or JSON.

use super::common::{ensure_enough_ratings, ensure_same_pack, load_pack, one_line, print_json};
use anyhow::Result;
use clap::Args;
use mytype::core::words::{count, plural};
use mytype::game::crowd_sources::rated_and_reveal_crowds;
use mytype::game::recommend::{Recommendation, Recommender, Scored};
use mytype::model::Reason;
use mytype::profile::ProfileStore;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct RecommendArgs {
    /// Profile whose type to tell
    #[arg(long)]
    profile: String,
    /// Pack the profile rated [default: $MYTYPE_PACK, else ./faces/default, else the bundled pack]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
    /// Pick from this pack's faces to reveal instead (it must share
    /// attributes with the rated pack)
    #[arg(long, value_name = "DIR")]
    from_pack: Option<PathBuf>,
    /// How many faces to list (1 or more)
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    top: usize,
    /// Rank by your ratings alone (not what other players liked)
    #[arg(long)]
    no_crowd: bool,
    /// Print the pick, the top faces and the reasons as JSON
    #[arg(long)]
    json: bool,
}

/// The `recommend --json` document. Fields are in the order the JSON has
/// always had them (alphabetical): scripts may compare it as text.
#[derive(Serialize)]
struct RecommendJson<'a> {
    appeal_weight: f64,
    because: Vec<ReasonJson<'a>>,
    crowd_neighbours: Option<usize>,
    crowd_weight: Option<f64>,
    looks_learnt: bool,
    pack: &'a str,
    pick: ScoredJson<'a>,
    profile: &'a str,
    rated_pack: &'a str,
    ratings: usize,
    top: Vec<ScoredJson<'a>>,
    used_attributes: &'a [String],
}

#[derive(Serialize)]
struct ScoredJson<'a> {
    confidence: f64,
    id: &'a str,
    name: &'a str,
    score: f64,
}

impl<'a> From<&'a Scored> for ScoredJson<'a> {
    fn from(s: &'a Scored) -> Self {
        ScoredJson {
            confidence: s.confidence,
            id: &s.id,
            name: &s.name,
            score: s.score,
        }
    }
}

#[derive(Serialize)]
struct ReasonJson<'a> {
    attribute: &'a str,
    level: &'a str,
    weight: f64,
}

impl<'a> From<&'a Reason> for ReasonJson<'a> {
    fn from(b: &'a Reason) -> Self {
        ReasonJson {
            attribute: &b.attribute,
            level: &b.level,
            weight: b.weight,
        }
    }
}

impl<'a> RecommendJson<'a> {
    fn new(profile: &'a str, pack: &'a str, rated_pack: &'a str, r: &'a Recommendation) -> Self {
        RecommendJson {
            appeal_weight: r.blend.appeal,
            because: r.because.iter().map(ReasonJson::from).collect(),
            crowd_neighbours: r.uses_crowd.then_some(r.neighbours),
            crowd_weight: r.uses_crowd.then_some(r.blend.crowd_share()),
            looks_learnt: r.learnt_looks,
            pack,
            pick: ScoredJson::from(&r.pick),
            profile,
            rated_pack,
            ratings: r.ratings,
            top: r.top.iter().map(ScoredJson::from).collect(),
            used_attributes: &r.used_attributes,
        }
    }
}

pub fn run(store: &ProfileStore, args: RecommendArgs) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let profile = store.load(&args.profile)?;
    ensure_same_pack(&profile, &pack)?;
    let pack_arg = args.pack.as_deref();
    ensure_enough_ratings(&args.profile, &profile, &pack, pack_arg)?;
    let reveal = args
        .from_pack
        .as_deref()
        .map(|d| load_pack(Some(d)))
        .transpose()?;
    let mut rec = Recommender::from_profile(&pack, reveal.as_ref(), &profile)?;
    if !args.no_crowd {
        let (rated, revealed) =
            rated_and_reveal_crowds(store, &profile.player, &pack, reveal.as_ref());
        rec = rec.with_crowd(rated, revealed);
    }
    let same_pack = reveal.is_none();
    let result = rec.recommend(args.top, &|id| same_pack && profile.has_rated(id));
    let reveal_name = rec.reveal_pack().name();
    if args.json {
        print_json(&RecommendJson::new(
            &args.profile,
            reveal_name,
            pack.name(),
            &result,
        ))?;
    } else {
        print_recommendation(reveal_name, &result);
        if args.from_pack.is_none() {
            eprintln!(
                "{}",
                super::card::reveal_pack_hint(&args.profile, "--from-pack")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_recommendation(pack: &str, r: &Recommendation) {
    say!(
        "You will like this one: {} ({})",
        one_line(&r.pick.name),
        one_line(&r.pick.id)
    );
    // In words, and the number as what it means (as the game's reveal).
    let sure = r.pick.confidence;
    say!(
        "  {}: {}",
        mytype::ui::strings::sureness(mytype::game::recommend::Sureness::of(sure)),
        mytype::ui::strings::chance_of_liking(sure)
    );
    say!(
        "  expected rating {:.2} / 5, from {}",
        r.pick.score,
        count(r.ratings, "rating", "ratings")
    );
    if !r.because.is_empty() {
        let reasons: Vec<String> = r
            .because
            .iter()
            .take(3)
            .map(|b| one_line(&mytype::game::reasons::reason_text(b)).into_owned())
            .collect();
        say!("  because: {}", reasons.join(", "));
    }
    if r.uses_crowd && r.blend.crowd + r.blend.personal > 0.0 {
        say!("{}", crowd_line(r.blend.crowd_share(), r.neighbours));
    }
    // The weights themselves are in --json (appeal_weight).
    if r.learnt_looks {
        say!("  looks: your ratings follow a kind of face you like");
    } else if r.blend.appeal > 0.0 {
        say!("  appeal: your ratings follow what most people find attractive");
    }
    say!("Top {} from pack {}:", r.top.len(), one_line(pack));
    for (i, s) in r.top.iter().enumerate() {
        say!(
            "  {}. {:<28} {:.2}  ({})",
            i + 1,
            one_line(&s.name),
            s.score,
            one_line(&s.id)
        );
    }
    say!("The AI says my type is {}.", one_line(&r.pick.name));
}

/// How much the other players' ratings count, in words: `share` is the
/// crowd's part (0 to 1), `neighbours` the players who rate like this one.
fn crowd_line(share: f64, neighbours: usize) -> String {
    let alike = match neighbours {
        0 => "no other player rates like you yet".to_string(),
        n => format!(
            "{} {} like you",
            count(n, "player", "players"),
            plural(n, "rates", "rate")
        ),
    };
    format!(
        "  crowd: counts {:.0}%, your own ratings {:.0}% ({alike})",
        share * 100.0,
        (1.0 - share) * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::crowd_line;

    #[test]
    fn the_crowd_line_counts_players_in_plain_words() {
        assert_eq!(
            crowd_line(0.4, 3),
            "  crowd: counts 40%, your own ratings 60% (3 players rate like you)"
        );
        assert_eq!(
            crowd_line(0.25, 1),
            "  crowd: counts 25%, your own ratings 75% (1 player rates like you)"
        );
        assert_eq!(
            crowd_line(0.0, 0),
            "  crowd: counts 0%, your own ratings 100% (no other player rates like you yet)"
        );
    }
}
