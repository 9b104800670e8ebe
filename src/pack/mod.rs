//! Face packs: a folder of images plus a RON manifest (`pack.ron`) of quantised
//! attributes. The format: docs/pack-format.md.

pub mod build;
pub mod bundled;
pub mod check;
pub mod generate;
pub mod portrait;
pub mod remeasure;

use crate::core::attributes::{AttributeDef, Levels};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

pub use check::{check_pack, CheckReport, Diagnostic, Location, Severity};

/// Version of the `pack.ron` format this build writes and reads.
pub const PACK_FORMAT_VERSION: u32 = 1;
/// File name of the manifest inside a pack folder.
pub const MANIFEST_FILE: &str = "pack.ron";
/// A game needs at least this many faces to rate before it can reveal.
pub const MIN_MODEL_FACES: usize = 10;
/// Landmarks per face (dlib's 68-point scheme).
pub const LANDMARK_COUNT: usize = 68;

/// The longest pack name `pack generate` and `pack build` write, in bytes.
pub const MAX_NAME_BYTES: usize = 64;

/// Whether `name` may name a pack: not blank, at most [`MAX_NAME_BYTES`],
/// and no control characters (it is shown on one line, in terminals).
pub fn valid_name(name: &str) -> bool {
    !name.trim().is_empty() && name.len() <= MAX_NAME_BYTES && !name.chars().any(char::is_control)
}

/// Which part of the game a face plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Shown to the player for rating.
    Model,
    /// A candidate for the reveal.
    Celebrity,
    /// Both rated and a candidate.
    Both,
}

impl Role {
    pub fn is_rated(self) -> bool {
        matches!(self, Role::Model | Role::Both)
    }
    pub fn is_candidate(self) -> bool {
        matches!(self, Role::Celebrity | Role::Both)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Model => "model",
            Role::Celebrity => "celebrity",
            Role::Both => "both",
        }
    }
}

/// One face in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceEntry {
    pub id: String,
    pub name: String,
    /// Image path relative to the pack folder; may never leave it.
    pub image: String,
    pub role: Role,
    /// Level per attribute where known.
    #[serde(default)]
    pub attributes: Levels,
    /// Mean crowd rating on the game's 1..=5 scale (5 = Type), if the pack has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crowd: Option<f64>,
    /// 68 landmarks as (x, y), normalised to 0..1 of the stored image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landmarks: Option<Vec<(f32, f32)>>,
    /// How attractive a crowd would find the face, guessed from its
    /// measurements (photo packs; see [`crate::vision::appeal`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<f64>,
    /// The face network's descriptor of the face (photo packs; see
    /// [`crate::vision::face_net`]), to 4 decimals: what the player's taste in
    /// looks is learnt on (see [`crate::model::blend::Blend`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<Vec<f32>>,
}

/// The manifest, `pack.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub license: String,
    #[serde(default)]
    pub attribution: String,
    /// The attribute vocabulary used by this pack: canonical ones must carry
    /// their canonical levels; packs may add their own.
    pub attributes: Vec<AttributeDef>,
    pub faces: Vec<FaceEntry>,
}

/// Errors loading or writing a pack.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error(transparent)]
    Csv(#[from] crate::core::csv_table::CsvError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{path}: pack has {errors}; the first: {first}\n(run `{program} pack check {dir}` for the full list)", errors = crate::core::words::count(*.count, "error", "errors"), program = crate::core::words::program_word(), dir = crate::core::words::shell_word(.dir.as_os_str()), path = .path.display())]
    Invalid {
        path: PathBuf,
        dir: PathBuf,
        count: usize,
        first: String,
    },
    #[error("could not serialise the manifest: {0}")]
    Serialize(String),
    /// `pack build --out` names a folder whose `images/` holds files but no pack.
    #[error("{path}: holds files and is not a pack's images folder: choose another --out", path = .path.display())]
    NotAPack { path: PathBuf },
    /// Another `pack build` holds the output folder.
    #[error("{path}: another `mytype pack build` is writing this pack: wait for it to finish", path = .path.display())]
    Busy { path: PathBuf },
    #[error("{path}: {message}")]
    Image { path: PathBuf, message: String },
}

/// RON options shared by every reader and writer of packs and profiles:
/// `implicit_some` so optional fields read naturally (`crowd: 3.5`).
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Pretty RON output with stable formatting.
pub fn ron_pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .indentor("  ".to_string())
        .struct_names(false)
}

impl Manifest {
    /// Parses manifest text; errors carry line:column.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest, PackError> {
        ron_options()
            .from_str::<Manifest>(text)
            .map_err(|e| PackError::Parse {
                path: path.to_path_buf(),
                line: e.span.start.line,
                col: e.span.start.col,
                message: e.code.to_string(),
            })
    }

    /// RON text for this manifest (deterministic).
    pub fn to_ron(&self) -> Result<String, PackError> {
        let mut text = ron_options()
            .to_string_pretty(self, ron_pretty())
            .map_err(|e| PackError::Serialize(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    /// The definition of attribute `name` in this pack's vocabulary.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// A loaded, validated pack.
#[derive(Debug, Clone)]
pub struct Pack {
    dir: PathBuf,
    manifest: Manifest,
    hash: String,
}

impl Pack {
    /// Loads `DIR/pack.ron` and validates the manifest (vocabulary, ids, paths)
    /// without decoding images, so start-up stays fast. `mytype pack check`
    /// decodes every image too.
    pub fn load(dir: &Path) -> Result<Pack, PackError> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| PackError::Io {
            path: path.clone(),
            source,
        })?;
        let manifest = Manifest::parse(&text, &path)?;
        let report = check::validate_manifest(dir, &path, &text, &manifest, false);
        let errors: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if let Some(first) = errors.first() {
            return Err(PackError::Invalid {
                path,
                dir: dir.to_path_buf(),
                count: errors.len(),
                first: first.to_string(),
            });
        }
        Ok(Pack {
            dir: dir.to_path_buf(),
            hash: hash_text(&text),
            manifest,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }
    pub fn name(&self) -> &str {
        &self.manifest.name
    }
    /// Short content hash of the manifest, recorded in profiles.
    pub fn hash(&self) -> &str {
        &self.hash
    }
    pub fn faces(&self) -> &[FaceEntry] {
        &self.manifest.faces
    }
    pub fn face(&self, id: &str) -> Option<&FaceEntry> {
        self.manifest.faces.iter().find(|f| f.id == id)
    }
    /// Faces shown for rating, in manifest order.
    pub fn model_faces(&self) -> impl Iterator<Item = &FaceEntry> {
        self.manifest.faces.iter().filter(|f| f.role.is_rated())
    }
    /// Faces that can be revealed.
    pub fn candidate_faces(&self) -> impl Iterator<Item = &FaceEntry> {
        self.manifest.faces.iter().filter(|f| f.role.is_candidate())
    }
    /// Absolute-ish path of a face's image (validated at load to stay inside the pack).
    pub fn image_path(&self, face: &FaceEntry) -> PathBuf {
        self.dir.join(&face.image)
    }
    /// Each face's id and appeal (photo packs), in manifest order.
    pub fn appeals(&self) -> impl Iterator<Item = (&str, Option<f64>)> {
        self.faces().iter().map(|f| (f.id.as_str(), f.appeal))
    }
    /// Each face's id and face network descriptor (photo packs), in
    /// manifest order.
    pub fn descriptors(&self) -> impl Iterator<Item = (&str, Option<&[f32]>)> {
        self.faces()
            .iter()
            .map(|f| (f.id.as_str(), f.descriptor.as_deref()))
    }
    /// The pack's vocabulary keyed by name.
    pub fn vocabulary(&self) -> BTreeMap<&str, &AttributeDef> {
        self.manifest
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a))
            .collect()
    }
}

/// Short hex SHA-256 of a manifest's text.
pub fn hash_text(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Why a manifest image path is unsafe, if it is: absolute, or with `..`,
/// a drive prefix or a root. Symlinks are checked separately on disk.
pub fn unsafe_relative_path(image: &str) -> Option<&'static str> {
    if image.is_empty() {
        return Some("the image path is empty");
    }
    let path = Path::new(image);
    for component in path.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Some("the image path contains `..`"),
            Component::RootDir | Component::Prefix(_) => return Some("the image path is absolute"),
        }
    }
    if image.contains('\\') {
        return Some("the image path contains a backslash");
    }
    None
}

/// Resolves a face image on disk and makes sure it stays inside the pack,
/// following symlinks.
pub fn resolve_inside(dir: &Path, image: &str) -> Result<PathBuf, String> {
    let root = dir
        .canonicalize()
        .map_err(|e| format!("pack folder {}: {e}", dir.display()))?;
    resolve_inside_root(&root, dir, image)
}

/// [`resolve_inside`] with the pack folder already canonicalised as `root`.
pub fn resolve_inside_root(root: &Path, dir: &Path, image: &str) -> Result<PathBuf, String> {
    if let Some(why) = unsafe_relative_path(image) {
        return Err(why.to_string());
    }
    let joined = dir.join(image);
    let real = joined
        .canonicalize()
        .map_err(|e| format!("image {}: {e}", joined.display()))?;
    if !real.starts_with(root) {
        return Err(format!(
            "image {} resolves to {}, outside the pack (symlink?)",
            joined.display(),
            real.display()
        ));
    }
    Ok(real)
}

/// Writes a manifest to `DIR/pack.ron`.
pub fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), PackError> {
    let path = dir.join(MANIFEST_FILE);
    let text = manifest.to_ron()?;
    std::fs::write(&path, text).map_err(|source| PackError::Io { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_named() {
        assert!(unsafe_relative_path("images/a.png").is_none());
        assert!(unsafe_relative_path("./a.png").is_none());
        assert!(unsafe_relative_path("../a.png").is_some());
        assert!(unsafe_relative_path("images/../../a.png").is_some());
        assert!(unsafe_relative_path("/etc/passwd").is_some());
        assert!(unsafe_relative_path("").is_some());
        assert!(unsafe_relative_path("a\\..\\b.png").is_some());
    }

    #[test]
    fn manifest_round_trips_with_implicit_some() {
        let manifest = Manifest {
            version: PACK_FORMAT_VERSION,
            name: "t".into(),
            description: String::new(),
            license: String::new(),
            attribution: String::new(),
            attributes: crate::core::attributes::canonical_vocabulary(),
            faces: vec![FaceEntry {
                id: "a".into(),
                name: "A".into(),
                image: "a.png".into(),
                role: Role::Both,
                attributes: [("sex".to_string(), "male".to_string())].into(),
                crowd: Some(3.5),
                landmarks: None,
                appeal: None,
                descriptor: None,
            }],
        };
        let text = manifest.to_ron().unwrap();
        assert!(text.contains("crowd: 3.5"), "{text}");
        assert!(!text.contains("landmarks"), "{text}");
        let back = Manifest::parse(&text, Path::new("pack.ron")).unwrap();
        assert_eq!(back, manifest);
        // Explicit Some(..) is accepted too.
        let explicit = text.replace("crowd: 3.5", "crowd: Some(3.5)");
        assert_eq!(
            Manifest::parse(&explicit, Path::new("pack.ron")).unwrap(),
            manifest
        );
    }
}
