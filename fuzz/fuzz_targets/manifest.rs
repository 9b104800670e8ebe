//! `Manifest::parse`, then `validate_manifest` against an empty pack folder:
//! diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mytype::pack::{check::validate_manifest, Manifest};
use std::sync::OnceLock;

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = DIR
        .get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
        .path();
    let path = dir.join("pack.ron");
    if let Ok(manifest) = Manifest::parse(text, &path) {
        let report = validate_manifest(dir, &path, text, &manifest, false);
        for d in &report.diagnostics {
            let _ = d.to_string();
        }
    }
});
