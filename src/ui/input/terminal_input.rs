//! The input source of a local terminal: its bytes, and its size changes
//! through a SIGWINCH wake pipe.

use super::{Incoming, InputSource};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// The terminal to read: stdin when it is one, else `/dev/tty` (as crossterm
/// does), as a descriptor of our own.
fn terminal_input() -> std::io::Result<OwnedFd> {
    use std::io::IsTerminal;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return stdin.as_fd().try_clone_to_owned();
    }
    Ok(std::fs::File::open("/dev/tty")?.into())
}

/// A local terminal: its descriptor, and the SIGWINCH wake pipe that says
/// its size changed (the size is then read from the descriptor).
pub struct TerminalInput {
    source: OwnedFd,
    winch: Option<UnixStream>,
    registered: Option<signal_hook::SigId>,
}

impl TerminalInput {
    /// The controlling terminal (stdin when it is one, else `/dev/tty`),
    /// with a SIGWINCH handler that wakes the reader (removed on drop).
    pub fn open() -> std::io::Result<TerminalInput> {
        let source = terminal_input()?;
        let (wake_rx, wake_tx) = UnixStream::pair()?;
        wake_rx.set_nonblocking(true)?;
        let id = signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, wake_tx)?;
        Ok(TerminalInput {
            source,
            winch: Some(wake_rx),
            registered: Some(id),
        })
    }

    /// A terminal read from `source`; `winch` gets a byte when its size changes.
    pub fn from_parts(source: OwnedFd, winch: Option<UnixStream>) -> TerminalInput {
        TerminalInput {
            source,
            winch,
            registered: None,
        }
    }
}

impl Drop for TerminalInput {
    fn drop(&mut self) {
        if let Some(id) = self.registered.take() {
            signal_hook::low_level::unregister(id);
        }
    }
}

impl InputSource for TerminalInput {
    fn next(&mut self, buf: &mut [u8], timeout: Duration) -> Incoming {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let timespec = Timespec::try_from(timeout).unwrap_or(Timespec {
            tv_sec: 0,
            tv_nsec: 50_000_000,
        });
        let mut fds = vec![PollFd::new(&self.source, PollFlags::IN)];
        if let Some(w) = &self.winch {
            fds.push(PollFd::new(w, PollFlags::IN));
        }
        match poll(&mut fds, Some(&timespec)) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => return Incoming::Idle,
            Err(e) => return Incoming::Closed(e.to_string()),
        }
        let input = fds[0].revents();
        let resized = fds.get(1).is_some_and(|f| !f.revents().is_empty());
        drop(fds);
        if resized {
            if let Some(w) = &self.winch {
                drain(w);
            }
            if let Some((cols, rows)) = window_size(&self.source) {
                // The bytes waiting, if any, come with the next call.
                return Incoming::Resize { cols, rows };
            }
        }
        if input.contains(PollFlags::IN) {
            match rustix::io::read(&self.source, buf) {
                Ok(0) => Incoming::Closed("the terminal hung up (end of input)".into()),
                Ok(n) => Incoming::Bytes(n),
                Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => Incoming::Idle,
                Err(rustix::io::Errno::IO) => {
                    Incoming::Closed("the terminal hung up (input/output error)".into())
                }
                Err(e) => Incoming::Closed(e.to_string()),
            }
        } else if input.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            Incoming::Closed("the terminal hung up (closed)".into())
        } else {
            Incoming::Idle
        }
    }
}

/// The size in cells of the terminal we read (the one that changed size).
fn window_size(source: &OwnedFd) -> Option<(u16, u16)> {
    match rustix::termios::tcgetwinsize(source) {
        Ok(size) if size.ws_col > 0 && size.ws_row > 0 => Some((size.ws_col, size.ws_row)),
        _ => crossterm::terminal::size().ok(),
    }
}

fn drain(mut pipe: &UnixStream) {
    use std::io::Read;
    let mut sink = [0u8; 64];
    while matches!(pipe.read(&mut sink), Ok(n) if n > 0) {}
}
