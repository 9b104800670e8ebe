//! A guest's read-only view of the party board: `p` in their game shows the
//! host's board (the same screen, live), any key goes back to the game
//! exactly where it was.

use super::screen::{self, BoardInfo};
use super::PartyBoard;
use crate::ui::theme::Theme;
use ratatui::Frame;
use std::time::Duration;

/// The keys of a guest's view of the board.
pub const GUEST_HINTS: &str = "any key: back to your game";

/// How often an open board is drawn again (players rate meanwhile).
pub const REFRESH: Duration = Duration::from_millis(500);

/// The board as a guest sees it, and whether it is open.
pub struct GuestView {
    board: PartyBoard,
    info: BoardInfo,
    pub open: bool,
}

impl GuestView {
    /// `info`: what the board shows besides the party (the join command,
    /// no host key: guests have it in `known_hosts`).
    pub fn new(board: PartyBoard, info: BoardInfo) -> GuestView {
        GuestView {
            board,
            info,
            open: false,
        }
    }

    pub fn render(&self, f: &mut Frame, theme: Theme) {
        let state = self.board.lock();
        screen::render_with(f, &state, &self.info, theme, GUEST_HINTS);
    }
}
