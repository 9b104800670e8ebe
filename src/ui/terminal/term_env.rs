//! The terminal's environment: how many colours it shows (true colour, 256
//! or none), from what the environment says about it (TERM, COLORTERM,
//! NO_COLOR, SSH, tmux), and the hint that tells a player how to get true
//! colour. Image protocols (Kitty, Sixel, …) are `probe`'s; this decides
//! the half-block drawing's colours. Read once at start: the environment variables, and inside tmux
//! one bounded `tmux` query (tmux re-encodes every colour for the terminal
//! it is attached to, so its word is the one that counts there).
//!
//! The decision itself ([`ColorDepth::from_env`]) is a pure function of a
//! [`TermEnv`] and the terminal probe's answer, so it is tested for each
//! environment.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the `tmux` query may take before it is given up.
pub const TMUX_TIMEOUT: Duration = Duration::from_millis(150);

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorDepth {
    /// 24-bit `38;2;r;g;b` colours.
    TrueColor,
    /// The xterm 256-colour palette (`38;5;n`), indices 16–255 only (the
    /// first 16 follow the user's theme).
    Palette256,
    /// `NO_COLOR`: shading glyphs on the terminal's own colours.
    Mono,
}

/// The environment variables that say something about the terminal.
const VARS: [&str; 10] = [
    "NO_COLOR",
    "COLORTERM",
    "TERM",
    "TERM_PROGRAM",
    "VTE_VERSION",
    "KONSOLE_VERSION",
    "WT_SESSION",
    "TMUX",
    "SSH_CONNECTION",
    "SSH_TTY",
];

/// `TERM_PROGRAM`s of terminals that always show 24-bit colour.
const TRUECOLOR_PROGRAMS: [&str; 9] = [
    "iterm.app",
    "wezterm",
    "vscode",
    "ghostty",
    "hyper",
    "tabby",
    "rio",
    "warpterminal",
    "contour",
];

/// `TERM`s of terminals that always show 24-bit colour.
const TRUECOLOR_TERMS: [&str; 9] = [
    "xterm-kitty",
    "xterm-ghostty",
    "alacritty",
    "foot",
    "foot-extra",
    "wezterm",
    "contour",
    "rio",
    "st-direct",
];

/// What tmux says about the client it is attached to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TmuxClient {
    /// `#{client_termfeatures}` (tmux 3.2+), e.g. `256,RGB,title`.
    pub features: String,
    /// `#{client_termname}`: the outer terminal's `TERM`.
    pub termname: String,
    /// The global `terminal-overrides`, one per line (`xterm*:Tc`).
    pub overrides: String,
    /// `#{version}`, e.g. `3.3a`.
    pub version: String,
}

/// What the environment says about the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    vars: BTreeMap<String, String>,
    /// Inside tmux: its report on the client (`None`: not inside tmux, or
    /// tmux did not answer in [`TMUX_TIMEOUT`]).
    pub tmux: Option<TmuxClient>,
}

impl TermEnv {
    /// This process's environment (and tmux's report when inside tmux).
    pub fn from_process() -> TermEnv {
        let mut env = TermEnv::from_vars(
            VARS.iter()
                .filter_map(|k| Some((*k, std::env::var(k).ok()?))),
        );
        if env.inside_tmux() {
            env.tmux = query_tmux(TMUX_TIMEOUT);
        }
        env
    }

    /// From given variables (empty values count as unset).
    pub fn from_vars<'a>(vars: impl IntoIterator<Item = (&'a str, String)>) -> TermEnv {
        let vars = vars
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.to_string(), v.trim().to_string()))
            .collect();
        TermEnv { vars, tmux: None }
    }

    /// With tmux's report.
    pub fn with_tmux(mut self, tmux: TmuxClient) -> TermEnv {
        self.tmux = Some(tmux);
        self
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    fn lower(&self, name: &str) -> String {
        self.var(name).unwrap_or("").to_ascii_lowercase()
    }

    pub fn inside_tmux(&self) -> bool {
        self.var("TMUX").is_some()
    }

    pub fn over_ssh(&self) -> bool {
        self.var("SSH_CONNECTION").is_some() || self.var("SSH_TTY").is_some()
    }

    pub fn no_color(&self) -> bool {
        self.var("NO_COLOR").is_some()
    }
}

impl TmuxClient {
    /// Whether tmux draws 24-bit colour on this client: the `RGB` feature,
    /// or a `Tc`/`RGB` override for its terminal (tmux before 3.2).
    pub fn truecolor(&self) -> bool {
        if self.features.split(',').any(|f| f.trim() == "RGB") {
            return true;
        }
        self.overrides.lines().any(|line| {
            let mut parts = line.trim().split(':');
            let pattern = parts.next().unwrap_or("");
            glob(pattern, &self.termname)
                && parts.any(|cap| {
                    let cap = cap.split('=').next().unwrap_or("");
                    cap == "Tc" || cap == "RGB"
                })
        })
    }

    /// tmux 3.2 or later (which has `terminal-features`).
    pub fn has_features_option(&self) -> bool {
        let digits: String = self
            .version
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let mut parts = digits.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        (major, minor) >= (3, 2) || self.version.starts_with("next-")
    }
}

impl ColorDepth {
    /// From this process's environment, without the terminal probe.
    pub fn detect(color: bool) -> ColorDepth {
        if !color {
            return ColorDepth::Mono;
        }
        ColorDepth::from_env(&TermEnv::from_process(), None)
    }

    /// The colour depth `env` implies; `probe` is the terminal's own answer
    /// to "do you show 24-bit colour?" when it gave one (only a yes is
    /// trusted: some truecolor terminals answer no). In order: `NO_COLOR`;
    /// inside tmux, what tmux says; `COLORTERM=truecolor|24bit`; the
    /// probe; a `TERM` ending in `-direct` or of a truecolor terminal;
    /// under GNU screen nothing more; `TERM_PROGRAM` of a truecolor
    /// terminal, Windows Terminal, VTE 0.36+, Konsole; else 256 colours.
    pub fn from_env(env: &TermEnv, probe: Option<bool>) -> ColorDepth {
        use ColorDepth::*;
        if env.no_color() {
            return Mono;
        }
        if let Some(tmux) = env.tmux.as_ref().filter(|t| !t.termname.is_empty()) {
            return if tmux.truecolor() {
                TrueColor
            } else {
                Palette256
            };
        }
        if matches!(env.lower("COLORTERM").as_str(), "truecolor" | "24bit") || probe == Some(true) {
            return TrueColor;
        }
        let term = env.lower("TERM");
        if term.ends_with("-direct") || TRUECOLOR_TERMS.contains(&term.as_str()) {
            return TrueColor;
        }
        // A multiplexer's own TERM: the outer terminal's variables below
        // were inherited and say nothing about what it passes on.
        if term.starts_with("screen") || env.inside_tmux() {
            return Palette256;
        }
        let vte = env.var("VTE_VERSION").and_then(|v| v.parse::<u32>().ok());
        if TRUECOLOR_PROGRAMS.contains(&env.lower("TERM_PROGRAM").as_str())
            || env.var("WT_SESSION").is_some()
            || env.var("KONSOLE_VERSION").is_some()
            || vte.is_some_and(|v| v >= 3600)
        {
            return TrueColor;
        }
        Palette256
    }
}

/// What to tell a player whose terminal got 256 colours, at most 60
/// characters (the narrowest screen).
pub fn truecolor_hint(env: &TermEnv) -> &'static str {
    match &env.tmux {
        Some(t) if !t.has_features_option() && !t.version.is_empty() => {
            crate::ui::strings::TRUECOLOR_HINT_OLD_TMUX
        }
        _ if env.inside_tmux() => crate::ui::strings::TRUECOLOR_HINT_TMUX,
        _ if env.over_ssh() => crate::ui::strings::TRUECOLOR_HINT_SSH,
        _ => crate::ui::strings::TRUECOLOR_HINT,
    }
}

/// `fnmatch`-style `*` and `?` matching, as tmux matches terminal names.
fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Asks tmux about the client, giving up after `timeout`. One process for
/// both questions.
fn query_tmux(timeout: Duration) -> Option<TmuxClient> {
    let mut tmux = Command::new("tmux");
    tmux.args([
        "display-message",
        "-p",
        "#{client_termfeatures}|#{client_termname}|#{version}",
        ";",
        "show-options",
        "-gv",
        "terminal-overrides",
    ]);
    parse_tmux(&run_bounded(tmux, timeout)?)
}

/// Runs `command` and returns what it printed, or `None` when it fails or
/// takes longer than `timeout` (it is killed then).
fn run_bounded(mut command: Command, timeout: Duration) -> Option<String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let start = Instant::now();
    // The answers read here are a few hundred bytes, well under a pipe's
    // buffer: the child never blocks on writing before it exits.
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if start.elapsed() < timeout => std::thread::sleep(Duration::from_millis(1)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child
        .stdout
        .take()?
        .take(64 * 1024)
        .read_to_string(&mut out)
        .ok()?;
    Some(out)
}

/// Parses the query's output: `features|termname|version`, then the
/// overrides, one a line.
fn parse_tmux(out: &str) -> Option<TmuxClient> {
    let mut lines = out.lines();
    let mut first = lines.next()?.splitn(3, '|');
    let (features, termname, version) = (first.next()?, first.next()?, first.next().unwrap_or(""));
    Some(TmuxClient {
        features: features.trim().to_string(),
        termname: termname.trim().to_string(),
        version: version.trim().to_string(),
        overrides: lines.collect::<Vec<_>>().join("\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColorDepth::*;

    fn env(vars: &[(&'static str, &str)]) -> TermEnv {
        TermEnv::from_vars(vars.iter().map(|(k, v)| (*k, v.to_string())))
    }

    fn tmux(features: &str, termname: &str, overrides: &str, version: &str) -> TmuxClient {
        TmuxClient {
            features: features.into(),
            termname: termname.into(),
            overrides: overrides.into(),
            version: version.into(),
        }
    }

    /// Environments and the depth each must get.
    const CASES: &[(&[(&str, &str)], ColorDepth)] = &[
        (&[], Palette256),
        (&[("TERM", "xterm-256color")], Palette256),
        (&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")], Mono),
        (&[("NO_COLOR", ""), ("COLORTERM", "truecolor")], TrueColor),
        (&[("COLORTERM", "truecolor")], TrueColor),
        (&[("COLORTERM", " 24BIT "), ("TERM", "xterm")], TrueColor),
        (
            &[("COLORTERM", "yes"), ("TERM", "xterm-256color")],
            Palette256,
        ),
        (&[("TERM", "xterm-direct")], TrueColor),
        (&[("TERM", "xterm-kitty")], TrueColor),
        (&[("TERM", "alacritty")], TrueColor),
        (
            &[("TERM", "xterm-256color"), ("TERM_PROGRAM", "iTerm.app")],
            TrueColor,
        ),
        (
            &[("TERM", "xterm-256color"), ("TERM_PROGRAM", "WezTerm")],
            TrueColor,
        ),
        (
            &[("TERM", "xterm-256color"), ("TERM_PROGRAM", "vscode")],
            TrueColor,
        ),
        (
            &[("TERM", "xterm-ghostty"), ("TERM_PROGRAM", "ghostty")],
            TrueColor,
        ),
        (
            &[
                ("TERM", "xterm-256color"),
                ("TERM_PROGRAM", "Apple_Terminal"),
            ],
            Palette256,
        ),
        (
            &[("TERM", "xterm-256color"), ("WT_SESSION", "5e1c")],
            TrueColor,
        ),
        (
            &[("TERM", "xterm-256color"), ("VTE_VERSION", "7600")],
            TrueColor,
        ),
        (
            &[("TERM", "xterm-256color"), ("VTE_VERSION", "3405")],
            Palette256,
        ),
        (
            &[("TERM", "xterm-256color"), ("KONSOLE_VERSION", "230805")],
            TrueColor,
        ),
        // GNU screen passes on 256 colours whatever the outer terminal.
        (
            &[("TERM", "screen-256color"), ("TERM_PROGRAM", "iTerm.app")],
            Palette256,
        ),
        // Over SSH only TERM arrives.
        (
            &[("TERM", "xterm-256color"), ("SSH_CONNECTION", "1 2 3 4")],
            Palette256,
        ),
        (
            &[("TERM", "xterm-kitty"), ("SSH_TTY", "/dev/pts/3")],
            TrueColor,
        ),
        // tmux without an answer: inherited hints say nothing...
        (
            &[
                ("TMUX", "/tmp/t,1,0"),
                ("TERM", "tmux-256color"),
                ("TERM_PROGRAM", "tmux"),
            ],
            Palette256,
        ),
        (
            &[
                ("TMUX", "/tmp/t,1,0"),
                ("TERM", "screen"),
                ("VTE_VERSION", "7600"),
            ],
            Palette256,
        ),
        // ...but COLORTERM set for the game is believed.
        (
            &[
                ("TMUX", "/tmp/t,1,0"),
                ("TERM", "tmux-256color"),
                ("COLORTERM", "truecolor"),
            ],
            TrueColor,
        ),
    ];

    #[test]
    fn each_environment_gets_its_colour_depth() {
        for (vars, want) in CASES {
            assert_eq!(ColorDepth::from_env(&env(vars), None), *want, "{vars:?}");
        }
    }

    #[test]
    fn the_terminal_probe_can_only_add_true_colour() {
        let plain = env(&[("TERM", "xterm-256color")]);
        assert_eq!(ColorDepth::from_env(&plain, Some(true)), TrueColor);
        assert_eq!(ColorDepth::from_env(&plain, Some(false)), Palette256);
        let kitty = env(&[("TERM", "xterm-kitty")]);
        assert_eq!(ColorDepth::from_env(&kitty, Some(false)), TrueColor);
        let none = env(&[("NO_COLOR", "1")]);
        assert_eq!(ColorDepth::from_env(&none, Some(true)), Mono);
    }

    #[test]
    fn inside_tmux_its_answer_decides() {
        let inside = || {
            env(&[
                ("TMUX", "/tmp/t,1,0"),
                ("TERM", "tmux-256color"),
                ("COLORTERM", "truecolor"),
            ])
        };
        let rgb = tmux(
            "bpaste,ccolour,clipboard,RGB,title",
            "xterm-256color",
            "",
            "3.3a",
        );
        assert_eq!(
            ColorDepth::from_env(&inside().with_tmux(rgb), None),
            TrueColor
        );
        // No RGB: tmux would turn 24-bit colours into its nearest 256,
        // whatever COLORTERM or the probe say.
        let plain = tmux(
            "bpaste,ccolour,clipboard,title",
            "xterm-256color",
            "xterm*:clipboard",
            "3.3a",
        );
        assert_eq!(
            ColorDepth::from_env(&inside().with_tmux(plain.clone()), Some(true)),
            Palette256
        );
        // tmux before 3.2: no features, a Tc override for the terminal.
        let old = tmux("", "xterm-256color", "xterm*:Tc\nscreen*:title", "3.1c");
        assert_eq!(
            ColorDepth::from_env(&inside().with_tmux(old), None),
            TrueColor
        );
        let other = tmux("", "rxvt-unicode", "xterm*:Tc", "3.1c");
        assert_eq!(
            ColorDepth::from_env(&inside().with_tmux(other), None),
            Palette256
        );
        let rgb_cap = tmux("", "foot", "*:RGB=1", "2.9");
        assert_eq!(
            ColorDepth::from_env(&inside().with_tmux(rgb_cap), None),
            TrueColor
        );
        // No client attached (no termname): the environment decides.
        let detached = tmux("", "", "", "3.3a");
        assert_eq!(
            ColorDepth::from_env(&inside().with_tmux(detached), None),
            TrueColor
        );
    }

    #[test]
    fn tmux_output_is_parsed() {
        let out =
            "bpaste,RGB,title|xterm-256color|3.3a\nxterm*:clipboard:ccolour\nxterm-256color:Tc\n";
        let t = parse_tmux(out).unwrap();
        assert_eq!(t.features, "bpaste,RGB,title");
        assert_eq!(t.termname, "xterm-256color");
        assert_eq!(t.version, "3.3a");
        assert_eq!(t.overrides, "xterm*:clipboard:ccolour\nxterm-256color:Tc");
        assert!(t.has_features_option());
        assert!(!tmux("", "", "", "3.1c").has_features_option());
        assert!(tmux("", "", "", "next-3.5").has_features_option());
        assert_eq!(parse_tmux(""), None);
    }

    #[test]
    fn globs_match_like_tmux() {
        assert!(glob("xterm*", "xterm-256color"));
        assert!(glob("*", ""));
        assert!(glob("*256*", "screen-256color"));
        assert!(glob("xterm-?56color", "xterm-256color"));
        assert!(!glob("xterm*", "rxvt"));
        assert!(!glob("xterm", "xterm-256color"));
        assert!(glob("", ""));
    }

    #[test]
    fn hints_fit_the_narrowest_screen_and_suit_the_place() {
        let local = env(&[("TERM", "xterm-256color")]);
        let ssh = env(&[("SSH_CONNECTION", "a b c d")]);
        let in_tmux = env(&[("TMUX", "/tmp/t,1,0"), ("SSH_TTY", "/dev/pts/1")]);
        let old_tmux = in_tmux.clone().with_tmux(tmux("", "xterm", "", "3.0"));
        let new_tmux = in_tmux
            .clone()
            .with_tmux(tmux("title", "xterm", "", "3.3a"));
        assert!(truecolor_hint(&local).contains("export COLORTERM=truecolor"));
        assert!(truecolor_hint(&ssh).contains("SSH: export COLORTERM=truecolor"));
        assert!(truecolor_hint(&in_tmux).contains("terminal-features"));
        assert!(truecolor_hint(&new_tmux).contains("terminal-features ',*:RGB'"));
        assert!(truecolor_hint(&old_tmux).contains("terminal-overrides ',*:Tc'"));
        for e in [local, ssh, in_tmux, old_tmux, new_tmux] {
            let hint = truecolor_hint(&e);
            assert!(
                hint.chars().count() <= crate::ui::MIN_WIDTH as usize,
                "{hint}"
            );
            // One spelling, as the README and the serve hint write it.
            assert!(!hint.contains("true colour"), "{hint}");
        }
    }

    #[test]
    fn a_query_that_hangs_is_given_up() {
        let mut echo = Command::new("echo");
        echo.arg("3.3a");
        assert_eq!(
            run_bounded(echo, Duration::from_secs(5)).as_deref(),
            Some("3.3a\n")
        );
        // A command that would take ten seconds is killed at the bound.
        let mut slow = Command::new("sleep");
        slow.arg("10");
        let start = Instant::now();
        assert_eq!(run_bounded(slow, Duration::from_millis(100)), None);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(
            run_bounded(Command::new("false"), Duration::from_secs(5)),
            None
        );
        assert_eq!(
            run_bounded(Command::new("/nonexistent/tmux"), Duration::from_secs(5)),
            None
        );
    }
}
