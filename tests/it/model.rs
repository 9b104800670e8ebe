//! The recommender end to end on generated packs: a simulated player's
//! hidden taste gets a pick that fits it; other players' profiles make the
//! crowd, and players who rate like you name the pick; appeal and the face
//! descriptor carry a taste for looks into the pick and its reasons; the
//! question order (furthest in appeal first, full rankings through ratings
//! and undo); and a what-if rating leaves the recommender as it was.

use mytype::eval::simulate::{ratings_by_rank, Taste};
use mytype::game::recommend::Recommender;
use mytype::model::FeatureSpace;
use mytype::pack::{generate, Pack};
use mytype::profile::Profile;

#[test]
fn a_simulated_player_gets_a_celebrity_that_fits_their_taste() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = generate::GenerateOptions {
        seed: 11,
        models: 50,
        celebrities: 40,
    };
    generate::generate_pack(tmp.path(), &opts).unwrap();
    let pack = Pack::load(tmp.path()).unwrap();
    let space = FeatureSpace::new(pack.manifest().attributes.clone());
    let index = |name: &str| {
        space
            .attributes()
            .iter()
            .position(|a| a.name == name)
            .unwrap()
    };
    let level = |name: &str, level: &str| {
        space.attributes()[index(name)].level_index(level).unwrap() as u16
    };
    // Likes women, broad smiles and long hair.
    let taste = Taste {
        likes: vec![
            (index("sex"), level("sex", "female"), 3.0),
            (index("smile"), level("smile", "broad"), 1.5),
            (index("hair_length"), level("hair_length", "long"), 1.5),
        ],
    };

    let model_faces: Vec<_> = pack.model_faces().collect();
    let utilities: Vec<f64> = model_faces
        .iter()
        .map(|f| taste.utility(&space.encode(&f.attributes)))
        .collect();
    let mut profile = Profile::new("sim", &pack);
    for (face, rating) in model_faces.iter().zip(ratings_by_rank(&utilities)) {
        profile.push(&face.id, rating);
    }
    let rec = Recommender::from_profile(&pack, None, &profile).unwrap();
    let result = rec.recommend(5, &|_| false);
    let pick = pack.face(&result.pick.id).unwrap();
    let pick_utility = taste.utility(&space.encode(&pick.attributes));
    let best = pack
        .candidate_faces()
        .map(|f| taste.utility(&space.encode(&f.attributes)))
        .fold(f64::MIN, f64::max);
    assert_eq!(pick.attributes["sex"], "female", "{pick:?}");
    // At most one of the two minor liked levels may be missing.
    assert!(
        pick_utility >= best - 1.5,
        "pick {pick_utility} vs best {best}: {pick:?}"
    );
    // The explanation names the liked levels the pick has.
    let reasons: Vec<String> = result
        .because
        .iter()
        .take(3)
        .map(|r| format!("{}={}", r.attribute, r.level))
        .collect();
    assert!(reasons.contains(&"sex=female".to_string()), "{reasons:?}");
}

#[test]
fn other_players_profiles_on_the_same_pack_make_the_crowd() {
    use mytype::core::rating::Rating;
    use mytype::game::crowd_sources::crowd_scores;
    use mytype::profile::ProfileStore;
    let tmp = tempfile::tempdir().unwrap();
    let opts = generate::GenerateOptions {
        seed: 3,
        models: 10,
        celebrities: 5,
    };
    generate::generate_pack(&tmp.path().join("pack"), &opts).unwrap();
    let pack = Pack::load(&tmp.path().join("pack")).unwrap();
    generate::generate_pack(&tmp.path().join("other"), &opts).unwrap();
    let mut other_manifest = Pack::load(&tmp.path().join("other"))
        .unwrap()
        .manifest()
        .clone();
    other_manifest.name = "another-pack".into();
    mytype::pack::write_manifest(&tmp.path().join("other"), &other_manifest).unwrap();
    let other = Pack::load(&tmp.path().join("other")).unwrap();
    let store = ProfileStore::at(&tmp.path().join("profiles"));
    let first = pack.faces()[0].id.clone();
    let save = |name: &str, player: &str, pack: &Pack, level: Rating| {
        let mut p = Profile::new(player, pack);
        p.push(&first, level);
        store.save(name, &p).unwrap();
    };
    save("bo", "bo", &pack, Rating::Type);
    save("cy", "cy", &pack, Rating::SlightlyLike);
    // Another player's backup does not count them twice.
    save("bo-1", "bo", &pack, Rating::VeryWeak);
    // The player's own profile and backup, and a profile of another pack, do not count.
    save("ana", "ana", &pack, Rating::VeryWeak);
    save("ana-1", "ana", &pack, Rating::VeryWeak);
    save("di", "di", &other, Rating::VeryWeak);
    std::fs::write(store.dir().join("broken.ron"), "not a profile").unwrap();

    let crowd = crowd_scores(&pack, Some(&store), "ana");
    assert_eq!(crowd.players, 2);
    // Each rated one face: their own means (shrunk towards the crowd's 4.5)
    // lift it by +0.375 and -0.375, so it stays at the crowd's mean.
    assert!(
        (crowd.score(&first).unwrap() - 4.5).abs() < 1e-9,
        "{crowd:?}"
    );
    assert_eq!(crowd.score(&pack.faces()[1].id), None);
    // A recommender given the crowd reports the blend it uses.
    let rec = Recommender::new(&pack, None)
        .unwrap()
        .with_crowd(crowd.clone(), crowd);
    let pick = rec.recommend(3, &|_| false);
    assert!(pick.uses_crowd);
}

#[test]
fn a_pick_liked_by_players_who_rate_like_you_says_so() {
    use mytype::core::rating::Rating;
    use mytype::game::recommend::{
        CROWD_REASON, CROWD_REASON_LEVEL, CROWD_REASON_LEVEL_NEIGHBOURS,
    };
    use mytype::model::crowd::CrowdScores;
    let tmp = tempfile::tempdir().unwrap();
    let opts = generate::GenerateOptions {
        seed: 3,
        models: 12,
        celebrities: 6,
    };
    generate::generate_pack(tmp.path(), &opts).unwrap();
    let pack = Pack::load(tmp.path()).unwrap();
    let models: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    let celebrities: Vec<&str> = pack
        .faces()
        .iter()
        .filter(|f| f.role.is_candidate())
        .map(|f| f.id.as_str())
        .collect();
    let taste = |i: usize| {
        if i.is_multiple_of(3) {
            5.0
        } else {
            1.0 + (i % 2) as f64
        }
    };
    // bo rates the models as ana does and loves the last celebrity; cy
    // rates the models the other way round and loves the first.
    let (loved_by_bo, loved_by_cy) = (celebrities[celebrities.len() - 1], celebrities[0]);
    let mut rated = CrowdScores::new();
    rated.add_rater("bo", models.iter().enumerate().map(|(i, f)| (*f, taste(i))));
    rated.add_rater(
        "cy",
        models.iter().enumerate().map(|(i, f)| (*f, 6.0 - taste(i))),
    );
    let mut reveal = CrowdScores::new();
    let loves = |loved: &str| -> Vec<(&str, f64)> {
        celebrities
            .iter()
            .map(|&c| (c, if c == loved { 5.0 } else { 2.0 }))
            .collect()
    };
    reveal.add_rater("bo", loves(loved_by_bo));
    reveal.add_rater("cy", loves(loved_by_cy));

    let mut rec = Recommender::new(&pack, None)
        .unwrap()
        .with_crowd(rated.clone(), reveal.clone());
    for (i, f) in models.iter().enumerate() {
        let level = Rating::from_value(taste(i) as u8).unwrap();
        rec.learn(f, level).unwrap();
    }
    let r = rec.recommend(3, &|_| false);
    assert_eq!(r.neighbours, 1, "only bo rates like ana");
    assert_eq!(r.pick.id, loved_by_bo, "{r:?}");
    let crowd_reason = r.because.iter().find(|b| b.attribute == CROWD_REASON);
    assert_eq!(
        crowd_reason.map(|b| b.level.as_str()),
        Some(CROWD_REASON_LEVEL_NEIGHBOURS),
        "{r:?}"
    );
    // Without neighbours (no ratings yet) the crowd is everyone's.
    let fresh = Recommender::new(&pack, None)
        .unwrap()
        .with_crowd(rated, reveal)
        .recommend(3, &|_| false);
    assert_eq!(fresh.neighbours, 0);
    assert!(fresh
        .because
        .iter()
        .all(|b| b.attribute != CROWD_REASON || b.level == CROWD_REASON_LEVEL));
}

#[test]
fn a_player_who_rates_by_appeal_gets_an_appealing_pick_and_is_told_why() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = drawn_pack_with_appeal(tmp.path(), 5, 50, 40);

    let model_faces: Vec<_> = pack.model_faces().collect();
    let appeal: Vec<f64> = model_faces.iter().map(|f| f.appeal.unwrap()).collect();
    let mut profile = Profile::new("fan", &pack);
    for (face, rating) in model_faces.iter().zip(ratings_by_rank(&appeal)) {
        profile.push(&face.id, rating);
    }
    let rec = Recommender::from_profile(&pack, None, &profile).unwrap();
    let result = rec.recommend(5, &|_| false);
    assert!(result.blend.appeal > 0.0, "{:?}", result.blend);
    // The pick is among the five most appealing of the 40 to reveal.
    let mut candidates: Vec<f64> = pack.candidate_faces().map(|f| f.appeal.unwrap()).collect();
    candidates.sort_by(|a, b| b.total_cmp(a));
    let pick = pack.face(&result.pick.id).unwrap().appeal.unwrap();
    assert!(pick >= candidates[4], "pick {pick}, best {candidates:?}");
    assert!(
        result
            .because
            .iter()
            .any(|r| r.attribute == mytype::game::recommend::APPEAL_REASON),
        "{:?}",
        result.because
    );

    // The same player on the pack without appeal: nothing to weigh.
    let plain = tempfile::tempdir().unwrap();
    let opts = generate::GenerateOptions {
        seed: 5,
        models: 50,
        celebrities: 40,
    };
    generate::generate_pack(plain.path(), &opts).unwrap();
    let plain = Pack::load(plain.path()).unwrap();
    let rec = Recommender::from_profile(&plain, None, &profile).unwrap();
    let result = rec.recommend(5, &|_| false);
    assert_eq!(result.blend.appeal, 0.0);
    assert!(result
        .because
        .iter()
        .all(|r| r.attribute != mytype::game::recommend::APPEAL_REASON));
}

#[test]
fn a_player_whose_taste_follows_the_face_descriptor_gets_a_pick_that_has_it() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = drawn_pack_with_appeal(tmp.path(), 6, 60, 40);
    // Give every face a descriptor: pseudo-random numbers about the appeal
    // model's mean face, unrelated to appeal and to the drawn attributes.
    let mut manifest = pack.manifest().clone();
    let model = &mytype::vision::appeal::MODEL;
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(6);
    let numbers: Vec<Vec<f64>> = (0..manifest.faces.len())
        .map(|_| {
            (0..mytype::vision::face_net::DESCRIPTOR)
                .map(|_| rand::Rng::random_range(&mut rng, -1.5..1.5))
                .collect()
        })
        .collect();
    let z = |i: usize, j: usize| numbers[i][j];
    for (i, face) in manifest.faces.iter_mut().enumerate() {
        face.descriptor = Some(
            (0..mytype::vision::face_net::DESCRIPTOR)
                .map(|j| (model.descriptor_mean[j] + z(i, j) * model.descriptor_sd[j]) as f32)
                .collect(),
        );
    }
    mytype::pack::write_manifest(tmp.path(), &manifest).unwrap();
    let pack = Pack::load(tmp.path()).unwrap();
    let index: std::collections::HashMap<&str, usize> = pack
        .faces()
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    // The player rates by the sum of the first 32 descriptor numbers (a
    // taste, like a real one, spread over many of them).
    let liking = |id: &str| (0..32).map(|j| z(index[id], j)).sum::<f64>();
    let model_faces: Vec<_> = pack.model_faces().collect();
    let taste: Vec<f64> = model_faces.iter().map(|f| liking(&f.id)).collect();
    let mut profile = Profile::new("lookalike", &pack);
    for (face, rating) in model_faces.iter().zip(ratings_by_rank(&taste)) {
        profile.push(&face.id, rating);
    }
    let rec = Recommender::from_profile(&pack, None, &profile).unwrap();
    let result = rec.recommend(5, &|_| false);
    assert!(result.learnt_looks);
    let (inside, outside) = result.blend.looks.split_at(32);
    let mean = |w: &[f64]| w.iter().sum::<f64>() / w.len() as f64;
    assert!(
        mean(inside) > 0.0 && mean(inside) > 3.0 * mean(outside).abs(),
        "{:?}",
        result.blend.looks
    );
    let mut candidates: Vec<f64> = pack.candidate_faces().map(|f| liking(&f.id)).collect();
    candidates.sort_by(|a, b| b.total_cmp(a));
    let pick = liking(&result.pick.id);
    assert!(pick >= candidates[4], "pick {pick}, best {candidates:?}");
}

#[test]
fn in_a_pack_with_appeal_the_question_after_one_rating_is_the_furthest_in_appeal() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = drawn_pack_with_appeal(tmp.path(), 9, 30, 10);
    let faces: Vec<_> = pack.model_faces().collect();
    let mut rec = Recommender::new(&pack, None).unwrap();
    // One face rated: the next question is the open face whose appeal is
    // furthest from its appeal (it narrows the doubt about how the player
    // takes appeal the most).
    rec.learn(&faces[0].id, mytype::core::rating::Rating::Normal)
        .unwrap();
    let open: Vec<&str> = faces[1..].iter().map(|f| f.id.as_str()).collect();
    let asked = rec.questions_by_value(&open, &|_| false);
    let rated_appeal = faces[0].appeal.unwrap();
    let furthest = faces[1..]
        .iter()
        .max_by(|a, b| {
            let d = |f: &&mytype::pack::FaceEntry| (f.appeal.unwrap() - rated_appeal).abs();
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    assert_eq!(asked[0], furthest.id, "rated appeal {rated_appeal}");
    assert_eq!(asked.len(), open.len(), "every open face is ranked");
}

/// A drawn pack in `dir` whose faces are given an appeal (a drawn pack has
/// none), unrelated to their attributes.
fn drawn_pack_with_appeal(
    dir: &std::path::Path,
    seed: u64,
    models: usize,
    celebrities: usize,
) -> Pack {
    let opts = generate::GenerateOptions {
        seed,
        models,
        celebrities,
    };
    generate::generate_pack(dir, &opts).unwrap();
    let mut manifest = Pack::load(dir).unwrap().manifest().clone();
    for (i, face) in manifest.faces.iter_mut().enumerate() {
        face.appeal = Some(((i * 37) % 101) as f64);
    }
    mytype::pack::write_manifest(dir, &manifest).unwrap();
    Pack::load(dir).unwrap()
}

/// The game asks for the first few questions only; over a game of ratings
/// and undos on a photo pack (appeal and descriptors), they are the first
/// few of the full ranking every time.
#[test]
fn the_first_questions_asked_are_the_full_rankings_first_through_ratings_and_undo() {
    use mytype::core::rating::Rating;
    use rand::{Rng, SeedableRng};
    let tmp = tempfile::tempdir().unwrap();
    let pack = drawn_pack_with_appeal(tmp.path(), 5, 120, 20);
    let mut manifest = pack.manifest().clone();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    // The same appeal as drawn_pack_with_appeal gave, and a descriptor.
    for (i, face) in manifest.faces.iter_mut().enumerate() {
        generate::give_photo_looks(face, i, &mut rng);
    }
    mytype::pack::write_manifest(tmp.path(), &manifest).unwrap();
    let pack = Pack::load(tmp.path()).unwrap();
    let mut rec = Recommender::new(&pack, None).unwrap();
    let mut open: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    let mut rated: Vec<(&str, Rating)> = Vec::new();
    let mut checks = 0;
    for step in 0..60 {
        let exclude = |id: &str| rated.iter().any(|(r, _)| *r == id);
        let full = rec.questions_by_value(&open, &exclude);
        for k in [1, 2, 9] {
            assert_eq!(
                rec.top_questions(&open, &exclude, k),
                full[..k],
                "step {step}"
            );
            checks += 1;
        }
        if step % 7 == 6 {
            // Undo the last rating: the face is open again.
            let (face, rating) = rated.pop().unwrap();
            rec.unlearn(face, rating).unwrap();
            open.push(face);
        } else {
            let face = full[0];
            let rating = Rating::ALL[rng.random_range(0..5)];
            rec.learn(face, rating).unwrap();
            rated.push((face, rating));
            open.retain(|id| *id != face);
        }
    }
    assert_eq!(checks, 180);
    assert!(rated.len() > 40, "{}", rated.len());
}

/// The decode-ahead learns each rating of the face on screen in place and
/// forgets it again: afterwards the recommender is exactly as before (its
/// whole state, the question ranking and the pick, bit for bit), and what
/// it saw meanwhile is what a copy that learnt the rating sees.
#[test]
fn a_rating_learnt_for_a_what_if_leaves_the_recommender_as_it_was() {
    use mytype::core::rating::Rating;
    let tmp = tempfile::tempdir().unwrap();
    let pack = drawn_pack_with_appeal(tmp.path(), 9, 60, 12);
    let ids: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    // A crowd of three other players, so the neighbours change too.
    let store = mytype::profile::ProfileStore::at(&tmp.path().join("profiles"));
    for (n, player) in ["bo", "cy", "di"].into_iter().enumerate() {
        let mut p = Profile::new(player, &pack);
        for (i, face) in ids.iter().enumerate().take(40) {
            p.push(face, Rating::ALL[(i * (n + 2) + n) % 5]);
        }
        store.save(player, &p).unwrap();
    }
    let crowd = mytype::game::crowd_sources::crowd_scores(&pack, Some(&store), "ana");
    assert_eq!(crowd.players, 3);
    let mut rec = Recommender::new(&pack, None)
        .unwrap()
        .with_crowd(crowd.clone(), crowd);
    for (i, face) in ids.iter().take(7).enumerate() {
        rec.learn(face, Rating::ALL[i * 2 % 5]).unwrap();
    }
    let open = &ids[8..];
    let before = format!("{rec:?}");
    let ranking = rec.questions_by_value(open, &|_| false);
    let pick = rec.recommend(5, &|_| false);
    for rating in Rating::ALL {
        let mut copy = rec.clone();
        copy.learn(ids[7], rating).unwrap();
        let expected = (
            copy.questions_by_value(open, &|_| false),
            copy.recommend(5, &|_| false),
        );
        let seen = rec
            .what_if(ids[7], rating, |r| {
                (
                    r.questions_by_value(open, &|_| false),
                    r.recommend(5, &|_| false),
                )
            })
            .unwrap();
        assert_eq!(seen, expected, "{rating:?}");
        assert_eq!(format!("{rec:?}"), before, "{rating:?}");
        assert_eq!(rec.questions_by_value(open, &|_| false), ranking);
        assert_eq!(rec.recommend(5, &|_| false), pick);
    }
    assert!(rec.what_if("no-such-face", Rating::Type, |_| ()).is_err());
    assert_eq!(format!("{rec:?}"), before);
}
