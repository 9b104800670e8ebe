//! 68-point facial landmarks from dlib's `shape_predictor` model, in pure Rust.
//!
//! The model is dlib's `shape_predictor_68_face_landmarks.dat` (Debian package
//! `libdlib-data`); [`dlib`] reads dlib's serialization format and replays
//! `dlib::shape_predictor::operator()` (an ensemble of regression trees, Kazemi &
//! Sullivan 2014) on a greyscale image and a face box.
//!
//! Point numbering is the iBUG 300-W one dlib uses: 0..=16 jaw, 17..=21 and 22..=26
//! the brows (image-left, image-right), 27..=35 nose, 36..=41 and 42..=47 the eyes
//! (image-left, image-right), 48..=67 mouth.

pub mod dlib;

pub use dlib::{dlib_grey, ShapePredictor};

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Environment variable naming the landmark model file.
pub const MODEL_ENV: &str = "MYTYPE_LANDMARK_MODEL";

/// Where Debian's `libdlib-data` installs the 68-point model.
pub const DEBIAN_MODEL_PATH: &str = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

/// The landmark model to use: `MYTYPE_LANDMARK_MODEL` when set, else Debian's path.
pub fn default_model_path() -> PathBuf {
    match std::env::var_os(MODEL_ENV).filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(DEBIAN_MODEL_PATH),
    }
}

/// A face box in dlib's `rectangle` convention: the face covers pixel columns
/// `left ..= left + width - 1` and rows `top ..= top + height - 1`, so
/// `FaceBox::from_ltrb(l, t, r, b)` is `dlib::rectangle(l, t, r, b)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

impl FaceBox {
    /// The box of dlib's `rectangle(left, top, right, bottom)` (inclusive corners).
    pub fn from_ltrb(left: f32, top: f32, right: f32, bottom: f32) -> Self {
        FaceBox {
            left,
            top,
            width: right - left + 1.0,
            height: bottom - top + 1.0,
        }
    }

    /// Inclusive right column, as dlib's `rectangle::right()`.
    pub fn right(&self) -> f32 {
        self.left + self.width - 1.0
    }

    /// Inclusive bottom row, as dlib's `rectangle::bottom()`.
    pub fn bottom(&self) -> f32 {
        self.top + self.height - 1.0
    }

    /// Centre of the box.
    pub fn center(&self) -> (f32, f32) {
        (
            self.left + (self.width - 1.0) / 2.0,
            self.top + (self.height - 1.0) / 2.0,
        )
    }

    /// The box grown (or shrunk) about its centre by `factor` (1.3 = 30% larger).
    pub fn scaled(&self, factor: f32) -> Self {
        let (cx, cy) = self.center();
        let w = self.width * factor;
        let h = self.height * factor;
        FaceBox {
            left: cx - (w - 1.0) / 2.0,
            top: cy - (h - 1.0) / 2.0,
            width: w,
            height: h,
        }
    }

    /// Whether the point lies within the box (inclusive edges).
    pub fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.left && x <= self.right() && y >= self.top && y <= self.bottom()
    }

    /// Area in pixels.
    pub fn area(&self) -> f32 {
        self.width * self.height
    }
}

/// Where dlib publishes the landmark model (bzip2-compressed).
pub const MODEL_URL: &str = "http://dlib.net/files/shape_predictor_68_face_landmarks.dat.bz2";

/// How to install Debian's `libdlib-data`, as the exact command for this
/// user (`sudo` unless root), where apt-get is there.
fn install_hint() -> String {
    if !Path::new("/usr/bin/apt-get").exists() {
        return format!(
            "download dlib's 68-point landmark model from {MODEL_URL} and unpack it with \
             `bunzip2` (Debian and Ubuntu package it as libdlib-data)"
        );
    }
    let sudo = if rustix::process::geteuid().is_root() {
        ""
    } else {
        "sudo "
    };
    format!("install it with `{sudo}apt-get install libdlib-data`")
}

/// Why a landmark model could not be used.
#[derive(Debug, Error)]
pub enum LandmarkError {
    #[error(
        "landmark model not found at {path}: {install}, \
         or point MYTYPE_LANDMARK_MODEL (or --landmark-model) at a \
         shape_predictor_68_face_landmarks.dat",
        install = install_hint()
    )]
    ModelMissing { path: PathBuf },
    #[error("cannot read landmark model {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read landmark model: {0}")]
    Read(#[from] std::io::Error),
    #[error("landmark model is not a valid dlib shape_predictor: {what} at byte {offset}")]
    Format { what: String, offset: usize },
    #[error("landmark model is inconsistent: {0}")]
    Invalid(String),
    /// A file that is not a landmark model, or a damaged one.
    #[error("{path}: not a dlib landmark model ({why}){hint}", path = .path.display(), hint = unpack_hint(.path, *.compressed))]
    NotAModel {
        path: PathBuf,
        why: String,
        /// The file is bzip2-compressed (as dlib's download is).
        compressed: bool,
    },
}

/// For a compressed download: the exact command that unpacks it.
fn unpack_hint(path: &Path, compressed: bool) -> String {
    if !compressed {
        return String::new();
    }
    let shown = crate::core::words::shell_word(path.as_os_str());
    format!("; it is compressed: unpack it first with `bunzip2 {shown}` and use the .dat file it leaves")
}

impl LandmarkError {
    /// This error as one about the file at `path`, which held `bytes`.
    pub(crate) fn in_file(self, path: &Path, bytes: &[u8]) -> LandmarkError {
        let why = match self {
            LandmarkError::Format { what, offset } => format!("{what} at byte {offset}"),
            LandmarkError::Invalid(what) => format!("inconsistent: {what}"),
            other => return other,
        };
        let compressed = bytes.starts_with(b"BZh")
            || path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("bz2"));
        LandmarkError::NotAModel {
            path: path.to_path_buf(),
            why,
            compressed,
        }
    }
}

impl From<crate::vision::dlib_format::FormatError> for LandmarkError {
    fn from(e: crate::vision::dlib_format::FormatError) -> Self {
        LandmarkError::Format {
            what: e.what,
            offset: e.offset,
        }
    }
}
