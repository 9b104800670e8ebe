//! `mytype completions SHELL`: the shell completion script, generated from
//! the same clap definitions as `--help` (and `mytype man`).

use super::Cli;
use anyhow::{Context, Result};
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

/// Prints the completion script for a shell to stdout.
pub fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "mytype", &mut out);
    print(&out)
}

/// Writes `bytes` to stdout (also the manual page's).
pub(super) fn print(bytes: &[u8]) -> Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        // `| head`: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => other
            .map(|_| ExitCode::SUCCESS)
            .context("cannot write to stdout"),
    }
}
