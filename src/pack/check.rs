//! `mytype pack check`: every problem in a pack, each with its file and
//! line:column or face id.

use super::{
    resolve_inside_root, FaceEntry, Manifest, PackError, LANDMARK_COUNT, MANIFEST_FILE,
    MIN_MODEL_FACES, PACK_FORMAT_VERSION,
};
use crate::core::attributes;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in a file.
    File {
        path: PathBuf,
        line: usize,
        col: usize,
    },
    /// A face, by id, at a position in the manifest where it could be found.
    Face {
        path: PathBuf,
        id: String,
        line: Option<usize>,
        col: Option<usize>,
    },
    /// The pack as a whole.
    Pack { path: PathBuf },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.location {
            Location::File { path, line, col } => {
                write!(
                    f,
                    "{}:{line}:{col}: {kind}: {}",
                    path.display(),
                    self.message
                )
            }
            Location::Face {
                path,
                id,
                line: Some(line),
                col: Some(col),
            } => write!(
                f,
                "{}:{line}:{col}: {kind}: face `{id}`: {}",
                path.display(),
                self.message
            ),
            Location::Face { path, id, .. } => {
                write!(
                    f,
                    "{}: {kind}: face `{id}`: {}",
                    path.display(),
                    self.message
                )
            }
            Location::Pack { path } => write!(f, "{}: {kind}: {}", path.display(), self.message),
        }
    }
}

/// Everything `pack check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub faces: usize,
    pub model_faces: usize,
    pub candidate_faces: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }
    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Checks a whole pack, decoding every image. Never fails: an unreadable or
/// unparsable manifest is itself a diagnostic.
pub fn check_pack(dir: &Path) -> CheckReport {
    let path = dir.join(MANIFEST_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            return CheckReport {
                diagnostics: vec![Diagnostic {
                    severity: Severity::Error,
                    location: Location::Pack { path },
                    message: format!("cannot read the manifest: {e}"),
                }],
                ..CheckReport::default()
            }
        }
    };
    match Manifest::parse(&text, &path) {
        Ok(manifest) => validate_manifest(dir, &path, &text, &manifest, true),
        Err(PackError::Parse {
            path,
            line,
            col,
            message,
        }) => CheckReport {
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                location: Location::File { path, line, col },
                message,
            }],
            ..CheckReport::default()
        },
        Err(other) => CheckReport {
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                location: Location::Pack { path },
                message: other.to_string(),
            }],
            ..CheckReport::default()
        },
    }
}

/// Finds where `id: "<id>"` stands in the manifest text (the `occurrence`-th time).
fn locate_face(text: &str, id: &str, occurrence: usize) -> Option<(usize, usize)> {
    let needle = format!("\"{id}\"");
    let mut seen = 0;
    for (offset, _) in text.match_indices(&needle) {
        let before = text[..offset].trim_end();
        if before.ends_with("id:") {
            if seen == occurrence {
                let line = text[..offset].matches('\n').count() + 1;
                let line_start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
                let col = text[line_start..offset].chars().count() + 1;
                return Some((line, col));
            }
            seen += 1;
        }
    }
    None
}

/// Validates a parsed manifest. `decode_images` also decodes every image
/// (slow; `pack check` does it, loading for play does not).
pub fn validate_manifest(
    dir: &Path,
    path: &Path,
    text: &str,
    manifest: &Manifest,
    decode_images: bool,
) -> CheckReport {
    let pack_level = |severity, message: String| Diagnostic {
        severity,
        location: Location::Pack {
            path: path.to_path_buf(),
        },
        message,
    };
    let mut out: Vec<Diagnostic> = header_problems(manifest)
        .into_iter()
        .chain(vocabulary_problems(manifest))
        .map(|message| pack_level(Severity::Error, message))
        .collect();
    let vocabulary: BTreeMap<&str, &attributes::AttributeDef> = manifest
        .attributes
        .iter()
        .map(|def| (def.name.as_str(), def))
        .collect();

    // Faces.
    let root = dir.canonicalize();
    let mut seen_ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut model_faces = 0;
    let mut candidate_faces = 0;
    for face in &manifest.faces {
        let occurrence = seen_ids.get(face.id.as_str()).copied().unwrap_or(0);
        *seen_ids.entry(face.id.as_str()).or_insert(0) += 1;
        model_faces += usize::from(face.role.is_rated());
        candidate_faces += usize::from(face.role.is_candidate());
        // Problems of this face; located in the text only if there are any
        // (locating is a scan of the manifest).
        let mut problems = Vec::new();
        if occurrence > 0 {
            problems.push((Severity::Error, "duplicate face id".to_string()));
        }
        problems.extend(face_problems(face, &vocabulary));
        let resolved = match &root {
            Ok(root) => resolve_inside_root(root, dir, &face.image),
            Err(e) => Err(format!("pack folder {}: {e}", dir.display())),
        };
        match resolved {
            Err(why) => problems.push((Severity::Error, why)),
            Ok(real) => {
                if decode_images {
                    if let Err(e) = crate::vision::imaging::decode(&real) {
                        problems.push((Severity::Error, e.to_string()));
                    }
                }
            }
        }
        if !problems.is_empty() {
            let location = face_location(path, text, &face.id, occurrence);
            out.extend(problems.into_iter().map(|(severity, message)| Diagnostic {
                severity,
                location: location.clone(),
                message,
            }));
        }
    }
    out.extend(
        count_problems(model_faces, candidate_faces)
            .into_iter()
            .map(|(severity, message)| pack_level(severity, message)),
    );
    CheckReport {
        diagnostics: out,
        faces: manifest.faces.len(),
        model_faces,
        candidate_faces,
    }
}

/// Where the `occurrence`-th face with this id stands in the manifest.
fn face_location(path: &Path, text: &str, id: &str, occurrence: usize) -> Location {
    let (line, col) = match locate_face(text, id, occurrence) {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    };
    Location::Face {
        path: path.to_path_buf(),
        id: id.to_string(),
        line,
        col,
    }
}

/// The format version and the name.
fn header_problems(manifest: &Manifest) -> Vec<String> {
    let mut out = Vec::new();
    if manifest.version == 0 || manifest.version > PACK_FORMAT_VERSION {
        out.push(format!(
            "format version {} is not supported (this mytype reads version {PACK_FORMAT_VERSION}{})",
            manifest.version,
            if manifest.version > PACK_FORMAT_VERSION {
                "; the pack was written by a newer mytype"
            } else {
                ""
            }
        ));
    }
    if manifest.name.trim().is_empty() {
        out.push("the pack has no name".into());
    } else if manifest.name.chars().any(char::is_control) {
        out.push("the pack's name holds control characters (a tab, a line break, an escape…): it must be printable text".into());
    }
    out
}

/// Attributes defined twice, with too few or repeated levels, or canonical
/// ones with other levels.
fn vocabulary_problems(manifest: &Manifest) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for def in &manifest.attributes {
        if !seen.insert(def.name.as_str()) {
            out.push(format!("attribute `{}` is defined twice", def.name));
        }
        if def.levels.len() < 2 {
            out.push(format!(
                "attribute `{}` needs at least two levels",
                def.name
            ));
        }
        let distinct: BTreeSet<_> = def.levels.iter().collect();
        if distinct.len() != def.levels.len() {
            out.push(format!("attribute `{}` repeats a level", def.name));
        }
        if let Some(canonical) = attributes::canonical(&def.name) {
            if canonical.levels != def.levels {
                out.push(format!(
                    "canonical attribute `{}` must have the levels [{}] in that order, not [{}]",
                    def.name,
                    canonical.levels.join(", "),
                    def.levels.join(", ")
                ));
            }
        }
    }
    out
}

/// What is wrong with one face's entry, its image aside.
fn face_problems(
    face: &FaceEntry,
    vocabulary: &BTreeMap<&str, &attributes::AttributeDef>,
) -> Vec<(Severity, String)> {
    let mut problems: Vec<(Severity, String)> = Vec::new();
    let mut push = |severity, message: String| problems.push((severity, message));
    if face.id.is_empty() || face.id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        push(
            Severity::Error,
            "a face id must be non-empty, without spaces or control characters".into(),
        );
    }
    for (name, level) in &face.attributes {
        match vocabulary.get(name.as_str()) {
            None => push(
                Severity::Error,
                format!("unknown attribute `{name}` (not in the pack's vocabulary)"),
            ),
            Some(def) if def.level_index(level).is_none() => push(
                Severity::Error,
                format!(
                    "unknown level `{level}` for attribute `{name}` (levels: {})",
                    def.levels.join(", ")
                ),
            ),
            Some(_) => {}
        }
    }
    problems.extend(measured_problems(face));
    problems
}

/// A face's crowd score, appeal, descriptor and landmarks, where given.
fn measured_problems(face: &FaceEntry) -> Vec<(Severity, String)> {
    let mut problems: Vec<(Severity, String)> = Vec::new();
    let mut push = |severity, message: String| problems.push((severity, message));
    if let Some(crowd) = face.crowd {
        if !(1.0..=5.0).contains(&crowd) || !crowd.is_finite() {
            push(
                Severity::Error,
                format!("crowd score {crowd} is not from 1 to 5"),
            );
        }
    }
    if let Some(appeal) = face.appeal {
        if !appeal.is_finite() {
            push(Severity::Error, format!("appeal {appeal} is not a number"));
        }
    }
    if let Some(d) = &face.descriptor {
        let finite = d.iter().all(|v| v.is_finite());
        if d.len() != crate::vision::face_net::DESCRIPTOR || !finite {
            push(
                Severity::Error,
                format!(
                    "descriptor has {}{}, {} expected",
                    crate::core::words::count(d.len(), "number", "numbers"),
                    if finite { "" } else { " (not all finite)" },
                    crate::vision::face_net::DESCRIPTOR
                ),
            );
        }
    }
    if let Some(points) = &face.landmarks {
        if points.len() != LANDMARK_COUNT {
            push(
                Severity::Error,
                format!(
                    "{} given, {LANDMARK_COUNT} expected",
                    crate::core::words::count(points.len(), "landmark", "landmarks")
                ),
            );
        }
        if points
            .iter()
            .any(|&(x, y)| !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&y))
        {
            push(
                Severity::Error,
                "landmarks must be normalised to 0..1 of the image".into(),
            );
        }
    }
    problems
}

/// Too few faces to rate, or none to reveal: what `pack check` says about
/// a pack's counts (`pack build` and `pack generate` refuse its errors).
pub fn count_problems(model_faces: usize, candidate_faces: usize) -> Vec<(Severity, String)> {
    let mut out = Vec::new();
    if model_faces == 0 && candidate_faces > 0 {
        out.push((
            Severity::Warning,
            "no faces to rate (role `model` or `both`): this pack can only be revealed from (--reveal-pack, --from-pack)".into(),
        ));
    } else if model_faces < MIN_MODEL_FACES {
        out.push((
            Severity::Error,
            format!(
                "only {} to rate (role `model` or `both`); a game needs at least {MIN_MODEL_FACES}",
                crate::core::words::count(model_faces, "face", "faces")
            ),
        ));
    }
    if candidate_faces == 0 {
        out.push((
            Severity::Warning,
            "no faces with role `celebrity` or `both`: this pack can be rated but reveals nobody (use --reveal-pack)".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_face_finds_nth_id() {
        let text = "(\n faces: [\n  (id: \"a\", name: \"a\"),\n  (id:  \"a\"),\n ],\n)";
        assert_eq!(locate_face(text, "a", 0), Some((3, 8)));
        assert_eq!(locate_face(text, "a", 1), Some((4, 9)));
        assert_eq!(locate_face(text, "a", 2), None);
    }
}
