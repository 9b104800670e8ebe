//! The xterm 256-colour palette, entries 16–255: the 6×6×6 colour cube and
//! the 24-step grey ramp (the first 16 follow the user's theme, so they are
//! never used).

use super::colour::{dist2, lab, Lab};
use std::sync::OnceLock;

/// Palette entries used (indices 16–255).
pub const SIZE: usize = 240;

/// The first palette index used.
pub const FIRST: u8 = 16;

/// One palette colour.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub rgb: [u8; 3],
    pub lab: Lab,
}

/// Entries 16–255, in palette order (entry `i` is index `16 + i`).
pub fn palette() -> &'static [Entry; SIZE] {
    static PALETTE: OnceLock<[Entry; SIZE]> = OnceLock::new();
    PALETTE.get_or_init(|| {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        std::array::from_fn(|i| {
            let rgb = if i < 216 {
                [LEVELS[i / 36], LEVELS[(i / 6) % 6], LEVELS[i % 6]]
            } else {
                let g = 8 + 10 * (i - 216) as u8;
                [g, g, g]
            };
            Entry { rgb, lab: lab(rgb) }
        })
    })
}

/// The RGB of palette index `index` (16–255; `None` for the themed 0–15).
pub fn rgb_of_index(index: u8) -> Option<[u8; 3]> {
    let i = usize::from(index.checked_sub(FIRST)?);
    Some(palette()[i].rgb)
}

/// The entry (0–239) nearest to `target` in CIELAB.
pub fn nearest_entry(target: &Lab) -> usize {
    let mut best = (0usize, f32::MAX);
    for (i, e) in palette().iter().enumerate() {
        let d = dist2(target, &e.lab);
        if d < best.1 {
            best = (i, d);
        }
    }
    best.0
}

/// The nearest xterm palette index (16–255) and its RGB.
pub fn nearest_256(rgb: [u8; 3]) -> (u8, [u8; 3]) {
    let i = nearest_entry(&lab(rgb));
    (FIRST + i as u8, palette()[i].rgb)
}
