//! Levels from measurements: fixed cut points where a quantity has a
//! meaningful scale, pack-relative tertiles where it has none.

use super::Measurements;
use crate::core::attributes::{AttributeDef, Levels};
use crate::core::tuning::*;

fn hair_length_level(m: &Measurements) -> &'static str {
    if m.hair_top < BALD_HAIR_TOP_BELOW
        && m.skin_top > BALD_SKIN_TOP_ABOVE
        && m.hair_side < BALD_HAIR_SIDE_BELOW
    {
        "bald"
    } else if m.hair_side > LONG_HAIR_SIDE_ABOVE
        || (m.hair_below > LONG_HAIR_BELOW_ABOVE && m.hair_side > LONG_WITH_BELOW_SIDE_ABOVE)
    {
        "long"
    } else if m.hair_side > MEDIUM_HAIR_SIDE_ABOVE {
        "medium"
    } else {
        "short"
    }
}

fn smile_level(m: &Measurements) -> &'static str {
    if m.teeth > BROAD_TEETH_ABOVE || m.mouth_open > BROAD_MOUTH_OPEN_ABOVE {
        "broad"
    } else if m.mouth_lift > SLIGHT_MOUTH_LIFT_ABOVE || m.mouth_width > SLIGHT_MOUTH_WIDTH_ABOVE {
        "slight"
    } else {
        "neutral"
    }
}

fn facial_hair_level(m: &Measurements) -> &'static str {
    if m.beard > BEARD_ABOVE {
        "beard"
    } else if m.moustache > MOUSTACHE_ABOVE && m.beard < STUBBLE_ABOVE {
        "moustache"
    } else if m.beard > STUBBLE_ABOVE {
        "stubble"
    } else {
        "none"
    }
}

/// Measured attributes beyond the canonical twelve, for photo packs: (name,
/// levels, description). Both are pack-relative tertiles.
pub const NOSE_WIDTH: (&str, [&str; 3], &str) = (
    "nose_width",
    ["narrow", "medium", "wide"],
    "Nose width at the nostrils relative to the eye distance (pack tertiles).",
);

pub const SKIN_TEXTURE: (&str, [&str; 3], &str) = (
    "skin_texture",
    ["smooth", "medium", "textured"],
    "Fine texture of the cheek skin: pores, blemishes, stubble (pack tertiles).",
);

pub const LIP_COLOR: (&str, [&str; 3], &str) = (
    "lip_color",
    ["muted", "natural", "vivid"],
    "How much redder the lips are than the skin: lipstick, flush (pack tertiles).",
);

/// Definitions of the measured attributes that are not canonical.
pub fn measured_extras() -> Vec<AttributeDef> {
    [NOSE_WIDTH, SKIN_TEXTURE, LIP_COLOR]
        .iter()
        .map(|(name, levels, description)| AttributeDef {
            name: (*name).to_string(),
            levels: levels.iter().map(|l| (*l).to_string()).collect(),
            description: (*description).to_string(),
        })
        .collect()
}

/// Tertile level (0, 1, 2) of each value within the pack.
fn tertiles(values: &[f64]) -> Vec<usize> {
    let ranks = crate::math::stats::average_ranks(values);
    let n = values.len().max(1) as f64;
    ranks
        .iter()
        .map(|r| (((r - 0.5) / n * 3.0).floor() as usize).min(2))
        .collect()
}

/// Tertiles of an optional measurement among the faces that have it; `None`
/// for the others.
fn measured_tertiles(
    all: &[Measurements],
    value: impl Fn(&Measurements) -> Option<f64>,
) -> Vec<Option<usize>> {
    let mut levels = tertiles(&all.iter().filter_map(&value).collect::<Vec<_>>()).into_iter();
    all.iter()
        .map(|m| value(m).and_then(|_| levels.next()))
        .collect()
}

/// Turns a pack's measurements into canonical levels: fixed cut points where
/// the quantity has a meaningful scale, pack-relative tertiles otherwise.
pub fn quantise(all: &[Measurements]) -> Vec<Levels> {
    let eye = tertiles(&all.iter().map(|m| m.eye_area).collect::<Vec<_>>());
    let brow = tertiles(&all.iter().map(|m| m.brow_thickness).collect::<Vec<_>>());
    let lips = tertiles(&all.iter().map(|m| m.lip_ratio).collect::<Vec<_>>());
    let aspect = tertiles(&all.iter().map(|m| m.face_aspect).collect::<Vec<_>>());
    let jaw = tertiles(&all.iter().map(|m| m.jaw_ratio).collect::<Vec<_>>());
    let nose = tertiles(&all.iter().map(|m| m.nose_width).collect::<Vec<_>>());
    // Tertiles among the faces whose cheeks (lips) could be measured.
    let texture = measured_tertiles(all, |m| m.skin_texture);
    let lip_color = measured_tertiles(all, |m| m.lip_redness);
    all.iter()
        .enumerate()
        .map(|(i, m)| {
            let mut levels = Levels::new();
            let mut set = |k: &str, v: &str| {
                levels.insert(k.to_string(), v.to_string());
            };
            if let Some(score) = m.skin_tone {
                set("skin_tone", crate::vision::skin_tone::level(score));
            }
            if let (Some(score), Some(hair)) = (m.hair_color, m.hair_lab) {
                set("hair_color", crate::vision::hair_color::level(score, hair));
            }
            set("hair_length", hair_length_level(m));
            set("smile", smile_level(m));
            set("facial_hair", facial_hair_level(m));
            set(
                "glasses",
                if m.glasses > GLASSES_CUT {
                    "glasses"
                } else {
                    "none"
                },
            );
            set("eye_size", ["small", "medium", "large"][eye[i]]);
            set("eyebrows", ["thin", "medium", "thick"][brow[i]]);
            set("lips", ["thin", "medium", "full"][lips[i]]);
            let shape = match (aspect[i], jaw[i]) {
                (2, _) => "long",
                (0, 2) => "square",
                (0, _) => "round",
                (_, 0) => "heart",
                (_, 2) => "square",
                _ => "oval",
            };
            set("face_shape", shape);
            set(NOSE_WIDTH.0, NOSE_WIDTH.1[nose[i]]);
            if let Some(t) = texture[i] {
                set(SKIN_TEXTURE.0, SKIN_TEXTURE.1[t]);
            }
            if let Some(t) = lip_color[i] {
                set(LIP_COLOR.0, LIP_COLOR.1[t]);
            }
            levels
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nose_width_skin_texture_and_lip_color_are_pack_tertiles() {
        let faces: Vec<Measurements> = (0..6)
            .map(|i| Measurements {
                nose_width: f64::from(i),
                skin_texture: (i != 2).then(|| f64::from(10 - i)),
                lip_redness: (i != 4).then(|| f64::from(i % 3)),
                ..Measurements::default()
            })
            .collect();
        let levels = quantise(&faces);
        let nose: Vec<&str> = levels.iter().map(|l| l["nose_width"].as_str()).collect();
        assert_eq!(
            nose,
            ["narrow", "narrow", "medium", "medium", "wide", "wide"]
        );
        assert!(!levels[2].contains_key("skin_texture"));
        assert_eq!(levels[0]["skin_texture"], "textured");
        assert_eq!(levels[5]["skin_texture"], "smooth");
        // lip redness 0, 1, 2, 0, -, 2: ranks among the five measured
        let lips: Vec<Option<&str>> = levels
            .iter()
            .map(|l| l.get("lip_color").map(String::as_str))
            .collect();
        assert_eq!(
            lips,
            [
                Some("muted"),
                Some("natural"),
                Some("vivid"),
                Some("muted"),
                None,
                Some("vivid")
            ]
        );
        let defs = measured_extras();
        for l in &levels {
            for d in &defs {
                if let Some(v) = l.get(&d.name) {
                    assert!(d.level_index(v).is_some(), "{v}");
                }
            }
        }
    }

    #[test]
    fn tertiles_split_in_three() {
        assert_eq!(
            tertiles(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            vec![0, 0, 1, 1, 2, 2]
        );
    }
}
