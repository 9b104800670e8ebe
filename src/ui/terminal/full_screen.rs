//! Entering and leaving the full-screen terminal, on every exit path.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::Backend;
use ratatui::Terminal;
use std::io::stdout;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, PoisonError};

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

/// Leaves mouse capture, bracketed paste, raw mode and the alternate screen, and puts tmux's
/// `allow-passthrough` back if the game changed it. Safe to call twice, and
/// when the terminal is gone (a dropped SSH connection): every step is
/// tried, and failures are ignored, never printed (printing to a hung-up
/// terminal fails too).
pub fn leave() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), LeaveAlternateScreen);
    let changed = RESTORE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(passthrough) = changed {
        passthrough.restore();
    }
}

/// The pane's `allow-passthrough` to put back when the terminal is left.
static RESTORE: Mutex<Option<Passthrough>> = Mutex::new(None);

/// tmux's `allow-passthrough` option of this pane, as set on the pane itself
/// (empty: not set there, inherited from the window). ratatui-image turns it
/// on whenever it is built inside tmux.
#[derive(Debug)]
pub struct Passthrough {
    /// `$TMUX_PANE`, else tmux's current pane (as ratatui-image's command).
    pane: Option<String>,
    before: String,
}

impl Passthrough {
    /// The value now, inside tmux (`None` elsewhere or when tmux won't say).
    pub fn remember() -> Option<Passthrough> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let tmux = env("TMUX").is_some()
            || env("TERM").is_some_and(|t| t.starts_with("tmux"))
            || env("TERM_PROGRAM").is_some_and(|t| t == "tmux");
        if !tmux {
            return None;
        }
        let pane = env("TMUX_PANE");
        let before = pane_value(pane.as_deref())?;
        Some(Passthrough { pane, before })
    }

    /// If the value changed since [`Passthrough::remember`], [`leave`] puts
    /// it back (on every way out: quit, signal, error, panic).
    pub fn restore_on_leave(self) {
        if pane_value(self.pane.as_deref()).is_some_and(|now| now != self.before) {
            *RESTORE.lock().unwrap_or_else(PoisonError::into_inner) = Some(self);
        }
    }

    fn restore(&self) {
        let mut args = vec!["set-option", "-p"];
        if let Some(pane) = &self.pane {
            args.extend(["-t", pane]);
        }
        if self.before.is_empty() {
            args.extend(["-u", "allow-passthrough"]);
        } else {
            args.extend(["allow-passthrough", self.before.as_str()]);
        }
        let _ = tmux(&args);
    }
}

/// The pane's own `allow-passthrough` value ("" when not set on the pane).
fn pane_value(pane: Option<&str>) -> Option<String> {
    let mut args = vec!["show-options", "-p"];
    if let Some(pane) = pane {
        args.extend(["-t", pane]);
    }
    args.push("allow-passthrough");
    let out = tmux(&args)?;
    Some(
        out.trim()
            .strip_prefix("allow-passthrough")
            .unwrap_or("")
            .trim()
            .to_string(),
    )
}

/// Runs tmux quietly; its stdout when it succeeded. Not `term_env`'s
/// bounded query: that one reads a report and may give up after a
/// timeout; these set a pane option and put it back, which must finish.
fn tmux(args: &[&str]) -> Option<String> {
    let out = Command::new("tmux")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Clears the screen and makes the next draw repaint all of it (wiping
/// whatever a terminal printed for a probe query it did not know).
/// Not `Terminal::clear`: that asks the terminal for the cursor position
/// through crossterm's own input reader, which must never read: the game's
/// reader owns the input ([`crate::ui::input`]).
pub fn wipe<B: Backend>(terminal: &mut Terminal<B>) -> Result<(), B::Error> {
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

static HOOK: Once = Once::new();

/// Raw mode, alternate screen, mouse capture, bracketed paste, and a panic hook that restores
/// the terminal before the panic message is printed: the local terminal's
/// set-up, around the runtime (which draws through its own back-end).
pub fn enter() -> std::io::Result<TerminalGuard> {
    // Not ratatui::try_init: its panic hook prints when restoring fails,
    // and printing to a hung-up terminal panics inside the panic (abort).
    let guard = TerminalGuard { _private: () };
    ENTERED.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            leave();
            previous(info);
        }));
    });
    // Pasted text comes marked, so it is dropped rather than played as keys.
    execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    Ok(guard)
}

/// Why the terminal, as `TERM` describes it, cannot show the full-screen
/// game: unset (cron, a service, a stripped environment) or `dumb` (Emacs'
/// shell, some IDE consoles), which cannot move the cursor or clear the
/// screen. `None`: go ahead.
pub fn unusable_term() -> Option<&'static str> {
    term_unusable(std::env::var_os("TERM").as_deref())
}

fn term_unusable(term: Option<&std::ffi::OsStr>) -> Option<&'static str> {
    match term.map(|t| t.to_string_lossy()) {
        None => Some("TERM is not set"),
        Some(t) if t.trim().is_empty() => Some("TERM is empty"),
        Some(t) if t == "dumb" => Some("TERM is dumb"),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::term_unusable;
    use std::ffi::OsStr;

    #[test]
    fn a_dumb_or_missing_terminal_type_is_refused() {
        assert_eq!(term_unusable(None), Some("TERM is not set"));
        assert_eq!(term_unusable(Some(OsStr::new(""))), Some("TERM is empty"));
        assert_eq!(
            term_unusable(Some(OsStr::new("dumb"))),
            Some("TERM is dumb")
        );
        for ok in [
            "xterm-256color",
            "tmux-256color",
            "screen",
            "linux",
            "vt100",
        ] {
            assert_eq!(term_unusable(Some(OsStr::new(ok))), None, "{ok}");
        }
    }
}
