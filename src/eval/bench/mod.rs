//! `mytype bench`: the preference models measured per person on real ratings.
//!
//! Protocol: ratings `rater,face,rating` on any numeric scale are mapped
//! linearly from the file's range onto the five levels (level = 1 + round(4 ·
//! (r − min)/(max − min)); 1-10: 1→1, 5→3, 10→5; 1-7: 1→1, 4→3, 7→5). Raters are
//! shuffled by the seed and split in two: the first half is the crowd, the
//! second half is evaluated. Each evaluated rater with at least `train + 20`
//! ratings on the pack's faces (up to `raters` of them) trains on `train`
//! random rated faces; every model scores the rest. Metrics, averaged over
//! raters:
//! - `spearman`: predicted scores against the true ratings of held-out faces;
//! - `reveal_percentile`: the share of the other held-out faces rated below the
//!   model's pick (ties counted half);
//! - `top5_hit`: 1 when one of the model's top 5 held-out faces carries the
//!   rater's highest held-out rating;
//! - `brier` (`mytype`, `naive_bayes`, `mytype_crowd`): how honest the
//!   game's "% sure" is, see [`Metrics::brier`]; `random`'s is the share of
//!   the rater's training faces they liked, the score of knowing nothing
//!   about the faces.

use crate::core::csv_table::{CsvError, CsvTable};
use crate::core::rating::Rating;
use crate::eval::simulate::{argmax, Learner, LinfaBernoulli};
use crate::math::stats::{mean_and_standard_error, percentile_of, spearman};
use crate::model::blend::{Blend, Face};
use crate::model::crowd::{CrowdScores, PACK_CROWD};
use crate::model::looks::{AppealScores, Descriptors};
use crate::model::questions::next_question;
use crate::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel, ValidParams};
use crate::pack::Pack;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("no ratings of this pack's faces in {0}")]
    NoRatings(String),
    #[error(
        "no rater has the {needed} ratings of this pack's faces that --train {train} needs \
         ({train} to learn from, at least {MIN_HELD_OUT} held out); the most any rater has is \
         {most}{hint}",
        hint = train_hint(*.most)
    )]
    TooFewRatings {
        train: usize,
        needed: usize,
        most: usize,
    },
}

/// ": try --train N" with the largest N the raters allow, if any.
fn train_hint(most: usize) -> String {
    match most.checked_sub(MIN_HELD_OUT) {
        Some(train) if train > 0 => format!(": try --train {train}"),
        _ => String::new(),
    }
}

/// One rating as read.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRating {
    pub rater: String,
    pub face: String,
    pub value: f64,
}

/// A ratings file as read ([`read_ratings_file`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RatingsFile {
    pub ratings: Vec<RawRating>,
    /// Lines whose rating was missing (see [`is_missing`]): skipped.
    pub missing_lines: Vec<usize>,
}

/// Whether a rating cell says there is no rating: empty, or a marker that
/// spreadsheets, R and pandas write for a missing value (`NA`, `N/A`,
/// `NaN`, `null`, `None`, any case). Cells come trimmed ([`CsvTable`]).
fn is_missing(cell: &str) -> bool {
    cell.is_empty()
        || ["na", "n/a", "nan", "null", "none"]
            .iter()
            .any(|m| cell.eq_ignore_ascii_case(m))
}

/// Reads a `rater,face,rating` CSV (header required; extra columns ignored;
/// see [`CsvTable`] for the forms it accepts). A row without a rating (see
/// [`is_missing`]) is skipped and its line noted; any other rating that is
/// not a finite number is an error.
pub fn read_ratings_file(path: &Path) -> Result<RatingsFile, BenchError> {
    let table = CsvTable::read(path)?;
    let (rc, fc, vc) = (
        table.column("rater")?,
        table.column("face")?,
        table.column("rating")?,
    );
    let mut out = RatingsFile {
        ratings: Vec::new(),
        missing_lines: Vec::new(),
    };
    for row in table.rows() {
        let get = |c: usize| {
            row.get(c).ok_or_else(|| {
                table.error(row.line, format!("missing cell `{}`", table.columns()[c]))
            })
        };
        let cell = get(vc)?;
        if is_missing(cell) {
            out.missing_lines.push(row.line);
            continue;
        }
        let value: f64 = table
            .number(cell)
            .ok_or_else(|| table.error(row.line, format!("rating \"{cell}\" is not a number")))?;
        if !value.is_finite() {
            return Err(table.error(row.line, "rating is not finite".into()).into());
        }
        out.ratings.push(RawRating {
            rater: get(rc)?.to_string(),
            face: get(fc)?.to_string(),
            value,
        });
    }
    Ok(out)
}

/// [`read_ratings_file`]'s ratings, rows without a rating left out.
pub fn read_ratings(path: &Path) -> Result<Vec<RawRating>, BenchError> {
    Ok(read_ratings_file(path)?.ratings)
}

/// Maps a value of the scale `min..=max` onto the five levels.
pub fn to_level(value: f64, min: f64, max: f64) -> Rating {
    let t = if max > min {
        (value - min) / (max - min)
    } else {
        0.5
    };
    let v = 1.0 + (4.0 * t.clamp(0.0, 1.0)).round();
    Rating::from_value(v as u8).unwrap_or(Rating::Normal)
}

/// Ratings per rater: (face index in the pack, level).
pub type ByRater<'a> = BTreeMap<&'a str, Vec<(usize, Rating)>>;

/// Each rater's ratings on `pack`'s faces as (face index, level), in the
/// file's order; a face is named by its id or the file stem it was built
/// from; ratings of faces the pack lacks are left out, and the scale
/// is the file's range over the rest (see [`to_level`]). A face a rater
/// rated more than once counts once, at the mean of those ratings: a
/// repeated row (MEBeauty's `ratings_date.csv` has 1,901, nearly all the
/// same value twice) could otherwise land in both the training and the
/// held-out faces and hand every model the answer.
pub fn ratings_by_rater<'a>(
    pack: &Pack,
    ratings: &'a [RawRating],
) -> Result<ByRater<'a>, BenchError> {
    let index: HashMap<&str, usize> = pack
        .faces()
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    // A ratings file names faces by file stem, as `pack build --info` does,
    // or by file name; the pack's id is the stem made file-name safe (`a(1)`
    // is `a_1_`).
    let find = |face: &str| {
        index
            .get(face)
            .or_else(|| index.get(crate::pack::build::face_id(face).as_str()))
    };
    let usable: Vec<(&RawRating, usize)> = ratings
        .iter()
        .filter_map(|r| {
            let i = find(&r.face).or_else(|| {
                let stem = Path::new(&r.face).file_stem()?.to_str()?;
                find(stem)
            })?;
            Some((r, *i))
        })
        .collect();
    if usable.is_empty() {
        return Err(BenchError::NoRatings(pack.name().to_string()));
    }
    let (min, max) = usable.iter().fold((f64::MAX, f64::MIN), |(a, b), (r, _)| {
        (a.min(r.value), b.max(r.value))
    });
    // Per rater: (face, sum, count) in the order of first appearance.
    let mut sums: BTreeMap<&str, Vec<(usize, f64, u32)>> = BTreeMap::new();
    let mut slot: HashMap<(&str, usize), usize> = HashMap::new();
    for (r, i) in usable {
        let faces = sums.entry(r.rater.as_str()).or_default();
        match slot.get(&(r.rater.as_str(), i)) {
            Some(&k) => {
                faces[k].1 += r.value;
                faces[k].2 += 1;
            }
            None => {
                slot.insert((r.rater.as_str(), i), faces.len());
                faces.push((i, r.value, 1));
            }
        }
    }
    Ok(sums
        .into_iter()
        .map(|(rater, faces)| {
            let levels = faces
                .into_iter()
                .map(|(i, sum, n)| (i, to_level(sum / f64::from(n), min, max)))
                .collect();
            (rater, levels)
        })
        .collect())
}

/// Options of a bench run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub train: usize,
    pub raters: usize,
    pub seed: u64,
    /// Score `mytype_crowd` (the game's model with the crowd prior).
    pub crowd: bool,
    /// Measure the learning curves too: they take most of the time. They
    /// draw from the run's random numbers, so without them the models are
    /// trained on other draws.
    pub curves: bool,
}

/// Runs the protocol `repeats` times with seeds `seed`, `seed + 1`, … (each a
/// new crowd/evaluated split and new training draws) and averages every
/// number: one pick per rater makes `reveal_percentile` noisy (about ±0.025
/// for 100 raters), and repeats narrow that.
pub fn run_repeated(
    pack: &Pack,
    ratings: &[RawRating],
    opts: &BenchOptions,
    repeats: usize,
) -> Result<BenchReport, BenchError> {
    let repeats = repeats.max(1);
    // Ratings by rater, as levels.
    let by_rater: BTreeMap<&str, Vec<(usize, f64)>> = ratings_by_rater(pack, ratings)?
        .into_iter()
        .map(|(rater, rated)| {
            let levels = rated
                .into_iter()
                .map(|(i, r)| (i, f64::from(r.value())))
                .collect();
            (rater, levels)
        })
        .collect();
    let needed = opts.train + MIN_HELD_OUT;
    let most = by_rater.values().map(Vec::len).max().unwrap_or(0);
    if most < needed {
        return Err(BenchError::TooFewRatings {
            train: opts.train,
            needed,
            most,
        });
    }
    // The faces once for every run: decoding thumbnails is the slow part.
    let space = FeatureSpace::new(pack.manifest().attributes.clone());
    let faces = Faces {
        ids: pack.faces().iter().map(|f| f.id.clone()).collect(),
        codes: pack
            .faces()
            .iter()
            .map(|f| space.encode(&f.attributes))
            .collect(),
        thumbs: pack
            .faces()
            .iter()
            .map(|f| thumbnail(pack, &f.id))
            .collect(),
        appeal: {
            let appeal = AppealScores::new(pack.appeals());
            pack.faces().iter().map(|f| appeal.get(&f.id)).collect()
        },
        descriptors: {
            let descriptors = Descriptors::new(pack.descriptors());
            pack.faces()
                .iter()
                .map(|f| descriptors.get(&f.id).map(<[f64]>::to_vec))
                .collect()
        },
    };
    let mut reports = Vec::with_capacity(repeats);
    for k in 0..repeats {
        let o = BenchOptions {
            seed: opts.seed.wrapping_add(k as u64),
            ..opts.clone()
        };
        reports.push(run(pack, &space, &faces, &by_rater, &o)?);
    }
    let mut out = reports[0].clone();
    out.repeats = repeats;
    out.raters = reports.iter().map(|r| r.raters).sum::<usize>() / repeats;
    for (name, m) in out.models.iter_mut() {
        let means: Vec<Metrics> = reports
            .iter()
            .filter_map(|r| r.models.get(name).cloned())
            .collect();
        *m = Metrics::mean(&means);
    }
    // Differences are taken rater by rater, over every run's raters.
    let mut pooled: BTreeMap<String, Vec<Metrics>> = BTreeMap::new();
    for r in &reports {
        for (name, all) in &r.per_rater {
            pooled
                .entry(name.clone())
                .or_default()
                .extend(all.iter().cloned());
        }
    }
    out.comparisons = comparisons(&pooled);
    out.per_rater = pooled;
    if let Some(lc) = out.learning_curves.as_mut() {
        let others: Vec<&LearningCurves> = reports
            .iter()
            .filter_map(|r| r.learning_curves.as_ref())
            .collect();
        lc.raters = others.iter().map(|l| l.raters).sum::<usize>() / others.len().max(1);
        for (name, curve) in lc.curves.iter_mut() {
            for (point, v) in curve.iter_mut() {
                let values: Vec<f64> = others
                    .iter()
                    .filter_map(|l| l.curves.get(name)?.get(point).copied())
                    .collect();
                *v = values.iter().sum::<f64>() / values.len().max(1) as f64;
            }
        }
        // The goal is taken rater by rater, over every run's raters.
        let mut pooled: BTreeMap<String, Vec<Vec<f64>>> = BTreeMap::new();
        for l in &others {
            for (name, points) in &l.per_rater {
                let into = pooled
                    .entry(name.clone())
                    .or_insert_with(|| vec![Vec::new(); points.len()]);
                for (all, run) in into.iter_mut().zip(points) {
                    all.extend(run);
                }
            }
        }
        lc.goal = LearningCurves::goal_of(&pooled);
        lc.per_rater = pooled;
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metrics {
    pub spearman: f64,
    pub reveal_percentile: f64,
    pub top5_hit: f64,
    /// For models that say how sure they are ("% sure" in the game): the
    /// Brier score of that confidence on the held-out faces, the mean squared
    /// gap between it and 1 for a face rated Slightly like or Type, 0
    /// otherwise (lower is better; always saying 50% scores 0.25).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brier: Option<f64>,
}

impl Metrics {
    /// The mean of each metric (all zero for none; the Brier score over the
    /// runs that have one).
    pub fn mean(all: &[Metrics]) -> Metrics {
        let n = all.len().max(1) as f64;
        let briers: Vec<f64> = all.iter().filter_map(|m| m.brier).collect();
        Metrics {
            spearman: all.iter().map(|m| m.spearman).sum::<f64>() / n,
            reveal_percentile: all.iter().map(|m| m.reveal_percentile).sum::<f64>() / n,
            top5_hit: all.iter().map(|m| m.top5_hit).sum::<f64>() / n,
            brier: (!briers.is_empty()).then(|| briers.iter().sum::<f64>() / briers.len() as f64),
        }
    }
}

/// Whether a true level counts as liked: Slightly like or Type.
fn liked(level: f64) -> bool {
    level >= f64::from(Rating::SlightlyLike.value())
}

/// The Brier score of `confidence` (P(liked)) against the true levels.
fn brier(confidence: &[f64], truth: &[f64]) -> f64 {
    let squares: f64 = confidence
        .iter()
        .zip(truth)
        .map(|(p, &t)| (p - if liked(t) { 1.0 } else { 0.0 }).powi(2))
        .sum();
    squares / confidence.len().max(1) as f64
}

/// The comparisons the issue's bars name, (model, baseline): the personal
/// model against each baseline, and the crowd prior against the crowd alone.
pub const COMPARED: [(&str, &str); 5] = [
    ("mytype", "naive_bayes"),
    ("mytype", "similarity"),
    ("mytype", "nb_demographic"),
    ("mytype", "linfa_bernoulli"),
    ("mytype_crowd", "crowd"),
];

/// A mean difference between two models, rater by rater, and its standard
/// error (the sample standard deviation of the differences over √n).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Difference {
    pub difference: f64,
    pub standard_error: f64,
}

impl Difference {
    fn of(pairs: impl Iterator<Item = (f64, f64)>) -> Difference {
        let d: Vec<f64> = pairs.map(|(a, b)| a - b).collect();
        let (difference, standard_error) = mean_and_standard_error(&d);
        Difference {
            difference,
            standard_error,
        }
    }
}

/// Paired differences of Spearman and reveal percentile for one comparison.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Comparison {
    /// Rater-runs compared.
    pub pairs: usize,
    pub spearman: Difference,
    pub reveal_percentile: Difference,
}

/// The [`COMPARED`] pairs both present in `per_rater`, keyed `"a - b"`.
/// Each model has one entry per evaluated rater, in the same order.
fn comparisons(per_rater: &BTreeMap<String, Vec<Metrics>>) -> BTreeMap<String, Comparison> {
    COMPARED
        .iter()
        .filter_map(|&(a, b)| {
            let (xs, ys) = (per_rater.get(a)?, per_rater.get(b)?);
            let pairs = || xs.iter().zip(ys);
            Some((
                format!("{a} - {b}"),
                Comparison {
                    pairs: xs.len().min(ys.len()),
                    spearman: Difference::of(pairs().map(|(x, y)| (x.spearman, y.spearman))),
                    reveal_percentile: Difference::of(
                        pairs().map(|(x, y)| (x.reveal_percentile, y.reveal_percentile)),
                    ),
                },
            ))
        })
        .collect()
}

/// The JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub raters: usize,
    pub train: usize,
    /// Runs averaged (`--repeats`).
    pub repeats: usize,
    pub models: BTreeMap<String, Metrics>,
    /// Paired differences, rater by rater over every run (see [`COMPARED`]).
    pub comparisons: BTreeMap<String, Comparison>,
    /// Each model's metrics per evaluated rater (over every run).
    #[serde(skip)]
    pub per_rater: BTreeMap<String, Vec<Metrics>>,
    /// reveal_percentile after n ratings, adaptive vs random order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_curves: Option<LearningCurves>,
}

/// reveal_percentile after n ratings (`"10"`, `"20"`, …) per model and order
/// (`"mytype/adaptive"`, `"mytype/random"`, `"mytype_crowd/…"`).
#[derive(Debug, Clone, Serialize)]
pub struct LearningCurves {
    /// Raters with enough ratings for the longest curve.
    pub raters: usize,
    /// Held-out faces the reveal picks from, per rater.
    pub test_faces: usize,
    pub curves: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per model (`"mytype"`, `"mytype_crowd"`), the issue's goal: adaptive
    /// order after [`GOAL_ADAPTIVE_AFTER`] ratings less random order after
    /// the curves' last point, rater by rater over every run. Empty when
    /// the curves stop at or before that point.
    pub goal: BTreeMap<String, Difference>,
    /// Each curve's reveal percentile per point, per rater (over every run).
    #[serde(skip)]
    pub per_rater: BTreeMap<String, Vec<Vec<f64>>>,
}

impl LearningCurves {
    /// [`LearningCurves::goal`] from [`LearningCurves::per_rater`].
    fn goal_of(per_rater: &BTreeMap<String, Vec<Vec<f64>>>) -> BTreeMap<String, Difference> {
        let points: Vec<usize> = CURVE_POINTS
            .iter()
            .copied()
            .take(per_rater.values().next().map_or(0, Vec::len))
            .collect();
        let Some(early) = points.iter().position(|&p| p == GOAL_ADAPTIVE_AFTER) else {
            return BTreeMap::new();
        };
        let late = points.len() - 1;
        if late == early {
            return BTreeMap::new();
        }
        ["mytype", "mytype_crowd"]
            .into_iter()
            .filter_map(|model| {
                let adaptive = per_rater.get(&format!("{model}/adaptive"))?;
                let random = per_rater.get(&format!("{model}/random"))?;
                let pairs = adaptive[early]
                    .iter()
                    .copied()
                    .zip(random[late].iter().copied());
                Some((model.to_string(), Difference::of(pairs)))
            })
            .collect()
    }
}

/// Per-face data the models need.
struct Faces {
    ids: Vec<String>,
    codes: Vec<Encoded>,
    thumbs: Vec<Vec<f32>>,
    /// Appeal in spreads from the pack's mean ([`AppealScores`]).
    appeal: Vec<Option<f64>>,
    /// Standardised face network descriptors ([`Descriptors`]).
    descriptors: Vec<Option<Vec<f64>>>,
}

impl Faces {
    /// The blend's score of face `i` with this personal and crowd score.
    fn blended(&self, blend: &Blend, i: usize, personal: f64, crowd: Option<f64>) -> f64 {
        blend.score_with(
            personal,
            crowd,
            self.appeal[i],
            self.descriptors[i].as_deref(),
        )
    }
}

/// Small colour thumbnails (12x12, mean-centred) for the similarity baseline.
fn thumbnail(pack: &Pack, id: &str) -> Vec<f32> {
    let Some(face) = pack.face(id) else {
        return Vec::new();
    };
    let Ok(img) = crate::vision::imaging::decode(&pack.image_path(face)) else {
        return Vec::new();
    };
    let small = img
        .resize_exact(12, 12, image::imageops::FilterType::Triangle)
        .to_rgb8();
    let v: Vec<f32> = small
        .as_raw()
        .iter()
        .map(|&b| f32::from(b) / 255.0)
        .collect();
    let mean = v.iter().sum::<f32>() / v.len().max(1) as f32;
    v.into_iter().map(|x| x - mean).collect()
}

fn distance(a: &[f32], b: &[f32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return f64::INFINITY;
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from((x - y) * (x - y)))
        .sum::<f64>()
        .sqrt()
}

/// Similarity-weighted mean of the player's ratings (Gaussian kernel on
/// thumbnail distance, bandwidth = the median train-test distance).
fn similarity_scores(faces: &Faces, train: &[(usize, f64)], test: &[usize]) -> Vec<f64> {
    let mut all: Vec<f64> = Vec::new();
    for &t in test {
        for &(i, _) in train {
            let d = distance(&faces.thumbs[t], &faces.thumbs[i]);
            if d.is_finite() {
                all.push(d);
            }
        }
    }
    all.sort_by(f64::total_cmp);
    let bandwidth = all.get(all.len() / 2).copied().unwrap_or(1.0).max(1e-6) * 0.5;
    let mean = train.iter().map(|(_, r)| r).sum::<f64>() / train.len().max(1) as f64;
    test.iter()
        .map(|&t| {
            let (mut num, mut den) = (0.0, 0.0);
            for &(i, r) in train {
                let d = distance(&faces.thumbs[t], &faces.thumbs[i]);
                if d.is_finite() {
                    let w = (-(d / bandwidth).powi(2)).exp();
                    num += w * r;
                    den += w;
                }
            }
            if den > 1e-12 {
                num / den
            } else {
                mean
            }
        })
        .collect()
}

/// The share of the other faces rated below the highest-scored one (ties
/// half; the first of equal scores is the pick); 0 with no faces.
pub fn reveal_percentile(scores: &[f64], truth: &[f64]) -> f64 {
    let Some(pick) = argmax(scores) else {
        return 0.0;
    };
    let others: Vec<f64> = truth
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pick)
        .map(|(_, &t)| t)
        .collect();
    percentile_of(truth[pick], &others)
}

fn metrics(scores: &[f64], truth: &[f64]) -> Metrics {
    if scores.is_empty() {
        return Metrics::default();
    }
    let best = truth.iter().copied().fold(f64::MIN, f64::max);
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let hit = order.iter().take(5).any(|&i| truth[i] >= best);
    Metrics {
        spearman: spearman(scores, truth),
        reveal_percentile: reveal_percentile(scores, truth),
        top5_hit: if hit { 1.0 } else { 0.0 },
        brier: None,
    }
}

/// One run of the protocol with the seed in `opts`.
fn run(
    pack: &Pack,
    space: &FeatureSpace,
    faces: &Faces,
    by_rater: &BTreeMap<&str, Vec<(usize, f64)>>,
    opts: &BenchOptions,
) -> Result<BenchReport, BenchError> {
    let mut raters: Vec<&str> = by_rater.keys().copied().collect();
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    raters.shuffle(&mut rng);
    let half = raters.len() / 2;
    let (crowd_raters, evaluated) = raters.split_at(half);

    // Crowd: the crowd raters and the pack's crowd scores, if any (see
    // `CrowdScores`).
    let mut crowd_scores = CrowdScores::new();
    crowd_scores.add_rater(
        PACK_CROWD,
        pack.faces()
            .iter()
            .filter_map(|f| Some((f.id.as_str(), f.crowd?))),
    );
    for r in crowd_raters {
        crowd_scores.add_rater(
            r,
            by_rater[r]
                .iter()
                .map(|&(i, level)| (faces.ids[i].as_str(), level)),
        );
    }
    let global = crowd_scores.global_mean();
    // The `crowd` baseline is the plain mean; the game's prior is personal.
    let crowd_mean: Vec<Option<f64>> = faces.ids.iter().map(|id| crowd_scores.mean(id)).collect();
    let use_crowd = opts.crowd;

    let params = NaiveBayesParams::new()
        .check()
        .map_err(|e| BenchError::NoRatings(e.to_string()))?;
    let demographic_names: Vec<String> = DEMOGRAPHIC
        .iter()
        .map(|s| s.to_string())
        .filter(|n| space.attributes().iter().any(|a| &a.name == n))
        .collect();
    let demographic = space.restricted_to(&demographic_names);
    let demo_codes: Vec<Encoded> = pack
        .faces()
        .iter()
        .map(|f| demographic.encode(&f.attributes))
        .collect();
    let sample = |codes: &[Encoded], set: &[(usize, f64)]| -> Vec<(Encoded, Rating)> {
        set.iter()
            .map(|&(i, l)| (codes[i].clone(), level_rating(l)))
            .collect()
    };
    let mut per_rater: BTreeMap<String, Vec<Metrics>> = BTreeMap::new();
    let mut curves = CurveValues::new(opts.train);
    let mut counted = 0usize;
    for rater in evaluated {
        if counted >= opts.raters {
            break;
        }
        let mut rated = by_rater[rater].clone();
        if rated.len() < opts.train + MIN_HELD_OUT {
            continue;
        }
        counted += 1;
        rated.shuffle(&mut rng);
        let (train, test) = rated.split_at(opts.train);
        let test_idx: Vec<usize> = test.iter().map(|(i, _)| *i).collect();
        let truth: Vec<f64> = test.iter().map(|(_, l)| *l).collect();
        let train_samples = sample(&faces.codes, train);
        let test_codes: Vec<Encoded> = test_idx.iter().map(|&i| faces.codes[i].clone()).collect();

        let mut nb = PreferenceModel::fit(space.clone(), &params, &train_samples);
        let naive_bayes: Vec<f64> = test_codes.iter().map(|x| nb.score(x)).collect();
        let nb_sure: Vec<f64> = test_codes.iter().map(|x| nb.confidence(x)).collect();
        let own = fit_blend(&mut nb, faces, None, train);
        let personal: Vec<f64> = naive_bayes
            .iter()
            .zip(&test_idx)
            .map(|(p, &i)| faces.blended(&own, i, *p, None))
            .collect();
        // As the game says it.
        let sure_of = |blend: &Blend, scores: &[f64]| -> Vec<f64> {
            scores.iter().map(|&s| blend.confidence(s)).collect()
        };
        let personal_sure = sure_of(&own, &personal);
        let crowd_test: Vec<f64> = test_idx
            .iter()
            .map(|&i| crowd_mean[i].unwrap_or(global))
            .collect();
        let random: Vec<f64> = test_idx.iter().map(|_| rng.random::<f64>()).collect();
        let similarity = similarity_scores(faces, train, &test_idx);
        let linfa = LinfaBernoulli.fit_score(space, &train_samples, &test_codes);
        let demo = PreferenceModel::fit(demographic.clone(), &params, &sample(&demo_codes, train));
        let demo_scores: Vec<f64> = test_idx
            .iter()
            .map(|&i| demo.score(&demo_codes[i]))
            .collect();

        let mut add_sure = |name: &str, scores: &[f64], sure: Option<&[f64]>| {
            let mut m = metrics(scores, &truth);
            m.brier = sure.map(|p| brier(p, &truth));
            per_rater.entry(name.to_string()).or_default().push(m);
        };
        add_sure("mytype", &personal, Some(&personal_sure));
        add_sure("naive_bayes", &naive_bayes, Some(&nb_sure));
        // Knowing nothing of the faces, the best "% sure" is the share of
        // the training faces the rater liked: the reference for the others.
        let base_rate =
            train.iter().filter(|(_, l)| liked(*l)).count() as f64 / train.len().max(1) as f64;
        add_sure("random", &random, Some(&vec![base_rate; truth.len()]));
        let mut add = |name: &str, scores: &[f64]| add_sure(name, scores, None);
        add("crowd", &crowd_test);
        add("similarity", &similarity);
        add("linfa_bernoulli", &linfa);
        if !demographic_names.is_empty() {
            add("nb_demographic", &demo_scores);
        }
        if use_crowd {
            let crowd = personal_crowd(&crowd_scores, &faces.ids, train, &rated);
            let crowd_test: Vec<f64> = test_idx
                .iter()
                .map(|&i| crowd[i].unwrap_or(global))
                .collect();
            add("crowd_personal", &crowd_test);
            let blend = fit_blend(&mut nb, faces, Some(&crowd), train);
            let blended: Vec<f64> = naive_bayes
                .iter()
                .zip(&test_idx)
                .map(|(p, &i)| faces.blended(&blend, i, *p, crowd[i]))
                .collect();
            let sure = sure_of(&blend, &blended);
            add_sure("mytype_crowd", &blended, Some(&sure));
        }
        if opts.curves {
            curves.add_rater(
                space,
                &params,
                faces,
                use_crowd.then_some(&crowd_scores),
                &rated,
                &mut rng,
            );
        }
    }
    Ok(BenchReport {
        raters: counted,
        train: opts.train,
        repeats: 1,
        models: per_rater
            .iter()
            .map(|(name, all)| (name.clone(), Metrics::mean(all)))
            .collect(),
        comparisons: comparisons(&per_rater),
        per_rater,
        learning_curves: curves.finish(),
    })
}

/// The declared attributes of the `nb_demographic` baseline.
const DEMOGRAPHIC: [&str; 3] = ["sex", "ethnicity", "age"];
/// Faces held out of the learning curves' question pool.
const CURVE_TEST_FACES: usize = 20;
/// Held-out faces a rater needs beyond the training ones to be evaluated.
const MIN_HELD_OUT: usize = 20;
/// Numbers of ratings the learning curves are read at (those ≤ `--train`).
const CURVE_POINTS: [usize; 5] = [10, 20, 25, 30, 50];
/// The issue's goal: adaptive order after this many ratings at least as
/// good as random order after the most.
pub const GOAL_ADAPTIVE_AFTER: usize = 25;

fn level_rating(level: f64) -> Rating {
    Rating::from_value(level as u8).unwrap_or(Rating::Normal)
}

/// Crowd scores for one player who rated `seen` (see
/// [`crate::model::crowd::PersonalCrowd::score`]), for the faces in `wanted`
/// (`None` elsewhere and for faces the crowd did not rate).
fn personal_crowd(
    crowd: &CrowdScores,
    ids: &[String],
    seen: &[(usize, f64)],
    wanted: &[(usize, f64)],
) -> Vec<Option<f64>> {
    let neighbours = crowd.neighbours(seen.iter().map(|&(i, l)| (ids[i].as_str(), l)));
    let crowd = crowd.personal(&neighbours);
    let mut out = vec![None; ids.len()];
    for &(i, _) in wanted {
        out[i] = crowd.score(&ids[i]);
    }
    out
}

/// The blend learnt from `seen` (the model must have learnt them), with the
/// player's crowd scores if given.
fn fit_blend(
    model: &mut PreferenceModel,
    faces: &Faces,
    crowd: Option<&[Option<f64>]>,
    seen: &[(usize, f64)],
) -> Blend {
    let rated: Vec<(Face, Rating)> = seen
        .iter()
        .map(|&(i, l)| {
            let face = Face {
                code: &faces.codes[i],
                crowd: crowd.and_then(|c| c[i]),
                appeal: faces.appeal[i],
                descriptor: faces.descriptors[i].as_deref(),
            };
            (face, level_rating(l))
        })
        .collect();
    Blend::fit(model, &rated, crowd.is_some())
}

/// Learning curves: reveal_percentile after n ratings asked in adaptive or
/// random order. Per rater, [`CURVE_TEST_FACES`] rated faces are held out as
/// the reveal's candidates; the questions come from the others.
struct CurveValues {
    points: Vec<usize>,
    /// Per curve, per point, each rater's reveal percentile.
    per_rater: BTreeMap<String, Vec<Vec<f64>>>,
    raters: usize,
}

impl CurveValues {
    fn new(train: usize) -> CurveValues {
        CurveValues {
            points: CURVE_POINTS
                .iter()
                .copied()
                .filter(|&p| p <= train)
                .collect(),
            per_rater: BTreeMap::new(),
            raters: 0,
        }
    }

    /// `crowd`: score `mytype_crowd` too, with this crowd.
    fn add_rater(
        &mut self,
        space: &FeatureSpace,
        params: &ValidParams,
        faces: &Faces,
        crowd_scores: Option<&CrowdScores>,
        rated: &[(usize, f64)],
        rng: &mut ChaCha8Rng,
    ) {
        let codes = &faces.codes;
        let Some(&last) = self.points.last() else {
            return;
        };
        if rated.len() < last + CURVE_TEST_FACES {
            return;
        }
        self.raters += 1;
        let (test, pool) = rated.split_at(CURVE_TEST_FACES);
        let truth: Vec<f64> = test.iter().map(|t| t.1).collect();
        let models: &[bool] = if crowd_scores.is_some() {
            &[false, true]
        } else {
            &[false]
        };
        for &with_crowd in models {
            for adaptive in [false, true] {
                let name = format!(
                    "{}/{}",
                    if with_crowd { "mytype_crowd" } else { "mytype" },
                    if adaptive { "adaptive" } else { "random" }
                );
                let mut model = PreferenceModel::new(space.clone(), params);
                let mut open: Vec<(usize, f64)> = pool.to_vec();
                let mut seen: Vec<(usize, f64)> = Vec::new();
                let mut blend = if with_crowd {
                    Blend::CROWD
                } else {
                    Blend::PERSONAL
                };
                // The player's crowd scores, redone as their neighbours change.
                let mut crowd: Vec<Option<f64>> = match crowd_scores {
                    Some(c) if with_crowd => personal_crowd(c, &faces.ids, &[], rated),
                    _ => vec![None; codes.len()],
                };
                let values = self
                    .per_rater
                    .entry(name)
                    .or_insert_with(|| vec![Vec::new(); self.points.len()]);
                for step in 1..=last {
                    let choice = |&(i, _): &(usize, f64)| Face {
                        code: &codes[i],
                        crowd: crowd[i],
                        appeal: faces.appeal[i],
                        descriptor: faces.descriptors[i].as_deref(),
                    };
                    let candidates: Vec<Face> = test.iter().map(choice).collect();
                    let pick = if adaptive {
                        let questions: Vec<Face> = open.iter().map(choice).collect();
                        let rated: Vec<Face> = seen.iter().map(choice).collect();
                        next_question(
                            &model,
                            &blend,
                            &questions,
                            &candidates,
                            &|_, _| false,
                            &rated,
                        )
                        .unwrap_or(0)
                    } else {
                        rng.random_range(0..open.len())
                    };
                    let (face, level) = open.swap_remove(pick);
                    model.update(&codes[face], level_rating(level));
                    seen.push((face, level));
                    blend = match crowd_scores.filter(|_| with_crowd) {
                        Some(c) => {
                            crowd = personal_crowd(c, &faces.ids, &seen, rated);
                            fit_blend(&mut model, faces, Some(&crowd), &seen)
                        }
                        None => fit_blend(&mut model, faces, None, &seen),
                    };
                    if let Some(k) = self.points.iter().position(|&p| p == step) {
                        let scores: Vec<f64> = test
                            .iter()
                            .map(|&(i, _)| {
                                faces.blended(&blend, i, model.score(&codes[i]), crowd[i])
                            })
                            .collect();
                        values[k].push(metrics(&scores, &truth).reveal_percentile);
                    }
                }
            }
        }
    }

    fn finish(self) -> Option<LearningCurves> {
        if self.raters == 0 {
            return None;
        }
        let mut out = BTreeMap::new();
        for (name, values) in &self.per_rater {
            let curve = self
                .points
                .iter()
                .zip(values)
                .map(|(p, v)| (p.to_string(), v.iter().sum::<f64>() / v.len().max(1) as f64))
                .collect();
            out.insert(name.clone(), curve);
        }
        Some(LearningCurves {
            raters: self.raters,
            test_faces: CURVE_TEST_FACES,
            curves: out,
            goal: LearningCurves::goal_of(&self.per_rater),
            per_rater: self.per_rater,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_map_to_five_levels() {
        assert_eq!(to_level(1.0, 1.0, 10.0), Rating::VeryWeak);
        assert_eq!(to_level(10.0, 1.0, 10.0), Rating::Type);
        assert_eq!(to_level(5.5, 1.0, 10.0), Rating::Normal);
        assert_eq!(to_level(4.0, 1.0, 7.0), Rating::Normal);
        assert_eq!(to_level(7.0, 1.0, 7.0), Rating::Type);
        assert_eq!(to_level(3.0, 3.0, 3.0), Rating::Normal);
    }

    #[test]
    fn missing_ratings_are_skipped_and_other_words_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(
            &path,
            "rater,face,rating\na,f1,3\na,f2,NA\nb,f1, nan \nb,f2,null\nb,f3,N/A\nc,f1,None\nc,f2,7\n",
        )
        .unwrap();
        let file = read_ratings_file(&path).unwrap();
        assert_eq!(file.missing_lines, [3, 4, 5, 6, 7]);
        let values: Vec<f64> = file.ratings.iter().map(|r| r.value).collect();
        assert_eq!(values, [3.0, 7.0]);
        for bad in ["inf", "high", "3 stars"] {
            std::fs::write(&path, format!("rater,face,rating\na,f1,{bad}\n")).unwrap();
            assert!(read_ratings_file(&path).is_err(), "{bad}");
        }
    }

    /// A drawn pack of `models` faces to rate, in a folder kept while it lives.
    fn drawn_pack(models: usize) -> (tempfile::TempDir, Pack) {
        let dir = tempfile::tempdir().unwrap();
        let opts = crate::pack::generate::GenerateOptions {
            models,
            celebrities: 0,
            ..Default::default()
        };
        crate::pack::generate::generate_pack(dir.path(), &opts).unwrap();
        let pack = Pack::load(dir.path()).unwrap();
        (dir, pack)
    }

    #[test]
    fn a_face_rated_twice_counts_once_at_the_mean() {
        let (_dir, pack) = drawn_pack(10);
        let ids: Vec<&str> = pack.faces().iter().map(|f| f.id.as_str()).collect();
        let raw = |rater: &str, face: &str, value: f64| RawRating {
            rater: rater.into(),
            face: face.into(),
            value,
        };
        let ratings = [
            raw("a", ids[0], 1.0),
            raw("a", ids[1], 10.0),
            raw("a", ids[0], 5.5),
            raw("a", "not-in-the-pack", 4.0),
            raw("b", ids[0], 10.0),
            raw("a", ids[2], 4.0),
        ];
        let by = ratings_by_rater(&pack, &ratings).unwrap();
        assert_eq!(
            by["a"],
            [
                (0, Rating::SlightlyWeak),
                (1, Rating::Type),
                (2, Rating::SlightlyWeak)
            ],
            "face 0 once, at (1 + 5.5) / 2 on the 1-10 scale"
        );
        assert_eq!(by["b"], [(0, Rating::Type)]);
    }

    #[test]
    fn a_face_is_found_by_the_file_stem_or_name_it_was_built_from() {
        let (dir, _) = drawn_pack(10);
        // `pack build` made "Ann Smith(1).jpg" the id `Ann_Smith_1_`.
        let manifest = dir.path().join("pack.ron");
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(
            &manifest,
            text.replacen("id: \"m001\"", "id: \"Ann_Smith_1_\"", 1),
        )
        .unwrap();
        let pack = Pack::load(dir.path()).unwrap();
        let at = pack
            .faces()
            .iter()
            .position(|f| f.id == "Ann_Smith_1_")
            .unwrap();
        let rating = |face: &str, value: f64| RawRating {
            rater: "r".into(),
            face: face.into(),
            value,
        };
        let ratings = [
            rating("Ann Smith(1)", 5.0),
            rating(&pack.faces()[(at + 1) % 10].id, 1.0),
        ];
        let by = ratings_by_rater(&pack, &ratings).unwrap();
        assert_eq!(by["r"][0], (at, Rating::Type));
        let by_name = [
            rating("Ann Smith(1).jpg", 5.0),
            rating(&format!("{}.png", pack.faces()[(at + 1) % 10].id), 1.0),
            rating("nobody.jpg", 3.0),
        ];
        let by = ratings_by_rater(&pack, &by_name).unwrap();
        assert_eq!(
            by["r"],
            [(at, Rating::Type), ((at + 1) % 10, Rating::VeryWeak)]
        );
    }

    #[test]
    fn too_few_ratings_for_the_training_size_is_an_error_with_a_hint() {
        let (_dir, pack) = drawn_pack(30);
        let ratings: Vec<RawRating> = (0..4)
            .flat_map(|rater| {
                pack.faces().iter().map(move |f| RawRating {
                    rater: format!("r{rater}"),
                    face: f.id.clone(),
                    value: f64::from(rater + 1),
                })
            })
            .collect();
        let bench = |train| {
            let opts = BenchOptions {
                train,
                raters: 10,
                seed: 1,
                crowd: true,
                curves: true,
            };
            run_repeated(&pack, &ratings, &opts, 1)
        };
        let err = bench(50).unwrap_err().to_string();
        assert!(err.contains("no rater has the 70 ratings"), "{err}");
        assert!(
            err.ends_with("the most any rater has is 30: try --train 10"),
            "{err}"
        );
        assert_eq!(bench(10).unwrap().raters, 2);
    }

    #[test]
    fn the_goal_pairs_adaptive_after_25_with_random_at_the_last_point() {
        // Points 10, 20, 25, 30, 50; two raters.
        let curve = |at_25: [f64; 2], at_50: [f64; 2]| {
            vec![
                vec![0.0; 2],
                vec![0.0; 2],
                at_25.to_vec(),
                vec![0.0; 2],
                at_50.to_vec(),
            ]
        };
        let mut per_rater = BTreeMap::new();
        per_rater.insert("mytype/adaptive".to_string(), curve([0.8, 0.6], [0.9, 0.9]));
        per_rater.insert("mytype/random".to_string(), curve([0.1, 0.1], [0.7, 0.7]));
        let goal = LearningCurves::goal_of(&per_rater);
        assert_eq!(goal.keys().collect::<Vec<_>>(), ["mytype"]);
        // Differences +0.1 and −0.1: mean 0, standard error 0.1.
        assert!(goal["mytype"].difference.abs() < 1e-12);
        assert!((goal["mytype"].standard_error - 0.1).abs() < 1e-12);
        // Curves that stop at 25 (train 25) have no goal to read.
        for v in per_rater.values_mut() {
            v.truncate(3);
        }
        assert!(LearningCurves::goal_of(&per_rater).is_empty());
    }

    #[test]
    fn comparisons_pair_the_same_raters() {
        let m = |spearman: f64, reveal_percentile: f64| Metrics {
            spearman,
            reveal_percentile,
            top5_hit: 0.0,
            brier: None,
        };
        let mut per_rater = BTreeMap::new();
        per_rater.insert(
            "mytype".to_string(),
            vec![m(0.5, 0.9), m(0.3, 0.4), m(0.1, 0.8)],
        );
        per_rater.insert(
            "similarity".to_string(),
            vec![m(0.4, 0.7), m(0.2, 0.3), m(0.0, 0.6)],
        );
        per_rater.insert("crowd".to_string(), vec![m(0.9, 0.9); 3]);
        let c = comparisons(&per_rater);
        // Only pairs whose two models were scored; mytype_crowd was not.
        assert_eq!(c.keys().collect::<Vec<_>>(), ["mytype - similarity"]);
        let d = &c["mytype - similarity"];
        assert_eq!(d.pairs, 3);
        // Spearman differences are all 0.1: no spread, no error.
        assert!((d.spearman.difference - 0.1).abs() < 1e-12);
        assert!(d.spearman.standard_error < 1e-12);
        // Reveal differences 0.2, 0.1, 0.2: mean 1/6, sd √(1/300), se sd/√3.
        assert!((d.reveal_percentile.difference - 1.0 / 6.0).abs() < 1e-12);
        let se = (1.0f64 / 300.0).sqrt() / 3f64.sqrt();
        assert!((d.reveal_percentile.standard_error - se).abs() < 1e-12);
    }

    #[test]
    fn metrics_of_a_perfect_and_a_reversed_model() {
        let truth = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0];
        let perfect = metrics(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &truth);
        assert!((perfect.spearman - 0.986).abs() < 0.01);
        // Pick (truth 5) beats 4 of the 5 others and ties one: (4 + 0.5)/5.
        assert!((perfect.reveal_percentile - 0.9).abs() < 1e-12);
        assert_eq!(perfect.top5_hit, 1.0);
        let reversed = metrics(&[6.0, 5.0, 4.0, 3.0, 2.0, 1.0], &truth);
        assert_eq!(reversed.reveal_percentile, 0.0);
        assert!(reversed.spearman < -0.9);
    }

    #[test]
    fn the_brier_score_counts_slightly_like_and_type_as_liked() {
        let truth = [1.0, 3.0, 4.0, 5.0];
        assert_eq!(brier(&[0.0, 0.0, 1.0, 1.0], &truth), 0.0);
        assert_eq!(brier(&[1.0, 1.0, 0.0, 0.0], &truth), 1.0);
        assert_eq!(brier(&[0.5; 4], &truth), 0.25);
        assert_eq!(metrics(&[1.0, 2.0, 3.0, 4.0], &truth).brier, None);
    }
}
