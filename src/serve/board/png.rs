//! The party board as one PNG for the group chat, in the party card's style
//! (`mytype card`): a title band, each player with their revealed face,
//! and the best and least matching pairs.

use super::{verdict, PairMatch, PartyState, Player};
use crate::game::card::{draw_text, text_width};
use crate::pack::Pack;
use ab_glyph::FontRef;
use image::{Rgba, RgbaImage};
use std::path::Path;

const WIDTH: u32 = 900;
const HEADER: u32 = 150;
const ROW: u32 = 112;
const THUMB: u32 = 96;
const FOOTER: u32 = 170;
/// Players drawn at most (the rest are counted in a line).
const MAX_ROWS: usize = 40;

const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
const INK: Rgba<u8> = Rgba([40, 32, 48, 255]);
const SOFT: Rgba<u8> = Rgba([110, 96, 120, 255]);
const PAPER: Rgba<u8> = Rgba([252, 246, 238, 255]);
const FRAME: Rgba<u8> = Rgba([230, 220, 210, 255]);

#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("the bundled font could not be read")]
    Font,
    #[error("cannot write {path}: {source}", path = .path.display())]
    Write {
        path: std::path::PathBuf,
        source: image::ImageError,
    },
}

/// Draws the board (faces from `pack`, the pack faces are revealed from).
pub fn render(state: &PartyState, pack: &Pack) -> Result<RgbaImage, PngError> {
    let font = FontRef::try_from_slice(crate::game::card::FONT).map_err(|_| PngError::Font)?;
    let players = state.players();
    let shown = players.len().min(MAX_ROWS);
    let height = HEADER + 20 + ROW * shown.max(1) as u32 + FOOTER;
    let mut img = RgbaImage::from_pixel(WIDTH, height, PAPER);
    header(&mut img, &font, players);
    let y = rows(&mut img, &font, players, shown, pack);
    matches(&mut img, &font, state, (y + 50) as f32);
    let date: String = crate::profile::now_rfc3339().chars().take(10).collect();
    let footer = format!("mytype · {date}");
    text(
        &mut img,
        &font,
        16.0,
        40.0,
        (height - 24) as f32,
        &footer,
        SOFT,
    );
    Ok(img)
}

/// The card's band (pink to violet), the title and the head count.
fn header(img: &mut RgbaImage, font: &FontRef, players: &[Player]) {
    crate::game::card::draw_band(img, HEADER);
    let revealed = players.iter().filter(|p| p.reveal.is_some()).count();
    text(img, font, 40.0, 40.0, 62.0, "So, who's your type?", WHITE);
    let noun = if players.len() == 1 {
        "player"
    } else {
        "players"
    };
    let line = format!(
        "A mytype party: {} {noun}, {revealed} revealed",
        players.len()
    );
    text(img, font, 24.0, 40.0, 112.0, &line, WHITE);
}

/// One row per player (their face once revealed); returns where the rows end.
fn rows(img: &mut RgbaImage, font: &FontRef, players: &[Player], shown: usize, pack: &Pack) -> u32 {
    let mut y = HEADER + 20;
    if players.is_empty() {
        text(
            img,
            font,
            24.0,
            40.0,
            (y + 60) as f32,
            "Nobody played yet.",
            SOFT,
        );
    }
    for p in players.iter().take(shown) {
        let x0 = 40;
        // A frame, and the face if there is one.
        fill(img, x0, y + 4, THUMB + 8, THUMB + 8, FRAME);
        if let Some(face) = p.reveal.as_ref().and_then(|r| pack.face(&r.face_id)) {
            if let Ok(photo) = crate::vision::imaging::decode(&pack.image_path(face)) {
                let thumb = photo
                    .resize_to_fill(THUMB, THUMB, image::imageops::FilterType::Lanczos3)
                    .to_rgba8();
                image::imageops::overlay(img, &thumb, i64::from(x0 + 4), i64::from(y + 8));
            }
        }
        let tx = (x0 + THUMB + 32) as f32;
        text(img, font, 30.0, tx, (y + 44) as f32, &p.name, INK);
        let line = match (&p.pick, &p.reveal) {
            (Some(pick), _) => format!("my type is {pick}"),
            (None, Some(r)) => format!("earlier pick: {}", r.face_name),
            (None, None) => format!("rated {} of {}", p.rated, p.round),
        };
        text(img, font, 22.0, tx, (y + 82) as f32, &line, SOFT);
        y += ROW;
    }
    if players.len() > shown {
        let more = format!("and {} more", players.len() - shown);
        text(img, font, 18.0, 40.0, (y + 10) as f32, &more, SOFT);
    }
    y
}

/// The best and least matched pairs, once there are any.
fn matches(img: &mut RgbaImage, font: &FontRef, state: &PartyState, fy: f32) {
    let Some((best, least)) = state.matches() else {
        let wait = "Matches appear once two players have seen their type.";
        text(img, font, 22.0, 40.0, fy, wait, SOFT);
        return;
    };
    let pair = |label: &str, m: &PairMatch| {
        format!(
            "{label}: {} & {} ({:+.2}, {})",
            m.a,
            m.b,
            m.overlap,
            verdict(m.overlap)
        )
    };
    text(img, font, 26.0, 40.0, fy, &pair("Best match", &best), INK);
    if best != least {
        text(
            img,
            font,
            26.0,
            40.0,
            fy + 44.0,
            &pair("Least", &least),
            INK,
        );
    }
}

/// Renders and writes the PNG.
pub fn save(state: &PartyState, pack: &Pack, path: &Path) -> Result<(), PngError> {
    let img = render(state, pack)?;
    img.save_with_format(path, image::ImageFormat::Png)
        .map_err(|source| PngError::Write {
            path: path.to_path_buf(),
            source,
        })
}

fn fill(img: &mut RgbaImage, x0: u32, y0: u32, w: u32, h: u32, colour: Rgba<u8>) {
    for y in y0..(y0 + h).min(img.height()) {
        for x in x0..(x0 + w).min(img.width()) {
            img.put_pixel(x, y, colour);
        }
    }
}

/// Draws `text` from `x` with its baseline at `baseline`, shrunk to fit.
fn text(
    img: &mut RgbaImage,
    font: &FontRef<'_>,
    size: f32,
    x: f32,
    baseline: f32,
    text: &str,
    colour: Rgba<u8>,
) {
    let room = img.width() as f32 - x - 30.0;
    let mut size = size;
    while size > 10.0 && text_width(font, size, text) > room {
        size -= 1.0;
    }
    draw_text(img, font, size, x, baseline, text, colour);
}

#[cfg(test)]
mod tests {
    use super::super::Reveal;
    use super::*;

    #[test]
    fn the_board_png_has_a_row_per_player_and_the_faces() {
        use crate::pack::generate::{generate_pack, GenerateOptions};
        let tmp = tempfile::tempdir().unwrap();
        let opts = GenerateOptions {
            seed: 5,
            models: 12,
            celebrities: 3,
        };
        generate_pack(&tmp.path().join("pack"), &opts).unwrap();
        let pack = Pack::load(&tmp.path().join("pack")).unwrap();
        let face = pack.faces()[0].clone();
        let mut s = PartyState::default();
        s.joined("ana", false);
        s.joined("bo", false);
        s.revealed(
            "ana",
            Reveal {
                face_id: face.id.clone(),
                face_name: face.name.clone(),
            },
            &[],
        );
        let path = tmp.path().join("board.png");
        save(&s, &pack, &path).unwrap();
        let img = image::open(&path).unwrap().to_rgba8();
        assert_eq!(img.width(), WIDTH);
        assert_eq!(img.height(), HEADER + 20 + 2 * ROW + FOOTER);
        // ana's thumbnail is a face, not the empty frame; bo has none.
        let distinct = |y0: u32| {
            let mut colours = std::collections::HashSet::new();
            for y in y0 + 8..y0 + 8 + THUMB {
                for x in 44..44 + THUMB {
                    colours.insert(img.get_pixel(x, y).0);
                }
            }
            colours.len()
        };
        assert!(distinct(HEADER + 20) > 50);
        assert_eq!(distinct(HEADER + 20 + ROW), 1);
    }
}
