//! Our own half-block face renderer, used when the terminal has no graphics
//! protocol (the probe's fallback and `--graphics halfblocks`).
//!
//! Each cell shows two pixels: `▀` with the upper one as foreground and the
//! lower one as background (or `▄`, `█`, ` ` when that fits better). The
//! terminal backend only writes a colour escape when a cell's fg/bg pair
//! differs from the previous cell's (about 35 bytes in truecolor), so the
//! truecolor encoder cuts bytes by **error-bounded run merging** (`runs.rs`):
//! walking the cells in the order they are written, it keeps extending a run
//! while every pixel of the run stays within [`Options::tolerance`] (CIELAB
//! ΔE76) of one of the run's two colours, then paints the whole run with
//! those two colours (their members' mean when that stays within the
//! tolerance). A cell whose two pixels are near-equal leaves the run's second
//! colour free, and is drawn as ` ` or `█` with whichever of the run's
//! colours it matches.
//!
//! Colour depth follows the terminal ([`crate::ui::terminal::term_env`]). With 256 colours a cell
//! either gives each half its nearest palette colour or mixes two palette
//! colours over the whole cell with a shade glyph `░▒▓` (`shaded.rs`,
//! `mixes.rs`, `shades.rs`): no dithering, so no speckle. With `NO_COLOR`
//! no colour at all, only shading glyphs on the terminal's own colours
//! (`mono.rs`).
//! `fidelity.rs` says how far a drawn image is from the picture.
//!
//! Encoding (resize + merging) runs on the image loader thread; drawing is a
//! copy of ready cells into the buffer.

mod colour;
pub mod fidelity;
// Bench baseline only: `HalfblockImage::encode_legacy_256`.
mod legacy;
mod mixes;
mod mono;
mod palette;
mod runs;
mod shaded;
mod shades;
#[cfg(test)]
mod tests;

pub use colour::delta_e;
pub use mixes::MixTable;
pub use palette::{nearest_256, rgb_of_index};
pub use runs::estimated_bytes;
pub use shades::{ShadeModel, NOMINAL, SHADE_MODELS};

use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::style::Color;
use ratatui::widgets::Widget;
use runs::Px;

use crate::ui::terminal::term_env::ColorDepth;

pub const UPPER: char = '▀';
pub const LOWER: char = '▄';
pub const FULL: char = '█';
pub const SPACE: char = ' ';
/// Shade glyphs: the foreground covers about 25, 50 and 75 % of the cell.
pub const LIGHT_SHADE: char = '░';
pub const MEDIUM_SHADE: char = '▒';
pub const DARK_SHADE: char = '▓';

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

/// How to encode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub depth: ColorDepth,
    /// Largest ΔE76 between a pixel and the colour it is drawn with, from
    /// merging (0: no merging). Truecolor only (256 colours: runs of equal
    /// colours only).
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
        match HalfblockImage::resized(img, area) {
            Some(picture) => HalfblockImage::from_picture(&picture, options),
            None => (HalfblockImage::default(), Stats::default()),
        }
    }

    /// The picture [`HalfblockImage::encode`] draws: `img` fitted into
    /// `area` cells, resized to one pixel per half cell. `None` when it
    /// takes no cells.
    pub fn resized(img: &DynamicImage, area: Size) -> Option<RgbImage> {
        let size = fit(img.width(), img.height(), area);
        if size.width == 0 || size.height == 0 {
            return None;
        }
        Some(
            img.resize_exact(u32::from(size.width), 2 * u32::from(size.height), FILTER)
                .to_rgb8(),
        )
    }

    /// Encodes a picture of one pixel per half cell (an odd last row is
    /// left out).
    pub fn from_picture(picture: &RgbImage, options: Options) -> (HalfblockImage, Stats) {
        let size = Size::new(
            u16::try_from(picture.width()).unwrap_or(u16::MAX),
            u16::try_from(picture.height() / 2).unwrap_or(u16::MAX),
        );
        HalfblockImage::from_pairs(size, &pairs_of(picture), options)
    }

    /// The first 256-colour encoder (damped Floyd–Steinberg dithering),
    /// kept as the benchmarks' baseline only.
    // Bench baseline only: the game encodes with `encode`/`from_picture`.
    #[doc(hidden)]
    pub fn encode_legacy_256(img: &DynamicImage, area: Size) -> HalfblockImage {
        let Some(picture) = HalfblockImage::resized(img, area) else {
            return HalfblockImage::default();
        };
        let size = Size::new(picture.width() as u16, (picture.height() / 2) as u16);
        let (cells, _) = legacy::encode(&pairs_of(&picture), usize::from(size.width));
        HalfblockImage { size, cells }
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

/// A picture's pixel pairs (upper, lower), cell row by cell row.
fn pairs_of(picture: &RgbImage) -> Vec<([u8; 3], [u8; 3])> {
    let (w, rows) = (picture.width(), picture.height() / 2);
    (0..rows)
        .flat_map(|row| {
            (0..w).map(move |x| {
                (
                    picture.get_pixel(x, 2 * row).0,
                    picture.get_pixel(x, 2 * row + 1).0,
                )
            })
        })
        .collect()
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
        ColorDepth::Mono => (mono::encode(pairs), Stats::default()),
        ColorDepth::Palette256 => {
            let cells = shaded::encode(pairs, width);
            let stats = stats(&cells, &px, runs::count_runs(&cells));
            (cells, stats)
        }
        ColorDepth::TrueColor => {
            // The tolerance asked for, raised (up to MAX_TOLERANCE) while
            // the image would take more than its byte budget.
            let budget = (options.bytes_per_cell * px.len() as f32) as usize;
            let mut t = options.tolerance.max(0.0);
            loop {
                let (cells, runs) = runs::merge(&px, t, ColorDepth::TrueColor);
                if t >= MAX_TOLERANCE || estimated_bytes(&cells, width) <= budget {
                    let stats = stats(&cells, &px, runs);
                    return (cells, stats);
                }
                t = (t * 1.25).max(t + 0.5).min(MAX_TOLERANCE);
            }
        }
    }
}

/// Colour error of `cells` as drawn (see [`fidelity::shown`]) against the
/// pixels `px`.
fn stats(cells: &[BlockCell], px: &[(Px, Px)], runs: usize) -> Stats {
    let mut sum = 0.0f64;
    let mut max = 0.0f32;
    for (cell, (u, l)) in cells.iter().zip(px) {
        let Some((su, sl)) = fidelity::shown(cell) else {
            continue;
        };
        for (s, p) in [(su, u), (sl, l)] {
            let e = colour::delta_e_lab(&colour::lab_of_linear(s), &p.lab);
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
