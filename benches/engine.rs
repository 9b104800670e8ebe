//! Engine benchmarks: one rating's update plus re-ranking 10,000 candidates
//! (goal < 1 ms), against linfa-bayes refitting and predicting the same; and
//! loading a 150-face pack, against just reading its manifest bytes; and one
//! rating in the game's recommender with a crowd of 100 other players, and
//! on a pack with appeal, against the same without either; and one rating
//! plus the choice of the next question on a photo pack (appeal and
//! descriptors: the design on the blend's regression), against a drawn pack
//! (the leaders' contest).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use mytype::core::attributes::canonical_vocabulary;
use mytype::core::rating::Rating;
use mytype::eval::simulate::{Learner, LinfaBernoulli};
use mytype::game::recommend::Recommender;
use mytype::model::crowd::CrowdScores;
use mytype::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel};
use mytype::pack::{generate, Pack, MANIFEST_FILE};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

fn random_faces(space: &FeatureSpace, n: usize, rng: &mut ChaCha8Rng) -> Vec<Encoded> {
    (0..n)
        .map(|_| {
            space
                .attributes()
                .iter()
                .map(|a| Some(rng.random_range(0..a.levels.len()) as u16))
                .collect()
        })
        .collect()
}

fn update_and_rerank(c: &mut Criterion) {
    let space = FeatureSpace::new(canonical_vocabulary());
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let rated = random_faces(&space, 50, &mut rng);
    let candidates = random_faces(&space, 10_000, &mut rng);
    let train: Vec<(Encoded, Rating)> = rated
        .iter()
        .map(|x| (x.clone(), Rating::ALL[rng.random_range(0..5)]))
        .collect();
    let params = NaiveBayesParams::new().check().expect("valid params");
    let model = PreferenceModel::fit(space.clone(), &params, &train[..49]);
    let (last_x, last_r) = train[49].clone();

    let mut group = c.benchmark_group("rating");
    group.bench_function("mytype: update + rank 10k", |b| {
        b.iter_batched_ref(
            || model.clone(),
            |m| {
                m.update(black_box(&last_x), last_r);
                black_box(m.rank(black_box(&candidates)))
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("baseline linfa BernoulliNb: refit 50 + score 10k", |b| {
        b.iter(|| black_box(LinfaBernoulli.fit_score(&space, black_box(&train), &candidates)))
    });
    group.finish();
}

/// A generated pack of 150 faces (100 to rate, 50 to reveal), in a folder
/// removed on drop.
fn generated_pack() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = generate::GenerateOptions {
        seed: 5,
        models: 100,
        celebrities: 50,
    };
    generate::generate_pack(dir.path(), &opts).expect("generate");
    dir
}

fn load_pack(c: &mut Criterion) {
    let dir = generated_pack();
    let mut group = c.benchmark_group("pack");
    group.bench_function("load 150-face pack", |b| {
        b.iter(|| black_box(Pack::load(dir.path()).expect("load")))
    });
    group.bench_function("baseline: read manifest bytes", |b| {
        b.iter(|| black_box(std::fs::read(dir.path().join(MANIFEST_FILE)).expect("read")))
    });
    group.finish();
}

/// One rating as the game handles it (learn, refit the crowd blend and the
/// player's neighbours, rank every face) with 50 ratings in and a crowd of
/// 100 other players who rated 50 faces each, against no crowd.
fn rating_with_a_crowd(c: &mut Criterion) {
    let dir = generated_pack();
    let pack = Pack::load(dir.path()).expect("load");
    let ids: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut crowd = CrowdScores::new();
    for p in 0..100 {
        let rated: Vec<(&str, f64)> = (0..50)
            .map(|_| {
                (
                    ids[rng.random_range(0..ids.len())],
                    f64::from(rng.random_range(1..=5u8)),
                )
            })
            .collect();
        crowd.add_rater(&format!("p{p}"), rated);
    }
    let mut alone = Recommender::new(&pack, None).expect("recommender");
    for (i, id) in ids.iter().take(50).enumerate() {
        let r = Rating::ALL[(i * 7) % 5];
        alone.learn(id, r).expect("learn");
    }
    let with_crowd = alone.clone().with_crowd(crowd.clone(), crowd);
    // The same pack as a photo pack would be, with an appeal per face: each
    // rating refits the blend of the player's own model and appeal.
    let appeal_dir = generated_pack();
    let mut manifest = Pack::load(appeal_dir.path())
        .expect("load")
        .manifest()
        .clone();
    for (i, face) in manifest.faces.iter_mut().enumerate() {
        face.appeal = Some(((i * 37) % 101) as f64);
    }
    mytype::pack::write_manifest(appeal_dir.path(), &manifest).expect("write");
    let appeal_pack = Pack::load(appeal_dir.path()).expect("load");
    let mut with_appeal = Recommender::new(&appeal_pack, None).expect("recommender");
    for (i, id) in ids.iter().take(50).enumerate() {
        with_appeal
            .learn(id, Rating::ALL[(i * 7) % 5])
            .expect("learn");
    }
    let next = ids[50];
    let mut group = c.benchmark_group("crowd");
    for (name, rec) in [
        ("rating + reveal, crowd of 100", &with_crowd),
        ("rating + reveal, appeal, no crowd", &with_appeal),
        ("baseline: rating + reveal, no crowd", &alone),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || rec.clone(),
                |mut r| {
                    r.learn(next, Rating::Type).expect("learn");
                    black_box(r.recommend(3, &|_| false))
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// One rating and the ranking of every open face as the next question, 30
/// ratings in, on the generated pack given appeal and random descriptors
/// as a photo pack has, against the drawn pack as it is.
fn next_question(c: &mut Criterion) {
    let drawn_dir = generated_pack();
    let drawn = Pack::load(drawn_dir.path()).expect("load");
    let photo_dir = generated_pack();
    let mut manifest = drawn.manifest().clone();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for (i, face) in manifest.faces.iter_mut().enumerate() {
        face.appeal = Some(((i * 37) % 101) as f64);
        face.descriptor = Some(
            (0..mytype::vision::face_net::DESCRIPTOR)
                .map(|_| rng.random_range(-0.2..0.2))
                .collect(),
        );
    }
    mytype::pack::write_manifest(photo_dir.path(), &manifest).expect("write");
    let photo = Pack::load(photo_dir.path()).expect("load");
    let ids: Vec<&str> = drawn.model_faces().map(|f| f.id.as_str()).collect();
    let ready = |pack: &Pack| {
        let mut r = Recommender::new(pack, None).expect("recommender");
        for (i, id) in ids.iter().take(30).enumerate() {
            r.learn(id, Rating::ALL[(i * 7) % 5]).expect("learn");
        }
        r
    };
    let (with_descriptors, contest) = (ready(&photo), ready(&drawn));
    let open = &ids[31..];
    let mut group = c.benchmark_group("next question");
    for (name, rec) in [
        (
            "rating + next of 69, photo pack (design)",
            &with_descriptors,
        ),
        (
            "baseline: rating + next of 69, drawn pack (contest)",
            &contest,
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || rec.clone(),
                |mut r| {
                    r.learn(ids[30], Rating::Type).expect("learn");
                    black_box(r.questions_by_value(open, &|_| false))
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    update_and_rerank,
    load_pack,
    rating_with_a_crowd,
    next_question
);
criterion_main!(benches);
