//! Comparing two players' tastes (`mytype compare`, the party board's
//! overlaps): how alike their models score the pack, and the levels they
//! share or split on.

use crate::game::recommend::Recommender;
use crate::math::stats::pearson;
use crate::pack::Pack;
use serde::Serialize;

/// One attribute level as both players' models see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelTaste {
    pub attribute: String,
    pub level: String,
    /// How far this level alone moves A's expected rating.
    pub a: f64,
    /// The same for B.
    pub b: f64,
}

/// How alike two tastes are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Pearson correlation of the two models' scores over every face of the pack, in [-1, 1].
    pub overlap: f64,
    /// Levels both like (both effects above +0.1), strongest shared first.
    pub shared_likes: Vec<LevelTaste>,
    /// Levels one likes and the other does not, largest gap first.
    pub differences: Vec<LevelTaste>,
    /// Faces scored for the overlap.
    pub faces: usize,
}

/// A level's effect on a player's score (`level_effects`) above which they
/// like it: what both like, and where they split (one likes, one dislikes).
const LIKE: f64 = 0.1;

/// How alike two tastes are, in words (`mytype compare`, the party board):
/// the overlap is a correlation, so above 0.6 is close to the same ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    PracticallyTheSame,
    Similar,
    SomeOverlap,
    Opposite,
}

impl Verdict {
    pub fn of(overlap: f64) -> Verdict {
        match overlap {
            o if o > 0.6 => Verdict::PracticallyTheSame,
            o if o > 0.3 => Verdict::Similar,
            o if o > -0.1 => Verdict::SomeOverlap,
            _ => Verdict::Opposite,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Verdict::PracticallyTheSame => "practically the same type",
            Verdict::Similar => "similar tastes",
            Verdict::SomeOverlap => "different tastes, some overlap",
            Verdict::Opposite => "opposite tastes",
        }
    }
}

/// Compares two learnt recommenders over the faces of `pack`.
pub fn compare(a: &Recommender, b: &Recommender, pack: &Pack) -> Comparison {
    let score_all = |r: &Recommender| -> Vec<f64> {
        pack.faces()
            .iter()
            .map(|f| r.model().score(&r.model().space().encode(&f.attributes)))
            .collect()
    };
    let (sa, sb) = (score_all(a), score_all(b));
    let effects_b = b.model().level_effects();
    let mut shared_likes = Vec::new();
    let mut differences = Vec::new();
    for ea in a.model().level_effects() {
        let Some(eb) = effects_b
            .iter()
            .find(|e| e.attribute == ea.attribute && e.level == ea.level)
        else {
            continue;
        };
        let taste = LevelTaste {
            attribute: ea.attribute.clone(),
            level: ea.level.clone(),
            a: ea.weight,
            b: eb.weight,
        };
        if ea.weight > LIKE && eb.weight > LIKE {
            shared_likes.push(taste);
        } else if (ea.weight > LIKE || eb.weight > LIKE) && ea.weight * eb.weight < 0.0 {
            differences.push(taste);
        }
    }
    shared_likes.sort_by(|x, y| y.a.min(y.b).total_cmp(&x.a.min(x.b)));
    differences.sort_by(|x, y| (y.a - y.b).abs().total_cmp(&(x.a - x.b).abs()));
    Comparison {
        overlap: pearson(&sa, &sb).clamp(-1.0, 1.0),
        shared_likes,
        differences,
        faces: pack.faces().len(),
    }
}

impl LevelTaste {
    /// The level for people: "hair colour: red".
    pub fn label(&self) -> String {
        crate::core::attributes::trait_label(&self.attribute, &self.level)
    }
}
