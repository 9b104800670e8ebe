//! The input source fed through a channel: bytes and window sizes handed
//! over by another thread or task (an SSH channel's data and window-change
//! requests).

use super::{Incoming, InputSource};
use std::sync::mpsc;
use std::time::Duration;

/// What a [`ChannelInput`] is sent: bytes as they came, a new window size,
/// or the end of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feed {
    Bytes(Vec<u8>),
    Resize {
        cols: u16,
        rows: u16,
    },
    /// The connection closed: why.
    Closed(String),
}

/// Input handed over through a channel, by a thread or task that gets it
/// from elsewhere (an SSH channel's data and window-change requests).
/// Dropping every sender ends the input, as a hang-up.
pub struct ChannelInput {
    rx: mpsc::Receiver<Feed>,
    /// Bytes received but not handed on yet (a feed bigger than the buffer).
    left: Vec<u8>,
}

impl ChannelInput {
    /// An input and the sender that feeds it.
    pub fn new() -> (mpsc::Sender<Feed>, ChannelInput) {
        let (tx, rx) = mpsc::channel();
        (
            tx,
            ChannelInput {
                rx,
                left: Vec::new(),
            },
        )
    }
}

impl InputSource for ChannelInput {
    fn next(&mut self, buf: &mut [u8], timeout: Duration) -> Incoming {
        if self.left.is_empty() {
            match self.rx.recv_timeout(timeout) {
                Ok(Feed::Bytes(bytes)) => self.left = bytes,
                Ok(Feed::Resize { cols, rows }) => return Incoming::Resize { cols, rows },
                Ok(Feed::Closed(why)) => return Incoming::Closed(why),
                Err(mpsc::RecvTimeoutError::Timeout) => return Incoming::Idle,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Incoming::Closed("the connection closed".into())
                }
            }
        }
        let n = self.left.len().min(buf.len());
        buf[..n].copy_from_slice(&self.left[..n]);
        self.left.drain(..n);
        Incoming::Bytes(n)
    }
}
