//! Fits the appeal model (`src/vision/appeal`) to crowd ratings of attractiveness
//! and writes its weights file: the One Million Impressions crowd's
//! "attractive" means, and any number of rating sets beside them.
//!
//! Usage:
//!
//!     mytype pack build ../shared/data/omi/images --out /tmp/omi
//!     cargo run --release -p mytype-lab --bin appeal_fit -- [--no-grid] /tmp/omi \
//!         ../shared/data/omi/attributes.csv [--also PACK RATINGS_CSV]... > assets/appeal.weights
//!
//! where each `--also` names a pack built with `mytype pack build` and a
//! `rater,face,rating` file of its faces (e.g. MEBeauty's
//! `ratings_generic.csv`, 3dsk's `ratings.csv`). A rating set's target is
//! each face's mean rating after each rater's ratings are standardised
//! (so a harsh and a lenient rater count alike); every set's targets are
//! then put on OMI's scale (same mean and spread), so one set does not
//! outweigh another by its scale.
//!
//! Each face is measured again from its pack's stored image and landmarks.
//! Unless `--no-grid`, it prints on standard error, for each set of
//! penalties tried (measurements / gradients / descriptor / activations),
//! how well a fit ranks faces it did not see (Spearman): OMI's even-numbered faces
//! from a fit on the odd-numbered ones and the other sets, and each other
//! set from a fit on all the rest (leave one set out), then the
//! measurements with the largest weights. Penalties scale with the number
//! of faces fitted (see `Penalties::for_faces`).
use mytype::core::csv_table::CsvTable;
use mytype::math::stats::spearman;
use mytype::pack::Pack;
use mytype::vision::appeal::{self, AppealModel, Inputs, Penalties, FEATURES, FEATURE_NAMES};
use std::collections::HashMap;
use std::path::Path;

const TARGET: &str = "attractive";

/// The faces of one set: inputs, targets and whether the face id is odd.
struct Set {
    name: String,
    rows: Vec<Inputs>,
    targets: Vec<f64>,
    odd: Vec<bool>,
}

/// Each face's inputs, by id, measured again from the pack.
fn pack_inputs(pack: &Pack) -> anyhow::Result<HashMap<String, Inputs>> {
    let mut out = HashMap::new();
    for face in pack.faces() {
        let Some(r) = mytype::pack::remeasure::remeasure_with_image(pack, face)? else {
            continue;
        };
        if let Some(inputs) = appeal::inputs(&r.measurements, &r.image, &r.landmarks) {
            out.insert(face.id.clone(), inputs);
        }
    }
    Ok(out)
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    (mean, if sd > 1e-9 { sd } else { 1.0 })
}

/// Each face's mean of its raters' standardised ratings.
fn face_means(ratings: &[mytype::eval::bench::RawRating]) -> HashMap<String, f64> {
    let mut by_rater: HashMap<&str, Vec<f64>> = HashMap::new();
    for r in ratings {
        by_rater.entry(&r.rater).or_default().push(r.value);
    }
    let scale: HashMap<&str, (f64, f64)> = by_rater
        .iter()
        .map(|(rater, values)| (*rater, mean_sd(values)))
        .collect();
    let mut by_face: HashMap<&str, Vec<f64>> = HashMap::new();
    for r in ratings {
        let (mean, sd) = scale[r.rater.as_str()];
        by_face
            .entry(&r.face)
            .or_default()
            .push((r.value - mean) / sd);
    }
    by_face
        .into_iter()
        .map(|(face, z)| (face.to_string(), z.iter().sum::<f64>() / z.len() as f64))
        .collect()
}

fn set_of(name: &str, inputs: HashMap<String, Inputs>, targets: &HashMap<String, f64>) -> Set {
    let mut ids: Vec<&String> = inputs
        .keys()
        .filter(|id| targets.contains_key(*id))
        .collect();
    ids.sort();
    Set {
        name: name.to_string(),
        rows: ids.iter().map(|id| inputs[*id].clone()).collect(),
        targets: ids.iter().map(|id| targets[*id]).collect(),
        odd: ids
            .iter()
            .map(|id| id.parse::<u64>().is_ok_and(|n| n % 2 == 1))
            .collect(),
    }
}

/// Fits on the chosen faces of the sets; `None` with too few.
fn fit(sets: &[&Set], keep: &dyn Fn(&Set, usize) -> bool, p: Penalties) -> Option<AppealModel> {
    let (mut rows, mut targets) = (Vec::new(), Vec::new());
    for set in sets {
        for i in 0..set.rows.len() {
            if keep(set, i) {
                rows.push(set.rows[i].clone());
                targets.push(set.targets[i]);
            }
        }
    }
    AppealModel::fit_with(&rows, &targets, p.for_faces(rows.len()))
}

fn held_out(model: &AppealModel, set: &Set, keep: &dyn Fn(usize) -> bool) -> f64 {
    let (scores, truth): (Vec<f64>, Vec<f64>) = (0..set.rows.len())
        .filter(|&i| keep(i))
        .map(|i| (model.score(&set.rows[i]), set.targets[i]))
        .unzip();
    spearman(&scores, &truth)
}

/// For each set of penalties tried, how well a fit ranks faces it did not
/// see (see the module docs), on standard error.
fn print_grid(sets: &[Set]) {
    let all: Vec<&Set> = sets.iter().collect();
    eprint!("penalties (measures / gradients / descriptor / activations): OMI odd → even");
    for set in &sets[1..] {
        eprint!(" | {} left out", set.name);
    }
    eprintln!();
    // The first line leaves the activations out, as the model was before
    // them (a penalty so heavy their weights are nil).
    let mut grid = vec![(300.0, 3000.0, 100.0, 1e12)];
    for descriptor in [100.0, 1000.0] {
        for activations in [1000.0, 2000.0, 3000.0] {
            grid.push((300.0, 3000.0, descriptor, activations));
        }
    }
    for (measures, gradients, descriptor, activations) in grid {
        let p = Penalties {
            measures,
            gradients,
            descriptor,
            activations,
        };
        let omi_odd = |s: &Set, i: usize| s.name != "OMI" || s.odd[i];
        let mut line =
            format!("  {measures:>4} / {gradients:>5} / {descriptor:>4} / {activations:>5.0e}:");
        if let Some(model) = fit(&all, &omi_odd, p) {
            line += &format!(" {:.3}", held_out(&model, &sets[0], &|i| !sets[0].odd[i]));
        }
        for (k, set) in sets.iter().enumerate().skip(1) {
            let others: Vec<&Set> = all
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, s)| *s)
                .collect();
            if let Some(model) = fit(&others, &|_, _| true, p) {
                line += &format!(" | {:.3}", held_out(&model, set, &|_| true));
            }
        }
        if p == appeal::FIT_PENALTIES {
            line += "  (the game's)";
        }
        eprintln!("{line}");
    }
}

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: appeal_fit [--no-grid] OMI_PACK OMI_ATTRIBUTES_CSV [--also PACK RATINGS_CSV]...";
    let no_grid = args.first().is_some_and(|a| a == "--no-grid");
    if no_grid {
        args.remove(0);
    }
    let (Some(omi_pack), Some(attributes)) = (args.first(), args.get(1)) else {
        anyhow::bail!(usage);
    };
    let table = CsvTable::read(Path::new(attributes))?;
    let omi_targets: HashMap<String, f64> = table
        .numbers("face", TARGET)?
        .into_iter()
        .map(|(face, target)| (face.to_string(), target))
        .collect();
    let omi = set_of(
        "OMI",
        pack_inputs(&Pack::load(Path::new(omi_pack))?)?,
        &omi_targets,
    );
    let (omi_mean, omi_sd) = mean_sd(&omi.targets);
    let mut sets = vec![omi];
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        let (Some(pack), Some(csv)) = (rest.next(), rest.next()) else {
            anyhow::bail!(usage);
        };
        if flag != "--also" {
            anyhow::bail!(usage);
        }
        let pack = Pack::load(Path::new(pack))?;
        let means = face_means(&mytype::eval::bench::read_ratings(Path::new(csv))?);
        let mut set = set_of(&pack.manifest().name, pack_inputs(&pack)?, &means);
        // On OMI's scale.
        let (mean, sd) = mean_sd(&set.targets);
        for t in &mut set.targets {
            *t = omi_mean + omi_sd * (*t - mean) / sd;
        }
        set.odd.fill(false);
        sets.push(set);
    }
    for set in &sets {
        eprintln!("{}: {} faces measured", set.name, set.rows.len());
    }
    let all: Vec<&Set> = sets.iter().collect();
    if !no_grid {
        print_grid(&sets);
    }
    let model = fit(&all, &|_, _| true, appeal::FIT_PENALTIES)
        .ok_or_else(|| anyhow::anyhow!("too few faces to fit"))?;
    let mut order: Vec<usize> = (0..FEATURES).collect();
    order.sort_by(|&a, &b| model.weight[b].abs().total_cmp(&model.weight[a].abs()));
    for &j in order.iter().take(10) {
        eprintln!("  {:16} {:+.2}", FEATURE_NAMES[j], model.weight[j]);
    }
    std::io::Write::write_all(&mut std::io::stdout(), &model.to_weights())?;
    Ok(())
}
