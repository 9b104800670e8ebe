//! What a face looks like, as the blend reads it: appeal in spreads from the
//! pack's mean ([`AppealScores`]) and the face network's descriptor,
//! standardised ([`Descriptors`]).

use crate::vision::face_net::DESCRIPTOR;
use std::collections::HashMap;

/// Appeal in spreads from the pack's mean, by face id: the blend's appeal
/// predictor. Empty when fewer than two of the pack's faces have an appeal
/// (a drawn pack has none) or they all have the same.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppealScores {
    z: HashMap<String, f64>,
}

impl AppealScores {
    /// From `(face id, appeal)`; values that are not finite are skipped.
    pub fn new<'a>(faces: impl IntoIterator<Item = (&'a str, Option<f64>)>) -> AppealScores {
        let known: Vec<(&str, f64)> = faces
            .into_iter()
            .filter_map(|(id, a)| Some((id, a.filter(|v| v.is_finite())?)))
            .collect();
        let n = known.len() as f64;
        if known.len() < 2 {
            return AppealScores::default();
        }
        let mean = known.iter().map(|t| t.1).sum::<f64>() / n;
        let sd = (known.iter().map(|t| (t.1 - mean).powi(2)).sum::<f64>() / n).sqrt();
        if sd <= 1e-9 {
            return AppealScores::default();
        }
        AppealScores {
            z: known
                .into_iter()
                .map(|(id, a)| (id.to_string(), (a - mean) / sd))
                .collect(),
        }
    }

    /// The face's appeal in spreads from the pack's mean, if it has one.
    pub fn get(&self, face: &str) -> Option<f64> {
        self.z.get(face).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.z.is_empty()
    }
}

/// Each face's descriptor standardised number by number on the appeal
/// model's faces ([`crate::vision::appeal::MODEL`]), so faces of different packs
/// are on one scale.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Descriptors {
    z: HashMap<String, Vec<f64>>,
}

impl Descriptors {
    /// From `(face id, descriptor)`; descriptors of the wrong length or
    /// with numbers that are not finite are skipped.
    pub fn new<'a>(faces: impl IntoIterator<Item = (&'a str, Option<&'a [f32]>)>) -> Descriptors {
        let model = &crate::vision::appeal::MODEL;
        Descriptors {
            z: faces
                .into_iter()
                .filter_map(|(id, d)| {
                    let d =
                        d.filter(|d| d.len() == DESCRIPTOR && d.iter().all(|v| v.is_finite()))?;
                    let z = (0..DESCRIPTOR)
                        .map(|j| {
                            (f64::from(d[j]) - model.descriptor_mean[j])
                                / model.descriptor_sd[j].max(1e-9)
                        })
                        .collect();
                    Some((id.to_string(), z))
                })
                .collect(),
        }
    }

    pub fn get(&self, face: &str) -> Option<&[f64]> {
        self.z.get(face).map(Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.z.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appeal_scores_are_spreads_from_the_packs_mean() {
        let a = AppealScores::new([
            ("a", Some(40.0)),
            ("b", Some(60.0)),
            ("c", None),
            ("d", Some(f64::NAN)),
        ]);
        assert_eq!((a.get("a"), a.get("b")), (Some(-1.0), Some(1.0)));
        assert_eq!((a.get("c"), a.get("d"), a.get("e")), (None, None, None));
        // One face, or faces that all look alike, give nothing to go by.
        assert!(AppealScores::new([("a", Some(40.0))]).is_empty());
        assert!(AppealScores::new([("a", Some(5.0)), ("b", Some(5.0))]).is_empty());
    }
}
