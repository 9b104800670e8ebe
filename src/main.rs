//! The `mytype` command line: the game, and a scriptable headless interface.

mod cli;

fn main() -> std::process::ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!: after a hang-up stderr may be gone, and that
            // must not turn into a panic.
            use std::io::Write;
            // Errors quote files and lock holders: nothing of them may
            // drive the terminal.
            let text = cli::error_text(&e);
            let text = mytype::core::sanitize::visible(&text, true);
            let _ = writeln!(std::io::stderr(), "mytype: error: {text}");
            std::process::ExitCode::FAILURE
        }
    }
}
