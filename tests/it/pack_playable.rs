//! A pack that `pack build` or `pack generate` writes passes `pack check`:
//! images with nothing to rate are skipped, and a pack too small to play is
//! refused with the numbers, never written with "wrote N faces".

use crate::pack_build::landmark_model_present;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_mytype");

fn run(args: &[&std::ffi::OsStr]) -> (Output, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, err)
}

fn blank(path: &Path) {
    image::RgbImage::from_pixel(64, 64, image::Rgb([40, 90, 200]))
        .save(path)
        .unwrap();
}

#[test]
fn pack_build_skips_faceless_images_with_nothing_declared_and_refuses_an_unplayable_pack() {
    if !landmark_model_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let images = tmp.path().join("in");
    std::fs::create_dir(&images).unwrap();
    for i in 0..3 {
        blank(&images.join(format!("blank{i}.png")));
    }
    let out = tmp.path().join("nf");
    let build = |extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> =
            vec!["pack".as_ref(), "build".as_ref(), images.as_os_str()];
        args.extend(["--out".as_ref(), out.as_os_str()]);
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        run(&args)
    };
    // Nothing but faceless pictures: nothing to rate, nothing written.
    let (res, err) = build(&[]);
    assert_eq!(res.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: blank0.png: skipped: no face found, and no attributes declared"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!out.exists(), "{err}");

    // Four faces with declared attributes (kept whether or not a face is
    // found) and a faceless picture without: too few to rate, said with the
    // numbers, and no pack left behind.
    for i in 0..2 {
        std::fs::remove_file(images.join(format!("blank{}.png", i + 1))).unwrap();
    }
    let faces = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default/images");
    let mut csv = String::from("face,sex\n");
    for id in ["m001", "m002", "m003", "m004"] {
        std::fs::copy(
            faces.join(format!("{id}.png")),
            images.join(format!("{id}.png")),
        )
        .unwrap();
        csv.push_str(&format!("{id},female\n"));
    }
    let info = tmp.path().join("info.csv");
    std::fs::write(&info, &csv).unwrap();
    let info_arg = info.display().to_string();
    let (res, err) = build(&["--info", &info_arg]);
    assert_eq!(res.status.code(), Some(1), "{err}");
    assert!(
        err.contains("would fail `pack check`: only 4 faces to rate")
            && err.contains("at least 10")
            && err.contains("(4 images used, 1 skipped)"),
        "{err}"
    );
    assert!(!err.contains("wrote "), "{err}");
    assert!(!out.exists(), "{err}");

    // As celebrities (a pack to reveal from) the same faces are a pack;
    // the faceless picture is skipped, not stored.
    let (res, err) = build(&["--info", &info_arg, "--role", "celebrity"]);
    assert!(res.status.success(), "{err}");
    assert!(
        err.contains("wrote 4 faces") && err.contains("(1 image skipped)"),
        "{err}"
    );
    assert!(!out.join("images/blank0.png").exists());
    let (check, check_err) = run(&["pack".as_ref(), "check".as_ref(), out.as_os_str()]);
    assert!(check.status.success(), "{check_err}");

    // --strict refuses it; declaring attributes for it keeps it.
    let (res, err) = build(&["--info", &info_arg, "--role", "celebrity", "--strict"]);
    assert_eq!(res.status.code(), Some(1), "{err}");
    assert!(
        err.contains("1 image could not be used (--strict)"),
        "{err}"
    );
    csv.push_str("blank0,male\n");
    std::fs::write(&info, &csv).unwrap();
    let (res, err) = build(&["--info", &info_arg, "--role", "celebrity", "--strict"]);
    assert!(res.status.success(), "{err}");
    assert!(
        err.contains("warning: blank0.png: no face found: kept with the attributes declared"),
        "{err}"
    );
    assert!(err.contains("wrote 5 faces"), "{err}");
}

fn generate(out: &Path, models: &str, celebrities: &str) -> (Output, String) {
    run(&[
        "pack".as_ref(),
        "generate".as_ref(),
        "--models".as_ref(),
        models.as_ref(),
        "--celebrities".as_ref(),
        celebrities.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

#[test]
fn pack_generate_refuses_unplayable_counts_and_someone_elses_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("drawn");
    for (models, celebrities) in [("5", "1"), ("0", "0"), ("9", "40")] {
        let (res, err) = generate(&out, models, celebrities);
        assert_eq!(res.status.code(), Some(1), "{models} {celebrities}: {err}");
        assert!(
            err.contains(&format!("only {models} faces to rate")) && err.contains("--models 10"),
            "{err}"
        );
        assert!(!out.exists(), "{err}");
    }
    // Only what was typed is quoted, the flag's default is not.
    let (res, err) = run(&[
        "pack".as_ref(),
        "generate".as_ref(),
        "--models".as_ref(),
        "4".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(res.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--models 4 would make a pack that fails `pack check`: only 4 faces to rate"),
        "{err}"
    );
    assert!(!err.contains("--celebrities"), "{err}");
    let (_, err) = generate(&out, "5", "1");
    assert!(
        err.contains("--models 5 --celebrities 1 would make"),
        "{err}"
    );
    // A pack to reveal from only is a pack `pack check` accepts.
    let (res, err) = generate(&out, "0", "3");
    assert!(res.status.success(), "{err}");
    // Drawn over again: it is the generator's own pack.
    let (res, err) = generate(&out, "10", "2");
    assert!(res.status.success(), "{err}");

    // Someone's folder is left alone, with what to do instead.
    let theirs = tmp.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("thesis.tex"), "mine").unwrap();
    let (res, err) = generate(&theirs, "10", "2");
    assert_eq!(res.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is not empty") && err.contains("another --out") && err.contains("rm -r -- "),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(&theirs).unwrap().collect();
    assert_eq!(left.len(), 1, "{err}");
    // An empty folder is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (res, err) = generate(&empty, "10", "2");
    assert!(res.status.success(), "{err}");
}
