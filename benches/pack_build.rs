//! Pack build throughput on 600 px portraits: `mytype pack build` (decode, scale,
//! detect, 68 landmarks, measure, PNG copy, quantise) on the Canada portraits
//! (600x800, `../shared/data/canada/images`), skipped with a message when they
//! are not there or the landmark model is missing.
//!
//! Besides criterion's timings of each stage, prints faces/s of the whole build
//! on all cores against the baseline of the same build without analysis (decode,
//! scale and store only), and the load average, so the ratio shows what
//! detection, landmarks and extraction cost.
//!
//! Run: `cargo bench --bench pack_build`

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use mytype::pack::build::{build_pack, BuildOptions, MAX_SIDE};
use mytype::pack::Role;
use mytype::vision::photo::{Analyser, PhotoAnalyser};

fn portraits() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/canada/images");
    dir.is_dir().then_some(dir)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Builds a pack of `dir` into a fresh temporary folder; faces and seconds.
fn build_once(dir: &Path, analyser: Option<&dyn Analyser>) -> (usize, f64) {
    let Ok(out) = tempfile::tempdir() else {
        return (0, f64::NAN);
    };
    let opts = BuildOptions {
        images: dir.to_path_buf(),
        out: out.path().join("pack"),
        info: None,
        role: Role::Both,
        name: None,
        strict: false,
    };
    let t = Instant::now();
    let faces = build_pack(&opts, analyser, &|_, _, _| {}).map_or(0, |r| r.faces);
    (faces, t.elapsed().as_secs_f64())
}

// Long because: each group of benchmarks shares the photos and the analyser it sets up.
fn bench(c: &mut Criterion) {
    let Some(dir) = portraits() else {
        eprintln!("SKIP pack_build bench: ../shared/data/canada/images not found");
        return;
    };
    let analyser = match PhotoAnalyser::load(None) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("SKIP pack_build bench: {e}");
            return;
        }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let Some(first) = files.first() else {
        eprintln!("SKIP pack_build bench: no images in {}", dir.display());
        return;
    };
    let Ok(decoded) = mytype::vision::imaging::decode(first) else {
        eprintln!("SKIP pack_build bench: cannot decode {}", first.display());
        return;
    };
    eprintln!(
        "portraits: {} files in {}, first {}x{}",
        files.len(),
        dir.display(),
        decoded.width(),
        decoded.height()
    );
    let scaled = decoded.thumbnail(MAX_SIDE, MAX_SIDE).to_rgb8();

    // Stages on one portrait, one core.
    let mut g = c.benchmark_group("stage");
    g.sample_size(20);
    g.bench_function("decode_scale", |b| {
        b.iter(|| {
            let img = mytype::vision::imaging::decode(black_box(first)).ok();
            black_box(img.map(|i| i.thumbnail(MAX_SIDE, MAX_SIDE)))
        })
    });
    g.bench_function("detect", |b| {
        b.iter(|| black_box(analyser.detect(black_box(&scaled))))
    });
    let face = analyser.detect(&scaled).into_iter().next();
    if let Some(face) = face {
        let grey = mytype::vision::landmarks::dlib_grey(&scaled);
        g.bench_function("landmarks", |b| {
            b.iter(|| black_box(analyser.predictor().predict(black_box(&grey), face)))
        });
        let points = analyser.predictor().predict(&grey, face);
        g.bench_function("measure", |b| {
            b.iter(|| {
                black_box(mytype::vision::read_face::read_face(
                    black_box(&scaled),
                    &points,
                ))
            })
        });
    }
    g.bench_function("analyse", |b| {
        b.iter(|| black_box(analyser.analyse(black_box(&scaled))))
    });
    g.finish();

    // The whole build on all cores, against the same build without analysis.
    let rounds = 3;
    let mut best = (0, f64::INFINITY);
    let mut base = (0, f64::INFINITY);
    for _ in 0..rounds {
        let b = build_once(&dir, None);
        if b.1 < base.1 {
            base = b;
        }
        let a = build_once(&dir, Some(&analyser));
        if a.1 < best.1 {
            best = a;
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!(
        "pack build, {} portraits, {cores} cores, best of {rounds}: {:.1} faces/s ({:.3} s); \
         baseline without analysis (decode, scale, store): {:.1} faces/s ({:.3} s); \
         analysis costs {:.1} ms/face/core; load average {}",
        best.0,
        best.0 as f64 / best.1,
        best.1,
        base.0 as f64 / base.1,
        base.1,
        (best.1 - base.1) * 1000.0 * cores as f64 / best.0.max(1) as f64,
        load_average()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
