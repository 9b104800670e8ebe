//! Fits the hair colour model (`src/vision/hair_color`) to the One Million
//! Impressions crowd's "hair-color" means and writes its weights file.
//!
//! Usage:
//!
//!     mytype pack build ../shared/data/omi/images --out /tmp/omi
//!     cargo run --release -p mytype-lab --bin hair_fit -- /tmp/omi ../shared/data/omi/attributes.csv > assets/hair_color.weights
//!
//! Each face of the pack with hair found is measured again from its stored
//! image and landmarks. On standard error it prints, for each penalty
//! tried, how well a fit on one half of the faces (odd or even numbers)
//! ranks the other half (Spearman of the score and of the levels, ranked
//! light to dark as `hair_color::light_to_dark_rank` says). The written
//! model is fitted on all faces, so the held-out figures are the ones to
//! quote.
use mytype::core::csv_table::CsvTable;
use mytype::math::stats::spearman;
use mytype::pack::Pack;
use mytype::vision::hair_color::{self, HairColorModel, Inputs};

const TARGET: &str = "hair-color";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pack, attributes] = args.as_slice() else {
        anyhow::bail!("usage: hair_fit PACK_DIR OMI_ATTRIBUTES_CSV");
    };
    let pack = Pack::load(std::path::Path::new(pack))?;
    let table = CsvTable::read(std::path::Path::new(attributes))?;
    let crowd = table.numbers("face", TARGET)?;
    // Each face: its inputs, its hair's median colour (for grey and red),
    // its crowd value and whether its number is odd.
    let mut faces: Vec<(Inputs, [f64; 3], f64, bool)> = Vec::new();
    for face in pack.faces() {
        let Some(&target) = crowd.get(face.id.as_str()) else {
            continue;
        };
        let Some(r) = mytype::pack::remeasure::remeasure_with_image(&pack, face)? else {
            continue;
        };
        let (Some(skin), Some(hair)) = (r.measurements.skin_lab, r.measurements.hair_lab) else {
            continue;
        };
        let Some(inputs) = hair_color::inputs(&r.image, &r.landmarks, skin, hair) else {
            continue;
        };
        let odd = face.id.parse::<u64>().is_ok_and(|n| n % 2 == 1);
        faces.push((inputs, hair, target, odd));
    }
    eprintln!("{} faces with hair measured", faces.len());
    let half = |keep: bool| faces.iter().filter(|f| f.3 == keep).collect::<Vec<_>>();
    let (odd, even) = (half(true), half(false));
    eprintln!("penalty | odd → even: score, levels | even → odd: score, levels");
    for penalty in [10.0, 30.0, 100.0, 300.0] {
        let mut line = format!("{penalty:>7} |");
        for (train, test) in [(&odd, &even), (&even, &odd)] {
            let rows: Vec<Inputs> = train.iter().map(|f| f.0.clone()).collect();
            let targets: Vec<f64> = train.iter().map(|f| f.2).collect();
            let Some(model) = HairColorModel::fit(&rows, &targets, penalty) else {
                continue;
            };
            let scores: Vec<f64> = test.iter().map(|f| model.score(&f.0)).collect();
            let levels: Vec<f64> = test
                .iter()
                .zip(&scores)
                .map(|(f, &s)| {
                    hair_color::light_to_dark_rank(hair_color::level(s, f.1)).unwrap_or(0) as f64
                })
                .collect();
            let truth: Vec<f64> = test.iter().map(|f| f.2).collect();
            line += &format!(
                " {:.3}, {:.3} |",
                spearman(&scores, &truth),
                spearman(&levels, &truth)
            );
        }
        if penalty == mytype::core::tuning::HAIR_FIT_PENALTY {
            line += " (the game's)";
        }
        eprintln!("{line}");
    }
    let rows: Vec<Inputs> = faces.iter().map(|f| f.0.clone()).collect();
    let targets: Vec<f64> = faces.iter().map(|f| f.2).collect();
    let model = HairColorModel::fit(&rows, &targets, mytype::core::tuning::HAIR_FIT_PENALTY)
        .ok_or_else(|| anyhow::anyhow!("too few faces to fit"))?;
    std::io::Write::write_all(&mut std::io::stdout(), &model.to_weights())?;
    Ok(())
}
