//! The 256-colour encoder. Each cell either gives each half its nearest
//! palette colour (`▀` with two colours), or shows one of the palette's
//! mixes ([`super::mixes`]) over the whole cell with a shade glyph
//! (`░▒▓`), whichever is nearer to the cell's two pixels; or it keeps its
//! left or upper neighbour's choice when that is nearly as near
//! ([`KEEP_BONUS`]), so a flat area is drawn with one pattern rather than
//! a patchwork of look-alikes. There is no dithering across cells: flat
//! skin stays flat, with no dots.

use super::colour::{delta_e_lab, lab, lab_of_linear, linear, mix, Lab};
use super::mixes::{self, Mix};
use super::palette::{nearest_entry, palette, FIRST};
use super::{BlockCell, DARK_SHADE, FULL, LIGHT_SHADE, LOWER, MEDIUM_SHADE, SPACE, UPPER};
use ratatui::style::Color;
use std::collections::HashMap;

/// What a cell shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Choice {
    /// Each half its own palette entry (upper, lower).
    Halves(u8, u8),
    /// One mix over the whole cell.
    Mixed(Mix),
}

/// A neighbour's choice is kept unless another is nearer by this much
/// (ΔE76 summed over the cell's two pixels).
pub const KEEP_BONUS: f32 = 1.0;

/// Encodes pixel pairs (upper, lower), `width` cells a row.
pub(super) fn encode(pairs: &[([u8; 3], [u8; 3])], width: usize) -> Vec<BlockCell> {
    let table = mixes::table();
    let w = width.max(1);
    // Drawn faces repeat cells a lot: find each distinct pair's best once.
    let mut seen: HashMap<([u8; 3], [u8; 3]), Choice> = HashMap::new();
    let mut choices: Vec<Choice> = Vec::with_capacity(pairs.len());
    let mut cells = Vec::with_capacity(pairs.len());
    let mut last: Option<(Color, Color)> = None;
    for (i, &(u, l)) in pairs.iter().enumerate() {
        let best = *seen.entry((u, l)).or_insert_with(|| choose(table, u, l));
        let left = (i % w > 0).then(|| choices[i - 1]);
        let up = i.checked_sub(w).map(|j| choices[j]);
        let choice = keep_neighbour(best, [left, up], u, l);
        choices.push(choice);
        let cell = draw(choice, last);
        last = Some((cell.fg, cell.bg));
        cells.push(cell);
    }
    cells
}

/// How far `choice` shows pixels of Lab `lu` (upper), `ll` (lower) from
/// what they are: ΔE76 summed, a mix's penalty counted for both.
fn cost(choice: &Choice, lu: &Lab, ll: &Lab) -> f32 {
    let p = palette();
    match choice {
        Choice::Halves(a, b) => {
            delta_e_lab(lu, &p[usize::from(*a)].lab) + delta_e_lab(ll, &p[usize::from(*b)].lab)
        }
        Choice::Mixed(m) => delta_e_lab(lu, &m.lab) + delta_e_lab(ll, &m.lab) + 2.0 * m.penalty,
    }
}

/// The nearer of the two ways to show pixels `u` (upper) and `l` (lower).
fn choose(table: &mixes::MixTable, u: [u8; 3], l: [u8; 3]) -> Choice {
    let (lu, ll) = (lab(u), lab(l));
    let halves = Choice::Halves(nearest_entry(&lu) as u8, nearest_entry(&ll) as u8);
    let mean = lab_of_linear(mix(linear(u), linear(l), 0.5));
    let mixed = Choice::Mixed(*table.best(&mean));
    if cost(&mixed, &lu, &ll) < cost(&halves, &lu, &ll) {
        mixed
    } else {
        halves
    }
}

/// `best`, or a neighbour's choice when that costs at most [`KEEP_BONUS`]
/// more.
fn keep_neighbour(best: Choice, neighbours: [Option<Choice>; 2], u: [u8; 3], l: [u8; 3]) -> Choice {
    let (lu, ll) = (lab(u), lab(l));
    let mut pick = (best, cost(&best, &lu, &ll));
    for n in neighbours.into_iter().flatten() {
        let c = cost(&n, &lu, &ll) - KEEP_BONUS;
        if c < pick.1 {
            pick = (n, c);
        }
    }
    pick.0
}

fn colour(entry: u8) -> Color {
    Color::Indexed(FIRST + entry)
}

/// The cell for `choice`. Two halves can be drawn in two ways (`▀` with fg
/// and bg, or `▄` with them swapped), a plain colour too (a space on it, a
/// full block of it): the one with the previous cell's colours is taken
/// when there is one, as the terminal then writes no colour escape. A
/// shade is drawn exactly as its mix was placed: `░` of a on b is not `▓`
/// of b on a in most terminals.
fn draw(choice: Choice, last: Option<(Color, Color)>) -> BlockCell {
    let cell = |symbol, fg, bg| BlockCell { symbol, fg, bg };
    let ways = match choice {
        Choice::Halves(a, b) if a == b => return plain(colour(a), last),
        Choice::Mixed(m) if m.quarters == 4 => return plain(colour(m.a), last),
        Choice::Halves(a, b) => [
            cell(UPPER, colour(a), colour(b)),
            cell(LOWER, colour(b), colour(a)),
        ],
        Choice::Mixed(m) => {
            let symbol = match m.quarters {
                1 => LIGHT_SHADE,
                2 => MEDIUM_SHADE,
                _ => DARK_SHADE,
            };
            return cell(symbol, colour(m.a), colour(m.b));
        }
    };
    ways.into_iter()
        .find(|c| Some((c.fg, c.bg)) == last)
        .unwrap_or(ways[0])
}

/// A cell of one colour: a space on it, or a full block of it, keeping the
/// previous cell's other colour.
fn plain(c: Color, last: Option<(Color, Color)>) -> BlockCell {
    match last {
        Some((fg, bg)) if bg == c => BlockCell {
            symbol: SPACE,
            fg,
            bg,
        },
        Some((fg, bg)) if fg == c => BlockCell {
            symbol: FULL,
            fg,
            bg,
        },
        _ => BlockCell {
            symbol: SPACE,
            fg: c,
            bg: c,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::images::halfblock::fidelity::shown;

    #[test]
    fn a_palette_colour_is_drawn_plain_and_an_off_palette_one_mixed() {
        let on = [95, 135, 175];
        let cells = encode(&[(on, on), (on, on)], 2);
        assert_eq!(cells[0].symbol, SPACE);
        assert_eq!(cells[0].bg, Color::Indexed(67));
        assert_eq!(cells[1], cells[0], "the same colours, no escape");
        // Between two greys of the ramp: a shade of two greys, nearer than
        // either.
        let a = linear(palette()[230].rgb);
        let b = linear(palette()[231].rgb);
        let between = crate::ui::images::halfblock::colour::srgb(mix(a, b, 0.5));
        let cells = encode(&[(between, between)], 1);
        assert!(
            [LIGHT_SHADE, MEDIUM_SHADE, DARK_SHADE].contains(&cells[0].symbol),
            "{cells:?}"
        );
        let (su, sl) = shown(&cells[0]).unwrap();
        let nearest = palette()[nearest_entry(&lab(between))].lab;
        let shown_de = delta_e_lab(&lab_of_linear(su), &lab(between));
        assert!(shown_de < 1.0 && shown_de < delta_e_lab(&nearest, &lab(between)));
        assert_eq!(su, sl);
    }

    #[test]
    fn two_different_halves_keep_their_own_colours() {
        let (top, bottom) = ([255, 255, 255], [0, 0, 0]);
        let cells = encode(&[(top, bottom), (bottom, top)], 2);
        assert_eq!(cells[0].symbol, UPPER);
        assert_eq!(
            (cells[0].fg, cells[0].bg),
            (Color::Indexed(231), Color::Indexed(16))
        );
        // The next cell swaps its halves: drawn with the same colours.
        assert_eq!(cells[1].symbol, LOWER);
        assert_eq!((cells[1].fg, cells[1].bg), (cells[0].fg, cells[0].bg));
    }
}
