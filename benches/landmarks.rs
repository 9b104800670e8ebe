//! Landmark speed: `ShapePredictor::predict` on one face, on a Canada portrait when
//! `../shared/data/canada` exists, else on a drawn image. With `DLIB_LANDMARKS_BIN`
//! set (see `scripts/dlib_parity.sh`), dlib's C++ is timed on the same image and box
//! and the ratio printed.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use image::{GrayImage, Luma};
use mytype::vision::detect::FaceDetector;
use mytype::vision::landmarks::{default_model_path, dlib_grey, FaceBox, ShapePredictor};

fn subject() -> (GrayImage, FaceBox, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/canada/images");
    let first = std::fs::read_dir(&dir).ok().and_then(|rd| {
        let mut v: Vec<_> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
            .collect();
        v.sort();
        v.into_iter().next()
    });
    if let Some(path) = first {
        if let Ok(img) = mytype::vision::imaging::decode(&path) {
            let rgb = img.to_rgb8();
            if let Some(face) = FaceDetector::new()
                .ok()
                .and_then(|d| d.detect(&rgb).into_iter().next())
            {
                // whole pixels, so dlib gets the very same box
                let face = FaceBox::from_ltrb(
                    face.left.round(),
                    face.top.round(),
                    face.right().round(),
                    face.bottom().round(),
                );
                return (dlib_grey(&rgb), face, path.display().to_string());
            }
        }
    }
    eprintln!("note: no Canada portrait found; benchmarking on a drawn image");
    let img = GrayImage::from_fn(600, 800, |x, y| Luma([((x * 7 + y * 3) % 251) as u8]));
    (
        img,
        FaceBox::from_ltrb(150.0, 250.0, 450.0, 550.0),
        "drawn 600x800".into(),
    )
}

fn dlib_ms(img: &GrayImage, face: FaceBox) -> Option<f64> {
    let bin = std::env::var_os("DLIB_LANDMARKS_BIN")?;
    let dir = std::env::temp_dir().join(format!("mytype-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let png = dir.join("face.png");
    img.save(&png).ok()?;
    let job = format!(
        "{} {} {} {} {}\n",
        png.display(),
        face.left,
        face.top,
        face.right(),
        face.bottom()
    );
    let mut child = std::process::Command::new(bin)
        .arg(default_model_path())
        .arg("2000")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child.stdin.take()?.write_all(job.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("time_ms ")?.trim().parse().ok())
}

fn bench(c: &mut Criterion) {
    let path = default_model_path();
    let sp = match ShapePredictor::load(&path) {
        Ok(sp) => sp,
        Err(e) => {
            eprintln!("SKIP landmarks bench: {e}");
            return;
        }
    };
    let (img, face, name) = subject();
    eprintln!("benchmarking on {name}, box {face:?}");
    c.bench_function("predict_68_points", |b| {
        b.iter(|| black_box(sp.predict(black_box(&img), black_box(face))))
    });

    // A plain timing too, for the ratio against dlib's C++ on the same input.
    let n = 2000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        black_box(sp.predict(black_box(&img), black_box(face)));
    }
    let rust_ms = t.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    eprintln!("rust predict: {rust_ms:.4} ms/face");
    if let Some(dlib) = dlib_ms(&img, face) {
        eprintln!(
            "dlib C++ predict: {dlib:.4} ms/face; rust / dlib = {:.2}",
            rust_ms / dlib
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
