use super::*;
use crate::core::attributes::AttributeDef;
use crate::model::{Encoded, FeatureSpace, NaiveBayesParams};
use crate::vision::face_net::DESCRIPTOR;

fn choice(code: &Encoded, crowd: Option<f64>) -> Face<'_> {
    Face {
        code,
        crowd,
        appeal: None,
        descriptor: None,
    }
}

#[test]
fn the_next_question_is_one_that_can_change_the_pick() {
    let space = FeatureSpace::new(vec![
        AttributeDef {
            name: "hair".into(),
            levels: vec!["dark".into(), "light".into()],
            description: String::new(),
        },
        AttributeDef {
            name: "eyes".into(),
            levels: vec!["small".into(), "large".into()],
            description: String::new(),
        },
    ]);
    let mut m = PreferenceModel::new(space, &NaiveBayesParams::new().check().unwrap());
    for _ in 0..6 {
        m.update(&vec![Some(0), Some(0)], Rating::Type);
        m.update(&vec![Some(1), Some(0)], Rating::VeryWeak);
    }
    // Candidates: dark-haired, large-eyed faces (the contest is about eyes).
    let c1 = vec![Some(0), Some(1)];
    let c2 = vec![Some(0), Some(0)];
    let candidates = [choice(&c1, None), choice(&c2, None)];
    // Question 0 (light hair, small eyes) says nothing new about eyes on
    // dark hair; question 1 (large eyes) does.
    let q0 = vec![Some(1), None];
    let q1 = vec![None, Some(1)];
    let questions = [choice(&q0, None), choice(&q1, None)];
    let none = |_, _| false;
    let pick = next_question(&m, &Blend::PERSONAL, &questions, &candidates, &none, &[]);
    assert_eq!(pick, Some(1));
    assert_eq!(
        next_question(&m, &Blend::PERSONAL, &[], &candidates, &none, &[]),
        None
    );
    // Without appeal or descriptors (a drawn pack) the contest decides
    // after any number of ratings.
    let rated = [choice(&q0, None)];
    let pick = next_question(&m, &Blend::PERSONAL, &questions, &candidates, &none, &rated);
    assert_eq!(pick, Some(1));
}

/// A descriptor that is `value` on number `j` and 0 elsewhere.
fn descriptor_along(j: usize, value: f64) -> Vec<f64> {
    let mut d = vec![0.0; DESCRIPTOR];
    d[j] = value;
    d
}

fn with_looks<'a>(code: &'a Encoded, descriptor: &'a [f64]) -> Face<'a> {
    Face {
        code,
        crowd: None,
        appeal: Some(0.0),
        descriptor: Some(descriptor),
    }
}

#[test]
fn in_a_photo_pack_the_question_narrows_the_doubt_about_the_leaders() {
    let space = FeatureSpace::new(vec![AttributeDef {
        name: "eyes".into(),
        levels: vec!["small".into(), "large".into()],
        description: String::new(),
    }]);
    let m = PreferenceModel::new(space, &NaiveBayesParams::new().check().unwrap());
    let x = vec![Some(0)];
    let looks = |d| with_looks(&x, d);
    // Nothing learnt, so the candidates tie and the first five lead.
    // They stand out from the candidates' mean on descriptor number 0
    // alone; the sixth lies far the other way.
    let (leader, other) = (descriptor_along(0, 2.0), descriptor_along(0, -10.0));
    let mut candidates = vec![looks(&leader); DESIGN_LEADERS];
    candidates.push(looks(&other));
    // Question 0 varies only where no leader stands out, 1 and 2 where
    // they do, 2 the more.
    let (elsewhere, near, far) = (
        descriptor_along(1, 3.0),
        descriptor_along(0, 1.0),
        descriptor_along(0, 3.0),
    );
    let questions = [looks(&elsewhere), looks(&near), looks(&far)];
    let none = |_, _| false;
    let ranked = rank_questions(&m, &Blend::PERSONAL, &questions, &candidates, &none, &[]);
    assert_eq!(ranked.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 1, 0]);
    assert_eq!(ranked[2].1, 0.0, "{ranked:?}");
    // Faces rated all over number 0 already pinned the player's taste
    // there: the same question is now worth less.
    let (plus, minus) = (descriptor_along(0, 5.0), descriptor_along(0, -5.0));
    let rated: Vec<Face> = (0..40)
        .map(|i| looks(if i % 2 == 0 { &plus } else { &minus }))
        .collect();
    let after = rank_questions(&m, &Blend::PERSONAL, &questions, &candidates, &none, &rated);
    let value = |r: &[(usize, f64)], q| r.iter().find(|v| v.0 == q).unwrap().1;
    assert!(
        value(&after, 2) < value(&ranked, 2) / 2.0,
        "{after:?} {ranked:?}"
    );
    // A question that is a leader is weighed against the next best
    // candidate, which it is not.
    let is_first_leader = |q, c| q == 2 && c == 0;
    let leader_asked = rank_questions(
        &m,
        &Blend::PERSONAL,
        &questions,
        &candidates,
        &is_first_leader,
        &[],
    );
    assert!(
        value(&leader_asked, 2) > value(&ranked, 2),
        "{leader_asked:?}"
    );
}

#[test]
fn questions_whitened_in_blocks_rank_as_they_did_one_by_one() {
    let mut m = test_faces::eyes_model();
    let pack = test_faces::TestFaces::new(4, 700, 17);
    let all = pack.faces();
    let (rated, rest) = all.split_at(40);
    let (candidates, questions) = rest.split_at(60);
    for (i, r) in rated.iter().enumerate() {
        m.update(r.code, Rating::ALL[(i * 3) % 5]);
    }
    // More questions than one block, and a last block part full.
    assert!(questions.len() > 2 * BLOCK && questions.len() % BLOCK != 0);
    let same = |q: usize, c: usize| q % 40 == c;
    for (blend, rated) in [(Blend::PERSONAL, rated), (Blend::CROWD, &rated[..3])] {
        let blocks = rank_questions(&m, &blend, questions, candidates, &same, rated);
        let one = rank_questions_one_by_one(&m, &blend, questions, candidates, &same, rated);
        let order = |v: &[(usize, f64)]| v.iter().map(|r| r.0).collect::<Vec<_>>();
        assert_eq!(order(&blocks), order(&one));
        for (b, o) in blocks.iter().zip(&one) {
            assert!(
                (b.1 - o.1).abs() <= 1e-9 * o.1.abs().max(1e-12),
                "{b:?} {o:?}"
            );
        }
        assert!(blocks[0].1 > 0.0, "{blocks:?}");
        // Copies of one face (question q is face q + 100) tie exactly.
        let none = |_, _| false;
        let blocks = rank_questions(&m, &blend, questions, candidates, &none, rated);
        let value = |q: usize| blocks.iter().find(|r| r.0 == q).unwrap().1;
        let copies: Vec<usize> = (0..questions.len())
            .filter(|q| (q + 100) % 17 == 0)
            .collect();
        assert!(copies.len() > 5);
        assert!(
            copies.iter().all(|&q| value(q) == value(copies[0])),
            "{copies:?}"
        );
    }
}

#[test]
fn the_order_follows_the_contest_while_the_crowd_alone_ranks() {
    let space = FeatureSpace::new(vec![AttributeDef {
        name: "eyes".into(),
        levels: vec!["small".into(), "large".into(), "round".into()],
        description: String::new(),
    }]);
    let mut m = PreferenceModel::new(space, &NaiveBayesParams::new().check().unwrap());
    m.update(&vec![Some(2)], Rating::Normal);
    // The crowd puts the small- and large-eyed faces first; a question
    // about round eyes touches neither, one about large eyes does.
    let (small, large, round) = (vec![Some(0)], vec![Some(1)], vec![Some(2)]);
    let candidates = [
        choice(&small, Some(4.5)),
        choice(&large, Some(4.4)),
        choice(&round, Some(1.0)),
    ];
    let questions = [choice(&round, None), choice(&large, None)];
    let ranked = rank_questions(
        &m,
        &Blend::CROWD,
        &questions,
        &candidates,
        &|_, _| false,
        &[],
    );
    assert_eq!(ranked[0].0, 1, "{ranked:?}");
    assert!(ranked[0].1 > ranked[1].1, "{ranked:?}");
}
