//! Writes the sample profiles in `profiles/` (alex, sam, robin), each rating
//! every face to rate of `faces/default` from a hidden taste over the faces'
//! attributes: `cargo run --example sample_profiles [-- OUT_DIR [PACK_DIR]]`.
//!
//! Deterministic: the same pack gives byte-identical files (the rating times
//! are a fixed evening, a few seconds apart).

use mytype::eval::simulate::ratings_by_rank;
use mytype::pack::Pack;
use mytype::profile::{Profile, ProfileStore, RatingEntry};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// A hidden taste: (attribute, level, weight); the levels a face has add up.
struct Taste {
    player: &'static str,
    likes: &'static [(&'static str, &'static str, f64)],
    /// When the player started rating (seconds since the Unix epoch).
    start: u64,
}

const TASTES: &[Taste] = &[
    Taste {
        player: "alex",
        likes: &[
            ("sex", "female", 3.0),
            ("hair_color", "red", 1.8),
            ("hair_length", "long", 1.4),
            ("smile", "broad", 1.2),
            ("glasses", "glasses", -1.0),
        ],
        start: 1_750_000_000,
    },
    Taste {
        player: "sam",
        likes: &[
            ("sex", "male", 3.0),
            ("facial_hair", "beard", 1.8),
            ("age", "middle_aged", 1.3),
            ("glasses", "glasses", 1.1),
            ("hair_color", "black", 0.8),
        ],
        start: 1_750_000_900,
    },
    Taste {
        player: "robin",
        likes: &[
            ("smile", "broad", 1.6),
            ("eye_size", "large", 1.5),
            ("hair_length", "short", 1.3),
            ("age", "young_adult", 1.0),
            ("lips", "full", 0.8),
        ],
        start: 1_750_001_800,
    },
];

/// A small deterministic jitter in [0, 0.3) so equal utilities do not tie.
fn jitter(id: &str, player: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes().chain(player.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % 1000) as f64 / 1000.0 * 0.3
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "profiles".into()));
    let pack_dir = match args.next() {
        Some(dir) => PathBuf::from(dir),
        None => mytype::default_pack_dir()?,
    };
    let pack = Pack::load(&pack_dir)?;
    let store = ProfileStore::at(&out);
    for taste in TASTES {
        let faces: Vec<_> = pack.model_faces().collect();
        let utilities: Vec<f64> = faces
            .iter()
            .map(|f| {
                let liked: f64 = taste
                    .likes
                    .iter()
                    .filter(|(a, l, _)| f.attributes.get(*a).map(String::as_str) == Some(*l))
                    .map(|(_, _, w)| w)
                    .sum();
                liked + jitter(&f.id, taste.player)
            })
            .collect();
        let levels = ratings_by_rank(&utilities);
        let mut profile = Profile::new(taste.player, &pack);
        let mut t = taste.start;
        for (face, level) in faces.iter().zip(levels) {
            t += 3 + (jitter(&face.id, "time") * 20.0) as u64;
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(t);
            profile.ratings.push(RatingEntry {
                face: face.id.clone(),
                level,
                time: humantime::format_rfc3339_seconds(time).to_string(),
            });
        }
        store.save(taste.player, &profile)?;
        eprintln!(
            "wrote {} ratings to {}",
            profile.ratings.len(),
            store.path_of(taste.player)?.display()
        );
    }
    Ok(())
}
