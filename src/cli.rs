//! Argument parsing and the headless commands. Errors become `anyhow` here.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use mytype::core::words::{count, plural, program_word, shell_word};
use mytype::eval::simulate::{self, CategoricalNb, LinfaBernoulli, OrdinalNb, RandomGuess};
use mytype::game::recommend::{crowd_scores, Recommendation, Recommender};
use mytype::model::crowd::CrowdScores;
use mytype::pack::{check_pack, generate, Pack};
use mytype::profile::{Profile, ProfileStore};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod docs;

/// Prints a line to stdout; a closed pipe (`| head`) ends the program quietly.
macro_rules! say {
    ($($arg:tt)*) => { write_out(format_args!($($arg)*)) };
}

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
struct Cli {
    /// Folder holding player profiles [default: $MYTYPE_PROFILES, else the XDG data dir]
    #[arg(long, global = true, value_name = "DIR")]
    profiles_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: the options of `mytype play`.
    #[command(flatten)]
    play: PlayArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Play the game in the terminal (the default command)
    Play(PlayArgs),
    /// Append ratings read from stdin (`FACE_ID LEVEL` per line) to a profile
    Rate(RateArgs),
    /// Print the face a profile will like most
    Recommend(RecommendArgs),
    /// List, show or remove profiles
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// Check, show or generate face packs
    #[command(subcommand)]
    Pack(PackCommand),
    /// Compare preference models on simulated players
    Simulate(SimulateArgs),
    /// Measure the preference models on real per-person ratings
    Bench(BenchArgs),
    /// How alike two players' tastes are
    Compare(CompareArgs),
    /// A shareable party card: the revealed face, "my type is ...", the reasons
    Card(CardArgs),
    /// Replay a saved profile in the terminal, rating by rating, up to the reveal
    Replay(ReplayArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell
    ///
    /// Install it, e.g.:
    ///   bash: mytype completions bash > ~/.local/share/bash-completion/completions/mytype
    ///   zsh:  mytype completions zsh > ~/.zfunc/_mytype  (with fpath+=~/.zfunc in ~/.zshrc)
    ///   fish: mytype completions fish > ~/.config/fish/completions/mytype.fish
    #[command(verbatim_doc_comment)]
    Completions(docs::CompletionsArgs),
    /// Print the manual page (roff): read it with `mytype man | man -l -`
    ///
    /// Install it with `mytype man > ~/.local/share/man/man1/mytype.1`.
    Man,
    /// Host a party over SSH: guests join with `ssh -p 2222 NAME@HOST`
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    serve: mytype::serve::ServeFlags,
}

#[derive(Args, Debug)]
struct ReplayArgs {
    /// Profile name, or the path of a profile file (`.ron`)
    #[arg(value_name = "NAME|FILE")]
    profile: String,
    /// Milliseconds between two ratings
    #[arg(long, value_name = "MS", default_value_t = 700, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    delay: u64,
    #[command(flatten)]
    packs: PackArgs,
    /// Image protocol: auto, kitty, sixel, iterm or halfblocks
    #[arg(long, default_value = "auto")]
    graphics: String,
}

/// The pack rated and, optionally, another to reveal a face from (play,
/// replay and card).
#[derive(Args, Debug, Default)]
struct PackArgs {
    /// Pack to rate, or that the profile rated [default: $MYTYPE_PACK, else
    /// ./faces/default, else the bundled pack]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
    /// Pack to reveal a face from [default: the rated pack]
    #[arg(long, value_name = "DIR")]
    reveal_pack: Option<PathBuf>,
}

impl PackArgs {
    /// The rated pack and the reveal pack, if one is given.
    fn load(&self) -> Result<(Pack, Option<Pack>)> {
        let pack = load_pack(self.pack.as_deref())?;
        let reveal = self
            .reveal_pack
            .as_deref()
            .map(|d| load_pack(Some(d)))
            .transpose()?;
        Ok((pack, reveal))
    }
}

#[derive(Args, Debug)]
struct CompareArgs {
    /// The first player's profile name
    a: String,
    /// The second player's profile name
    b: String,
    /// Pack both profiles rated [default: $MYTYPE_PACK, else ./faces/default, else the bundled pack]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
    /// Print the comparison as JSON (raw attribute names)
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct CardArgs {
    /// Profile name of the player whose card it is
    name: String,
    /// Write the card as a PNG
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    #[command(flatten)]
    packs: PackArgs,
    /// Pick without the crowd prior
    #[arg(long)]
    no_crowd: bool,
}

#[derive(Args, Debug)]
pub struct PlayArgs {
    /// Profile to play as [default: your login name]
    #[arg(long)]
    profile: Option<String>,
    #[command(flatten)]
    packs: PackArgs,
    /// Image protocol: auto, kitty, sixel, iterm or halfblocks
    #[arg(long, default_value = "auto")]
    graphics: String,
    /// Play without the profile's lock and never save (e.g. while another
    /// session has it)
    #[arg(long)]
    read_only: bool,
    /// Rank without the crowd prior (the pack's crowd scores and the other
    /// players' profiles in the profiles folder)
    #[arg(long)]
    no_crowd: bool,
    /// Order of the faces: adaptive (the most informative next) or pack
    #[arg(long, value_name = "ORDER", default_value = "adaptive")]
    order: String,
}

#[derive(Args, Debug)]
struct RateArgs {
    /// Profile to add the ratings to (created by the first rating)
    #[arg(long)]
    profile: String,
    /// Pack the rated faces are in [default: $MYTYPE_PACK, else faces/default]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct RecommendArgs {
    /// Profile whose type to tell
    #[arg(long)]
    profile: String,
    /// Pack the profile rated [default: $MYTYPE_PACK, else ./faces/default, else the bundled pack]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
    /// Pick from this pack's celebrities instead (shared attribute vocabulary)
    #[arg(long, value_name = "DIR")]
    from_pack: Option<PathBuf>,
    /// How many faces to list
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Rank without the crowd prior
    #[arg(long)]
    no_crowd: bool,
    /// Print the pick, the top faces and the reasons as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum ProfilesCommand {
    /// List saved profiles
    List {
        /// Print the list as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show one profile's ratings
    Show {
        /// Profile name
        name: String,
        /// Print the profile as JSON
        #[arg(long)]
        json: bool,
    },
    /// Delete a profile
    Rm {
        /// Profile name
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum PackCommand {
    /// Report every problem in a pack; exits non-zero on any error
    Check {
        /// Pack folder (the one holding pack.ron)
        dir: PathBuf,
    },
    /// Print a pack's attributes and faces
    Show {
        /// Pack folder (the one holding pack.ron)
        dir: PathBuf,
        /// Print the whole pack as JSON
        #[arg(long)]
        json: bool,
    },
    /// Build a pack from a folder of photos (faces, landmarks, attributes)
    Build(BuildArgs),
    /// Draw an illustrated pack with mytype's own generator
    Generate {
        /// Pack folder to write
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Random seed: the same seed draws the same faces
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many faces to rate (role `model`)
        #[arg(long, default_value_t = 50)]
        models: usize,
        /// How many faces to reveal (role `celebrity`)
        #[arg(long, default_value_t = 40)]
        celebrities: usize,
    },
}

#[derive(Args, Debug)]
struct BuildArgs {
    /// Folder of photos
    images: PathBuf,
    /// Pack folder to write
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// CSV with column `face` (file stem) and any of name, sex, age, ethnicity or canonical attributes
    #[arg(long, value_name = "CSV")]
    info: Option<PathBuf>,
    /// Role of every face
    #[arg(long, default_value = "both", value_parser = ["model", "celebrity", "both"])]
    role: String,
    /// dlib 68-point landmark model [default: $MYTYPE_LANDMARK_MODEL, else /usr/share/dlib/shape_predictor_68_face_landmarks.dat]
    #[arg(long, value_name = "PATH")]
    landmark_model: Option<PathBuf>,
    /// Pack name [default: the output folder's name]
    #[arg(long)]
    name: Option<String>,
    /// Fail when any image could not be used
    #[arg(long)]
    strict: bool,
}

#[derive(Args, Debug)]
struct BenchArgs {
    /// Pack of the rated faces (face ids as in the CSV)
    #[arg(long, value_name = "DIR")]
    pack: PathBuf,
    /// CSV `rater,face,rating` on any numeric scale
    #[arg(long, value_name = "CSV")]
    ratings: PathBuf,
    /// Ratings each model learns from, per rater (the rest are held out)
    #[arg(long, default_value_t = 50)]
    train: usize,
    /// Evaluate at most this many raters
    #[arg(long, default_value_t = 1000)]
    raters: usize,
    /// Random seed of the raters and training ratings drawn
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Average this many runs, with seeds SEED, SEED+1, ...
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100))]
    repeats: u64,
    /// Leave out the crowd prior
    #[arg(long)]
    no_crowd: bool,
    /// Skip the learning curves, which take most of the time (the models
    /// are then trained on other random draws)
    #[arg(long)]
    no_curves: bool,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct SimulateArgs {
    /// Pack to simulate on [default: $MYTYPE_PACK, else faces/default]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
    /// How many simulated players
    #[arg(long, default_value_t = 200)]
    players: usize,
    /// Random seed of the simulated players
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
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
        let play_ids: Vec<String> = PlayArgs::augment_args(clap::Command::new("play"))
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

pub fn run() -> Result<ExitCode> {
    let cli = parse_cli();
    let profiles_dir = cli.profiles_dir.as_deref();
    let store = || -> Result<ProfileStore> { Ok(ProfileStore::resolve(profiles_dir)?) };
    let result = dispatch(
        cli.command.unwrap_or(Command::Play(cli.play)),
        profiles_dir,
        &store,
    );
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

fn dispatch(
    command: Command,
    profiles_dir: Option<&Path>,
    store: &dyn Fn() -> Result<ProfileStore>,
) -> Result<ExitCode> {
    match command {
        Command::Play(args) => play(&store()?, profiles_dir, args),
        Command::Rate(args) => rate(&store()?, args),
        Command::Recommend(args) => recommend(&store()?, args),
        Command::Profiles(cmd) => profiles(&store()?, cmd),
        Command::Pack(cmd) => pack_command(cmd),
        Command::Simulate(args) => simulate_command(args),
        Command::Bench(args) => bench_command(args),
        Command::Compare(args) => compare_command(&store()?, args),
        Command::Card(args) => card_command(&store()?, args),
        Command::Replay(args) => replay_command(store, args, profiles_dir),
        Command::Completions(args) => docs::completions(&args),
        Command::Man => docs::man(),
        Command::Serve(args) => serve_command(&store()?, args),
    }
}

/// `mytype serve`: everything but the packs is the server's business.
fn serve_command(store: &ProfileStore, args: ServeArgs) -> Result<ExitCode> {
    let (pack, reveal) = args.packs.load()?;
    mytype::serve::command(store.clone(), pack, reveal, args.serve)?;
    Ok(ExitCode::SUCCESS)
}

fn load_pack(dir: Option<&Path>) -> Result<Pack> {
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None => mytype::default_pack_dir()?,
    };
    Pack::load(&dir).with_context(|| format!("cannot load the face pack in {}", dir.display()))
}

/// What `play` says when stdin or stdout is not a terminal.
const PLAY_NEEDS_TERMINAL: &str =
    "mytype play needs an interactive terminal; to rate from a script use `mytype rate`";

/// Whether stdin and stdout are both terminals: the game reads keys from one
/// and draws on the other.
fn interactive_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Says on stderr that a command needs a terminal (rather than writing
/// escape codes into a pipe) and fails, before anything touched the terminal.
fn needs_terminal(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "{message}");
    ExitCode::FAILURE
}

/// The exact command that plays this game again: the program as the player
/// started it, and every option that was not the default, shell-quoted.
/// Typed in the same shell (same folder, same environment), it resumes the
/// game where it was left.
fn play_command(profiles_dir: Option<&Path>, args: &PlayArgs, read_only: bool) -> String {
    let mut words = vec![program_word()];
    let mut option = |name: &str, value: Option<&std::ffi::OsStr>| {
        words.push(name.to_string());
        if let Some(value) = value {
            words.push(shell_word(value));
        }
    };
    if let Some(dir) = profiles_dir {
        option("--profiles-dir", Some(dir.as_os_str()));
    }
    if read_only {
        option("--read-only", None);
    }
    if let Some(name) = args
        .profile
        .as_deref()
        .filter(|n| *n != mytype::profile::default_player_name())
    {
        option("--profile", Some(name.as_ref()));
    }
    if let Some(pack) = &args.packs.pack {
        option("--pack", Some(pack.as_os_str()));
    }
    if let Some(pack) = &args.packs.reveal_pack {
        option("--reveal-pack", Some(pack.as_os_str()));
    }
    if args.graphics.trim() != "auto" {
        option("--graphics", Some(args.graphics.as_ref()));
    }
    if args.no_crowd {
        option("--no-crowd", None);
    }
    if args.order.trim() != "adaptive" {
        option("--order", Some(args.order.as_ref()));
    }
    words.join(" ")
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

fn play(store: &ProfileStore, profiles_dir: Option<&Path>, args: PlayArgs) -> Result<ExitCode> {
    use mytype::ui::{self, App, GraphicsChoice};
    let graphics: GraphicsChoice = args.graphics.parse().map_err(anyhow::Error::msg)?;
    let resume = play_command(profiles_dir, &args, args.read_only);
    let name = args
        .profile
        .clone()
        .unwrap_or_else(mytype::profile::default_player_name);
    mytype::profile::validate_name(&name)?;
    let _lock = if args.read_only {
        None
    } else {
        Some(store.lock(&name).map_err(|e| match e {
            mytype::profile::ProfileError::Locked { .. } => {
                let command = play_command(profiles_dir, &args, true);
                anyhow::Error::new(e).context(format!(
                    "the profile is open in another session; `{command}` plays it without saving"
                ))
            }
            e => e.into(),
        })?)
    };
    let (pack, reveal) = args.packs.load()?;
    let order: ui::app::Order = args.order.parse().map_err(anyhow::Error::msg)?;
    let profile = existing_or_new(store, &name, &pack)?;
    // Every argument and file is checked first: a script learns what is
    // wrong with them too.
    if !interactive_terminal() {
        return Ok(needs_terminal(PLAY_NEEDS_TERMINAL));
    }
    let crowd = (!args.no_crowd).then(|| crowd_of(store, &profile.player, &pack, reveal.as_ref()));
    let mut app = App::new(&name, profile, pack, reveal, ui::theme::Theme::from_env())?
        .with_options(order, crowd);
    if args.read_only {
        app.read_only = true;
        app.status = Some(ui::app::Status {
            text: ui::strings::READ_ONLY_START.into(),
            kind: ui::app::StatusKind::Info,
        });
    }
    let outcome = ui::run(app, store, graphics)?;
    if let Some(stop) = outcome.stopped {
        // The terminal may be gone (SIGHUP): write errors are ignored.
        let what = if args.read_only {
            format!("read-only, nothing saved (profile {})", outcome.profile)
        } else {
            format!(
                "saved {} of {} (profile {}); run `{resume}` to continue",
                outcome.rated,
                count(outcome.total, "rating", "ratings"),
                outcome.profile
            )
        };
        let _ = writeln!(std::io::stderr(), "mytype: {}: {what}", stop.name());
        return Ok(ExitCode::from(stop.exit_code()));
    }
    if args.read_only && outcome.reveal.is_none() {
        say!(
            "{}",
            ui::strings::read_only_done(&outcome.profile, outcome.rated, outcome.total)
        );
        return Ok(ExitCode::SUCCESS);
    }
    ui::print_farewell(&outcome, &resume);
    Ok(ExitCode::SUCCESS)
}

/// What `replay` says when stdin or stdout is not a terminal: for a saved
/// profile, the command that prints its ratings instead.
fn replay_needs_terminal(profile: &str, is_file: bool, profiles_dir: Option<&Path>) -> String {
    const NEEDS: &str = "mytype replay needs an interactive terminal";
    if is_file {
        return format!("{NEEDS}; the profile file itself is plain text");
    }
    let dir = profiles_dir
        .map(|d| format!(" --profiles-dir {}", shell_word(d.as_os_str())))
        .unwrap_or_default();
    format!(
        "{NEEDS}; to list the ratings from a script use `{}{dir} profiles show {}`",
        program_word(),
        shell_word(profile.as_ref())
    )
}

/// `mytype replay`: reads the profile (never writes or locks it) and replays it.
fn replay_command(
    store: &dyn Fn() -> Result<ProfileStore>,
    args: ReplayArgs,
    profiles_dir: Option<&Path>,
) -> Result<ExitCode> {
    use mytype::ui::replay::{self, Replay};
    use mytype::ui::{self, GraphicsChoice};
    let path = Path::new(&args.profile);
    let is_file = path.is_file()
        || args.profile.contains('/')
        || args.profile.contains(std::path::MAIN_SEPARATOR)
        || args.profile.ends_with(".ron");
    let graphics: GraphicsChoice = args.graphics.parse().map_err(anyhow::Error::msg)?;
    let (name, profile) = if is_file {
        let profile = mytype::profile::load_file(path)?;
        let name = if profile.player.trim().is_empty() {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| args.profile.clone())
        } else {
            profile.player.clone()
        };
        (name, profile)
    } else {
        mytype::profile::validate_name(&args.profile)?;
        (args.profile.clone(), store()?.load(&args.profile)?)
    };
    let (pack, reveal) = args.packs.load()?;
    ensure_same_pack(&profile, &pack)?;
    let replay = Replay::new(&name, &profile, pack, reveal, ui::theme::Theme::from_env())?;
    if replay.left_out() > 0 {
        eprintln!(
            "mytype: warning: left out {} of {} that pack `{}` does not rate",
            count(replay.left_out(), "rating", "ratings"),
            plural(replay.left_out(), "a face", "faces"),
            replay.pack().name()
        );
    }
    if !interactive_terminal() {
        return Ok(needs_terminal(&replay_needs_terminal(
            &args.profile,
            is_file,
            profiles_dir,
        )));
    }
    let delay = std::time::Duration::from_millis(args.delay);
    let (done, stopped) = replay::run(replay, delay, graphics)?;
    if let Some(stop) = stopped {
        // The terminal may be gone (SIGHUP): write errors are ignored.
        let _ = writeln!(
            std::io::stderr(),
            "mytype: {}: replay of {name} stopped (nothing to save)",
            stop.name()
        );
        return Ok(ExitCode::from(stop.exit_code()));
    }
    if done.finished {
        if let Some(rec) = &done.guess {
            say!("{}", ui::strings::replay_farewell(&name, &rec.pick.name));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn rate(store: &ProfileStore, args: RateArgs) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let _lock = store.lock(&args.profile)?;
    let mut profile = existing_or_new(store, &args.profile, &pack)?;
    // Lines are read on a thread, so SIGHUP/SIGTERM/SIGINT end the batch
    // (saved if it has no bad line) instead of the process.
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stdin());
    let mut stopped = None;
    let mut errors = Vec::new();
    let mut batch = Vec::new();
    for (n, event) in mytype::signals::StdinLines::start()?.enumerate() {
        let line = match event {
            mytype::signals::LineEvent::Signal(stop) => {
                stopped = Some(stop);
                break;
            }
            mytype::signals::LineEvent::Line(line) => line.context("cannot read stdin")?,
        };
        let (before, bad) = (batch.len(), errors.len());
        match mytype::core::rating::parse_rate_line(&line) {
            Ok(None) => {}
            Ok(Some((face, rating))) => match pack.face(&face) {
                None => errors.push(format!(
                    "line {}: unknown face `{face}` in pack `{}`",
                    n + 1,
                    pack.name()
                )),
                Some(f) if !f.role.is_rated() => errors.push(format!(
                    "line {}: face `{face}` is a {} and is not rated in pack `{}`",
                    n + 1,
                    f.role.as_str(),
                    pack.name()
                )),
                Some(_) => batch.push((face, rating)),
            },
            Err(why) => errors.push(format!("line {}: {why}", n + 1)),
        }
        if interactive {
            // Typed at a terminal: say what each line did (errors ignored:
            // the terminal may be hanging up).
            let note = match (batch.last(), errors.last()) {
                (_, Some(e)) if errors.len() > bad => format!("  ! {e}"),
                (Some((face, r)), _) if batch.len() > before => {
                    format!("  + {face}: {} ({} in this batch)", r.label(), batch.len())
                }
                _ => String::new(),
            };
            if !note.is_empty() {
                let _ = writeln!(std::io::stderr(), "{note}");
            }
        }
    }
    if let Some(stop) = stopped {
        let saved = if errors.is_empty() {
            for (face, rating) in &batch {
                profile.push(face, *rating);
            }
            store.save(&args.profile, &profile)?;
            batch.len()
        } else {
            0
        };
        let _ = writeln!(
            std::io::stderr(),
            "mytype: {}: saved {} to profile {}{}",
            stop.name(),
            count(saved, "rating", "ratings"),
            args.profile,
            if errors.is_empty() {
                ""
            } else {
                " (the batch had bad lines)"
            }
        );
        return Ok(ExitCode::from(stop.exit_code()));
    }
    if !errors.is_empty() {
        for e in &errors {
            let _ = writeln!(std::io::stderr(), "mytype: error: {e}");
        }
        bail!(
            "{}; nothing of this batch was saved",
            count(errors.len(), "bad line", "bad lines")
        );
    }
    for (face, rating) in &batch {
        profile.push(face, *rating);
    }
    store.save(&args.profile, &profile)?;
    // Not eprintln!: stdin may have ended because the terminal hung up.
    let _ = writeln!(
        std::io::stderr(),
        "saved {} to profile {} ({} in all)",
        count(batch.len(), "rating", "ratings"),
        args.profile,
        profile.ratings.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn existing_or_new(store: &ProfileStore, name: &str, pack: &Pack) -> Result<Profile> {
    match store.load_optional(name)? {
        Some(p) => {
            ensure_same_pack(&p, pack)?;
            Ok(p)
        }
        None => Ok(Profile::new(name, pack)),
    }
}

fn ensure_same_pack(profile: &Profile, pack: &Pack) -> Result<()> {
    if profile.pack.name != pack.name() {
        bail!(
            "profile {} rated pack `{}`, not `{}`: pass --pack with that pack",
            profile.player,
            profile.pack.name,
            pack.name()
        );
    }
    Ok(())
}

fn recommend(store: &ProfileStore, args: RecommendArgs) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let profile = store.load(&args.profile)?;
    ensure_same_pack(&profile, &pack)?;
    if profile.ratings.is_empty() {
        bail!(
            "profile {} has no ratings yet: rate some faces first",
            args.profile
        );
    }
    let reveal = args
        .from_pack
        .as_deref()
        .map(|d| load_pack(Some(d)))
        .transpose()?;
    let mut rec = Recommender::from_profile(&pack, reveal.as_ref(), &profile)?;
    if !args.no_crowd {
        let (rated, revealed) = crowd_of(store, &profile.player, &pack, reveal.as_ref());
        rec = rec.with_crowd(rated, revealed);
    }
    let same_pack = reveal.is_none();
    let result = rec.recommend(args.top, &|id| same_pack && profile.has_rated(id));
    let reveal_name = rec.reveal_pack().name().to_string();
    if args.json {
        say!(
            "{}",
            serde_json::to_string_pretty(&recommendation_json(
                &args.profile,
                &reveal_name,
                pack.name(),
                &result
            ))?
        );
    } else {
        print_recommendation(&reveal_name, &result);
    }
    Ok(ExitCode::SUCCESS)
}

fn recommendation_json(profile: &str, pack: &str, rated_pack: &str, r: &Recommendation) -> Value {
    let scored = |s: &mytype::game::recommend::Scored| json!({"id": s.id, "name": s.name, "score": s.score, "confidence": s.confidence});
    json!({
        "profile": profile,
        "pack": pack,
        "rated_pack": rated_pack,
        "ratings": r.ratings,
        "pick": scored(&r.pick),
        "top": r.top.iter().map(scored).collect::<Vec<_>>(),
        "because": r.because.iter().map(|b| json!({"attribute": b.attribute, "level": b.level, "weight": b.weight})).collect::<Vec<_>>(),
        "used_attributes": r.used_attributes,
        "crowd_weight": r.uses_crowd.then_some(r.blend.crowd_share()),
        "crowd_neighbours": r.uses_crowd.then_some(r.neighbours),
        "appeal_weight": r.blend.appeal,
        "looks_learnt": r.learnt_looks,
    })
}

fn print_recommendation(pack: &str, r: &Recommendation) {
    say!("You will like this one: {} ({})", r.pick.name, r.pick.id);
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
            .map(mytype::game::party::reason_text)
            .collect();
        say!("  because: {}", reasons.join(", "));
    }
    if r.uses_crowd && r.blend.crowd + r.blend.personal > 0.0 {
        say!(
            "  crowd prior: {:.0}% crowd ({} of them {} like you), {:.0}% your own ratings",
            r.blend.crowd_share() * 100.0,
            r.neighbours,
            plural(r.neighbours, "rates", "rate"),
            (1.0 - r.blend.crowd_share()) * 100.0
        );
    }
    if r.learnt_looks {
        say!(
            "  looks: learnt from your ratings on the face network's reading of each face, \
             beside appeal ({:+.2} per spread)",
            r.blend.appeal
        );
    } else if r.blend.appeal > 0.0 {
        say!(
            "  appeal: your ratings follow what most people find attractive ({:+.2} per spread)",
            r.blend.appeal
        );
    }
    say!("Top {} from pack {pack}:", r.top.len());
    for (i, s) in r.top.iter().enumerate() {
        say!("  {}. {:<28} {:.2}  ({})", i + 1, s.name, s.score, s.id);
    }
    say!("The AI says my type is {}.", r.pick.name);
}

fn profiles(store: &ProfileStore, cmd: ProfilesCommand) -> Result<ExitCode> {
    match cmd {
        ProfilesCommand::List { json } => {
            let names = store.list()?;
            let mut rows = Vec::new();
            for name in &names {
                match store.load(name) {
                    Ok(p) => rows.push(json!({"name": name, "pack": p.pack.name, "ratings": p.ratings.len(), "last": p.ratings.last().map(|r| r.time.clone())})),
                    Err(e) => rows.push(json!({"name": name, "error": e.to_string()})),
                }
            }
            if json {
                say!("{}", serde_json::to_string_pretty(&rows)?);
            } else if rows.is_empty() {
                say!("no profiles in {}", store.dir().display());
            } else {
                for row in rows {
                    match row.get("error") {
                        Some(e) => say!(
                            "{:<20} damaged: {}",
                            row["name"].as_str().unwrap_or(""),
                            e.as_str().unwrap_or("")
                        ),
                        None => {
                            let n = row["ratings"].as_u64().unwrap_or(0) as usize;
                            say!(
                                "{:<20} {n:>3} {:<8} pack {}",
                                row["name"].as_str().unwrap_or(""),
                                plural(n, "rating", "ratings"),
                                row["pack"].as_str().unwrap_or("")
                            )
                        }
                    }
                }
            }
        }
        ProfilesCommand::Show { name, json } => {
            let p = store.load(&name)?;
            if json {
                let value = json!({
                    "name": name,
                    "player": p.player,
                    "version": p.version,
                    "pack": {"name": p.pack.name, "hash": p.pack.hash},
                    "ratings": p.ratings.iter().map(|r| json!({"face": r.face, "level": r.level.value(), "label": r.level.label(), "time": r.time})).collect::<Vec<_>>(),
                });
                say!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                say!(
                    "profile {name} (player {}), pack {} [{}]",
                    p.player,
                    p.pack.name,
                    p.pack.hash
                );
                say!("{}:", count(p.ratings.len(), "rating", "ratings"));
                for r in &p.ratings {
                    say!(
                        "  {}  {:<8} {} {}",
                        r.time,
                        r.face,
                        r.level.value(),
                        r.level.label()
                    );
                }
            }
        }
        ProfilesCommand::Rm { name } => {
            store.remove(&name)?;
            eprintln!("removed profile {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn pack_command(cmd: PackCommand) -> Result<ExitCode> {
    match cmd {
        PackCommand::Check { dir } => {
            let report = check_pack(&dir);
            for d in &report.diagnostics {
                eprintln!("{d}");
            }
            let errors = report.errors();
            say!(
                "{}: {} ({} to rate, {} to reveal), {}, {}",
                dir.display(),
                count(report.faces, "face", "faces"),
                report.model_faces,
                report.candidate_faces,
                count(errors, "error", "errors"),
                count(report.warnings(), "warning", "warnings")
            );
            Ok(if errors == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        PackCommand::Show { dir, json } => {
            let pack =
                Pack::load(&dir).with_context(|| format!("cannot load pack {}", dir.display()))?;
            if json {
                say!("{}", serde_json::to_string_pretty(&pack_json(&pack))?);
            } else {
                let m = pack.manifest();
                say!("{} — {}", m.name, m.description);
                say!("licence: {}; {}", m.license, m.attribution);
                for a in &m.attributes {
                    say!("  {:<12} {}", a.name, a.levels.join(" < "));
                }
                for f in pack.faces() {
                    say!("  {:<8} {:<9} {}", f.id, f.role.as_str(), f.name);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PackCommand::Build(args) => build_command(args),
        PackCommand::Generate {
            out,
            seed,
            models,
            celebrities,
        } => {
            let opts = generate::GenerateOptions {
                seed,
                models,
                celebrities,
            };
            let manifest = generate::generate_pack(&out, &opts)?;
            eprintln!(
                "wrote {} to {}",
                count(manifest.faces.len(), "face", "faces"),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The `pack show --json` document.
fn pack_json(pack: &Pack) -> Value {
    let m = pack.manifest();
    let attributes: serde_json::Map<String, Value> = m
        .attributes
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                json!({"levels": a.levels, "description": a.description}),
            )
        })
        .collect();
    let faces: Vec<Value> = pack
        .faces()
        .iter()
        .map(|f| {
            let mut face = json!({
                "id": f.id,
                "name": f.name,
                "role": f.role.as_str(),
                "image": f.image,
                "attributes": f.attributes,
            });
            if let Some(c) = f.crowd {
                face["crowd"] = json!(c);
            }
            if let Some(points) = &f.landmarks {
                face["landmarks"] = json!(points.iter().map(|&(x, y)| [x, y]).collect::<Vec<_>>());
            }
            if let Some(a) = f.appeal {
                face["appeal"] = json!(a);
            }
            face
        })
        .collect();
    json!({
        "name": m.name,
        "version": m.version,
        "hash": pack.hash(),
        "description": m.description,
        "license": m.license,
        "attribution": m.attribution,
        "attributes": attributes,
        "faces": faces,
    })
}

fn simulate_command(args: SimulateArgs) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let opts = simulate::SimulationOptions {
        players: args.players,
        seed: args.seed,
        ..Default::default()
    };
    let random = RandomGuess { seed: args.seed };
    let report = simulate::simulate(
        &pack,
        &opts,
        &[&OrdinalNb, &CategoricalNb, &LinfaBernoulli, &random],
    );
    if args.json {
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        say!(
            "{}, {}, {} (pack {}, seed {})",
            count(report.players, "simulated player", "simulated players"),
            count(report.rated_faces, "rated face", "rated faces"),
            count(report.candidates, "candidate", "candidates"),
            pack.name(),
            args.seed
        );
        say!("| model | Spearman | pick percentile | pick in true top 5 |");
        say!("|---|---|---|---|");
        for (name, s) in &report.models {
            say!(
                "| {name} | {:.3} | {:.3} | {:.3} |",
                s.spearman,
                s.pick_percentile,
                s.top5_hit
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The crowd prior for a player: scores for the rated pack and for the
/// reveal pack (the same when there is none).
fn crowd_of(
    store: &ProfileStore,
    player: &str,
    pack: &Pack,
    reveal: Option<&Pack>,
) -> (CrowdScores, CrowdScores) {
    let rated = crowd_scores(pack, Some(store), player);
    let revealed = match reveal {
        Some(other) => crowd_scores(other, Some(store), player),
        None => rated.clone(),
    };
    (rated, revealed)
}

/// A profile's recommender on `pack` (which must be the pack it rated).
fn learnt(
    store: &ProfileStore,
    name: &str,
    pack: &Pack,
    reveal: Option<&Pack>,
) -> Result<(Profile, Recommender)> {
    let profile = store.load(name)?;
    ensure_same_pack(&profile, pack)?;
    if profile.ratings.is_empty() {
        bail!("profile {name} has no ratings yet: rate some faces first");
    }
    let rec = Recommender::from_profile(pack, reveal, &profile)?;
    Ok((profile, rec))
}

fn compare_command(store: &ProfileStore, args: CompareArgs) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let (_, a) = learnt(store, &args.a, &pack, None)?;
    let (_, b) = learnt(store, &args.b, &pack, None)?;
    let cmp = mytype::game::party::compare(&a, &b, &pack);
    if args.json {
        say!("{}", serde_json::to_string_pretty(&cmp)?);
        return Ok(ExitCode::SUCCESS);
    }
    let verdict = match cmp.overlap {
        o if o > 0.6 => "practically the same type",
        o if o > 0.3 => "similar tastes",
        o if o > -0.1 => "different tastes, some overlap",
        _ => "opposite tastes: no fights over the same person",
    };
    say!(
        "{} and {}: overlap {:+.2} ({verdict})",
        args.a,
        args.b,
        cmp.overlap
    );
    let bar = |v: f64| {
        let n = (v.abs() * 10.0).round().clamp(0.0, 20.0) as usize;
        if v >= 0.0 {
            format!("{:<10}", "+".repeat(n))
        } else {
            format!("{:<10}", "-".repeat(n))
        }
    };
    if !cmp.shared_likes.is_empty() {
        say!("Both like:");
        for t in cmp.shared_likes.iter().take(6) {
            say!("  {:<26} {} {}", t.label(), bar(t.a), bar(t.b));
        }
    }
    if !cmp.differences.is_empty() {
        say!("Where you split ({} | {}):", args.a, args.b);
        for t in cmp.differences.iter().take(6) {
            say!("  {:<26} {} {}", t.label(), bar(t.a), bar(t.b));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn card_command(store: &ProfileStore, args: CardArgs) -> Result<ExitCode> {
    let (pack, reveal) = args.packs.load()?;
    let (profile, rec) = learnt(store, &args.name, &pack, reveal.as_ref())?;
    // The same pick as the game's reveal: with the crowd prior unless asked not to.
    let rec = if args.no_crowd {
        rec
    } else {
        let (rated, revealed) = crowd_of(store, &profile.player, &pack, reveal.as_ref());
        rec.with_crowd(rated, revealed)
    };
    let same_pack = reveal.is_none();
    let result = rec.recommend(3, &|id| same_pack && profile.has_rated(id));
    let date = profile
        .ratings
        .last()
        .map(|r| r.time.chars().take(10).collect::<String>())
        .unwrap_or_default();
    let card = mytype::game::party::render_card(&args.name, &result, rec.reveal_pack(), &date)?;
    if let Some(path) = &args.png {
        card.save(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let config = viuer::Config {
            width: Some(40),
            absolute_offset: false,
            ..Default::default()
        };
        let _ = viuer::print(&image::DynamicImage::ImageRgba8(card), &config);
    }
    say!("{}'s type, {}", args.name, date);
    say!("The AI says my type is {}.", result.pick.name);
    let reasons: Vec<String> = result
        .because
        .iter()
        .take(3)
        .map(mytype::game::party::reason_text)
        .collect();
    if !reasons.is_empty() {
        say!("because: {}", reasons.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn build_command(args: BuildArgs) -> Result<ExitCode> {
    use mytype::pack::build::{build_pack, BuildOptions};
    use mytype::pack::Role;
    let role = match args.role.as_str() {
        "model" => Role::Model,
        "celebrity" => Role::Celebrity,
        _ => Role::Both,
    };
    let opts = BuildOptions {
        images: args.images.clone(),
        out: args.out.clone(),
        info: args.info.clone(),
        role,
        name: args.name.clone(),
        strict: args.strict,
    };
    let analyser = mytype::vision::photo::PhotoAnalyser::load(args.landmark_model.as_deref())?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let report = build_pack(&opts, Some(&analyser), &|n, total, file| {
        bar.set_length(total as u64);
        bar.set_position(n as u64);
        bar.set_message(file.to_string());
    })?;
    bar.finish_and_clear();
    for issue in &report.issues {
        eprintln!(
            "{}: {}: {}",
            if issue.kept { "warning" } else { "error" },
            issue.file,
            issue.message
        );
    }
    let rejected = report.issues.iter().filter(|i| !i.kept).count();
    if report.faces == 0 {
        bail!(
            "no usable image in {}: nothing was written",
            args.images.display()
        );
    }
    if args.strict && rejected > 0 {
        bail!(
            "{} could not be used (--strict): nothing was written",
            count(rejected, "image", "images")
        );
    }
    eprintln!(
        "wrote {} to {} ({} skipped)",
        count(report.faces, "face", "faces"),
        args.out.display(),
        count(rejected, "image", "images")
    );
    Ok(ExitCode::SUCCESS)
}

fn bench_command(args: BenchArgs) -> Result<ExitCode> {
    let pack = load_pack(Some(&args.pack))?;
    let file = mytype::eval::bench::read_ratings_file(&args.ratings)?;
    if let Some(first) = file.missing_lines.first() {
        eprintln!(
            "mytype: warning: {}: {} without a rating (empty or NA) left out, the first on line {first}",
            args.ratings.display(),
            count(file.missing_lines.len(), "row", "rows")
        );
    }
    let ratings = file.ratings;
    let opts = mytype::eval::bench::BenchOptions {
        train: args.train,
        raters: args.raters,
        seed: args.seed,
        crowd: !args.no_crowd,
        curves: !args.no_curves,
    };
    let report = mytype::eval::bench::run_repeated(&pack, &ratings, &opts, args.repeats as usize)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        say!(
            "{} evaluated, {} each (pack {}, seed {}{})",
            count(report.raters, "rater", "raters"),
            count(report.train, "training rating", "training ratings"),
            pack.name(),
            args.seed,
            if report.repeats > 1 {
                format!(
                    ", mean of {} runs with seeds {}..={}",
                    report.repeats,
                    args.seed,
                    args.seed + args.repeats - 1
                )
            } else {
                String::new()
            }
        );
        say!("| model | Spearman | reveal percentile | top-5 hit | Brier of \"% sure\" |");
        say!("|---|---|---|---|---|");
        for (name, m) in &report.models {
            say!(
                "| {name} | {:.3} | {:.3} | {:.3} | {} |",
                m.spearman,
                m.reveal_percentile,
                m.top5_hit,
                m.brier.map_or("–".to_string(), |b| format!("{b:.3}"))
            );
        }
        if !report.comparisons.is_empty() {
            let pairs = report
                .comparisons
                .values()
                .map(|c| c.pairs)
                .max()
                .unwrap_or(0);
            say!(
                "\nPaired differences over {} (± one standard error; runs share raters, so it is a little narrow)",
                count(pairs, "rater-run", "rater-runs")
            );
            say!("| model - baseline | Spearman | reveal percentile |");
            say!("|---|---|---|");
            for (name, c) in &report.comparisons {
                say!(
                    "| {name} | {:+.3} ± {:.3} | {:+.3} ± {:.3} |",
                    c.spearman.difference,
                    c.spearman.standard_error,
                    c.reveal_percentile.difference,
                    c.reveal_percentile.standard_error
                );
            }
        }
        if let Some(lc) = &report.learning_curves {
            let points: Vec<&String> = lc
                .curves
                .values()
                .next()
                .map(|c| c.keys().collect())
                .unwrap_or_default();
            let mut points: Vec<&String> = points;
            points.sort_by_key(|p| p.parse::<usize>().unwrap_or(0));
            say!(
                "\nLearning curves: reveal percentile after n ratings ({}, {} each)",
                count(lc.raters, "rater", "raters"),
                count(lc.test_faces, "held-out face", "held-out faces")
            );
            let head: Vec<String> = points.iter().map(|p| format!("n = {p}")).collect();
            say!("| model / order | {} |", head.join(" | "));
            say!("|---|{}", "---|".repeat(points.len()));
            for (name, curve) in &lc.curves {
                let cells: Vec<String> = points
                    .iter()
                    .map(|p| curve.get(*p).map_or("-".into(), |v| format!("{v:.3}")))
                    .collect();
                say!("| {name} | {} |", cells.join(" | "));
            }
            if let Some(last) = points.last().filter(|_| !lc.goal.is_empty()) {
                say!(
                    "\nGoal: adaptive order after {} ratings less random order after {last}, rater by rater (± one standard error)",
                    mytype::eval::bench::GOAL_ADAPTIVE_AFTER
                );
                say!("| model | reveal percentile |");
                say!("|---|---|");
                for (model, d) in &lc.goal {
                    say!(
                        "| {model} | {:+.3} ± {:.3} |",
                        d.difference,
                        d.standard_error
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
