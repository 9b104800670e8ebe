//! Renders the generated pack as contact sheets, to look at the faces:
//! `cargo run --example contact_sheet -- /tmp/sheet.png [seed]`
//! writes the sheet at full size and `<name>-terminal.png`, each face
//! downscaled to 40x40 and blown back up (nearest), as a terminal shows it,
//! and `<name>-zoom.png`, eight faces at full size with their landmarks.
//! Set `MYTYPE_PACK_OUT=DIR` to also write (and time) the pack itself.

use image::imageops::{self, FilterType};
use image::RgbImage;
use mytype::pack::generate::{generate_pack, plan_faces, render_png, GenerateOptions};
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/sheet.png".into()));
    let seed = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1);
    // First face of the zoom sheet (8 faces at full size).
    let zoom_from: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(0);
    let opts = GenerateOptions {
        seed,
        ..GenerateOptions::default()
    };
    // Also write the pack itself, timed, when asked to.
    if let Some(dir) = std::env::var_os("MYTYPE_PACK_OUT") {
        let start = std::time::Instant::now();
        let manifest = generate_pack(Path::new(&dir), &opts)?;
        eprintln!(
            "generated {} faces into {} in {:?}",
            manifest.faces.len(),
            Path::new(&dir).display(),
            start.elapsed()
        );
    }
    let plans = plan_faces(&opts);
    let cols = 10u32;
    let rows = (plans.len() as u32).div_ceil(cols);
    let cell = 160u32;
    let mut sheet = RgbImage::from_pixel(cols * cell, rows * cell, image::Rgb([255, 255, 255]));
    let mut small = sheet.clone();
    let mut zoom = RgbImage::from_pixel(4 * 256, 2 * 256, image::Rgb([255, 255, 255]));
    let start = std::time::Instant::now();
    let (mut total, mut largest) = (0usize, 0usize);
    for (i, plan) in plans.iter().enumerate() {
        let face_png = render_png(&plan.traits, &plan.style, Path::new(&plan.id))?;
        let png = face_png.png;
        total += png.len();
        largest = largest.max(png.len());
        let face = image::load_from_memory(&png)?.to_rgb8();
        let x = (i as u32 % cols) * cell;
        let y = (i as u32 / cols) * cell;
        let full = imageops::resize(&face, cell, cell, FilterType::Triangle);
        imageops::replace(&mut sheet, &full, x as i64, y as i64);
        let tiny = imageops::resize(&face, 40, 40, FilterType::Triangle);
        let blown = imageops::resize(&tiny, cell, cell, FilterType::Nearest);
        imageops::replace(&mut small, &blown, x as i64, y as i64);
        if (zoom_from..zoom_from + 8).contains(&i) {
            let z = (i - zoom_from) as i64;
            // The zoom sheet shows the landmarks too, as red dots.
            let mut marked = face.clone();
            for &(lx, ly) in &face_png.landmarks {
                let (px, py) = ((lx * 256.0) as i64, (ly * 256.0) as i64);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (-1, 0), (0, -1)] {
                    let (x, y) = (px + dx, py + dy);
                    if (0..256).contains(&x) && (0..256).contains(&y) {
                        marked.put_pixel(x as u32, y as u32, image::Rgb([230, 20, 20]));
                    }
                }
            }
            imageops::replace(&mut zoom, &marked, (z % 4) * 256, (z / 4) * 256);
        }
    }
    eprintln!(
        "rendered {} faces in {:?}; PNG bytes: mean {}, max {}",
        plans.len(),
        start.elapsed(),
        total / plans.len().max(1),
        largest
    );
    sheet.save(&out)?;
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("sheet");
    let small_path = out.with_file_name(format!("{stem}-terminal.png"));
    small.save(&small_path)?;
    zoom.save(out.with_file_name(format!("{stem}-zoom.png")))?;
    eprintln!("wrote {} and {}", out.display(), small_path.display());
    Ok(())
}
