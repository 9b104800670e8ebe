//! Property tests of the model and profiles.

use mytype::core::attributes::canonical_vocabulary;
use mytype::core::rating::Rating;
use mytype::game::recommend::Recommender;
use mytype::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel, CLASSES};
use mytype::pack::{generate, Pack};
use mytype::profile::{Profile, ProfileStore};
use proptest::prelude::*;
use std::sync::OnceLock;

fn space() -> FeatureSpace {
    FeatureSpace::new(canonical_vocabulary())
}

/// A face: a level per canonical attribute, sometimes unknown.
fn face() -> impl Strategy<Value = Encoded> {
    let sizes: Vec<usize> = canonical_vocabulary()
        .iter()
        .map(|a| a.levels.len())
        .collect();
    sizes
        .into_iter()
        .map(|n| prop::option::weighted(0.9, 0..n as u16))
        .collect::<Vec<_>>()
}

fn rating() -> impl Strategy<Value = Rating> {
    (1u8..=5).prop_map(|v| Rating::from_value(v).expect("1..=5"))
}

fn close(a: &[f64; CLASSES], b: &[f64; CLASSES]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
}

proptest! {
    #[test]
    fn score_if_equals_learning_then_scoring(
        learnt in prop::collection::vec((face(), rating()), 0..40),
        next in face(),
        next_rating in rating(),
        query in face(),
    ) {
        let params = NaiveBayesParams::new().check().expect("valid");
        let model = PreferenceModel::fit(space(), &params, &learnt);
        let mut after = model.clone();
        after.update(&next, next_rating);
        // Bit for bit: the adaptive order must not change with the shortcut.
        prop_assert_eq!(
            model.score_if(&next, next_rating, &query).to_bits(),
            after.score(&query).to_bits()
        );
    }

    #[test]
    fn incremental_updates_with_undo_equal_a_batch_fit(
        kept in prop::collection::vec((face(), rating()), 0..40),
        undone in prop::collection::vec((face(), rating()), 0..10),
        query in face(),
    ) {
        let params = NaiveBayesParams::new().check().expect("valid");
        let batch = PreferenceModel::fit(space(), &params, &kept);
        // Same ratings one at a time, interleaved with ratings that are then undone.
        let mut incremental = PreferenceModel::new(space(), &params);
        for (i, (x, r)) in kept.iter().enumerate() {
            if let Some((ux, ur)) = undone.get(i) {
                incremental.update(ux, *ur);
            }
            incremental.update(x, *r);
        }
        for (x, r) in undone.iter().take(kept.len()) {
            incremental.forget(x, *r);
        }
        prop_assert!(close(&batch.posterior(&query), &incremental.posterior(&query)));
        prop_assert_eq!(batch.ratings(), incremental.ratings());
    }

    #[test]
    fn posteriors_sum_to_one_and_scores_stay_in_range(
        train in prop::collection::vec((face(), rating()), 0..60),
        query in face(),
    ) {
        let params = NaiveBayesParams::new().check().expect("valid");
        let model = PreferenceModel::fit(space(), &params, &train);
        let p = model.posterior(&query);
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(p.iter().all(|&x| (0.0..=1.0).contains(&x)));
        let s = model.score(&query);
        prop_assert!((1.0..=5.0).contains(&s));
        let c = model.confidence(&query);
        prop_assert!((0.0..=1.0 + 1e-12).contains(&c));
    }
}

fn shared_pack() -> &'static (tempfile::TempDir, Pack) {
    static PACK: OnceLock<(tempfile::TempDir, Pack)> = OnceLock::new();
    PACK.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let opts = generate::GenerateOptions {
            seed: 21,
            models: 20,
            celebrities: 12,
        };
        generate::generate_pack(tmp.path(), &opts).expect("generate");
        let pack = Pack::load(tmp.path()).expect("load");
        (tmp, pack)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn ranking_is_unchanged_by_saving_and_reloading_a_profile(
        picks in prop::collection::vec((0usize..20, rating()), 1..30),
    ) {
        let (_, pack) = shared_pack();
        let ids: Vec<String> = pack.model_faces().map(|f| f.id.clone()).collect();
        let mut profile = Profile::new("prop", pack);
        for (i, r) in &picks {
            profile.push(&ids[*i], *r);
        }
        let before = Recommender::from_profile(pack, None, &profile)
            .expect("recommender")
            .recommend(12, &|_| false);
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ProfileStore::at(dir.path());
        store.save("prop", &profile).expect("save");
        let loaded = store.load("prop").expect("load");
        prop_assert_eq!(&loaded, &profile);
        let after = Recommender::from_profile(pack, None, &loaded)
            .expect("recommender")
            .recommend(12, &|_| false);
        prop_assert_eq!(before.top, after.top);
    }
}
