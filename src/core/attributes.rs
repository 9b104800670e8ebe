//! The attribute vocabulary: quantised facial attributes shared by every pack.
//!
//! A canonical attribute has the same ordered levels in every pack, defined once
//! here, so a model learnt on one pack can rank the faces of another.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One attribute: a name, its ordered levels and a one-line description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub name: String,
    pub levels: Vec<String>,
    pub description: String,
}

impl AttributeDef {
    /// Index of `level` in the ordered levels, if it is one of them.
    pub fn level_index(&self, level: &str) -> Option<usize> {
        self.levels.iter().position(|l| l == level)
    }
}

/// Canonical attributes: (name, levels in order, description).
/// The skin tone levels, lightest to darkest.
pub const SKIN_TONES: [&str; 6] = [
    "very_light",
    "light",
    "intermediate",
    "tan",
    "brown",
    "dark",
];

const CANONICAL: &[(&str, &[&str], &str)] = &[
    ("sex", &["female", "male"], "Perceived sex."),
    (
        "age",
        &["young_adult", "adult", "middle_aged", "senior"],
        "Apparent age: under 30, 30-44, 45-59, 60 and over.",
    ),
    (
        "skin_tone",
        &SKIN_TONES,
        "Skin tone, lightest to darkest (the six ITA° classes).",
    ),
    (
        "hair_color",
        &[
            "grey",
            "blonde",
            "red",
            "light_brown",
            "dark_brown",
            "black",
        ],
        "Hair colour, roughly light to dark.",
    ),
    (
        "hair_length",
        &["bald", "short", "medium", "long"],
        "Hair length: none, above the ears, to the jaw, past the shoulders.",
    ),
    (
        "eye_size",
        &["small", "medium", "large"],
        "Eye opening relative to face width.",
    ),
    (
        "face_shape",
        &["long", "oval", "heart", "round", "square"],
        "Outline of the face, from narrow to wide.",
    ),
    (
        "eyebrows",
        &["thin", "medium", "thick"],
        "Eyebrow thickness.",
    ),
    ("lips", &["thin", "medium", "full"], "Lip fullness."),
    (
        "facial_hair",
        &["none", "stubble", "moustache", "beard"],
        "Facial hair, none to full beard.",
    ),
    ("glasses", &["none", "glasses"], "Whether glasses are worn."),
    (
        "smile",
        &["neutral", "slight", "broad"],
        "Expression, from neutral to a broad smile.",
    ),
];

/// Names of the canonical attributes, in their canonical order.
pub fn canonical_names() -> impl Iterator<Item = &'static str> {
    CANONICAL.iter().map(|(n, _, _)| *n)
}

/// The canonical definition of `name`, if it is canonical.
pub fn canonical(name: &str) -> Option<AttributeDef> {
    CANONICAL
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(n, levels, d)| AttributeDef {
            name: (*n).to_string(),
            levels: levels.iter().map(|l| (*l).to_string()).collect(),
            description: (*d).to_string(),
        })
}

/// All canonical attributes, in canonical order.
pub fn canonical_vocabulary() -> Vec<AttributeDef> {
    canonical_names().filter_map(canonical).collect()
}

/// A face's known attribute levels, by attribute name (stable order for output).
pub type Levels = BTreeMap<String, String>;

/// An attribute's name as people read it: `hair_color` is "hair colour",
/// `skin_tone` "skin tone" (words split at underscores, spelt as the rest of
/// the game's text: "colour"). Every human-facing text uses this; JSON keeps
/// the raw names.
pub fn attribute_label(name: &str) -> String {
    name.split('_')
        .map(|word| if word == "color" { "colour" } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A level as people read it: `light_brown` is "light brown"; `glasses`
/// of the attribute `glasses` is "worn" (so it does not say "glasses: glasses").
pub fn level_label(attribute: &str, level: &str) -> String {
    match (attribute, level) {
        ("glasses", "glasses") => "worn".to_string(),
        (_, other) => other.replace('_', " "),
    }
}

/// One attribute level for people, the same everywhere (`compare`,
/// `recommend`, `card`, the reveal's "Why", the replay): "hair colour: red".
pub fn trait_label(attribute: &str, level: &str) -> String {
    format!(
        "{}: {}",
        attribute_label(attribute),
        level_label(attribute, level)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_has_the_twelve_names_in_order() {
        let names: Vec<_> = canonical_names().collect();
        assert_eq!(
            names,
            [
                "sex",
                "age",
                "skin_tone",
                "hair_color",
                "hair_length",
                "eye_size",
                "face_shape",
                "eyebrows",
                "lips",
                "facial_hair",
                "glasses",
                "smile"
            ]
        );
        for def in canonical_vocabulary() {
            assert!(def.levels.len() >= 2, "{} has too few levels", def.name);
            let mut sorted = def.levels.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                def.levels.len(),
                "{} repeats a level",
                def.name
            );
        }
    }

    #[test]
    fn level_index_follows_order() {
        let skin = canonical("skin_tone").unwrap();
        assert_eq!(skin.level_index("very_light"), Some(0));
        assert_eq!(skin.level_index("dark"), Some(5));
        assert_eq!(skin.level_index("purple"), None);
        assert!(canonical("tail_length").is_none());
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(trait_label("hair_color", "red"), "hair colour: red");
        assert_eq!(
            trait_label("skin_tone", "very_light"),
            "skin tone: very light"
        );
        assert_eq!(
            trait_label("hair_color", "light_brown"),
            "hair colour: light brown"
        );
        assert_eq!(trait_label("sex", "female"), "sex: female");
        assert_eq!(trait_label("glasses", "glasses"), "glasses: worn");
        assert_eq!(trait_label("glasses", "none"), "glasses: none");
        assert_eq!(
            trait_label("crowd", "liked_by_others"),
            "crowd: liked by others"
        );
        assert_eq!(trait_label("lip_color", "deep_red"), "lip colour: deep red");
        for def in canonical_vocabulary() {
            for level in &def.levels {
                let label = trait_label(&def.name, level);
                assert!(!label.contains('_'), "{label}");
            }
        }
    }
}
