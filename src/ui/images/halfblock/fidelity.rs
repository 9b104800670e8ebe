//! Render fidelity: how far a drawn face is from the picture, as a person
//! sees it (ΔE; not `vision::measure`, which measures faces).
//!
//! Both are compared pixel by pixel (two pixels a cell) in CIELAB with the
//! CIE76 ΔE, twice: as they are ("plain"), and after blurring both with a
//! Gaussian of σ = one pixel (a cell's width, half its height) in linear
//! light, as the eye mixes neighbouring pixels from the usual viewing
//! distance ("blurred"). A shade glyph (`░▒▓`) shows a mix of its colours
//! as one of the [`SHADE_MODELS`] draws it (by default dot patterns
//! covering 25, 50 and 75 % of the cell, mixed in linear light: the
//! pattern is a pixel or two fine).
//!
//! Speckle is counted too: a spot is a pixel, or a cell whose halves agree,
//! that differs by more than [`SPOT_DELTA_E`] from every pixel around it
//! where the picture is flat (all within [`FLAT_DELTA_E`]). And patchiness:
//! how often side-by-side cells where the picture is flat are drawn
//! differently (another glyph or colour), which shows up close even when
//! their colours agree from afar.

use super::colour::{delta_e_lab, lab, lab_of_linear, linear, srgb, Lab, Linear};
use super::palette::rgb_of_index;
use super::shades::{ShadeModel, NOMINAL, SHADE_MODELS};
use super::{BlockCell, HalfblockImage, DARK_SHADE, FULL, LIGHT_SHADE, LOWER, MEDIUM_SHADE, UPPER};
use image::RgbImage;
use ratatui::style::Color;

/// Blur of the "blurred" error, in pixels (a cell is 1×2 pixels).
pub const BLUR_SIGMA: f32 = 1.0;
/// A drawn spot differs from everything around it by more than this.
pub const SPOT_DELTA_E: f32 = 5.0;
/// Where the picture varies less than this around a cell, it is flat.
pub const FLAT_DELTA_E: f32 = 3.0;

/// Mean errors of a drawn image against the picture.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PerceptualError {
    /// Mean ΔE76 after blurring both by [`BLUR_SIGMA`].
    pub blurred: f32,
    /// Mean ΔE76 pixel by pixel.
    pub plain: f32,
    /// Spots per flat cell (0–1).
    pub spots: f32,
    /// Side-by-side flat cells drawn differently, per such pair (0–1).
    pub changes: f32,
}

/// What a cell shows, upper and lower half, in linear light, shades drawn
/// as dot patterns of 25/50/75 %; `None` for the terminal's own colours
/// (`NO_COLOR`).
pub fn shown(cell: &BlockCell) -> Option<(Linear, Linear)> {
    shown_in(cell, &NOMINAL)
}

/// [`shown`] with shades drawn as `model` draws them.
pub fn shown_in(cell: &BlockCell, model: &ShadeModel) -> Option<(Linear, Linear)> {
    let rgb = |c: Color| match c {
        Color::Rgb(r, g, b) => Some([r, g, b]),
        Color::Indexed(i) => rgb_of_index(i),
        _ => None,
    };
    let (fg, bg) = (rgb(cell.fg)?, rgb(cell.bg)?);
    let whole = |quarters: u8| {
        let c = model.show(fg, bg, quarters);
        (c, c)
    };
    Some(match cell.symbol {
        UPPER => (linear(fg), linear(bg)),
        LOWER => (linear(bg), linear(fg)),
        FULL => (linear(fg), linear(fg)),
        LIGHT_SHADE => whole(1),
        MEDIUM_SHADE => whole(2),
        DARK_SHADE => whole(3),
        _ => (linear(bg), linear(bg)),
    })
}

/// [`shown`] in sRGB.
pub fn shown_rgb(cell: &BlockCell) -> Option<([u8; 3], [u8; 3])> {
    shown(cell).map(|(u, l)| (srgb(u), srgb(l)))
}

/// The errors of `image` against `picture`, the pixels it was encoded from
/// (`width` × 2·`height` of the image's cells; see
/// [`HalfblockImage::resized`]), shades drawn as dot patterns. `None` when
/// the sizes differ or the image has no colours.
pub fn perceptual_error(image: &HalfblockImage, picture: &RgbImage) -> Option<PerceptualError> {
    perceptual_error_in(image, picture, &NOMINAL)
}

/// [`perceptual_error`] with shades drawn as `model` draws them.
pub fn perceptual_error_in(
    image: &HalfblockImage,
    picture: &RgbImage,
    model: &ShadeModel,
) -> Option<PerceptualError> {
    let (w, h) = (
        usize::from(image.size().width),
        2 * usize::from(image.size().height),
    );
    if (picture.width() as usize, picture.height() as usize) != (w, h) || w == 0 {
        return None;
    }
    let mut drawn = vec![[0.0f32; 3]; w * h];
    for (i, cell) in image.cells().iter().enumerate() {
        let (x, row) = (i % w, i / w);
        let (u, l) = shown_in(cell, model)?;
        drawn[2 * row * w + x] = u;
        drawn[(2 * row + 1) * w + x] = l;
    }
    let want: Vec<Linear> = picture.pixels().map(|p| linear(p.0)).collect();
    let mean_de = |a: &[Linear], b: &[Linear]| {
        let sum: f64 = a
            .iter()
            .zip(b)
            .map(|(x, y)| f64::from(delta_e_lab(&lab_of_linear(*x), &lab_of_linear(*y))))
            .sum();
        (sum / a.len() as f64) as f32
    };
    Some(PerceptualError {
        blurred: mean_de(&blur(&drawn, w, h), &blur(&want, w, h)),
        plain: mean_de(&drawn, &want),
        spots: spots(&drawn, picture, w, h),
        changes: changes(image.cells(), picture, w),
    })
}

/// Side-by-side cells where the picture is flat that are drawn differently
/// (in any of the [`SHADE_MODELS`]), per such pair.
fn changes(cells: &[BlockCell], picture: &RgbImage, w: usize) -> f32 {
    let want: Vec<Lab> = picture.pixels().map(|p| lab(p.0)).collect();
    let looks = |c: &BlockCell| SHADE_MODELS.map(|m| shown_in(c, &m));
    let (mut flat, mut changed) = (0usize, 0usize);
    for (i, pair) in cells.windows(2).enumerate() {
        let (x, row) = (i % w, i / w);
        if x + 1 == w {
            continue;
        }
        let px = [
            (x, 2 * row),
            (x, 2 * row + 1),
            (x + 1, 2 * row),
            (x + 1, 2 * row + 1),
        ];
        let first = &want[px[0].1 * w + px[0].0];
        if px
            .iter()
            .any(|&(x, y)| delta_e_lab(first, &want[y * w + x]) > FLAT_DELTA_E)
        {
            continue;
        }
        flat += 1;
        if looks(&pair[0]) != looks(&pair[1]) {
            changed += 1;
        }
    }
    changed as f32 / flat.max(1) as f32
}

/// Gaussian blur by [`BLUR_SIGMA`] (weights renormalised at the borders).
fn blur(px: &[Linear], w: usize, h: usize) -> Vec<Linear> {
    let radius = (3.0 * BLUR_SIGMA).ceil() as isize;
    let kernel: Vec<f32> = (-radius..=radius)
        .map(|i| (-((i * i) as f32) / (2.0 * BLUR_SIGMA * BLUR_SIGMA)).exp())
        .collect();
    let pass = |src: &[Linear], step: (isize, isize)| -> Vec<Linear> {
        let mut out = vec![[0.0f32; 3]; src.len()];
        for (i, o) in out.iter_mut().enumerate() {
            let (x, y) = ((i % w) as isize, (i / w) as isize);
            let (mut sum, mut weight) = ([0.0f32; 3], 0.0f32);
            for (k, kw) in kernel.iter().enumerate() {
                let d = k as isize - radius;
                let (sx, sy) = (x + d * step.0, y + d * step.1);
                if sx < 0 || sy < 0 || sx >= w as isize || sy >= h as isize {
                    continue;
                }
                let p = src[sy as usize * w + sx as usize];
                for c in 0..3 {
                    sum[c] += kw * p[c];
                }
                weight += kw;
            }
            *o = sum.map(|s| s / weight);
        }
        out
    };
    pass(&pass(px, (1, 0)), (0, 1))
}

/// Spots per flat cell (see the module docs).
fn spots(drawn: &[Linear], picture: &RgbImage, w: usize, h: usize) -> f32 {
    let want: Vec<Lab> = picture.pixels().map(|p| lab(p.0)).collect();
    let got: Vec<Lab> = drawn.iter().map(|p| lab_of_linear(*p)).collect();
    let apart = |a: &Lab, b: &Lab| delta_e_lab(a, b) > SPOT_DELTA_E;
    let (mut flat, mut found) = (0usize, 0usize);
    for row in 1..(h / 2).saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let (u, l) = (2 * row * w + x, (2 * row + 1) * w + x);
            // Around the cell: both halves left and right, above, below.
            let around = [u - 1, l - 1, u + 1, l + 1, u - w, l + w];
            if around
                .iter()
                .chain([&l])
                .any(|&j| delta_e_lab(&want[u], &want[j]) > FLAT_DELTA_E)
            {
                continue;
            }
            flat += 1;
            let cell_spot = !apart(&got[u], &got[l])
                && around
                    .iter()
                    .all(|&j| apart(&got[u], &got[j]) && apart(&got[l], &got[j]));
            let upper_spot = [l, u - 1, u + 1, u - w]
                .iter()
                .all(|&j| apart(&got[u], &got[j]));
            let lower_spot = [u, l - 1, l + 1, l + w]
                .iter()
                .all(|&j| apart(&got[l], &got[j]));
            if cell_spot || upper_spot || lower_spot {
                found += 1;
            }
        }
    }
    found as f32 / flat.max(1) as f32
}
