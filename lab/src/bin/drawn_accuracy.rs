//! Extracts attributes from a pack's pixels and stored landmarks and compares
//! them with the levels in its manifest (for the drawn pack: the generator's
//! truth). Usage: cargo run --release -p mytype-lab --bin drawn_accuracy -- faces/default
use mytype::pack::remeasure::remeasure;
use mytype::pack::Pack;
use mytype::vision::measure::quantise;
use std::collections::BTreeMap;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "faces/default".into());
    let pack = Pack::load(std::path::Path::new(&dir))?;
    let mut measured = Vec::new();
    let mut truth = Vec::new();
    for face in pack.faces() {
        if let Some(m) = remeasure(&pack, face)? {
            measured.push(m);
            truth.push(face.attributes.clone());
        }
    }
    let levels = quantise(&measured);
    let mut hits: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut confusion: BTreeMap<String, BTreeMap<(String, String), usize>> = BTreeMap::new();
    for (got, want) in levels.iter().zip(&truth) {
        for (k, v) in got {
            if let Some(t) = want.get(k) {
                let e = hits.entry(k.clone()).or_default();
                e.1 += 1;
                if t == v {
                    e.0 += 1;
                }
                *confusion
                    .entry(k.clone())
                    .or_default()
                    .entry((t.clone(), v.clone()))
                    .or_default() += 1;
            }
        }
    }
    for (k, (ok, n)) in &hits {
        println!(
            "{k:<12} {ok:>3}/{n:<3} {:.0}%",
            100.0 * *ok as f64 / *n as f64
        );
    }
    if std::env::var_os("CONFUSION").is_some() {
        for (k, m) in &confusion {
            println!("== {k}");
            for ((t, v), n) in m {
                if t != v {
                    println!("   true {t:<12} got {v:<12} x{n}");
                }
            }
        }
    }
    Ok(())
}
