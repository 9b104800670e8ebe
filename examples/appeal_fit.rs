//! Fits the appeal model (`src/appeal`) to the One Million Impressions
//! crowd's "attractive" means and writes it as Rust source.
//!
//! Usage:
//!
//!     mytype pack build ../shared/data/omi/images --out /tmp/omi
//!     cargo run --release --example appeal_fit -- /tmp/omi ../shared/data/omi/attributes.csv > src/appeal/weights.rs
//!
//! Each face of the pack is measured again from its stored image and
//! landmarks (as `extract::remeasure` does). On standard error it prints how well a fit on the odd-numbered
//! faces ranks the even-numbered ones (Spearman), for each pair of penalties
//! tried, and the measurements with the largest weights.
use mytype::appeal::{self, AppealModel, Inputs, Penalties, FEATURES, FEATURE_NAMES};
use mytype::csv_table::CsvTable;
use mytype::pack::Pack;
use mytype::stats::spearman;

const TARGET: &str = "attractive";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pack, attributes] = args.as_slice() else {
        anyhow::bail!("usage: appeal_fit PACK_DIR OMI_ATTRIBUTES_CSV");
    };
    let pack = Pack::load(std::path::Path::new(pack))?;
    let table = CsvTable::read(std::path::Path::new(attributes))?;
    let (face_col, target_col) = (table.column("face")?, table.column(TARGET)?);
    let crowd: std::collections::HashMap<&str, f64> = table
        .rows()
        .filter_map(|r| Some((r.get(face_col)?, r.get(target_col)?.parse().ok()?)))
        .collect();
    let mut rows: Vec<Inputs> = Vec::new();
    let mut targets = Vec::new();
    let mut odd = Vec::new();
    for face in pack.faces() {
        let (Some(points), Some(&target)) = (&face.landmarks, crowd.get(face.id.as_str())) else {
            continue;
        };
        let img = mytype::imaging::decode(&pack.image_path(face))?.to_rgb8();
        let (w, h) = (img.width() as f32, img.height() as f32);
        let px: Vec<(f32, f32)> = points.iter().map(|&(x, y)| (x * w, y * h)).collect();
        let Some(m) = mytype::extract::measure(&img, &px) else {
            continue;
        };
        let px: Vec<(f64, f64)> = px
            .iter()
            .map(|&(x, y)| (f64::from(x), f64::from(y)))
            .collect();
        let Some(f) = appeal::inputs(&m, &img, &px) else {
            continue;
        };
        rows.push(f);
        targets.push(target);
        odd.push(face.id.parse::<u64>().is_ok_and(|n| n % 2 == 1));
    }
    eprintln!("{} faces measured", rows.len());
    let half = |keep: bool| -> (Vec<_>, Vec<f64>) {
        rows.iter()
            .zip(&targets)
            .zip(&odd)
            .filter(|(_, &o)| o == keep)
            .map(|((r, t), _)| (r.clone(), *t))
            .unzip()
    };
    let (train_rows, train_targets) = half(true);
    let (test_rows, test_targets) = half(false);
    eprintln!("fit on the odd-numbered faces, Spearman on the even-numbered:");
    for measures in [100.0, 300.0, 1000.0] {
        for gradients in [1000.0, 3000.0, 10000.0, f64::INFINITY] {
            let penalties = Penalties {
                measures,
                gradients: gradients.min(1e12),
            };
            if let Some(model) = AppealModel::fit_with(&train_rows, &train_targets, penalties) {
                let scores: Vec<f64> = test_rows.iter().map(|r| model.score(r)).collect();
                eprintln!(
                    "  penalties {measures:>5} / {gradients:>5}: {:.3}{}",
                    spearman(&scores, &test_targets),
                    if penalties == appeal::FIT_PENALTIES {
                        "  (the game's)"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    let model =
        AppealModel::fit(&rows, &targets).ok_or_else(|| anyhow::anyhow!("too few faces to fit"))?;
    let mut order: Vec<usize> = (0..FEATURES).collect();
    order.sort_by(|&a, &b| model.weight[b].abs().total_cmp(&model.weight[a].abs()));
    for &j in order.iter().take(10) {
        eprintln!("  {:16} {:+.2}", FEATURE_NAMES[j], model.weight[j]);
    }
    print!("{}", model.to_rust());
    Ok(())
}
