//! One photo's way into a pack: decoded with limits, scaled, analysed and
//! stored as PNG.

use super::{BuildIssue, MAX_SIDE};
use crate::core::attributes::Levels;
use crate::pack::{FaceEntry, Role};
use crate::vision::measure::Measurements;
use crate::vision::photo::{Analyser, Analysis};
use image::RgbImage;
use std::path::Path;

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "bmp", "gif"];

/// Photo formats players have (iPhones save HEIC, cameras raw) that are not
/// decoded: they get a hint instead of "not an image".
const UNSUPPORTED_PHOTO_EXTENSIONS: &[&str] = &[
    "heic", "heif", "avif", "tif", "tiff", "dng", "cr2", "cr3", "nef", "arw", "orf", "rw2",
];

/// A face's id from its file stem: letters, digits, `-`, `_` and `.` kept,
/// anything else (spaces, brackets) as `_`, so it is safe as a file name.
/// (Two stems can share an id; the second face gets a suffix.)
pub fn face_id(stem: &str) -> String {
    stem.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub(super) fn display_name(file: &Path) -> String {
    file.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// One image's outcome.
#[derive(Default)]
pub(super) struct Processed {
    pub(super) face: Option<FaceEntry>,
    pub(super) measurements: Option<Measurements>,
    pub(super) issues: Vec<BuildIssue>,
    /// The analyser found no face: only attributes declared for it in
    /// `--info` can describe it (decided once those are read).
    pub(super) no_face: bool,
}

/// Why a file that could not be decoded was skipped, by its extension:
/// files that are not images (README, .DS_Store) are still listed, never
/// silently dropped.
fn undecodable(ext: &str, e: &crate::vision::imaging::ImageError) -> String {
    if IMAGE_EXTENSIONS.contains(&ext) {
        e.to_string()
    } else if UNSUPPORTED_PHOTO_EXTENSIONS.contains(&ext) {
        format!(
            "skipped: {} photos are not supported: save it as JPEG or PNG",
            ext.to_uppercase()
        )
    } else {
        format!("skipped: not an image ({e})")
    }
}

/// What the analyser's count of faces says about an image, if anything (no
/// face at all is said once `--info` is read: see `build::drop_faceless`).
fn faces_found_issue(file: &str, faces_found: usize) -> Option<BuildIssue> {
    let message = match faces_found {
        0 | 1 => return None,
        k => format!("{k} faces found: using the largest"),
    };
    Some(BuildIssue {
        file: file.to_string(),
        message,
        kept: true,
    })
}

/// Decodes, scales, analyses and stores one image (the `n`-th file) as
/// `images/ID.png` under `root` (the build's staging folder).
pub(super) fn process(
    file: &Path,
    root: &Path,
    n: usize,
    analyser: Option<&dyn Analyser>,
) -> Processed {
    let shown = display_name(file);
    let mut result = Processed::default();
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    // Scaled while the full-size pixels still count against the decoding
    // budget shared by the workers.
    let decoded = match crate::vision::imaging::decode_to(file, Some(MAX_SIDE)) {
        Ok(img) => img,
        Err(e) => {
            result.issues.push(BuildIssue {
                file: shown,
                message: undecodable(&ext, &e),
                kept: false,
            });
            return result;
        }
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut id = face_id(&stem);
    if id.is_empty() {
        id = format!("face{n}");
    }
    let greyscale = decoded.color().channel_count() < 3;
    let rgb = decoded.to_rgb8();
    drop(decoded);
    if greyscale {
        result.issues.push(BuildIssue {
            file: shown.clone(),
            message: "greyscale image: colour attributes (skin tone, hair colour) are unreliable"
                .into(),
            kept: true,
        });
    }
    let analysis = analyser.map(|a| a.analyse(&rgb)).unwrap_or_default();
    if analyser.is_some() {
        result
            .issues
            .extend(faces_found_issue(&shown, analysis.faces_found));
        result.no_face = analysis.faces_found == 0;
    }
    let rel = format!("images/{id}.png");
    let dest = root.join(&rel);
    if let Err(e) = save_png(&rgb, &dest) {
        result.issues.push(BuildIssue {
            file: shown,
            message: format!("cannot write {}: {e}", dest.display()),
            kept: false,
        });
        return result;
    }
    result.face = Some(face_entry(&rgb, &analysis, &stem, id, rel));
    // The activations have served appeal: a pack of thousands of faces
    // need not hold 8 KB of them per face until the build ends.
    result.measurements = analysis.measurements.map(|m| Measurements {
        activations: None,
        ..m
    });
    result
}

/// The manifest entry of an image stored as `rel`: landmarks normalised to
/// the stored image, appeal, and the descriptor to 4 decimals.
fn face_entry(
    rgb: &RgbImage,
    analysis: &Analysis,
    stem: &str,
    id: String,
    rel: String,
) -> FaceEntry {
    let (w, h) = (rgb.width() as f32, rgb.height() as f32);
    let landmarks = analysis.landmarks.as_ref().map(|pts| {
        pts.iter()
            .map(|&(x, y)| ((x / w).clamp(0.0, 1.0), (y / h).clamp(0.0, 1.0)))
            .collect()
    });
    FaceEntry {
        name: stem.replace(['_', '-'], " "),
        id,
        image: rel,
        role: Role::Both,
        attributes: Levels::new(),
        crowd: None,
        landmarks,
        appeal: analysis.measurements.as_ref().and_then(|m| m.appeal),
        descriptor: analysis
            .measurements
            .as_ref()
            .and_then(|m| m.descriptor.as_ref())
            .map(|d| d.iter().map(|v| (v * 1e4).round() / 1e4).collect()),
    }
}

/// PNG with fast compression: pack building is bound by encoding otherwise.
fn save_png(rgb: &RgbImage, dest: &Path) -> Result<(), String> {
    use image::ImageEncoder;
    let file = std::fs::File::create(dest).map_err(|e| e.to_string())?;
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        std::io::BufWriter::new(file),
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    encoder
        .write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| e.to_string())
}
