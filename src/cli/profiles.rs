//! `mytype profiles list|show|rm`.

use super::common::{one_line, print_json};
use anyhow::Result;
use clap::Subcommand;
use mytype::core::words::{count, plural};
use mytype::profile::{Profile, ProfileError, ProfileStore};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum ProfilesCommand {
    /// List saved profiles
    List {
        /// Print the list as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show one profile's ratings
    Show {
        /// Profile name
        name: String,
        /// Print the profile as JSON
        #[arg(long)]
        json: bool,
    },
    /// Delete a profile
    Rm {
        /// Profile name
        name: String,
    },
}

/// One row of `profiles list --json`: a profile, or a file that could not
/// be read as one. Fields in the JSON's order (alphabetical).
#[derive(Serialize)]
#[serde(untagged)]
enum ListRow {
    Profile {
        last: Option<String>,
        name: String,
        pack: String,
        ratings: usize,
    },
    Damaged {
        error: String,
        name: String,
        /// Not a profile mytype reads (a pipe, a link, too big), rather than
        /// a profile with broken text.
        #[serde(skip)]
        refused: bool,
        /// What the text listing says: one line.
        #[serde(skip)]
        short: String,
    },
}

/// The `profiles show --json` document (fields alphabetical, as always).
#[derive(Serialize)]
struct ShowJson<'a> {
    name: &'a str,
    pack: PackJson<'a>,
    player: &'a str,
    ratings: Vec<RatingJson<'a>>,
    version: u32,
}

#[derive(Serialize)]
struct PackJson<'a> {
    hash: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct RatingJson<'a> {
    face: &'a str,
    label: &'static str,
    level: u8,
    time: &'a str,
}

impl<'a> ShowJson<'a> {
    fn new(name: &'a str, p: &'a Profile) -> Self {
        ShowJson {
            name,
            pack: PackJson {
                hash: &p.pack.hash,
                name: &p.pack.name,
            },
            player: &p.player,
            ratings: p
                .ratings
                .iter()
                .map(|r| RatingJson {
                    face: &r.face,
                    label: r.level.label(),
                    level: r.level.value(),
                    time: &r.time,
                })
                .collect(),
            version: p.version,
        }
    }
}

pub fn run(store: &ProfileStore, cmd: ProfilesCommand) -> Result<ExitCode> {
    match cmd {
        ProfilesCommand::List { json } => list(store, json)?,
        ProfilesCommand::Show { name, json } => show(store, &name, json)?,
        ProfilesCommand::Rm { name } => remove(store, &name)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Removes a profile while holding its lock, so that a game or `rate`
/// running on it cannot write it back; refuses, naming the holder, while
/// one does.
fn remove(store: &ProfileStore, name: &str) -> Result<()> {
    let exists = store.path_of(name)?.exists();
    let _lock = if exists {
        Some(store.lock(name).map_err(|e| match e {
            ProfileError::Locked { holder, .. } => anyhow::anyhow!(
                "profile {name} is in use by another mytype ({holder}): \
                 finish that game first, then remove it"
            ),
            e => e.into(),
        })?)
    } else {
        None
    };
    store.remove(name)?;
    eprintln!("Removed profile {name}");
    Ok(())
}

/// A profile's load error on the one line `profiles list` gives it: for a
/// damaged file, where and what, and the command that says more.
fn short_error(e: &ProfileError, name: &str) -> String {
    match e {
        ProfileError::Parse {
            line, col, message, ..
        } => format!(
            "line {line}, column {col}: {} (`{}` for more)",
            one_line(message.trim()),
            super::command_to_type(&["profiles".as_ref(), "show".as_ref(), name.as_ref()])
        ),
        e => e.to_string().replace('\n', " "),
    }
}

fn list(store: &ProfileStore, json: bool) -> Result<()> {
    let rows: Vec<ListRow> = store
        .list()?
        .into_iter()
        .map(|name| match store.load(&name) {
            Ok(p) => ListRow::Profile {
                last: p.ratings.last().map(|r| r.time.clone()),
                pack: p.pack.name,
                ratings: p.ratings.len(),
                name,
            },
            Err(e) => ListRow::Damaged {
                refused: matches!(e, ProfileError::Refused { .. }),
                error: e.to_string(),
                short: short_error(&e, &name),
                name,
            },
        })
        .collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        say!(
            "no profiles in {}",
            one_line(&store.dir().display().to_string())
        );
    }
    for row in rows {
        match row {
            ListRow::Damaged {
                short,
                name,
                refused,
                ..
            } => {
                let label = if refused { "skipped" } else { "damaged" };
                say!("{:<20} {label}: {}", one_line(&name), one_line(&short))
            }
            ListRow::Profile {
                name,
                pack,
                ratings,
                ..
            } => say!(
                "{:<20} {ratings:>3} {:<8} pack {}",
                one_line(&name),
                plural(ratings, "rating", "ratings"),
                one_line(&pack)
            ),
        }
    }
    Ok(())
}

fn show(store: &ProfileStore, name: &str, json: bool) -> Result<()> {
    let p = store.load(name)?;
    if json {
        return print_json(&ShowJson::new(name, &p));
    }
    // The pack's hash is in --json; the player's name only when it is not
    // the profile's (a copied or renamed file).
    let player = if p.player == name {
        String::new()
    } else {
        format!(" (started by player {})", one_line(&p.player))
    };
    say!(
        "profile {}{player}, pack {}",
        one_line(name),
        one_line(&p.pack.name)
    );
    say!("{}:", count(p.ratings.len(), "rating", "ratings"));
    for r in &p.ratings {
        say!(
            "  {}  {:<8} {} {}",
            one_line(&r.time),
            one_line(&r.face),
            r.level.value(),
            r.level.label()
        );
    }
    Ok(())
}
