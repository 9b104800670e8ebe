//! The image back-end, chosen once at start from a bounded terminal probe.

use ratatui_image::picker::cap_parser::QueryStdioOptions;
use ratatui_image::picker::{Picker, ProtocolType};
use std::io::IsTerminal;
use std::time::Duration;

/// How long the terminal may take to answer the graphics probe.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(1000);

/// `--graphics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphicsChoice {
    Auto,
    Kitty,
    Sixel,
    Iterm,
    Halfblocks,
}

impl std::str::FromStr for GraphicsChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => GraphicsChoice::Auto,
            "kitty" => GraphicsChoice::Kitty,
            "sixel" => GraphicsChoice::Sixel,
            "iterm" | "iterm2" => GraphicsChoice::Iterm,
            "halfblocks" | "blocks" => GraphicsChoice::Halfblocks,
            other => {
                return Err(format!(
                    "unknown --graphics {other:?}: use auto, kitty, sixel, iterm or halfblocks"
                ))
            }
        })
    }
}

impl GraphicsChoice {
    fn forced(self) -> Option<ProtocolType> {
        match self {
            GraphicsChoice::Auto => None,
            GraphicsChoice::Kitty => Some(ProtocolType::Kitty),
            GraphicsChoice::Sixel => Some(ProtocolType::Sixel),
            GraphicsChoice::Iterm => Some(ProtocolType::Iterm2),
            GraphicsChoice::Halfblocks => Some(ProtocolType::Halfblocks),
        }
    }
}

/// Picks the image protocol. Probes the terminal (once, bounded by
/// [`PROBE_TIMEOUT`]) unless half-blocks are forced or stdin/stdout is not a
/// terminal; falls back to half-blocks when nothing answers. Call it after
/// entering the alternate screen and before reading any event.
///
/// Note: inside tmux, ratatui-image turns on `allow-passthrough` for the pane
/// so graphics can reach the outer terminal.
pub fn pick(choice: GraphicsChoice) -> Picker {
    if choice == GraphicsChoice::Halfblocks
        || !std::io::stdin().is_terminal()
        || !std::io::stdout().is_terminal()
        || detached_tmux()
    {
        return Picker::halfblocks();
    }
    let options = QueryStdioOptions {
        timeout: PROBE_TIMEOUT,
        ..QueryStdioOptions::default()
    };
    let mut picker =
        Picker::from_query_stdio_with_options(options).unwrap_or_else(|_| Picker::halfblocks());
    if let Some(forced) = choice.forced() {
        picker.set_protocol_type(forced);
    }
    picker
}

/// Inside a tmux session no client is attached to, nobody answers the probe,
/// and the probe's reader thread would be left waiting on stdin, eating the
/// first key press: don't probe there.
fn detached_tmux() -> bool {
    if std::env::var_os("TMUX").is_none_or(|v| v.is_empty()) {
        return false;
    }
    std::process::Command::new("tmux")
        .args(["display-message", "-p", "#{session_attached}"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
