//! What the game knows about the terminal it draws on, and how it takes
//! the screen over.
//!
//! yazi-adapter style, the image back-end is chosen once at start
//! ([`graphics`]) from two sources: the terminal's own answers to a bounded
//! probe ([`probe`]: image protocols, cell size, 24-bit colour) and what the
//! environment says about it ([`term_env`]: TERM, COLORTERM, NO_COLOR, SSH,
//! tmux, for the colour depth). Nothing downstream asks the terminal again.
//! [`full_screen`] enters and leaves the alternate screen on every exit path.

pub mod full_screen;
pub mod graphics;
pub mod probe;
pub mod term_env;
