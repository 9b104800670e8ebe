//! `NO_COLOR`: no colour at all, only shading glyphs (`░▒▓█▀▄`) on the
//! terminal's own colours.

use super::colour::lab;
use super::{BlockCell, DARK_SHADE, FULL, LIGHT_SHADE, LOWER, MEDIUM_SHADE, SPACE, UPPER};
use ratatui::style::Color;

/// Glyphs and how much of the (upper, lower) half each covers.
const SHADES: [(char, f32, f32); 7] = [
    (SPACE, 0.0, 0.0),
    (LIGHT_SHADE, 0.25, 0.25),
    (MEDIUM_SHADE, 0.5, 0.5),
    (DARK_SHADE, 0.75, 0.75),
    (FULL, 1.0, 1.0),
    (UPPER, 1.0, 0.0),
    (LOWER, 0.0, 1.0),
];

/// No colour: each half's lightness (stretched to the image's range) picks
/// the glyph covering the cell most like it, drawn in the terminal's own
/// colours (light glyphs on a dark background).
pub(super) fn encode(pairs: &[([u8; 3], [u8; 3])]) -> Vec<BlockCell> {
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
