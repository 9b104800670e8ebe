//! The crowd: other people's ratings of a pack's faces, and the raters who
//! rate like one player.
//!
//! **Crowd scores.** The crowd is other people's ratings of a pack's faces,
//! on the game's 1..=5 scale: the pack's `crowd` fields (one rater,
//! [`PACK_CROWD`]) and the other players' profiles in the same profiles
//! folder that rated the same pack. A face's crowd score is not the plain
//! mean of its ratings ([`CrowdScores::mean`], the bench's `crowd` baseline)
//! but how far each rater put it above *their own* mean, averaged (with one
//! pseudo-rating of 0) and added to the mean of all ratings: when raters see
//! different faces, a generous rater would otherwise lift every face they
//! happened to see. For one player it also leans towards the raters who rate
//! like them: each crowd rater with at least [`MIN_OVERLAP`] faces in common
//! with the player is weighted by the correlation of their ratings on those
//! faces (scaled by n / (n + [`OVERLAP_HALF`]); only positive weights), and
//! the weighted mean of their standardised ratings of a face is added
//! ([`PersonalCrowd::score`]). Measured in docs/model.md (*The crowd prior*).

use crate::core::tuning::{MIN_OVERLAP, MIN_SPREAD, OVERLAP_HALF, RATER_SHRINK};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The crowd rater made of a pack's own `crowd` fields (a path separator
/// makes it an invalid profile name, so no player's profile can take it).
pub const PACK_CROWD: &str = "/pack";

/// One person in the crowd: how many faces they rated and the sums of
/// their ratings (their ratings themselves are kept by face).
#[derive(Debug, Clone, PartialEq)]
struct CrowdRater {
    name: String,
    count: usize,
    sum: f64,
    sum_sq: f64,
}

/// One face's crowd: who rated it, (rater index, rating on 1..=5), in the
/// order the raters were added.
#[derive(Debug, Clone, PartialEq, Default)]
struct FaceCrowd {
    rated: Vec<(usize, f64)>,
}

/// Other people's ratings of a pack's faces, on the game's 1..=5 scale.
///
/// Adding a rater changes the crowd's mean and spread, which every rater is
/// shrunk towards, so each rater's scale (and through it every face's
/// score) depends on the whole crowd: they are worked out once, when first
/// read after the last rater was added, so loading a crowd costs time in
/// proportion to the ratings it holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrowdScores {
    raters: Vec<CrowdRater>,
    faces: HashMap<String, FaceCrowd>,
    /// Σ ratings, number of ratings, Σ ratings².
    totals: (f64, f64, f64),
    /// Other players whose profiles contributed.
    pub players: usize,
    /// Each rater's (mean, spread) ([`CrowdScores::rater_scales`]) for the
    /// raters added so far.
    scales: Derived<Vec<(f64, f64)>>,
}

/// A value worked out from the rest of a struct on first use and dropped
/// when the rest changes: it takes no part in comparisons.
#[derive(Debug, Clone, Default)]
struct Derived<T>(OnceLock<T>);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// How much each crowd rater agrees with one player, by rater name (only
/// those who agree count); see [`CrowdScores::neighbours`]. By name, so the
/// same neighbours serve the crowd of another pack the same people rated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Neighbours {
    weights: HashMap<String, f64>,
}

impl Neighbours {
    /// No neighbours: personal scores are the crowd's.
    pub fn none() -> Neighbours {
        Neighbours::default()
    }
    pub fn len(&self) -> usize {
        self.weights.len()
    }
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

/// A crowd seen by one player: [`CrowdScores::personal`].
#[derive(Debug, Clone)]
pub struct PersonalCrowd<'a> {
    crowd: &'a CrowdScores,
    /// Neighbour weight per rater index (0 for the others).
    weights: Vec<f64>,
}

impl PersonalCrowd<'_> {
    /// The face's crowd score for this player: [`CrowdScores::score`] plus
    /// what the player's neighbours think of it, each neighbour's rating in
    /// their own spreads from their own mean, weighted by agreement:
    /// `Σ w_r z_rf / (Σ w_r + 1)` over the neighbours who rated the face.
    pub fn score(&self, face: &str) -> Option<f64> {
        let crowd = self.crowd.faces.get(face)?;
        let scales = self.crowd.scales();
        let (mut pull, mut weight) = (0.0, 0.0);
        for &(r, v) in &crowd.rated {
            let w = self.weights[r];
            if w > 0.0 {
                let (m, sd) = scales[r];
                pull += w * ((v - m) / sd);
                weight += w;
            }
        }
        Some(self.crowd.face_score(crowd, scales) + pull / (weight + 1.0))
    }

    /// Whether any of the player's neighbours rated the face.
    pub fn rated_by_neighbours(&self, face: &str) -> bool {
        self.crowd
            .faces
            .get(face)
            .is_some_and(|c| c.rated.iter().any(|&(r, _)| self.weights[r] > 0.0))
    }
}

impl CrowdScores {
    pub fn new() -> Self {
        CrowdScores::default()
    }

    /// Adds one rater's ratings (face id, level on 1..=5); a face named twice
    /// keeps its last rating, and ratings that are not finite are skipped.
    pub fn add_rater<'a>(&mut self, name: &str, ratings: impl IntoIterator<Item = (&'a str, f64)>) {
        // In the order faces were first named, so the sums below run in a
        // fixed order (the same scores to the bit, run after run).
        let mut own: Vec<(&str, f64)> = Vec::new();
        let mut slot: HashMap<&str, usize> = HashMap::new();
        for (face, level) in ratings {
            if !level.is_finite() {
                continue;
            }
            match slot.get(face) {
                Some(&i) => own[i].1 = level,
                None => {
                    slot.insert(face, own.len());
                    own.push((face, level));
                }
            }
        }
        if own.is_empty() {
            return;
        }
        let index = self.raters.len();
        let rater = CrowdRater {
            name: name.to_string(),
            count: own.len(),
            sum: own.iter().map(|(_, v)| v).sum(),
            sum_sq: own.iter().map(|(_, v)| v * v).sum(),
        };
        for (face, level) in own {
            // A face already in the crowd costs no new string.
            match self.faces.get_mut(face) {
                Some(crowd) => crowd.rated.push((index, level)),
                None => {
                    let crowd = FaceCrowd {
                        rated: vec![(index, level)],
                    };
                    self.faces.insert(face.to_string(), crowd);
                }
            }
        }
        self.totals.0 += rater.sum;
        self.totals.1 += rater.count as f64;
        self.totals.2 += rater.sum_sq;
        self.raters.push(rater);
        // Every rater is shrunk towards the crowd, which this one changed.
        self.scales = Derived::default();
    }

    /// [`Self::add_rater`] followed by the work adding a rater did before
    /// the raters' scales were worked out on first use: every rater's scale,
    /// and every face's score and standardised ratings, again (the
    /// benchmarks' baseline). Returns their sum, so that none of it is left
    /// out.
    // Bench baseline only: the game adds raters with `add_rater`.
    #[doc(hidden)]
    pub fn add_rater_refreshing_every_face<'a>(
        &mut self,
        name: &str,
        ratings: impl IntoIterator<Item = (&'a str, f64)>,
    ) -> f64 {
        self.add_rater(name, ratings);
        let scales = self.rater_scales();
        let mut total = 0.0;
        for crowd in self.faces.values() {
            total += self.face_score(crowd, &scales);
            for &(r, v) in &crowd.rated {
                let (m, sd) = scales[r];
                total += (v - m) / sd;
            }
        }
        total
    }

    /// Every rater's mean and spread ([`Self::rater_scales`]), worked out
    /// once after the last rater was added.
    fn scales(&self) -> &[(f64, f64)] {
        self.scales.0.get_or_init(|| self.rater_scales())
    }

    /// [`Self::score`] of a face's crowd: the global mean plus the mean lift
    /// of its ratings over their raters' means, with one pseudo-rating of 0.
    fn face_score(&self, crowd: &FaceCrowd, scales: &[(f64, f64)]) -> f64 {
        let mut lift = 0.0;
        for &(r, v) in &crowd.rated {
            lift += v - scales[r].0;
        }
        self.global_mean() + lift / (crowd.rated.len() as f64 + 1.0)
    }

    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// Faces with at least one crowd rating.
    pub fn len(&self) -> usize {
        self.faces.len()
    }

    /// Mean of all crowd ratings (3 when there are none).
    pub fn global_mean(&self) -> f64 {
        let (s, n, _) = self.totals;
        if n > 0.0 {
            s / n
        } else {
            3.0
        }
    }

    /// Mean and spread of every rater, shrunk towards the crowd's by
    /// [`RATER_SHRINK`] pseudo-ratings.
    fn rater_scales(&self) -> Vec<(f64, f64)> {
        let (_, n, s_sq) = self.totals;
        let mean = self.global_mean();
        let var = if n > 0.0 {
            (s_sq / n - mean * mean).max(0.0)
        } else {
            1.0
        };
        self.raters
            .iter()
            .map(|r| {
                let k = r.count as f64;
                let m = (r.sum + RATER_SHRINK * mean) / (k + RATER_SHRINK);
                // Σ (v − m)² over the rater's own ratings, plus the pseudo-ratings' spread.
                let own = r.sum_sq - 2.0 * m * r.sum + k * m * m;
                let v = (own + RATER_SHRINK * var) / (k + RATER_SHRINK);
                (m, v.sqrt().max(MIN_SPREAD))
            })
            .collect()
    }

    /// The face's plain crowd score: the mean of its ratings shrunk towards
    /// the global mean by one pseudo-rating, `(Σ ratings + m) / (n + 1)`
    /// (the bench's `crowd` baseline); `None` for a face nobody rated.
    pub fn mean(&self, face: &str) -> Option<f64> {
        let crowd = self.faces.get(face)?;
        let s: f64 = crowd.rated.iter().map(|(_, v)| v).sum();
        Some((s + self.global_mean()) / (crowd.rated.len() as f64 + 1.0))
    }

    /// The face's crowd score: the global mean plus how far each rater put
    /// it above their own mean, averaged with one pseudo-rating of 0, so a
    /// generous rater who saw a face does not lift it. `None` for a face
    /// nobody rated.
    pub fn score(&self, face: &str) -> Option<f64> {
        let crowd = self.faces.get(face)?;
        Some(self.face_score(crowd, self.scales()))
    }

    /// This crowd as seen by a player with these neighbours (see
    /// [`PersonalCrowd::score`]).
    pub fn personal(&self, neighbours: &Neighbours) -> PersonalCrowd<'_> {
        let weights = self
            .raters
            .iter()
            .map(|r| neighbours.weights.get(&r.name).copied().unwrap_or(0.0))
            .collect();
        PersonalCrowd {
            crowd: self,
            weights,
        }
    }

    /// The crowd raters who rate like the player: for each rater with at
    /// least [`MIN_OVERLAP`] faces in common with `player` (face id, level),
    /// the Pearson correlation of the two on those faces, scaled by
    /// n / (n + [`OVERLAP_HALF`]) for n faces in common; raters who
    /// disagree or barely overlap are left out.
    pub fn neighbours<'a>(&self, player: impl IntoIterator<Item = (&'a str, f64)>) -> Neighbours {
        // Each rater's (player's rating, rater's rating) pairs, in the
        // player's order so that the correlation's sums run in a fixed
        // order; found through the faces, so a rater who shares none of the
        // player's faces costs nothing.
        let mut pairs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); self.raters.len()];
        for (face, mine) in player {
            if let Some(crowd) = self.faces.get(face) {
                for &(r, theirs) in &crowd.rated {
                    pairs[r].push((mine, theirs));
                }
            }
        }
        let mut weights = HashMap::new();
        for (rater, pairs) in self.raters.iter().zip(&pairs) {
            if pairs.len() < MIN_OVERLAP {
                continue;
            }
            let n = pairs.len() as f64;
            let w = pearson(pairs) * n / (n + OVERLAP_HALF);
            if w > 0.0 {
                *weights.entry(rater.name.clone()).or_insert(0.0) += w;
            }
        }
        Neighbours { weights }
    }
}

/// Pearson correlation of the pairs; 0 when either side is constant.
// Not `math::stats::pearson`: it sums x/n for the means, guards at 1e-12
// rather than 0 and takes one square root, so its last bits differ, and
// every neighbour weight (and the bench JSON) would move with them.
fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    let (ma, mb) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        ab += (x - ma) * (y - mb);
        aa += (x - ma) * (x - ma);
        bb += (y - mb) * (y - mb);
    }
    if aa <= 1e-12 || bb <= 1e-12 {
        0.0
    } else {
        ab / (aa * bb).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_mean_shrinks_towards_the_global_mean() {
        let mut crowd = CrowdScores::new();
        crowd.add_rater("r1", [("a", 5.0)]);
        for r in ["r2", "r3", "r4"] {
            crowd.add_rater(r, [("b", 1.0)]);
        }
        assert!((crowd.global_mean() - 2.0).abs() < 1e-12);
        assert!((crowd.mean("a").unwrap() - 3.5).abs() < 1e-12);
        assert!((crowd.mean("b").unwrap() - 1.25).abs() < 1e-12);
        assert_eq!(crowd.mean("c"), None);
        crowd.add_rater("r5", [("c", f64::NAN)]);
        assert_eq!(crowd.mean("c"), None);
        assert_eq!(crowd.score("c"), None);
        assert_eq!(crowd.len(), 2);
    }

    #[test]
    fn a_generous_rater_does_not_lift_the_faces_they_saw() {
        let mut crowd = CrowdScores::new();
        // A harsh rater singles out x; a generous one gives everything 5,
        // and is the only one who saw a.
        crowd.add_rater("harsh", [("x", 3.0), ("y", 1.0), ("z", 1.0), ("w", 1.0)]);
        crowd.add_rater("generous", [("a", 5.0), ("b", 5.0), ("c", 5.0), ("x", 5.0)]);
        let (x, a) = (crowd.score("x").unwrap(), crowd.score("a").unwrap());
        assert!(crowd.mean("a").unwrap() > crowd.mean("x").unwrap());
        assert!(x > a, "x {x} a {a}");
        assert!(a > crowd.score("y").unwrap());
    }

    #[test]
    fn raters_who_rate_like_the_player_count_for_more() {
        let mut crowd = CrowdScores::new();
        let shared = ["f1", "f2", "f3", "f4", "f5", "f6"];
        let player: Vec<(&str, f64)> = shared
            .iter()
            .enumerate()
            .map(|(i, f)| (*f, 1.0 + (i % 5) as f64))
            .collect();
        let reversed = |v: f64| 6.0 - v;
        let mut alike = player.clone();
        alike.extend([("new", 5.0), ("old", 1.0)]);
        let mut opposite: Vec<(&str, f64)> =
            player.iter().map(|&(f, v)| (f, reversed(v))).collect();
        opposite.extend([("new", 1.0), ("old", 5.0)]);
        crowd.add_rater("alike", alike);
        crowd.add_rater("opposite", opposite);
        // Two faces in common are too few to tell.
        crowd.add_rater("stranger", [("f1", 1.0), ("f2", 5.0), ("new", 5.0)]);
        let neighbours = crowd.neighbours(player.iter().copied());
        assert_eq!(neighbours.len(), 1, "{neighbours:?}");
        let personal = crowd.personal(&neighbours);
        let (new, old) = (
            personal.score("new").unwrap(),
            personal.score("old").unwrap(),
        );
        assert!(new > old + 0.5, "new {new} old {old}");
        assert!(personal.rated_by_neighbours("new"));
        assert!(!personal.rated_by_neighbours("nobody rated this"));
        assert!(!crowd
            .personal(&Neighbours::none())
            .rated_by_neighbours("new"));
        // Without neighbours only "stranger"'s extra rating separates them.
        assert!(crowd.score("new").unwrap() - crowd.score("old").unwrap() < new - old);
        assert_eq!(
            crowd.personal(&Neighbours::none()).score("f1"),
            crowd.score("f1")
        );
    }
}
