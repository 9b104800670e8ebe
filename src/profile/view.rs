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
        let view: ProfileView = match Canonical::parse(text) {
            Some(view) => view,
            None => ron_options().from_str(text).ok()?,
        };
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

/// The form mytype itself writes a profile in (`Profile::to_ron`), read
/// without RON's general parser, which takes most of the time of loading a
/// crowd: the fields in mytype's order, plain strings (no escapes), levels
/// 1 to 5, ASCII white space, optional trailing commas. Anything else
/// (comments, escapes, struct names, other fields or orders, a version or
/// level out of range, more than [`super::MAX_RATINGS`] ratings) is left
/// to RON: `None`. What it reads, RON reads the same.
struct Canonical<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Canonical<'a> {
    fn parse(text: &'a str) -> Option<ProfileView<'a>> {
        let mut p = Canonical { text, at: 0 };
        p.token(b'(')?;
        let version = p.field("version", Canonical::number)?;
        let player = p.field("player", Canonical::string)?;
        p.name("pack")?;
        p.token(b'(')?;
        let pack = p.field("name", Canonical::string)?;
        p.last("hash", Canonical::string)?;
        p.close(b')')?;
        p.token(b',')?;
        p.name("ratings")?;
        p.token(b'[')?;
        let mut ratings = Vec::new();
        while !p.peek(b']') {
            if ratings.len() == super::MAX_RATINGS {
                return None;
            }
            p.token(b'(')?;
            let face = p.field("face", Canonical::string)?;
            let level = p.field("level", Canonical::level)?;
            p.last("time", Canonical::string)?;
            p.close(b')')?;
            ratings.push(RatingView {
                face: Cow::Borrowed(face),
                level,
                time: SkippedString,
            });
            if !p.peek(b']') {
                p.token(b',')?;
            }
        }
        p.token(b']')?;
        p.close(b')')?;
        p.skip_space();
        (p.at == text.len()).then_some(ProfileView {
            version,
            player: Cow::Borrowed(player),
            pack: PackNameView {
                name: Cow::Borrowed(pack),
                hash: SkippedString,
            },
            ratings,
        })
    }

    fn bytes(&self) -> &'a [u8] {
        &self.text.as_bytes()[self.at..]
    }

    fn skip_space(&mut self) {
        let n = self
            .bytes()
            .iter()
            .take_while(|b| b" \t\r\n".contains(b))
            .count();
        self.at += n;
    }

    fn peek(&mut self, byte: u8) -> bool {
        self.skip_space();
        self.bytes().first() == Some(&byte)
    }

    fn token(&mut self, byte: u8) -> Option<()> {
        self.peek(byte).then(|| self.at += 1)
    }

    /// An optional trailing comma, then `byte`.
    fn close(&mut self, byte: u8) -> Option<()> {
        if self.peek(b',') {
            self.at += 1;
        }
        self.token(byte)
    }

    /// `name:`, where the name ends at the colon (not a longer name).
    fn name(&mut self, name: &str) -> Option<()> {
        self.skip_space();
        let rest = self.bytes().strip_prefix(name.as_bytes())?;
        if rest
            .first()
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            return None;
        }
        self.at += name.len();
        self.token(b':')
    }

    /// `name: value,`.
    fn field<T>(&mut self, name: &str, value: fn(&mut Self) -> Option<T>) -> Option<T> {
        let v = self.last(name, value)?;
        self.token(b',')?;
        Some(v)
    }

    /// `name: value`, the last field (see [`Self::close`]).
    fn last<T>(&mut self, name: &str, value: fn(&mut Self) -> Option<T>) -> Option<T> {
        self.name(name)?;
        self.skip_space();
        value(self)
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        let rest = self.bytes().strip_prefix(b"\"")?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[len] != b'"' {
            return None;
        }
        let start = self.at + 1;
        self.at = start + len + 1;
        self.text.get(start..start + len)
    }

    /// A version: digits without a leading zero, within `u32`.
    fn number(&mut self) -> Option<u32> {
        let digits = self
            .bytes()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let text = self.text.get(self.at..self.at + digits)?;
        if digits == 0 || (digits > 1 && text.starts_with('0')) || self.ident_follows(digits) {
            return None;
        }
        self.at += digits;
        text.parse().ok()
    }

    /// A level: one digit, 1 to 5.
    fn level(&mut self) -> Option<Rating> {
        let digit = *self.bytes().first()?;
        if !(b'1'..=b'5').contains(&digit) || self.ident_follows(1) {
            return None;
        }
        self.at += 1;
        Rating::try_from(digit - b'0').ok()
    }

    /// Whether a number of `len` bytes runs on (`1.5`, `1e3`, `1_0`, `0x1`).
    fn ident_follows(&self, len: usize) -> bool {
        self.bytes()
            .get(len)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"._".contains(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the crowd reads of a view, to compare.
    fn seen(v: &ProfileView) -> (u32, String, String, Vec<(String, Rating)>) {
        let ratings = v
            .ratings
            .iter()
            .map(|r| (r.face.to_string(), r.level))
            .collect();
        (
            v.version,
            v.player.to_string(),
            v.pack.name.to_string(),
            ratings,
        )
    }

    fn ron_view(text: &str) -> Option<ProfileView<'_>> {
        ron_options().from_str(text).ok()
    }

    #[test]
    fn what_the_fast_reading_accepts_ron_reads_the_same() {
        let profile = crate::profile::Profile {
            version: 1,
            player: "ana".into(),
            pack: crate::profile::PackRef {
                name: "déjà".into(),
                hash: "ab".into(),
            },
            ratings: vec![crate::profile::RatingEntry {
                face: "m1".into(),
                level: Rating::Type,
                time: "t".into(),
            }],
        };
        let text = profile.to_ron().unwrap();
        let fast = Canonical::parse(&text).expect("mytype's own form is read fast");
        assert_eq!(seen(&fast), seen(&ron_view(&text).unwrap()));
        // Every text one byte away from it: read fast only as RON reads it.
        let mut variants = Vec::new();
        for (i, _) in text.char_indices() {
            let mut cut = text.clone();
            cut.remove(i);
            variants.push(cut);
            for extra in [
                ",", " ", "/", "\\", "0", "x", "\"", ".", "_", "]", ")", "\u{a0}",
            ] {
                let mut more = text.clone();
                more.insert_str(i, extra);
                variants.push(more);
            }
        }
        let mut fast_read = 0;
        for variant in &variants {
            if let Some(fast) = Canonical::parse(variant) {
                fast_read += 1;
                let slow = ron_view(variant).unwrap_or_else(|| panic!("RON refuses {variant}"));
                assert_eq!(seen(&fast), seen(&slow), "{variant}");
            }
        }
        assert!(fast_read > 100, "{fast_read} of {}", variants.len());
        // Escapes are left to RON, which reads them.
        let escaped = text.replace("\"m1\"", "\"m\\u{31}\"");
        assert!(Canonical::parse(&escaped).is_none());
        assert_eq!(ProfileView::parse(&escaped).unwrap().ratings[0].face, "m1");
    }
}
