//! The encoder's tests (truecolor merging, NO_COLOR, 256 colours on the
//! bundled faces, byte budget).

use super::colour::lab;
use super::*;
use image::{Rgb, RgbImage};

const RED: [u8; 3] = [200, 30, 40];
const BLUE: [u8; 3] = [20, 40, 210];

fn truecolor(tolerance: f32) -> Options {
    Options::exact(ColorDepth::TrueColor, tolerance)
}

fn image(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 3]) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| Rgb(f(x, y))))
}

fn colours(img: &HalfblockImage) -> Vec<Color> {
    let mut out: Vec<Color> = Vec::new();
    for c in img.cells() {
        for col in [c.fg, c.bg] {
            if !out.contains(&col) {
                out.push(col);
            }
        }
    }
    out
}

#[test]
fn a_uniform_image_is_one_run_of_spaces() {
    let img = image(64, 64, |_, _| RED);
    let (blocks, stats) =
        HalfblockImage::encode_with_stats(&img, Size::new(20, 10), truecolor(6.0));
    assert_eq!(blocks.size(), Size::new(20, 10));
    assert_eq!(stats.runs, 1);
    assert!(blocks.cells().iter().all(|c| c.symbol == SPACE));
    assert_eq!(colours(&blocks), vec![Color::Rgb(200, 30, 40)]);
    assert!(stats.max_delta_e < 0.01, "{stats:?}");
}

#[test]
fn a_two_colour_image_keeps_both_colours() {
    // Top half red, bottom half blue, and a cell row that straddles both.
    let size = Size::new(4, 3);
    let mut pairs = vec![(RED, RED); 4];
    pairs.extend(vec![(RED, BLUE); 4]);
    pairs.extend(vec![(BLUE, BLUE); 4]);
    let (blocks, stats) = HalfblockImage::from_pairs(size, &pairs, truecolor(10.0));
    assert_eq!(stats.runs, 1, "two colours fit one run");
    let want = [Color::Rgb(200, 30, 40), Color::Rgb(20, 40, 210)];
    for c in &colours(&blocks) {
        assert!(want.contains(c), "{c:?}");
    }
    // Every pixel shows its own colour.
    for (cell, (u, l)) in blocks.cells().iter().zip(&pairs) {
        let shown = |upper: bool| match (cell.symbol, upper) {
            (SPACE, _) => cell.bg,
            (FULL, _) => cell.fg,
            (UPPER, true) | (LOWER, false) => cell.fg,
            _ => cell.bg,
        };
        let rgb = |c: [u8; 3]| Color::Rgb(c[0], c[1], c[2]);
        assert_eq!(shown(true), rgb(*u), "{cell:?}");
        assert_eq!(shown(false), rgb(*l), "{cell:?}");
    }
    assert!(stats.max_delta_e < 0.01);
}

#[test]
fn near_colours_merge_within_the_tolerance_and_far_ones_do_not() {
    let a = [120, 120, 120];
    let near = [123, 121, 119];
    let far = [150, 120, 120];
    let (d_near, d_far) = (delta_e(a, near), delta_e(a, far));
    assert!(d_near < 3.0 && d_far > 8.0, "{d_near} {d_far}");

    // Alternating a / near: one run, within the tolerance.
    let pairs: Vec<_> = (0..8)
        .map(|i| if i % 2 == 0 { (a, a) } else { (near, near) })
        .collect();
    let (blocks, stats) = HalfblockImage::from_pairs(Size::new(8, 1), &pairs, truecolor(4.0));
    assert_eq!(stats.runs, 1);
    assert_eq!(colours(&blocks).len(), 1, "merged into one colour");
    assert!(stats.max_delta_e <= 4.0, "{stats:?}");

    // Without merging they stay apart (two colours of one run: solid
    // cells need only one of the pair).
    let (exact, _) = HalfblockImage::from_pairs(Size::new(8, 1), &pairs, truecolor(0.0));
    assert_eq!(colours(&exact).len(), 2);

    // a, near, far: `far` is more than the tolerance away, so it is kept
    // (as the run's second colour) and drawn exactly.
    let pairs = [(a, a), (near, near), (far, far), (far, a)];
    let (blocks, stats) = HalfblockImage::from_pairs(Size::new(4, 1), &pairs, truecolor(4.0));
    assert!(stats.max_delta_e <= 4.0, "{stats:?}");
    let cs = colours(&blocks);
    assert_eq!(cs.len(), 2, "{cs:?}");
    assert!(cs.contains(&Color::Rgb(150, 120, 120)), "{cs:?}");
    // A third distinct colour starts a new run.
    let pairs = [(a, far), (BLUE, BLUE)];
    let (_, stats) = HalfblockImage::from_pairs(Size::new(2, 1), &pairs, truecolor(4.0));
    assert_eq!(stats.runs, 2);
}

#[test]
fn merging_never_exceeds_the_tolerance_on_a_gradient() {
    let img = image(80, 80, |x, y| [(x * 3) as u8, (y * 3) as u8, 128]);
    for t in [0.0, 2.0, 6.0, 12.0] {
        let (_, stats) = HalfblockImage::encode_with_stats(&img, Size::new(40, 20), truecolor(t));
        assert!(stats.max_delta_e <= t + 1e-3, "t={t}: {stats:?}");
    }
    let (_, loose) = HalfblockImage::encode_with_stats(&img, Size::new(40, 20), truecolor(12.0));
    let (_, tight) = HalfblockImage::encode_with_stats(&img, Size::new(40, 20), truecolor(0.0));
    assert!(loose.runs < tight.runs / 2, "{loose:?} vs {tight:?}");
}

#[test]
fn fits_keeping_the_aspect() {
    assert_eq!(fit(256, 256, Size::new(40, 20)), Size::new(40, 20));
    assert_eq!(fit(256, 256, Size::new(52, 16)), Size::new(32, 16));
    assert_eq!(fit(200, 100, Size::new(40, 20)), Size::new(40, 10));
    assert_eq!(
        fit(10, 10, Size::new(40, 20)),
        Size::new(40, 20),
        "enlarged"
    );
    assert_eq!(fit(1, 1000, Size::new(40, 20)), Size::new(1, 20));
    assert_eq!(fit(0, 10, Size::new(40, 20)), Size::new(0, 0));
}

#[test]
fn drawing_never_leaves_the_area() {
    let img = image(100, 100, |x, _| if x < 50 { RED } else { BLUE });
    let blocks = HalfblockImage::encode(&img, Size::new(7, 3), Options::new(ColorDepth::TrueColor));
    assert_eq!(blocks.size(), Size::new(6, 3));

    // Drawn into an area smaller than the image: clipped to it.
    let full = Rect::new(0, 0, 12, 8);
    let mut buf = Buffer::empty(full);
    let area = Rect::new(2, 3, 4, 2);
    (&blocks).render(area, &mut buf);
    for y in 0..full.height {
        for x in 0..full.width {
            let inside = area.contains(ratatui::layout::Position::new(x, y));
            let untouched = buf[(x, y)] == ratatui::buffer::Cell::default();
            assert_eq!(untouched, !inside, "({x}, {y})");
        }
    }
    // An area partly outside the buffer is fine too.
    (&blocks).render(Rect::new(10, 7, 7, 3), &mut buf);
}

#[test]
fn a_zero_size_area_is_fine() {
    let img = image(16, 16, |_, _| RED);
    for area in [Size::new(0, 0), Size::new(0, 5), Size::new(5, 0)] {
        let (blocks, stats) =
            HalfblockImage::encode_with_stats(&img, area, Options::new(ColorDepth::TrueColor));
        assert_eq!(blocks.size(), Size::new(0, 0));
        assert!(blocks.cells().is_empty());
        assert_eq!(stats.runs, 0);
    }
    let blocks = HalfblockImage::encode(&img, Size::new(4, 2), Options::new(ColorDepth::TrueColor));
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 4));
    (&blocks).render(Rect::new(1, 1, 0, 0), &mut buf);
    assert_eq!(buf, Buffer::empty(Rect::new(0, 0, 4, 4)));
    let (empty, _) = HalfblockImage::from_pairs(Size::new(3, 3), &[(RED, RED)], truecolor(1.0));
    assert!(
        empty.cells().is_empty(),
        "wrong pair count: empty, no panic"
    );
}

#[test]
fn palette_256_uses_only_the_cube_and_greys() {
    let img = image(64, 64, |x, y| [(x * 4) as u8, (y * 4) as u8, 90]);
    let blocks =
        HalfblockImage::encode(&img, Size::new(16, 8), Options::new(ColorDepth::Palette256));
    for c in blocks.cells() {
        for col in [c.fg, c.bg] {
            assert!(matches!(col, Color::Indexed(i) if i >= 16), "{col:?}");
        }
    }
    assert_eq!(nearest_256([0, 0, 0]).0, 16);
    assert_eq!(nearest_256([255, 255, 255]).0, 231);
    assert_eq!(nearest_256([95, 135, 175]).1, [95, 135, 175]);
}

#[test]
fn no_color_draws_shades_without_colours() {
    // Black top half, white bottom half, a grey band.
    let img = image(8, 8, |_, y| match y {
        0..=3 => [0, 0, 0],
        4 => [255, 255, 255],
        5 => [0, 0, 0],
        _ => [255, 255, 255],
    });
    let blocks = HalfblockImage::encode(&img, Size::new(8, 4), Options::new(ColorDepth::Mono));
    assert_eq!(blocks.size(), Size::new(8, 4));
    assert!(blocks
        .cells()
        .iter()
        .all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    let column: Vec<char> = (0..4).map(|y| blocks.cells()[y * 8].symbol).collect();
    assert_eq!(column, vec![SPACE, SPACE, UPPER, FULL]);
    // Uniform: a mid shade, not a blank.
    let flat = HalfblockImage::encode(
        &image(4, 4, |_, _| RED),
        Size::new(2, 1),
        Options::new(ColorDepth::Mono),
    );
    assert!(flat.cells().iter().all(|c| c.symbol == '▒'));
}

#[test]
fn lab_and_delta_e_are_sane() {
    let white = lab([255, 255, 255]);
    assert!(
        (white[0] - 100.0).abs() < 0.1 && white[1].abs() < 0.5,
        "{white:?}"
    );
    assert!(lab([0, 0, 0])[0].abs() < 0.1);
    assert!(delta_e([255, 0, 0], [0, 0, 255]) > 100.0);
    assert_eq!(delta_e(RED, RED), 0.0);
}

/// Every face of the bundled pack.
fn bundled_faces() -> Vec<(String, DynamicImage)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default/images");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().to_string();
            (
                id,
                image::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect()
}

#[test]
fn bundled_faces_in_256_colours_look_like_the_picture() {
    let area = Size::new(40, 20);
    let faces = bundled_faces();
    assert!(faces.len() >= 50, "{}", faces.len());
    let mut blurred = [0.0f32; SHADE_MODELS.len()];
    for (id, img) in &faces {
        let picture = HalfblockImage::resized(img, area).unwrap();
        let (ours, _) =
            HalfblockImage::from_picture(&picture, Options::new(ColorDepth::Palette256));
        // However the terminal draws the shade glyphs: no speckle, and
        // no face far off.
        for (model, sum) in SHADE_MODELS.iter().zip(&mut blurred) {
            let e = fidelity::perceptual_error_in(&ours, &picture, model).unwrap();
            assert!(e.spots <= 0.01, "{id}, {}: {e:?}", model.name);
            assert!(e.blurred <= 6.0, "{id}, {}: {e:?}", model.name);
            *sum += e.blurred / faces.len() as f32;
        }
        // The first encoder, for scale: speckled, patchy and further off.
        let e = fidelity::perceptual_error(&ours, &picture).unwrap();
        let old =
            fidelity::perceptual_error(&HalfblockImage::encode_legacy_256(img, area), &picture)
                .unwrap();
        assert!(
            old.spots > e.spots + 0.05 && old.plain > e.plain && old.changes > 2.0 * e.changes,
            "{id}: {old:?} vs {e:?}"
        );
    }
    // The goal: a blurred ΔE mean of 3 or less.
    for (model, mean) in SHADE_MODELS.iter().zip(blurred) {
        assert!(mean <= 3.0, "{}: blurred ΔE mean {mean}", model.name);
    }
}

#[test]
fn the_exact_truecolor_image_has_no_error_and_256_colours_some() {
    let img = image(40, 40, |x, y| [(x * 6) as u8, 100, (y * 6) as u8]);
    let picture = HalfblockImage::resized(&img, Size::new(20, 10)).unwrap();
    let (exact, _) = HalfblockImage::from_picture(&picture, truecolor(0.0));
    let e = fidelity::perceptual_error(&exact, &picture).unwrap();
    assert!(
        e.blurred < 1e-3 && e.plain < 1e-3 && e.spots == 0.0,
        "{e:?}"
    );
    let (ours, _) = HalfblockImage::from_picture(&picture, Options::new(ColorDepth::Palette256));
    let e = fidelity::perceptual_error(&ours, &picture).unwrap();
    assert!(e.plain > 0.1 && e.blurred < 3.0, "{e:?}");
    // Sizes must agree; NO_COLOR images have no colours to measure.
    let small = HalfblockImage::resized(&img, Size::new(10, 5)).unwrap();
    assert_eq!(fidelity::perceptual_error(&ours, &small), None);
    let (mono, _) = HalfblockImage::from_picture(&picture, Options::new(ColorDepth::Mono));
    assert_eq!(fidelity::perceptual_error(&mono, &picture), None);
}

#[test]
fn a_fine_checkerboard_blurs_to_its_mean_and_is_all_spots() {
    let (black, white) = ([0u8, 0, 0], [255u8, 255, 255]);
    let grey = colour::srgb(colour::mix(
        colour::linear(black),
        colour::linear(white),
        0.5,
    ));
    let flat = RgbImage::from_pixel(16, 16, Rgb(grey));
    let cells: Vec<BlockCell> = (0..16 * 8)
        .map(|i| {
            let (fg, bg) = if i % 2 == 0 {
                (white, black)
            } else {
                (black, white)
            };
            let c = |v: [u8; 3]| Color::Rgb(v[0], v[1], v[2]);
            BlockCell {
                symbol: UPPER,
                fg: c(fg),
                bg: c(bg),
            }
        })
        .collect();
    let checker = HalfblockImage {
        size: Size::new(16, 8),
        cells,
    };
    let e = fidelity::perceptual_error(&checker, &flat).unwrap();
    assert!(e.plain > 40.0, "{e:?}");
    assert!(e.blurred < 3.0, "{e:?}");
    assert!(e.spots > 0.99, "{e:?}");
    assert!(e.changes > 0.99, "{e:?}");
}

#[test]
fn shade_glyphs_show_the_mix_of_their_colours() {
    let cell = |symbol| BlockCell {
        symbol,
        fg: Color::Rgb(255, 255, 255),
        bg: Color::Indexed(16),
    };
    let light = |symbol| fidelity::shown(&cell(symbol)).unwrap().0[1];
    assert!((light(LIGHT_SHADE) - 0.25).abs() < 1e-6);
    assert!((light(MEDIUM_SHADE) - 0.5).abs() < 1e-6);
    assert!((light(DARK_SHADE) - 0.75).abs() < 1e-6);
    assert_eq!(fidelity::shown(&cell(UPPER)).unwrap().1, [0.0; 3]);
    let themed = BlockCell {
        symbol: FULL,
        fg: Color::Indexed(3),
        bg: Color::Reset,
    };
    assert_eq!(fidelity::shown(&themed), None);
}

mod budget {
    use super::*;
    use image::{Rgb, RgbImage};
    use std::cell::Cell as Counter;
    use std::rc::Rc;

    /// A noisy image: every pixel differs from its neighbours by a few ΔE.
    fn noisy() -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(40, 40, |x, y| {
            let n = ((x * 7919 + y * 104_729) % 23) as u8;
            Rgb([100 + n, 120 + (n * 3) % 17, 90 + (n * 5) % 19])
        }))
    }

    #[derive(Clone, Default)]
    struct Count(Rc<Counter<usize>>);

    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.set(self.0.get() + buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn drawn_bytes(img: &HalfblockImage) -> usize {
        use ratatui::backend::CrosstermBackend;
        use ratatui::{Terminal, TerminalOptions, Viewport};
        let count = Count::default();
        let area = Rect::new(0, 0, img.size().width, img.size().height);
        let mut t = Terminal::with_options(
            CrosstermBackend::new(count.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )
        .unwrap();
        t.draw(|f| f.render_widget(img, f.area())).unwrap();
        count.0.get()
    }

    #[test]
    fn the_byte_budget_raises_the_tolerance_only_when_needed() {
        let img = noisy();
        let size = Size::new(40, 20);
        let (exact, exact_stats) = HalfblockImage::encode_with_stats(
            &img,
            size,
            Options::exact(ColorDepth::TrueColor, 0.5),
        );
        let budget = Options {
            bytes_per_cell: 8.0,
            tolerance: 0.5,
            ..Options::new(ColorDepth::TrueColor)
        };
        let (cheap, cheap_stats) = HalfblockImage::encode_with_stats(&img, size, budget);
        let exact_bytes = estimated_bytes(exact.cells(), 40);
        let cheap_bytes = estimated_bytes(cheap.cells(), 40);
        assert!(exact_bytes > 8 * 800, "{exact_bytes}");
        assert!(cheap_bytes <= 8 * 800, "{cheap_bytes}");
        assert!(cheap_stats.max_delta_e <= MAX_TOLERANCE + 1e-3);
        assert!(cheap_stats.mean_delta_e > exact_stats.mean_delta_e);
        // A budget already met changes nothing.
        let roomy = Options {
            bytes_per_cell: 1000.0,
            tolerance: 0.5,
            ..Options::new(ColorDepth::TrueColor)
        };
        assert_eq!(HalfblockImage::encode(&img, size, roomy), exact);
    }

    #[test]
    fn the_estimate_is_close_to_what_crossterm_writes() {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return; // crossterm then writes no colours at all
        }
        for options in [
            Options::exact(ColorDepth::TrueColor, 0.0),
            Options::new(ColorDepth::TrueColor),
            Options::new(ColorDepth::Palette256),
        ] {
            let img = HalfblockImage::encode(&noisy(), Size::new(40, 20), options);
            let estimate = estimated_bytes(img.cells(), 40) as f64;
            let real = drawn_bytes(&img) as f64;
            assert!(
                (estimate - real).abs() / real < 0.05,
                "{options:?}: estimate {estimate}, written {real}"
            );
        }
    }
}
