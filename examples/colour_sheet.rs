//! Contact sheets of a pack's faces as the half-block renderer draws them,
//! in truecolor and in 256 colours, to look at side by side:
//!
//! `cargo run --release --example colour_sheet -- [OUT_DIR] [PACK_DIR]`
//!
//! writes `OUT_DIR/faces-truecolor.png` and `OUT_DIR/faces-256.png` (default
//! `docs/`, pack `faces/default`): every face at 40×20 cells, ten a row in
//! file-name order, each cell 8×16 pixels as a terminal with a pixel-exact
//! font draws it (`▀▄` split the cell, `░▒▓` are dot patterns covering 25,
//! 50 and 75 % of it with the foreground). View them at 100 %: scaled down,
//! most viewers average the dots in gamma space, which darkens them. Also
//! prints each mode's error against the picture (see
//! `mytype::ui::images::halfblock::fidelity`).

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageEncoder, Rgb, RgbImage};
use mytype::ui::images::halfblock::fidelity::perceptual_error_in;
use mytype::ui::images::halfblock::{
    rgb_of_index, BlockCell, HalfblockImage, Options, DARK_SHADE, FULL, LIGHT_SHADE, LOWER,
    MEDIUM_SHADE, SHADE_MODELS, UPPER,
};
use mytype::ui::terminal::term_env::ColorDepth;
use ratatui::layout::Size;
use ratatui::style::Color;
use std::path::{Path, PathBuf};

const FACE: Size = Size::new(40, 20);
const CELL_W: u32 = 8;
const CELL_H: u32 = 16;
const COLUMNS: u32 = 10;
const GAP: u32 = 8;
const BACKGROUND: Rgb<u8> = Rgb([24, 24, 24]);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("docs"));
    let pack = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("faces/default"));
    let faces = load_faces(&pack.join("images"))?;
    if faces.is_empty() {
        return Err(format!("no faces in {}", pack.join("images").display()).into());
    }
    std::fs::create_dir_all(&out)?;
    for (name, depth) in [
        ("truecolor", ColorDepth::TrueColor),
        ("256", ColorDepth::Palette256),
    ] {
        let mut drawn = Vec::with_capacity(faces.len());
        let mut errors = vec![(0.0f64, 0.0f64); SHADE_MODELS.len()];
        for img in &faces {
            let picture = HalfblockImage::resized(img, FACE).ok_or("an empty face")?;
            let (blocks, _) = HalfblockImage::from_picture(&picture, Options::new(depth));
            for (model, sum) in SHADE_MODELS.iter().zip(&mut errors) {
                let e = perceptual_error_in(&blocks, &picture, model).ok_or("no colours")?;
                sum.0 += f64::from(e.blurred);
                sum.1 += f64::from(e.plain);
            }
            drawn.push(blocks);
        }
        let path = out.join(format!("faces-{name}.png"));
        save_png(&sheet(&drawn), &path)?;
        println!(
            "{name}: wrote {} ({} KB), {} faces; mean ΔE76 blurred / plain:",
            path.display(),
            std::fs::metadata(&path)?.len() / 1024,
            faces.len()
        );
        let n = faces.len() as f64;
        for (model, (blurred, plain)) in SHADE_MODELS.iter().zip(&errors) {
            println!(
                "  shades as {}: {:.2} / {:.2}",
                model.name,
                blurred / n,
                plain / n
            );
        }
    }
    Ok(())
}

fn load_faces(dir: &Path) -> Result<Vec<DynamicImage>, Box<dyn std::error::Error>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png" || x == "jpg"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| image::open(p).map_err(|e| format!("{}: {e}", p.display()).into()))
        .collect()
}

/// All faces, `COLUMNS` a row, `GAP` pixels apart.
fn sheet(faces: &[HalfblockImage]) -> RgbImage {
    let (fw, fh) = (
        u32::from(FACE.width) * CELL_W,
        u32::from(FACE.height) * CELL_H,
    );
    let rows = (faces.len() as u32).div_ceil(COLUMNS);
    let mut out = RgbImage::from_pixel(
        GAP + COLUMNS * (fw + GAP),
        GAP + rows * (fh + GAP),
        BACKGROUND,
    );
    for (i, face) in faces.iter().enumerate() {
        let (x0, y0) = (
            GAP + (i as u32 % COLUMNS) * (fw + GAP),
            GAP + (i as u32 / COLUMNS) * (fh + GAP),
        );
        let w = usize::from(face.size().width);
        for (j, cell) in face.cells().iter().enumerate() {
            let (cx, cy) = ((j % w) as u32, (j / w) as u32);
            draw_cell(&mut out, x0 + cx * CELL_W, y0 + cy * CELL_H, cell);
        }
    }
    out
}

/// One cell as a pixel-exact terminal draws it.
fn draw_cell(out: &mut RgbImage, x0: u32, y0: u32, cell: &BlockCell) {
    let rgb = |c: Color| match c {
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(i) => rgb_of_index(i).unwrap_or([0; 3]),
        _ => [0; 3],
    };
    let (fg, bg) = (rgb(cell.fg), rgb(cell.bg));
    for y in 0..CELL_H {
        for x in 0..CELL_W {
            let on = match cell.symbol {
                UPPER => y < CELL_H / 2,
                LOWER => y >= CELL_H / 2,
                LIGHT_SHADE => x % 2 == 0 && y % 2 == 0,
                MEDIUM_SHADE => (x + y) % 2 == 0,
                DARK_SHADE => !(x % 2 == 1 && y % 2 == 1),
                FULL => true,
                _ => false,
            };
            out.put_pixel(x0 + x, y0 + y, Rgb(if on { fg } else { bg }));
        }
    }
}

fn save_png(img: &RgbImage, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive).write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(())
}
