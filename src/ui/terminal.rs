//! Entering and leaving the full-screen terminal, on every exit path.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io::stdout;
use std::sync::Once;

/// Restores the terminal when dropped (normal return, `?` errors, unwinding).
pub struct TerminalGuard {
    _private: (),
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave();
    }
}

/// Leaves mouse capture, raw mode and the alternate screen. Safe to call twice.
pub fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
}

static HOOK: Once = Once::new();

/// Raw mode, alternate screen, mouse capture, and a panic hook that restores
/// the terminal before the panic message is printed.
pub fn enter() -> std::io::Result<(DefaultTerminal, TerminalGuard)> {
    // try_init installs ratatui's own restoring hook; ours runs first and
    // also turns mouse capture off.
    let guard = TerminalGuard { _private: () };
    let terminal = ratatui::try_init()?;
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave();
            previous(info);
        }));
    });
    execute!(stdout(), EnableMouseCapture)?;
    Ok((terminal, guard))
}
