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
pub mod serve;
pub mod signals;
pub mod skin_tone;
pub mod stats;
pub mod ui;

use std::path::PathBuf;

/// Environment variable naming the pack to play when `--pack` is not given.
pub const PACK_ENV: &str = "MYTYPE_PACK";

/// The bundled pack: `MYTYPE_PACK`, else `faces/default` under the current
/// folder, else the one next to the sources this binary was built from.
pub fn default_pack_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(PACK_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("faces/default");
    if local.join(pack::MANIFEST_FILE).is_file() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("faces/default")
}
