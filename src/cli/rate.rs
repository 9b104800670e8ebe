//! `mytype rate`: ratings read from stdin (`FACE_ID LEVEL` per line)
//! appended to a profile.

use super::common::{existing_or_new, load_pack};
use anyhow::{bail, Context, Result};
use clap::Args;
use mytype::core::words::count;
use mytype::profile::ProfileStore;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct RateArgs {
    /// Profile to add the ratings to (created by the first rating)
    #[arg(long)]
    profile: String,
    /// Pack the rated faces are in [default: $MYTYPE_PACK, else faces/default]
    #[arg(long, value_name = "DIR")]
    pack: Option<PathBuf>,
}

// Long because: moved from cli.rs as it was; the next commit splits it.
pub fn run(store: &ProfileStore, args: RateArgs) -> Result<ExitCode> {
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
