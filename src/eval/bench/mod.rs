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

mod curves;
mod faces;
mod ratings;
mod report;

pub use ratings::{
    ratings_by_rater, read_ratings, read_ratings_file, to_level, ByRater, RatingsFile, RawRating,
};
pub use report::{
    reveal_percentile, BenchReport, Comparison, Difference, LearningCurves, Metrics, COMPARED,
};

use crate::core::csv_table::CsvError;
use crate::core::rating::Rating;
use crate::eval::simulate::{Learner, LinfaBernoulli};
use crate::model::blend::{Blend, Face};
use crate::model::crowd::{CrowdScores, PACK_CROWD};
use crate::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel, ValidParams};
use crate::pack::Pack;
use curves::CurveValues;
use faces::{similarity_scores, Faces};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use report::{brier, comparisons, liked, metrics};
use std::collections::BTreeMap;

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
    let faces = Faces::of_pack(pack, &space);
    let mut reports = Vec::with_capacity(repeats);
    for k in 0..repeats {
        let o = BenchOptions {
            seed: opts.seed.wrapping_add(k as u64),
            ..opts.clone()
        };
        reports.push(run(pack, &space, &faces, &by_rater, &o)?);
    }
    Ok(BenchReport::average(&reports))
}

/// One run: the raters shuffled by the seed and split into the crowd and
/// the evaluated, each evaluated rater scored on held-out faces.
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
    let models = Models::new(pack, space, faces, by_rater, crowd_raters)?;
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
        models.score_rater(&rated, opts, &mut rng, &mut per_rater);
        if opts.curves {
            curves.add_rater(
                space,
                &models.params,
                faces,
                opts.crowd.then_some(&models.crowd),
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

/// What one run scores each evaluated rater with: the models' settings,
/// the demographic baseline's attributes and the crowd.
struct Models<'a> {
    space: &'a FeatureSpace,
    faces: &'a Faces,
    params: ValidParams,
    /// The `nb_demographic` baseline's attributes ([`DEMOGRAPHIC`] the pack
    /// has), and each face encoded in them.
    demographic: FeatureSpace,
    demographic_names: Vec<String>,
    demo_codes: Vec<Encoded>,
    /// The crowd raters and the pack's crowd scores, if any (see
    /// `CrowdScores`).
    crowd: CrowdScores,
    /// The `crowd` baseline: each face's plain crowd mean.
    crowd_mean: Vec<Option<f64>>,
}

impl<'a> Models<'a> {
    fn new(
        pack: &Pack,
        space: &'a FeatureSpace,
        faces: &'a Faces,
        by_rater: &BTreeMap<&str, Vec<(usize, f64)>>,
        crowd_raters: &[&str],
    ) -> Result<Models<'a>, BenchError> {
        let mut crowd = CrowdScores::new();
        crowd.add_rater(
            PACK_CROWD,
            pack.faces()
                .iter()
                .filter_map(|f| Some((f.id.as_str(), f.crowd?))),
        );
        for r in crowd_raters {
            crowd.add_rater(
                r,
                by_rater[r]
                    .iter()
                    .map(|&(i, level)| (faces.ids[i].as_str(), level)),
            );
        }
        // The `crowd` baseline is the plain mean; the game's prior is personal.
        let crowd_mean: Vec<Option<f64>> = faces.ids.iter().map(|id| crowd.mean(id)).collect();
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
        Ok(Models {
            space,
            faces,
            params,
            demographic,
            demographic_names,
            demo_codes,
            crowd,
            crowd_mean,
        })
    }

    /// Trains every model on the first `opts.train` of a rater's shuffled
    /// ratings and scores them on the rest, into `per_rater`.
    // Long because: every model is trained on the same split and scored on
    // the same held-out faces, one after another, and the list of them is
    // the bench's table of models; split up, the shared split would have
    // to be passed to each.
    fn score_rater(
        &self,
        rated: &[(usize, f64)],
        opts: &BenchOptions,
        rng: &mut ChaCha8Rng,
        per_rater: &mut BTreeMap<String, Vec<Metrics>>,
    ) {
        let (space, faces, params) = (self.space, self.faces, &self.params);
        let global = self.crowd.global_mean();
        let sample = |codes: &[Encoded], set: &[(usize, f64)]| -> Vec<(Encoded, Rating)> {
            set.iter()
                .map(|&(i, l)| (codes[i].clone(), level_rating(l)))
                .collect()
        };
        let (train, test) = rated.split_at(opts.train);
        let test_idx: Vec<usize> = test.iter().map(|(i, _)| *i).collect();
        let truth: Vec<f64> = test.iter().map(|(_, l)| *l).collect();
        let train_samples = sample(&faces.codes, train);
        let test_codes: Vec<Encoded> = test_idx.iter().map(|&i| faces.codes[i].clone()).collect();

        let mut nb = PreferenceModel::fit(space.clone(), params, &train_samples);
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
            .map(|&i| self.crowd_mean[i].unwrap_or(global))
            .collect();
        let random: Vec<f64> = test_idx.iter().map(|_| rng.random::<f64>()).collect();
        let similarity = similarity_scores(faces, train, &test_idx);
        let linfa = LinfaBernoulli.fit_score(space, &train_samples, &test_codes);
        let demo = PreferenceModel::fit(
            self.demographic.clone(),
            params,
            &sample(&self.demo_codes, train),
        );
        let demo_scores: Vec<f64> = test_idx
            .iter()
            .map(|&i| demo.score(&self.demo_codes[i]))
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
        if !self.demographic_names.is_empty() {
            add("nb_demographic", &demo_scores);
        }
        if opts.crowd {
            let crowd = personal_crowd(&self.crowd, &faces.ids, train, rated);
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
    }
}

/// The declared attributes of the `nb_demographic` baseline.
const DEMOGRAPHIC: [&str; 3] = ["sex", "ethnicity", "age"];
/// Faces held out of the learning curves' question pool.
const CURVE_TEST_FACES: usize = 20;
/// Held-out faces a rater needs beyond the training ones to be evaluated.
const MIN_HELD_OUT: usize = 20;
/// Numbers of ratings the learning curves are read at (those ≤ `--train`).
const CURVE_POINTS: [usize; 5] = [10, 20, 25, 30, 50];
/// The goal: adaptive order after this many ratings at least as
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
