//! Error-bounded run merging (truecolor; see the module docs of
//! [`super`]), and the byte cost of drawing cells.

use super::colour::{dist2, lab, Lab};
use super::palette::nearest_256;
use super::{BlockCell, ColorDepth, FULL, LOWER, SPACE, UPPER};
use ratatui::style::Color;

#[derive(Clone, Copy)]
pub(super) struct Px {
    pub rgb: [u8; 3],
    pub lab: Lab,
}

impl Px {
    pub fn new(rgb: [u8; 3]) -> Px {
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
pub(super) fn merge(px: &[(Px, Px)], tolerance: f32, depth: ColorDepth) -> (Vec<BlockCell>, usize) {
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
        paint(&px[i..j], &run, t2, depth, &mut cells);
        i = j;
    }
    (cells, runs)
}

/// The colours a run is painted with: its groups' means when they keep
/// every pixel within the tolerance (truecolor only), else the anchors.
fn run_colours(
    members: &[(Px, Px)],
    sides: &[(bool, bool)],
    run: &Run,
    t2: f32,
    depth: ColorDepth,
) -> (Px, Px) {
    let (mut sum_a, mut sum_b, mut n_a, mut n_b) = ([0u32; 3], [0u32; 3], 0u32, 0u32);
    for ((u, l), (ua, la)) in members.iter().zip(sides) {
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
    let col_a = Px::new(mean(sum_a, n_a));
    let col_b = match run.b {
        Some(_) => Px::new(mean(sum_b, n_b)),
        None => col_a,
    };
    let within = depth == ColorDepth::TrueColor
        && members.iter().zip(sides).all(|((u, l), (ua, la))| {
            [(u, ua), (l, la)].iter().all(|(p, is_a)| {
                let c = if **is_a { &col_a } else { &col_b };
                dist2(&p.lab, &c.lab) <= t2
            })
        });
    if within {
        (col_a, col_b)
    } else {
        (run.a, run.b.unwrap_or(run.a))
    }
}

/// Paints one run's cells.
fn paint(members: &[(Px, Px)], run: &Run, t2: f32, depth: ColorDepth, cells: &mut Vec<BlockCell>) {
    // Which anchor each pixel goes with.
    let sides: Vec<(bool, bool)> = members
        .iter()
        .map(|(u, l)| (run.with_a(u), run.with_a(l)))
        .collect();
    let (col_a, col_b) = run_colours(members, &sides, run, t2, depth);
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

/// Colour runs in `cells`: how many times the fg/bg pair changes (plus one).
pub fn count_runs(cells: &[BlockCell]) -> usize {
    let mut runs = 0;
    let mut last = None;
    for c in cells {
        if last != Some((c.fg, c.bg)) {
            runs += 1;
            last = Some((c.fg, c.bg));
        }
    }
    runs
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
