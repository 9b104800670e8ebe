//! `mytype compare A B`: how alike two players' tastes are.

use super::common::{learnt, load_pack, one_line, print_json};
use anyhow::Result;
use clap::Args;
use mytype::game::compare::{LevelTaste, Verdict};
use mytype::profile::ProfileStore;
use std::path::PathBuf;
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

/// A bar of `+` or `-`, ten per rating point (at most twenty).
fn bar(v: f64) -> String {
    let n = (v.abs() * 10.0).round().clamp(0.0, 20.0) as usize;
    if v >= 0.0 {
        "+".repeat(n)
    } else {
        "-".repeat(n)
    }
}

/// The rows of both lists, the first player's bars padded to the longest
/// of them (ten columns at least), so the second player's bars line up.
fn rows(lists: [&[LevelTaste]; 2]) -> [Vec<String>; 2] {
    let shown = |list: &[LevelTaste]| list.iter().take(6).cloned().collect::<Vec<_>>();
    let [likes, splits] = lists.map(shown);
    let width = likes
        .iter()
        .chain(&splits)
        .map(|t| bar(t.a).len())
        .max()
        .unwrap_or(0)
        .max(10);
    let row = |t: &LevelTaste| {
        format!(
            "  {:<26} {:<width$} {}",
            one_line(&t.label()),
            bar(t.a),
            bar(t.b)
        )
    };
    [
        likes.iter().map(row).collect(),
        splits.iter().map(row).collect(),
    ]
}

pub fn run(store: &ProfileStore, args: CompareArgs) -> Result<ExitCode> {
    let pack = load_pack(args.pack.as_deref())?;
    let pack_arg = args.pack.as_deref();
    let (_, a) = learnt(store, &args.a, &pack, None, pack_arg)?;
    let (_, b) = learnt(store, &args.b, &pack, None, pack_arg)?;
    let cmp = mytype::game::compare::compare(&a, &b, &pack);
    if args.json {
        print_json(&cmp)?;
        return Ok(ExitCode::SUCCESS);
    }
    let verdict = match Verdict::of(cmp.overlap) {
        Verdict::Opposite => "opposite tastes: no fights over the same person",
        v => v.words(),
    };
    say!(
        "{} and {}: overlap {:+.2} ({verdict})",
        one_line(&args.a),
        one_line(&args.b),
        cmp.overlap
    );
    let [likes, splits] = rows([&cmp.shared_likes, &cmp.differences]);
    if !likes.is_empty() {
        say!("Both like:");
        for row in likes {
            say!("{row}");
        }
    }
    if !splits.is_empty() {
        say!(
            "Where you split ({} | {}):",
            one_line(&args.a),
            one_line(&args.b)
        );
        for row in splits {
            say!("{row}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taste(level: &str, a: f64, b: f64) -> LevelTaste {
        LevelTaste {
            attribute: "hair_color".into(),
            level: level.into(),
            a,
            b,
        }
    }

    #[test]
    fn the_second_players_bars_line_up_when_a_bar_is_over_ten_columns() {
        let likes = [taste("red", 1.6, 0.3), taste("black", 0.2, 0.4)];
        let splits = [taste("blonde", -0.5, 1.2)];
        let [likes, splits] = rows([&likes, &splits]);
        let starts: Vec<usize> = likes
            .iter()
            .chain(&splits)
            // Where the second bar starts (a bar has no spaces).
            .map(|row| row.rfind(' ').unwrap() + 1)
            .collect();
        assert!(
            starts.iter().all(|&s| s == starts[0]),
            "{likes:?} {splits:?}"
        );
        assert_eq!(starts[0], 29 + 16 + 1, "{likes:?}");
    }
}
