//! Which order of questions teaches the personal model fastest?
//!
//! Usage: cargo run --release -p mytype-lab --bin question_order -- PACK RATINGS_CSV [SEEDS] [FIRST_SEED]
//!
//! `QUESTION_ORDERS=random,adaptive` (comma-separated) runs only those orders.
//!
//! The protocol of `mytype bench`'s learning curves, personal model only
//! (the naive Bayes and, in photo packs, appeal, blended as in the game):
//! per evaluated rater, 20 rated faces are held out as the reveal's
//! candidates and the questions come from the rest. Prints the reveal
//! percentile after 10, 20, 25, 30 and 50 ratings (those the raters have)
//! for each order, averaged over raters and over SEEDS runs (default 8)
//! from FIRST_SEED (default 1). All orders see the same raters, splits and
//! answers in a run, so their differences are paired.
//!
//! Orders: `random`; `adaptive` (the game's, `model::questions::next_question`:
//! in photo packs the face that most narrows the blend's doubt about the
//! leading candidates); `contest_and_spread` (the game's order before: the
//! leaders' contest, and every second question the spread of appeal);
//! `contest` (the leaders' contest alone, the order before that);
//! `appeal_spread` (the open face whose appeal is furthest from the rated
//! faces' mean, every time); `favourite` (the open face the
//! model now rates highest);
//! `knowledge_gradient` (the game's earlier order: the expected rise of
//! the best candidate's score, over the 25 best candidates);
//! `blended_favourite` (the open face the blend of the model and appeal
//! now rates highest); `contest_then_favourite` (the contest for the first
//! 15 ratings, then the favourite).
use anyhow::{bail, Context, Result};
use mytype::core::rating::Rating;
use mytype::eval::bench::{ratings_by_rater, read_ratings, reveal_percentile};
use mytype::eval::simulate::argmax;
use mytype::model::blend::{Blend, Face};
use mytype::model::looks::{AppealScores, Descriptors};
use mytype::model::questions::next_question;
use mytype::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel};
use mytype::pack::Pack;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::Path;

const ORDERS: [&str; 9] = [
    "random",
    "adaptive",
    "contest_and_spread",
    "contest",
    "appeal_spread",
    "favourite",
    "knowledge_gradient",
    "blended_favourite",
    "contest_then_favourite",
];
const POINTS: [usize; 5] = [10, 20, 25, 30, 50];
const TEST_FACES: usize = 20;
/// `contest_then_favourite` asks by the contest up to this many ratings.
const SWITCH: usize = 15;

/// The expected rise of the best of the 25 best candidates' scores.
fn knowledge_gradient(
    model: &mut PreferenceModel,
    questions: &[&Encoded],
    candidates: &[&Encoded],
) -> usize {
    let mut ranked: Vec<(f64, &Encoded)> =
        candidates.iter().map(|&x| (model.score(x), x)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.truncate(25);
    let best_now = ranked.first().map_or(0.0, |r| r.0);
    let gains: Vec<f64> = questions
        .iter()
        .map(|&x| {
            let posterior = model.posterior(x);
            let mut expected = 0.0;
            for (rating, p) in Rating::ALL.iter().zip(posterior) {
                model.update(x, *rating);
                let best = ranked
                    .iter()
                    .map(|c| model.score(c.1))
                    .fold(f64::MIN, f64::max);
                model.forget(x, *rating);
                expected += p * best;
            }
            expected - best_now
        })
        .collect();
    argmax(&gains).unwrap_or(0)
}

/// The open face whose appeal is furthest from the mean of the faces rated
/// so far: spread in appeal pins down how much appeal counts for the player.
fn appeal_spread(
    open: &[(usize, Rating)],
    seen: &[(usize, Rating)],
    appeal: &[Option<f64>],
) -> usize {
    let rated: Vec<f64> = seen.iter().filter_map(|&(i, _)| appeal[i]).collect();
    let centre = if rated.is_empty() {
        0.0 // the pack's mean: appeal is in spreads from it
    } else {
        rated.iter().sum::<f64>() / rated.len() as f64
    };
    let spread: Vec<f64> = open
        .iter()
        .map(|&(i, _)| appeal[i].map_or(0.0, |a| (a - centre).abs()))
        .collect();
    argmax(&spread).unwrap_or(0)
}

// Long because: a research script: its steps in the order they run, once, printing as it goes.
fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pack, csv, rest @ ..] = args.as_slice() else {
        bail!("usage: question_order PACK RATINGS_CSV [SEEDS] [FIRST_SEED]");
    };
    let seeds: u64 = rest.first().map_or(Ok(8), |s| s.parse()).context("SEEDS")?;
    let first_seed: u64 = rest
        .get(1)
        .map_or(Ok(1), |s| s.parse())
        .context("FIRST_SEED")?;
    let pack = Pack::load(Path::new(pack))?;
    let ratings = read_ratings(Path::new(csv))?;
    let space = FeatureSpace::new(pack.manifest().attributes.clone());
    let params = NaiveBayesParams::new().check()?;
    let codes: Vec<Encoded> = pack
        .faces()
        .iter()
        .map(|f| space.encode(&f.attributes))
        .collect();
    let appeal_scores = AppealScores::new(pack.appeals());
    let appeal: Vec<Option<f64>> = pack
        .faces()
        .iter()
        .map(|f| appeal_scores.get(&f.id))
        .collect();
    let descriptor_scores = Descriptors::new(pack.descriptors());
    let descriptors: Vec<Option<&[f64]>> = pack
        .faces()
        .iter()
        .map(|f| descriptor_scores.get(&f.id))
        .collect();
    let choice = |i: usize| Face {
        code: &codes[i],
        crowd: None,
        appeal: appeal[i],
        descriptor: descriptors[i],
    };
    // A question without appeal or descriptor is asked by the contest.
    let plain = |i: usize| Face {
        appeal: None,
        descriptor: None,
        ..choice(i)
    };
    let wanted: Vec<String> = std::env::var("QUESTION_ORDERS")
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let orders: Vec<&str> = ORDERS
        .iter()
        .copied()
        .filter(|o| wanted.is_empty() || wanted.iter().any(|w| w == o))
        .collect();
    let by_rater = ratings_by_rater(&pack, &ratings)?;
    let most = by_rater.values().map(Vec::len).max().unwrap_or(0);
    let points: Vec<usize> = POINTS
        .iter()
        .copied()
        .filter(|&p| p + TEST_FACES <= most)
        .collect();
    let Some(&last) = points.last() else {
        bail!("no rater has {} ratings", POINTS[0] + TEST_FACES);
    };
    let mut sums: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut runs = 0.0;
    for seed in first_seed..first_seed + seeds {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut raters: Vec<&str> = by_rater.keys().copied().collect();
        raters.shuffle(&mut rng);
        // The evaluated half, as in `mytype bench`.
        for rater in &raters[raters.len() / 2..] {
            let mut rated = by_rater[rater].clone();
            if rated.len() < last + TEST_FACES {
                continue;
            }
            runs += 1.0;
            rated.shuffle(&mut rng);
            let (test, pool) = rated.split_at(TEST_FACES);
            let truth: Vec<f64> = test.iter().map(|t| f64::from(t.1.value())).collect();
            let candidates: Vec<&Encoded> = test.iter().map(|&(i, _)| &codes[i]).collect();
            let choices: Vec<Face> = test.iter().map(|&(i, _)| choice(i)).collect();
            // One random order per rater, shared by nothing else.
            let mut random_order = pool.to_vec();
            random_order.shuffle(&mut rng);
            for &order in &orders {
                let mut model = PreferenceModel::new(space.clone(), &params);
                let mut blend = Blend::PERSONAL;
                let mut seen: Vec<(usize, Rating)> = Vec::new();
                let mut open = if order == "random" {
                    random_order.clone()
                } else {
                    pool.to_vec()
                };
                let sum = sums.entry(order).or_insert_with(|| vec![0.0; points.len()]);
                for step in 1..=last {
                    let questions: Vec<&Encoded> = open.iter().map(|&(i, _)| &codes[i]).collect();
                    let pick = match order {
                        "adaptive" => {
                            let q: Vec<Face> = open.iter().map(|&(i, _)| choice(i)).collect();
                            let rated: Vec<Face> = seen.iter().map(|&(i, _)| choice(i)).collect();
                            next_question(&model, &blend, &q, &choices, &|_, _| false, &rated)
                                .unwrap_or(0)
                        }
                        "contest_and_spread" if seen.len() % 2 == 1 => {
                            appeal_spread(&open, &seen, &appeal)
                        }
                        "contest" | "contest_and_spread" => {
                            let q: Vec<Face> = open.iter().map(|&(i, _)| plain(i)).collect();
                            next_question(&model, &blend, &q, &choices, &|_, _| false, &[])
                                .unwrap_or(0)
                        }
                        "favourite" => {
                            let scores: Vec<f64> =
                                questions.iter().map(|x| model.score(x)).collect();
                            argmax(&scores).unwrap_or(0)
                        }
                        "knowledge_gradient" => {
                            knowledge_gradient(&mut model, &questions, &candidates)
                        }
                        "blended_favourite" => {
                            let scores: Vec<f64> = open
                                .iter()
                                .map(|&(i, _)| blend.score_of(&model, &choice(i)))
                                .collect();
                            argmax(&scores).unwrap_or(0)
                        }
                        "contest_then_favourite" if step <= SWITCH => {
                            let q: Vec<Face> = open.iter().map(|&(i, _)| plain(i)).collect();
                            next_question(&model, &blend, &q, &choices, &|_, _| false, &[])
                                .unwrap_or(0)
                        }
                        "appeal_spread" => appeal_spread(&open, &seen, &appeal),
                        "contest_then_favourite" => {
                            let scores: Vec<f64> =
                                questions.iter().map(|x| model.score(x)).collect();
                            argmax(&scores).unwrap_or(0)
                        }
                        _ => 0,
                    };
                    let (face, rating) = open.remove(pick);
                    model.update(&codes[face], rating);
                    seen.push((face, rating));
                    let rated: Vec<(Face, Rating)> = seen
                        .iter()
                        .map(|&(i, rating)| {
                            let face = Face {
                                code: &codes[i],
                                crowd: None,
                                appeal: appeal[i],
                                descriptor: descriptors[i],
                            };
                            (face, rating)
                        })
                        .collect();
                    blend = Blend::fit(&mut model, &rated, false);
                    if let Some(k) = points.iter().position(|&p| p == step) {
                        let scores: Vec<f64> =
                            choices.iter().map(|c| blend.score_of(&model, c)).collect();
                        sum[k] += reveal_percentile(&scores, &truth);
                    }
                }
            }
        }
    }
    if runs == 0.0 {
        bail!("no rater has {} ratings on this pack", last + TEST_FACES);
    }
    println!(
        "Reveal percentile after n ratings ({} rater runs over seeds {first_seed}..={}, {TEST_FACES} held-out faces each)",
        runs,
        first_seed + seeds - 1
    );
    let header: Vec<String> = points.iter().map(|p| format!("n = {p}")).collect();
    println!("| order | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(points.len()));
    for &order in &orders {
        let row: Vec<String> = sums[order]
            .iter()
            .map(|s| format!("{:.3}", s / runs))
            .collect();
        println!("| {order} | {} |", row.join(" | "));
    }
    Ok(())
}
