//! What the manual page says beyond the clap definitions: synopses with
//! value placeholders (clap_mangen 0.3 leaves them out), and the sections
//! on the game's keys, the environment, exit codes and files. The keys come
//! from the tables the game's help screen draws; the other tables are here,
//! built from the constants the code uses, for the README to follow.

use mytype::ui::keys;
use std::io::Write;

/// Environment variables: name, effect.
pub fn environment() -> Vec<(String, String)> {
    vec![
        (
            mytype::profile::PROFILES_ENV.into(),
            "the profiles folder (--profiles-dir wins)".into(),
        ),
        (
            mytype::PACK_ENV.into(),
            "the pack to rate (--pack wins)".into(),
        ),
        (
            mytype::vision::landmarks::MODEL_ENV.into(),
            "dlib's landmark model for `pack build` (--landmark-model wins)".into(),
        ),
        (
            "COLORTERM".into(),
            "truecolor or 24bit: faces in 24-bit colour".into(),
        ),
        (
            "NO_COLOR".into(),
            "set and not empty: no colours; faces as shading glyphs".into(),
        ),
    ]
}

/// Exit codes: code, meaning. The signal codes are `128 + signal`, as
/// [`mytype::signals::Stop::exit_code`] gives them, for the signals a game
/// ends cleanly on ([`mytype::signals::HANDLED`]).
pub fn exit_codes() -> Vec<(String, String)> {
    use mytype::signals::{Stop, HANDLED};
    let mut codes: Vec<(String, String)> = vec![
        ("0".into(), "done, or you quit".into()),
        (
            "1".into(),
            "an error, with a message on stderr (a locked profile, a missing pack, a pack \
             check that found errors, too few ratings for a pick, …)"
                .into(),
        ),
        (
            "2".into(),
            "a mistake on the command line (usage printed)".into(),
        ),
        (
            "101".into(),
            "a bug: the terminal is restored and your ratings saved first".into(),
        ),
    ];
    let mut signals: Vec<Stop> = HANDLED.iter().map(|&n| Stop(n)).collect();
    signals.sort_by_key(|s| s.exit_code());
    for stop in signals {
        let what = match stop.name() {
            "SIGHUP" => "the terminal hung up (SIGHUP, e.g. a dropped SSH connection); saved",
            "SIGINT" => "SIGINT (from outside the game); saved",
            "SIGTERM" => "SIGTERM; saved",
            _ => "a signal; saved",
        };
        codes.push((stop.exit_code().to_string(), what.into()));
    }
    codes
}

/// Files: path, what it holds.
pub fn files() -> Vec<(String, String)> {
    vec![
        (
            "~/.local/share/mytype/profiles/NAME.ron".into(),
            format!(
                "a player's profile: every rating in order (the folder: --profiles-dir, \
                 else ${}, else the XDG data dir)",
                mytype::profile::PROFILES_ENV
            ),
        ),
        (
            "~/.local/share/mytype/profiles/.NAME.lock".into(),
            "held while a game or `rate` writes the profile".into(),
        ),
        (
            format!("DIR/{}, DIR/images/", mytype::pack::MANIFEST_FILE),
            "a face pack: the manifest and its images".into(),
        ),
        (
            format!("./faces/default/{}", mytype::pack::MANIFEST_FILE),
            format!(
                "the pack played when neither --pack nor ${} is given, if present; else the \
                 bundled pack, written to the XDG data dir on first use",
                mytype::PACK_ENV
            ),
        ),
        (
            mytype::vision::landmarks::DEBIAN_MODEL_PATH.into(),
            "dlib's 68-point landmark model, used by `pack build` (Debian's libdlib-data)".into(),
        ),
    ]
}

/// Text as roff reads it literally: backslashes and hyphens escaped, and a
/// leading dot or quote kept from being a request.
pub fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

fn table(out: &mut dyn Write, title: &str, rows: &[(String, String)]) -> std::io::Result<()> {
    writeln!(out, ".SH {title}")?;
    for (term, text) in rows {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(term), roff(text))?;
    }
    Ok(())
}

/// The sections after the commands: keys, environment, exit status, files.
pub fn render_extra_sections(out: &mut dyn Write) -> std::io::Result<()> {
    let rows = |t: &[keys::Row]| -> Vec<(String, String)> {
        keys::help_rows(t)
            .into_iter()
            .map(|(k, h)| (k.to_string(), h.to_string()))
            .collect()
    };
    let mut game = rows(keys::GAME);
    game.push((
        "Ctrl-C / Ctrl-D".into(),
        "save and quit, on every screen".into(),
    ));
    table(out, "KEYS", &game)?;
    writeln!(out, ".SS \"In a mytype serve game, also\"")?;
    for (k, h) in rows(keys::PARTY) {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(&k), roff(&h))?;
    }
    writeln!(out, ".SS \"In a replay\"")?;
    for (k, h) in rows(keys::REPLAY) {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(&k), roff(&h))?;
    }
    table(out, "ENVIRONMENT", &environment())?;
    table(out, "EXIT STATUS", &exit_codes())?;
    table(out, "FILES", &files())
}

/// One argument in a synopsis: `[--pack DIR]`, `--profile NAME`, `[--json]`,
/// `<NAME>`.
fn synopsis_arg(arg: &clap::Arg) -> String {
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
    let value = || {
        arg.get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| arg.get_id().as_str().to_uppercase(), |v| v.to_string())
    };
    let (open, close) = if arg.is_required_set() {
        ("", "")
    } else {
        ("[", "]")
    };
    if arg.is_positional() {
        let (open, close) = if arg.is_required_set() {
            ("<", ">")
        } else {
            ("[", "]")
        };
        return format!("{open}\\fI{}\\fR{close}", roff(&value()));
    }
    let mut names = Vec::new();
    if let Some(s) = arg.get_short() {
        names.push(format!("\\fB\\-{}\\fR", roff(&s.to_string())));
    }
    if let Some(l) = arg.get_long() {
        names.push(format!("\\fB\\-\\-{}\\fR", roff(l)));
    }
    let mut text = names.join("|");
    if takes_value {
        text.push_str(&format!(" \\fI{}\\fR", roff(&value())));
    }
    format!("{open}{text}{close}")
}

/// A command's SYNOPSIS section, with every option's value placeholder.
pub fn render_synopsis(cmd: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut words = vec![format!("\\fB{}\\fR", roff(name))];
    words.extend(
        cmd.get_arguments()
            .filter(|a| !a.is_hide_set())
            .map(synopsis_arg),
    );
    if cmd.has_subcommands() {
        words.push("[\\fICOMMAND\\fR]".into());
    }
    writeln!(out, ".SH SYNOPSIS\n{}", words.join(" "))
}
