//! Faces in truecolor over SSH: OpenSSH passes no `COLORTERM` unless told,
//! so a guest whose faces fell back to 256 colours is told, once on the
//! status line, the exact `ssh` command that joins in truecolor.

use crate::serve::session::Terminal;
use crate::ui::terminal::term_env::ColorDepth;
use crate::ui::App;
use std::net::SocketAddr;

/// [`truecolor_hint`] when not even the command fits (60 columns, the
/// smallest screen the game draws, fit this).
pub const TRUECOLOR_SHORT: &str = "Truecolor faces: add -o SetEnv=COLORTERM=truecolor to ssh";

/// Colour depth for a guest's faces: truecolor only when their client sent
/// `COLORTERM` (OpenSSH does not pass it unless told), 256 colours otherwise.
pub(super) fn depth(terminal: &Terminal) -> ColorDepth {
    match terminal.colorterm.as_deref() {
        Some(_) => ColorDepth::TrueColor,
        None => ColorDepth::Palette256,
    }
}

/// What a guest whose faces fell back to 256 colours types to join in
/// truecolor: their own name, the host and port they used. The longest
/// wording that fits `width` columns (the status line); `None`: not known.
pub fn truecolor_hint(name: &str, joined_at: Option<SocketAddr>, width: u16) -> Option<String> {
    let at = joined_at?;
    let port = match at.port() {
        22 => String::new(),
        p => format!(" -p {p}"),
    };
    let command = format!("ssh -o SetEnv=COLORTERM=truecolor{port} {name}@{}", at.ip());
    let wordings = [
        format!("For truecolor faces, join with: {command}"),
        format!("Truecolor faces: {command}"),
        command.clone(),
    ];
    let fits = |text: &String| text.chars().count() <= usize::from(width);
    Some(
        wordings
            .into_iter()
            .find(fits)
            .unwrap_or_else(|| TRUECOLOR_SHORT.to_string()),
    )
}

/// Tells a guest whose faces fall back to 256 colours, once on the status
/// line, how to join in truecolor (a message already there, such as a
/// keyless guest's, is kept).
pub(super) fn note_truecolor_hint(
    app: &mut App,
    name: &str,
    terminal: &Terminal,
    joined_at: Option<SocketAddr>,
) {
    if depth(terminal) == ColorDepth::Palette256 && app.theme.color {
        if let Some(hint) = truecolor_hint(name, joined_at, terminal.cols) {
            app.note_truecolor_hint(&hint);
        }
    }
}
