//! UI benchmarks for the half-block faces (issue #3, "Speed").
//!
//! 1. Bytes (printed table, not timed): a new 40x20-cell face drawn into a
//!    `Terminal<CrosstermBackend<Vec<u8>>>` from a blank previous frame, for
//!    ratatui-image's half-blocks (the baseline) and our own widget, over
//!    every face of `faces/default` and over the photos in
//!    `../shared/data/canada/images` (or `MYTYPE_BENCH_PHOTOS`), when present.
//!    Goal: 15 KB or less.
//! 2. `first_frame`: a 150-face pack loaded, a new profile, `App` built, the
//!    first face decoded (cold thumbnail cache), resized, encoded and drawn
//!    at 120x40. Goal: 150 ms or less.
//! 3. `key_to_frame`: a rating key applied (model update, re-ranking for the
//!    side panel, next face picked) and the next frame drawn with the next
//!    face already loaded. Goal: 16 ms or less. `play` saves the rating
//!    before drawing the frame that shows it (#28.8): the "saved first" row
//!    is the key→frame a player sees; "before" is the old order, where the
//!    frame came first and the save after it.
//!
//! 4. 256 colours (printed table, not timed): how far the 256-colour faces
//!    are from the picture, blurred and plain ΔE76 (see
//!    `mytype::ui::images::halfblock::fidelity`), for the first encoder (damped
//!    Floyd–Steinberg, the baseline) and the shade-mix encoder, over
//!    `faces/default` (and the photos, as in 1). Goal: blurred mean ≤ 3.
//! 5. `encode_256`: the time to resize and encode faces in 256 colours,
//!    baseline and ours, and to build the mix table (once a process).
//!
//! `MYTYPE_BENCH_DUMP=DIR` also writes, for the first faces of each set,
//! PNGs of the cells as drawn (ours, ours unmerged, ratatui-image), two
//! pixels a cell, for looking at.

use criterion::{criterion_group, criterion_main, Criterion};
use image::RgbImage;
use mytype::core::rating::Rating;
use mytype::pack::{generate, Pack};
use mytype::profile::{Profile, ProfileStore};
use mytype::ui::app::order::Order;
use mytype::ui::images::halfblock::fidelity::{
    perceptual_error, perceptual_error_in, shown_rgb, PerceptualError,
};
use mytype::ui::images::halfblock::{
    self, BlockCell, HalfblockImage, MixTable, Options, SHADE_MODELS,
};
use mytype::ui::images::{Encoder, FaceImage, ThumbnailCache};
use mytype::ui::screens::widgets::centre;
use mytype::ui::terminal::term_env::ColorDepth;
use mytype::ui::theme::Theme;
use mytype::ui::{self, Action, App, Screen};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use ratatui_image::picker::Picker;
use ratatui_image::Image;
use std::cell::Cell;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

const FACE: Size = Size::new(40, 20);
const SCREEN: Rect = Rect::new(0, 0, 120, 40);

/// Counts the bytes the terminal writes (a `Vec<u8>` writer that keeps only
/// its length: the backend's writer accessors are unstable).
#[derive(Clone, Default)]
struct Count(Rc<Cell<usize>>);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type VecTerminal = Terminal<CrosstermBackend<Count>>;

fn terminal(area: Rect, count: &Count) -> VecTerminal {
    Terminal::with_options(
        CrosstermBackend::new(count.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .expect("a counting terminal")
}

/// Bytes written to draw `face` centred in a blank 40x20 terminal.
fn face_bytes(face: &FaceImage) -> (usize, Buffer) {
    let count = Count::default();
    let mut t = terminal(Rect::new(0, 0, FACE.width, FACE.height), &count);
    let frame = t
        .draw(|f| {
            let s = face.size();
            let rect = centre(f.area(), s.width, s.height);
            match face {
                FaceImage::Graphics(p) => f.render_widget(Image::new(p), rect),
                FaceImage::Blocks(b) => f.render_widget(b, rect),
            }
        })
        .expect("draw");
    let buf = frame.buffer.clone();
    (count.0.get(), buf)
}

fn images_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| {
                        matches!(
                            x.to_string_lossy().to_ascii_lowercase().as_str(),
                            "png" | "jpg" | "jpeg" | "webp"
                        )
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The buffer's cells as an image, two pixels a cell (shade glyphs as the
/// mix of their colours).
fn buffer_png(buf: &Buffer) -> RgbImage {
    let a = buf.area;
    RgbImage::from_fn(u32::from(a.width), 2 * u32::from(a.height), |x, y| {
        let cell = &buf[(x as u16, (y / 2) as u16)];
        let block = BlockCell {
            symbol: cell.symbol().chars().next().unwrap_or(' '),
            fg: cell.fg,
            bg: cell.bg,
        };
        let (upper, lower) = shown_rgb(&block).unwrap_or(([0; 3], [0; 3]));
        image::Rgb(if y % 2 == 0 { upper } else { lower })
    })
}

/// Panels left to right, 6x enlarged, 8 pixels apart.
fn side_by_side(panels: &[RgbImage]) -> RgbImage {
    const ZOOM: u32 = 6;
    let h = panels.iter().map(|p| p.height()).max().unwrap_or(0) * ZOOM;
    let w = panels.iter().map(|p| p.width() * ZOOM + 8).sum::<u32>();
    let mut out = RgbImage::from_pixel(w.max(1), h.max(1), image::Rgb([128, 128, 128]));
    let mut x = 0;
    for p in panels {
        let big = image::imageops::resize(
            p,
            p.width() * ZOOM,
            p.height() * ZOOM,
            image::imageops::FilterType::Nearest,
        );
        image::imageops::overlay(&mut out, &big, i64::from(x), 0);
        x += p.width() * ZOOM + 8;
    }
    out
}

#[derive(Default)]
struct Tally {
    n: usize,
    sum: usize,
    max: usize,
}

impl Tally {
    fn add(&mut self, v: usize) {
        self.n += 1;
        self.sum += v;
        self.max = self.max.max(v);
    }
    fn mean(&self) -> f64 {
        self.sum as f64 / self.n.max(1) as f64
    }
}

// Long because: it measures every encoder on the same set in one table.
fn bytes_for_set(name: &str, paths: &[PathBuf], dump: Option<&Path>) {
    let baseline = Encoder::ratatui_image(Picker::halfblocks());
    let sweep: Vec<f32> = std::env::var("MYTYPE_BENCH_SWEEP")
        .ok()
        .map(|v| v.split(',').filter_map(|t| t.trim().parse().ok()).collect())
        .unwrap_or_default();
    let mut variants: Vec<(String, Options)> = vec![
        (
            "ours truecolor, no merging (tolerance 0)".into(),
            Options::exact(ColorDepth::TrueColor, 0.0),
        ),
        (
            format!(
                "ours truecolor (tol. {}, budget {} B/cell)",
                halfblock::DEFAULT_TOLERANCE,
                halfblock::DEFAULT_BYTES_PER_CELL
            ),
            Options::new(ColorDepth::TrueColor),
        ),
        (
            "ours 256 colours (shade mixes)".into(),
            Options::new(ColorDepth::Palette256),
        ),
        (
            "ours NO_COLOR shades".into(),
            Options::new(ColorDepth::Mono),
        ),
    ];
    for t in sweep {
        variants.push((
            format!("ours truecolor (tol. {t}, no budget)"),
            Options::exact(ColorDepth::TrueColor, t),
        ));
    }
    let mut base = Tally::default();
    let mut ours: Vec<Tally> = variants.iter().map(|_| Tally::default()).collect();
    let mut err_sum = vec![0.0f64; variants.len()];
    let mut err_max = vec![0.0f32; variants.len()];
    let mut cells = Tally::default();
    for (k, path) in paths.iter().enumerate() {
        let mut cache = ThumbnailCache::default();
        let Ok(img) = cache.get(path) else {
            eprintln!("  skipped (cannot decode): {}", path.display());
            continue;
        };
        let face = baseline.encode(&img, FACE).expect("ratatui-image encodes");
        let (bytes, buf) = face_bytes(&face);
        base.add(bytes);
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
        let dump_to = dump.filter(|_| k < 6).zip(stem);
        let mut panels = vec![buffer_png(&buf)];
        for (i, (_, options)) in variants.iter().enumerate() {
            let (blocks, stats) = HalfblockImage::encode_with_stats(&img, FACE, *options);
            if i == 1 {
                let s = blocks.size();
                cells.add(usize::from(s.width) * usize::from(s.height));
            }
            let (bytes, buf) = face_bytes(&FaceImage::Blocks(blocks));
            ours[i].add(bytes);
            err_sum[i] += f64::from(stats.mean_delta_e);
            err_max[i] = err_max[i].max(stats.max_delta_e);
            if dump_to.is_some() && options.depth != ColorDepth::Mono {
                panels.push(buffer_png(&buf));
            }
        }
        if let Some((dir, stem)) = &dump_to {
            let safe: String = name
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '_' })
                .collect();
            let _ = side_by_side(&panels).save(dir.join(format!("{safe}-{stem}.png")));
        }
    }
    println!(
        "\n{name}: {} images, drawn at {} cells on average (fitted into {}x{})",
        base.n,
        cells.mean().round(),
        FACE.width,
        FACE.height
    );
    println!(
        "  {:<44} {:>10} {:>10} {:>9} {:>14}",
        "encoder", "mean B", "max B", "vs base", "ΔE mean / max"
    );
    println!(
        "  {:<44} {:>10.0} {:>10} {:>9} {:>14}",
        "ratatui-image 11 halfblocks (baseline)",
        base.mean(),
        base.max,
        "1.00",
        "-"
    );
    for (i, (label, options)) in variants.iter().enumerate() {
        let err = if options.depth == ColorDepth::Mono {
            "-".to_string()
        } else {
            format!(
                "{:.2} / {:.1}",
                err_sum[i] / ours[i].n.max(1) as f64,
                err_max[i]
            )
        };
        println!(
            "  {:<44} {:>10.0} {:>10} {:>9.2} {:>14}",
            label,
            ours[i].mean(),
            ours[i].max,
            ours[i].mean() / base.mean().max(1.0),
            err
        );
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn bytes_table(_c: &mut Criterion) {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        println!("warning: NO_COLOR is set: crossterm writes no colours, the byte counts are meaningless");
    }
    println!(
        "\nBytes for a new {}x{}-cell face from a blank frame (load average {}); \
         ΔE76 against the same resize unmerged",
        FACE.width,
        FACE.height,
        load_average()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dump = std::env::var_os("MYTYPE_BENCH_DUMP").map(PathBuf::from);
    if let Some(d) = &dump {
        let _ = std::fs::create_dir_all(d);
    }
    bytes_for_set(
        "faces/default",
        &images_in(&root.join("faces/default/images")),
        dump.as_deref(),
    );
    let photos = std::env::var_os("MYTYPE_BENCH_PHOTOS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data/canada/images"));
    let found = images_in(&photos);
    if found.is_empty() {
        println!(
            "\nphotos: skipped, no images in {} (set MYTYPE_BENCH_PHOTOS)",
            photos.display()
        );
    } else {
        bytes_for_set("photos", &found, dump.as_deref());
    }
    println!();
}

/// A generated 150-face pack (100 to rate, 50 to reveal) and a profile store.
struct Setup {
    _dir: tempfile::TempDir,
    pack_dir: PathBuf,
    store: ProfileStore,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack_dir = dir.path().join("pack");
    let opts = generate::GenerateOptions {
        seed: 5,
        models: 100,
        celebrities: 50,
    };
    generate::generate_pack(&pack_dir, &opts).expect("generate");
    let store = ProfileStore::at(&dir.path().join("profiles"));
    Setup {
        _dir: dir,
        pack_dir,
        store,
    }
}

fn truecolor(picker: Picker) -> Encoder {
    Encoder::with_depth(picker, ColorDepth::TrueColor)
}

/// From nothing to the first frame showing the first face: returns its bytes.
fn first_frame(s: &Setup, encoder: &Encoder, order: Order) -> usize {
    let pack = Pack::load(&s.pack_dir).expect("pack");
    let profile = s
        .store
        .load_optional("bench")
        .expect("store")
        .unwrap_or_else(|| Profile::new("bench", &pack));
    // As `mytype play` runs it (no crowd in this pack).
    let mut app = App::new("bench", profile, pack, None, Theme { color: true })
        .expect("app")
        .with_options(order, None);
    // The loader sends the current face first and the loop draws it as soon
    // as it comes: only that one is needed.
    let wanted = ui::wanted_images(&app, SCREEN);
    let keys = app.images.want(&wanted);
    let mut cache = ThumbnailCache::default();
    let first = keys.into_iter().next().expect("a face to rate");
    let face = mytype::ui::images::load(encoder, &mut cache, &first);
    assert!(face.is_ok());
    app.images.finish(first, face);
    let count = Count::default();
    let mut t = terminal(SCREEN, &count);
    t.draw(|f| ui::render(&app, f)).expect("draw");
    count.0.get()
}

fn first_frame_bench(c: &mut Criterion) {
    let s = setup();
    println!("first_frame: load average {}", load_average());
    let mut group = c.benchmark_group("first_frame");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    let ours = truecolor(Picker::halfblocks());
    let theirs = Encoder::ratatui_image(Picker::halfblocks());
    group.bench_function("ours: pack 150 + profile + app + first face + draw", |b| {
        b.iter(|| black_box(first_frame(&s, &ours, Order::Adaptive)))
    });
    group.bench_function("baseline ratatui-image halfblocks: same", |b| {
        b.iter(|| black_box(first_frame(&s, &theirs, Order::Adaptive)))
    });
    group.bench_function("ours, --order pack: same", |b| {
        b.iter(|| black_box(first_frame(&s, &ours, Order::Pack)))
    });
    group.finish();
}

/// The game after `rated` ratings with every image the screen wants loaded
/// (current, guess, next), drawn once.
fn ready_app(
    s: &Setup,
    encoder: &Encoder,
    cache: &mut ThumbnailCache,
    order: Order,
) -> (App, VecTerminal) {
    let pack = Pack::load(&s.pack_dir).expect("pack");
    let profile = Profile::new("bench", &pack);
    // As `mytype play` runs it (no crowd in this pack).
    let mut app = App::new("bench", profile, pack, None, Theme { color: true })
        .expect("app")
        .with_options(order, None);
    for r in [Rating::Type, Rating::VeryWeak, Rating::Normal] {
        app.apply(Action::Rate(r));
    }
    ui::load_images_with(&mut app, SCREEN, encoder, cache);
    let mut t = terminal(SCREEN, &Count::default());
    t.draw(|f| ui::render(&app, f)).expect("draw");
    (app, t)
}

/// Times `step` (rating key → next frame) over `iters` ratings; the setup
/// between two ratings (loading the next face, as the loader would have
/// done meanwhile) is not timed.
fn time_keys(
    s: &Setup,
    encoder: &Encoder,
    order: Order,
    iters: u64,
    mut step: impl FnMut(&mut App, &mut VecTerminal),
) -> Duration {
    let mut cache = ThumbnailCache::default();
    let (mut app, mut t) = ready_app(s, encoder, &mut cache, order);
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        if app.screen != Screen::Rating || app.rated() > 90 {
            (app, t) = ready_app(s, encoder, &mut cache, order);
        }
        ui::load_images_with(&mut app, SCREEN, encoder, &mut cache);
        let start = Instant::now();
        step(&mut app, &mut t);
        total += start.elapsed();
    }
    total
}

fn rate_and_draw(app: &mut App, t: &mut VecTerminal) {
    let rating = Rating::ALL[app.rated() % 5];
    let effects = app.apply(Action::Rate(rating));
    black_box(effects);
    // The event loop asks for the images the new screen wants, then draws.
    let missing = app.images.want(&ui::wanted_images(app, SCREEN));
    black_box(missing);
    black_box(t.draw(|f| ui::render(app, f)).expect("draw").area);
}

fn key_to_frame_bench(c: &mut Criterion) {
    let s = setup();
    println!("key_to_frame: load average {}", load_average());
    let mut group = c.benchmark_group("key_to_frame");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(4));
    let ours = truecolor(Picker::halfblocks());
    let theirs = Encoder::ratatui_image(Picker::halfblocks());
    group.bench_function("ours: rate + re-rank + next face drawn", |b| {
        b.iter_custom(|iters| time_keys(&s, &ours, Order::Adaptive, iters, rate_and_draw))
    });
    group.bench_function(
        "ours, --order pack: the same without choosing the next face",
        |b| b.iter_custom(|iters| time_keys(&s, &ours, Order::Pack, iters, rate_and_draw)),
    );
    group.bench_function(
        "ours: the profile saved first (atomic write + fsync), then the frame (as play runs)",
        |b| {
            b.iter_custom(|iters| {
                time_keys(&s, &ours, Order::Adaptive, iters, |app, t| {
                    let rating = Rating::ALL[app.rated() % 5];
                    for effect in app.apply(Action::Rate(rating)) {
                        app.perform(effect, &s.store);
                    }
                    let _ = app.images.want(&ui::wanted_images(app, SCREEN));
                    t.draw(|f| ui::render(app, f)).expect("draw");
                })
            })
        },
    );
    group.bench_function(
        "before: the frame, then the profile saved (atomic write + fsync, after the frame)",
        |b| {
            b.iter_custom(|iters| {
                time_keys(&s, &ours, Order::Adaptive, iters, |app, t| {
                    let rating = Rating::ALL[app.rated() % 5];
                    let effects = app.apply(Action::Rate(rating));
                    let _ = app.images.want(&ui::wanted_images(app, SCREEN));
                    t.draw(|f| ui::render(app, f)).expect("draw");
                    for effect in effects {
                        app.perform(effect, &s.store);
                    }
                })
            })
        },
    );
    group.bench_function(
        "baseline ratatui-image halfblocks: rate + next face drawn",
        |b| b.iter_custom(|iters| time_keys(&s, &theirs, Order::Adaptive, iters, rate_and_draw)),
    );
    group.bench_function("baseline: redraw, nothing changed", |b| {
        b.iter_custom(|iters| {
            time_keys(&s, &ours, Order::Adaptive, iters, |app, t| {
                t.draw(|f| ui::render(app, f)).expect("draw");
            })
        })
    });
    group.finish();
}

/// One 256-colour encoder's errors over a set of faces.
#[derive(Default)]
struct ErrorTally {
    n: usize,
    blurred: f64,
    plain: f64,
    spots: f64,
    changes: f64,
    bytes: Tally,
    worst: (f32, String),
}

impl ErrorTally {
    fn add(&mut self, name: &str, e: PerceptualError, bytes: usize) {
        self.n += 1;
        self.blurred += f64::from(e.blurred);
        self.plain += f64::from(e.plain);
        self.spots += f64::from(e.spots);
        self.changes += f64::from(e.changes);
        self.bytes.add(bytes);
        if e.blurred > self.worst.0 {
            self.worst = (e.blurred, name.to_string());
        }
    }

    fn row(&self, label: &str) {
        let n = self.n.max(1) as f64;
        println!(
            "  {:<58} {:>8.2} {:>8.2} {:>8.1} {:>9.1} {:>8.0} {:>14}",
            label,
            self.blurred / n,
            self.plain / n,
            100.0 * self.spots / n,
            100.0 * self.changes / n,
            self.bytes.mean(),
            format!("{:.2} ({})", self.worst.0, self.worst.1)
        );
    }
}

fn colour_errors_for_set(name: &str, paths: &[PathBuf]) {
    let mut old = ErrorTally::default();
    let mut nearest = ErrorTally::default();
    let mut ours: Vec<ErrorTally> = SHADE_MODELS.iter().map(|_| ErrorTally::default()).collect();
    let mut truecolor = ErrorTally::default();
    for path in paths {
        let mut cache = ThumbnailCache::default();
        let Ok(img) = cache.get(path) else {
            continue;
        };
        let Some(picture) = HalfblockImage::resized(&img, FACE) else {
            continue;
        };
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let bytes = |blocks: &HalfblockImage| face_bytes(&FaceImage::Blocks(blocks.clone())).0;
        let legacy = HalfblockImage::encode_legacy_256(&img, FACE);
        let e = perceptual_error(&legacy, &picture).expect("same size, colours");
        old.add(&id, e, bytes(&legacy));
        let plain = nearest_palette_colours(&picture);
        let e = perceptual_error(&plain, &picture).expect("same size, colours");
        nearest.add(&id, e, bytes(&plain));
        let (shaded, _) =
            HalfblockImage::from_picture(&picture, Options::new(ColorDepth::Palette256));
        let shaded_bytes = bytes(&shaded);
        for (model, tally) in SHADE_MODELS.iter().zip(&mut ours) {
            let e = perceptual_error_in(&shaded, &picture, model).expect("same size, colours");
            tally.add(&id, e, shaded_bytes);
        }
        let (tc, _) = HalfblockImage::from_picture(&picture, Options::new(ColorDepth::TrueColor));
        let e = perceptual_error(&tc, &picture).expect("same size, colours");
        truecolor.add(&id, e, bytes(&tc));
    }
    println!(
        "\n{name}: {} images, drawn into {}x{} cells",
        old.n, FACE.width, FACE.height
    );
    println!(
        "  {:<58} {:>8} {:>8} {:>8} {:>9} {:>8} {:>14}",
        "encoder (shades drawn as)",
        "blurred",
        "plain",
        "spots %",
        "changes %",
        "mean B",
        "worst blurred"
    );
    old.row("256: first encoder, damped F-S (baseline)");
    nearest.row("256: nearest palette colour, no dithering");
    for (model, tally) in SHADE_MODELS.iter().zip(&ours) {
        tally.row(&format!("256: shade mixes ({})", model.name));
    }
    truecolor.row("truecolor, merged (for scale)");
}

/// Each pixel in its nearest palette colour, nothing else.
fn nearest_palette_colours(picture: &RgbImage) -> HalfblockImage {
    let mut nearest = picture.clone();
    for p in nearest.pixels_mut() {
        p.0 = halfblock::nearest_256(p.0).1;
    }
    HalfblockImage::from_picture(&nearest, Options::exact(ColorDepth::TrueColor, 0.0)).0
}

fn colour_table(_c: &mut Criterion) {
    println!(
        "\n256-colour faces against the picture: mean ΔE76 after a Gaussian blur of σ = {} pixel \
         (\"blurred\") and pixel by pixel (\"plain\"); spots: isolated dots per 100 flat cells; \
         changes: side-by-side flat cells drawn differently, per 100",
        mytype::ui::images::halfblock::fidelity::BLUR_SIGMA
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    colour_errors_for_set(
        "faces/default",
        &images_in(&root.join("faces/default/images")),
    );
    let photos = std::env::var_os("MYTYPE_BENCH_PHOTOS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data/canada/images"));
    let found = images_in(&photos);
    if !found.is_empty() {
        colour_errors_for_set("photos", &found);
    }
    println!();
}

fn encode_256_bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cache = ThumbnailCache::default();
    let faces: Vec<_> = images_in(&root.join("faces/default/images"))
        .iter()
        .take(10)
        .filter_map(|p| cache.get(p).ok())
        .collect();
    println!("encode_256: load average {}", load_average());
    let mut group = c.benchmark_group("encode_256");
    group.sample_size(20);
    group.bench_function("baseline: first encoder, 10 faces resized + encoded", |b| {
        b.iter(|| {
            for img in &faces {
                black_box(HalfblockImage::encode_legacy_256(img, FACE));
            }
        })
    });
    group.bench_function("ours: shade mixes, same 10 faces", |b| {
        b.iter(|| {
            for img in &faces {
                black_box(HalfblockImage::encode(
                    img,
                    FACE,
                    Options::new(ColorDepth::Palette256),
                ));
            }
        })
    });
    group.bench_function("ours: building the mix table (once a process)", |b| {
        b.iter(|| black_box(MixTable::build().len()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = bytes_table, colour_table, encode_256_bench, first_frame_bench, key_to_frame_bench
}
criterion_main!(benches);
