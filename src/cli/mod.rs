//! The command line: the clap definitions and the dispatch here, one file
//! per command beside it. Errors become `anyhow` at this edge; the library
//! below reports `thiserror` types.

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use mytype::core::words::{program_word, shell_word};
use mytype::profile::ProfileStore;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Prints a line to stdout; a closed pipe (`| head`) ends the program quietly.
macro_rules! say {
    ($($arg:tt)*) => { $crate::cli::write_out(format_args!($($arg)*)) };
}

mod bench;
mod card;
mod common;
mod compare;
mod completions;
mod man;
mod pack;
mod play;
mod profiles;
mod rate;
mod recommend;
mod replay;
mod serve;
mod simulate;
mod values;

fn write_out(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|_| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("mytype: error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "mytype",
    version,
    about = "Rate faces; a naive-Bayes model tells you who your type is.",
    long_about = "Rate about fifty faces (Type, Slightly like, Normal, Slightly weak, Very weak) \
                  and mytype's naive-Bayes model reveals the face you will like most.\n\
                  With no command, starts the game (same as `mytype play`)."
)]
pub struct Cli {
    /// Folder holding player profiles [default: $MYTYPE_PROFILES, else
    /// ~/.local/share/mytype/profiles, or under $XDG_DATA_HOME when set]
    #[arg(long, global = true, value_name = "DIR")]
    profiles_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: the options of `mytype play`.
    #[command(flatten)]
    play: play::PlayArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Play the game in the terminal (the default command)
    Play(play::PlayArgs),
    /// Append ratings read from stdin (`FACE_ID LEVEL` per line) to a profile
    Rate(rate::RateArgs),
    /// Print the face a profile will like most
    Recommend(recommend::RecommendArgs),
    /// List, show or remove profiles
    #[command(subcommand)]
    Profiles(profiles::ProfilesCommand),
    /// Check, show, build or generate face packs
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// Compare preference models on simulated players
    Simulate(simulate::SimulateArgs),
    /// Measure the preference models on real per-person ratings
    Bench(bench::BenchArgs),
    /// How alike two players' tastes are
    Compare(compare::CompareArgs),
    /// A shareable party card: the revealed face, "my type is ...", the reasons
    Card(card::CardArgs),
    /// Replay a saved profile in the terminal, rating by rating, up to the reveal
    Replay(replay::ReplayArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell
    ///
    /// Install it, e.g.:
    ///   bash: mytype completions bash > ~/.local/share/bash-completion/completions/mytype
    ///   zsh:  mytype completions zsh > ~/.zfunc/_mytype  (with fpath+=~/.zfunc in ~/.zshrc)
    ///   fish: mytype completions fish > ~/.config/fish/completions/mytype.fish
    #[command(verbatim_doc_comment)]
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff): read it with `mytype man | man -l -`
    ///
    /// Install it with `mytype man > ~/.local/share/man/man1/mytype.1`.
    Man,
    /// Host a party over SSH: guests join with `ssh -p 2222 NAME@HOST`
    Serve(serve::ServeArgs),
}

/// An error and its causes on one line, `outer: inner: …`, as `{:#}` prints
/// them, but leaving out a cause whose text the message before already ends
/// with: the library's errors name their cause in their own message (so a
/// plain `{}` says why) and also return it as their source.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// The parsed command line. Options of `play` given before another command
/// (`mytype --profile ana rate …`) are refused rather than silently ignored.
fn parse_cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = Cli::command();
    let matches = command.get_matches_mut();
    if let Some((sub, _)) = matches.subcommand() {
        let play_ids: Vec<String> = play::PlayArgs::augment_args(clap::Command::new("play"))
            .get_arguments()
            .map(|a| a.get_id().to_string())
            .collect();
        let misplaced = play_ids.iter().find(|id| {
            matches.value_source(id.as_str()) == Some(clap::parser::ValueSource::CommandLine)
        });
        if let Some(id) = misplaced {
            command
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "--{} is an option of `mytype play`: put it after `{sub}` if that command takes it",
                        id.replace('_', "-")
                    ),
                )
                .exit();
        }
    }
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// `--profiles-dir` as given, for the commands messages tell people to type.
static PROFILES_DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

/// A command to tell the player to type: this program as they started it,
/// `--profiles-dir` when they gave it, then `args`, each shell-quoted.
pub fn command_to_type(args: &[&std::ffi::OsStr]) -> String {
    let mut words = vec![program_word()];
    if let Some(dir) = PROFILES_DIR.get().and_then(Option::as_deref) {
        words.extend(["--profiles-dir".to_string(), shell_word(dir.as_os_str())]);
    }
    words.extend(args.iter().map(|a| shell_word(a)));
    words.join(" ")
}

pub fn run() -> Result<ExitCode> {
    let cli = parse_cli();
    let profiles_dir = PROFILES_DIR
        .get_or_init(|| cli.profiles_dir.clone())
        .as_deref();
    let store = || -> Result<ProfileStore> { Ok(ProfileStore::resolve(profiles_dir)?) };
    let result = dispatch(cli.command.unwrap_or(Command::Play(cli.play)), &store);
    // A damaged profile: say exactly how to remove it.
    result.map_err(|e| {
        let damaged = e.chain().find_map(|c| match c.downcast_ref() {
            Some(mytype::profile::ProfileError::Parse { path, .. }) => Some(path.clone()),
            _ => None,
        });
        match damaged.and_then(|p| remove_command(profiles_dir, &store().ok()?, &p)) {
            Some(command) => anyhow::anyhow!("{}\nTo remove it: `{command}`", error_text(&e)),
            None => e,
        }
    })
}

fn dispatch(command: Command, store: &dyn Fn() -> Result<ProfileStore>) -> Result<ExitCode> {
    match command {
        Command::Play(args) => play::run(&store()?, args),
        Command::Rate(args) => rate::run(&store()?, args),
        Command::Recommend(args) => recommend::run(&store()?, args),
        Command::Profiles(cmd) => profiles::run(&store()?, cmd),
        Command::Pack(cmd) => pack::run(cmd),
        Command::Simulate(args) => simulate::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Compare(args) => compare::run(&store()?, args),
        Command::Card(args) => card::run(&store()?, args),
        Command::Replay(args) => replay::run(store, args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => man::man(),
        Command::Serve(args) => serve::run(&store()?, args),
    }
}

/// The exact command that removes the damaged profile `path` from the
/// profiles folder, if that is where it is.
fn remove_command(
    profiles_dir: Option<&Path>,
    store: &ProfileStore,
    path: &Path,
) -> Option<String> {
    if path.parent()? != store.dir() {
        return None;
    }
    let name = path.file_stem()?;
    let mut words = vec![program_word()];
    if let Some(dir) = profiles_dir {
        words.extend(["--profiles-dir".to_string(), shell_word(dir.as_os_str())]);
    }
    words.extend(["profiles".into(), "rm".into(), shell_word(name)]);
    Some(words.join(" "))
}
