//! Engine benchmarks: one rating's update plus re-ranking 10,000 candidates
//! (goal < 1 ms), against linfa-bayes refitting and predicting the same; and
//! loading a 150-face pack, against just reading its manifest bytes; and one
//! rating in the game's recommender with a crowd of 100 other players, and
//! on a pack with appeal, against the same without either; and one rating
//! plus the choice of the next question on a photo pack (appeal and
//! descriptors: the design on the blend's regression), against a drawn pack
//! (the leaders' contest); and, for scale, loading the crowd from 10 to
//! 3,000 profiles and the next question on photo packs of 100 to 3,000
//! faces, each against the code it replaced; and the ridge fit on faer
//! against the hand-written elimination before it.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use mytype::core::attributes::canonical_vocabulary;
use mytype::core::rating::Rating;
use mytype::eval::simulate::{Learner, LinfaBernoulli};
use mytype::game::crowd_sources::{
    crowd_scores, crowd_scores_from_full_profiles, crowd_scores_refreshing_every_face,
};
use mytype::game::recommend::Recommender;
use mytype::model::crowd::CrowdScores;
use mytype::model::{Encoded, FeatureSpace, NaiveBayesParams, PreferenceModel};
use mytype::pack::{generate, Pack, MANIFEST_FILE};
use mytype::profile::{Profile, ProfileStore};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::{Duration, Instant};

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
        generate::give_photo_looks(face, i, &mut rng);
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

/// The generated pack's faces repeated (new ids, the same images) up to
/// `faces`, each with an appeal and a random descriptor as a photo pack
/// has, in a folder removed on drop.
fn photo_pack_of(faces: usize) -> (tempfile::TempDir, Pack) {
    let dir = generated_pack();
    let base = Pack::load(dir.path()).expect("load").manifest().clone();
    let mut manifest = base.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(faces as u64);
    manifest.faces = (0..faces)
        .map(|i| {
            // Spread over the base (61 is prime to 150): both roles at every size.
            let mut face = base.faces[(i * 61) % base.faces.len()].clone();
            face.id = format!("f{i}");
            generate::give_photo_looks(&mut face, i, &mut rng);
            face
        })
        .collect();
    mytype::pack::write_manifest(dir.path(), &manifest).expect("write");
    let pack = Pack::load(dir.path()).expect("load");
    (dir, pack)
}

/// A profiles folder of `players` other players who rated 50 faces of
/// `pack` each, in a folder removed on drop.
fn crowd_folder(pack: &Pack, players: usize) -> (tempfile::TempDir, ProfileStore) {
    let ids: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    let folder = tempfile::tempdir().expect("tempdir");
    let store = ProfileStore::at(folder.path());
    let mut rng = ChaCha8Rng::seed_from_u64(players as u64);
    for p in 0..players {
        let name = format!("p{p}");
        let mut profile = Profile::new(&name, pack);
        for _ in 0..50 {
            let face = ids[rng.random_range(0..ids.len())];
            profile.push(face, Rating::ALL[rng.random_range(0..5)]);
        }
        let path = store.path_of(&name).expect("path");
        std::fs::write(path, profile.to_ron().expect("ron")).expect("write");
    }
    (folder, store)
}

/// Where loading a crowd of `players` profiles goes, stage by stage (best
/// of 5 each, printed): listing the folder; opening, checking and reading
/// every file; parsing them in full; parsing them as the crowd does.
fn crowd_load_stages(store: &ProfileStore, players: usize) {
    use mytype::profile::safe_file::{read_capped, Follow};
    use mytype::profile::view::ProfileView;
    let best = |f: &mut dyn FnMut()| {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let names = store.list().expect("list");
    let paths: Vec<_> = names
        .iter()
        .map(|n| store.path_of(n).expect("path"))
        .collect();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| read_capped(p, Follow::No).expect("read"))
        .collect();
    let list = best(&mut || {
        black_box(store.list().expect("list"));
    });
    let read = best(&mut || {
        for p in &paths {
            black_box(read_capped(p, Follow::No).expect("read"));
        }
    });
    let full = best(&mut || {
        for (t, p) in texts.iter().zip(&paths) {
            black_box(Profile::parse(t, p).expect("parse"));
        }
    });
    let view = best(&mut || {
        for t in &texts {
            black_box(ProfileView::parse(t).expect("parse"));
        }
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "crowd load stages, {players} profiles: list {:.1} ms, open + fstat + read {:.1} ms, \
         full parse {:.1} ms, crowd view parse {:.1} ms",
        ms(list),
        ms(read),
        ms(full),
        ms(view)
    );
}

/// Loading a pack's crowd from a profiles folder of 10 to 3,000 other
/// players who rated 50 faces each, against reading every profile in full
/// (the code before, kept as a baseline) and, at 3,000, against that
/// refreshing every face's scores after each player too (the code before
/// that).
fn crowd_load(c: &mut Criterion) {
    let dir = generated_pack();
    let pack = Pack::load(dir.path()).expect("load");
    let ids: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    let mut group = c.benchmark_group("crowd load");
    group.sample_size(10);
    for players in [10, 100, 1000, 3000] {
        let (_folder, store) = crowd_folder(&pack, players);
        let new = crowd_scores(&pack, Some(&store), "me");
        let full = crowd_scores_from_full_profiles(&pack, Some(&store), "me");
        assert_eq!(new.players, players);
        assert_eq!(new, full);
        for id in &ids {
            assert_eq!(new.score(id), full.score(id), "{id}");
        }
        if players == 3000 {
            crowd_load_stages(&store, players);
        }
        group.bench_function(format!("{players} profiles"), |b| {
            b.iter(|| black_box(crowd_scores(&pack, Some(&store), "me")))
        });
        group.bench_function(
            format!("baseline: {players} profiles, each read in full"),
            |b| b.iter(|| black_box(crowd_scores_from_full_profiles(&pack, Some(&store), "me"))),
        );
        if players == 3000 {
            group.bench_function(
                format!("baseline: {players} profiles, in full, every face refreshed per player"),
                |b| {
                    b.iter(|| {
                        black_box(crowd_scores_refreshing_every_face(
                            &pack,
                            Some(&store),
                            "me",
                        ))
                    })
                },
            );
        }
    }
    group.finish();
}

/// One rating and the ranking of every open face as the next question, 30
/// ratings in, on photo packs of 100, 1,200 and 3,000 faces, against the
/// questions whitened one by one (the code before, kept as a baseline).
fn next_question_at_scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("next question at scale");
    group.sample_size(20);
    for faces in [100, 1200, 3000] {
        let (_dir, pack) = photo_pack_of(faces);
        let ids: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
        let mut rec = Recommender::new(&pack, None).expect("recommender");
        for (i, id) in ids.iter().take(30).enumerate() {
            rec.learn(id, Rating::ALL[(i * 7) % 5]).expect("learn");
        }
        let open = &ids[31..];
        let mut after = rec.clone();
        after.learn(ids[30], Rating::Type).expect("learn");
        assert_eq!(
            after.questions_by_value(open, &|_| false),
            after.questions_by_value_one_by_one(open, &|_| false)
        );
        group.bench_function(format!("rating + next, {faces} faces"), |b| {
            b.iter_batched(
                || rec.clone(),
                |mut r| {
                    r.learn(ids[30], Rating::Type).expect("learn");
                    black_box(r.questions_by_value(open, &|_| false))
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function(
            format!("baseline: rating + next, {faces} faces, one by one"),
            |b| {
                b.iter_batched(
                    || rec.clone(),
                    |mut r| {
                        r.learn(ids[30], Rating::Type).expect("learn");
                        black_box(r.questions_by_value_one_by_one(open, &|_| false))
                    },
                    BatchSize::LargeInput,
                )
            },
        );
    }
    group.finish();
}

/// One game's key presses on a photo pack, timed one by one: rate the
/// face shown, then what the game does before the next frame (learn,
/// refit the blend and the neighbours, rank the candidates for the best
/// guess, choose the next face and the one after it). `adaptive`: the
/// next face by [`Recommender::questions_by_value`], else the pack's order
/// (`--order pack`). The player rates by a fixed taste (the face's appeal)
/// with some noise.
fn game_key_times(
    pack: &Pack,
    order: Order,
    keys: usize,
    seed: u64,
) -> (Vec<Duration>, Vec<String>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rec = Recommender::new(pack, None).expect("recommender");
    let mut open: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    let mut rated: std::collections::HashSet<String> = Default::default();
    let next_of = |rec: &Recommender, open: &[&str], rated: &std::collections::HashSet<String>| {
        let exclude = |id: &str| rated.contains(id);
        let next: Vec<&str> = match order {
            Order::Shortlist => rec.top_questions(open, &exclude, 2),
            Order::Full => rec.questions_by_value(open, &exclude),
            Order::Pack => open.to_vec(),
        };
        next.into_iter()
            .take(2)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let mut current = next_of(&rec, &open, &rated).remove(0);
    let mut asked = vec![current.clone()];
    let mut times = Vec::with_capacity(keys);
    for _ in 0..keys {
        let appeal = pack.face(&current).and_then(|f| f.appeal).unwrap_or(50.0);
        let level = ((appeal / 101.0 * 4.0) as usize + rng.random_range(0..2)).min(4);
        let start = Instant::now();
        rec.learn(&current, Rating::ALL[level]).expect("learn");
        rated.insert(current.clone());
        open.retain(|id| *id != current);
        let guess = rec.recommend(5, &|id| rated.contains(id));
        let next = next_of(&rec, &open, &rated);
        times.push(start.elapsed());
        black_box(guess);
        match next.into_iter().next() {
            Some(id) => current = id,
            None => break,
        }
        asked.push(current.clone());
    }
    (times, asked)
}

/// How [`game_key_times`] chooses the next face.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Order {
    /// The adaptive order's first two ([`Recommender::top_questions`]).
    Shortlist,
    /// The adaptive order, every open face weighed (the code before).
    Full,
    /// `--order pack`.
    Pack,
}

/// p50, p90, p99, max and mean of `times`, in ms.
fn distribution(times: &mut [Duration]) -> [f64; 5] {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at =
        |q: f64| ms(times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1]);
    let mean = times.iter().map(|&d| ms(d)).sum::<f64>() / times.len() as f64;
    [at(0.5), at(0.9), at(0.99), ms(times[times.len() - 1]), mean]
}

/// Key to frame on a 3,000-face photo pack with the adaptive order, over
/// games of 120 key presses from the first rating (480 in all), against
/// the same games with `--order pack` in the same run: the distribution
/// (p50 / p90 / p99 / max / mean), printed; the goal is p99 ≤ 16 ms.
/// Runs under `cargo bench --bench engine` (filter: "key to frame"); under
/// `cargo test` one short game on 300 faces checks it runs.
fn key_to_frame_at_scale(_: &mut Criterion) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let benching = args.iter().any(|a| a == "--bench");
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if !filters
        .iter()
        .all(|f| "key to frame at scale".contains(f.as_str()))
    {
        return;
    }
    let (faces, games, keys) = if benching {
        (3000, 4, 120)
    } else {
        (300, 1, 5)
    };
    let (_dir, pack) = photo_pack_of(faces);
    let mut rows = Vec::new();
    let mut sequences = Vec::new();
    for (name, order) in [
        ("adaptive order", Order::Shortlist),
        ("adaptive, all weighed", Order::Full),
        ("baseline: --order pack", Order::Pack),
    ] {
        let (mut times, mut asked) = (Vec::new(), Vec::new());
        for g in 0..games {
            let (t, a) = game_key_times(&pack, order, keys, g as u64);
            times.extend(t);
            asked.push(a);
        }
        let n = times.len();
        rows.push((name, n, distribution(&mut times)));
        sequences.push(asked);
    }
    // The shortlist asks the very faces the full ranking asks.
    assert_eq!(sequences[0], sequences[1]);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "key to frame at scale, {faces}-face photo pack, {games} games of {keys} keys \
         (load average {}):",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let base_p99 = rows[2].2[2];
    for (name, n, [p50, p90, p99, max, mean]) in rows {
        println!(
            "  {name:<24} {n} keys: p50 {p50:.2} ms, p90 {p90:.2} ms, p99 {p99:.2} ms \
             ({:.1}x the pack order's), max {max:.2} ms, mean {mean:.2} ms",
            p99 / base_p99
        );
    }
}

/// A ridge problem of `n` rows and `k` predictors, the first two with
/// the crowd's penalty and the rest with the descriptor's, as the blend has.
fn ridge_problem(n: usize, k: usize) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64((n * k) as u64);
    let columns: Vec<Vec<f64>> = (0..k)
        .map(|_| (0..n).map(|_| rng.random_range(-0.5..0.5)).collect())
        .collect();
    let y = (0..n)
        .map(|i| 3.0 + columns[0][i] - 2.0 * columns[1][i] + rng.random_range(-0.5..0.5))
        .collect();
    let penalties = (0..k).map(|j| if j < 2 { 1.0 } else { 1000.0 }).collect();
    (columns, y, penalties)
}

/// The ridge fit through faer's Cholesky against the hand-written Gaussian
/// elimination it replaced, at the blend's size (50 ratings, 131
/// predictors, plus its leave-one-out error) and at an appeal fit's
/// (1,004 faces, 400 inputs). Prints the largest difference in the weights.
fn ridge(c: &mut Criterion) {
    use mytype::math::{linalg, reference};
    let mut group = c.benchmark_group("ridge");
    group.sample_size(10);
    for (n, k) in [(50, 131), (1004, 400)] {
        let (columns, y, penalties) = ridge_problem(n, k);
        let new = linalg::ridge(&columns, &y, &penalties).expect("ridge");
        let old = reference::ridge(&columns, &y, &penalties).expect("ridge");
        let largest = new.iter().map(|w| w.abs()).fold(0.0, f64::max);
        let diff = new
            .iter()
            .zip(&old)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        println!("ridge {n}x{k}: max |w faer - w ours| = {diff:.1e} (max |w| {largest:.2})");
        group.bench_function(format!("faer: ridge {n}x{k}"), |b| {
            b.iter(|| black_box(linalg::ridge(&columns, &y, &penalties)))
        });
        group.bench_function(format!("baseline: hand-written elimination {n}x{k}"), |b| {
            b.iter(|| black_box(reference::ridge(&columns, &y, &penalties)))
        });
        if n == 50 {
            let loo = linalg::ridge_loo_mse(&columns, &y, &penalties, &new).expect("loo");
            let loo_old = reference::ridge_loo_mse(&columns, &y, &penalties, &old).expect("loo");
            println!(
                "leave-one-out {n}x{k}: |faer - ours| = {:.1e} of {loo:.3}",
                (loo - loo_old).abs()
            );
            group.bench_function(format!("faer: leave-one-out {n}x{k}"), |b| {
                b.iter(|| black_box(linalg::ridge_loo_mse(&columns, &y, &penalties, &new)))
            });
            group.bench_function(
                format!("baseline: hand-written leave-one-out {n}x{k}"),
                |b| b.iter(|| black_box(reference::ridge_loo_mse(&columns, &y, &penalties, &old))),
            );
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    ridge,
    update_and_rerank,
    load_pack,
    rating_with_a_crowd,
    next_question,
    crowd_load,
    next_question_at_scale,
    key_to_frame_at_scale
);
criterion_main!(benches);
