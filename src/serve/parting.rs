//! What a guest reads on their own terminal once their game is over, after
//! the game has given it back (main screen, cursor shown): the same lines
//! `mytype play` prints.

use super::announce;
use crate::ui::strings;
use crate::ui::{App, Farewell};
use std::net::SocketAddr;

/// The same lines as local play ([`Farewell::lines`]): "The AI says
/// my type is …" for a pick the guest saw that still stands, then, while
/// faces are left, the ratings saved and the exact command that continues
/// (their name at the address they used). A keyless guest saved nothing:
/// their last line says so instead.
pub fn parting(app: &App, saved: bool, name: &str, joined_at: Option<SocketAddr>) -> String {
    let farewell = Farewell::of_app(app, None);
    if saved {
        return farewell
            .lines(&announce::rejoin(name, joined_at))
            .join("\n");
    }
    let mut lines: Vec<String> = farewell
        .pick
        .iter()
        .map(|pick| strings::farewell(pick))
        .collect();
    lines.push(strings::keyless_done(app.rated(), app.total()));
    lines.join("\n")
}
