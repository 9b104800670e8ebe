//! `mytype pack build`: a pack from a folder of photos.
//!
//! Each image is decoded with limits, scaled to at most 512 px, analysed (face
//! detection, 68 landmarks, attributes: see [`Analyser`]) and copied into the
//! pack as PNG. Values declared in `--info CSV` win over extraction. Bad files
//! are reported by name and skipped; the build fails only when nothing usable
//! is left (or with `strict`).

use super::{write_manifest, FaceEntry, Manifest, PackError, Role, PACK_FORMAT_VERSION};
use crate::core::attributes::{self, AttributeDef, Levels};
use crate::core::csv_table::CsvTable;
use crate::vision::photo::Analyser;
use image::RgbImage;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest side of the stored copies.
pub const MAX_SIDE: u32 = 512;

/// Options of a build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub images: PathBuf,
    pub out: PathBuf,
    pub info: Option<PathBuf>,
    pub role: Role,
    pub name: Option<String>,
    pub strict: bool,
}

/// A problem with one input file.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildIssue {
    pub file: String,
    pub message: String,
    /// True when the image was still used.
    pub kept: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub faces: usize,
    pub issues: Vec<BuildIssue>,
    pub manifest: Manifest,
}

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
                    message: format!("crowd score \"{v}\" is not a number in 1..=5"),
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
        return Some(match years {
            y if y < 30.0 => "young_adult",
            y if y < 45.0 => "adult",
            y if y < 60.0 => "middle_aged",
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

fn display_name(file: &Path) -> String {
    file.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// One image's outcome.
#[derive(Default)]
struct Processed {
    face: Option<FaceEntry>,
    measurements: Option<crate::vision::measure::Measurements>,
    issues: Vec<BuildIssue>,
}

/// Decodes, scales, analyses and stores one image (the `n`-th file) as
/// `images/ID.png` under `root` (the build's staging folder).
fn process(file: &Path, root: &Path, n: usize, analyser: Option<&dyn Analyser>) -> Processed {
    let shown = display_name(file);
    let mut result = Processed::default();
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let decoded = match crate::vision::imaging::decode(file) {
        Ok(img) => img,
        Err(e) => {
            // Files that are not images (README, .DS_Store) are still listed,
            // never silently dropped.
            let message = if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
                e.to_string()
            } else if UNSUPPORTED_PHOTO_EXTENSIONS.contains(&ext.as_str()) {
                format!(
                    "skipped: {} photos are not supported: save it as JPEG or PNG",
                    ext.to_uppercase()
                )
            } else {
                format!("skipped: not an image ({e})")
            };
            result.issues.push(BuildIssue {
                file: shown,
                message,
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
    let scaled = if decoded.width().max(decoded.height()) > MAX_SIDE {
        // Area averaging in integers: as good as a triangle filter for a
        // downscale, and about twice as fast.
        decoded.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        decoded
    };
    let rgb = scaled.to_rgb8();
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
        match analysis.faces_found {
            0 => result.issues.push(BuildIssue {
                file: shown.clone(),
                message: "no face found: kept with declared attributes only".into(),
                kept: true,
            }),
            1 => {}
            k => result.issues.push(BuildIssue {
                file: shown.clone(),
                message: format!("{k} faces found: using the largest"),
                kept: true,
            }),
        }
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
    let (w, h) = (rgb.width() as f32, rgb.height() as f32);
    let landmarks = analysis.landmarks.map(|pts| {
        pts.iter()
            .map(|&(x, y)| ((x / w).clamp(0.0, 1.0), (y / h).clamp(0.0, 1.0)))
            .collect()
    });
    result.face = Some(FaceEntry {
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
    });
    // The activations have served appeal: a pack of thousands of faces
    // need not hold 8 KB of them per face until the build ends.
    result.measurements = analysis
        .measurements
        .map(|m| crate::vision::measure::Measurements {
            activations: None,
            ..m
        });
    result
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

/// The `PackError` for an I/O failure at `path`.
fn io_error_at(path: &Path) -> impl FnOnce(std::io::Error) -> PackError {
    let path = path.to_path_buf();
    move |source| PackError::Io { path, source }
}

/// Name of the staging folder inside `--out`.
const STAGING: &str = ".mytype-build";

/// A build's staging folder, `OUT/.mytype-build`: removed when dropped, so
/// an error or a failed build leaves the output folder as it was.
struct Staging {
    out: PathBuf,
    root: PathBuf,
    /// The output folder did not exist: a failed build removes it again.
    created_out: bool,
    /// An advisory lock on the output folder, held for the whole build, so
    /// two builds into one folder cannot mix their images; the kernel drops
    /// it if the build dies.
    _lock: std::fs::File,
}

impl Staging {
    fn new(out: &Path) -> Result<Staging, PackError> {
        let images = out.join("images");
        // Never replace a folder of images that is not a pack's.
        if images.is_dir() && !out.join(super::MANIFEST_FILE).is_file() {
            let empty = std::fs::read_dir(&images)
                .map_err(io_error_at(&images))?
                .next()
                .is_none();
            if !empty {
                return Err(PackError::NotAPack { path: images });
            }
        }
        let created_out = !out.exists();
        std::fs::create_dir_all(out).map_err(io_error_at(out))?;
        let lock = std::fs::File::open(out).map_err(io_error_at(out))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(PackError::Busy {
                    path: out.to_path_buf(),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_error_at(out)(e)),
        }
        let root = out.join(STAGING);
        // Left by a build that was interrupted (Ctrl-C).
        if root.exists() {
            std::fs::remove_dir_all(&root).map_err(io_error_at(&root))?;
        }
        std::fs::create_dir_all(root.join("images")).map_err(io_error_at(&root))?;
        Ok(Staging {
            out: out.to_path_buf(),
            root,
            created_out,
            _lock: lock,
        })
    }

    /// Where images are stored while building (`images/…` inside it).
    fn root(&self) -> &Path {
        &self.root
    }

    /// Puts the new images and manifest in place of any earlier pack's: the
    /// manifest is written in the staging folder first, and each step after
    /// that is a rename within the output folder. Dropping `self` then
    /// removes the staging folder with the earlier pack's images.
    fn commit(self, manifest: &Manifest) -> Result<(), PackError> {
        write_manifest(&self.root, manifest)?;
        let images = self.out.join("images");
        let old = self.root.join("images.old");
        let had_images = images.exists();
        if had_images {
            std::fs::rename(&images, &old).map_err(io_error_at(&images))?;
        }
        if let Err(e) = std::fs::rename(self.root.join("images"), &images) {
            if had_images {
                // Put the earlier pack's images back rather than leave none.
                let _ = std::fs::rename(&old, &images);
            }
            return Err(io_error_at(&images)(e));
        }
        let manifest_path = self.out.join(super::MANIFEST_FILE);
        std::fs::rename(self.root.join(super::MANIFEST_FILE), &manifest_path)
            .map_err(io_error_at(&manifest_path))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
        if self.created_out {
            // Only when empty: after a commit it holds the pack.
            let _ = std::fs::remove_dir(&self.out);
        }
    }
}

/// Builds a pack. `analyser` may be `None` (declared attributes only).
pub fn build_pack(
    opts: &BuildOptions,
    analyser: Option<&dyn Analyser>,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Result<BuildReport, PackError> {
    let info = match &opts.info {
        Some(p) => read_info(p)?,
        None => Info::new(),
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&opts.images)
        .map_err(io_error_at(&opts.images))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    // A pack built into the images folder is not one of its photos.
    let out_dir = opts.out.canonicalize().ok();
    entries.retain(|p| out_dir.is_none() || p.canonicalize().ok() != out_dir);
    let (files, others): (Vec<PathBuf>, Vec<PathBuf>) =
        entries.into_iter().partition(|p| p.is_file());
    // Images are stored in a staging folder inside the output and moved into
    // place only once the pack is complete, so a build that fails (nothing
    // usable, --strict) leaves an earlier pack there as it was, and a rebuild
    // leaves no images of photos removed since.
    let stage = Staging::new(&opts.out)?;

    // Decode, scale, analyse and store each image on every core; ids are
    // assigned afterwards in file order so the output does not depend on timing.
    let total = files.len();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(total.max(1));
    let mut results: Vec<Option<Processed>> = (0..total).map(|_| None).collect();
    let chunks: Vec<Vec<(usize, Processed)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(n) else { break };
                        out.push((n, process(file, stage.root(), n, analyser)));
                        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        progress(finished, total, &display_name(file));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (n, processed) in chunks.into_iter().flatten() {
        results[n] = Some(processed);
    }

    // Photos sorted into folders are not looked for, and a broken link or a
    // pipe is not read: say so, never drop anything silently.
    let mut issues: Vec<BuildIssue> = others
        .iter()
        .map(|other| {
            let (file, message) = if other.is_dir() {
                (
                    format!("{}/", display_name(other)),
                    "skipped: a folder (only the images directly in the folder given are \
                     read; build from this one to use its images)",
                )
            } else {
                (
                    display_name(other),
                    "skipped: not a regular file (a broken link, a pipe or a device)",
                )
            };
            BuildIssue {
                file,
                message: message.into(),
                kept: false,
            }
        })
        .collect();
    let mut faces: Vec<(FaceEntry, Option<crate::vision::measure::Measurements>)> = Vec::new();
    // Each face's source file, for matching the info CSV's `face` column.
    let mut sources: Vec<&Path> = Vec::new();
    let mut used_ids = BTreeSet::new();
    for (n, processed) in results.into_iter().enumerate() {
        let Some(processed) = processed else {
            issues.push(BuildIssue {
                file: display_name(&files[n]),
                message: "internal error: the image was not processed".into(),
                kept: false,
            });
            continue;
        };
        issues.extend(processed.issues);
        let Some(mut face) = processed.face else {
            continue;
        };
        // Ids come from file stems; a clash (a.jpg and a.png) gets a suffix.
        let mut id = face.id.clone();
        if !used_ids.insert(id.clone()) {
            id = format!("{id}_{n}");
            used_ids.insert(id.clone());
            let rel = format!("images/{id}.png");
            std::fs::rename(stage.root().join(&face.image), stage.root().join(&rel))
                .map_err(io_error_at(&stage.root().join(&rel)))?;
            face.image = rel;
        }
        face.id = id;
        face.role = opts.role;
        faces.push((face, processed.measurements));
        sources.push(&files[n]);
    }

    // Quantise the measured faces together (some cut points are pack-relative).
    let measured: Vec<usize> = (0..faces.len()).filter(|&i| faces[i].1.is_some()).collect();
    let all: Vec<crate::vision::measure::Measurements> = measured
        .iter()
        .filter_map(|&i| faces[i].1.clone())
        .collect();
    let levels = crate::vision::measure::quantise(&all);
    for (k, &i) in measured.iter().enumerate() {
        faces[i].0.attributes = levels[k].clone();
    }

    // Declared values win; `ethnicity` (and other non-canonical columns) become
    // pack attributes with the levels seen, sorted.
    let mut extra: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let info_name = opts.info.as_deref().map(display_name).unwrap_or_default();
    let mut warn = |message: String| {
        issues.push(BuildIssue {
            file: info_name.clone(),
            message,
            kept: true,
        })
    };
    let measured_extras = crate::vision::measure::measured_extras();
    let mut used_rows: BTreeSet<&str> = BTreeSet::new();
    let mut unknown_columns: BTreeSet<&str> = BTreeSet::new();
    for ((face, _), source) in faces.iter_mut().zip(&sources) {
        // The row for this image: by file name ("Ann Smith.jpg"), file stem
        // ("Ann Smith") or face id ("Ann_Smith", "a_3" after a clash).
        let file = display_name(source);
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
    let unmatched: Vec<&str> = info
        .keys()
        .map(String::as_str)
        .filter(|k| !used_rows.contains(k))
        .collect();
    if !unmatched.is_empty() {
        let shown: Vec<String> = unmatched.iter().take(5).map(|k| format!("`{k}`")).collect();
        let more = unmatched.len().saturating_sub(5);
        warn(format!(
            "{} row(s) match no image (`face` is the file name or its stem): {}{}",
            unmatched.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let mut vocabulary = attributes::canonical_vocabulary();
    let has_extra = faces.iter().any(|(f, _)| {
        measured_extras
            .iter()
            .any(|d| f.attributes.contains_key(&d.name))
    });
    if !all.is_empty() || has_extra {
        vocabulary.extend(measured_extras);
    }
    for (name, levels) in extra {
        vocabulary.push(AttributeDef {
            name,
            levels: levels.into_iter().collect(),
            description: "Declared in the info CSV.".into(),
        });
    }
    let name = opts.name.clone().unwrap_or_else(|| {
        opts.out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "photos".into())
    });
    let manifest = Manifest {
        version: PACK_FORMAT_VERSION,
        name,
        description: format!(
            "Built by `mytype pack build` from {}.",
            opts.images.display()
        ),
        license: "See the photos' own licences.".into(),
        attribution: "Photos supplied by the player.".into(),
        attributes: vocabulary,
        faces: faces.into_iter().map(|(f, _)| f).collect(),
    };
    if manifest.faces.is_empty() || (opts.strict && issues.iter().any(|i| !i.kept)) {
        return Ok(BuildReport {
            faces: manifest.faces.len(),
            issues,
            manifest,
        });
    }
    stage.commit(&manifest)?;
    Ok(BuildReport {
        faces: manifest.faces.len(),
        issues,
        manifest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_rows_match_by_file_name_stem_or_id_and_what_is_not_used_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let images = dir.path().join("in");
        std::fs::create_dir(&images).unwrap();
        let photo = RgbImage::from_pixel(32, 32, image::Rgb([180, 140, 120]));
        for name in ["Ann Smith.png", "bo.png", "a.jpg", "a.png"] {
            photo.save(images.join(name)).unwrap();
        }
        let info = dir.path().join("friends.csv");
        std::fs::write(
            &info,
            "face,sex,age,notes,hair_color,lip_color\n\
             Ann Smith.png,F,24,x,purple,vivid\n\
             bo,nonbinary,34,,blonde,\n\
             a.png,male,,,,\n\
             carol,male,,,,\n",
        )
        .unwrap();
        let opts = BuildOptions {
            images,
            out: dir.path().join("out"),
            info: Some(info),
            role: Role::Celebrity,
            name: None,
            strict: false,
        };
        let report = build_pack(&opts, None, &|_, _, _| {}).unwrap();
        let face = |id: &str| {
            report
                .manifest
                .faces
                .iter()
                .find(|f| f.id == id)
                .unwrap_or_else(|| panic!("{id}"))
                .attributes
                .clone()
        };
        let ann = face("Ann_Smith");
        assert_eq!(ann["sex"], "female");
        assert_eq!(ann["age"], "young_adult");
        assert_eq!(ann["lip_color"], "vivid");
        assert!(!ann.contains_key("hair_color"), "{ann:?}");
        let bo = face("bo");
        assert!(!bo.contains_key("sex"), "{bo:?}");
        assert_eq!(
            (bo["age"].as_str(), bo["hair_color"].as_str()),
            ("adult", "blonde")
        );
        // a.jpg and a.png: the row names the PNG, whose id got a suffix.
        assert!(!face("a").contains_key("sex"));
        let png = report
            .manifest
            .faces
            .iter()
            .find(|f| f.id.starts_with("a_"))
            .unwrap();
        assert_eq!(png.attributes["sex"], "male");
        assert!(report.manifest.attribute("lip_color").is_some());

        let warnings: Vec<String> = report
            .issues
            .iter()
            .filter(|i| i.kept && i.file == "friends.csv")
            .map(|i| i.message.clone())
            .collect();
        let said = |text: &str| warnings.iter().any(|w| w.contains(text));
        assert!(
            said("`Ann Smith.png`: hair_color \"purple\" is not one of grey, blonde"),
            "{warnings:?}"
        );
        assert!(
            said("`bo`: sex \"nonbinary\" is not female or male"),
            "{warnings:?}"
        );
        assert!(said("column `notes` is not used"), "{warnings:?}");
        assert!(said("1 row(s) match no image"), "{warnings:?}");
        assert!(said("`carol`"), "{warnings:?}");
        assert_eq!(warnings.len(), 4, "{warnings:?}");
    }

    #[test]
    fn info_crowd_scores_are_checked_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("info.csv");
        std::fs::write(&path, "face,crowd,name\na,4.5,Ann\nb,,Bo\n").unwrap();
        let info = read_info(&path).unwrap();
        assert_eq!(info["a"]["crowd"], "4.5");
        assert!(!info["b"].contains_key("crowd"));
        std::fs::write(&path, "\u{feff}Face,Name,crowd\r\na,\"Smith, Ann\",4\r\n").unwrap();
        let info = read_info(&path).unwrap();
        assert_eq!(info["a"]["name"], "Smith, Ann");
        assert_eq!(info["a"]["crowd"], "4");
        for bad in ["7", "high", "NaN", "0.5"] {
            std::fs::write(&path, format!("face,crowd\na,4\nbb,{bad}\n")).unwrap();
            let err = read_info(&path).unwrap_err().to_string();
            assert!(err.contains(":3:4:"), "{bad}: {err}");
            assert!(err.contains("1..=5"), "{err}");
        }
        // A spreadsheet's semicolon file: decimal commas in the numbers only.
        std::fs::write(&path, "face;name;age;crowd\n2,5;Smith, Ann;30,5;3,5\n").unwrap();
        let info = read_info(&path).unwrap();
        assert_eq!(info["2,5"]["name"], "Smith, Ann");
        assert_eq!(info["2,5"]["age"], "30.5");
        assert_eq!(info["2,5"]["crowd"], "3.5");
    }

    #[test]
    fn info_reads_gender_as_sex_and_race_as_ethnicity() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("info.csv");
        std::fs::write(&path, "face,Gender,Race\na,F,Asian\n").unwrap();
        let info = read_info(&path).unwrap();
        assert_eq!(info["a"]["sex"], "F");
        assert_eq!(info["a"]["ethnicity"], "Asian");
        assert!(!info["a"].contains_key("gender"), "{:?}", info["a"]);
        // Both a column and its alias: the first in the file counts.
        std::fs::write(&path, "face,sex,gender\na,male,female\n").unwrap();
        assert_eq!(read_info(&path).unwrap()["a"]["sex"], "male");
    }
}
