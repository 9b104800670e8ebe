//! The first 256-colour encoder, kept only as the benchmarks' baseline:
//! damped Floyd–Steinberg error diffusion to the palette in sRGB, then runs
//! of exactly equal colours. Its dithering speckles skin with far colours
//! (olive, pink, dark red); `docs/colour.md` has the numbers.

use super::palette::nearest_256;
use super::runs::{merge, Px};
use super::{BlockCell, ColorDepth};

/// How much of each pixel's error is passed on.
const DIFFUSION: f32 = 0.5;

/// Encodes pixel pairs (upper, lower), `width` cells a row: the cells and
/// how many colour runs they make.
pub(super) fn encode(pairs: &[([u8; 3], [u8; 3])], width: usize) -> (Vec<BlockCell>, usize) {
    let w = width.max(1);
    let mut image = vec![[0u8; 3]; 2 * pairs.len()];
    for (i, (u, l)) in pairs.iter().enumerate() {
        let (x, row) = (i % w, i / w);
        image[2 * row * w + x] = *u;
        image[(2 * row + 1) * w + x] = *l;
    }
    let palette_px = dither(&image, w);
    let dithered: Vec<(Px, Px)> = (0..pairs.len())
        .map(|i| {
            let (x, row) = (i % w, i / w);
            (
                Px::new(palette_px[2 * row * w + x]),
                Px::new(palette_px[(2 * row + 1) * w + x]),
            )
        })
        .collect();
    merge(&dithered, 0.0, ColorDepth::Palette256)
}

/// Floyd–Steinberg error diffusion (damped by [`DIFFUSION`]) of a
/// `width`-pixel-wide image (row by row, in sRGB) to the palette; returns
/// palette colours.
fn dither(pixels: &[[u8; 3]], width: usize) -> Vec<[u8; 3]> {
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
