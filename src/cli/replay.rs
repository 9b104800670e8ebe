//! `mytype replay NAME|FILE`: a saved profile replayed in the terminal,
//! rating by rating, up to the reveal. Reads the profile, never writes or
//! locks it.

use super::common::{ensure_same_pack, interactive_terminal, needs_terminal, one_line, PackArgs};
use anyhow::Result;
use clap::Args;
use mytype::core::words::{count, plural, shell_word};
use mytype::profile::ProfileStore;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Profile name, or the path of a profile file (`.ron`)
    #[arg(value_name = "NAME|FILE")]
    profile: String,
    /// Milliseconds between two ratings
    #[arg(long, value_name = "MS", default_value_t = 700, value_parser = |t: &str| super::values::whole_number(t, 1, 600_000))]
    delay: u64,
    #[command(flatten)]
    packs: PackArgs,
    /// Image protocol (auto: the best the terminal answers it can show)
    #[arg(long, default_value = "auto", ignore_case = true, value_parser = super::values::GraphicsValue)]
    graphics: String,
}

/// What `replay` says when stdin or stdout is not a terminal: for a saved
/// profile, the command that prints its ratings instead.
fn replay_needs_terminal(profile: &str, is_file: bool) -> String {
    const NEEDS: &str = "mytype replay needs an interactive terminal";
    if is_file {
        return format!("{NEEDS}; the profile file itself is plain text");
    }
    format!(
        "{NEEDS}; to list the ratings from a script use `{}`",
        super::command_to_type(&["profiles".as_ref(), "show".as_ref(), profile.as_ref()])
    )
}

pub fn run(store: &dyn Fn() -> Result<ProfileStore>, args: ReplayArgs) -> Result<ExitCode> {
    use mytype::ui::screens::replay::{self, Replay};
    use mytype::ui::{self, GraphicsChoice};
    // A signal during start-up ends the game cleanly once it runs.
    mytype::signals::hold(ui::runtime::START_HOLD);
    let graphics: GraphicsChoice = args.graphics.parse().map_err(anyhow::Error::msg)?;
    let (is_file, name, profile) = replayed_profile(&args.profile, store)?;
    let (pack, reveal) = args
        .packs
        .load_to_play(&format!("replay {}", shell_word(args.profile.as_ref())))?;
    ensure_same_pack(&profile, &pack)?;
    let replay = Replay::new(&name, &profile, pack, reveal, ui::theme::Theme::from_env())?;
    if replay.left_out() > 0 {
        eprintln!(
            "mytype: warning: left out {} of {} that pack `{}` does not rate",
            count(replay.left_out(), "rating", "ratings"),
            plural(replay.left_out(), "a face", "faces"),
            one_line(replay.pack().name())
        );
    }
    if !interactive_terminal() {
        return Ok(needs_terminal(&replay_needs_terminal(
            &args.profile,
            is_file,
        )));
    }
    if let Some(refused) = refuse_unusable_term(&args, is_file) {
        return Ok(refused);
    }
    let delay = std::time::Duration::from_millis(args.delay);
    let (done, stopped) = replay::run(replay, delay, graphics)?;
    if let Some(stop) = stopped {
        // The terminal may be gone (SIGHUP): write errors are ignored.
        let _ = writeln!(
            std::io::stderr(),
            "{} The replay of {name} only read the profile: nothing to save.",
            ui::strings::stopped_by(stop.name(), stop.meaning())
        );
        return Ok(ExitCode::from(stop.exit_code()));
    }
    if done.finished {
        if let Some(rec) = done.pick() {
            say!(
                "{}",
                ui::strings::replay_farewell(&name, &one_line(&rec.pick.name))
            );
        } else {
            say!(
                "{}",
                ui::strings::replay_not_enough(
                    &name,
                    done.rated_faces(),
                    mytype::core::tuning::MIN_RATINGS_TO_REVEAL
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The profile to replay, named or given as a file: whether it is a file,
/// the player's name as shown, and the profile.
fn replayed_profile(
    profile: &str,
    store: &dyn Fn() -> Result<ProfileStore>,
) -> Result<(bool, String, mytype::profile::Profile)> {
    let path = Path::new(profile);
    let is_file = path.is_file()
        || profile.contains('/')
        || profile.contains(std::path::MAIN_SEPARATOR)
        || profile.ends_with(".ron");
    if !is_file {
        mytype::profile::validate_name(profile)?;
        return Ok((false, profile.to_string(), store()?.load(profile)?));
    }
    let loaded = mytype::profile::load_file(path)?;
    let name = if loaded.player.trim().is_empty() {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| profile.to_string())
    } else {
        loaded.player.clone()
    };
    // A file's player name is someone else's text: shown, never obeyed.
    Ok((true, one_line(&name).into_owned(), loaded))
}

/// `replay` refused in a terminal `TERM` says cannot draw it
/// ([`mytype::ui::terminal::full_screen::unusable_term`]): the message, and the failure.
fn refuse_unusable_term(args: &ReplayArgs, is_file: bool) -> Option<ExitCode> {
    let why = mytype::ui::terminal::full_screen::unusable_term()?;
    let mut words: Vec<&std::ffi::OsStr> = vec!["replay".as_ref(), args.profile.as_ref()];
    for (flag, dir) in [
        ("--pack", &args.packs.pack),
        ("--reveal-pack", &args.packs.reveal_pack),
    ] {
        if let Some(dir) = dir {
            words.extend([flag.as_ref(), dir.as_os_str()]);
        }
    }
    let again = super::command_to_type(&words);
    let instead = replay_needs_terminal(&args.profile, is_file);
    let instead = instead.split_once("; ").map_or("", |(_, s)| s).to_string();
    Some(needs_terminal(&mytype::ui::strings::unusable_terminal(
        why, &again, &instead,
    )))
}
