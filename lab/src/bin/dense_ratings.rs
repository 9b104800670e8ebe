//! A dense, high-agreement ratings file simulated from a real one, for
//! measuring the models where raters agree as much as on the set the
//! targets of issue #5 were set on (the crowd alone near 0.86 reveal
//! percentile), which the shared sets do not.
//!
//! Usage: cargo run --release -p mytype-lab --bin dense_ratings -- RATINGS_CSV
//! [RATERS] [NOISE] [BIAS] [SEED] [TASTE FACES_CSV] > dense.csv
//!
//! Every simulated rater rates every face of RATINGS_CSV: the face's mean
//! rating there, plus the rater's own bias (normal, spread BIAS, default
//! 0.8) and noise per rating (normal, spread NOISE, default 1.25), rounded
//! and kept within the file's range. RATERS defaults to 60, SEED to 1.
//! The raters share one taste (the mean) and differ only by chance, so
//! this is the hardest case for a personal model: there is no private
//! taste to learn, only the crowd's.
//!
//! With TASTE and FACES_CSV (a `face,...` table such as a data set's
//! `faces.csv`), each rater also has a private taste in every value of its
//! other columns (sex, ethnicity, ...): an offset drawn for each (normal,
//! spread TASTE) and added to every face with that value. That stands in
//! for raters who agree on faces but differ on whom they fancy, as the
//! anchors of issue #5 suggest (an NB on sex, ethnicity and age above
//! random).
use anyhow::{bail, Context, Result};
use mytype::core::csv_table::CsvTable;
use mytype::eval::bench::read_ratings;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        bail!("usage: dense_ratings RATINGS_CSV [RATERS] [NOISE] [BIAS] [SEED]");
    };
    let number = |i: usize, default: f64, name: &str| -> Result<f64> {
        args.get(i)
            .map_or(Ok(default), |s| s.parse::<f64>())
            .with_context(|| format!("{name} must be a number"))
    };
    let raters = number(1, 60.0, "RATERS")? as usize;
    let noise = number(2, 1.25, "NOISE")?;
    let bias = number(3, 0.8, "BIAS")?;
    let seed = number(4, 1.0, "SEED")? as u64;
    let taste = number(5, 0.0, "TASTE")?;
    let groups = match args.get(6) {
        Some(faces) => face_groups(Path::new(faces))?,
        None if taste > 0.0 => bail!("TASTE needs FACES_CSV"),
        None => BTreeMap::new(),
    };
    let ratings = read_ratings(Path::new(path))?;
    if ratings.is_empty() {
        bail!("{path} has no ratings");
    }
    let (low, high) = ratings.iter().fold((f64::MAX, f64::MIN), |(l, h), r| {
        (l.min(r.value), h.max(r.value))
    });
    let mut sums: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for r in &ratings {
        let s = sums.entry(r.face.as_str()).or_default();
        s.0 += r.value;
        s.1 += 1.0;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "rater,face,rating")?;
    // Every (column, value), in a fixed order so a seed gives one file.
    let values: BTreeSet<&(usize, String)> = groups.values().flatten().collect();
    for k in 0..raters {
        let own = bias * normal(&mut rng);
        let fancies: BTreeMap<&(usize, String), f64> = values
            .iter()
            .map(|&key| (key, taste * normal(&mut rng)))
            .collect();
        for (face, (sum, n)) in &sums {
            let fancy: f64 = groups
                .get(*face)
                .map_or(0.0, |keys| keys.iter().map(|k| fancies[k]).sum());
            let value = (sum / n + own + fancy + noise * normal(&mut rng))
                .round()
                .clamp(low, high);
            writeln!(out, "sim{k},{face},{value}")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Each face's (column, value) pairs from a `face,...` table.
fn face_groups(path: &Path) -> Result<BTreeMap<String, Vec<(usize, String)>>> {
    let table = CsvTable::read(path)?;
    let face = table.column("face")?;
    let columns = table.columns().len();
    let mut groups = BTreeMap::new();
    for row in table.rows().filter(|r| !r.is_blank()) {
        let Some(id) = row.get(face) else { continue };
        let keys = (0..columns)
            .filter(|&c| c != face)
            .filter_map(|c| {
                row.get(c)
                    .filter(|v| !v.is_empty())
                    .map(|v| (c, v.to_string()))
            })
            .collect();
        groups.insert(id.to_string(), keys);
    }
    Ok(groups)
}
