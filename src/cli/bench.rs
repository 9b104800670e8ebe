//! `mytype bench`: the preference models measured on real per-person
//! ratings from a CSV, as Markdown tables or JSON.

use super::common::{load_pack, one_line, print_json};
use anyhow::Result;
use clap::Args;
use mytype::core::words::count;
use mytype::eval::bench::{BenchOptions, BenchReport, LearningCurves};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct BenchArgs {
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
    #[arg(long, default_value_t = 1, value_parser = |t: &str| super::values::whole_number(t, 1, 100))]
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

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    // The runs use seeds SEED to SEED+REPEATS-1: all of them must exist.
    let Some(last_seed) = args.seed.checked_add(args.repeats - 1) else {
        super::values::usage_error(
            "bench",
            format!(
                "--repeats {} from --seed {} would run past the largest seed ({}): use a smaller --seed",
                args.repeats,
                args.seed,
                u64::MAX
            ),
        )
    };
    let pack = load_pack(Some(&args.pack))?;
    let file = mytype::eval::bench::read_ratings_file(&args.ratings)?;
    if let Some(first) = file.missing_lines.first() {
        eprintln!(
            "mytype: warning: {}: {} without a rating (empty or NA) left out, the first on line {first}",
            one_line(&args.ratings.display().to_string()),
            count(file.missing_lines.len(), "row", "rows")
        );
    }
    let ratings = file.ratings;
    let opts = BenchOptions {
        train: args.train,
        raters: args.raters,
        seed: args.seed,
        crowd: !args.no_crowd,
        curves: !args.no_curves,
    };
    let report = mytype::eval::bench::run_repeated(&pack, &ratings, &opts, args.repeats as usize)?;
    if args.json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "{} evaluated, {} each (pack {}, seed {}{})",
        count(report.raters, "rater", "raters"),
        count(report.train, "training rating", "training ratings"),
        one_line(pack.name()),
        args.seed,
        if report.repeats > 1 {
            format!(
                ", mean of {} runs with seeds {} to {}",
                report.repeats, args.seed, last_seed
            )
        } else {
            String::new()
        }
    );
    print_models(&report);
    print_comparisons(&report);
    if let Some(lc) = &report.learning_curves {
        print_curves(lc);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_models(report: &BenchReport) {
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
}

fn print_comparisons(report: &BenchReport) {
    if report.comparisons.is_empty() {
        return;
    }
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

fn print_curves(lc: &LearningCurves) {
    let mut points: Vec<&String> = lc
        .curves
        .values()
        .next()
        .map(|c| c.keys().collect())
        .unwrap_or_default();
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
