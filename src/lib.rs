//! mytype: rate faces, and a naive-Bayes preference model tells you who your type is.
//!
//! Data flows one way: pack → attributes → model → profile → ui.

pub mod appeal;
pub mod attributes;
pub mod bench;
pub mod csv_table;
pub mod detect;
pub mod dlib_format;
pub mod extract;
pub mod face_net;
pub mod hair_color;
pub mod imaging;
pub mod landmarks;
pub mod model;
pub mod pack;
pub mod party;
pub mod photo;
pub mod profile;
pub mod rating;
pub mod recommend;
pub mod signals;
pub mod skin_tone;
pub mod stats;
pub mod ui;
pub mod words;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Environment variable naming the pack to play when `--pack` is not given.
pub const PACK_ENV: &str = "MYTYPE_PACK";

/// The pack to play when none is given: `MYTYPE_PACK`, else `faces/default`
/// under the current folder, else the one under `$CARGO_MANIFEST_DIR` (set
/// by `cargo run`), else the bundled pack embedded in the binary, written to
/// the user's data folder on first use ([`pack::bundled`]).
pub fn default_pack_dir() -> Result<PathBuf, pack::bundled::BundledError> {
    if let Some(dir) = std::env::var_os(PACK_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let local = PathBuf::from("faces/default");
    if local.join(pack::MANIFEST_FILE).is_file() {
        return Ok(local);
    }
    if let Some(sources) = std::env::var_os("CARGO_MANIFEST_DIR").filter(|v| !v.is_empty()) {
        let dir = Path::new(&sources).join("faces/default");
        if dir.join(pack::MANIFEST_FILE).is_file() {
            return Ok(dir);
        }
    }
    pack::bundled::install()
}

/// An argument as the shell needs it typed: as it is when it is plain,
/// else quoted (`'my pack'`).
pub fn shell_word(arg: &OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    match shlex::bytes::try_quote(arg.as_bytes()) {
        Ok(quoted) => String::from_utf8_lossy(&quoted).into_owned(),
        Err(_) => arg.to_string_lossy().into_owned(),
    }
}

/// This program as the player started it, to put in a command they can
/// type: `mytype` when it was found on PATH, else the path they used
/// (`./mytype`, `target/release/mytype`), which works from the same folder.
pub fn program_word() -> String {
    match std::env::args_os().next() {
        Some(arg0) if Path::new(&arg0).components().count() > 1 => shell_word(&arg0),
        _ => "mytype".to_string(),
    }
}
