//! The screens, one file per screen or overlay (gitui style): each draws
//! the state it is given and says which images it needs; none changes it.
//!
//! [`rating`] and [`reveal`] (after its build-up, whose state is
//! `ui::app::buildup`) are the game's
//! two screens, [`help`] the overlay listing every key, [`too_small`] what is
//! shown when the terminal cannot fit them, and [`replay`] `mytype replay`'s
//! screen, built from the same parts. [`widgets`] holds the drawing helpers
//! they share.

pub mod help;
pub mod rating;
pub mod replay;
pub mod reveal;
pub mod too_small;
pub mod widgets;
