//! Skin tone as people see it in a photo.
//!
//! The skin's own colour (ITA°) is read through the photo's light: warm
//! light makes white skin look tan, a dim exposure makes medium skin look
//! brown. People correct for that from the rest of the face and the hair, so
//! this model reads them too: a ridge regression from the colours of a grid
//! of small cells inside the face (aligned on the eyes: skin, eye whites,
//! irises, brows and lips side by side), the hair's colour, and the skin's
//! median colour and normalised ITA° to the One Million Impressions crowd's
//! "skin-color" (0-100, light to dark). `lab`'s `skin_fit` fits it and
//! writes `assets/skin_tone.weights` ([`MODEL`]).
//!
//! The cells lie inside the face outline, so the background does not count.

use crate::core::tuning::{SKIN_LOG_OFFSET, SKIN_TONE_CUTS};
use crate::math::colour::srgb_f64_to_lab;
use crate::vision::weights;
use image::RgbImage;

/// Side of the aligned colour square, in pixels.
const SQUARE: usize = 96;
/// Side of a cell, in pixels of the square: a quarter of the distance
/// between the eyes.
const CELL: usize = 6;
/// Cells per side of the square.
const GRID: usize = SQUARE / CELL;
/// Where the eye centres land in the square, as shares of its side.
const LEFT_EYE: (f64, f64) = (0.375, 0.42);
const RIGHT_EYE: (f64, f64) = (0.625, 0.42);
/// Photo samples per side of one square pixel, at most: a cell averages
/// 36 square pixels anyway.
const MAX_SUBSAMPLES: usize = 2;

/// Whether the cell (column, row) of the grid is inside the face: an
/// ellipse around the nose, 1.5 eye distances wide and 2.1 high, from just
/// above the brows to the chin.
const fn inner_cell(column: usize, row: usize) -> bool {
    // In hundredths of a cell, to stay in integers: centre (8, 9.5), semi-axes 3 and 4.2.
    let dx = (column * 100 + 50) as i64 - 800;
    let dy = (row * 100 + 50) as i64 - 950;
    dx * dx * 420 * 420 + dy * dy * 300 * 300 < 300 * 300 * 420 * 420
}

const fn count_cells() -> usize {
    let mut n = 0;
    let mut k = 0;
    while k < GRID * GRID {
        if inner_cell(k % GRID, k / GRID) {
            n += 1;
        }
        k += 1;
    }
    n
}

/// Cells inside the face.
pub const CELLS: usize = count_cells();
/// Inputs: CIELAB of each cell, then of the hair (3) and the skin (3), and
/// the skin's normalised ITA°.
pub const INPUTS: usize = CELLS * 3 + 7;

/// Standardised inputs are clamped to this many spreads.
const CLAMP: f64 = 4.0;

/// What the model reads of one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// CIELAB of each cell inside the face, L*, a*, b* in turn.
    pub cells: Vec<f64>,
    /// The hair's CIELAB; `None` when no hair was found (the model's fill).
    pub hair: Option<[f64; 3]>,
    /// The skin's median CIELAB.
    pub skin: [f64; 3],
    /// The skin's exposure-normalised ITA°.
    pub ita: f64,
}

/// A linear model on standardised inputs, on the log scale:
/// `exp(intercept + Σ weight · z) − SKIN_LOG_OFFSET`.
#[derive(Debug, Clone, PartialEq)]
pub struct SkinToneModel {
    pub intercept: f64,
    /// The hair colour of a face without hair found.
    pub hair_fill: [f64; 3],
    pub mean: [f64; INPUTS],
    pub sd: [f64; INPUTS],
    pub weight: [f64; INPUTS],
}

impl Inputs {
    fn row(&self, hair_fill: [f64; 3]) -> [f64; INPUTS] {
        let mut row = [0.0; INPUTS];
        row[..CELLS * 3].copy_from_slice(&self.cells);
        row[CELLS * 3..CELLS * 3 + 3].copy_from_slice(&self.hair.unwrap_or(hair_fill));
        row[CELLS * 3 + 3..CELLS * 3 + 6].copy_from_slice(&self.skin);
        row[CELLS * 3 + 6] = self.ita;
        row
    }
}

impl SkinToneModel {
    /// The face's skin tone on the crowd's 0-100 scale (light to dark).
    pub fn score(&self, inputs: &Inputs) -> f64 {
        let row = inputs.row(self.hair_fill);
        let log = crate::math::stats::standardised_sum(
            self.intercept,
            &self.weight,
            &self.mean,
            &self.sd,
            &row,
            CLAMP,
        );
        log.exp() - SKIN_LOG_OFFSET
    }

    /// Ridge regression of the log of `targets` (crowd means, 0-100) on
    /// the faces' inputs with `penalty`. `None` with fewer than two faces.
    pub fn fit(rows: &[Inputs], targets: &[f64], penalty: f64) -> Option<SkinToneModel> {
        if rows.len() < 2 || rows.len() != targets.len() {
            return None;
        }
        let targets: Vec<f64> = targets
            .iter()
            .map(|t| (t.max(0.0) + SKIN_LOG_OFFSET).ln())
            .collect();
        let hair_fill = crate::math::colour::mean_colour(rows.iter().filter_map(|r| r.hair));
        let raw: Vec<Vec<f64>> = rows.iter().map(|r| r.row(hair_fill).to_vec()).collect();
        let fit = crate::math::stats::standardised_ridge(&raw, &targets, penalty, CLAMP)?;
        let (mut mean, mut sd, mut weight) = ([0.0; INPUTS], [1.0; INPUTS], [0.0; INPUTS]);
        mean.copy_from_slice(&fit.mean);
        sd.copy_from_slice(&fit.sd);
        weight.copy_from_slice(&fit.weight);
        let intercept = fit.intercept;
        Some(SkinToneModel {
            intercept,
            hair_fill,
            mean,
            sd,
            weight,
        })
    }

    /// The model as a weights file (`assets/skin_tone.weights`, written by
    /// `lab`'s `skin_fit`).
    pub fn to_weights(&self) -> Vec<u8> {
        let mut values = vec![self.intercept];
        for block in [&self.hair_fill[..], &self.mean, &self.sd, &self.weight] {
            values.extend_from_slice(block);
        }
        weights::encode(WEIGHTS_NAME, &values)
    }

    /// Reads [`Self::to_weights`]'s file.
    pub fn from_weights(bytes: &[u8]) -> Result<SkinToneModel, weights::WeightsError> {
        let values = weights::decode(WEIGHTS_NAME, bytes, 4 + 3 * INPUTS)?;
        let mut f = weights::Fields::new(&values);
        Ok(SkinToneModel {
            intercept: f.scalar(),
            hair_fill: f.array(),
            mean: f.array(),
            sd: f.array(),
            weight: f.array(),
        })
    }
}

/// The fitted skin tone model, read once from `assets/skin_tone.weights`.
pub static MODEL: std::sync::LazyLock<SkinToneModel> = std::sync::LazyLock::new(|| {
    SkinToneModel::from_weights(include_bytes!("../../../assets/skin_tone.weights"))
        .expect("the bundled weights file matches the model's shape (tested)")
});

/// The name in the header of the skin tone model's weights file.
const WEIGHTS_NAME: &str = "skin_tone";

/// The level of a skin tone score (see [`SKIN_TONE_CUTS`]).
pub fn level(score: f64) -> &'static str {
    crate::core::attributes::SKIN_TONES[SKIN_TONE_CUTS.iter().filter(|&&cut| score > cut).count()]
}

/// What the model reads of a face: its 68 `landmarks` in pixels of `img`,
/// and the skin and hair colours and ITA° measured on it. `None` when the
/// eyes coincide or the points are not 68.
pub fn inputs(
    img: &RgbImage,
    landmarks: &[(f64, f64)],
    skin: [f64; 3],
    hair: Option<[f64; 3]>,
    ita: f64,
) -> Option<Inputs> {
    let square = crate::vision::aligned::AlignedSquare::on_eyes_of(
        img,
        landmarks,
        SQUARE,
        (LEFT_EYE, RIGHT_EYE),
        MAX_SUBSAMPLES,
    )?;
    let mut cells = Vec::with_capacity(CELLS * 3);
    for row in 0..GRID {
        for column in 0..GRID {
            if !inner_cell(column, row) {
                continue;
            }
            let mut sum = [0.0; 3];
            for y in row * CELL..(row + 1) * CELL {
                for x in column * CELL..(column + 1) * CELL {
                    let lab = srgb_f64_to_lab(square.pixel(x, y));
                    for (s, v) in sum.iter_mut().zip(lab) {
                        *s += v;
                    }
                }
            }
            cells.extend(sum.map(|s| s / (CELL * CELL) as f64));
        }
    }
    Some(Inputs {
        cells,
        hair,
        skin,
        ita,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cells_cover_the_face_not_the_background() {
        assert_eq!(CELLS, 42);
        // Eyes (columns 6 and 10 of row 6), nose and mouth are in; the
        // corners, the hair above and the cheeks' outside are not.
        assert!(inner_cell(6, 6) && inner_cell(9, 6) && inner_cell(8, 9) && inner_cell(8, 12));
        assert!(!inner_cell(0, 0) && !inner_cell(8, 3) && !inner_cell(3, 9) && !inner_cell(12, 9));
    }

    #[test]
    fn levels_follow_the_cuts() {
        let got: Vec<&str> = [5.0, 18.0, 30.0, 40.0, 50.0, 70.0].map(level).to_vec();
        assert_eq!(
            got,
            [
                "very_light",
                "light",
                "intermediate",
                "tan",
                "brown",
                "dark"
            ]
        );
    }

    fn face(colour: [u8; 3]) -> Option<Inputs> {
        let img = RgbImage::from_pixel(200, 200, image::Rgb(colour));
        let mut points = vec![(100.0, 110.0); 68];
        points[36..42].fill((75.0, 80.0));
        points[42..48].fill((125.0, 80.0));
        let skin = crate::math::colour::srgb_to_lab(colour);
        inputs(&img, &points, skin, None, 40.0)
    }

    #[test]
    fn a_flat_face_gives_its_colour_in_every_cell() {
        let f = face([200, 150, 120]).unwrap();
        let lab = crate::math::colour::srgb_to_lab([200, 150, 120]);
        assert_eq!(f.cells.len(), CELLS * 3);
        for cell in f.cells.chunks(3) {
            for (got, want) in cell.iter().zip(lab) {
                assert!((got - want).abs() < 1e-9, "{cell:?} against {lab:?}");
            }
        }
    }

    #[test]
    fn the_fitted_model_reads_darker_skin_as_darker() {
        // Flat faces from pale to deep brown skin, each with its own ITA°.
        let skins: [[u8; 3]; 5] = [
            [240, 210, 195],
            [215, 170, 140],
            [180, 130, 95],
            [130, 85, 60],
            [80, 50, 35],
        ];
        let scores: Vec<f64> = skins
            .iter()
            .map(|&c| {
                let mut f = face(c).unwrap();
                f.ita = crate::vision::measure::exposure_normalised_ita(f.skin);
                MODEL.score(&f)
            })
            .collect();
        assert!(scores.windows(2).all(|w| w[1] > w[0]), "{scores:?}");
        assert!(level(scores[0]) == "very_light", "{scores:?}");
        assert!(["brown", "dark"].contains(&level(scores[4])), "{scores:?}");
    }

    #[test]
    fn a_fit_recovers_a_darker_skin_and_reads_back_from_source() {
        // Twelve flat faces, darker and darker; the target follows L*.
        let rows: Vec<Inputs> = (0..12)
            .map(|k| face([230 - 15 * k as u8, 180 - 12 * k as u8, 150 - 10 * k as u8]).unwrap())
            .collect();
        let targets: Vec<f64> = rows.iter().map(|r| 100.0 - r.skin[0]).collect();
        let model = SkinToneModel::fit(&rows, &targets, 1.0).unwrap();
        let scores: Vec<f64> = rows.iter().map(|r| model.score(r)).collect();
        assert!(
            scores.windows(2).all(|w| w[1] > w[0]),
            "darker faces score higher: {scores:?}"
        );
        let bytes = model.to_weights();
        assert_eq!(SkinToneModel::from_weights(&bytes).unwrap(), model);
        assert!(SkinToneModel::fit(&rows[..1], &targets[..1], 1.0).is_none());
    }
}
