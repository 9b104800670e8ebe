//! A simulated player whose hidden taste is a few attribute levels gets a
//! celebrity that fits it.

use mytype::model::simulate::{ratings_by_rank, Taste};
use mytype::model::FeatureSpace;
use mytype::pack::{generate, Pack};
use mytype::profile::Profile;
use mytype::recommend::Recommender;

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
