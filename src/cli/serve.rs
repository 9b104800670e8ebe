//! `mytype serve`: host a party over SSH. The flags are here; everything but
//! the packs is the server's business (src/serve).

use super::common::PackArgs;
use anyhow::Result;
use clap::Args;
use mytype::profile::ProfileStore;
use mytype::serve::limits::{DEFAULT_MAX_PLAYERS, MAX_PLAYERS_CEILING};
use mytype::serve::{ServeSettings, DEFAULT_LISTEN};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    serve: ServeFlags,
}

/// `mytype serve`'s own flags (the packs are shared with `play`).
#[derive(Args, Debug, Clone)]
struct ServeFlags {
    /// Address and port to listen on (port 0: any free port)
    #[arg(long, value_name = "ADDR:PORT", default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// The server's ed25519 host key, created on first run and kept 0600
    /// [default: ssh_host_ed25519_key in mytype's data folder]
    #[arg(long, value_name = "FILE")]
    host_key: Option<PathBuf>,
    /// Admit only guests whose key is in FILE (OpenSSH authorized_keys format)
    #[arg(long, value_name = "FILE")]
    authorized_keys: Option<PathBuf>,
    /// Players at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PLAYERS,
          value_parser = max_players)]
    max_players: usize,
    /// Rank by each guest's ratings alone (not what other players liked)
    #[arg(long)]
    no_crowd: bool,
    /// Also admit guests without an SSH key, on names nobody owns; what they
    /// rate lasts for their session only
    #[arg(long, conflicts_with = "authorized_keys")]
    open: bool,
    /// Save the party board as a PNG to FILE (when the party ends, and with
    /// `s` on the board)
    #[arg(long, value_name = "FILE")]
    board_png: Option<PathBuf>,
}

/// `--max-players`, checked while clap parses (a mistake exits 2).
fn max_players(text: &str) -> Result<usize, String> {
    match text.trim().parse() {
        Ok(n) if (1..=MAX_PLAYERS_CEILING).contains(&n) => Ok(n),
        _ => Err(format!("must be a number from 1 to {MAX_PLAYERS_CEILING}")),
    }
}

impl From<ServeFlags> for ServeSettings {
    fn from(flags: ServeFlags) -> Self {
        ServeSettings {
            listen: flags.listen,
            host_key: flags.host_key,
            authorized_keys: flags.authorized_keys,
            max_players: flags.max_players,
            no_crowd: flags.no_crowd,
            open: flags.open,
            board_png: flags.board_png,
        }
    }
}

pub fn run(store: &ProfileStore, args: ServeArgs) -> Result<ExitCode> {
    let (pack, reveal) = args.packs.load_to_play("serve")?;
    mytype::serve::command(store.clone(), pack, reveal, args.serve.into())?;
    Ok(ExitCode::SUCCESS)
}
