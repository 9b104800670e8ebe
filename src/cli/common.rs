//! What several commands share: loading packs and profiles, the crowd
//! prior, and saying that a command needs a terminal.

use anyhow::{bail, Context, Result};
use clap::Args;
use mytype::core::tuning::MIN_RATINGS_TO_REVEAL;
use mytype::core::words::count;
use mytype::game::recommend::{rated_faces, Recommender};
use mytype::pack::Pack;
use mytype::profile::{Profile, ProfileStore};

pub use mytype::core::sanitize::{one_line, visible};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The pack rated and, optionally, another to reveal a face from (play,
/// replay and card).
#[derive(Args, Debug, Default)]
pub struct PackArgs {
    /// Pack to rate, or that the profile rated [default: $MYTYPE_PACK, else
    /// ./faces/default, else the bundled pack]
    #[arg(long, value_name = "DIR")]
    pub pack: Option<PathBuf>,
    /// Pack to reveal a face from [default: the rated pack]
    #[arg(long, value_name = "DIR")]
    pub reveal_pack: Option<PathBuf>,
}

impl PackArgs {
    /// The rated pack and the reveal pack, if one is given.
    pub fn load(&self) -> Result<(Pack, Option<Pack>)> {
        let pack = load_pack(self.pack.as_deref())?;
        let reveal = self
            .reveal_pack
            .as_deref()
            .map(|d| load_pack(Some(d)))
            .transpose()?;
        Ok((pack, reveal))
    }
}

impl PackArgs {
    /// [`PackArgs::load`] for a game (`play`, `replay`, `serve`): the rated
    /// pack must have faces to rate. A pack of faces to reveal only is
    /// refused with the command that uses it as one; `command` is the
    /// subcommand's words before the options (`""` for `play`, `"replay
    /// ana"`).
    pub fn load_to_play(&self, command: &str) -> Result<(Pack, Option<Pack>)> {
        let (pack, reveal) = self.load()?;
        if pack.model_faces().next().is_none() {
            let (dir, _) = pack_dir(self.pack.as_deref())?;
            let words: Vec<String> = [mytype::core::words::program_word()]
                .into_iter()
                .chain((!command.is_empty()).then(|| command.to_string()))
                .chain([
                    "--reveal-pack".into(),
                    mytype::core::words::shell_word(dir.as_os_str()),
                ])
                .collect();
            bail!(
                "pack `{}` in {} has no faces to rate, only faces to reveal: rate the bundled \
                 faces and reveal from this pack with `{}`",
                one_line(pack.name()),
                one_line(&dir.display().to_string()),
                words.join(" ")
            );
        }
        Ok((pack, reveal))
    }
}

/// The pack folder a command uses: `dir` when given, else the pack `mytype`
/// plays ([`mytype::default_pack`]) and where that choice came from.
pub fn pack_dir(dir: Option<&Path>) -> Result<(PathBuf, Option<mytype::PackOrigin>)> {
    Ok(match dir {
        Some(dir) => (dir.to_path_buf(), None),
        None => {
            let (dir, origin) = mytype::default_pack()?;
            (dir, Some(origin))
        }
    })
}

pub fn load_pack(dir: Option<&Path>) -> Result<Pack> {
    let (dir, _) = pack_dir(dir)?;
    Pack::load(&dir).with_context(|| format!("cannot load the face pack in {}", dir.display()))
}

/// Prints `value` as pretty JSON on stdout. serde_json escapes the C0
/// controls; DEL, the C1 controls and the bidirectional overrides are
/// escaped here too (`\u009b`), so no string in it can drive a terminal.
/// Those characters only occur inside JSON strings, where the escape
/// means the same character.
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    if !text.contains(json_escaped) {
        say!("{text}");
        return Ok(());
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if json_escaped(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    say!("{out}");
    Ok(())
}

/// What [`print_json`] escapes beyond serde_json: DEL, C1 controls, and
/// bidirectional embeddings, overrides and isolates.
fn json_escaped(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether stdin and stdout are both terminals: the game reads keys from one
/// and draws on the other.
pub fn interactive_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Says on stderr that a command needs a terminal (rather than writing
/// escape codes into a pipe) and fails, before anything touched the terminal.
pub fn needs_terminal(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "{message}");
    ExitCode::FAILURE
}

pub fn existing_or_new(store: &ProfileStore, name: &str, pack: &Pack) -> Result<Profile> {
    match store.load_optional(name)? {
        Some(p) => {
            ensure_same_pack(&p, pack)?;
            Ok(p)
        }
        None => Ok(Profile::new(name, pack)),
    }
}

pub fn ensure_same_pack(profile: &Profile, pack: &Pack) -> Result<()> {
    if profile.pack.name != pack.name() {
        bail!("{}", other_pack_message(profile, pack.name()));
    }
    Ok(())
}

/// Why a profile can't go on with `pack`, and what to do: the bundled pack
/// has no folder to pass, so for it the fix is to leave `--pack` out.
fn other_pack_message(profile: &Profile, pack_name: &str) -> String {
    let rated = &profile.pack.name;
    let fix = if mytype::pack::bundled::is_bundled(rated, &profile.pack.hash) {
        "that is the bundled pack: leave out --pack (and unset MYTYPE_PACK)".to_string()
    } else {
        format!("pass --pack with the folder of pack `{}`", one_line(rated))
    };
    format!(
        "profile {} rated pack `{}`, not `{}`: {fix}",
        one_line(&profile.player),
        one_line(rated),
        one_line(pack_name)
    )
}

/// The game on this profile (and the pack given on the command line, if
/// one was): `mytype --profile NAME …`, for a refusal to tell.
fn command_that_plays(name: &str, pack_arg: Option<&Path>) -> String {
    let mut args: Vec<&std::ffi::OsStr> = vec!["--profile".as_ref(), name.as_ref()];
    if let Some(pack) = pack_arg {
        args.extend(["--pack".as_ref(), pack.as_os_str()]);
    }
    super::command_to_type(&args)
}

/// The one rule for how many ratings a pick needs (the game's minimum for
/// `r`): below it, a plain refusal with the count, the minimum and the
/// command that rates more.
pub fn ensure_enough_ratings(
    name: &str,
    profile: &Profile,
    pack: &Pack,
    pack_arg: Option<&Path>,
) -> Result<()> {
    let have = rated_faces(profile, pack);
    if have == 0 {
        bail!(
            "profile {} has no ratings yet: play first with `{}`",
            one_line(name),
            command_that_plays(name, pack_arg)
        );
    }
    if have < MIN_RATINGS_TO_REVEAL {
        bail!(
            "{} has rated {} so far; a pick needs at least {MIN_RATINGS_TO_REVEAL}: \
             rate {} more with `{}`",
            one_line(name),
            count(have, "face", "faces"),
            MIN_RATINGS_TO_REVEAL - have,
            command_that_plays(name, pack_arg)
        );
    }
    Ok(())
}

/// A profile's recommender on `pack` (which must be the pack it rated,
/// given as `pack_arg` if it was), once it has the ratings a pick needs.
pub fn learnt(
    store: &ProfileStore,
    name: &str,
    pack: &Pack,
    reveal: Option<&Pack>,
    pack_arg: Option<&Path>,
) -> Result<(Profile, Recommender)> {
    let profile = store.load(name)?;
    ensure_same_pack(&profile, pack)?;
    ensure_enough_ratings(name, &profile, pack, pack_arg)?;
    let rec = Recommender::from_profile(pack, reveal, &profile)?;
    Ok((profile, rec))
}
