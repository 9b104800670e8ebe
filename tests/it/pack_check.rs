//! `mytype pack check`: each class of manifest error is reported with its
//! file and line:column or face id, and the command exits non-zero.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mytype");

/// Writes a valid pack of `n` model faces and 2 celebrities; returns the manifest text.
fn write_pack(dir: &Path, n: usize) -> String {
    std::fs::create_dir_all(dir.join("img")).unwrap();
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 150, 120]));
    let mut faces = String::new();
    for i in 0..n + 2 {
        let id = format!("f{i:02}");
        img.save(dir.join(format!("img/{id}.png"))).unwrap();
        let role = if i < n { "model" } else { "celebrity" };
        let sex = if i % 2 == 0 { "female" } else { "male" };
        faces.push_str(&format!(
            "    (\n      id: \"{id}\",\n      name: \"Face {i}\",\n      image: \"img/{id}.png\",\n      role: {role},\n      attributes: {{\"sex\": \"{sex}\", \"smile\": \"slight\"}},\n    ),\n"
        ));
    }
    let text = format!(
        "(\n  version: 1,\n  name: \"tiny\",\n  description: \"test\",\n  license: \"CC0-1.0\",\n  attribution: \"tests\",\n  attributes: [\n    (name: \"sex\", levels: [\"female\", \"male\"], description: \"Perceived sex.\"),\n    (name: \"smile\", levels: [\"neutral\", \"slight\", \"broad\"], description: \"Smile.\"),\n    (name: \"freckles\", levels: [\"no\", \"yes\"], description: \"A pack's own attribute.\"),\n  ],\n  faces: [\n{faces}  ],\n)\n"
    );
    std::fs::write(dir.join("pack.ron"), &text).unwrap();
    text
}

fn check(dir: &Path) -> (bool, String) {
    let out = Command::new(BIN)
        .args(["pack", "check"])
        .arg(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn with_manifest(edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let text = write_pack(tmp.path(), 12);
    std::fs::write(tmp.path().join("pack.ron"), edit(text)).unwrap();
    (tmp, String::new())
}

#[test]
fn a_valid_pack_passes() {
    let tmp = tempfile::tempdir().unwrap();
    write_pack(tmp.path(), 12);
    let (ok, out) = check(tmp.path());
    assert!(ok, "{out}");
    assert!(
        out.contains(": 14 faces (12 to rate, 2 to reveal), 0 errors, 0 warnings"),
        "{out}"
    );
}

#[test]
fn unknown_level_is_reported_at_the_face() {
    let (tmp, _) =
        with_manifest(|t| t.replacen("\"smile\": \"slight\"", "\"smile\": \"smirk\"", 1));
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    // f00's id stands on line 14, column 11.
    assert!(
        out.contains(
            "pack.ron:14:11: error: face `f00`: unknown level `smirk` for attribute `smile`"
        ),
        "{out}"
    );
}

#[test]
fn unknown_attribute_is_reported() {
    let (tmp, _) = with_manifest(|t| t.replacen("\"sex\": \"female\"", "\"tail\": \"long\"", 1));
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("face `f00`: unknown attribute `tail`"),
        "{out}"
    );
    assert!(out.contains(", 1 error, "), "one error, singular: {out}");
}

#[test]
fn duplicate_id_points_at_the_second_one() {
    let (tmp, _) = with_manifest(|t| t.replacen("id: \"f01\"", "id: \"f00\"", 1));
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("pack.ron:21:11: error: face `f00`: duplicate face id"),
        "{out}"
    );
}

#[test]
fn missing_and_undecodable_images_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write_pack(tmp.path(), 12);
    std::fs::remove_file(tmp.path().join("img/f03.png")).unwrap();
    std::fs::write(tmp.path().join("img/f04.png"), b"not a png at all").unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("face `f03`: image") && out.contains("f03.png"),
        "{out}"
    );
    assert!(
        out.contains("face `f04`:") && out.contains("not a supported image"),
        "{out}"
    );
}

#[test]
fn paths_leaving_the_pack_are_refused() {
    let (tmp, _) = with_manifest(|t| t.replacen("img/f05.png", "../f05.png", 1));
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("face `f05`: the image path contains `..`"),
        "{out}"
    );

    let (tmp, _) = with_manifest(|t| t.replacen("img/f06.png", "/etc/hostname", 1));
    let (_, out) = check(tmp.path());
    assert!(
        out.contains("face `f06`: the image path is absolute"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_pack_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.png");
    image::RgbImage::new(4, 4).save(&secret).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    write_pack(tmp.path(), 12);
    let link = tmp.path().join("img/f07.png");
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("face `f07`") && out.contains("outside the pack"),
        "{out}"
    );
}

#[test]
fn too_few_model_faces_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    write_pack(tmp.path(), 4);
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("only 4 faces to rate") && out.contains("at least 10"),
        "{out}"
    );
}

#[test]
fn syntax_errors_have_line_and_column() {
    let (tmp, _) = with_manifest(|t| t.replacen("role: model,", "role: model,,", 1));
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("pack.ron:17:19: error: Expected identifier"),
        "{out}"
    );
}

#[test]
fn canonical_levels_cannot_be_changed_and_versions_are_checked() {
    let (tmp, _) = with_manifest(|t| {
        t.replace("[\"female\", \"male\"]", "[\"male\", \"female\"]")
            .replace("version: 1", "version: 7")
    });
    let (ok, out) = check(tmp.path());
    assert!(!ok);
    assert!(
        out.contains("canonical attribute `sex` must have the levels [female, male]"),
        "{out}"
    );
    assert!(
        out.contains("format version 7 is not supported") && out.contains("newer mytype"),
        "{out}"
    );
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let (tmp, _) = with_manifest(|t| {
        t.replacen("\"smile\": \"slight\"", "\"smile\": \"smirk\"", 1)
            .replacen("img/f05.png", "../f05.png", 1)
            .replacen("id: \"f01\"", "id: \"f00\"", 1)
    });
    let (_, out) = check(tmp.path());
    assert!(out.contains("3 errors"), "{out}");
}

#[test]
fn pack_show_json_has_the_documented_shape() {
    let tmp = tempfile::tempdir().unwrap();
    write_pack(tmp.path(), 12);
    let out = Command::new(BIN)
        .args(["pack", "show", "--json"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "tiny");
    assert_eq!(
        v["attributes"]["smile"]["levels"],
        serde_json::json!(["neutral", "slight", "broad"])
    );
    assert_eq!(v["faces"].as_array().unwrap().len(), 14);
    let f = &v["faces"][0];
    assert_eq!(f["id"], "f00");
    assert_eq!(f["role"], "model");
    assert_eq!(f["image"], "img/f00.png");
    assert_eq!(f["attributes"]["sex"], "female");
    assert!(f.get("crowd").is_none() && f.get("landmarks").is_none());
}

#[test]
fn crowd_scores_appeal_and_descriptors_must_be_numbers_in_range() {
    let (tmp, _) = with_manifest(|t| {
        t.replacen("role: model,", "role: model,\n      crowd: 7.5,", 1)
            .replacen(
                "role: celebrity,",
                "role: celebrity,\n      appeal: NaN,",
                1,
            )
            .replacen(
                "role: model,\n      attributes: {\"sex\": \"male\"",
                "role: model,\n      appeal: 57.5,\n      descriptor: [0.1, 0.2],\n      attributes: {\"sex\": \"male\"",
                1,
            )
    });
    let (ok, out) = check(tmp.path());
    assert!(!ok, "{out}");
    assert!(
        out.contains("face `f00`: crowd score 7.5 is not from 1 to 5"),
        "{out}"
    );
    assert!(
        out.contains("face `f12`: appeal NaN is not a number"),
        "{out}"
    );
    assert!(
        out.contains("descriptor has 2 numbers, 128 expected"),
        "{out}"
    );
    // A finite appeal is fine: exactly three errors.
    assert!(out.contains("3 errors"), "{out}");
}

#[test]
fn a_pack_name_with_control_characters_is_an_error() {
    let (tmp, _) = with_manifest(|t| t.replace("name: \"tiny\"", "name: \"ti\\u{1b}[2Jny\""));
    let (ok, out) = check(tmp.path());
    assert!(!ok, "{out}");
    assert!(
        out.contains("the pack's name holds control characters"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}'),
        "the name reached the terminal raw: {out:?}"
    );
}
