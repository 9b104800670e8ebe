//! Appeal: how attractive a crowd would find a face, guessed from its
//! measurements, its shading and the face network's reading of it, for
//! photo packs.
//!
//! The personal model learns a player's taste from a few dozen ratings, and
//! most of what people find attractive is shared between them. Appeal gives
//! it that shared part without any rating of the pack: a linear model of
//! [`FEATURES`] (the face's measurements that are not colours, and landmark
//! proportions), of [`GRADIENTS`] (histograms of oriented gradients of a
//! small grey copy of the face, see [`gradients`]), of the 128 numbers
//! of the face network's descriptor ([`crate::vision::face_net`]) and of
//! [`ACTIVATIONS`] numbers pooled from inside that network
//! ([`crate::vision::face_net::Reading`]), fitted by ridge
//! regression to the One Million Impressions
//! crowd's "attractive" means (`../shared/data/omi`, 1004 synthetic faces)
//! and the rating sets' face means (see `lab/src/bin/appeal_fit.rs`, which
//! writes `assets/appeal.weights`). Skin
//! tone and hair colour are left out on purpose: a player's taste in those is
//! theirs to show, not a crowd's to impose. How much appeal counts for a player is
//! learnt from their own ratings (the blend of the `model` layer, which sits
//! above this one: `model::blend::Blend`).
//!
//! Measured on MEBeauty and 3dsk with fits that leave each out
//! (docs/model.md, *Appeal*).

pub mod gradients;

use crate::math::points::{centroid as centre, dist as distance};
use crate::vision::face_net::{FaceNet, Reading, ACTIVATIONS, DESCRIPTOR};
use crate::vision::measure::Measurements;
use crate::vision::weights;
pub use gradients::GRADIENTS;
use image::RgbImage;

/// Number of inputs.
pub const FEATURES: usize = 31;

/// The inputs, in order: measurements, then landmark distances in
/// inter-ocular distances (IOD).
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "hair_top",
    "skin_top",
    "hair_side",
    "hair_below",
    "mouth_lift",
    "mouth_width",
    "mouth_open",
    "teeth",
    "eye_area",
    "brow_thickness",
    "lip_ratio",
    "face_aspect",
    "jaw_ratio",
    "beard",
    "moustache",
    "glasses",
    "nose_width",
    "skin_texture",
    "lip_redness",
    "eyes_to_chin",
    "jaw_span",
    "lower_jaw_span",
    "nose_length",
    "nostril_span",
    "mouth_span",
    "lips_height",
    "eye_width",
    "eye_height",
    "brow_height",
    "chin_height",
    "philtrum",
];

/// A linear model on standardised inputs: missing measurements take
/// `fill`, each input becomes `(x − mean) / sd` clamped to ±[`CLAMP`], and
/// the appeal is `intercept + Σ weight · z` over both kinds of input
/// (missing gradients count as the mean face's, z = 0).
#[derive(Debug, Clone, PartialEq)]
pub struct AppealModel {
    pub intercept: f64,
    pub fill: [f64; FEATURES],
    pub mean: [f64; FEATURES],
    pub sd: [f64; FEATURES],
    pub weight: [f64; FEATURES],
    pub gradient_mean: [f64; GRADIENTS],
    pub gradient_sd: [f64; GRADIENTS],
    pub gradient_weight: [f64; GRADIENTS],
    pub descriptor_mean: [f64; DESCRIPTOR],
    pub descriptor_sd: [f64; DESCRIPTOR],
    pub descriptor_weight: [f64; DESCRIPTOR],
    pub activation_mean: [f64; ACTIVATIONS],
    pub activation_sd: [f64; ACTIVATIONS],
    pub activation_weight: [f64; ACTIVATIONS],
}

/// What the model reads of one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// In [`FEATURE_NAMES`] order; `None` where a measurement is missing.
    pub measures: [Option<f64>; FEATURES],
    /// See [`gradients`]; `None` when they could not be taken.
    pub gradients: Option<[f64; GRADIENTS]>,
    /// The face network's descriptor ([`crate::vision::face_net`]); `None` when it
    /// could not be taken.
    pub descriptor: Option<[f64; DESCRIPTOR]>,
    /// The face network's activations ([`crate::vision::face_net::Reading`]);
    /// `None` when they could not be taken.
    pub activations: Option<Box<[f64; ACTIVATIONS]>>,
}

/// Ridge penalties of a fit, on standardised inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalties {
    pub measures: f64,
    pub gradients: f64,
    pub descriptor: f64,
    pub activations: f64,
}

/// Standardised inputs are clamped to this many spreads, so one odd
/// measurement (a misfitted landmark) cannot dominate.
pub const CLAMP: f64 = 4.0;

/// The ridge penalties of the fit for as many faces as OMI's 1004 (see
/// [`Penalties::for_faces`]), chosen by how well a fit ranks faces of a set
/// it did not see (`lab`'s `appeal_fit` prints the grid). The gradients'
/// is ten times the measurements': there are 576 of them, each weak and
/// many alike. The activations carry what the descriptor does and more,
/// so the descriptor's is heavier than theirs.
pub const FIT_PENALTIES: Penalties = Penalties {
    measures: 300.0,
    gradients: 3000.0,
    descriptor: 1000.0,
    activations: 2000.0,
};

/// The number of faces [`FIT_PENALTIES`] are set for.
const PENALTY_FACES: f64 = 1004.0;

impl Penalties {
    /// These penalties for a fit on `faces` faces: in proportion, so the
    /// penalty weighs the same against the mean squared error whatever the
    /// number of faces.
    pub fn for_faces(self, faces: usize) -> Penalties {
        let k = faces as f64 / PENALTY_FACES;
        Penalties {
            measures: self.measures * k,
            gradients: self.gradients * k,
            descriptor: self.descriptor * k,
            activations: self.activations * k,
        }
    }
}

/// The inputs of one face: `m` measured with `landmarks` (68 points, in
/// pixels of the same image). `None` where a measurement is missing.
pub fn features(m: &Measurements, landmarks: &[(f64, f64)]) -> Option<[Option<f64>; FEATURES]> {
    if landmarks.len() != 68 {
        return None;
    }
    let p = landmarks;
    let (left_eye, right_eye) = (centre(&p[36..42]), centre(&p[42..48]));
    let iod = distance(left_eye, right_eye);
    if !iod.is_finite() || iod <= 1e-9 {
        return None;
    }
    let eyes = (
        (left_eye.0 + right_eye.0) / 2.0,
        (left_eye.1 + right_eye.1) / 2.0,
    );
    let d = |a: usize, b: usize| distance(p[a], p[b]) / iod;
    let values = [
        Some(m.hair_top),
        Some(m.skin_top),
        Some(m.hair_side),
        Some(m.hair_below),
        Some(m.mouth_lift),
        Some(m.mouth_width),
        Some(m.mouth_open),
        Some(m.teeth),
        Some(m.eye_area),
        Some(m.brow_thickness),
        Some(m.lip_ratio),
        Some(m.face_aspect),
        Some(m.jaw_ratio),
        Some(m.beard),
        Some(m.moustache),
        Some(m.glasses),
        Some(m.nose_width),
        m.skin_texture,
        m.lip_redness,
        Some(distance(p[8], eyes) / iod),
        Some(d(0, 16)),
        Some(d(4, 12)),
        Some(d(27, 33)),
        Some(d(31, 35)),
        Some(d(48, 54)),
        Some(d(51, 57)),
        Some((d(36, 39) + d(42, 45)) / 2.0),
        Some((d(37, 41) + d(44, 46)) / 2.0),
        Some((d(19, 37) + d(24, 44)) / 2.0),
        Some(d(8, 57)),
        Some(d(33, 51)),
    ];
    Some(values.map(|v| v.filter(|x| x.is_finite())))
}

/// The mean and spread of a column; a constant input says nothing, and a
/// spread of 1 keeps it harmless.
fn mean_sd(column: &[f64]) -> (f64, f64) {
    let n = column.len() as f64;
    let mean = column.iter().sum::<f64>() / n;
    let var = column.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, if var > 1e-18 { var.sqrt() } else { 1.0 })
}

fn standardised(x: f64, mean: f64, sd: f64) -> f64 {
    ((x - mean) / sd).clamp(-CLAMP, CLAMP)
}

impl AppealModel {
    /// The appeal of a face with these inputs (on the crowd's 0-100 scale).
    pub fn score(&self, inputs: &Inputs) -> f64 {
        let mut total = self.intercept;
        for (j, value) in inputs.measures.iter().enumerate() {
            let x = value.unwrap_or(self.fill[j]);
            total += self.weight[j] * standardised(x, self.mean[j], self.sd[j]);
        }
        total += block_score(
            inputs.gradients.as_ref(),
            &self.gradient_mean,
            &self.gradient_sd,
            &self.gradient_weight,
        );
        total += block_score(
            inputs.descriptor.as_ref(),
            &self.descriptor_mean,
            &self.descriptor_sd,
            &self.descriptor_weight,
        );
        total += block_score(
            inputs.activations.as_deref(),
            &self.activation_mean,
            &self.activation_sd,
            &self.activation_weight,
        );
        total
    }

    /// Fits the model to faces' inputs and crowd means by ridge regression
    /// with [`FIT_PENALTIES`] (for this many faces). `None` with fewer than two faces.
    pub fn fit(rows: &[Inputs], targets: &[f64]) -> Option<AppealModel> {
        Self::fit_with(rows, targets, FIT_PENALTIES.for_faces(rows.len()))
    }

    /// [`AppealModel::fit`] with other penalties.
    pub fn fit_with(rows: &[Inputs], targets: &[f64], penalties: Penalties) -> Option<AppealModel> {
        if rows.len() < 2 || rows.len() != targets.len() {
            return None;
        }
        let mut fill = [0.0; FEATURES];
        let mut mean = [0.0; FEATURES];
        let mut sd = [1.0; FEATURES];
        let mut columns: Vec<Vec<f64>> =
            Vec::with_capacity(FEATURES + GRADIENTS + DESCRIPTOR + ACTIVATIONS);
        for j in 0..FEATURES {
            let mut seen: Vec<f64> = rows.iter().filter_map(|r| r.measures[j]).collect();
            seen.sort_by(f64::total_cmp);
            fill[j] = match seen.len() {
                0 => 0.0,
                n if n % 2 == 1 => seen[n / 2],
                n => (seen[n / 2 - 1] + seen[n / 2]) / 2.0,
            };
            let column: Vec<f64> = rows
                .iter()
                .map(|r| r.measures[j].unwrap_or(fill[j]))
                .collect();
            (mean[j], sd[j]) = mean_sd(&column);
            columns.push(
                column
                    .iter()
                    .map(|&x| standardised(x, mean[j], sd[j]))
                    .collect(),
            );
        }
        let (gradient_mean, gradient_sd) =
            block_columns(rows.iter().map(|r| r.gradients.as_ref()), &mut columns);
        let (descriptor_mean, descriptor_sd) =
            block_columns(rows.iter().map(|r| r.descriptor.as_ref()), &mut columns);
        let (activation_mean, activation_sd) =
            block_columns(rows.iter().map(|r| r.activations.as_deref()), &mut columns);
        let mut penalty = vec![penalties.measures; FEATURES];
        penalty.resize(FEATURES + GRADIENTS, penalties.gradients);
        penalty.resize(FEATURES + GRADIENTS + DESCRIPTOR, penalties.descriptor);
        penalty.resize(columns.len(), penalties.activations);
        let w = crate::math::linalg::ridge(&columns, targets, &penalty)?;
        let target_mean = targets.iter().sum::<f64>() / targets.len() as f64;
        let column_means: Vec<f64> = columns
            .iter()
            .map(|c| c.iter().sum::<f64>() / c.len() as f64)
            .collect();
        let intercept = target_mean - w.iter().zip(&column_means).map(|(w, m)| w * m).sum::<f64>();
        let mut weight = [0.0; FEATURES];
        weight.copy_from_slice(&w[..FEATURES]);
        let mut gradient_weight = [0.0; GRADIENTS];
        gradient_weight.copy_from_slice(&w[FEATURES..FEATURES + GRADIENTS]);
        let mut descriptor_weight = [0.0; DESCRIPTOR];
        let activations_start = FEATURES + GRADIENTS + DESCRIPTOR;
        descriptor_weight.copy_from_slice(&w[FEATURES + GRADIENTS..activations_start]);
        let mut activation_weight = [0.0; ACTIVATIONS];
        activation_weight.copy_from_slice(&w[activations_start..]);
        Some(AppealModel {
            intercept,
            fill,
            mean,
            sd,
            weight,
            gradient_mean,
            gradient_sd,
            gradient_weight,
            descriptor_mean,
            descriptor_sd,
            descriptor_weight,
            activation_mean,
            activation_sd,
            activation_weight,
        })
    }

    /// Every number of the model, in the order of its fields.
    fn values(&self) -> Vec<f64> {
        let mut out = vec![self.intercept];
        for block in [
            &self.fill[..],
            &self.mean,
            &self.sd,
            &self.weight,
            &self.gradient_mean,
            &self.gradient_sd,
            &self.gradient_weight,
            &self.descriptor_mean,
            &self.descriptor_sd,
            &self.descriptor_weight,
            &self.activation_mean,
            &self.activation_sd,
            &self.activation_weight,
        ] {
            out.extend_from_slice(block);
        }
        out
    }

    /// The model as a weights file (`assets/appeal.weights`, written by
    /// `lab`'s `appeal_fit`).
    pub fn to_weights(&self) -> Vec<u8> {
        weights::encode(WEIGHTS_NAME, &self.values())
    }

    /// Reads [`Self::to_weights`]'s file.
    pub fn from_weights(bytes: &[u8]) -> Result<AppealModel, weights::WeightsError> {
        let count = 1 + 4 * FEATURES + 3 * (GRADIENTS + DESCRIPTOR + ACTIVATIONS);
        let values = weights::decode(WEIGHTS_NAME, bytes, count)?;
        let mut f = weights::Fields::new(&values);
        Ok(AppealModel {
            intercept: f.scalar(),
            fill: f.array(),
            mean: f.array(),
            sd: f.array(),
            weight: f.array(),
            gradient_mean: f.array(),
            gradient_sd: f.array(),
            gradient_weight: f.array(),
            descriptor_mean: f.array(),
            descriptor_sd: f.array(),
            descriptor_weight: f.array(),
            activation_mean: f.array(),
            activation_sd: f.array(),
            activation_weight: f.array(),
        })
    }
}

/// The fitted appeal model, read once from `assets/appeal.weights`.
pub static MODEL: std::sync::LazyLock<AppealModel> = std::sync::LazyLock::new(|| {
    AppealModel::from_weights(include_bytes!("../../../assets/appeal.weights"))
        .expect("the bundled weights file matches the model's shape (tested)")
});

/// The name in the header of appeal's weights file.
const WEIGHTS_NAME: &str = "appeal";

/// What the model reads of a face: `m` measured on `img` with `landmarks`
/// (68 points, in pixels of `img`).
pub fn inputs(m: &Measurements, img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<Inputs> {
    Some(Inputs {
        measures: features(m, landmarks)?,
        gradients: gradients::face_gradients(img, landmarks),
        // `measure` has just run the network; a face it could not read
        // would fail again.
        descriptor: m
            .descriptor
            .as_deref()
            .filter(|d| d.len() == DESCRIPTOR)
            .map(|d| std::array::from_fn(|j| f64::from(d[j]))),
        activations: m
            .activations
            .as_deref()
            .filter(|a| a.len() == ACTIVATIONS)
            .map(|a| Box::new(std::array::from_fn(|j| f64::from(a[j])))),
    })
}

/// What the bundled face network reads of a face.
pub fn reading(img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<Reading> {
    FaceNet::bundled().ok()?.read(img, landmarks)
}

/// A dense block of inputs' share of the score: missing counts as the mean
/// face's (z = 0).
fn block_score<const N: usize>(
    values: Option<&[f64; N]>,
    mean: &[f64; N],
    sd: &[f64; N],
    weight: &[f64; N],
) -> f64 {
    values.map_or(0.0, |v| {
        (0..N)
            .map(|j| weight[j] * standardised(v[j], mean[j], sd[j]))
            .sum()
    })
}

/// Standardises a dense block of inputs over the faces that have it,
/// pushing one column per input (0 where a face lacks the block); returns
/// the block's means and spreads.
fn block_columns<'a, const N: usize>(
    values: impl Iterator<Item = Option<&'a [f64; N]>>,
    columns: &mut Vec<Vec<f64>>,
) -> ([f64; N], [f64; N]) {
    let values: Vec<Option<&[f64; N]>> = values.collect();
    let present: Vec<&[f64; N]> = values.iter().flatten().copied().collect();
    let mut mean = [0.0; N];
    let mut sd = [1.0; N];
    for j in 0..N {
        if !present.is_empty() {
            let seen: Vec<f64> = present.iter().map(|v| v[j]).collect();
            (mean[j], sd[j]) = mean_sd(&seen);
        }
        columns.push(
            values
                .iter()
                .map(|v| v.map_or(0.0, |v| standardised(v[j], mean[j], sd[j])))
                .collect(),
        );
    }
    (mean, sd)
}

/// The appeal of a face, with the built-in model.
pub fn appeal(m: &Measurements, img: &RgbImage, landmarks: &[(f64, f64)]) -> Option<f64> {
    inputs(m, img, landmarks).map(|i| MODEL.score(&i))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIGHT: Penalties = Penalties {
        measures: 1.0,
        gradients: 1.0,
        descriptor: 1.0,
        activations: 1.0,
    };

    fn rows(n: usize) -> Vec<Inputs> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        (0..n)
            .map(|_| Inputs {
                measures: std::array::from_fn(|_| Some(rng.random_range(0.0..10.0))),
                gradients: Some(std::array::from_fn(|_| rng.random_range(0.0..1.0))),
                descriptor: Some(std::array::from_fn(|_| rng.random_range(-0.2..0.2))),
                // Most activations held level, so the test fits quickly:
                // a column that never varies drops out of the fit.
                activations: Some(Box::new(std::array::from_fn(|j| {
                    if j % 100 == 0 {
                        rng.random_range(0.0..2.0)
                    } else {
                        1.0
                    }
                }))),
            })
            .collect()
    }

    fn measure(r: &Inputs, j: usize) -> f64 {
        r.measures[j].unwrap()
    }

    #[test]
    fn a_fit_follows_the_inputs_that_drive_the_target() {
        let rows = rows(800);
        // The target rises with measure 0 and gradient 10, falls with
        // measure 5.
        let targets: Vec<f64> = rows
            .iter()
            .map(|r| {
                50.0 + 3.0 * measure(r, 0) - 2.0 * measure(r, 5) + 20.0 * r.gradients.unwrap()[10]
                    - 50.0 * r.descriptor.unwrap()[7]
                    + 10.0 * r.activations.as_ref().unwrap()[1000]
            })
            .collect();
        let model = AppealModel::fit_with(&rows, &targets, LIGHT).unwrap();
        assert!(
            model.weight[0] > 5.0 && model.weight[5] < -3.0,
            "{:?}",
            model.weight
        );
        assert!(
            model.gradient_weight[10] > 3.0,
            "{}",
            model.gradient_weight[10]
        );
        assert!(
            model.descriptor_weight[7] < -3.0,
            "{}",
            model.descriptor_weight[7]
        );
        assert!(
            model.activation_weight[1000] > 3.0,
            "{}",
            model.activation_weight[1000]
        );
        let biggest_other = (0..FEATURES)
            .filter(|&j| j != 0 && j != 5)
            .map(|j| model.weight[j].abs())
            .chain(
                (0..GRADIENTS)
                    .filter(|&j| j != 10)
                    .map(|j| model.gradient_weight[j].abs()),
            )
            .chain(
                (0..DESCRIPTOR)
                    .filter(|&j| j != 7)
                    .map(|j| model.descriptor_weight[j].abs()),
            )
            .chain(
                (0..ACTIVATIONS)
                    .filter(|&j| j != 1000)
                    .map(|j| model.activation_weight[j].abs()),
            )
            .fold(0.0, f64::max);
        assert!(biggest_other < 1.0, "{biggest_other}");
        // Scores rank faces as the target does, and with the game's heavier
        // penalties still closely.
        let scores: Vec<f64> = rows.iter().map(|r| model.score(r)).collect();
        assert!(crate::math::stats::spearman(&scores, &targets) > 0.99);
        let shrunk = AppealModel::fit(&rows, &targets).unwrap();
        let scores: Vec<f64> = rows.iter().map(|r| shrunk.score(r)).collect();
        assert!(crate::math::stats::spearman(&scores, &targets) > 0.9);
        // A missing measurement counts as the median face's, missing
        // gradients as the mean face's.
        let mut missing = rows[0].clone();
        missing.measures[0] = None;
        let mut median = rows[0].clone();
        median.measures[0] = Some(model.fill[0]);
        assert_eq!(model.score(&missing), model.score(&median));
        let mut no_gradients = rows[0].clone();
        no_gradients.gradients = None;
        let mut mean_gradients = rows[0].clone();
        mean_gradients.gradients = Some(model.gradient_mean);
        assert!((model.score(&no_gradients) - model.score(&mean_gradients)).abs() < 1e-9);
        let mut no_activations = rows[0].clone();
        no_activations.activations = None;
        let mut mean_activations = rows[0].clone();
        mean_activations.activations = Some(Box::new(model.activation_mean));
        assert!((model.score(&no_activations) - model.score(&mean_activations)).abs() < 1e-9);
    }

    #[test]
    fn penalties_grow_with_the_faces_fitted() {
        let twice = FIT_PENALTIES.for_faces(2008);
        assert_eq!(twice.measures, 2.0 * FIT_PENALTIES.measures);
        assert_eq!(twice.gradients, 2.0 * FIT_PENALTIES.gradients);
        assert_eq!(FIT_PENALTIES.for_faces(1004), FIT_PENALTIES);
    }

    #[test]
    fn an_outlying_input_is_clamped() {
        let mut r = Inputs {
            measures: [Some(0.0); FEATURES],
            gradients: Some([0.5; GRADIENTS]),
            descriptor: Some([0.0; DESCRIPTOR]),
            activations: None,
        };
        let base = MODEL.score(&r);
        r.measures[0] = Some(1e9);
        let far = MODEL.score(&r);
        r.measures[0] = Some(MODEL.mean[0] + CLAMP * MODEL.sd[0]);
        assert!((far - MODEL.score(&r)).abs() < 1e-9, "{base} {far}");
    }

    #[test]
    fn the_written_model_reads_back_the_same() {
        let rows = rows(50);
        let targets: Vec<f64> = rows.iter().map(|r| measure(r, 3)).collect();
        let model = AppealModel::fit(&rows, &targets).unwrap();
        let bytes = model.to_weights();
        // Every number is written in full precision.
        assert_eq!(AppealModel::from_weights(&bytes).unwrap(), model);
        assert!(AppealModel::from_weights(&bytes[..bytes.len() - 8]).is_err());
    }
}
