//! Accuracy of attributes extracted from photos against crowd ratings.
//!
//! Usage: cargo run --release --example attribute_accuracy -- PACK_DIR ATTRIBUTES_CSV
//! where PACK_DIR was built with `mytype pack build` from the OMI images and
//! ATTRIBUTES_CSV is OMI's `attributes.csv` (0-100 crowd means per face).
//! Prints the Spearman correlation between extracted level indices and the
//! crowd means, per attribute.
use mytype::pack::Pack;
use mytype::stats::spearman;
use std::collections::HashMap;

const PAIRS: &[(&str, &str)] = &[
    ("skin_tone", "skin-color"),
    ("hair_color", "hair-color"),
    ("hair_length", "long-haired"),
    ("smile", "happy"),
];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(pack_dir), Some(csv)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: attribute_accuracy PACK_DIR ATTRIBUTES_CSV");
    };
    let pack = Pack::load(std::path::Path::new(&pack_dir))?;
    let text = std::fs::read_to_string(&csv)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let mut crowd: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let Some(face) = cells.first() else { continue };
        let row = crowd.entry(face.to_string()).or_default();
        for (h, v) in header.iter().zip(&cells).skip(1) {
            if let Ok(v) = v.parse::<f64>() {
                row.insert(h.to_string(), v);
            }
        }
    }
    println!("| attribute | crowd column | faces | Spearman |");
    println!("|---|---|---|---|");
    for (attr, column) in PAIRS {
        let Some(def) = pack.manifest().attribute(attr) else { continue };
        let (mut got, mut want) = (Vec::new(), Vec::new());
        for face in pack.faces() {
            let (Some(level), Some(truth)) = (
                face.attributes.get(*attr).and_then(|l| def.level_index(l)),
                crowd.get(&face.id).and_then(|r| r.get(*column)),
            ) else {
                continue;
            };
            got.push(level as f64);
            want.push(*truth);
        }
        println!("| {attr} | {column} | {} | {:.3} |", got.len(), spearman(&got, &want));
    }
    Ok(())
}
