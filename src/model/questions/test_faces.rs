//! Faces for the question-order tests: the mixes a photo pack has.

use crate::core::attributes::AttributeDef;
use crate::model::blend::Face;
use crate::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel};
use crate::vision::face_net::DESCRIPTOR;
use rand::{Rng, SeedableRng};

/// `n` faces with random descriptors (seeded), with and without a crowd
/// score, an appeal or a descriptor, and copies of one face every
/// `copy_every` faces (ties keep the questions' order).
pub(super) struct TestFaces {
    codes: Vec<Encoded>,
    descriptors: Vec<Vec<f64>>,
    copy_every: usize,
}

impl TestFaces {
    pub(super) fn new(seed: u64, n: usize, copy_every: usize) -> Self {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let descriptors = (0..n)
            .map(|_| {
                (0..DESCRIPTOR)
                    .map(|_| rng.random_range(-0.3..0.3))
                    .collect()
            })
            .collect();
        TestFaces {
            codes: (0..2).map(|l| vec![Some(l)]).collect(),
            descriptors,
            copy_every,
        }
    }

    pub(super) fn faces(&self) -> Vec<Face<'_>> {
        let face = |i: usize| {
            let i = if i.is_multiple_of(self.copy_every) {
                2 * self.copy_every
            } else {
                i
            };
            Face {
                code: &self.codes[i % 2],
                crowd: (i % 3 != 0).then_some(1.0 + (i % 5) as f64),
                appeal: (i % 7 != 0).then_some((i % 11) as f64 - 5.0),
                descriptor: (i % 13 != 0).then(|| self.descriptors[i].as_slice()),
            }
        };
        (0..self.descriptors.len()).map(face).collect()
    }
}

/// A model over one attribute, eyes small or large, that has learnt nothing.
pub(super) fn eyes_model() -> PreferenceModel {
    let space = FeatureSpace::new(vec![AttributeDef {
        name: "eyes".into(),
        levels: vec!["small".into(), "large".into()],
        description: String::new(),
    }]);
    PreferenceModel::new(space, &NaiveBayesParams::new().check().unwrap())
}
