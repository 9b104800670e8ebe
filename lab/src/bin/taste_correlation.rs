//! Which attributes follow people's ratings? For each attribute of a pack, the
//! Spearman correlation between a face's level (in the vocabulary's order) and
//! its mean rating over all raters, per declared sex and over all faces; and
//! the same for the faces' appeal (photo packs, see `src/vision/appeal`).
//!
//! Usage: cargo run --release -p mytype-lab --bin taste_correlation -- PACK_DIR RATINGS_CSV
//! where RATINGS_CSV is `rater,face,rating` (e.g. `../shared/data/mebeauty/ratings_generic.csv`)
//! and PACK_DIR was built from the same images with `mytype pack build --info faces.csv`.
use mytype::eval::bench::read_ratings;
use mytype::math::stats::spearman;
use mytype::pack::build::face_id;
use mytype::pack::{FaceEntry, Pack};
use std::collections::HashMap;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(pack_dir), Some(csv)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: taste_correlation PACK_DIR RATINGS_CSV");
    };
    let pack = Pack::load(std::path::Path::new(&pack_dir))?;
    let ratings = read_ratings(std::path::Path::new(&csv))?;
    // Ratings name faces by file stem; the pack's ids are the stems made
    // file-name safe (`a(1)` is `a_1_`).
    let mut sums: HashMap<String, (f64, f64)> = HashMap::new();
    for r in &ratings {
        let e = sums.entry(face_id(&r.face)).or_default();
        e.0 += r.value;
        e.1 += 1.0;
    }
    let groups = ["female", "male", "all"];
    println!("| attribute | {} |", groups.join(" | "));
    println!("|---|{}", "---|".repeat(groups.len()));
    type Value<'a> = Box<dyn Fn(&FaceEntry) -> Option<f64> + 'a>;
    let mut rows: Vec<(String, Value)> = pack
        .manifest()
        .attributes
        .iter()
        .map(|def| {
            let value: Value = Box::new(move |face: &FaceEntry| {
                let level = face.attributes.get(&def.name)?;
                def.level_index(level).map(|l| l as f64)
            });
            (def.name.clone(), value)
        })
        .collect();
    rows.push(("appeal".into(), Box::new(|face: &FaceEntry| face.appeal)));
    for (name, value) in &rows {
        let mut row = format!("| {name} |");
        for group in groups {
            let (mut level, mut mean) = (Vec::new(), Vec::new());
            for face in pack.faces() {
                let sex = face.attributes.get("sex").map(String::as_str);
                if group != "all" && sex != Some(group) {
                    continue;
                }
                let (Some(l), Some(&(sum, n))) = (value(face), sums.get(&face.id)) else {
                    continue;
                };
                level.push(l);
                mean.push(sum / n);
            }
            let distinct = level.iter().any(|&l| l != level[0]);
            if level.len() >= 10 && distinct {
                row += &format!(" {:+.2} (n={}) |", spearman(&level, &mean), level.len());
            } else {
                row += " – |";
            }
        }
        println!("{row}");
    }
    Ok(())
}
