//! Fits the skin tone model (`src/vision/skin_tone`) to the One Million
//! Impressions crowd's "skin-color" means and writes its weights file.
//!
//! Usage:
//!
//!     mytype pack build ../shared/data/omi/images --out /tmp/omi
//!     cargo run --release -p mytype-lab --bin skin_fit -- /tmp/omi ../shared/data/omi/attributes.csv > assets/skin_tone.weights
//!
//! Each face of the pack is measured again from its stored image and
//! landmarks. On standard error it prints, for each penalty tried, how well
//! a fit on one half of the faces (odd or even numbers) ranks the other
//! half (Spearman of the raw score and of the six levels), beside the
//! normalised ITA° classes alone. The written model is fitted on all faces,
//! so the held-out figures are the ones to quote.
use mytype::core::csv_table::CsvTable;
use mytype::math::stats::spearman;
use mytype::pack::Pack;
use mytype::vision::skin_tone::{self, Inputs, SkinToneModel};

const TARGET: &str = "skin-color";
fn level_rank(level: &str) -> f64 {
    mytype::core::attributes::SKIN_TONES
        .iter()
        .position(|l| *l == level)
        .unwrap_or(0) as f64
}

// Long because: a research script: its steps in the order they run, once, printing as it goes.
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pack, attributes] = args.as_slice() else {
        anyhow::bail!("usage: skin_fit PACK_DIR OMI_ATTRIBUTES_CSV");
    };
    let pack = Pack::load(std::path::Path::new(pack))?;
    let table = CsvTable::read(std::path::Path::new(attributes))?;
    let crowd = table.numbers("face", TARGET)?;
    let mut rows: Vec<Inputs> = Vec::new();
    let mut targets = Vec::new();
    let mut odd = Vec::new();
    for face in pack.faces() {
        let Some(&target) = crowd.get(face.id.as_str()) else {
            continue;
        };
        let Some(r) = mytype::pack::remeasure::remeasure_with_image(&pack, face)? else {
            continue;
        };
        let (Some(skin), Some(ita)) = (r.measurements.skin_lab, r.measurements.ita_normalised)
        else {
            continue;
        };
        let Some(inputs) =
            skin_tone::inputs(&r.image, &r.landmarks, skin, r.measurements.hair_lab, ita)
        else {
            continue;
        };
        rows.push(inputs);
        targets.push(target);
        odd.push(face.id.parse::<u64>().is_ok_and(|n| n % 2 == 1));
    }
    eprintln!("{} faces measured", rows.len());
    let half = |keep: bool| -> (Vec<Inputs>, Vec<f64>) {
        rows.iter()
            .zip(&targets)
            .zip(&odd)
            .filter(|(_, &o)| o == keep)
            .map(|((r, t), _)| (r.clone(), *t))
            .unzip()
    };
    let (odd_rows, odd_targets) = half(true);
    let (even_rows, even_targets) = half(false);
    let ita_levels = |rows: &[Inputs]| -> Vec<f64> {
        rows.iter()
            .map(|r| level_rank(mytype::vision::measure::skin_tone_level(r.ita)))
            .collect()
    };
    eprintln!(
        "ITA° classes alone: odd {:.3}, even {:.3}",
        spearman(&ita_levels(&odd_rows), &odd_targets),
        spearman(&ita_levels(&even_rows), &even_targets)
    );
    eprintln!("penalty | odd → even: score, levels | even → odd: score, levels");
    for penalty in [30.0, 100.0, 300.0, 1000.0] {
        let mut line = format!("{penalty:>7} |");
        for (train, test) in [
            ((&odd_rows, &odd_targets), (&even_rows, &even_targets)),
            ((&even_rows, &even_targets), (&odd_rows, &odd_targets)),
        ] {
            let Some(model) = SkinToneModel::fit(train.0, train.1, penalty) else {
                continue;
            };
            let scores: Vec<f64> = test.0.iter().map(|r| model.score(r)).collect();
            let levels: Vec<f64> = scores
                .iter()
                .map(|&s| level_rank(skin_tone::level(s)))
                .collect();
            line += &format!(
                " {:.3}, {:.3} |",
                spearman(&scores, test.1),
                spearman(&levels, test.1)
            );
        }
        if penalty == mytype::core::tuning::SKIN_FIT_PENALTY {
            line += " (the game's)";
        }
        eprintln!("{line}");
    }
    let model = SkinToneModel::fit(&rows, &targets, mytype::core::tuning::SKIN_FIT_PENALTY)
        .ok_or_else(|| anyhow::anyhow!("too few faces to fit"))?;
    std::io::Write::write_all(&mut std::io::stdout(), &model.to_weights())?;
    Ok(())
}
