//! `mytype serve`: host a party over SSH. Everything but the packs is the
//! server's business (src/serve).

use super::common::PackArgs;
use anyhow::Result;
use clap::Args;
use mytype::profile::ProfileStore;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    serve: mytype::serve::ServeFlags,
}

pub fn run(store: &ProfileStore, args: ServeArgs) -> Result<ExitCode> {
    let (pack, reveal) = args.packs.load_to_play("serve")?;
    mytype::serve::command(store.clone(), pack, reveal, args.serve)?;
    Ok(ExitCode::SUCCESS)
}
