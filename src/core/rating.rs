//! The five rating levels, 1 = Very weak … 5 = Type.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A player's rating of one face. Ordered: `VeryWeak < … < Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Rating {
    VeryWeak = 1,
    SlightlyWeak = 2,
    Normal = 3,
    SlightlyLike = 4,
    Type = 5,
}

impl Rating {
    /// All levels, lowest first.
    pub const ALL: [Rating; 5] = [
        Rating::VeryWeak,
        Rating::SlightlyWeak,
        Rating::Normal,
        Rating::SlightlyLike,
        Rating::Type,
    ];

    /// 1..=5.
    pub fn value(self) -> u8 {
        self as u8
    }

    /// Index 0..5 (for per-class tables).
    pub fn index(self) -> usize {
        self as usize - 1
    }

    pub fn from_value(value: u8) -> Option<Rating> {
        Rating::ALL.get(usize::from(value).checked_sub(1)?).copied()
    }

    /// The label shown to players.
    pub fn label(self) -> &'static str {
        match self {
            Rating::VeryWeak => "Very weak",
            Rating::SlightlyWeak => "Slightly weak",
            Rating::Normal => "Normal",
            Rating::SlightlyLike => "Slightly like",
            Rating::Type => "Type",
        }
    }

    /// Parses `1`..`5` or a label (any case; spaces, `-` or `_` between words).
    pub fn parse(text: &str) -> Option<Rating> {
        let t = text.trim();
        if let Ok(n) = t.parse::<u8>() {
            return Rating::from_value(n);
        }
        let norm: String = t
            .chars()
            .map(|c| match c {
                '-' | '_' | ' ' => ' ',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
        Rating::ALL
            .into_iter()
            .find(|r| r.label().to_ascii_lowercase() == norm)
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.value()
    }
}

impl TryFrom<u8> for Rating {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Rating::from_value(value).ok_or_else(|| format!("rating level {value} is not 1 to 5"))
    }
}

/// Why a `FACE_ID LEVEL` line of `mytype rate` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateLineError {
    #[error("expected `FACE_ID LEVEL`, got {0:?}")]
    Shape(String),
    #[error("unknown level {0:?} (use 1-5 with 5 = Type, or a label such as \"Slightly like\")")]
    Level(String),
}

/// Parses one `FACE_ID LEVEL` line of `mytype rate` (LEVEL: 1-5 or a label,
/// which may contain spaces). Blank lines and `#` comments give `Ok(None)`.
pub fn parse_rate_line(line: &str) -> Result<Option<(String, Rating)>, RateLineError> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let (face, level) = match line.split_once(char::is_whitespace) {
        Some((f, l)) => (f, l.trim()),
        None => return Err(RateLineError::Shape(line.to_string())),
    };
    let rating = Rating::parse(level).ok_or_else(|| RateLineError::Level(level.to_string()))?;
    Ok(Some((face.to_string(), rating)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_out_of_range_is_worded_plainly() {
        assert_eq!(
            Rating::try_from(7u8).unwrap_err(),
            "rating level 7 is not 1 to 5"
        );
    }

    #[test]
    fn rate_lines_parse() {
        assert_eq!(
            parse_rate_line("m001 5").unwrap(),
            Some(("m001".into(), Rating::Type))
        );
        assert_eq!(
            parse_rate_line("  m002   Slightly like ").unwrap(),
            Some(("m002".into(), Rating::SlightlyLike))
        );
        assert_eq!(parse_rate_line("# comment").unwrap(), None);
        assert_eq!(parse_rate_line("").unwrap(), None);
        assert_eq!(
            parse_rate_line("m001"),
            Err(RateLineError::Shape("m001".into()))
        );
        assert_eq!(
            parse_rate_line("m001 7"),
            Err(RateLineError::Level("7".into()))
        );
    }

    #[test]
    fn parses_numbers_and_labels() {
        assert_eq!(Rating::parse("5"), Some(Rating::Type));
        assert_eq!(Rating::parse("1"), Some(Rating::VeryWeak));
        assert_eq!(Rating::parse("0"), None);
        assert_eq!(Rating::parse("6"), None);
        assert_eq!(Rating::parse("type"), Some(Rating::Type));
        assert_eq!(Rating::parse("Slightly like"), Some(Rating::SlightlyLike));
        assert_eq!(Rating::parse("slightly_weak"), Some(Rating::SlightlyWeak));
        assert_eq!(Rating::parse("VERY-WEAK"), Some(Rating::VeryWeak));
        assert_eq!(Rating::parse("meh"), None);
        assert!(Rating::VeryWeak < Rating::Type);
        assert_eq!(Rating::Type.index(), 4);
    }
}
