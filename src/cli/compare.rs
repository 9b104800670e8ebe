//! `mytype compare A B`: how alike two players' tastes are.

use super::common::{learnt, load_pack, one_line, print_json, RateMore};
use anyhow::Result;
use clap::Args;
use mytype::profile::ProfileStore;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CompareArgs {
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

/// A bar of `+` or `-`, ten per rating point, padded to ten columns.
fn bar(v: f64) -> String {
    let n = (v.abs() * 10.0).round().clamp(0.0, 20.0) as usize;
    if v >= 0.0 {
        format!("{:<10}", "+".repeat(n))
    } else {
        format!("{:<10}", "-".repeat(n))
    }
}

pub fn run(
    store: &ProfileStore,
    profiles_dir: Option<&Path>,
    args: CompareArgs,
) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let rate_more = RateMore {
        profiles_dir,
        pack: args.pack.as_deref(),
    };
    let (_, a) = learnt(store, &args.a, &pack, None, rate_more)?;
    let (_, b) = learnt(store, &args.b, &pack, None, rate_more)?;
    let cmp = mytype::game::party::compare(&a, &b, &pack);
    if args.json {
        print_json(&cmp)?;
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
        one_line(&args.a),
        one_line(&args.b),
        cmp.overlap
    );
    if !cmp.shared_likes.is_empty() {
        say!("Both like:");
        for t in cmp.shared_likes.iter().take(6) {
            say!("  {:<26} {} {}", one_line(&t.label()), bar(t.a), bar(t.b));
        }
    }
    if !cmp.differences.is_empty() {
        say!(
            "Where you split ({} | {}):",
            one_line(&args.a),
            one_line(&args.b)
        );
        for t in cmp.differences.iter().take(6) {
            say!("  {:<26} {} {}", one_line(&t.label()), bar(t.a), bar(t.b));
        }
    }
    Ok(ExitCode::SUCCESS)
}
