//! The local terminal as a [`Session`]: what only a process that owns its
//! terminal does (raw mode, the alternate screen, a panic hook that
//! restores them, signals forwarded to the session, the size ioctl), around
//! the same loop every session runs.

use super::{Component, Ended, Pictures, Session};
use crate::profile::ProfileStore;
use crate::signals::Watch;
use crate::ui::input::TerminalInput;
use crate::ui::terminal::full_screen;
use crate::ui::terminal::graphics::GraphicsChoice;

/// Runs `component` in the terminal this process runs in, until it quits or
/// a signal (SIGHUP, SIGTERM, SIGINT) ends it. The terminal is restored on
/// every path out of here (errors, signals and panics included), and every
/// rating saved to `store`.
pub fn run<C: Component>(
    component: C,
    store: Option<&ProfileStore>,
    graphics: GraphicsChoice,
) -> anyhow::Result<Ended<C>> {
    let input = TerminalInput::open()?;
    // Only a terminal that answered the size ioctl at first is taken for
    // hung up when it stops answering (its reader may never notice).
    let (columns, rows) = crossterm::terminal::size().unwrap_or((80, 24));
    let could_ask = crossterm::terminal::window_size().is_ok();
    let session = Session::new(input, std::io::stdout(), (columns, rows))
        .pictures(Pictures::Probe(graphics))
        .alive(Box::new(move || {
            !could_ask || crossterm::terminal::window_size().is_ok()
        }));
    // Before the terminal changes: from here a signal is an event, not death.
    let stopper = session.stopper();
    let watch = Watch::start_with(move |stop| stopper.stop(stop))?;
    let guard = full_screen::enter()?;
    let ended = super::run(session, component, store);
    drop(guard);
    drop(watch);
    ended
}
