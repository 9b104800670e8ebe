//! Loading a pack's crowd: the pack's own `crowd` fields and the other
//! players' profiles in the profiles folder (see [`crate::model::crowd`]).
//! Every guest of `mytype serve` and every `play` and `recommend` loads
//! it, so it reads each profile only as far as the crowd needs
//! ([`crate::profile::view`]); the full reading is kept as the
//! benchmarks' baseline and the tests' reference.

use crate::core::rating::Rating;
use crate::model::crowd::{CrowdScores, PACK_CROWD};
use crate::pack::Pack;
use crate::profile::ProfileStore;
use std::collections::HashSet;

/// The crowd for a player's game: scores for the pack they rate and for the
/// pack the reveal picks from (`reveal`; the same scores when there is none).
/// `play`, `recommend`, `card` and every guest of `mytype serve` load it so.
pub fn rated_and_reveal_crowds(
    store: &ProfileStore,
    player: &str,
    pack: &Pack,
    reveal: Option<&Pack>,
) -> (CrowdScores, CrowdScores) {
    let rated = crowd_scores(pack, Some(store), player);
    let revealed = match reveal {
        Some(other) => crowd_scores(other, Some(store), player),
        None => rated.clone(),
    };
    (rated, revealed)
}

/// How a rater's ratings are added (the benchmarks compare two ways).
type AddRater<'f> = &'f dyn Fn(&mut CrowdScores, &str, Vec<(&str, f64)>);

/// Crowd scores for `pack`'s faces: the faces' `crowd` fields (one rater,
/// [`PACK_CROWD`]) and the latest ratings in every other player's profile in
/// `store` that rated a pack of the same name (one profile per player).
/// Profiles of `player` (their own backups included) and unreadable
/// profiles are left out.
pub fn crowd_scores(pack: &Pack, store: Option<&ProfileStore>, player: &str) -> CrowdScores {
    let add: AddRater = &|crowd, name, ratings| crowd.add_rater(name, ratings);
    let mut loader = Loader::new(pack, player, add);
    if let Some(store) = store {
        store.for_each_view(|name, view| {
            loader.consider(name, &view.player, &view.pack.name, || {
                view.latest_ratings()
            })
        });
    }
    loader.finish()
}

/// [`crowd_scores`] reading every profile in full
/// ([`ProfileStore::readable_profiles`]), as it did before (the benchmarks'
/// baseline and the tests' reference: the same scores to the bit).
// Bench baseline only: the game loads with `crowd_scores`.
#[doc(hidden)]
pub fn crowd_scores_from_full_profiles(
    pack: &Pack,
    store: Option<&ProfileStore>,
    player: &str,
) -> CrowdScores {
    let add: AddRater = &|crowd, name, ratings| crowd.add_rater(name, ratings);
    full_profiles_by(pack, store, player, add)
}

/// [`crowd_scores_from_full_profiles`] with every face's scores refreshed
/// after each rater, as before that (the benchmarks' older baseline).
// Bench baseline only: the game loads with `crowd_scores`.
#[doc(hidden)]
pub fn crowd_scores_refreshing_every_face(
    pack: &Pack,
    store: Option<&ProfileStore>,
    player: &str,
) -> CrowdScores {
    let add: AddRater = &|crowd, name, ratings| {
        std::hint::black_box(crowd.add_rater_refreshing_every_face(name, ratings));
    };
    full_profiles_by(pack, store, player, add)
}

fn full_profiles_by(
    pack: &Pack,
    store: Option<&ProfileStore>,
    player: &str,
    add: AddRater,
) -> CrowdScores {
    let mut loader = Loader::new(pack, player, add);
    for (name, profile) in store
        .map(ProfileStore::readable_profiles)
        .unwrap_or_default()
    {
        loader.consider(&name, &profile.player, &profile.pack.name, || {
            profile.latest_ratings()
        });
    }
    loader.finish()
}

/// The crowd being loaded, and who is in it so far.
struct Loader<'p, 'f> {
    pack: &'p Pack,
    /// The pack's face ids, for finding a rating's face at once.
    faces: HashSet<&'p str>,
    player: &'p str,
    crowd: CrowdScores,
    /// A player counts once, however many profiles (backups) they have.
    counted: HashSet<String>,
    add: AddRater<'f>,
}

impl<'p, 'f> Loader<'p, 'f> {
    fn new(pack: &'p Pack, player: &'p str, add: AddRater<'f>) -> Self {
        let mut crowd = CrowdScores::new();
        add(
            &mut crowd,
            PACK_CROWD,
            pack.faces()
                .iter()
                .filter_map(|f| Some((f.id.as_str(), f.crowd?)))
                .collect(),
        );
        Loader {
            pack,
            faces: pack.faces().iter().map(|f| f.id.as_str()).collect(),
            player,
            crowd,
            counted: HashSet::new(),
            add,
        }
    }

    /// Adds the profile `name` of player `their` on pack `their_pack`,
    /// unless it is the player's own, of another pack, or a player already
    /// counted; `latest` gives its latest rating per face.
    fn consider<'r>(
        &mut self,
        name: &str,
        their: &str,
        their_pack: &str,
        latest: impl FnOnce() -> Vec<(&'r str, Rating)>,
    ) {
        if name == self.player
            || their == self.player
            || their_pack != self.pack.name()
            || self.counted.contains(their)
        {
            return;
        }
        let ratings: Vec<(&str, f64)> = latest()
            .into_iter()
            .filter(|(face, _)| self.faces.contains(face))
            .map(|(face, level)| (face, f64::from(level.value())))
            .collect();
        if ratings.is_empty() {
            return;
        }
        (self.add)(&mut self.crowd, their, ratings);
        self.counted.insert(their.to_string());
    }

    fn finish(mut self) -> CrowdScores {
        self.crowd.players = self.counted.len();
        self.crowd
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::generate::{generate_pack, GenerateOptions};
    use crate::profile::view::ProfileView;
    use crate::profile::Profile;

    fn small_pack() -> (tempfile::TempDir, Pack) {
        let dir = tempfile::tempdir().unwrap();
        let opts = GenerateOptions {
            seed: 2,
            models: 30,
            celebrities: 10,
        };
        generate_pack(dir.path(), &opts).unwrap();
        let pack = Pack::load(dir.path()).unwrap();
        (dir, pack)
    }

    /// Profiles of every kind the crowd meets: players, backups, the
    /// player's own, other packs, re-rated faces, faces the pack lacks, and
    /// files that are not profiles, written by hand in the forms RON allows.
    fn mixed_folder(pack: &Pack) -> (tempfile::TempDir, ProfileStore) {
        let folder = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(folder.path());
        let ids: Vec<&str> = pack.faces().iter().map(|f| f.id.as_str()).collect();
        for p in 0..12 {
            let mut profile = Profile::new(&format!("p{p}"), pack);
            for k in 0..25 {
                let face = ids[(p * 7 + k * 3) % ids.len()];
                profile.push(face, Rating::ALL[(p + k * k) % 5]);
            }
            profile.push("not-in-the-pack", Rating::Type);
            store.save(&format!("p{p}"), &profile).unwrap();
            // A backup of the same player rates otherwise: counted once.
            if p % 4 == 0 {
                profile.ratings.reverse();
                store.save(&format!("p{p}.bak"), &profile).unwrap();
            }
        }
        let mut own = Profile::new("me", pack);
        own.push(ids[0], Rating::Type);
        store.save("me", &own).unwrap();
        store.save("me-old", &own).unwrap();
        let mut other = Profile::new("zed", pack);
        other.pack.name = "another pack".into();
        other.push(ids[1], Rating::Type);
        store.save("zed", &other).unwrap();
        let (a, b) = (ids[2], ids[3]);
        let hand_written = [
            // Struct names written out, an unknown field, no hash, an escape.
            ("named", format!("Profile(version: 1, player: \"named\", extra: 3, pack: PackRef(name: \"default\"), ratings: [RatingEntry(face: \"{a}\", level: 5, time: \"t\"), (face: \"\\u{{{:x}}}{}\", level: 2, time: \"\")])", a.chars().next().unwrap() as u32, &a[1..])),
            ("no-ratings", "(version: 1, player: \"no-ratings\", pack: (name: \"default\"))".into()),
            ("bytes-time", format!("(version: 1, player: \"bytes-time\", pack: (name: \"default\", hash: \"h\"), ratings: [(face: \"{b}\", level: 4, time: b\"t\")])")),
            ("num-time", format!("(version: 1, player: \"num-time\", pack: (name: \"default\"), ratings: [(face: \"{b}\", level: 4, time: 5)])")),
            ("num-hash", format!("(version: 1, player: \"num-hash\", pack: (name: \"default\", hash: 5), ratings: [(face: \"{b}\", level: 4, time: \"t\")])")),
            ("wrong-name", format!("Profil(version: 1, player: \"wrong-name\", pack: (name: \"default\"), ratings: [(face: \"{b}\", level: 4, time: \"t\")])")),
            ("level-7", format!("(version: 1, player: \"level-7\", pack: (name: \"default\"), ratings: [(face: \"{b}\", level: 7, time: \"t\")])")),
            ("future", format!("(version: 2, player: \"future\", pack: (name: \"default\"), ratings: [(face: \"{b}\", level: 4, time: \"t\")])")),
            ("zero", format!("(version: 0, player: \"zero\", pack: (name: \"default\"), ratings: [(face: \"{b}\", level: 4, time: \"t\")])")),
            ("twice", "(version: 1, player: \"twice\", player: \"x\", pack: (name: \"default\"), ratings: [])".into()),
            ("cut", format!("(version: 1, player: \"cut\", pack: (name: \"default\"), ratings: [(face: \"{b}\", le")),
        ];
        for (name, text) in &hand_written {
            std::fs::write(store.path_of(name).unwrap(), text).unwrap();
        }
        std::fs::write(
            store.path_of("latin1").unwrap(),
            b"(version: 1, player: \"\xe9\"",
        )
        .unwrap();
        std::os::unix::fs::symlink(store.path_of("p1").unwrap(), store.path_of("link").unwrap())
            .unwrap();
        (folder, store)
    }

    #[test]
    fn the_crowd_view_reads_the_same_crowd_as_full_profiles_to_the_bit() {
        let (_dir, pack) = small_pack();
        let (folder, store) = mixed_folder(&pack);
        // Each file: the view reads it exactly when the full reading does.
        for entry in std::fs::read_dir(folder.path()).unwrap() {
            let path = entry.unwrap().path();
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let full = Profile::parse(text, &path);
            let view = ProfileView::parse(text);
            assert_eq!(view.is_some(), full.is_ok(), "{}: {full:?}", path.display());
            if let (Some(view), Ok(full)) = (view, full) {
                assert_eq!(view.player, full.player);
                assert_eq!(view.pack.name, full.pack.name);
                assert_eq!(view.latest_ratings(), full.latest_ratings());
            }
        }
        let fast = crowd_scores(&pack, Some(&store), "me");
        let full = crowd_scores_from_full_profiles(&pack, Some(&store), "me");
        // p0-p11 and "named" (RON's byte strings are not strings to either).
        assert_eq!(fast.players, 13);
        assert_eq!(fast, full);
        for face in pack.faces() {
            let (a, b) = (fast.score(&face.id), full.score(&face.id));
            assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "{}", face.id);
        }
        let refreshed = crowd_scores_refreshing_every_face(&pack, Some(&store), "me");
        assert_eq!(fast, refreshed);
        assert_eq!(
            crowd_scores(&pack, None, "me"),
            crowd_scores_from_full_profiles(&pack, None, "me")
        );
    }
}
