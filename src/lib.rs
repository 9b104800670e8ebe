//! mytype: rate faces, and a preference model (naive Bayes over facial
//! attributes, blended with the crowd and the face's appeal) tells you who
//! your type is.
//!
//! Data flows one way, and each layer uses only those below it: core (ratings,
//! attributes, tuned constants) → math → vision (photos to measurements and
//! attribute levels) → model (the player's taste) → pack (faces and their
//! levels) → profile (a player's ratings) → game and eval (the reveal; the
//! benchmarks) → signals (hang-ups and termination, for the terminal sessions)
//! → ui → serve (the game over SSH) and the command line (`src/cli/`, in the
//! binary).
//! `tests/it/house_rules.rs` checks it.

pub mod core;
pub mod eval;
pub mod game;
pub mod math;
pub mod model;
pub mod pack;
pub mod profile;
pub mod serve;
pub mod signals;
pub mod ui;
pub mod vision;

use std::path::{Path, PathBuf};

/// Environment variable naming the pack to play when `--pack` is not given.
pub const PACK_ENV: &str = "MYTYPE_PACK";

/// Where the pack played when none is given comes from (see
/// [`default_pack`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackOrigin {
    /// `MYTYPE_PACK` names it.
    Env,
    /// `faces/default` under the current folder.
    HereFolder,
    /// `faces/default` in mytype's sources (`$CARGO_MANIFEST_DIR`, set by
    /// `cargo run`): the bundled pack's own folder.
    Sources,
    /// The pack embedded in the binary, written to the user's data folder.
    Bundled,
}

/// The pack to play when none is given, and where that choice came from:
/// `MYTYPE_PACK`, else `faces/default` under the current folder, else the
/// one under `$CARGO_MANIFEST_DIR` (set by `cargo run`), else the bundled
/// pack embedded in the binary, written to the user's data folder on first
/// use ([`pack::bundled`]).
pub fn default_pack() -> Result<(PathBuf, PackOrigin), pack::bundled::BundledError> {
    if let Some(dir) = std::env::var_os(PACK_ENV).filter(|v| !v.is_empty()) {
        return Ok((PathBuf::from(dir), PackOrigin::Env));
    }
    let local = PathBuf::from("faces/default");
    if local.join(pack::MANIFEST_FILE).is_file() {
        return Ok((local, PackOrigin::HereFolder));
    }
    if let Some(sources) = std::env::var_os("CARGO_MANIFEST_DIR").filter(|v| !v.is_empty()) {
        let dir = Path::new(&sources).join("faces/default");
        if dir.join(pack::MANIFEST_FILE).is_file() {
            return Ok((dir, PackOrigin::Sources));
        }
    }
    Ok((pack::bundled::install()?, PackOrigin::Bundled))
}

/// The folder of [`default_pack`].
pub fn default_pack_dir() -> Result<PathBuf, pack::bundled::BundledError> {
    Ok(default_pack()?.0)
}
