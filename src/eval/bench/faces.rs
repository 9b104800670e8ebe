//! What the models read of each face of the pack, decoded once per bench:
//! attribute codes, appeal, descriptors, and thumbnails for the similarity
//! baseline.

use crate::model::blend::Blend;
use crate::model::looks::{AppealScores, Descriptors};
use crate::model::{Encoded, FeatureSpace};
use crate::pack::Pack;

/// Per-face data the models need.
pub(super) struct Faces {
    pub(super) ids: Vec<String>,
    pub(super) codes: Vec<Encoded>,
    pub(super) thumbs: Vec<Vec<f32>>,
    /// Appeal in spreads from the pack's mean ([`AppealScores`]).
    pub(super) appeal: Vec<Option<f64>>,
    /// Standardised face network descriptors ([`Descriptors`]).
    pub(super) descriptors: Vec<Option<Vec<f64>>>,
}

impl Faces {
    /// The blend's score of face `i` with this personal and crowd score.
    pub(super) fn blended(
        &self,
        blend: &Blend,
        i: usize,
        personal: f64,
        crowd: Option<f64>,
    ) -> f64 {
        blend.score_with(
            personal,
            crowd,
            self.appeal[i],
            self.descriptors[i].as_deref(),
        )
    }
}

/// Small colour thumbnails (12x12, mean-centred) for the similarity baseline.
pub(super) fn thumbnail(pack: &Pack, id: &str) -> Vec<f32> {
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
pub(super) fn similarity_scores(faces: &Faces, train: &[(usize, f64)], test: &[usize]) -> Vec<f64> {
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

impl Faces {
    /// What the models read of every face of `pack`, encoded in `space`.
    pub(super) fn of_pack(pack: &Pack, space: &FeatureSpace) -> Faces {
        Faces {
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
        }
    }
}
