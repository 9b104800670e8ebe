//! `mytype simulate`: the preference models compared on simulated players.

use super::common::{load_pack, one_line, print_json};
use anyhow::Result;
use clap::Args;
use mytype::core::words::count;
use mytype::eval::simulate::{self, CategoricalNb, LinfaBernoulli, OrdinalNb, RandomGuess};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Pack to simulate on [default: $MYTYPE_PACK, else ./faces/default, else
    /// the bundled pack]
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

pub fn run(args: SimulateArgs) -> Result<ExitCode> {
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
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "{}, {}, {} (pack {}, seed {})",
        count(report.players, "simulated player", "simulated players"),
        count(report.rated_faces, "rated face", "rated faces"),
        count(report.candidates, "candidate", "candidates"),
        one_line(pack.name()),
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
    Ok(ExitCode::SUCCESS)
}
