//! `mytype rate`: ratings read from stdin (`FACE_ID LEVEL` per line)
//! appended to a profile.
//!
//! Piped input is one batch, all or nothing: saved at its end (or on a
//! signal) when no line was bad. Typed at a terminal, every line is saved
//! before it is acknowledged, so a dropped connection (SIGHUP, or `EIO`
//! when the terminal is gone) loses nothing that was shown as taken; the
//! command then exits 129 as for SIGHUP.

mod input;

use super::common::{existing_or_new, load_pack};
use anyhow::{bail, Context, Result};
use clap::Args;
use input::{shorten, Input, Lines};
use mytype::core::rating::{parse_rate_line, RateLineError, Rating};
use mytype::core::sanitize::one_line;
use mytype::core::words::count;
use mytype::pack::Pack;
use mytype::profile::{Profile, ProfileStore};
use mytype::signals::Stop;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Most ratings one piped batch holds; a longer input is refused (split it).
pub const MAX_BATCH: usize = 10_000;

/// Bad lines whose message is kept for the end of a piped batch; the rest
/// are counted.
const MAX_ERRORS_SHOWN: usize = 20;

#[derive(Args, Debug)]
pub struct RateArgs {
    /// Profile to add the ratings to (created by the first rating)
    #[arg(long)]
    profile: String,
    /// Pack the rated faces are in [default: $MYTYPE_PACK, else
    /// ./faces/default, else the bundled pack]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
}

/// Writes a line to stderr, ignoring errors: the terminal may be hanging up.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// One run of `rate`: the profile, and what the lines did to it.
struct Rater<'a> {
    store: &'a ProfileStore,
    name: &'a str,
    pack: &'a Pack,
    profile: Profile,
    /// Typed at a terminal: each line is saved as it comes.
    interactive: bool,
    /// Piped input's ratings, saved at the end.
    batch: Vec<(String, Rating)>,
    /// Ratings saved so far (typed input).
    saved: usize,
    bad: usize,
    /// The first bad lines' messages (piped input repeats them at the end).
    errors: Vec<String>,
}

pub fn run(store: &ProfileStore, args: RateArgs) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let _lock = store.lock(&args.profile)?;
    let profile = existing_or_new(store, &args.profile, &pack)?;
    let mut rater = Rater {
        store,
        name: &args.profile,
        pack: &pack,
        profile,
        interactive: std::io::IsTerminal::is_terminal(&std::io::stdin()),
        batch: Vec::new(),
        saved: 0,
        bad: 0,
        errors: Vec::new(),
    };
    if rater.interactive {
        note(&typing_help(&pack));
    }
    let mut n = 0;
    for event in Lines::start()? {
        match event {
            Input::Line(line) => {
                n += 1;
                rater.take(n, line)?;
            }
            Input::Signal(stop) => return rater.stopped(stop.name(), stop),
            // A terminal that is gone reads as EIO: a hang-up.
            Input::Failed(e) if rater.interactive && e.raw_os_error() == Some(eio()) => {
                return rater.stopped("the terminal hung up", Stop(HANGUP));
            }
            Input::Failed(e) => return Err(e).context("cannot read stdin"),
        }
    }
    rater.finish()
}

/// SIGHUP's number.
const HANGUP: i32 = signal_hook::consts::SIGHUP;

fn eio() -> i32 {
    rustix::io::Errno::IO.raw_os_error()
}

impl Rater<'_> {
    /// Line `n`: checked, then saved (typed) or added to the batch (piped).
    fn take(&mut self, n: usize, line: Result<String, input::BadLine>) -> Result<()> {
        let rating = match self.check(n, line) {
            Ok(None) => return Ok(()),
            Ok(Some(rating)) => rating,
            Err(e) => {
                self.bad += 1;
                if self.interactive {
                    note(&format!("  ! {e}"));
                } else if self.errors.len() < MAX_ERRORS_SHOWN {
                    self.errors.push(e);
                }
                return Ok(());
            }
        };
        if !self.interactive {
            self.batch.push(rating);
            return Ok(());
        }
        let (face, level) = rating;
        self.profile.push(&face, level);
        self.store
            .save(self.name, &self.profile)
            .with_context(|| format!("line {n} was not saved"))?;
        self.saved += 1;
        note(&format!(
            "  + {face}: {} ({} so far), saved",
            level.label(),
            self.saved
        ));
        Ok(())
    }

    /// Line `n` as a rating of a face of the pack, `None` for a blank line
    /// or comment, or what is wrong with it (safe to print).
    fn check(
        &self,
        n: usize,
        line: Result<String, input::BadLine>,
    ) -> Result<Option<(String, Rating)>, String> {
        let line = line.map_err(|bad| format!("line {n}: {bad}"))?;
        let (face, rating) = match parse_rate_line(&line) {
            Ok(None) => return Ok(None),
            Ok(Some(rated)) => rated,
            Err(why) => return Err(format!("line {n}: {}", short(why))),
        };
        let pack = one_line(self.pack.name());
        match self.pack.face(&face) {
            None => Err(format!(
                "line {n}: unknown face `{}` in pack `{pack}`",
                shorten(&face)
            )),
            Some(f) if !f.role.is_rated() => Err(format!(
                "line {n}: face `{}` is only revealed (role `{}`), not rated, in pack `{pack}`",
                shorten(&face),
                f.role.as_str(),
            )),
            Some(_) if !self.interactive && self.batch.len() >= MAX_BATCH => Err(format!(
                "line {n}: more than {MAX_BATCH} ratings in one batch: split the input"
            )),
            Some(_) => Ok(Some((face, rating))),
        }
    }

    /// A signal or a hang-up ended the input: piped, the batch is saved if
    /// it had no bad line; typed, everything taken is saved already.
    fn stopped(mut self, why: &str, stop: Stop) -> Result<ExitCode> {
        if !self.interactive && self.bad == 0 {
            self.save_batch()?;
        }
        let left_out = match (self.bad, self.interactive) {
            (0, _) => String::new(),
            (_, false) => " (the batch had bad lines)".into(),
            (bad, true) => format!(" ({} not saved)", count(bad, "bad line", "bad lines")),
        };
        note(&format!(
            "mytype: {why}: saved {} to profile {}{left_out}",
            count(self.saved, "rating", "ratings"),
            self.name,
        ));
        Ok(ExitCode::from(stop.exit_code()))
    }

    /// The input ended.
    fn finish(mut self) -> Result<ExitCode> {
        if !self.interactive && self.bad > 0 {
            for e in &self.errors {
                note(&format!("mytype: error: {e}"));
            }
            if self.bad > self.errors.len() {
                let more = self.bad - self.errors.len();
                note(&format!(
                    "mytype: error: and {} more",
                    count(more, "bad line", "bad lines")
                ));
            }
            bail!(
                "{}; nothing of this batch was saved",
                count(self.bad, "bad line", "bad lines")
            );
        }
        self.save_batch()?;
        let saved = format!(
            "saved {} to profile {} ({} in all)",
            count(self.saved, "rating", "ratings"),
            self.name,
            self.profile.ratings.len()
        );
        if self.bad > 0 {
            bail!(
                "{} not saved (shown above); {saved}",
                count(self.bad, "bad line was", "bad lines were")
            );
        }
        note(&capitalised(&saved));
        Ok(ExitCode::SUCCESS)
    }

    /// Saves piped input's batch (an empty one too: `rate` creates the
    /// profile). Typed input has none: each line was saved as it came.
    fn save_batch(&mut self) -> Result<()> {
        if self.interactive {
            return Ok(());
        }
        for (face, rating) in &self.batch {
            self.profile.push(face, *rating);
        }
        self.store.save(self.name, &self.profile)?;
        self.saved += std::mem::take(&mut self.batch).len();
        Ok(())
    }
}

/// What `rate` says first when the ratings are typed at a terminal: the
/// line it reads, with a face of this pack as the example.
fn typing_help(pack: &Pack) -> String {
    let example = pack
        .faces()
        .iter()
        .find(|f| f.role.is_rated())
        .map_or("m001".into(), |f| shorten(&f.id));
    format!(
        "Type one rating a line, `FACE_ID LEVEL` (LEVEL: 1 for Very weak to 5 for Type, or \
         its name),\ne.g. `{example} 5` or `{example} Slightly like`. Ctrl-D when done."
    )
}

/// `text` with its first letter upper-case, to start a line.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A parse error repeating only the start of what was typed.
fn short(why: RateLineError) -> String {
    match why {
        RateLineError::Shape(text) => RateLineError::Shape(shorten(&text)),
        RateLineError::Level(text) => RateLineError::Level(shorten(&text)),
    }
    .to_string()
}
