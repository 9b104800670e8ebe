//! `mytype card NAME`: a shareable party card (the revealed face, "my type
//! is ...", the reasons), printed and optionally written as a PNG.

use super::common::{learnt, one_line, PackArgs};
use anyhow::{Context, Result};
use clap::Args;
use mytype::game::crowd_sources::rated_and_reveal_crowds;
use mytype::profile::ProfileStore;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CardArgs {
    /// Profile name of the player whose card it is
    name: String,
    /// Write the card as a PNG
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    #[command(flatten)]
    packs: PackArgs,
    /// Pick by your ratings alone (not what other players liked)
    #[arg(long)]
    no_crowd: bool,
}

/// How the card is drawn on a terminal: half-blocks (or iTerm's protocol), which
/// need no question to the terminal (viuer is built without sixel). viuer's kitty check asks for the primary device
/// attributes (DA1) outside raw mode, so the reply (`ESC[?1;2c` from tmux)
/// was echoed onto the card. (The iTerm check reads the environment only.)
fn card_viewer_config() -> viuer::Config {
    viuer::Config {
        width: Some(40),
        absolute_offset: false,
        use_kitty: false,
        ..Default::default()
    }
}

/// Said when a pick comes from the rated pack: a game played with
/// `--reveal-pack` revealed from another one, and the profile keeps only
/// the ratings (a pack folder's path saved in it would not survive a move,
/// means another folder from another working directory, and on a shared
/// box is not to be trusted), so the command must be told again.
pub fn reveal_pack_hint(name: &str, flag: &str) -> String {
    format!(
        "note: picked from the pack {} rated; if the game revealed from another pack \
         (--reveal-pack), add {flag} with that pack's folder",
        one_line(name)
    )
}

pub fn run(store: &ProfileStore, args: CardArgs) -> Result<ExitCode> {
    let (pack, reveal) = args.packs.load()?;
    let pack_arg = args.packs.pack.as_deref();
    let (profile, rec) = learnt(store, &args.name, &pack, reveal.as_ref(), pack_arg)?;
    // The same pick as the game's reveal: with the crowd prior unless asked not to.
    let rec = if args.no_crowd {
        rec
    } else {
        let (rated, revealed) =
            rated_and_reveal_crowds(store, &profile.player, &pack, reveal.as_ref());
        rec.with_crowd(rated, revealed)
    };
    let same_pack = reveal.is_none();
    let result = rec.recommend(3, &|id| same_pack && profile.has_rated(id));
    let date = profile
        .ratings
        .last()
        .map(|r| r.time.chars().take(10).collect::<String>())
        .unwrap_or_default();
    // What the reveal says: the reasons, or why there are none (and, while
    // faces are left to rate, that rating more may help).
    let more_to_rate = pack.model_faces().any(|f| !profile.has_rated(&f.id));
    let why = mytype::game::reasons::why_in(&result, 3, more_to_rate);
    let card = mytype::game::card::render_card(
        &args.name,
        &result,
        rec.reveal_pack(),
        &date,
        more_to_rate,
    )?;
    if let Some(path) = &args.png {
        card.save(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let config = card_viewer_config();
        let _ = viuer::print(&image::DynamicImage::ImageRgba8(card), &config);
    }
    say!("{}'s type, {}", one_line(&args.name), one_line(&date));
    say!("The AI says my type is {}.", one_line(&result.pick.name));
    // The profile does not say which pack the game revealed from (see
    // `reveal_pack_hint`): the card says which one it picked from.
    say!("picked from pack `{}`", one_line(rec.reveal_pack().name()));
    if args.packs.reveal_pack.is_none() {
        eprintln!("{}", reveal_pack_hint(&args.name, "--reveal-pack"));
    }
    let why: Vec<String> = why.iter().map(|w| one_line(w).into_owned()).collect();
    if result.because.is_empty() {
        // No reason moved the pick enough to name: the reveal's sentence.
        say!("{}", why.concat());
    } else {
        say!("because: {}", why.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
