//! Party features built on saved profiles: comparing two players' tastes and
//! the shareable party card.

use crate::game::recommend::{Recommendation, Recommender};
use crate::math::stats::pearson;
use crate::model::Reason;
use crate::pack::Pack;
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{Rgba, RgbaImage};
use serde::Serialize;

/// One attribute level as both players' models see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelTaste {
    pub attribute: String,
    pub level: String,
    /// How far this level alone moves A's expected rating.
    pub a: f64,
    /// The same for B.
    pub b: f64,
}

/// How alike two tastes are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Pearson correlation of the two models' scores over every face of the pack, in [-1, 1].
    pub overlap: f64,
    /// Levels both like (both effects above +0.1), strongest shared first.
    pub shared_likes: Vec<LevelTaste>,
    /// Levels one likes and the other does not, largest gap first.
    pub differences: Vec<LevelTaste>,
    /// Faces scored for the overlap.
    pub faces: usize,
}

const LIKE: f64 = 0.1;

/// Compares two learnt recommenders over the faces of `pack`.
pub fn compare(a: &Recommender, b: &Recommender, pack: &Pack) -> Comparison {
    let score_all = |r: &Recommender| -> Vec<f64> {
        pack.faces()
            .iter()
            .map(|f| r.model().score(&r.model().space().encode(&f.attributes)))
            .collect()
    };
    let (sa, sb) = (score_all(a), score_all(b));
    let effects_b = b.model().level_effects();
    let mut shared_likes = Vec::new();
    let mut differences = Vec::new();
    for ea in a.model().level_effects() {
        let Some(eb) = effects_b
            .iter()
            .find(|e| e.attribute == ea.attribute && e.level == ea.level)
        else {
            continue;
        };
        let taste = LevelTaste {
            attribute: ea.attribute.clone(),
            level: ea.level.clone(),
            a: ea.weight,
            b: eb.weight,
        };
        if ea.weight > LIKE && eb.weight > LIKE {
            shared_likes.push(taste);
        } else if (ea.weight > LIKE || eb.weight > LIKE) && ea.weight * eb.weight < 0.0 {
            differences.push(taste);
        }
    }
    shared_likes.sort_by(|x, y| y.a.min(y.b).total_cmp(&x.a.min(x.b)));
    differences.sort_by(|x, y| (y.a - y.b).abs().total_cmp(&(x.a - x.b).abs()));
    Comparison {
        overlap: pearson(&sa, &sb).clamp(-1.0, 1.0),
        shared_likes,
        differences,
        faces: pack.faces().len(),
    }
}

/// The bundled font (DejaVu Sans Bold, Bitstream Vera licence: assets/fonts).
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the bundled font could not be read")]
    Font,
    #[error(transparent)]
    Image(#[from] crate::vision::imaging::ImageError),
}

/// Readable reason: "hair colour: red" (see [`crate::core::attributes::trait_label`]).
pub fn reason_text(r: &Reason) -> String {
    crate::core::attributes::trait_label(&r.attribute, &r.level)
}

impl LevelTaste {
    /// The level for people: "hair colour: red".
    pub fn label(&self) -> String {
        crate::core::attributes::trait_label(&self.attribute, &self.level)
    }
}

/// The "why" of a pick as the reveal and the card say it: its first `max`
/// reasons, or, when none moved the pick enough to name
/// ([`crate::game::recommend::MIN_REASON_EFFECT`]), one honest sentence instead.
/// Here, below the UI, because the card (this module) and the reveal
/// (`ui::reveal`) both say it.
pub fn why(rec: &Recommendation, max: usize) -> Vec<String> {
    why_in(rec, max, true)
}

/// [`why`], where `more_to_rate` says whether faces are left to rate (if
/// not, a close call cannot ask for more ratings).
pub fn why_in(rec: &Recommendation, max: usize, more_to_rate: bool) -> Vec<String> {
    if rec.because.is_empty() {
        let close_call = rec.close_call();
        if close_call && !more_to_rate {
            return vec![WHY_CLOSE_ALL_RATED.to_string()];
        }
        return vec![why_none(close_call).to_string()];
    }
    rec.because.iter().take(max).map(reason_text).collect()
}

/// A close call with every face rated.
pub const WHY_CLOSE_ALL_RATED: &str =
    "Nothing stands out, and the runner-up is just as close: a close call between the two.";

/// The reveal's "why" when no reason moved the pick enough to name;
/// `close_call`: the runner-up reads the same.
pub fn why_none(close_call: bool) -> &'static str {
    if close_call {
        "Nothing stands out yet, and the runner-up is just as close: rate more faces for a sharper pick."
    } else {
        "No single feature stands out: many small ones add up."
    }
}

/// Draws the party card: the revealed face, its name, "my type is …", the top
/// reasons (or, as the reveal says it, why there are none: [`why_in`], with
/// `more_to_rate` as there) and the date.
pub fn render_card(
    player: &str,
    rec: &Recommendation,
    pack: &Pack,
    date: &str,
    more_to_rate: bool,
) -> Result<RgbaImage, CardError> {
    let font = FontRef::try_from_slice(FONT).map_err(|_| CardError::Font)?;
    let (w, h) = (600u32, 860u32);
    let mut card = RgbaImage::from_pixel(w, h, Rgba([252, 246, 238, 255]));
    // A coloured band behind the title.
    for y in 0..150 {
        for x in 0..w {
            let t = x as f32 / w as f32;
            let c = [
                (236.0 - 40.0 * t) as u8,
                (92.0 + 30.0 * t) as u8,
                (122.0 + 80.0 * t) as u8,
                255,
            ];
            card.put_pixel(x, y, Rgba(c));
        }
    }
    let white = Rgba([255, 255, 255, 255]);
    let ink = Rgba([40, 32, 48, 255]);
    let soft = Rgba([110, 96, 120, 255]);
    draw_text_centered(&mut card, &font, 34.0, 48.0, "So, who's your type?", white);
    draw_text_centered(
        &mut card,
        &font,
        22.0,
        100.0,
        &format!("{player}'s party card"),
        white,
    );

    if let Some(face) = pack.face(&rec.pick.id) {
        let img = crate::vision::imaging::decode(&pack.image_path(face))?;
        let portrait = img
            .resize_to_fill(360, 360, image::imageops::FilterType::Lanczos3)
            .to_rgba8();
        let x0 = (w - 360) / 2;
        // A white frame.
        for y in 168..(168 + 376) {
            for x in (x0 - 8)..(x0 + 368) {
                card.put_pixel(x, y, white);
            }
        }
        image::imageops::overlay(&mut card, &portrait, i64::from(x0), 176);
    }
    draw_text_centered(
        &mut card,
        &font,
        26.0,
        590.0,
        "The AI says my type is",
        soft,
    );
    draw_text_centered(&mut card, &font, 40.0, 640.0, &rec.pick.name, ink);
    draw_why(&mut card, &font, rec, more_to_rate, (soft, ink));
    draw_text_centered(
        &mut card,
        &font,
        16.0,
        845.0,
        &format!("mytype · {date}"),
        soft,
    );
    Ok(card)
}

/// `text` in lines of at most `width` characters, broken between words.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The width of `text` at `size` px, kerning included.
pub fn text_width(font: &FontRef<'_>, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Draws `text` centred horizontally with its baseline at `baseline`.
/// The card's "because:" and reasons, or the honest sentence instead
/// ([`why_in`]), in the `(soft, ink)` colours.
fn draw_why(
    card: &mut RgbaImage,
    font: &FontRef<'_>,
    rec: &Recommendation,
    more_to_rate: bool,
    (soft, ink): (Rgba<u8>, Rgba<u8>),
) {
    let why = why_in(rec, 3, more_to_rate);
    if rec.because.is_empty() {
        // The honest sentence instead of reasons, wrapped to stay legible.
        let lines = wrap_words(&why.concat(), 44);
        for (i, line) in lines.iter().take(3).enumerate() {
            draw_text_centered(card, font, 20.0, 710.0 + 30.0 * i as f32, line, soft);
        }
    } else {
        draw_text_centered(card, font, 20.0, 700.0, "because:", soft);
        for (i, r) in why.iter().enumerate() {
            draw_text_centered(card, font, 22.0, 735.0 + 30.0 * i as f32, r, ink);
        }
    }
}

fn draw_text_centered(
    img: &mut RgbaImage,
    font: &FontRef<'_>,
    size: f32,
    baseline: f32,
    text: &str,
    colour: Rgba<u8>,
) {
    let mut size = size;
    // Shrink long names to fit.
    while size > 10.0 && text_width(font, size, text) > img.width() as f32 - 40.0 {
        size -= 1.0;
    }
    let x = (img.width() as f32 - text_width(font, size, text)) / 2.0;
    draw_text(img, font, size, x, baseline, text, colour);
}

/// Draws `text` from `x` with its baseline at `baseline`, blended over
/// the image by each pixel's glyph coverage (the party card, the board PNG).
pub fn draw_text(
    img: &mut RgbaImage,
    font: &FontRef<'_>,
    size: f32,
    x: f32,
    baseline: f32,
    text: &str,
    colour: Rgba<u8>,
) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut x = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(PxScale::from(size), ab_glyph::point(x, baseline));
        x += scaled.h_advance(id);
        previous = Some(id);
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px < 0 || py < 0 || px >= i64::from(img.width()) || py >= i64::from(img.height()) {
                return;
            }
            let dst = img.get_pixel_mut(px as u32, py as u32);
            for k in 0..3 {
                let d = f32::from(dst.0[k]);
                let s = f32::from(colour.0[k]);
                dst.0[k] = (d + (s - d) * coverage).round() as u8;
            }
        });
    }
}
