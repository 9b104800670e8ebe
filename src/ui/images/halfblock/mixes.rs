//! The colours one cell can show with the 256-colour palette: each palette
//! colour, and each pair of palette colours mixed by a shade glyph, whose
//! fine pattern covers about 25 % (`░`), 50 % (`▒`) or 75 % (`▓`) of the
//! cell with the foreground. Seen from the usual distance the pattern is a
//! colour of its own, so a cell has some 86,000 colours to choose from
//! instead of 240, without dithering across cells.
//!
//! Terminals draw the shades differently ([`SHADE_MODELS`]), so a mix is
//! placed at the mean of its colours in those terminals and charged their
//! mean distance from it: a pair far apart, whose mix depends most on the
//! terminal (and shows as a visible hatch up close), must match much
//! better to be chosen.

use super::colour::{delta_e_lab, lab_of_linear, Lab};
use super::palette::{palette, SIZE};
use super::shades::SHADE_MODELS;
use std::sync::OnceLock;

/// Side of a lookup bin, in ΔE.
const BIN: f32 = 4.0;

/// One colour a cell can show: palette entry `a` covering `quarters`/4 of
/// the cell and entry `b` the rest (`quarters == 4`: `a` alone).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mix {
    pub lab: Lab,
    pub a: u8,
    pub b: u8,
    pub quarters: u8,
    /// Added to the mix's ΔE when choosing: how far, on average, the
    /// terminals' renderings are from `lab` (their mean).
    pub penalty: f32,
}

/// Every mix, with a grid over CIELAB to find the best one quickly.
pub struct MixTable {
    mixes: Vec<Mix>,
    origin: Lab,
    dims: [usize; 3],
    /// Mixes by bin: `items[starts[bin]..starts[bin + 1]]`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

/// The table, built on first use (a few milliseconds, about 2 MB).
pub fn table() -> &'static MixTable {
    static TABLE: OnceLock<MixTable> = OnceLock::new();
    TABLE.get_or_init(MixTable::build)
}

impl MixTable {
    /// Builds the table (use `table`; public for the benchmark).
    pub fn build() -> MixTable {
        let p = palette();
        let mut mixes = Vec::with_capacity(SIZE * SIZE * 3 / 2 + SIZE);
        for (i, e) in p.iter().enumerate() {
            mixes.push(Mix {
                lab: e.lab,
                a: i as u8,
                b: i as u8,
                quarters: 4,
                penalty: 0.0,
            });
            for (j, f) in p.iter().enumerate().skip(i + 1) {
                for quarters in 1..=3u8 {
                    let (lab, penalty) = placed(e.rgb, f.rgb, quarters);
                    mixes.push(Mix {
                        lab,
                        a: i as u8,
                        b: j as u8,
                        quarters,
                        penalty,
                    });
                }
            }
        }
        MixTable::index(mixes)
    }

    fn index(mixes: Vec<Mix>) -> MixTable {
        let mut origin = [f32::MAX; 3];
        let mut top = [f32::MIN; 3];
        for m in &mixes {
            for k in 0..3 {
                origin[k] = origin[k].min(m.lab[k]);
                top[k] = top[k].max(m.lab[k]);
            }
        }
        let dims: [usize; 3] = std::array::from_fn(|k| ((top[k] - origin[k]) / BIN) as usize + 1);
        let mut table = MixTable {
            mixes,
            origin,
            dims,
            starts: Vec::new(),
            items: Vec::new(),
        };
        let bins: Vec<usize> = table
            .mixes
            .iter()
            .map(|m| table.bin_of(table.coords(&m.lab)))
            .collect();
        let mut counts = vec![0u32; dims.iter().product::<usize>() + 1];
        for &b in &bins {
            counts[b + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut next = counts.clone();
        table.items = vec![0; bins.len()];
        for (i, &b) in bins.iter().enumerate() {
            table.items[next[b] as usize] = i as u32;
            next[b] += 1;
        }
        table.starts = counts;
        table
    }

    /// How many mixes there are.
    pub fn len(&self) -> usize {
        self.mixes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.mixes.is_empty()
    }

    /// The bin coordinates of `lab`, clamped to the grid.
    fn coords(&self, lab: &Lab) -> [usize; 3] {
        std::array::from_fn(|k| {
            (((lab[k] - self.origin[k]) / BIN).max(0.0) as usize).min(self.dims[k] - 1)
        })
    }

    fn bin_of(&self, c: [usize; 3]) -> usize {
        (c[0] * self.dims[1] + c[1]) * self.dims[2] + c[2]
    }

    /// The mix of least cost (ΔE to `target` plus its penalty). Searches
    /// the bins around `target`, widening until nothing outside can win.
    pub fn best(&self, target: &Lab) -> &Mix {
        let centre = self.coords(target);
        let mut best = (0usize, f32::MAX);
        for radius in 1.. {
            let lo: [usize; 3] = std::array::from_fn(|k| centre[k].saturating_sub(radius));
            let hi: [usize; 3] =
                std::array::from_fn(|k| (centre[k] + radius).min(self.dims[k] - 1));
            self.search(target, lo, hi, &mut best);
            if best.1 <= self.reach(target, lo, hi) {
                break;
            }
        }
        &self.mixes[best.0]
    }

    /// Scans the bins `lo..=hi` (a box, bins already seen scanned again:
    /// cheap next to the rest).
    fn search(&self, target: &Lab, lo: [usize; 3], hi: [usize; 3], best: &mut (usize, f32)) {
        for x in lo[0]..=hi[0] {
            for y in lo[1]..=hi[1] {
                let first = self.bin_of([x, y, lo[2]]);
                let last = self.bin_of([x, y, hi[2]]);
                let range = self.starts[first] as usize..self.starts[last + 1] as usize;
                for &i in &self.items[range] {
                    let m = &self.mixes[i as usize];
                    let cost = delta_e_lab(&m.lab, target) + m.penalty;
                    if cost < best.1 {
                        *best = (i as usize, cost);
                    }
                }
            }
        }
    }

    /// How far from `target` a mix outside the box `lo..=hi` must at least
    /// be (infinite when the box is the whole grid).
    fn reach(&self, target: &Lab, lo: [usize; 3], hi: [usize; 3]) -> f32 {
        let mut reach = f32::INFINITY;
        for k in 0..3 {
            if lo[k] > 0 {
                reach = reach.min(target[k] - (self.origin[k] + lo[k] as f32 * BIN));
            }
            if hi[k] + 1 < self.dims[k] {
                reach = reach.min(self.origin[k] + (hi[k] + 1) as f32 * BIN - target[k]);
            }
        }
        reach.max(0.0)
    }
}

/// Where a mix of `fg` on `bg` is placed: the mean of its colours in the
/// [`SHADE_MODELS`], and their mean ΔE from it.
fn placed(fg: [u8; 3], bg: [u8; 3], quarters: u8) -> (Lab, f32) {
    let labs = SHADE_MODELS.map(|m| lab_of_linear(m.show(fg, bg, quarters)));
    let n = labs.len() as f32;
    let centre: Lab = std::array::from_fn(|k| labs.iter().map(|l| l[k]).sum::<f32>() / n);
    let spread = labs.iter().map(|l| delta_e_lab(l, &centre)).sum::<f32>() / n;
    (centre, spread)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::images::halfblock::colour::lab;

    /// The best mix by brute force, for checking the grid.
    fn brute(t: &MixTable, target: &Lab) -> f32 {
        t.mixes
            .iter()
            .map(|m| delta_e_lab(&m.lab, target) + m.penalty)
            .fold(f32::MAX, f32::min)
    }

    #[test]
    fn the_grid_finds_the_same_best_mix_as_a_full_scan() {
        let t = table();
        assert_eq!(t.len(), SIZE + SIZE * (SIZE - 1) / 2 * 3);
        let mut rgb = [7u8, 91, 200];
        for _ in 0..300 {
            rgb = [
                rgb[0].wrapping_mul(31).wrapping_add(17),
                rgb[1].wrapping_mul(13).wrapping_add(101),
                rgb[2].wrapping_mul(7).wrapping_add(59),
            ];
            let target = lab(rgb);
            let m = t.best(&target);
            let cost = delta_e_lab(&m.lab, &target) + m.penalty;
            assert!((cost - brute(t, &target)).abs() < 1e-4, "{rgb:?}");
        }
        // Far outside the gamut too.
        for target in [[150.0, 0.0, 0.0], [-20.0, 200.0, -200.0]] {
            let m = t.best(&target);
            let cost = delta_e_lab(&m.lab, &target) + m.penalty;
            assert!((cost - brute(t, &target)).abs() < 1e-3);
        }
    }

    #[test]
    fn mixes_of_far_colours_cost_more_than_of_near_ones() {
        let (near_lab, near) = placed([215, 175, 135], [215, 175, 175], 2);
        let (_, far) = placed([0, 0, 0], [255, 255, 255], 2);
        assert!(near < 3.0 && far > 10.0, "{near} {far}");
        // The mean of the renderings: between the two colours.
        assert!(near_lab[2] < lab([215, 175, 135])[2] && near_lab[2] > lab([215, 175, 175])[2]);
    }

    #[test]
    fn palette_colours_are_their_own_best_mix() {
        for (i, e) in palette().iter().enumerate() {
            let m = table().best(&e.lab);
            assert_eq!((m.a, m.quarters), (i as u8, 4), "{:?}", e.rgb);
        }
    }
}
