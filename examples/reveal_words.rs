//! How the reveal's confidence and the live guess behave over a game.
//!
//! Usage: cargo run --release --example reveal_words -- [PACK] [PLAYERS] [SEED]
//!        cargo run --release --example reveal_words -- PACK --real RATINGS_CSV [TRAIN] [SEED]
//!
//! Simulated players (as `mytype simulate`: a hidden taste of a few liked
//! attribute levels plus rating noise 0.7, rated in five buckets by rank
//! over the pack's faces) play the game on PACK (default `faces/default`)
//! in its adaptive order, every face of the round. Prints:
//! - the pick's "% sure" after 5, 10, 20, 30 and 50 ratings (quartiles);
//! - for the picks the game would show, by confidence band: how many were
//!   in it and the share the player would really rate Slightly like or Type
//!   (is the wording honest?);
//! - by how long the pick has stayed the same: the share of picks that are
//!   still the pick at the end of the round (is "settled" honest?);
//! - the reasons the final pick is given, before any threshold, by effect
//!   (rating points): how many name a level the player really likes.
//!
//! With `--real`, each rater of RATINGS_CSV (e.g. 3dsk's) with at least
//! TRAIN + 10 ratings (default 30) plays instead: TRAIN ratings learnt,
//! the pick chosen among the rest as the game does (no crowd), and its
//! "% sure" compared with the rater's own rating of it.
use mytype::eval::simulate::{ratings_by_rank, Taste};
use mytype::model::FeatureSpace;
use mytype::pack::Pack;
use mytype::profile::Profile;
use mytype::ui::action::Action;
use mytype::ui::app::order::Order;
use mytype::ui::app::App;
use mytype::ui::theme::Theme;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::path::PathBuf;

fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn quartiles(v: &mut [f64]) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.5), at(0.75))
}

// Long because: a measurement script that prints its tables in order; each
// step reads the one before it.
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().map_or("faces/default", |s| s.as_str()));
    if args.get(1).map(String::as_str) == Some("--real") {
        let csv = PathBuf::from(args.get(2).expect("--real RATINGS_CSV"));
        let train: usize = args.get(3).map_or(Ok(30), |s| s.parse())?;
        let seed: u64 = args.get(4).map_or(Ok(1), |s| s.parse())?;
        return real(&dir, &csv, train, seed);
    }
    let players: usize = args.get(1).map_or(Ok(200), |s| s.parse())?;
    let seed: u64 = args.get(2).map_or(Ok(7), |s| s.parse())?;
    let pack = Pack::load(&dir)?;
    let space = FeatureSpace::new(pack.manifest().attributes.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let checkpoints = [5usize, 10, 20, 30, 50];
    let mut sure_at: HashMap<usize, Vec<f64>> = HashMap::new();
    // (confidence, liked) of every pick after each rating from 10 on.
    let mut picks: Vec<(f64, bool)> = Vec::new();
    // streak length -> (still the final pick, all)
    let mut streaks: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut final_sure: Vec<(f64, bool)> = Vec::new();
    // (effect, a level the player likes) of every reason of the final picks.
    let mut reasons: Vec<(f64, bool)> = Vec::new();
    // The largest effect among each final pick's reasons (0: none).
    let mut strongest: Vec<f64> = Vec::new();
    for p in 0..players {
        let taste = Taste::random(&space, &mut rng);
        let noisy: Vec<f64> = pack
            .faces()
            .iter()
            .map(|f| taste.utility(&space.encode(&f.attributes)) + 0.7 * gaussian(&mut rng))
            .collect();
        let levels: HashMap<String, u8> = pack
            .faces()
            .iter()
            .zip(ratings_by_rank(&noisy))
            .map(|(f, r)| (f.id.clone(), r.value()))
            .collect();
        let name = format!("sim{p}");
        let profile = Profile::new(&name, &pack);
        let mut app = App::new(&name, profile, pack.clone(), None, Theme::plain())?
            .with_options(Order::Adaptive, None);
        let mut history: Vec<(String, f64)> = Vec::new();
        while let Some(face) = app.current_face().cloned() {
            let level = mytype::core::rating::Rating::from_value(levels[&face.id]).unwrap();
            app.apply(Action::Rate(level));
            let g = app.guess.as_ref().unwrap();
            let n = app.rated();
            history.push((g.pick.id.clone(), g.pick.confidence));
            if checkpoints.contains(&n) {
                sure_at.entry(n).or_default().push(g.pick.confidence);
            }
            if n >= 10 {
                picks.push((g.pick.confidence, levels[&g.pick.id] >= 4));
            }
            if app.screen == mytype::ui::Screen::Reveal {
                final_sure.push((g.pick.confidence, levels[&g.pick.id] >= 4));
                strongest.push(g.because.first().map_or(0.0, |r| r.weight));
                for r in &g.because {
                    let a = space
                        .attributes()
                        .iter()
                        .position(|d| d.name == r.attribute);
                    let liked = a.is_some_and(|a| {
                        let l = space.attributes()[a]
                            .levels
                            .iter()
                            .position(|l| *l == r.level);
                        taste
                            .likes
                            .iter()
                            .any(|(ta, tl, _)| *ta == a && Some(usize::from(*tl)) == l)
                    });
                    reasons.push((r.weight, liked));
                }
                break;
            }
        }
        let last = history.last().unwrap().0.clone();
        for i in 0..history.len() {
            if i + 1 < 10 {
                continue;
            }
            let streak = history[..=i]
                .iter()
                .rev()
                .take_while(|(id, _)| *id == history[i].0)
                .count();
            let e = streaks.entry(streak.min(12)).or_default();
            e.1 += 1;
            if history[i].0 == last {
                e.0 += 1;
            }
        }
    }
    println!(
        "pick's \"% sure\" after n ratings ({players} players, seed {seed}, {}):",
        dir.display()
    );
    println!("| ratings | 25% | median | 75% |\n|---|---|---|---|");
    for n in checkpoints {
        if let Some(v) = sure_at.get_mut(&n) {
            let (a, b, c) = quartiles(v);
            println!(
                "| {n} | {:.0}% | {:.0}% | {:.0}% |",
                a * 100.0,
                b * 100.0,
                c * 100.0
            );
        }
    }
    let bands = [0.0, 0.2, 0.4, 0.6, 0.8, 1.01];
    for (label, set) in [
        ("every pick from 10 ratings on", &picks),
        ("the final reveal", &final_sure),
    ] {
        println!("\n{label}: share the player would rate Slightly like or Type, by \"% sure\"");
        println!("| % sure | picks | liked |\n|---|---|---|");
        for w in bands.windows(2) {
            let inside: Vec<&(f64, bool)> = set
                .iter()
                .filter(|(c, _)| *c >= w[0] && *c < w[1])
                .collect();
            let liked = inside.iter().filter(|(_, l)| *l).count();
            println!(
                "| {:.0}-{:.0}% | {} | {} |",
                w[0] * 100.0,
                (w[1] * 100.0).min(100.0),
                inside.len(),
                if inside.is_empty() {
                    "–".into()
                } else {
                    format!("{:.0}%", 100.0 * liked as f64 / inside.len() as f64)
                }
            );
        }
    }
    println!("\npick held for s ratings in a row (from 10 ratings on): share still the pick after the round");
    println!("| s | picks | still the pick |\n|---|---|---|");
    let mut keys: Vec<_> = streaks.keys().copied().collect();
    keys.sort();
    for s in keys {
        let (still, all) = streaks[&s];
        println!(
            "| {}{s} | {all} | {:.0}% |",
            if s == 12 { "≥" } else { "" },
            100.0 * still as f64 / all as f64
        );
    }
    println!("\nreasons of the final picks by effect (rating points): share naming a level the player likes");
    println!("| effect | reasons | liked level |\n|---|---|---|");
    let cuts = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.6, 1.0, 10.0];
    for w in cuts.windows(2) {
        let inside: Vec<&(f64, bool)> = reasons
            .iter()
            .filter(|(e, _)| *e >= w[0] && *e < w[1])
            .collect();
        let liked = inside.iter().filter(|(_, l)| *l).count();
        println!(
            "| {:.2}-{:.2} | {} | {} |",
            w[0],
            w[1],
            inside.len(),
            if inside.is_empty() {
                "–".into()
            } else {
                format!("{:.0}%", 100.0 * liked as f64 / inside.len() as f64)
            }
        );
    }
    println!("\nat each threshold: reasons listed per final pick, picks with none, share of listed reasons naming a liked level");
    println!("| threshold | per pick | picks with none | liked level |\n|---|---|---|---|");
    for t in [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5] {
        let listed: Vec<&(f64, bool)> = reasons.iter().filter(|(e, _)| *e >= t).collect();
        let liked = listed.iter().filter(|(_, l)| *l).count();
        let none = strongest.iter().filter(|&&e| e < t).count();
        println!(
            "| {t:.2} | {:.1} | {none} of {} | {:.0}% |",
            listed.len() as f64 / strongest.len() as f64,
            strongest.len(),
            100.0 * liked as f64 / listed.len().max(1) as f64
        );
    }
    Ok(())
}

// Long because: one pass over the real ratings that fills every column of
// the table it prints.
fn real(
    dir: &std::path::Path,
    csv: &std::path::Path,
    train: usize,
    seed: u64,
) -> anyhow::Result<()> {
    use mytype::game::recommend::Recommender;
    use rand::seq::SliceRandom;
    let pack = Pack::load(dir)?;
    let raw = mytype::eval::bench::read_ratings(csv)?;
    let by_rater = mytype::eval::bench::ratings_by_rater(&pack, &raw)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut picks: Vec<(f64, bool)> = Vec::new();
    let mut reasons: Vec<f64> = Vec::new();
    let mut empty = 0usize;
    for (_, rated) in by_rater {
        if rated.len() < train + 10 {
            continue;
        }
        let mut rated = rated.clone();
        rated.shuffle(&mut rng);
        let (learn, held) = rated.split_at(train);
        let mut profile = Profile::new("real", &pack);
        for (i, level) in learn {
            profile.push(&pack.faces()[*i].id, *level);
        }
        let rec = Recommender::from_profile(&pack, None, &profile)?;
        let open: Vec<&str> = held
            .iter()
            .map(|(i, _)| pack.faces()[*i].id.as_str())
            .collect();
        let r = rec.recommend(5, &|id| !open.contains(&id));
        let truth = held
            .iter()
            .find(|(i, _)| pack.faces()[*i].id == r.pick.id)
            .map(|(_, l)| l.value())
            .unwrap_or(0);
        picks.push((r.pick.confidence, truth >= 4));
        reasons.extend(r.because.iter().map(|b| b.weight));
        if r.because.is_empty() {
            empty += 1;
        }
    }
    println!(
        "{} raters of {}, {train} ratings learnt, pick among the rest (seed {seed}):",
        picks.len(),
        csv.display()
    );
    let mut sure: Vec<f64> = picks.iter().map(|p| p.0).collect();
    let (a, b, c) = quartiles(&mut sure);
    println!(
        "pick's \"% sure\": quartiles {:.0}% / {:.0}% / {:.0}%",
        a * 100.0,
        b * 100.0,
        c * 100.0
    );
    println!("| % sure | picks | liked |\n|---|---|---|");
    let bands = [0.0, 0.2, 0.4, 0.6, 0.8, 1.01];
    for w in bands.windows(2) {
        let inside: Vec<&(f64, bool)> = picks
            .iter()
            .filter(|(c, _)| *c >= w[0] && *c < w[1])
            .collect();
        let liked = inside.iter().filter(|(_, l)| *l).count();
        println!(
            "| {:.0}-{:.0}% | {} | {} |",
            w[0] * 100.0,
            (w[1] * 100.0).min(100.0),
            inside.len(),
            if inside.is_empty() {
                "–".into()
            } else {
                format!("{:.0}%", 100.0 * liked as f64 / inside.len() as f64)
            }
        );
    }
    let mut rs = reasons.clone();
    if !rs.is_empty() {
        let (a, b, c) = quartiles(&mut rs);
        println!("reasons given (effect > 0): {} over {} picks ({} with none); effect quartiles {:.2} / {:.2} / {:.2}", reasons.len(), picks.len(), empty, a, b, c);
        for t in [0.1, 0.2, 0.25, 0.3, 0.4] {
            println!(
                "  at {t:.2}: {:.1} per pick",
                reasons.iter().filter(|&&e| e >= t).count() as f64 / picks.len() as f64
            );
        }
    }
    Ok(())
}
