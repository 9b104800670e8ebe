//! "Next face ready" (issue #30, item 8): the share of rating keys whose
//! next face was already encoded when the key arrived, so the frame after
//! the rating shows it with no "loading" frame.
//!
//! Simulated players (a hidden taste over the pack's attributes, with
//! noise; seeded) play a round of the adaptive order on the bundled pack
//! (`faces/default`) and on a generated 1,200-face pack given an appeal and
//! a descriptor per face as a photo pack has. Between two keys the loader
//! is assumed to have finished (a human-speed player); each row decodes a
//! different number of faces ahead, the first being the game before
//! (one: the second of the ranking). Also per key: faces encoded (the
//! loader's work), the encoded faces held (memory), and the key→frame time
//! on this thread (rating, re-ranking, the images wanted, the frame drawn).
//! "After p99": the work once the frame is out (the face after each
//! rating), all of it; "wait": each of its steps (one rating's next face),
//! the longest a key typed meanwhile waits, since the runtime handles a
//! waiting key between two steps (0 in rows without that work).
//!
//! `cargo bench --bench decode_ahead` (printed table, no criterion).

use mytype::core::rating::Rating;
use mytype::game::recommend::Recommender;
use mytype::model::{Encoded, FeatureSpace};
use mytype::pack::{generate, Pack};
use mytype::profile::Profile;
use mytype::ui::app::order::Order;
use mytype::ui::images::ahead::DECODE_AHEAD;
use mytype::ui::images::halfblock::BlockCell;
use mytype::ui::images::{self, Encoder, ImageSlot, ThumbnailCache};
use mytype::ui::terminal::term_env::ColorDepth;
use mytype::ui::theme::Theme;
use mytype::ui::{self, Action, App, Screen};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use ratatui_image::picker::Picker;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SCREEN: Rect = Rect::new(0, 0, 120, 40);
const PLAYERS: u64 = 12;

/// A player's rating of every face of the rated pack, from a hidden taste.
fn player_ratings(pack: &Pack, seed: u64) -> HashMap<String, Rating> {
    let space = FeatureSpace::new(pack.manifest().attributes.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let taste = mytype::eval::simulate::Taste::random(&space, &mut rng);
    let faces: Vec<(String, Encoded)> = pack
        .model_faces()
        .map(|f| (f.id.clone(), space.encode(&f.attributes)))
        .collect();
    let noisy: Vec<f64> = faces
        .iter()
        .map(|(_, x)| taste.utility(x) + rng.random_range(-0.7..0.7))
        .collect();
    let ratings = mytype::eval::simulate::ratings_by_rank(&noisy);
    faces.into_iter().map(|(id, _)| id).zip(ratings).collect()
}

#[derive(Default)]
struct Row {
    keys: usize,
    ready: usize,
    encoded: usize,
    held_bytes: usize,
    held_max: usize,
    times: Vec<Duration>,
    /// The work once the frame is out (the faces after each rating).
    after_frame: Vec<Duration>,
    /// Each step of that work: the runtime checks for input between two
    /// steps, so a key typed during one waits at most for its end.
    steps: Vec<Duration>,
}

/// The `p` quantile of `times`, in ms.
fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

impl Row {
    fn percentile(&mut self, p: f64) -> f64 {
        percentile(&mut self.times, p)
    }
}

/// Bytes the encoded faces held by the UI take (cells × cell size).
fn held(app: &App, wanted: &[images::ImageKey]) -> usize {
    wanted
        .iter()
        .filter_map(|k| match app.images.get(k) {
            Some(ImageSlot::Ready(face)) => {
                let s = face.size();
                Some(usize::from(s.width) * usize::from(s.height) * size_of::<BlockCell>())
            }
            _ => None,
        })
        .sum()
}

/// Loads every image the screen wants (the loader between two keys); the
/// number encoded.
fn settle(app: &mut App, encoder: &Encoder, cache: &mut ThumbnailCache) -> usize {
    let wanted = ui::wanted_images(app, SCREEN);
    let missing = app.images.want(&wanted);
    let n = missing.len();
    for key in missing {
        let result = images::load(encoder, cache, &key);
        app.images.finish(key, result);
    }
    n
}

fn play(
    pack_dir: &Path,
    (ahead, exact): (usize, bool),
    seed: u64,
    row: &mut Row,
    cache: &mut ThumbnailCache,
) {
    let encoder = Encoder::with_depth(Picker::halfblocks(), ColorDepth::TrueColor);
    let pack = Pack::load(pack_dir).expect("pack");
    let ratings = player_ratings(&pack, seed);
    let profile = Profile::new("bench", &pack);
    let mut app = App::new("bench", profile, pack, None, Theme { color: true })
        .expect("app")
        .with_options(Order::Adaptive, None)
        .with_decode_ahead(ahead, exact);
    let mut terminal = Terminal::new(TestBackend::new(SCREEN.width, SCREEN.height)).expect("tb");
    // The first frame is out: the work after it, then the loader.
    app.after_frame();
    settle(&mut app, &encoder, cache);
    while app.screen == Screen::Rating {
        let Some(face) = app.current_face() else {
            break;
        };
        let rating = ratings.get(&face.id).copied().unwrap_or(Rating::Normal);
        let start = Instant::now();
        app.apply(Action::Rate(rating));
        let wanted = ui::wanted_images(&app, SCREEN);
        let shown = wanted.first().and_then(|k| app.images.get(k));
        let ready = matches!(shown, Some(ImageSlot::Ready(_)));
        let missing = app.images.want(&wanted);
        terminal.draw(|f| ui::render(&app, f)).expect("draw");
        let took = start.elapsed();
        if app.screen != Screen::Rating {
            break;
        }
        row.keys += 1;
        row.ready += usize::from(ready);
        row.times.push(took);
        // Once the frame is out, as the runtime does: the faces after each
        // rating (timed apart: it is off the key path).
        let start = Instant::now();
        let mut missing = missing;
        while app.after_frame_pending() {
            let step = Instant::now();
            if app.after_frame_step() {
                let wanted = ui::wanted_images(&app, SCREEN);
                missing.extend(app.images.want(&wanted));
            }
            row.steps.push(step.elapsed());
        }
        row.after_frame.push(start.elapsed());
        // The loader, before the next key.
        row.encoded += missing.len();
        for key in missing {
            let result = images::load(&encoder, cache, &key);
            app.images.finish(key, result);
        }
        let bytes = held(&app, &ui::wanted_images(&app, SCREEN));
        row.held_bytes += bytes;
        row.held_max = row.held_max.max(bytes);
    }
}

/// The generated pack with `models` faces to rate, each given an appeal
/// and a random descriptor as a photo pack has.
fn photo_pack(dir: &Path, models: usize) -> PathBuf {
    let pack_dir = dir.join(format!("photo-{models}"));
    let opts = generate::GenerateOptions {
        seed: 7,
        models,
        celebrities: 50,
    };
    generate::generate_pack(&pack_dir, &opts).expect("generate");
    let mut manifest = Pack::load(&pack_dir).expect("load").manifest().clone();
    let mut rng = ChaCha8Rng::seed_from_u64(models as u64);
    for (i, face) in manifest.faces.iter_mut().enumerate() {
        generate::give_photo_looks(face, i, &mut rng);
    }
    mytype::pack::write_manifest(&pack_dir, &manifest).expect("write");
    pack_dir
}

/// One hypothetical rating as the lookahead did it before (learnt on a
/// clone of the whole recommender) and now (learnt in place and forgotten,
/// `Recommender::what_if`), each followed by the ranking's first face, on
/// the same states of a player 20 ratings in; mean ms of each, same run.
fn hypothetical_ab(pack_dir: &Path) {
    let pack = Pack::load(pack_dir).expect("pack");
    let ratings = player_ratings(&pack, 0);
    let mut rec = Recommender::new(&pack, None).expect("recommender");
    let ids: Vec<&str> = pack.model_faces().map(|f| f.id.as_str()).collect();
    for id in &ids[..20] {
        rec.learn(id, ratings[*id]).expect("learn");
    }
    let (face, open) = (ids[20], &ids[21..]);
    let rated = |id: &str| ids[..21].contains(&id);
    let rounds = 20;
    let (mut cloned, mut in_place) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        for rating in Rating::ALL {
            let start = Instant::now();
            let mut copy = rec.clone();
            copy.learn(face, rating).expect("learn");
            let a = copy
                .top_questions(open, &rated, 1)
                .first()
                .map(|s| s.to_string());
            cloned += start.elapsed();
            let start = Instant::now();
            let b = rec
                .what_if(face, rating, |r| {
                    r.top_questions(open, &rated, 1)
                        .first()
                        .map(|s| s.to_string())
                })
                .expect("what if");
            in_place += start.elapsed();
            assert_eq!(a, b, "the same next face");
        }
    }
    let n = f64::from(rounds * 5);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / n;
    println!(
        "  one hypothetical rating + ranking: on a clone {:.2} ms, in place {:.2} ms (ratio {:.2})",
        ms(cloned),
        ms(in_place),
        in_place.as_secs_f64() / cloned.as_secs_f64()
    );
}

fn table(name: &str, pack_dir: &Path, rows: &[(usize, bool)]) {
    println!("\n{name}: {PLAYERS} simulated players, one round each, adaptive order, 120x40");
    println!(
        "  {:<34} {:>7} {:>12} {:>10} {:>11} {:>11} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "decoded ahead",
        "keys",
        "next ready",
        "encoded/key",
        "held mean",
        "held max",
        "k→f p50",
        "k→f p99",
        "after p99",
        "wait p50",
        "wait p99"
    );
    let mut cache = ThumbnailCache::default();
    for &(ahead, exact) in rows {
        let mut row = Row::default();
        for seed in 0..PLAYERS {
            play(pack_dir, (ahead, exact), seed, &mut row, &mut cache);
        }
        let label = match (ahead, exact) {
            (1, _) => "1 (before: the 2nd of the ranking)".to_string(),
            (n, true) => format!("{n} + after each rating (now)"),
            (n, false) => n.to_string(),
        };
        let keys = row.keys.max(1) as f64;
        let (p50, p99) = (row.percentile(0.5), row.percentile(0.99));
        println!(
            "  {:<34} {:>7} {:>11.1}% {:>10.2} {:>9.0} KB {:>8.0} KB {:>6.2} ms {:>6.2} ms {:>6.2} ms {:>6.2} ms {:>6.2} ms",
            label,
            row.keys,
            100.0 * row.ready as f64 / keys,
            row.encoded as f64 / keys,
            row.held_bytes as f64 / keys / 1000.0,
            row.held_max as f64 / 1000.0,
            p50,
            p99,
            percentile(&mut row.after_frame, 0.99),
            percentile(&mut row.steps, 0.5),
            percentile(&mut row.steps, 0.99),
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a name filter other than ours skips.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !"decode_ahead next face ready".contains(f.as_str())) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = [
        (1, false),
        (4, false),
        (DECODE_AHEAD, false),
        (DECODE_AHEAD, true),
        (16, false),
    ];
    table("faces/default (bundled)", &root.join("faces/default"), &all);
    // Under `cargo test` (no `--bench`) the bundled pack only, to keep it
    // working without minutes of unoptimised games on a big pack.
    if !std::env::args().any(|a| a == "--bench") {
        println!("decode_ahead: the 1,200-face pack runs under `cargo bench` only");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mid = photo_pack(dir.path(), 1200);
    table("generated photo pack, 1,200 faces", &mid, &all);
    hypothetical_ab(&mid);
    // The biggest pack: the rows before and now only (minutes of games).
    let now = [(DECODE_AHEAD, false), (DECODE_AHEAD, true)];
    let big = photo_pack(dir.path(), 3000);
    table("generated photo pack, 3,000 faces", &big, &now);
    hypothetical_ab(&big);
    println!();
}
