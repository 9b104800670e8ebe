//! The `mytype` command line: the game, and a scriptable headless interface.

mod cli;

fn main() -> std::process::ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mytype: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
