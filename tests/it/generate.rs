//! The illustrated pack generator: deterministic, complete, and a valid pack.

use mytype::core::attributes::canonical_vocabulary;
use mytype::pack::generate::{generate_pack, GenerateOptions};
use mytype::pack::{check_pack, Manifest, Role, LANDMARK_COUNT};
use std::collections::BTreeMap;
use std::path::Path;

use crate::files_support;
use files_support::snapshot;

fn small(seed: u64) -> GenerateOptions {
    GenerateOptions {
        seed,
        models: 12,
        celebrities: 3,
    }
}

#[test]
fn same_seed_gives_identical_bytes_and_another_seed_differs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    generate_pack(a.path(), &small(5)).unwrap();
    generate_pack(b.path(), &small(5)).unwrap();
    generate_pack(c.path(), &small(6)).unwrap();
    let (sa, sb, sc) = (snapshot(a.path()), snapshot(b.path()), snapshot(c.path()));
    assert_eq!(sa.len(), 12 + 3 + 1);
    assert!(sa == sb, "same seed produced different files");
    assert_eq!(sa.keys().collect::<Vec<_>>(), sc.keys().collect::<Vec<_>>());
    assert!(sa["pack.ron"] != sc["pack.ron"]);
    let differing = sa
        .iter()
        .filter(|(k, v)| k.ends_with(".png") && sc[*k] != **v)
        .count();
    assert!(
        differing >= 12,
        "only {differing} images differ between seeds"
    );
}

fn check_default_pack(dir: &Path, manifest: &Manifest) {
    let report = check_pack(dir);
    assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
    assert_eq!(report.model_faces, 50);
    assert_eq!(report.candidate_faces, 40);
    assert_eq!(manifest.name, "default");
    assert_eq!(manifest.license, "CC0-1.0");
    assert!(!manifest.description.is_empty() && !manifest.attribution.is_empty());
    assert_eq!(manifest.attributes, canonical_vocabulary());

    let vocabulary = canonical_vocabulary();
    let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (i, face) in manifest.faces.iter().enumerate() {
        let expected = if i < 50 {
            (format!("m{:03}", i + 1), Role::Model)
        } else {
            (format!("c{:03}", i - 49), Role::Celebrity)
        };
        assert_eq!((face.id.clone(), face.role), expected);
        assert_eq!(face.image, format!("images/{}.png", face.id));
        assert!(face.crowd.is_none());
        assert_eq!(face.attributes.len(), vocabulary.len(), "{}", face.id);
        for def in &vocabulary {
            let level = face.attributes.get(&def.name).unwrap();
            assert!(def.level_index(level).is_some(), "{}: {level}", face.id);
            if face.role == Role::Model {
                *seen.entry((&def.name, level)).or_default() += 1;
            }
        }
        let marks = face.landmarks.as_ref().unwrap();
        assert_eq!(marks.len(), LANDMARK_COUNT);
        assert!(marks
            .iter()
            .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
        // Landmarks are where a face is: eyes above the nose tip above the
        // mouth above the chin, left features left of right ones.
        let y = |k: usize| marks[k].1;
        let x = |k: usize| marks[k].0;
        assert!(y(19) < y(37) && y(37) < y(30) && y(30) < y(51) && y(51) < y(57));
        assert!(y(57) < y(8));
        assert!(x(0) < x(36) && x(36) < x(39) && x(39) < x(42) && x(42) < x(45));
        assert!(x(45) < x(16) && x(48) < x(54));
        let image = image::open(dir.join(&face.image)).unwrap();
        assert!(image.width() >= 256 && image.height() >= 256);
    }
    for def in &vocabulary {
        for level in &def.levels {
            let n = seen
                .get(&(def.name.as_str(), level.as_str()))
                .copied()
                .unwrap_or(0);
            assert!(
                n >= 2,
                "{}={level} appears {n} times among the models",
                def.name
            );
        }
    }
}

#[test]
fn default_pack_is_complete_and_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = generate_pack(dir.path(), &GenerateOptions::default()).unwrap();
    check_default_pack(dir.path(), &manifest);
    // What was returned is what was written.
    let text = std::fs::read_to_string(dir.path().join("pack.ron")).unwrap();
    let back = Manifest::parse(&text, &dir.path().join("pack.ron")).unwrap();
    assert_eq!(back, manifest);
    // Files stay small enough to ship.
    for face in &manifest.faces {
        let len = std::fs::metadata(dir.path().join(&face.image))
            .unwrap()
            .len();
        assert!(len < 60_000, "{} is {len} bytes", face.image);
    }
}

#[test]
fn facial_hair_and_sex_agree() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = generate_pack(dir.path(), &small(9)).unwrap();
    for face in &manifest.faces {
        if face.attributes["sex"] == "female" {
            assert_eq!(face.attributes["facial_hair"], "none", "{}", face.id);
        }
    }
}

/// The committed bundled pack is exactly the generator's output.
#[test]
fn bundled_default_pack_is_the_generators_output() {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
    let fresh = tempfile::tempdir().unwrap();
    generate_pack(fresh.path(), &GenerateOptions::default()).unwrap();
    let (want, got) = (snapshot(fresh.path()), snapshot(&bundled));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "faces/default has other files than the generator writes"
    );
    for (name, bytes) in &want {
        assert!(
            got[name] == *bytes,
            "faces/default/{name} differs from the generator's output: run `cargo run --release -- pack generate --out faces/default`"
        );
    }
}
