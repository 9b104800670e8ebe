//! Appeal: how attractive a crowd would find a face, guessed from its
//! measurements, for photo packs.
//!
//! The personal model learns a player's taste from a few dozen ratings, and
//! most of what people find attractive is shared between them. Appeal gives
//! it that shared part without any rating of the pack: a linear model of
//! [`FEATURES`] (the face's measurements that are not colours, and landmark
//! proportions), fitted by ridge regression to the One Million Impressions
//! crowd's "attractive" means (`../shared/data/omi`, 1004 synthetic faces;
//! see `examples/appeal_fit.rs`, which writes `src/appeal/weights.rs`). Skin
//! tone and hair colour are left out on purpose: a player's taste in those is
//! theirs to show, not a crowd's to impose. How much appeal counts for a player is
//! learnt from their own ratings (see [`crate::model::crowd::Blend`]).
//!
//! Fitted on OMI only and measured on MEBeauty and 3dsk (README, *Appeal*).

mod weights;

use crate::extract::{dist as distance, mean as centre, Measurements};
pub use weights::MODEL;

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

/// A linear model on standardised inputs: missing inputs take `fill`, each
/// input becomes `(x − mean) / sd` clamped to ±[`CLAMP`], and the appeal is
/// `intercept + Σ weight · z`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealModel {
    pub intercept: f64,
    pub fill: [f64; FEATURES],
    pub mean: [f64; FEATURES],
    pub sd: [f64; FEATURES],
    pub weight: [f64; FEATURES],
}

/// Standardised inputs are clamped to this many spreads, so one odd
/// measurement (a misfitted landmark) cannot dominate.
pub const CLAMP: f64 = 4.0;

/// The ridge penalty of the fit, on standardised inputs (chosen among 10,
/// 30, 100, 300 and 1000 on OMI's odd-numbered faces, scored on the even).
pub const FIT_PENALTY: f64 = 100.0;

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

impl AppealModel {
    /// The appeal of a face with these inputs (on the crowd's 0-100 scale).
    pub fn score(&self, features: &[Option<f64>; FEATURES]) -> f64 {
        let mut total = self.intercept;
        for (j, value) in features.iter().enumerate() {
            let x = value.unwrap_or(self.fill[j]);
            let z = ((x - self.mean[j]) / self.sd[j]).clamp(-CLAMP, CLAMP);
            total += self.weight[j] * z;
        }
        total
    }

    /// Fits the model to faces' inputs and crowd means by ridge regression
    /// with [`FIT_PENALTY`]. `None` with fewer than two faces.
    pub fn fit(rows: &[[Option<f64>; FEATURES]], targets: &[f64]) -> Option<AppealModel> {
        if rows.len() < 2 || rows.len() != targets.len() {
            return None;
        }
        let mut fill = [0.0; FEATURES];
        let mut mean = [0.0; FEATURES];
        let mut sd = [1.0; FEATURES];
        let mut columns: Vec<Vec<f64>> = Vec::with_capacity(FEATURES);
        for j in 0..FEATURES {
            let mut seen: Vec<f64> = rows.iter().filter_map(|r| r[j]).collect();
            seen.sort_by(f64::total_cmp);
            fill[j] = match seen.len() {
                0 => 0.0,
                n if n % 2 == 1 => seen[n / 2],
                n => (seen[n / 2 - 1] + seen[n / 2]) / 2.0,
            };
            let column: Vec<f64> = rows.iter().map(|r| r[j].unwrap_or(fill[j])).collect();
            let n = column.len() as f64;
            mean[j] = column.iter().sum::<f64>() / n;
            let var = column.iter().map(|x| (x - mean[j]).powi(2)).sum::<f64>() / n;
            // A constant input says nothing; a spread of 1 keeps it harmless.
            sd[j] = if var > 1e-18 { var.sqrt() } else { 1.0 };
            columns.push(
                column
                    .iter()
                    .map(|x| ((x - mean[j]) / sd[j]).clamp(-CLAMP, CLAMP))
                    .collect(),
            );
        }
        let w = crate::stats::ridge(&columns, targets, &[FIT_PENALTY; FEATURES])?;
        let target_mean = targets.iter().sum::<f64>() / targets.len() as f64;
        let column_means: Vec<f64> = columns
            .iter()
            .map(|c| c.iter().sum::<f64>() / c.len() as f64)
            .collect();
        let intercept = target_mean - w.iter().zip(&column_means).map(|(w, m)| w * m).sum::<f64>();
        let mut weight = [0.0; FEATURES];
        weight.copy_from_slice(&w);
        Some(AppealModel {
            intercept,
            fill,
            mean,
            sd,
            weight,
        })
    }

    /// The model as the Rust source of [`weights`].
    pub fn to_rust(&self) -> String {
        let list = |v: &[f64; FEATURES]| {
            v.iter()
                .map(|x| format!("        {x:e},\n"))
                .collect::<String>()
        };
        format!(
            "//! Written by `cargo run --release --example appeal_fit` (see its docs):\n\
             //! do not edit by hand.\n\n\
             use super::AppealModel;\n\n\
             /// The fitted model; inputs in [`super::FEATURE_NAMES`] order.\n\
             pub const MODEL: AppealModel = AppealModel {{\n    intercept: {:e},\n    \
             fill: [\n{}    ],\n    mean: [\n{}    ],\n    sd: [\n{}    ],\n    \
             weight: [\n{}    ],\n}};\n",
            self.intercept,
            list(&self.fill),
            list(&self.mean),
            list(&self.sd),
            list(&self.weight)
        )
    }
}

/// The appeal of a face, with the built-in model.
pub fn appeal(m: &Measurements, landmarks: &[(f64, f64)]) -> Option<f64> {
    features(m, landmarks).map(|f| MODEL.score(&f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<[Option<f64>; FEATURES]> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        (0..n)
            .map(|_| std::array::from_fn(|_| Some(rng.random_range(0.0..10.0))))
            .collect()
    }

    #[test]
    fn a_fit_follows_the_inputs_that_drive_the_target() {
        let rows = rows(400);
        // The target rises with input 0 and falls with input 5.
        let targets: Vec<f64> = rows
            .iter()
            .map(|r| 50.0 + 3.0 * r[0].unwrap() - 2.0 * r[5].unwrap())
            .collect();
        let model = AppealModel::fit(&rows, &targets).unwrap();
        assert!(
            model.weight[0] > 5.0 && model.weight[5] < -3.0,
            "{:?}",
            model.weight
        );
        let biggest_other = (0..FEATURES)
            .filter(|&j| j != 0 && j != 5)
            .map(|j| model.weight[j].abs())
            .fold(0.0, f64::max);
        assert!(biggest_other < 0.5, "{:?}", model.weight);
        // Scores rank faces as the target does.
        let scores: Vec<f64> = rows.iter().map(|r| model.score(r)).collect();
        assert!(crate::stats::spearman(&scores, &targets) > 0.99);
        // A missing input counts as the median face's.
        let mut missing = rows[0];
        missing[0] = None;
        let mut median = rows[0];
        median[0] = Some(model.fill[0]);
        assert_eq!(model.score(&missing), model.score(&median));
    }

    #[test]
    fn an_outlying_input_is_clamped() {
        let mut r = [Some(0.0); FEATURES];
        let base = MODEL.score(&r);
        r[0] = Some(1e9);
        let far = MODEL.score(&r);
        r[0] = Some(MODEL.mean[0] + CLAMP * MODEL.sd[0]);
        assert!((far - MODEL.score(&r)).abs() < 1e-9, "{base} {far}");
    }

    #[test]
    fn the_written_model_reads_back_the_same() {
        let rows = rows(50);
        let targets: Vec<f64> = rows.iter().map(|r| r[3].unwrap()).collect();
        let model = AppealModel::fit(&rows, &targets).unwrap();
        let text = model.to_rust();
        // Every number is written in full precision.
        for w in model.weight {
            assert!(text.contains(&format!("{w:e}")), "{w}");
        }
        assert!(text.contains("pub const MODEL: AppealModel"));
    }
}
