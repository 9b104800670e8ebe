//! The shareable party card (`mytype card`) as a PNG: the revealed face,
//! "my type is …" and the reasons, drawn with the bundled font. Its text
//! drawing ([`draw_text`], [`text_width`]) is reused by the party board PNG.

use crate::game::reasons::why_in;
use crate::game::recommend::Recommendation;
use crate::pack::Pack;
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{Rgba, RgbaImage};

/// The bundled font (DejaVu Sans Bold, Bitstream Vera licence: assets/fonts).
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the bundled font could not be read")]
    Font,
    #[error(transparent)]
    Image(#[from] crate::vision::imaging::ImageError),
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
    draw_band(&mut card, 150);
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

/// The card's coloured band (pink to violet, left to right) over the top
/// `height` rows of `img`; the party board's PNG wears the same.
pub fn draw_band(img: &mut RgbaImage, height: u32) {
    let w = img.width();
    for y in 0..height.min(img.height()) {
        for x in 0..w {
            let t = x as f32 / w as f32;
            let c = [
                (236.0 - 40.0 * t) as u8,
                (92.0 + 30.0 * t) as u8,
                (122.0 + 80.0 * t) as u8,
                255,
            ];
            img.put_pixel(x, y, Rgba(c));
        }
    }
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
