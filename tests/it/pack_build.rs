//! `mytype pack build`: photos in, a valid pack out; bad files reported by
//! name, never silently dropped.

use crate::files_support;
use files_support::snapshot;
use mytype::vision::exif_fixture::exif_orientation;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mytype");

/// Whether dlib's landmark model is installed; under CI its absence fails.
pub(crate) fn landmark_model_present() -> bool {
    let present = Path::new(&mytype::vision::landmarks::default_model_path()).is_file();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install libdlib-data (the landmark model)"
        );
        eprintln!("skipping: no landmark model (apt-get install libdlib-data)");
    }
    present
}

/// The shared Canada portraits, sorted, when they are next to the
/// repository; `None`, said on stderr, when the folder is absent. Any other
/// error reading it fails the test rather than skip it.
fn canada_portraits() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/canada/images");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "note: {} not found (the shared data sets are not next to the repository): \
                 drawn faces stand in, and what needs real portraits is skipped",
                dir.display()
            );
            return None;
        }
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    Some(files)
}

/// Runs `mytype pack build IMAGES --out OUT EXTRA...`.
fn pack_build<S: AsRef<std::ffi::OsStr>>(
    images: &Path,
    out: &Path,
    extra: impl IntoIterator<Item = S>,
) -> std::process::Output {
    Command::new(BIN)
        .args(["pack", "build"])
        .arg(images)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// `mytype pack show --json PACK`, parsed.
fn pack_show(pack: &Path) -> serde_json::Value {
    let show = Command::new(BIN)
        .args(["pack", "show", "--json"])
        .arg(pack)
        .output()
        .unwrap();
    serde_json::from_slice(&show.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&show.stderr)))
}

/// Copies a few portraits (the shared Canada set when present, else the
/// bundled drawn faces) and adds one file of each bad kind.
fn inputs(dir: &Path) -> usize {
    let mut good = 0;
    if let Some(files) = canada_portraits() {
        for f in files.iter().take(4) {
            std::fs::copy(f, dir.join(f.file_name().unwrap())).unwrap();
            good += 1;
        }
    } else {
        let faces = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default/images");
        for id in ["m001", "m002", "m003", "m004"] {
            std::fs::copy(
                faces.join(format!("{id}.png")),
                dir.join(format!("{id}.png")),
            )
            .unwrap();
            good += 1;
        }
    }
    std::fs::write(dir.join("notes.txt"), "not a picture").unwrap();
    std::fs::write(dir.join("corrupt.jpg"), b"\xff\xd8\xff\xe0garbage").unwrap();
    let png =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default/images/m005.png"))
            .unwrap();
    std::fs::write(dir.join("truncated.png"), &png[..png.len() / 3]).unwrap();
    // A JPEG cut short decodes with a grey lower part unless refused.
    let mut jpeg = Vec::new();
    image::load_from_memory(&png)
        .unwrap()
        .to_rgb8()
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    std::fs::write(dir.join("truncated.jpg"), &jpeg[..jpeg.len() * 3 / 4]).unwrap();
    image::GrayImage::from_pixel(64, 64, image::Luma([128]))
        .save(dir.join("grey.png"))
        .unwrap();
    // A folder of photos is not searched, and a dangling link is not read:
    // both are listed.
    std::fs::write(dir.join("IMG_0001.HEIC"), b"\0\0\0\x18ftypheic").unwrap();
    std::fs::create_dir(dir.join("holiday")).unwrap();
    std::fs::write(dir.join("holiday/beach.png"), &png).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone.jpg"), dir.join("dangling.jpg")).unwrap();
    good
}

/// A temporary folder with `in/` made by [`inputs`], and the number of good
/// photos in it; `None` (the test is skipped) without the landmark model.
fn bad_inputs() -> Option<(tempfile::TempDir, PathBuf, usize)> {
    if !landmark_model_present() {
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let images = tmp.path().join("in");
    std::fs::create_dir(&images).unwrap();
    let good = inputs(&images);
    Some((tmp, images, good))
}

#[test]
fn builds_a_pack_and_reports_every_bad_file() {
    let Some((tmp, images, good)) = bad_inputs() else {
        return;
    };
    let info = tmp.path().join("info.csv");
    let stems: Vec<String> = std::fs::read_dir(&images)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    let mut csv = String::from("face,name,sex,age,crowd\n");
    for s in &stems {
        csv.push_str(&format!("{s},Person {s},female,52,4.25\n"));
    }
    std::fs::write(&info, csv).unwrap();
    let out = tmp.path().join("pack");
    let run = pack_build(
        &images,
        &out,
        [
            "--info".as_ref(),
            info.as_os_str(),
            "--role".as_ref(),
            "celebrity".as_ref(),
        ],
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("notes.txt") && err.contains("not an image"),
        "{err}"
    );
    assert!(err.contains("corrupt.jpg"), "{err}");
    assert!(err.contains("truncated.png"), "{err}");
    assert!(
        err.contains("truncated.jpg") && err.contains("cut short"),
        "{err}"
    );
    assert!(
        err.contains("grey.png") && err.contains("greyscale"),
        "{err}"
    );
    assert!(err.contains("grey.png: no face found"), "{err}");
    assert!(err.contains("error: holiday/: skipped: a folder"), "{err}");
    assert!(
        err.contains("IMG_0001.HEIC: skipped: HEIC photos are not supported: save it as JPEG"),
        "{err}"
    );
    #[cfg(unix)]
    assert!(
        err.contains("error: dangling.jpg: skipped: not a regular file"),
        "{err}"
    );

    // The pack is valid and declared values won over extraction.
    let check = Command::new(BIN)
        .args(["pack", "check"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let v = pack_show(&out);
    let faces = v["faces"].as_array().unwrap();
    assert_eq!(faces.len(), good + 1, "{v}");
    for f in faces {
        assert_eq!(f["role"], "celebrity");
        assert_eq!(f["attributes"]["sex"], "female");
        assert_eq!(f["attributes"]["age"], "middle_aged");
        assert_eq!(f["crowd"], 4.25);
        assert!(f["name"].as_str().unwrap().starts_with("Person "));
    }
    if canada_portraits().is_some() {
        // Real portraits: a face with 68 landmarks inside the image, and measured attributes.
        let measured = faces
            .iter()
            .filter(|f| f["landmarks"].as_array().map(Vec::len) == Some(68))
            .count();
        assert_eq!(measured, good, "{v}");
        for f in faces.iter().filter(|f| f["landmarks"].is_array()) {
            for attr in [
                "skin_tone",
                "smile",
                "eye_size",
                "glasses",
                "nose_width",
                "skin_texture",
                "lip_color",
            ] {
                assert!(f["attributes"][attr].is_string(), "{attr} missing: {f}");
            }
            // Appeal is on the crowd's 0-100 scale, give or take.
            let appeal = f["appeal"].as_f64().unwrap_or(f64::NAN);
            assert!((-20.0..120.0).contains(&appeal), "appeal: {f}");
        }
        // Faces without landmarks have no appeal.
        for f in faces.iter().filter(|f| !f["landmarks"].is_array()) {
            assert!(f.get("appeal").is_none(), "{f}");
        }
    }
    // Stored copies are at most 512 px.
    for f in faces {
        let img = image::open(out.join(f["image"].as_str().unwrap())).unwrap();
        assert!(img.width().max(img.height()) <= 512);
    }
}

#[test]
fn nothing_usable_fails_and_strict_fails_on_any_bad_file() {
    if !landmark_model_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let images = tmp.path().join("in");
    std::fs::create_dir(&images).unwrap();
    std::fs::write(images.join("a.jpg"), b"nope").unwrap();
    let run = pack_build(&images, &tmp.path().join("pack"), None::<&str>);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("no usable image"));

    inputs(&images);
    let run = pack_build(&images, &tmp.path().join("strict"), ["--strict"]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("--strict"));
    assert!(!tmp.path().join("strict").exists(), "nothing was written");

    // Rebuilt into a folder inside the images: that folder is not reported.
    // (Celebrities: four faces are too few to rate.)
    for _ in 0..2 {
        let run = pack_build(&images, &images.join("pack"), ["--role", "celebrity"]);
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{err}");
        assert!(err.contains("holiday/") && !err.contains("pack/"), "{err}");
    }
}

#[test]
fn a_rebuild_replaces_the_pack_whole_and_a_failed_one_leaves_it_as_it_was() {
    let Some((tmp, images, good)) = bad_inputs() else {
        return;
    };
    let out = tmp.path().join("pack");
    // Celebrities: `pack show` reads a pack with fewer than 10 faces to rate.
    const CELEBRITIES: [&str; 2] = ["--role", "celebrity"];
    let stored = |out: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out.join("images"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    };
    let images_of = |out: &Path| -> Vec<String> {
        let mut names: Vec<String> = pack_show(out)["faces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                f["image"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("images/")
                    .to_string()
            })
            .collect();
        names.sort();
        names
    };
    assert!(pack_build(&images, &out, CELEBRITIES).status.success());
    assert_eq!(stored(&out), images_of(&out));
    // The greyscale picture has no face and no declared attributes: skipped.
    assert_eq!(stored(&out).len(), good);

    // One photo fewer: its stored copy goes with it.
    let first = pack_show(&out)["faces"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let source = std::fs::read_dir(&images)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_file() && p.file_stem().is_some_and(|s| s == first.as_str()))
        .unwrap();
    std::fs::remove_file(&source).unwrap();
    let run = pack_build(&images, &out, CELEBRITIES);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(stored(&out), images_of(&out));
    assert_eq!(stored(&out).len(), good - 1);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "images" && n != "pack.ron")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A rebuild that fails (--strict, bad files) leaves the pack as it was:
    // "nothing was written" is true.
    let before = snapshot(&out);
    let run = pack_build(&images, &out, ["--strict", "--role", "celebrity"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        !run.status.success() && err.contains("nothing was written"),
        "{err}"
    );
    assert!(snapshot(&out) == before, "the earlier pack changed");

    // While another build holds the folder, a second one does not mix its
    // images in: it says so and leaves the pack alone.
    let other_build = std::fs::File::open(&out).unwrap();
    other_build.lock().unwrap();
    let run = pack_build(&images, &out, CELEBRITIES);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        !run.status.success() && err.contains("another `mytype pack build` is writing"),
        "{err}"
    );
    assert!(
        snapshot(&out) == before,
        "the pack changed under another build"
    );
    drop(other_build);

    // A folder whose images/ holds someone's files is not built into.
    let theirs = tmp.path().join("photos");
    std::fs::create_dir_all(theirs.join("images")).unwrap();
    std::fs::write(theirs.join("images/holiday.jpg"), b"theirs").unwrap();
    let run = pack_build(&images, &theirs, None::<&str>);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        !run.status.success() && err.contains("choose another --out"),
        "{err}"
    );
    assert_eq!(snapshot(&theirs).len(), 1, "{err}");
}

#[test]
fn a_missing_landmark_model_says_how_to_install_it() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Command::new(BIN)
        .args(["pack", "build"])
        .arg(tmp.path())
        .arg("--out")
        .arg(tmp.path().join("pack"))
        .arg("--landmark-model")
        .arg(tmp.path().join("missing.dat"))
        .output()
        .unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("apt-get install libdlib-data"), "{err}");
}

#[test]
fn a_phone_photo_stored_sideways_is_measured_upright() {
    use image::ImageEncoder;
    if !landmark_model_present() {
        return;
    }
    let source = match canada_portraits() {
        Some(files) => files[0].clone(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default/images/m001.png"),
    };
    let upright = image::open(&source).unwrap().to_rgb8();
    // As a phone stores a portrait: turned a quarter to the left, with Exif
    // orientation 6 ("turn 90° clockwise to view").
    let sideways = image::imageops::rotate270(&upright);
    let tmp = tempfile::tempdir().unwrap();
    let images = tmp.path().join("in");
    std::fs::create_dir(&images).unwrap();
    let save = |name: &str, img: &image::RgbImage, exif: Option<u8>| {
        let file = std::fs::File::create(images.join(name)).unwrap();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(file, 95);
        if let Some(value) = exif {
            encoder.set_exif_metadata(exif_orientation(value)).unwrap();
        }
        encoder
            .write_image(
                img.as_raw(),
                img.width(),
                img.height(),
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
    };
    save("upright.jpg", &upright, None);
    save("sideways.jpg", &sideways, Some(6));
    let out = tmp.path().join("pack");
    // two faces: too few to rate, enough to reveal
    let run = pack_build(&images, &out, ["--role", "celebrity"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v = pack_show(&out);
    let face = |id: &str| {
        v["faces"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing: {v}"))
            .clone()
    };
    let (a, b) = (face("upright"), face("sideways"));
    let size = |f: &serde_json::Value| {
        image::image_dimensions(out.join(f["image"].as_str().unwrap())).unwrap()
    };
    assert_eq!(size(&a), size(&b), "the stored copy is upright");
    let points = |f: &serde_json::Value| -> Vec<f64> {
        f["landmarks"]
            .as_array()
            .unwrap_or_else(|| panic!("no face found: {f}"))
            .iter()
            .flat_map(|p| p.as_array().unwrap().iter().map(|c| c.as_f64().unwrap()))
            .collect()
    };
    let (pa, pb) = (points(&a), points(&b));
    assert_eq!(pa.len(), 136);
    let worst = pa
        .iter()
        .zip(&pb)
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max);
    assert!(worst < 0.02, "landmarks differ by {worst} of the image");
    // Skin tone and hair colour are scores cut into levels, read from small
    // cells and quantiles of pixels: a JPEG copy turned on its side can land
    // across a cut (the drawn m001 scores 51.5 against the brown/dark cut at
    // 53.7), but not further.
    for attr in ["skin_tone", "hair_color"] {
        assert!(steps_apart(attr, &a, &b) <= 1.0, "{attr}: {a} against {b}");
    }
}

/// How many levels apart two faces are on a scored attribute: skin tone,
/// lightest to darkest, or hair colour, light to dark by its score (blonde,
/// light brown, dark brown, black; grey and red are only read on hair
/// scored light, so they sit beside blonde and light brown).
fn steps_apart(attr: &str, a: &serde_json::Value, b: &serde_json::Value) -> f64 {
    const HAIR: [(&str, f64); 6] = [
        ("blonde", 0.0),
        ("grey", 0.5),
        ("red", 1.0),
        ("light_brown", 1.0),
        ("dark_brown", 2.0),
        ("black", 3.0),
    ];
    let rank = |f: &serde_json::Value| {
        let level = f["attributes"][attr].as_str()?;
        match attr {
            "skin_tone" => mytype::core::attributes::SKIN_TONES
                .iter()
                .position(|t| *t == level)
                .map(|i| i as f64),
            _ => HAIR.iter().find(|h| h.0 == level).map(|h| h.1),
        }
    };
    // Neither measured (a bald head has no hair colour) is no difference;
    // one measured and not the other is as far apart as can be.
    match (rank(a), rank(b)) {
        (Some(x), Some(y)) => (x - y).abs(),
        (None, None) => 0.0,
        _ => f64::INFINITY,
    }
}

/// The pixels reached from the top corners by steps to a neighbour that
/// differs by at most `step` in every channel: a smooth background (the drawn
/// faces' is a vertical gradient), stopping at the edges of hair and clothes.
fn flood_from_top_corners(img: &image::RgbImage, step: u8) -> Vec<bool> {
    let (w, h) = (img.width(), img.height());
    let mut seen = vec![false; (w * h) as usize];
    let mut todo = vec![(0, 0), (w - 1, 0)];
    for &(x, y) in &todo {
        seen[(y * w + x) as usize] = true;
    }
    while let Some((x, y)) = todo.pop() {
        let here = img.get_pixel(x, y).0;
        let around = [
            (x.wrapping_sub(1), y),
            (x + 1, y),
            (x, y.wrapping_sub(1)),
            (x, y + 1),
        ];
        for (nx, ny) in around {
            if nx >= w || ny >= h || seen[(ny * w + nx) as usize] {
                continue;
            }
            let there = img.get_pixel(nx, ny).0;
            if here.iter().zip(there).all(|(a, b)| a.abs_diff(b) <= step) {
                seen[(ny * w + nx) as usize] = true;
                todo.push((nx, ny));
            }
        }
    }
    seen
}

#[test]
fn a_cut_out_portrait_on_a_transparent_background_reads_like_the_original() {
    if !landmark_model_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (plain, cut) = (tmp.path().join("plain"), tmp.path().join("cut"));
    std::fs::create_dir(&plain).unwrap();
    std::fs::create_dir(&cut).unwrap();
    let sources: Vec<PathBuf> = match canada_portraits() {
        Some(files) => files.into_iter().step_by(4).collect(),
        None => {
            let faces = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default/images");
            (1..=6).map(|i| faces.join(format!("m00{i}.png"))).collect()
        }
    };
    for source in &sources {
        let id = source.file_stem().unwrap().to_string_lossy();
        let img = image::open(source).unwrap().to_rgb8();
        img.save(plain.join(format!("{id}.png"))).unwrap();
        // As web cut-outs come: the background transparent, its colour black.
        let background = flood_from_top_corners(&img, 4);
        let rgba = image::RgbaImage::from_fn(img.width(), img.height(), |x, y| {
            let p = img.get_pixel(x, y);
            if background[(y * img.width() + x) as usize] {
                image::Rgba([0, 0, 0, 0])
            } else {
                image::Rgba([p[0], p[1], p[2], 255])
            }
        });
        rgba.save(cut.join(format!("{id}.png"))).unwrap();
    }
    let levels = |dir: &Path| -> Vec<(String, serde_json::Value)> {
        let out = dir.with_extension("pack");
        let run = pack_build(dir, &out, ["--role", "celebrity"]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        pack_show(&out)["faces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    f["attributes"].clone(),
                )
            })
            .collect()
    };
    // The detector may miss a face on the new background (one of the six
    // drawn ones on white; such an image is skipped), so the faces measured
    // both ways, matched by id, are compared.
    let (a, b) = (levels(&plain), levels(&cut));
    let both: Vec<_> = a
        .iter()
        .filter_map(|(id, x)| Some((x, &b.iter().find(|(other, _)| other == id)?.1)))
        .filter(|(x, y)| x["skin_tone"].is_string() && y["skin_tone"].is_string())
        .collect();
    assert!(both.len() + 1 >= sources.len(), "{a:?} against {b:?}");
    // Hair length must match. Skin tone and hair colour are scores cut
    // into levels: a face near a cut may land across it (a Canada portrait
    // scores 24.4 against 25.6 for blonde/light brown at 25), but no further
    // and not often. Read on a black background both would go much darker.
    let mut differ = 0;
    for (x, y) in &both {
        assert_eq!(x["hair_length"], y["hair_length"], "{x} against {y}");
        let face = |v: &serde_json::Value| serde_json::json!({ "attributes": v });
        let steps = ["skin_tone", "hair_color"].map(|attr| steps_apart(attr, &face(x), &face(y)));
        assert!(steps.iter().all(|&s| s <= 1.0), "{x} against {y}");
        differ += usize::from(steps.iter().any(|&s| s > 0.0));
    }
    assert!(
        differ * 4 <= both.len(),
        "{differ} of {} faces differ",
        both.len()
    );
}

#[test]
fn light_skinned_portraits_in_dim_studio_light_do_not_read_tan_or_darker() {
    // The Canada portraits are all of light-skinned people, many of them lit
    // dimly. The skin's own colour read about a quarter of them as tan or
    // brown; read as people see it, with the face's and hair's colours, none.
    let Some(files) = canada_portraits() else {
        eprintln!(
            "light_skinned_portraits_in_dim_studio_light_do_not_read_tan_or_darker: \
             skipped, it needs the real portraits of ../shared/data/canada"
        );
        return;
    };
    if !landmark_model_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let images = tmp.path().join("in");
    std::fs::create_dir(&images).unwrap();
    for f in &files {
        std::fs::copy(f, images.join(f.file_name().unwrap())).unwrap();
    }
    let out = tmp.path().join("pack");
    let run = pack_build(&images, &out, std::iter::empty::<&str>());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v = pack_show(&out);
    let tones: Vec<&str> = v["faces"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["attributes"]["skin_tone"].as_str())
        .collect();
    assert!(tones.len() + 2 >= files.len(), "{tones:?}");
    for tone in &tones {
        assert!(
            ["very_light", "light", "intermediate"].contains(tone),
            "{tones:?}"
        );
    }
}
