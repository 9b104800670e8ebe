//! What a guest reads on their own terminal once their game is over, after
//! the game has given it back (main screen, cursor shown): the same lines
//! `mytype play` prints.

use super::announce;
use crate::ui::strings;
use crate::ui::App;
use std::net::SocketAddr;

/// The ratings saved and the exact command that continues (their name at
/// the address they used; for a keyless guest, that nothing was saved),
/// then, after a reveal, `The AI says my type is …` (the face's name shown
/// inert: it is the pack's text).
pub fn parting(app: &App, saved: bool, name: &str, joined_at: Option<SocketAddr>) -> String {
    let (rated, total) = (app.rated(), app.total());
    let mut text = if saved {
        let command = announce::rejoin(name, joined_at);
        strings::paused(&app.profile_name, rated, total, &command)
    } else {
        strings::keyless_done(rated, total)
    };
    if let Some(guess) = app.guess.as_ref().filter(|_| app.revealed) {
        text.push('\n');
        text.push_str(&strings::farewell(&guess.pick.name));
    }
    text
}
