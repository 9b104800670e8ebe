//! Our own half-block face renderer, used when the terminal has no graphics
//! protocol (the probe's fallback and `--graphics halfblocks`).
//!
//! Each cell shows two pixels: `▀` with the upper one as foreground and the
//! lower one as background (or `▄`, `█`, ` ` when that fits better). The
//! terminal backend only writes a colour escape when a cell's fg/bg pair
//! differs from the previous cell's (about 35 bytes in truecolor), so the
//! encoder cuts bytes by **error-bounded run merging**: walking the cells in
//! the order they are written, it keeps extending a run while every pixel of
//! the run stays within [`Options::tolerance`] (CIELAB ΔE76) of one of the
//! run's two colours, then paints the whole run with those two colours (their
//! members' mean when that stays within the tolerance). A cell whose two
//! pixels are near-equal leaves the run's second colour free, and is drawn as
//! ` ` or `█` with whichever of the run's colours it matches.
//!
//! Colour depth follows the terminal: truecolor when `COLORTERM` says so,
//! else the xterm 256-colour palette; with `NO_COLOR` no colour at all, only
//! shading glyphs (`░▒▓█▀▄`) on the terminal's own colours.
//!
//! Encoding (resize + merging) runs on the image loader thread; drawing is a
//! copy of ready cells into the buffer.

use image::imageops::FilterType;
use image::DynamicImage;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::style::Color;
use ratatui::widgets::Widget;
use std::sync::OnceLock;

pub const UPPER: char = '▀';
pub const LOWER: char = '▄';
pub const FULL: char = '█';
pub const SPACE: char = ' ';

/// The resize filter from the cached thumbnail to one pixel per half cell.
pub const FILTER: FilterType = FilterType::Triangle;

/// Default merging tolerance, in CIELAB ΔE76 (about 2.3 is a just-noticeable
/// difference side by side).
pub const DEFAULT_TOLERANCE: f32 = 3.0;

/// Default byte budget: an image that would take more than this many bytes
/// a cell to draw (estimated) is merged with a higher tolerance. 16 a cell
/// is 12.8 KB for a 40x20 face, under the 15 KB goal with room to spare.
pub const DEFAULT_BYTES_PER_CELL: f32 = 16.0;

/// The tolerance is never raised past this for the byte budget.
pub const MAX_TOLERANCE: f32 = 12.0;

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    /// 24-bit `38;2;r;g;b` colours (`COLORTERM=truecolor` or `24bit`).
    TrueColor,
    /// The xterm 256-colour palette (`38;5;n`), indices 16–255 only (the
    /// first 16 follow the user's theme).
    Palette256,
    /// `NO_COLOR`: shading glyphs on the terminal's own colours.
    Mono,
}

impl ColorDepth {
    /// From the environment: `Mono` without colour (the theme's `NO_COLOR`),
    /// else truecolor when advertised (`COLORTERM`, a `*-direct` `TERM`, or a
    /// terminal known to support it), else the 256-colour palette.
    pub fn detect(color: bool) -> ColorDepth {
        let colorterm = std::env::var("COLORTERM").ok();
        let term = std::env::var("TERM").ok();
        ColorDepth::from_vars(color, colorterm.as_deref(), term.as_deref())
    }

    /// [`ColorDepth::detect`] from given values (testable).
    pub fn from_vars(color: bool, colorterm: Option<&str>, term: Option<&str>) -> ColorDepth {
        if !color {
            return ColorDepth::Mono;
        }
        let colorterm = colorterm.unwrap_or("").trim().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return ColorDepth::TrueColor;
        }
        let term = term.unwrap_or("").trim().to_ascii_lowercase();
        const TRUECOLOR_TERMS: [&str; 5] = [
            "xterm-kitty",
            "xterm-ghostty",
            "alacritty",
            "foot",
            "wezterm",
        ];
        if term.ends_with("-direct") || TRUECOLOR_TERMS.contains(&term.as_str()) {
            return ColorDepth::TrueColor;
        }
        ColorDepth::Palette256
    }
}

/// How to encode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub depth: ColorDepth,
    /// Largest ΔE76 between a pixel and the colour it is drawn with, from
    /// merging (0: no merging). Truecolor only: the 256-colour palette is
    /// dithered instead.
    pub tolerance: f32,
    /// Byte budget (estimated, per cell): the tolerance is raised, up to
    /// [`MAX_TOLERANCE`], until the image fits. `f32::INFINITY`: never.
    pub bytes_per_cell: f32,
}

impl Options {
    pub fn new(depth: ColorDepth) -> Options {
        Options {
            depth,
            tolerance: DEFAULT_TOLERANCE,
            bytes_per_cell: DEFAULT_BYTES_PER_CELL,
        }
    }

    /// Merging within `tolerance` exactly, with no byte budget.
    pub fn exact(depth: ColorDepth, tolerance: f32) -> Options {
        Options {
            depth,
            tolerance,
            bytes_per_cell: f32::INFINITY,
        }
    }
}

/// One drawn cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockCell {
    pub symbol: char,
    pub fg: Color,
    pub bg: Color,
}

/// How far the drawn image is from the resized image, in ΔE76 per pixel.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    pub mean_delta_e: f32,
    pub max_delta_e: f32,
    /// Colour runs (each costs one colour escape when drawn).
    pub runs: usize,
}

/// A face encoded as half-block cells, ready to draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HalfblockImage {
    size: Size,
    cells: Vec<BlockCell>,
}

impl HalfblockImage {
    /// Fits `img` into `area` cells (aspect kept, one pixel per half cell,
    /// enlarged or shrunk) and encodes it.
    pub fn encode(img: &DynamicImage, area: Size, options: Options) -> HalfblockImage {
        HalfblockImage::encode_with_stats(img, area, options).0
    }

    /// [`HalfblockImage::encode`], with how far the result is from the
    /// resized image.
    pub fn encode_with_stats(
        img: &DynamicImage,
        area: Size,
        options: Options,
    ) -> (HalfblockImage, Stats) {
        let size = fit(img.width(), img.height(), area);
        if size.width == 0 || size.height == 0 {
            return (HalfblockImage::default(), Stats::default());
        }
        let resized = img
            .resize_exact(u32::from(size.width), 2 * u32::from(size.height), FILTER)
            .to_rgb8();
        let w = usize::from(size.width);
        let pixels: Vec<[u8; 3]> = resized.pixels().map(|p| p.0).collect();
        let pairs: Vec<([u8; 3], [u8; 3])> = (0..usize::from(size.height))
            .flat_map(|row| {
                let upper = &pixels[2 * row * w..(2 * row + 1) * w];
                let lower = &pixels[(2 * row + 1) * w..(2 * row + 2) * w];
                upper.iter().copied().zip(lower.iter().copied())
            })
            .collect();
        let (cells, stats) = encode_pairs(&pairs, w, options);
        (HalfblockImage { size, cells }, stats)
    }

    /// Builds an image from its pixel pairs (upper, lower), row by row;
    /// `pairs.len()` must be `size.width * size.height` (else the image is empty).
    pub fn from_pairs(
        size: Size,
        pairs: &[([u8; 3], [u8; 3])],
        options: Options,
    ) -> (HalfblockImage, Stats) {
        if pairs.len() != usize::from(size.width) * usize::from(size.height) || pairs.is_empty() {
            return (HalfblockImage::default(), Stats::default());
        }
        let (cells, stats) = encode_pairs(pairs, usize::from(size.width), options);
        (HalfblockImage { size, cells }, stats)
    }

    /// Size in cells.
    pub fn size(&self) -> Size {
        self.size
    }

    /// The cells, row by row.
    pub fn cells(&self) -> &[BlockCell] {
        &self.cells
    }
}

impl Widget for &HalfblockImage {
    /// Draws the top-left part that fits in `area` (never outside it).
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let w = self.size.width.min(area.width);
        let h = self.size.height.min(area.height);
        for y in 0..h {
            for x in 0..w {
                let i = usize::from(y) * usize::from(self.size.width) + usize::from(x);
                let (Some(c), Some(cell)) =
                    (self.cells.get(i), buf.cell_mut((area.x + x, area.y + y)))
                else {
                    continue;
                };
                cell.set_char(c.symbol).set_fg(c.fg).set_bg(c.bg);
            }
        }
    }
}

/// The cells an `iw`×`ih` image takes in `area`, aspect kept (a cell is one
/// pixel wide and two high), as large as fits.
pub fn fit(iw: u32, ih: u32, area: Size) -> Size {
    if iw == 0 || ih == 0 || area.width == 0 || area.height == 0 {
        return Size::new(0, 0);
    }
    let scale =
        (f64::from(area.width) / f64::from(iw)).min(2.0 * f64::from(area.height) / f64::from(ih));
    let w = (f64::from(iw) * scale)
        .round()
        .clamp(1.0, f64::from(area.width));
    let h = (f64::from(ih) * scale / 2.0)
        .round()
        .clamp(1.0, f64::from(area.height));
    Size::new(w as u16, h as u16)
}

/// Encodes pixel pairs, `width` cells a row.
fn encode_pairs(
    pairs: &[([u8; 3], [u8; 3])],
    width: usize,
    options: Options,
) -> (Vec<BlockCell>, Stats) {
    let px: Vec<(Px, Px)> = pairs
        .iter()
        .map(|&(u, l)| (Px::new(u), Px::new(l)))
        .collect();
    match options.depth {
        ColorDepth::Mono => (shade(pairs), Stats::default()),
        ColorDepth::Palette256 => {
            // Dithered to the palette, then runs of exactly equal colours.
            let w = width.max(1);
            let mut image = vec![[0u8; 3]; 2 * pairs.len()];
            for (i, (u, l)) in pairs.iter().enumerate() {
                let (x, row) = (i % w, i / w);
                image[2 * row * w + x] = *u;
                image[(2 * row + 1) * w + x] = *l;
            }
            let palette_px = dither_256(&image, w);
            let dithered: Vec<(Px, Px)> = (0..pairs.len())
                .map(|i| {
                    let (x, row) = (i % w, i / w);
                    (
                        Px::new(palette_px[2 * row * w + x]),
                        Px::new(palette_px[(2 * row + 1) * w + x]),
                    )
                })
                .collect();
            let (cells, runs) = merge(&dithered, 0.0, ColorDepth::Palette256);
            let stats = stats(&cells, &px, runs);
            (cells, stats)
        }
        ColorDepth::TrueColor => {
            // The tolerance asked for, raised (up to MAX_TOLERANCE) while
            // the image would take more than its byte budget.
            let budget = (options.bytes_per_cell * px.len() as f32) as usize;
            let mut t = options.tolerance.max(0.0);
            loop {
                let (cells, runs) = merge(&px, t, ColorDepth::TrueColor);
                if t >= MAX_TOLERANCE || estimated_bytes(&cells, width) <= budget {
                    let stats = stats(&cells, &px, runs);
                    return (cells, stats);
                }
                t = (t * 1.25).max(t + 0.5).min(MAX_TOLERANCE);
            }
        }
    }
}

// ---------------------------------------------------------------- colour

type Lab = [f32; 3];

fn srgb_to_linear() -> &'static [f32; 256] {
    static LUT: OnceLock<[f32; 256]> = OnceLock::new();
    LUT.get_or_init(|| {
        let mut lut = [0.0; 256];
        for (i, v) in lut.iter_mut().enumerate() {
            let c = i as f32 / 255.0;
            *v = if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            };
        }
        lut
    })
}

/// sRGB to CIELAB (D65).
pub fn lab(rgb: [u8; 3]) -> Lab {
    let lut = srgb_to_linear();
    let [r, g, b] = rgb.map(|c| lut[usize::from(c)]);
    let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / 0.950_47;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b;
    let z = (0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b) / 1.088_83;
    let f = |t: f32| {
        if t > 0.008_856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn dist2(a: &Lab, b: &Lab) -> f32 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// CIE76 colour difference of two sRGB colours.
pub fn delta_e(a: [u8; 3], b: [u8; 3]) -> f32 {
    dist2(&lab(a), &lab(b)).sqrt()
}

/// The xterm 256-colour palette entries 16–255 (RGB, Lab).
fn palette() -> &'static [([u8; 3], Lab); 240] {
    static PALETTE: OnceLock<[([u8; 3], Lab); 240]> = OnceLock::new();
    PALETTE.get_or_init(|| {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        let mut out = [([0u8; 3], [0f32; 3]); 240];
        for (i, entry) in out.iter_mut().enumerate() {
            let rgb = if i < 216 {
                [LEVELS[i / 36], LEVELS[(i / 6) % 6], LEVELS[i % 6]]
            } else {
                let g = 8 + 10 * (i - 216) as u8;
                [g, g, g]
            };
            *entry = (rgb, lab(rgb));
        }
        out
    })
}

/// The nearest xterm palette index (16–255) and its RGB.
pub fn nearest_256(rgb: [u8; 3]) -> (u8, [u8; 3]) {
    let target = lab(rgb);
    let mut best = (0usize, f32::MAX);
    for (i, (_, l)) in palette().iter().enumerate() {
        let d = dist2(&target, l);
        if d < best.1 {
            best = (i, d);
        }
    }
    (16 + best.0 as u8, palette()[best.0].0)
}

// ---------------------------------------------------------------- merging

#[derive(Clone, Copy)]
struct Px {
    rgb: [u8; 3],
    lab: Lab,
}

impl Px {
    fn new(rgb: [u8; 3]) -> Px {
        Px { rgb, lab: lab(rgb) }
    }
}

/// A run being built: its colours' anchors (`b` free until a pixel needs it).
struct Run {
    a: Px,
    b: Option<Px>,
}

impl Run {
    fn start(u: Px, l: Px, t2: f32) -> Run {
        let b = (dist2(&u.lab, &l.lab) > t2).then_some(l);
        Run { a: u, b }
    }

    fn try_add(&mut self, u: Px, l: Px, t2: f32) -> bool {
        let mut b = self.b;
        for p in [u, l] {
            if dist2(&p.lab, &self.a.lab) <= t2 {
                continue;
            }
            match b {
                Some(bb) if dist2(&p.lab, &bb.lab) <= t2 => {}
                Some(_) => return false,
                None => b = Some(p),
            }
        }
        self.b = b;
        true
    }

    /// Whether `p` goes with `a` (else with `b`): the nearer anchor it fits.
    fn with_a(&self, p: &Px) -> bool {
        match &self.b {
            None => true,
            Some(b) => dist2(&p.lab, &self.a.lab) <= dist2(&p.lab, &b.lab),
        }
    }
}

fn mean(sum: [u32; 3], n: u32) -> [u8; 3] {
    sum.map(|s| ((s + n / 2) / n.max(1)).min(255) as u8)
}

/// Error-bounded run merging (see the module docs): the cells and how many
/// colour runs they make. Colours are `Rgb`, or `Indexed` for `Palette256`
/// (whose pixels must already be palette colours).
fn merge(px: &[(Px, Px)], tolerance: f32, depth: ColorDepth) -> (Vec<BlockCell>, usize) {
    let t2 = tolerance * tolerance;
    let mut cells = Vec::with_capacity(px.len());
    let mut runs = 0;
    let mut i = 0;
    while i < px.len() {
        let (u, l) = px[i];
        let mut run = Run::start(u, l, t2);
        let mut j = i + 1;
        while j < px.len() && run.try_add(px[j].0, px[j].1, t2) {
            j += 1;
        }
        runs += 1;
        let members = &px[i..j];
        // Which anchor each pixel goes with, and the groups' means.
        let sides: Vec<(bool, bool)> = members
            .iter()
            .map(|(u, l)| (run.with_a(u), run.with_a(l)))
            .collect();
        let (mut sum_a, mut sum_b, mut n_a, mut n_b) = ([0u32; 3], [0u32; 3], 0u32, 0u32);
        for ((u, l), (ua, la)) in members.iter().zip(&sides) {
            for (p, is_a) in [(u, ua), (l, la)] {
                let (sum, n) = if *is_a {
                    (&mut sum_a, &mut n_a)
                } else {
                    (&mut sum_b, &mut n_b)
                };
                for (s, c) in sum.iter_mut().zip(p.rgb) {
                    *s += u32::from(c);
                }
                *n += 1;
            }
        }
        let mut col_a = Px::new(mean(sum_a, n_a));
        let mut col_b = match run.b {
            Some(_) => Px::new(mean(sum_b, n_b)),
            None => col_a,
        };
        // The means must keep every pixel within the tolerance (and be
        // palette colours in 256-colour mode); else the anchors.
        let within = depth == ColorDepth::TrueColor
            && members.iter().zip(&sides).all(|((u, l), (ua, la))| {
                [(u, ua), (l, la)].iter().all(|(p, is_a)| {
                    let c = if **is_a { &col_a } else { &col_b };
                    dist2(&p.lab, &c.lab) <= t2
                })
            });
        if !within {
            col_a = run.a;
            col_b = run.b.unwrap_or(run.a);
        }
        let to_color = |p: &Px| match depth {
            ColorDepth::Palette256 => Color::Indexed(nearest_256(p.rgb).0),
            _ => Color::Rgb(p.rgb[0], p.rgb[1], p.rgb[2]),
        };
        let (ca, cb) = (to_color(&col_a), to_color(&col_b));
        // Cells all of one colour are cheapest as spaces (1 byte, not 3):
        // put the commoner solid colour in the background.
        let solid_a = sides.iter().filter(|s| **s == (true, true)).count();
        let solid_b = sides.iter().filter(|s| **s == (false, false)).count();
        let a_is_bg = solid_a > solid_b;
        let (fg, bg) = if a_is_bg { (cb, ca) } else { (ca, cb) };
        for (ua, la) in &sides {
            let symbol = match ((*ua, *la), a_is_bg) {
                ((true, true), false) | ((false, false), true) => FULL,
                ((true, true), true) | ((false, false), false) => SPACE,
                ((true, false), false) | ((false, true), true) => UPPER,
                ((false, true), false) | ((true, false), true) => LOWER,
            };
            cells.push(BlockCell { symbol, fg, bg });
        }
        i = j;
    }
    (cells, runs)
}

/// How much of each pixel's error is passed on: all of it makes visible
/// noise at half-block sizes, none of it bands and shifts hues.
const DIFFUSION: f32 = 0.5;

/// Floyd–Steinberg error diffusion (damped by [`DIFFUSION`]) of a `width`-pixel-wide image (row by
/// row, in sRGB) to the palette; returns palette colours.
fn dither_256(pixels: &[[u8; 3]], width: usize) -> Vec<[u8; 3]> {
    let width = width.max(1);
    let mut work: Vec<[f32; 3]> = pixels.iter().map(|p| p.map(f32::from)).collect();
    let mut out = Vec::with_capacity(pixels.len());
    for i in 0..work.len() {
        let want = work[i].map(|c| c.round().clamp(0.0, 255.0) as u8);
        let got = nearest_256(want).1;
        out.push(got);
        let err: [f32; 3] = std::array::from_fn(|k| (work[i][k] - f32::from(got[k])) * DIFFUSION);
        let (x, y) = (i % width, i / width);
        let mut spread = |dx: isize, dy: usize, w: f32| {
            let nx = x as isize + dx;
            if nx < 0 || nx as usize >= width {
                return;
            }
            let j = (y + dy) * width + nx as usize;
            if let Some(p) = work.get_mut(j) {
                for (c, e) in p.iter_mut().zip(err) {
                    *c += e * w;
                }
            }
        };
        spread(1, 0, 7.0 / 16.0);
        spread(-1, 1, 3.0 / 16.0);
        spread(0, 1, 5.0 / 16.0);
        spread(1, 1, 1.0 / 16.0);
    }
    out
}

/// The colour of a cell's upper and lower half as drawn.
fn shown(cell: &BlockCell) -> ([u8; 3], [u8; 3]) {
    let rgb = |c: Color| match c {
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(i) if i >= 16 => palette()[usize::from(i - 16)].0,
        _ => [0, 0, 0],
    };
    let (fg, bg) = (rgb(cell.fg), rgb(cell.bg));
    match cell.symbol {
        UPPER => (fg, bg),
        LOWER => (bg, fg),
        FULL => (fg, fg),
        _ => (bg, bg),
    }
}

/// Colour error of `cells` as drawn against the pixels `px`.
fn stats(cells: &[BlockCell], px: &[(Px, Px)], runs: usize) -> Stats {
    let mut sum = 0.0f64;
    let mut max = 0.0f32;
    for (cell, (u, l)) in cells.iter().zip(px) {
        let (su, sl) = shown(cell);
        for (s, p) in [(su, u), (sl, l)] {
            let e = dist2(&lab(s), &p.lab).sqrt();
            sum += f64::from(e);
            max = max.max(e);
        }
    }
    Stats {
        mean_delta_e: (sum / (2 * px.len()).max(1) as f64) as f32,
        max_delta_e: max,
        runs,
    }
}

/// Bytes ratatui's crossterm backend writes to draw `cells` (`width` a row)
/// on a blank screen: a cursor move a row, a colour escape at every change
/// of the fg/bg pair, and the glyphs.
pub fn estimated_bytes(cells: &[BlockCell], width: usize) -> usize {
    let mut bytes = 0;
    let mut last: Option<(Color, Color)> = None;
    for (i, c) in cells.iter().enumerate() {
        if width > 0 && i % width == 0 {
            bytes += "\x1b[10;10H".len();
        }
        if last != Some((c.fg, c.bg)) {
            bytes += sgr_len(c.fg, c.bg);
            last = Some((c.fg, c.bg));
        }
        bytes += c.symbol.len_utf8();
    }
    bytes
}

fn sgr_len(fg: Color, bg: Color) -> usize {
    let digits = |v: u8| match v {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    };
    let one = |c: Color| match c {
        Color::Rgb(r, g, b) => 5 + digits(r) + digits(g) + digits(b) + 2,
        Color::Indexed(i) => 5 + digits(i),
        _ => 2,
    };
    // ESC [ fg ; bg m
    2 + one(fg) + 1 + one(bg) + 1
}

// ---------------------------------------------------------------- NO_COLOR

/// Glyphs and how much of the (upper, lower) half each covers.
const SHADES: [(char, f32, f32); 7] = [
    (SPACE, 0.0, 0.0),
    ('░', 0.25, 0.25),
    ('▒', 0.5, 0.5),
    ('▓', 0.75, 0.75),
    (FULL, 1.0, 1.0),
    (UPPER, 1.0, 0.0),
    (LOWER, 0.0, 1.0),
];

/// No colour: each half's lightness (stretched to the image's range) picks
/// the glyph covering the cell most like it, drawn in the terminal's own
/// colours (light glyphs on a dark background).
fn shade(pairs: &[([u8; 3], [u8; 3])]) -> Vec<BlockCell> {
    let light: Vec<(f32, f32)> = pairs.iter().map(|&(u, l)| (lab(u)[0], lab(l)[0])).collect();
    let (lo, hi) = light
        .iter()
        .flat_map(|&(u, l)| [u, l])
        .fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = hi - lo;
    let norm = |v: f32| if span < 1.0 { 0.5 } else { (v - lo) / span };
    light
        .iter()
        .map(|&(u, l)| {
            let (u, l) = (norm(u), norm(l));
            let symbol = SHADES
                .iter()
                .min_by(|a, b| {
                    let da = (a.1 - u).powi(2) + (a.2 - l).powi(2);
                    let db = (b.1 - u).powi(2) + (b.2 - l).powi(2);
                    da.total_cmp(&db)
                })
                .map_or(SPACE, |s| s.0);
            BlockCell {
                symbol,
                fg: Color::Reset,
                bg: Color::Reset,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
            let (_, stats) =
                HalfblockImage::encode_with_stats(&img, Size::new(40, 20), truecolor(t));
            assert!(stats.max_delta_e <= t + 1e-3, "t={t}: {stats:?}");
        }
        let (_, loose) =
            HalfblockImage::encode_with_stats(&img, Size::new(40, 20), truecolor(12.0));
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
        let blocks =
            HalfblockImage::encode(&img, Size::new(7, 3), Options::new(ColorDepth::TrueColor));
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
        let blocks =
            HalfblockImage::encode(&img, Size::new(4, 2), Options::new(ColorDepth::TrueColor));
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
    fn colour_depth_from_the_environment() {
        use ColorDepth::*;
        assert_eq!(ColorDepth::from_vars(false, Some("truecolor"), None), Mono);
        assert_eq!(
            ColorDepth::from_vars(true, Some("truecolor"), None),
            TrueColor
        );
        assert_eq!(
            ColorDepth::from_vars(true, Some("24bit"), Some("xterm")),
            TrueColor
        );
        assert_eq!(
            ColorDepth::from_vars(true, None, Some("xterm-256color")),
            Palette256
        );
        assert_eq!(
            ColorDepth::from_vars(true, Some(""), Some("xterm-direct")),
            TrueColor
        );
        assert_eq!(
            ColorDepth::from_vars(true, None, Some("xterm-kitty")),
            TrueColor
        );
        assert_eq!(ColorDepth::from_vars(true, None, None), Palette256);
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
}

#[cfg(test)]
mod budget_tests {
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
