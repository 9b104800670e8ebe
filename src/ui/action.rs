//! What the player asks for ([`Action`]: events become actions in
//! `keys`, actions change the state in `App::apply`) and the work the
//! state asks of the runtime ([`Effect`]).

use crate::core::rating::Rating;

/// What the player asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Rate(Rating),
    /// Move the highlighted button left (towards Type) or right.
    Left,
    Right,
    /// Rate with the highlighted button.
    Confirm,
    Undo,
    Skip,
    Help,
    Reveal,
    NewRound,
    Back,
    Yes,
    No,
    Quit,
    /// The terminal changed size (the next draw adapts).
    Resize,
    /// Close an overlay (any key on the help), or skip the reveal's build-up.
    Dismiss,
    /// The clock: the reveal's build-up is due for its next frame (see
    /// [`App::next_tick`](super::app::App::next_tick)); in a replay, also the next step while playing.
    Tick,
    /// Replay: pause or resume (at the end: replay from the start).
    PlayPause,
    /// Replay: one rating forward (pauses).
    Forward,
    /// Replay: the first rating (pauses).
    First,
    /// Replay: the reveal (pauses).
    Last,
    /// `mytype serve`: open (or close) the party board over the game; the
    /// serve session handles it ([`App::party`](super::app::App::party)), the game itself ignores it.
    Party,
}

/// Work `apply` asks the runtime to do (disk I/O never happens in `App`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Save the profile (after every rating and undo).
    Save,
    /// Save, then quit if it worked.
    SaveAndQuit,
    /// Keep the current ratings as a backup profile and start over.
    NewRound,
    /// Start the clock's wait again (a replay stepped by hand).
    RestartClock,
}
