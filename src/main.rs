//! The `mytype` command line: the game, and a scriptable headless interface.

mod cli;

fn main() -> std::process::ExitCode {
    // First: from here on no signal can come before its handler. Until a
    // game or batch watches them they end the process as they always did.
    if let Err(e) = mytype::signals::install() {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "mytype: warning: {e}");
    }
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
