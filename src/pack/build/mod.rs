//! `mytype pack build`: a pack from a folder of photos.
//!
//! Each image is decoded with limits, scaled to at most 512 px, analysed (face
//! detection, 68 landmarks, attributes: see [`Analyser`]) and copied into the
//! pack as PNG. Values declared in `--info CSV` win over extraction. Bad files
//! are reported by name and skipped; the build fails only when nothing usable
//! is left, when the pack would fail `pack check` (too few faces to rate),
//! or with `strict`.

mod info;
mod process;
mod staging;

pub use info::{age_level, read_info, sex_level, Info, CROWD_COLUMN};
pub use process::face_id;

use super::check::{validate_manifest, Diagnostic, Severity};
use super::{FaceEntry, Manifest, PackError, Role, MANIFEST_FILE, PACK_FORMAT_VERSION};
use crate::core::attributes;
use crate::vision::measure::Measurements;
use crate::vision::photo::Analyser;
use process::{display_name, process, Processed};
use staging::{io_error_at, Staging};
use std::collections::BTreeSet;
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
    /// The errors `pack check` would report on the pack: when there are
    /// any, nothing was written.
    pub problems: Vec<Diagnostic>,
    pub manifest: Manifest,
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
    let (files, others) = list_inputs(opts)?;
    // Images are stored in a staging folder inside the output and moved into
    // place only once the pack is complete, so a build that fails (nothing
    // usable, --strict) leaves an earlier pack there as it was, and a rebuild
    // leaves no images of photos removed since.
    let stage = Staging::new(&opts.out)?;
    let results = process_all(&files, stage.root(), analyser, progress);

    let mut issues = skipped_entries(&others);
    let (mut faces, measurements, sources, faceless) =
        collect_faces(results, &files, &stage, opts.role, &mut issues)?;
    let measured = quantise_measured(&mut faces, &measurements);

    // Declared values win; `ethnicity` (and other non-canonical columns) become
    // pack attributes with the levels seen, sorted.
    let info_name = opts.info.as_deref().map(display_name).unwrap_or_default();
    let extra = info::apply_info(&info, &mut faces, &sources, &info_name, &mut issues);
    drop_faceless(&mut faces, &faceless, &sources, stage.root(), &mut issues);
    let measured_extras = crate::vision::measure::measured_extras();
    let mut vocabulary = attributes::canonical_vocabulary();
    let has_extra = faces.iter().any(|f| {
        measured_extras
            .iter()
            .any(|d| f.attributes.contains_key(&d.name))
    });
    if measured || has_extra {
        vocabulary.extend(measured_extras);
    }
    vocabulary.extend(info::declared_attributes(extra));
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
        faces,
    };
    let problems = check_errors(&manifest, stage.root(), &opts.out)?;
    let failed = manifest.faces.is_empty()
        || (opts.strict && issues.iter().any(|i| !i.kept))
        || !problems.is_empty();
    if !failed {
        stage.commit(&manifest)?;
    }
    Ok(BuildReport {
        faces: manifest.faces.len(),
        issues,
        problems,
        manifest,
    })
}

/// The errors `pack check` would find in the pack about to be written, by
/// its own rules (images aside: they were just written): a pack it would
/// refuse, e.g. with too few faces to rate, is not written.
fn check_errors(
    manifest: &Manifest,
    stage_root: &Path,
    out: &Path,
) -> Result<Vec<Diagnostic>, PackError> {
    let text = manifest.to_ron()?;
    let report = validate_manifest(stage_root, &out.join(MANIFEST_FILE), &text, manifest, false);
    Ok(report
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect())
}

/// The files directly in the images folder, sorted, and the other entries
/// (folders, broken links, pipes). A pack built into the images folder is
/// not one of its photos.
fn list_inputs(opts: &BuildOptions) -> Result<(Vec<PathBuf>, Vec<PathBuf>), PackError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&opts.images)
        .map_err(io_error_at(&opts.images))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    let out_dir = opts.out.canonicalize().ok();
    entries.retain(|p| out_dir.is_none() || p.canonicalize().ok() != out_dir);
    Ok(entries.into_iter().partition(|p| p.is_file()))
}

/// Decodes, scales, analyses and stores each image on every core; ids are
/// assigned afterwards in file order so the output does not depend on
/// timing. One result per file, in file order.
fn process_all(
    files: &[PathBuf],
    root: &Path,
    analyser: Option<&dyn Analyser>,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Vec<Option<Processed>> {
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
                        out.push((n, process(file, root, n, analyser)));
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
    results
}

/// Photos sorted into folders are not looked for, and a broken link or a
/// pipe is not read: say so, never drop anything silently.
fn skipped_entries(others: &[PathBuf]) -> Vec<BuildIssue> {
    others
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
        .collect()
}

/// The faces of the images that were stored, in file order, with their
/// measurements and source files; each image's issues go to `issues`. Ids
/// come from file stems; a clash (a.jpg and a.png) gets a suffix.
#[allow(clippy::type_complexity)]
fn collect_faces<'f>(
    results: Vec<Option<Processed>>,
    files: &'f [PathBuf],
    stage: &Staging,
    role: Role,
    issues: &mut Vec<BuildIssue>,
) -> Result<
    (
        Vec<FaceEntry>,
        Vec<Option<Measurements>>,
        Vec<&'f Path>,
        Vec<bool>,
    ),
    PackError,
> {
    let (mut faces, mut measurements, mut sources) = (Vec::new(), Vec::new(), Vec::new());
    let mut faceless = Vec::new();
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
        face.role = role;
        faces.push(face);
        measurements.push(processed.measurements);
        sources.push(files[n].as_path());
        faceless.push(processed.no_face);
    }
    Ok((faces, measurements, sources, faceless))
}

/// Images in which no face was found: kept when `--info` declares
/// attributes for them, else skipped (there is nothing to rate them on), so
/// they count as skipped and `--strict` refuses them.
fn drop_faceless(
    faces: &mut Vec<FaceEntry>,
    faceless: &[bool],
    sources: &[&Path],
    stage_root: &Path,
    issues: &mut Vec<BuildIssue>,
) {
    let mut kept = Vec::with_capacity(faces.len());
    for ((face, &no_face), source) in faces.drain(..).zip(faceless).zip(sources) {
        if !no_face {
            kept.push(face);
            continue;
        }
        let file = display_name(source);
        if face.attributes.is_empty() {
            // Its stored copy must not end up in the pack's images.
            let _ = std::fs::remove_file(stage_root.join(&face.image));
            issues.push(BuildIssue {
                file,
                message: "skipped: no face found, and no attributes declared for it in --info \
                          (nothing to rate it on)"
                    .into(),
                kept: false,
            });
        } else {
            issues.push(BuildIssue {
                file,
                message: "no face found: kept with the attributes declared for it in --info".into(),
                kept: true,
            });
            kept.push(face);
        }
    }
    *faces = kept;
}

/// Quantises the measured faces together (some cut points are
/// pack-relative) into their attributes; whether any face was measured.
fn quantise_measured(faces: &mut [FaceEntry], measurements: &[Option<Measurements>]) -> bool {
    let measured: Vec<usize> = (0..faces.len())
        .filter(|&i| measurements[i].is_some())
        .collect();
    let all: Vec<Measurements> = measured
        .iter()
        .filter_map(|&i| measurements[i].clone())
        .collect();
    let levels = crate::vision::measure::quantise(&all);
    for (k, &i) in measured.iter().enumerate() {
        faces[i].attributes = levels[k].clone();
    }
    !all.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

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
        assert!(said("1 row matches no image"), "{warnings:?}");
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
            assert!(err.contains("is not a number from 1 to 5"), "{err}");
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
