//! Accuracy of attributes extracted from photos against crowd ratings.
//!
//! Usage: cargo run --release -p mytype-lab --bin attribute_accuracy -- PACK_DIR ATTRIBUTES_CSV
//! where PACK_DIR was built with `mytype pack build` from the OMI images and
//! ATTRIBUTES_CSV is OMI's `attributes.csv` (0-100 crowd means per face).
//! Prints the Spearman correlation between extracted level indices and the
//! crowd means, per attribute, on all faces and on each half (odd and even face
//! numbers), so anything tuned on one half can be checked on the other.
//!
//! Environment: `REMEASURE=1` measures and quantises again from the pack's
//! images and stored landmarks with the current code (no detection or landmark
//! search, so a few seconds instead of a rebuild); `RAW=1` also prints the raw
//! measurements' correlations; `LEVELS=1` prints each level's face count and
//! mean crowd value; `DUMP=file` writes each face's raw measurements;
//! `OVERLAY=out.png` draws the first 16 faces' landmarks.
use mytype::core::csv_table::CsvTable;
use mytype::math::stats::spearman;
use mytype::pack::Pack;
use std::collections::HashMap;

const PAIRS: &[(&str, &str)] = &[
    ("skin_tone", "skin-color"),
    ("hair_color", "hair-color"),
    ("hair_length", "long-haired"),
    ("smile", "happy"),
];

/// Rank of a level for the correlation: the vocabulary's order, except
/// hair colour, whose crowd column runs light to dark: grey (salt and pepper
/// to white) and red are put among the light ones
/// (`hair_color::light_to_dark_rank`).
fn rank(def: &mytype::core::attributes::AttributeDef, level: usize) -> f64 {
    let named = def.levels.get(level).map(String::as_str).unwrap_or("");
    match def.name.as_str() {
        "hair_color" => {
            mytype::vision::hair_color::light_to_dark_rank(named).unwrap_or(level) as f64
        }
        _ => level as f64,
    }
}

// Long because: a research script: its steps in the order they run, once, printing as it goes.
fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(pack_dir), Some(csv)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: attribute_accuracy PACK_DIR ATTRIBUTES_CSV");
    };
    let pack = Pack::load(std::path::Path::new(&pack_dir))?;
    let table = CsvTable::read(std::path::Path::new(&csv))?;
    // The face id: column `face`, else the first one.
    let face_col = table.column("face").unwrap_or(0);
    let mut crowd: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for row in table.rows() {
        let Some(face) = row.get(face_col) else {
            continue;
        };
        let values = crowd.entry(face.to_string()).or_default();
        for (i, column) in table.columns().iter().enumerate() {
            if let Some(v) = row.get(i).and_then(|v| v.parse::<f64>().ok()) {
                values.insert(column.clone(), v);
            }
        }
    }
    // Levels: as stored in the pack, or measured again with the current code.
    let mut levels: HashMap<String, mytype::core::attributes::Levels> = pack
        .faces()
        .iter()
        .map(|f| (f.id.clone(), f.attributes.clone()))
        .collect();
    let mut measured: Vec<(String, mytype::vision::measure::Measurements)> = Vec::new();
    if std::env::var_os("REMEASURE").is_some() || std::env::var_os("RAW").is_some() {
        for face in pack.faces() {
            if let Some(m) = mytype::pack::remeasure::remeasure(&pack, face)? {
                measured.push((face.id.clone(), m));
            }
        }
    }
    if let Some(path) = std::env::var_os("DUMP") {
        // One line per face: id and the measurements, for a closer look.
        let text: String = measured
            .iter()
            .map(|(id, m)| format!("{id}\t{m:?}\n"))
            .collect();
        std::fs::write(path, text)?;
    }
    if std::env::var_os("REMEASURE").is_some() {
        let all: Vec<_> = measured.iter().map(|(_, m)| m.clone()).collect();
        for ((id, _), l) in measured.iter().zip(mytype::vision::measure::quantise(&all)) {
            levels.insert(id.clone(), l);
        }
    }
    let half = |id: &str, odd: bool| id.parse::<u64>().is_ok_and(|n| (n % 2 == 1) == odd);
    println!("| attribute | crowd column | faces | Spearman | odd half | even half |");
    println!("|---|---|---|---|---|---|");
    for (attr, column) in PAIRS {
        let Some(def) = pack.manifest().attribute(attr) else {
            continue;
        };
        let mut rows: Vec<(&str, f64, f64)> = Vec::new();
        for face in pack.faces() {
            let (Some(level), Some(truth)) = (
                levels
                    .get(&face.id)
                    .and_then(|l| l.get(*attr))
                    .and_then(|l| def.level_index(l)),
                crowd.get(&face.id).and_then(|r| r.get(*column)),
            ) else {
                continue;
            };
            rows.push((face.id.as_str(), rank(def, level), *truth));
        }
        let rho = |keep: &dyn Fn(&str) -> bool| {
            let (got, want): (Vec<f64>, Vec<f64>) = rows
                .iter()
                .filter(|r| keep(r.0))
                .map(|r| (r.1, r.2))
                .unzip();
            spearman(&got, &want)
        };
        if std::env::var_os("LEVELS").is_some() {
            for (k, level) in def.levels.iter().enumerate() {
                let v: Vec<f64> = rows
                    .iter()
                    .filter(|r| r.1 == rank(def, k))
                    .map(|r| r.2)
                    .collect();
                let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
                eprintln!(
                    "  {attr} {level}: {} faces, mean {column} {mean:.1}",
                    v.len()
                );
            }
        }
        println!(
            "| {attr} | {column} | {} | {:.3} | {:.3} | {:.3} |",
            rows.len(),
            rho(&|_| true),
            rho(&|id| half(id, true)),
            rho(&|id| half(id, false)),
        );
    }
    if let Some(out) = std::env::var_os("OVERLAY") {
        // A sheet of the first 16 faces with their landmarks, for eyeballing.
        let mut sheet = image::RgbImage::new(4 * 256, 4 * 256);
        for (k, face) in pack.faces().iter().take(16).enumerate() {
            let mut img = mytype::vision::imaging::decode(&pack.image_path(face))?.to_rgb8();
            if let Some(points) = &face.landmarks {
                let (w, h) = (img.width() as f32, img.height() as f32);
                for (i, &(x, y)) in points.iter().enumerate() {
                    let colour = if (36..48).contains(&i) {
                        [0, 255, 0]
                    } else {
                        [255, 0, 0]
                    };
                    for dx in -1i32..=1 {
                        for dy in -1i32..=1 {
                            let (px, py) = ((x * w) as i32 + dx, (y * h) as i32 + dy);
                            if px >= 0
                                && py >= 0
                                && (px as u32) < img.width()
                                && (py as u32) < img.height()
                            {
                                img.put_pixel(px as u32, py as u32, image::Rgb(colour));
                            }
                        }
                    }
                }
            }
            let small =
                image::imageops::resize(&img, 256, 256, image::imageops::FilterType::Triangle);
            image::imageops::overlay(
                &mut sheet,
                &small,
                (k % 4) as i64 * 256,
                (k / 4) as i64 * 256,
            );
        }
        sheet.save(std::path::Path::new(&out))?;
    }
    if std::env::var_os("RAW").is_some() {
        // Raw measurements against the crowd: the ceiling of the cut points.
        let rows: Vec<(
            &mytype::vision::measure::Measurements,
            &HashMap<String, f64>,
        )> = measured
            .iter()
            .filter_map(|(id, m)| crowd.get(id).map(|t| (m, t)))
            .collect();
        let col = |name: &str| {
            rows.iter()
                .map(|(_, t)| t.get(name).copied().unwrap_or(0.0))
                .collect::<Vec<_>>()
        };
        let raw = |f: &dyn Fn(&mytype::vision::measure::Measurements) -> f64| {
            rows.iter().map(|(m, _)| f(m)).collect::<Vec<_>>()
        };
        let report = |label: &str, v: Vec<f64>, c: &str| {
            println!("raw {label:<14} vs {c:<12} {:.3}", spearman(&v, &col(c)))
        };
        report(
            "skin tone",
            raw(&|m| m.skin_tone.unwrap_or(0.0)),
            "skin-color",
        );
        report("-ita", raw(&|m| -m.ita.unwrap_or(0.0)), "skin-color");
        report(
            "-ita normalised",
            raw(&|m| -m.ita_normalised.unwrap_or(0.0)),
            "skin-color",
        );
        report(
            "-skin L",
            raw(&|m| -m.skin_lab.map_or(0.0, |l| l[0])),
            "skin-color",
        );
        report(
            "-hair L",
            raw(&|m| -m.hair_lab.map_or(50.0, |l| l[0])),
            "hair-color",
        );
        report("hair_below", raw(&|m| m.hair_below), "long-haired");
        report("hair_side", raw(&|m| m.hair_side), "long-haired");
        report("hair_top", raw(&|m| m.hair_top), "long-haired");
        report("mouth_width", raw(&|m| m.mouth_width), "happy");
        report("mouth_lift", raw(&|m| m.mouth_lift), "happy");
        report("teeth", raw(&|m| m.teeth), "happy");
        report("beard", raw(&|m| m.beard), "gender");
        report("brow", raw(&|m| m.brow_thickness), "gender");
    }
    Ok(())
}
