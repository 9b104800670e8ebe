//! Entering and leaving the full-screen terminal, on every exit path.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::prelude::CrosstermBackend;
use ratatui::{DefaultTerminal, Terminal};
use std::io::stdout;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

/// Whether the terminal is in the game's mode (so leaving twice is a no-op:
/// a second "leave the alternate screen" would move the cursor back up over
/// whatever was printed in between, such as a panic message).
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Restores the terminal when dropped (normal return, `?` errors, unwinding).
pub struct TerminalGuard {
    _private: (),
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave();
    }
}

/// Leaves mouse capture, raw mode and the alternate screen. Safe to call
/// twice, and when the terminal is gone (a dropped SSH connection): every
/// step is tried, and failures are ignored, never printed (printing to a
/// hung-up terminal fails too).
pub fn leave() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = execute!(stdout(), DisableMouseCapture);
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), LeaveAlternateScreen);
}

static HOOK: Once = Once::new();

/// Raw mode, alternate screen, mouse capture, and a panic hook that restores
/// the terminal before the panic message is printed.
pub fn enter() -> std::io::Result<(DefaultTerminal, TerminalGuard)> {
    // Not ratatui::try_init: its panic hook prints when restoring fails,
    // and printing to a hung-up terminal panics inside the panic (abort).
    let guard = TerminalGuard { _private: () };
    ENTERED.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
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
