//! A profile read for the crowd: only what the crowd uses (the player, the
//! pack's name, each rating's face and level), borrowed from the file's
//! text. Loading the crowd reads every profile in the folder, so this skips
//! what a full [`Profile`](super::Profile) costs and the crowd never uses:
//! a `String` per face and per time stamp, the pack's hash.
//!
//! It accepts exactly the files [`Profile::parse`](super::Profile::parse)
//! accepts: the same field names and types (a time stamp must still be a
//! string, only it is not kept), the same struct names, the same version
//! check and the same cap on ratings.

use super::{capped, ProfileError, PROFILE_FORMAT_VERSION};
use crate::core::rating::Rating;
use crate::pack::ron_options;
use serde::Deserialize;
use std::borrow::Cow;
use std::path::Path;

/// A profile as the crowd reads it, borrowing from the file's text.
#[derive(Debug, Deserialize)]
#[serde(rename = "Profile")]
pub struct ProfileView<'a> {
    version: u32,
    #[serde(borrow)]
    pub player: Cow<'a, str>,
    #[serde(borrow)]
    pub pack: PackNameView<'a>,
    #[serde(default, borrow, deserialize_with = "capped")]
    pub ratings: Vec<RatingView<'a>>,
}

/// The pack a profile rated: its name (the hash is checked to be a string,
/// then dropped).
#[derive(Debug, Deserialize)]
#[serde(rename = "PackRef")]
pub struct PackNameView<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(default)]
    #[allow(dead_code)]
    hash: SkippedString,
}

/// One rating: the face and the level (the time is checked, then dropped).
#[derive(Debug, Deserialize)]
#[serde(rename = "RatingEntry")]
pub struct RatingView<'a> {
    #[serde(borrow)]
    pub face: Cow<'a, str>,
    pub level: Rating,
    #[allow(dead_code)]
    time: SkippedString,
}

/// A string field read and dropped without being copied: whatever a
/// `String` field accepts, it accepts, and nothing else.
#[derive(Debug, Default)]
struct SkippedString;

impl<'de> Deserialize<'de> for SkippedString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SkippedString;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<SkippedString, E> {
                Ok(SkippedString)
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<SkippedString, E> {
                // As `String` does: bytes count only when they are UTF-8.
                match std::str::from_utf8(v) {
                    Ok(_) => Ok(SkippedString),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
                }
            }
        }
        d.deserialize_string(Visitor)
    }
}

impl<'a> ProfileView<'a> {
    /// Parses `text` as [`Profile::parse`](super::Profile::parse) would,
    /// keeping only what the crowd uses. The error is only "not readable":
    /// the caller reads the file again the full way to say why (rare).
    pub fn parse(text: &'a str) -> Option<ProfileView<'a>> {
        let view: ProfileView = ron_options().from_str(text).ok()?;
        (view.version != 0 && view.version <= PROFILE_FORMAT_VERSION).then_some(view)
    }

    /// The latest level per face, in the order faces were first rated, as
    /// [`Profile::latest_ratings`](super::Profile::latest_ratings).
    pub fn latest_ratings(&self) -> Vec<(&str, Rating)> {
        super::latest_of(self.ratings.iter().map(|r| (r.face.as_ref(), r.level)))
    }
}

/// Reads `path` (through [`super::safe_file::read_capped_into`], into
/// `buffer`) and parses it as a [`ProfileView`]; on failure, the error the
/// full [`Profile::parse`](super::Profile::parse) gives.
pub fn read_view<'b>(
    path: &Path,
    buffer: &'b mut Vec<u8>,
) -> Result<ProfileView<'b>, ProfileError> {
    super::safe_file::read_capped_into(path, super::safe_file::Follow::No, buffer)?;
    let bytes: &'b [u8] = buffer;
    match std::str::from_utf8(bytes).ok().and_then(ProfileView::parse) {
        Some(view) => Ok(view),
        None => Err(full_error(path, bytes)),
    }
}

/// Why a file the view could not read is not a profile, in the words of
/// the full reading.
fn full_error(path: &Path, bytes: &[u8]) -> ProfileError {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => return super::safe_file::not_utf8(path),
    };
    match super::Profile::parse(text, path) {
        Err(e) => e,
        // Cannot happen: both accept the same files.
        Ok(_) => ProfileError::Parse {
            path: path.to_path_buf(),
            line: 1,
            col: 1,
            message: "not readable as a profile".into(),
        },
    }
}
