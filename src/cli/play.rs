//! `mytype play` (and `mytype` alone): the game in the terminal.

use super::common::{existing_or_new, interactive_terminal, needs_terminal, one_line, PackArgs};
use anyhow::Result;
use clap::Args;
use mytype::game::crowd_sources::rated_and_reveal_crowds;
use mytype::profile::ProfileStore;
use std::ffi::OsStr;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct PlayArgs {
    /// Profile to play as [default: your login name]
    #[arg(long)]
    profile: Option<String>,
    #[command(flatten)]
    packs: PackArgs,
    /// Image protocol (auto: the best the terminal answers it can show)
    #[arg(long, default_value = "auto", ignore_case = true, value_parser = super::values::GraphicsValue)]
    graphics: String,
    /// Play without the profile's lock and never save (e.g. while another
    /// session has it)
    #[arg(long)]
    read_only: bool,
    /// Rank by your ratings alone (not what other players liked: the pack's
    /// crowd scores and the other profiles in the profiles folder)
    #[arg(long)]
    no_crowd: bool,
    /// Order of the faces: adaptive (the most informative next) or pack
    #[arg(long, value_name = "ORDER", default_value = "adaptive", value_parser = ["adaptive", "pack"])]
    order: String,
}

/// What `play` says when stdin or stdout is not a terminal.
const PLAY_NEEDS_TERMINAL: &str =
    "mytype play needs an interactive terminal; to rate from a script use `mytype rate`";

/// The exact command that plays this game again: the program as the player
/// started it, and every option that was not the default, shell-quoted
/// ([`super::command_to_type`], as every command a message tells).
/// Typed in the same shell (same folder, same environment), it resumes the
/// game where it was left.
fn play_command(args: &PlayArgs, read_only: bool) -> String {
    let mut words: Vec<&OsStr> = Vec::new();
    if read_only {
        words.push("--read-only".as_ref());
    }
    if let Some(name) = args
        .profile
        .as_deref()
        .filter(|n| *n != mytype::profile::default_player_name())
    {
        words.extend::<[&OsStr; 2]>(["--profile".as_ref(), name.as_ref()]);
    }
    if let Some(pack) = &args.packs.pack {
        words.extend(["--pack".as_ref(), pack.as_os_str()]);
    }
    if let Some(pack) = &args.packs.reveal_pack {
        words.extend(["--reveal-pack".as_ref(), pack.as_os_str()]);
    }
    if args.graphics.trim() != "auto" {
        words.extend::<[&OsStr; 2]>(["--graphics".as_ref(), args.graphics.as_ref()]);
    }
    if args.no_crowd {
        words.push("--no-crowd".as_ref());
    }
    if args.order.trim() != "adaptive" {
        words.extend::<[&OsStr; 2]>(["--order".as_ref(), args.order.as_ref()]);
    }
    super::command_to_type(&words)
}

pub fn run(store: &ProfileStore, args: PlayArgs) -> Result<ExitCode> {
    use mytype::ui::{self, App, GraphicsChoice};
    // A signal during start-up ends the game cleanly once it runs.
    mytype::signals::hold(ui::runtime::START_HOLD);
    let graphics: GraphicsChoice = args.graphics.parse().map_err(anyhow::Error::msg)?;
    let resume = play_command(&args, args.read_only);
    let name = args
        .profile
        .clone()
        .unwrap_or_else(mytype::profile::default_player_name);
    mytype::profile::validate_name(&name)?;
    // Before the lock: a pack that cannot be played leaves nothing behind.
    let (pack, reveal) = args.packs.load_to_play("")?;
    let _lock = if args.read_only {
        None
    } else {
        Some(store.lock(&name).map_err(|e| match e {
            mytype::profile::ProfileError::Locked { holder, .. } => {
                let command = play_command(&args, true);
                anyhow::anyhow!(
                    "profile {} is in use by another mytype ({holder}): finish that game \
                     first, play as another --profile, or look on without saving: `{command}`",
                    one_line(&name)
                )
            }
            e => e.into(),
        })?)
    };
    let order: ui::app::order::Order = args.order.parse().map_err(anyhow::Error::msg)?;
    let profile = existing_or_new(store, &name, &pack)?;
    // Every argument and file is checked first: a script learns what is
    // wrong with them too.
    if !interactive_terminal() {
        return Ok(needs_terminal(PLAY_NEEDS_TERMINAL));
    }
    // Refused rather than drawn as garbage: the line-by-line way exists.
    if let Some(why) = ui::terminal::full_screen::unusable_term() {
        let mut words: Vec<&std::ffi::OsStr> =
            vec!["rate".as_ref(), "--profile".as_ref(), name.as_ref()];
        if let Some(pack) = &args.packs.pack {
            words.extend(["--pack".as_ref(), pack.as_os_str()]);
        }
        let rate = format!(
            "to rate line by line use `{}`",
            super::command_to_type(&words)
        );
        return Ok(needs_terminal(&ui::strings::unusable_terminal(
            why, &resume, &rate,
        )));
    }
    let crowd = (!args.no_crowd)
        .then(|| rated_and_reveal_crowds(store, &profile.player, &pack, reveal.as_ref()));
    let mut app = App::new(&name, profile, pack, reveal, ui::theme::Theme::from_env())?
        .with_options(order, crowd);
    if args.read_only {
        app.read_only = true;
        app.status = Some(ui::app::Status {
            text: ui::strings::READ_ONLY_START.into(),
            kind: ui::app::StatusKind::Info,
        });
    }
    let mut outcome = ui::run(app, store, graphics)?;
    // The farewell names the revealed face: a pack's text, shown inert.
    if let Some(face) = &mut outcome.farewell.pick {
        *face = one_line(face).into_owned();
    }
    ui::print_farewell(&outcome, &resume);
    Ok(outcome
        .farewell
        .stopped
        .map_or(ExitCode::SUCCESS, |stop| ExitCode::from(stop.exit_code())))
}
