//! Renders the game's own screens to PNGs, for the README:
//!
//!     cargo run --example screenshot [-- OUT_DIR]
//!
//! writes `OUT_DIR/screenshot-rating.png` and `OUT_DIR/screenshot-reveal.png`
//! (OUT_DIR defaults to `docs/`). It builds the game exactly as `mytype play`
//! does, on the bundled pack and the sample profile `profiles/alex.ron`
//! (resumed after 17 ratings, then finished), draws each screen into
//! ratatui's `TestBackend` with the half-block faces in truecolor, and paints
//! every cell with its colours: `▀`-style block cells as pixels, box lines
//! as lines, text in DejaVu Sans Mono (`assets/fonts`). Nothing is
//! hand-edited, and the same sources give the same bytes.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{Rgb, RgbImage};
use mytype::pack::Pack;
use mytype::profile::{load_file, Profile};
use mytype::ui::app::order::Order;
use mytype::ui::images::{Encoder, ThumbnailCache};
use mytype::ui::terminal::term_env::ColorDepth;
use mytype::ui::theme::Theme;
use mytype::ui::App;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use ratatui_image::picker::Picker;
use std::path::{Path, PathBuf};

const MONO: &[u8] = include_bytes!("../assets/fonts/DejaVuSansMono.ttf");
/// For the few symbols the monospace font lacks.
const FALLBACK: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// The terminal the screens are drawn in, in cells.
const COLS: u16 = 100;
const ROWS: u16 = 30;
/// One cell in pixels (DejaVu Sans Mono at 18 px advances 10.8 px), so a
/// half-block pixel is 11 x 11: square, as in a real terminal.
const CELL_W: u32 = 11;
const CELL_H: u32 = 22;
const FONT_PX: f32 = 18.0;
/// Ratings in the profile for the rating screen.
const RATED_SO_FAR: usize = 17;

/// The terminal's colours (a dark theme); the named colours are what the
/// game asks for (`Magenta` titles, `Cyan` accents, `DarkGray` borders, …).
const BACKGROUND: [u8; 3] = [0x1c, 0x1e, 0x26];
const FOREGROUND: [u8; 3] = [0xd8, 0xdc, 0xe4];
const TITLE_BAR: [u8; 3] = [0x2b, 0x2e, 0x38];

fn named(color: Color) -> Option<[u8; 3]> {
    Some(match color {
        Color::Black => [0x1c, 0x1e, 0x26],
        Color::Red => [0xe0, 0x6c, 0x75],
        Color::Green => [0x98, 0xc3, 0x79],
        Color::Yellow => [0xe5, 0xc0, 0x7b],
        Color::Blue => [0x61, 0xaf, 0xef],
        Color::Magenta => [0xc6, 0x78, 0xdd],
        Color::Cyan => [0x56, 0xb6, 0xc2],
        Color::Gray => [0xab, 0xb2, 0xbf],
        Color::DarkGray => [0x6b, 0x72, 0x80],
        Color::LightRed => [0xf0, 0x8c, 0x94],
        Color::LightGreen => [0xb5, 0xe0, 0x90],
        Color::LightYellow => [0xf0, 0xd6, 0x9c],
        Color::LightBlue => [0x8c, 0xc8, 0xff],
        Color::LightMagenta => [0xff, 0x8a, 0xd8],
        Color::LightCyan => [0x8e, 0xdc, 0xe6],
        Color::White => [0xf0, 0xf2, 0xf5],
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(i) => indexed(i),
        Color::Reset => return None,
    })
}

/// The xterm 256-colour palette (the first 16 follow the theme above).
fn indexed(i: u8) -> [u8; 3] {
    const BASE: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => named(BASE[usize::from(i)]).unwrap_or(FOREGROUND),
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let n = i - 16;
            [level(n / 36), level(n / 6 % 6), level(n % 6)]
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            [v, v, v]
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("docs"));
    std::fs::create_dir_all(&out)?;
    let pack = Pack::load(&root.join("faces/default"))?;
    let full = load_file(&root.join("profiles/alex.ron"))?;
    let painter = Painter::new()?;

    // Mid-game: the profile as saved after 17 ratings, resumed.
    let mut partial = full.clone();
    partial.ratings.truncate(RATED_SO_FAR);
    let mut app = game(&pack, partial)?;
    let rating = out.join("screenshot-rating.png");
    painter.paint(&draw(&mut app)?).save(&rating)?;
    eprintln!("wrote {}", rating.display());

    // Every face rated: the game opens on the reveal; its build-up runs
    // out (as the clock does with no key pressed) so the final reveal is drawn.
    let mut app = game(&pack, full)?;
    for _ in 0..mytype::ui::app::buildup::FRAMES {
        if !app.building_up() {
            break;
        }
        app.apply(mytype::ui::Action::Tick);
    }
    let reveal = out.join("screenshot-reveal.png");
    painter.paint(&draw(&mut app)?).save(&reveal)?;
    eprintln!("wrote {}", reveal.display());
    Ok(())
}

/// The game as `mytype play --profile alex` builds it (colour theme,
/// adaptive order, the crowd prior with no other players).
fn game(pack: &Pack, profile: Profile) -> Result<App, Box<dyn std::error::Error>> {
    let name = profile.player.clone();
    let crowd = mytype::game::crowd_sources::crowd_scores(pack, None, &name);
    let app = App::new(&name, profile, pack.clone(), None, Theme { color: true })?
        .with_options(Order::Adaptive, Some((crowd.clone(), crowd)));
    Ok(app)
}

/// Draws the whole screen, faces in truecolor half-blocks.
fn draw(app: &mut App) -> Result<Buffer, Box<dyn std::error::Error>> {
    let area = Rect::new(0, 0, COLS, ROWS);
    let encoder = Encoder::with_depth(Picker::halfblocks(), ColorDepth::TrueColor);
    mytype::ui::load_images_with(app, area, &encoder, &mut ThumbnailCache::default());
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS))?;
    terminal.draw(|frame| mytype::ui::render(app, frame))?;
    Ok(terminal.backend().buffer().clone())
}

struct Painter {
    mono: FontRef<'static>,
    fallback: FontRef<'static>,
}

/// Margin around the terminal and the height of the window's title bar.
const MARGIN: u32 = 14;
const BAR_H: u32 = 30;

impl Painter {
    fn new() -> Result<Painter, ab_glyph::InvalidFont> {
        Ok(Painter {
            mono: FontRef::try_from_slice(MONO)?,
            fallback: FontRef::try_from_slice(FALLBACK)?,
        })
    }

    /// The buffer in a terminal-like window.
    fn paint(&self, buf: &Buffer) -> RgbImage {
        let w = u32::from(buf.area.width) * CELL_W + 2 * MARGIN;
        let h = u32::from(buf.area.height) * CELL_H + 2 * MARGIN + BAR_H;
        let mut img = RgbImage::from_pixel(w, h, Rgb(BACKGROUND));
        fill(&mut img, 0, 0, w, BAR_H, TITLE_BAR);
        for (i, colour) in [[0xff, 0x5f, 0x57], [0xfe, 0xbc, 0x2e], [0x28, 0xc8, 0x40]]
            .into_iter()
            .enumerate()
        {
            disc(&mut img, 20 + 20 * i as u32, BAR_H / 2, 6, colour);
        }
        let title = "mytype — cargo run --release";
        let title_w = title.chars().count() as u32 * CELL_W;
        let mut x = (w.saturating_sub(title_w)) / 2;
        for c in title.chars() {
            self.glyph(
                &mut img,
                c,
                x,
                (BAR_H - CELL_H) / 2,
                [0x9a, 0xa0, 0xac],
                false,
            );
            x += CELL_W;
        }
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                let px = MARGIN + u32::from(x) * CELL_W;
                let py = BAR_H + MARGIN + u32::from(y) * CELL_H;
                self.cell(&mut img, &buf[(x, y)], px, py);
            }
        }
        img
    }

    fn cell(&self, img: &mut RgbImage, cell: &Cell, x: u32, y: u32) {
        let mut fg = named(cell.fg).unwrap_or(FOREGROUND);
        let mut bg = named(cell.bg).unwrap_or(BACKGROUND);
        let modifier = cell.modifier;
        if modifier.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fg, &mut bg);
        }
        if modifier.contains(Modifier::DIM) {
            fg = mix(bg, fg, 0.6);
        }
        fill(img, x, y, CELL_W, CELL_H, bg);
        let Some(c) = cell.symbol().chars().next() else {
            return;
        };
        if !block(img, c, x, y, fg, bg) && !box_line(img, c, x, y, fg) && c != ' ' {
            self.glyph(img, c, x, y, fg, modifier.contains(Modifier::BOLD));
        }
        if modifier.contains(Modifier::UNDERLINED) {
            fill(img, x, y + CELL_H - 4, CELL_W, 1, fg);
        }
    }

    /// Draws `c` in the cell at (x, y); bold is drawn twice, a pixel apart,
    /// as terminals without a bold face do.
    fn glyph(&self, img: &mut RgbImage, c: char, x: u32, y: u32, fg: [u8; 3], bold: bool) {
        let (font, px) = if self.mono.glyph_id(c).0 != 0 {
            (&self.mono, FONT_PX)
        } else {
            (&self.fallback, FONT_PX * 0.9)
        };
        let scale = PxScale::from(px);
        let scaled = font.as_scaled(scale);
        let advance = scaled.h_advance(font.glyph_id(c));
        let line_h = scaled.ascent() - scaled.descent();
        let left = x as f32 + (CELL_W as f32 - advance) / 2.0;
        let baseline = y as f32 + (CELL_H as f32 - line_h) / 2.0 + scaled.ascent();
        for dx in if bold { 0..2 } else { 0..1 } {
            let glyph = font
                .glyph_id(c)
                .with_scale_and_position(scale, ab_glyph::point(left + dx as f32, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                if px < 0 || py < 0 || px >= i64::from(img.width()) || py >= i64::from(img.height())
                {
                    return;
                }
                let p = img.get_pixel_mut(px as u32, py as u32);
                p.0 = mix(p.0, fg, coverage.clamp(0.0, 1.0));
            });
        }
    }
}

/// Block elements as exact pixels: half-block faces must not show seams.
fn block(img: &mut RgbImage, c: char, x: u32, y: u32, fg: [u8; 3], bg: [u8; 3]) -> bool {
    let half = CELL_H / 2;
    match c {
        '▀' => fill(img, x, y, CELL_W, half, fg),
        '▄' => fill(img, x, y + half, CELL_W, CELL_H - half, fg),
        '█' => fill(img, x, y, CELL_W, CELL_H, fg),
        '▌' => fill(img, x, y, CELL_W / 2, CELL_H, fg),
        '▐' => fill(img, x + CELL_W / 2, y, CELL_W - CELL_W / 2, CELL_H, fg),
        // Shades as the eye sees them from a distance.
        '░' => fill(img, x, y, CELL_W, CELL_H, mix(bg, fg, 0.25)),
        '▒' => fill(img, x, y, CELL_W, CELL_H, mix(bg, fg, 0.5)),
        '▓' => fill(img, x, y, CELL_W, CELL_H, mix(bg, fg, 0.75)),
        _ => return false,
    }
    true
}

/// Box-drawing lines, joined across cells (a font leaves gaps): light
/// (rounded or square corners), heavy and double.
fn box_line(img: &mut RgbImage, c: char, x: u32, y: u32, fg: [u8; 3]) -> bool {
    #[derive(PartialEq)]
    enum Weight {
        Light,
        Rounded,
        Heavy,
        Double,
    }
    use Weight::*;
    // (left, right, up, down, weight)
    let (left, right, up, down, weight) = match c {
        '─' => (true, true, false, false, Light),
        '│' => (false, false, true, true, Light),
        '┌' => (false, true, false, true, Light),
        '┐' => (true, false, false, true, Light),
        '└' => (false, true, true, false, Light),
        '┘' => (true, false, true, false, Light),
        '╭' => (false, true, false, true, Rounded),
        '╮' => (true, false, false, true, Rounded),
        '╰' => (false, true, true, false, Rounded),
        '╯' => (true, false, true, false, Rounded),
        '├' => (false, true, true, true, Light),
        '┤' => (true, false, true, true, Light),
        '┬' => (true, true, false, true, Light),
        '┴' => (true, true, true, false, Light),
        '┼' => (true, true, true, true, Light),
        '━' => (true, true, false, false, Heavy),
        '┃' => (false, false, true, true, Heavy),
        '┏' => (false, true, false, true, Heavy),
        '┓' => (true, false, false, true, Heavy),
        '┗' => (false, true, true, false, Heavy),
        '┛' => (true, false, true, false, Heavy),
        '═' => (true, true, false, false, Double),
        '║' => (false, false, true, true, Double),
        '╔' => (false, true, false, true, Double),
        '╗' => (true, false, false, true, Double),
        '╚' => (false, true, true, false, Double),
        '╝' => (true, false, true, false, Double),
        _ => return false,
    };
    let (cx, cy) = ((x + CELL_W / 2) as i32, (y + CELL_H / 2) as i32);
    let (x0, y0, x1, y1) = (x as i32, y as i32, (x + CELL_W) as i32, (y + CELL_H) as i32);
    // A horizontal run from xa to xb (exclusive) at row yy, thickness t.
    let hline = |img: &mut RgbImage, xa: i32, xb: i32, yy: i32, t: i32| {
        let (xa, xb) = (xa.min(xb), xa.max(xb));
        fill(
            img,
            xa as u32,
            (yy - t / 2) as u32,
            (xb - xa) as u32,
            t as u32,
            fg,
        );
    };
    let vline = |img: &mut RgbImage, ya: i32, yb: i32, xx: i32, t: i32| {
        let (ya, yb) = (ya.min(yb), ya.max(yb));
        fill(
            img,
            (xx - t / 2) as u32,
            ya as u32,
            t as u32,
            (yb - ya) as u32,
            fg,
        );
    };
    match weight {
        Light | Heavy => {
            let t = if weight == Heavy { 3 } else { 1 };
            let half = t / 2;
            if left {
                hline(img, x0, cx + half + 1, cy, t);
            }
            if right {
                hline(img, cx - half, x1, cy, t);
            }
            if up {
                vline(img, y0, cy + half + 1, cx, t);
            }
            if down {
                vline(img, cy - half, y1, cx, t);
            }
        }
        Double => {
            const GAP: i32 = 2;
            if !(up || down) {
                hline(img, x0, x1, cy - GAP, 1);
                hline(img, x0, x1, cy + GAP, 1);
            } else if !(left || right) {
                vline(img, y0, y1, cx - GAP, 1);
                vline(img, y0, y1, cx + GAP, 1);
            } else {
                // A corner: the outer line turns at -GAP, the inner at +GAP.
                let dx = if right { 1 } else { -1 };
                let dy = if down { 1 } else { -1 };
                let edge_x = if right { x1 } else { x0 - 1 };
                let edge_y = if down { y1 } else { y0 - 1 };
                for k in [-GAP, GAP] {
                    let (tx, ty) = (cx + k * dx, cy + k * dy);
                    hline(img, tx, edge_x + i32::from(!right), ty, 1);
                    vline(img, ty, edge_y + i32::from(!down), tx, 1);
                }
            }
        }
        Rounded => {
            // A quarter circle of radius R joins the two arms.
            const R: i32 = 4;
            if left {
                hline(img, x0, cx - R + 1, cy, 1);
            }
            if right {
                hline(img, cx + R, x1, cy, 1);
            }
            if up {
                vline(img, y0, cy - R + 1, cx, 1);
            }
            if down {
                vline(img, cy + R, y1, cx, 1);
            }
            let ox = (if right { cx + R } else { cx - R }) as f32 + 0.5;
            let oy = (if down { cy + R } else { cy - R }) as f32 + 0.5;
            for py in y0..y1 {
                for px in x0..x1 {
                    let (fx, fy) = (px as f32 + 0.5, py as f32 + 0.5);
                    let on_side = (if right { fx <= ox } else { fx >= ox })
                        && (if down { fy <= oy } else { fy >= oy });
                    if !on_side {
                        continue;
                    }
                    let d = ((fx - ox).powi(2) + (fy - oy).powi(2)).sqrt();
                    let coverage = 1.0 - (d - R as f32).abs();
                    if coverage > 0.0 {
                        let p = img.get_pixel_mut(px as u32, py as u32);
                        p.0 = mix(p.0, fg, coverage.min(1.0));
                    }
                }
            }
        }
    }
    true
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: [u8; 3]) {
    for py in y..(y + h).min(img.height()) {
        for px in x..(x + w).min(img.width()) {
            img.put_pixel(px, py, Rgb(colour));
        }
    }
}

fn disc(img: &mut RgbImage, cx: u32, cy: u32, r: u32, colour: [u8; 3]) {
    let (fx, fy, fr) = (cx as f32, cy as f32, r as f32);
    for py in cy.saturating_sub(r + 1)..=cy + r + 1 {
        for px in cx.saturating_sub(r + 1)..=cx + r + 1 {
            let d = ((px as f32 + 0.5 - fx).powi(2) + (py as f32 + 0.5 - fy).powi(2)).sqrt();
            let coverage = (fr + 0.5 - d).clamp(0.0, 1.0);
            if coverage > 0.0 && px < img.width() && py < img.height() {
                let p = img.get_pixel_mut(px, py);
                p.0 = mix(p.0, colour, coverage);
            }
        }
    }
}

/// `a` blended towards `b` by `t` (0: a, 1: b).
fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> [u8; 3] {
    let m = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}
