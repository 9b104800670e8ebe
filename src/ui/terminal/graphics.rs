//! The image back-end, chosen once at start from a bounded terminal probe
//! ([`super::probe`]), whose replies the input reader takes out of the keys.

use super::full_screen;
use super::probe::{self, Answers, ProbeSlot};
use super::term_env::TermEnv;
use crate::ui::images::Encoder;
use crate::ui::theme::Theme;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::FontSize;
use std::io::{IsTerminal, Write};

use super::probe::PROBE_TIMEOUT;

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
    /// The protocol asked for (kitty, sixel, iterm), when faces are drawn
    /// with `got` instead: its name, for the note that says so.
    pub fn fell_back(self, got: ProtocolType) -> Option<&'static str> {
        let asked = match self {
            GraphicsChoice::Kitty => "kitty",
            GraphicsChoice::Sixel => "sixel",
            GraphicsChoice::Iterm => "iterm",
            GraphicsChoice::Auto | GraphicsChoice::Halfblocks => return None,
        };
        (self.forced() != Some(got)).then_some(asked)
    }

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

/// The chosen back-end.
#[derive(Debug, Clone)]
pub struct Graphics {
    pub picker: Picker,
    /// The probe's answer to "does 24-bit colour work?" (`None`: not asked,
    /// or the terminal did not say).
    pub truecolor: Option<bool>,
}

/// Picks the image protocol. Probes the terminal (once, bounded by
/// [`PROBE_TIMEOUT`], ending at its DA1 reply; with half-blocks forced only
/// for its colour depth) unless stdin or stdout is not a terminal, or nobody could answer (a detached
/// tmux, the Linux console); falls back to half-blocks when nothing
/// answers. The input reader must be running with `slot` (it hands over the
/// replies): call it after entering the alternate screen.
///
/// Inside tmux, ratatui-image turns on `allow-passthrough` for the pane (so
/// graphics reach the outer terminal); the previous value is remembered here
/// and put back when the terminal is left ([`full_screen::leave`]).
pub fn pick(choice: GraphicsChoice, slot: &ProbeSlot) -> Graphics {
    let passthrough = full_screen::Passthrough::remember();
    let graphics = choose(choice, slot);
    if let Some(p) = passthrough {
        p.restore_on_leave();
    }
    graphics
}

fn choose(choice: GraphicsChoice, slot: &ProbeSlot) -> Graphics {
    let halfblocks = || Graphics {
        picker: Picker::halfblocks(),
        truecolor: None,
    };
    if !std::io::stdin().is_terminal()
        || !std::io::stdout().is_terminal()
        || std::env::var("TERM").is_ok_and(|t| t == "linux" || t == "dumb")
        || detached_tmux()
    {
        return halfblocks();
    }
    // As ratatui-image: its kitty and sixel answers are not to be trusted there.
    let unreliable = ["WEZTERM_EXECUTABLE", "KONSOLE_VERSION"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    slot.listen();
    // Half-blocks asked for: the probe still says whether 24-bit colour works.
    let ask_kitty = !unreliable && choice != GraphicsChoice::Halfblocks;
    let query = probe::query(inside_tmux(), ask_kitty);
    let mut out = std::io::stdout().lock();
    if out
        .write_all(query.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        slot.wait(std::time::Duration::ZERO);
        return halfblocks();
    }
    drop(out);
    let mut answers = slot.wait(PROBE_TIMEOUT);
    if unreliable {
        answers.sixel = false;
    }
    let mut picker = picker_for(&answers);
    if let Some(forced) = choice.forced() {
        picker.set_protocol_type(forced);
    }
    Graphics {
        picker,
        truecolor: answers.truecolor(),
    }
}

/// The picker for what the terminal answered: an image protocol needs the
/// cell size in pixels (from the answer, else the window size ioctl);
/// without it, half-blocks. Without a protocol answer, ratatui-image's
/// hints from the environment (iTerm2 and the like) decide.
fn picker_for(answers: &Answers) -> Picker {
    let Some((width, height)) = answers.cell_size.or_else(ioctl_cell_size) else {
        return Picker::halfblocks();
    };
    // Deprecated for apps that let ratatui-image probe; we probe ourselves.
    #[allow(deprecated)]
    let mut picker = Picker::from_fontsize(FontSize::new(width, height));
    if let Some(protocol) = answers.protocol() {
        picker.set_protocol_type(protocol);
    }
    picker
}

/// The cell size in pixels from the window size ioctl, when it says.
fn ioctl_cell_size() -> Option<(u16, u16)> {
    let size = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    if size.ws_col == 0 || size.ws_row == 0 || size.ws_xpixel == 0 || size.ws_ypixel == 0 {
        return None;
    }
    Some((size.ws_xpixel / size.ws_col, size.ws_ypixel / size.ws_row))
}

/// The half-block encoder at the colour depth of the environment and the
/// probe's answer ([`Encoder::detect`]: inside tmux, tmux's own answer wins,
/// as the probe went through to the outer terminal).
pub fn encoder(graphics: Graphics, theme: Theme) -> Encoder {
    let env = if theme.color {
        TermEnv::from_process()
    } else {
        TermEnv::default()
    };
    Encoder::detect(graphics.picker, theme, &env, graphics.truecolor)
}

/// Inside tmux as ratatui-image sees it (it then wraps the image protocols
/// in tmux's passthrough), so the probe goes the same way.
fn inside_tmux() -> bool {
    std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
        || std::env::var("TERM_PROGRAM").is_ok_and(|t| t == "tmux")
}

/// Inside a tmux session no client is attached to, nobody answers the
/// probe: don't probe there.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protocol_asked_for_but_not_given_is_noted() {
        use ProtocolType::{Halfblocks, Kitty, Sixel};
        assert_eq!(GraphicsChoice::Kitty.fell_back(Halfblocks), Some("kitty"));
        assert_eq!(GraphicsChoice::Sixel.fell_back(Halfblocks), Some("sixel"));
        assert_eq!(GraphicsChoice::Kitty.fell_back(Kitty), None);
        assert_eq!(GraphicsChoice::Auto.fell_back(Halfblocks), None);
        assert_eq!(GraphicsChoice::Halfblocks.fell_back(Halfblocks), None);
        assert_eq!(GraphicsChoice::Auto.fell_back(Sixel), None);
        let note = crate::ui::strings::graphics_fell_back("kitty");
        assert!(note.chars().count() <= 60, "{note}");
    }
}
