//! The `--info` CSV: values declared per face, which win over what the
//! photos show.

use super::BuildIssue;
use crate::core::attributes::{self, AttributeDef};
use crate::core::csv_table::CsvTable;
use crate::pack::{FaceEntry, PackError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Declared values per face id, from `--info`.
pub type Info = BTreeMap<String, BTreeMap<String, String>>;

/// Reads an info CSV: column `face` (file stem) plus any of `name`, `sex`
/// (or `gender`), `age`, `ethnicity` (or `race`), `crowd` (1..=5) or
/// canonical attribute names. A crowd score that is not a number in 1..=5 is
/// an error at its line and column.
pub fn read_info(path: &Path) -> Result<Info, PackError> {
    let table = CsvTable::read(path)?;
    let face_col = table.column("face")?;
    let mut out = Info::new();
    for row in table.rows() {
        let Some(face) = row.get(face_col).filter(|f| !f.is_empty()) else {
            continue;
        };
        let values = out.entry(face.to_string()).or_default();
        for (i, column) in table.columns().iter().enumerate() {
            if i == face_col {
                continue;
            }
            let Some(v) = row.get(i).filter(|v| !v.is_empty()) else {
                continue;
            };
            let column = info_column(column);
            // Numbers may have a decimal comma (`3,5`); names stay as written.
            let v = if column == CROWD_COLUMN || column == "age" {
                table.numeric_text(v)
            } else {
                v.into()
            };
            if column == CROWD_COLUMN && crowd_score(&v).is_none() {
                return Err(PackError::Parse {
                    path: path.to_path_buf(),
                    line: row.line,
                    col: row.char_column(i),
                    message: format!("crowd score \"{v}\" is not a number from 1 to 5"),
                });
            }
            // With both a column and its alias, the first one in the file counts.
            values
                .entry(column.to_string())
                .or_insert_with(|| v.to_string());
        }
    }
    Ok(out)
}

/// An info column's name as mytype knows it: spreadsheets often say
/// `gender` for sex and `race` for ethnicity.
fn info_column(name: &str) -> &str {
    match name {
        "gender" => "sex",
        "race" => "ethnicity",
        other => other,
    }
}

/// The info column with each face's mean crowd rating on the game's 1..=5
/// scale (the face's `crowd` field, used by the crowd prior).
pub const CROWD_COLUMN: &str = "crowd";

/// A declared crowd score, if it is a number in 1..=5.
fn crowd_score(value: &str) -> Option<f64> {
    value
        .parse::<f64>()
        .ok()
        .filter(|v| (1.0..=5.0).contains(v))
}

/// A declared age: a canonical level, or years.
pub fn age_level(value: &str) -> Option<&'static str> {
    if let Ok(years) = value.parse::<f64>() {
        let [adult, middle_aged, senior] = crate::core::tuning::AGE_CUTS;
        return Some(match years {
            y if y < adult => "young_adult",
            y if y < middle_aged => "adult",
            y if y < senior => "middle_aged",
            _ => "senior",
        });
    }
    ["young_adult", "adult", "middle_aged", "senior"]
        .into_iter()
        .find(|l| *l == value)
}

/// A declared sex: female/male, f/m, woman/man.
pub fn sex_level(value: &str) -> Option<&'static str> {
    match value.to_lowercase().as_str() {
        "female" | "f" | "woman" | "women" => Some("female"),
        "male" | "m" | "man" | "men" => Some("male"),
        _ => None,
    }
}

/// Applies the declared values of `info` to the faces built from
/// `sources` (one source file per face): a row matches by file name, file
/// stem or face id. What cannot be used is said in `issues`, under the
/// info file's name `info_name`. Returns the non-canonical attributes
/// declared (`ethnicity`) with the levels seen.
pub(super) fn apply_info(
    info: &Info,
    faces: &mut [FaceEntry],
    sources: &[&Path],
    info_name: &str,
    issues: &mut Vec<BuildIssue>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut extra: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut warn = |message: String| {
        issues.push(BuildIssue {
            file: info_name.to_string(),
            message,
            kept: true,
        })
    };
    let measured_extras = crate::vision::measure::measured_extras();
    let mut used_rows: BTreeSet<&str> = BTreeSet::new();
    let mut unknown_columns: BTreeSet<&str> = BTreeSet::new();
    for (face, source) in faces.iter_mut().zip(sources) {
        // The row for this image: by file name ("Ann Smith.jpg"), file stem
        // ("Ann Smith") or face id ("Ann_Smith", "a_3" after a clash).
        let file = super::process::display_name(source);
        let stem = source
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let Some((key, declared)) = [file.as_str(), stem.as_str(), face.id.as_str()]
            .into_iter()
            .find_map(|k| info.get_key_value(k))
        else {
            continue;
        };
        used_rows.insert(key);
        for (column, value) in declared {
            let ignored = |what: &str| format!("`{key}`: {column} \"{value}\" {what}: ignored");
            match column.as_str() {
                "name" => face.name = value.clone(),
                CROWD_COLUMN => face.crowd = crowd_score(value),
                "sex" => match sex_level(value) {
                    Some(l) => {
                        face.attributes.insert("sex".into(), l.into());
                    }
                    None => warn(ignored("is not female or male (or f/m, woman/man)")),
                },
                "age" => match age_level(value) {
                    Some(l) => {
                        face.attributes.insert("age".into(), l.into());
                    }
                    None => warn(ignored("is neither years nor an age level")),
                },
                "ethnicity" => {
                    let v = value.to_lowercase();
                    extra.entry(column.clone()).or_default().insert(v.clone());
                    face.attributes.insert(column.clone(), v);
                }
                c => match attributes::canonical(c)
                    .or_else(|| measured_extras.iter().find(|d| d.name == c).cloned())
                {
                    Some(def) if def.level_index(value).is_some() => {
                        face.attributes.insert(c.into(), value.clone());
                    }
                    Some(def) => warn(ignored(&format!("is not one of {}", def.levels.join(", ")))),
                    None => {
                        unknown_columns.insert(column.as_str());
                    }
                },
            }
        }
    }
    for column in unknown_columns {
        warn(format!(
            "column `{column}` is not used (known: name, sex or gender, age, ethnicity or race, \
             crowd and the attribute names)"
        ));
    }
    if let Some(message) = unmatched_rows(info, &used_rows) {
        warn(message);
    }
    extra
}

/// The warning for rows of `info` that matched no image, if any.
fn unmatched_rows(info: &Info, used_rows: &BTreeSet<&str>) -> Option<String> {
    let unmatched: Vec<&str> = info
        .keys()
        .map(String::as_str)
        .filter(|k| !used_rows.contains(k))
        .collect();
    if unmatched.is_empty() {
        return None;
    }
    let shown: Vec<String> = unmatched.iter().take(5).map(|k| format!("`{k}`")).collect();
    let more = unmatched.len().saturating_sub(5);
    Some(format!(
        "{} {} no image (`face` is the file name or its stem): {}{}",
        unmatched.len(),
        crate::core::words::plural(unmatched.len(), "row matches", "rows match"),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

/// The declared non-canonical attributes as pack attributes, their levels
/// sorted.
pub(super) fn declared_attributes(
    extra: BTreeMap<String, BTreeSet<String>>,
) -> impl Iterator<Item = AttributeDef> {
    extra.into_iter().map(|(name, levels)| AttributeDef {
        name,
        levels: levels.into_iter().collect(),
        description: "Declared in the info CSV.".into(),
    })
}
