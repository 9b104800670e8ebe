//! Hair colour as people name it in a photo.
//!
//! The hair's own median colour misleads where the photo's light tints it,
//! where shading darkens fair hair, and where a hat covers it: people then
//! go by the brows and whatever hair shows. So this model reads both: a
//! ridge regression from the colours of the hair over the forehead (low
//! quantiles of the pixels that are neither skin nor background) and of the
//! two brows, with the hair's and the skin's median colours, to the One
//! Million Impressions crowd's "hair-color" (0-100, light to dark). The raw
//! score is then mapped onto the crowd's own spread (a quantile curve fitted
//! with it), because a ridge fit pulls every face towards the middle and the
//! levels are cut on the crowd's scale. `lab`'s `hair_fit` fits it and
//! writes `assets/hair_color.weights` ([`MODEL`]).
//!
//! Grey and red are colours, not places on a light-to-dark scale: they are
//! read from the hair's colour, and only where the model scores the hair
//! light (a grey or red reading on hair the brows say is dark is usually a
//! hat or a cast of light).

use crate::core::tuning::{
    HAIR_COLOR_CUTS, HAIR_CROWN_BACKGROUND_DISTANCE, HAIR_CROWN_SKIN_DISTANCE, HAIR_GREY_BELOW,
    HAIR_RED_BELOW,
};
use crate::math::colour::{delta_e, srgb_f64_to_lab};
use crate::vision::weights;
use image::RgbImage;

/// Side of the aligned square, in pixels: six eye distances.
const SQUARE: usize = 144;
/// Where the eye centres land in the square, as shares of its side: one
/// eye distance (24 px) apart, on the middle row.
const LEFT_EYE: (f64, f64) = (5.0 / 12.0, 0.5);
const RIGHT_EYE: (f64, f64) = (7.0 / 12.0, 0.5);
/// Photo samples per side of one square pixel, at most.
const MAX_SUBSAMPLES: usize = 2;

/// Rows and columns (end excluded) of the square read as the hair over the
/// forehead: from 1.67 to 0.33 eye distances above the eye line, two eye
/// distances either side of the face's middle.
const CROWN: ((usize, usize), (usize, usize)) = ((32, 64), (24, 120));
/// The two brows' bands: 0.92 to 0 eye distances above the eye line, over
/// each eye (the gap between the brows left out).
const BROWS: [((usize, usize), (usize, usize)); 2] = [((50, 72), (40, 70)), ((50, 72), (74, 104))];
/// Side of the square's top corners whose colours are taken as background.
const CORNER: usize = 10;
/// With fewer hair pixels than this, the whole crown is read.
const MIN_HAIR_PIXELS: usize = 15;
/// Quantiles of the crown's hair pixels read, per channel: the darker part,
/// as sheen is nearly white whatever the pigment.
const CROWN_QUANTILES: [f64; 3] = [0.10, 0.25, 0.50];
/// Quantiles of each brow band read, per channel: the brow is its darkest part.
const BROW_QUANTILES: [f64; 4] = [0.05, 0.15, 0.30, 0.50];

/// Inputs read from the pixels: the crown's quantiles (L*, a*, b* for each)
/// and its share of hair pixels, then each brow band's quantiles.
pub const PIXEL_INPUTS: usize = CROWN_QUANTILES.len() * 3 + 1 + 2 * BROW_QUANTILES.len() * 3;
/// All inputs: the pixels', then the hair's (3) and the skin's (3) medians.
pub const INPUTS: usize = PIXEL_INPUTS + 6;
/// Points of the quantile curve from raw score to the crowd's scale.
pub const CURVE_POINTS: usize = 101;

/// Standardised inputs are clamped to this many spreads.
const CLAMP: f64 = 4.0;

/// What the model reads of one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// See [`PIXEL_INPUTS`].
    pub pixels: Vec<f64>,
    /// The hair's median CIELAB (no hair found, no hair colour).
    pub hair: [f64; 3],
    /// The skin's median CIELAB.
    pub skin: [f64; 3],
}

impl Inputs {
    fn row(&self) -> Vec<f64> {
        let mut row = self.pixels.clone();
        row.extend(self.hair);
        row.extend(self.skin);
        row
    }
}

/// A linear model on standardised inputs, then a quantile curve onto the
/// crowd's scale.
#[derive(Debug, Clone, PartialEq)]
pub struct HairColorModel {
    pub intercept: f64,
    pub mean: [f64; INPUTS],
    pub sd: [f64; INPUTS],
    pub weight: [f64; INPUTS],
    /// Percentiles 0-100 of the raw scores of the faces fitted...
    pub raw_curve: [f64; CURVE_POINTS],
    /// ...and of their crowd values: a raw score maps between them.
    pub crowd_curve: [f64; CURVE_POINTS],
}

impl HairColorModel {
    /// The linear score, before the curve.
    fn raw(&self, inputs: &Inputs) -> f64 {
        crate::math::stats::standardised_sum(
            self.intercept,
            &self.weight,
            &self.mean,
            &self.sd,
            &inputs.row(),
            CLAMP,
        )
    }

    /// The face's hair colour on the crowd's 0-100 scale (light to dark).
    pub fn score(&self, inputs: &Inputs) -> f64 {
        crate::math::stats::interpolate(self.raw(inputs), &self.raw_curve, &self.crowd_curve)
    }

    /// Ridge regression of `targets` (crowd means, 0-100) on the faces'
    /// inputs with `penalty`, and the curve from its scores on these faces
    /// to their targets. `None` with fewer than two faces.
    pub fn fit(rows: &[Inputs], targets: &[f64], penalty: f64) -> Option<HairColorModel> {
        if rows.len() < 2 || rows.len() != targets.len() {
            return None;
        }
        let raw: Vec<Vec<f64>> = rows.iter().map(Inputs::row).collect();
        let fit = crate::math::stats::standardised_ridge(&raw, targets, penalty, CLAMP)?;
        let mut model = HairColorModel {
            intercept: fit.intercept,
            mean: fit.mean.try_into().ok()?,
            sd: fit.sd.try_into().ok()?,
            weight: fit.weight.try_into().ok()?,
            raw_curve: [0.0; CURVE_POINTS],
            crowd_curve: [0.0; CURVE_POINTS],
        };
        let mut scores: Vec<f64> = rows.iter().map(|r| model.raw(r)).collect();
        let mut crowd = targets.to_vec();
        scores.sort_by(f64::total_cmp);
        crowd.sort_by(f64::total_cmp);
        for k in 0..CURVE_POINTS {
            let q = k as f64 / (CURVE_POINTS - 1) as f64;
            model.raw_curve[k] = crate::math::stats::quantile_sorted(&scores, q)?;
            model.crowd_curve[k] = crate::math::stats::quantile_sorted(&crowd, q)?;
        }
        Some(model)
    }

    /// The model as a weights file (`assets/hair_color.weights`, written
    /// by `lab`'s `hair_fit`).
    pub fn to_weights(&self) -> Vec<u8> {
        let mut values = vec![self.intercept];
        for block in [
            &self.mean[..],
            &self.sd,
            &self.weight,
            &self.raw_curve,
            &self.crowd_curve,
        ] {
            values.extend_from_slice(block);
        }
        weights::encode(WEIGHTS_NAME, &values)
    }

    /// Reads [`Self::to_weights`]'s file.
    pub fn from_weights(bytes: &[u8]) -> Result<HairColorModel, weights::WeightsError> {
        let values = weights::decode(WEIGHTS_NAME, bytes, 1 + 3 * INPUTS + 2 * CURVE_POINTS)?;
        let mut f = weights::Fields::new(&values);
        Ok(HairColorModel {
            intercept: f.scalar(),
            mean: f.array(),
            sd: f.array(),
            weight: f.array(),
            raw_curve: f.array(),
            crowd_curve: f.array(),
        })
    }
}

/// The fitted hair colour model, read once from `assets/hair_color.weights`.
pub static MODEL: std::sync::LazyLock<HairColorModel> = std::sync::LazyLock::new(|| {
    HairColorModel::from_weights(include_bytes!("../../../assets/hair_color.weights"))
        .expect("the bundled weights file matches the model's shape (tested)")
});

/// The name in the header of the hair colour model's weights file.
const WEIGHTS_NAME: &str = "hair_color";

/// Whether CIELAB `hair` looks grey.
fn looks_grey([l, a, b]: [f64; 3]) -> bool {
    a.hypot(b) < 9.0 && l > 40.0
}

/// Whether CIELAB `hair` looks red (copper to auburn).
fn looks_red([_, a, b]: [f64; 3]) -> bool {
    let hue = b.atan2(a).to_degrees();
    (15.0..=55.0).contains(&hue) && a > 14.0 && a.hypot(b) > 22.0
}

/// The level of a face whose hair scores `score` (see [`HAIR_COLOR_CUTS`]) and
/// whose hair pixels' median colour is `hair`.
pub fn level(score: f64, hair: [f64; 3]) -> &'static str {
    if looks_grey(hair) && score < HAIR_GREY_BELOW {
        "grey"
    } else if looks_red(hair) && score < HAIR_RED_BELOW {
        "red"
    } else {
        ["blonde", "light_brown", "dark_brown", "black"]
            [HAIR_COLOR_CUTS.iter().filter(|&&cut| score >= cut).count()]
    }
}

/// Where `level` falls on the crowd's light-to-dark scale, as a rank for
/// correlations with it: blonde, grey, red, light brown, dark brown, black.
/// Grey (salt and pepper to white) and red sit among the light ones.
pub fn light_to_dark_rank(level: &str) -> Option<usize> {
    [
        "blonde",
        "grey",
        "red",
        "light_brown",
        "dark_brown",
        "black",
    ]
    .iter()
    .position(|l| *l == level)
}

/// The channel-wise `quantiles` of `colours` (L*, a*, b* for each quantile
/// in turn).
fn channel_quantiles(colours: &[[f64; 3]], quantiles: &[f64]) -> Vec<f64> {
    let mut channels: [Vec<f64>; 3] = Default::default();
    for c in colours {
        for (channel, v) in channels.iter_mut().zip(c) {
            channel.push(*v);
        }
    }
    for channel in &mut channels {
        channel.sort_by(f64::total_cmp);
    }
    quantiles
        .iter()
        .flat_map(|&q| {
            channels
                .iter()
                .map(move |c| crate::math::stats::quantile_sorted(c, q).unwrap_or(0.0))
        })
        .collect()
}

/// What the model reads of a face: its 68 `landmarks` in pixels of `img`,
/// and the skin and hair colours measured on it. `None` when the eyes
/// coincide or the points are not 68.
pub fn inputs(
    img: &RgbImage,
    landmarks: &[(f64, f64)],
    skin: [f64; 3],
    hair: [f64; 3],
) -> Option<Inputs> {
    let square = crate::vision::aligned::AlignedSquare::on_eyes_of(
        img,
        landmarks,
        SQUARE,
        (LEFT_EYE, RIGHT_EYE),
        MAX_SUBSAMPLES,
    )?;
    let region = |((y0, y1), (x0, x1)): ((usize, usize), (usize, usize))| -> Vec<[f64; 3]> {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .map(|(x, y)| srgb_f64_to_lab(square.pixel(x, y)))
            .collect()
    };
    let median = |colours: &[[f64; 3]]| -> [f64; 3] {
        let q = channel_quantiles(colours, &[0.5]);
        [q[0], q[1], q[2]]
    };
    let backgrounds = [
        median(&region(((0, CORNER), (0, CORNER)))),
        median(&region(((0, CORNER), (SQUARE - CORNER, SQUARE)))),
    ];
    let crown = region(CROWN);
    let hair_pixels: Vec<[f64; 3]> = crown
        .iter()
        .copied()
        .filter(|&c| {
            delta_e(&c, &skin) > HAIR_CROWN_SKIN_DISTANCE
                && backgrounds
                    .iter()
                    .all(|b| delta_e(&c, b) > HAIR_CROWN_BACKGROUND_DISTANCE)
        })
        .collect();
    let share = hair_pixels.len() as f64 / crown.len().max(1) as f64;
    let read = if hair_pixels.len() < MIN_HAIR_PIXELS {
        &crown
    } else {
        &hair_pixels
    };
    let mut pixels = channel_quantiles(read, &CROWN_QUANTILES);
    pixels.push(share);
    for brow in BROWS {
        pixels.extend(channel_quantiles(&region(brow), &BROW_QUANTILES));
    }
    Some(Inputs { pixels, hair, skin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_cuts_and_grey_and_red_only_where_light() {
        let brown = crate::math::colour::srgb_to_lab([90, 60, 40]);
        let got: Vec<&str> = [10.0, 30.0, 60.0, 90.0].map(|s| level(s, brown)).to_vec();
        assert_eq!(got, ["blonde", "light_brown", "dark_brown", "black"]);
        let grey = crate::math::colour::srgb_to_lab([170, 170, 168]);
        assert_eq!(level(20.0, grey), "grey");
        assert_eq!(level(80.0, grey), "black", "a grey hat over dark hair");
        let red = crate::math::colour::srgb_to_lab([165, 70, 30]);
        assert_eq!(level(40.0, red), "red");
        assert_eq!(level(70.0, red), "dark_brown");
        assert_eq!(light_to_dark_rank("blonde"), Some(0));
        assert_eq!(light_to_dark_rank("black"), Some(5));
        assert_eq!(light_to_dark_rank("purple"), None);
    }

    /// A 240 px portrait: flat `skin`, `hair` over the head and `brows`.
    fn face(skin: [u8; 3], hair: [u8; 3], brows: [u8; 3]) -> Option<Inputs> {
        let mut img = RgbImage::from_pixel(240, 240, image::Rgb([200, 205, 215]));
        for (x, y, p) in img.enumerate_pixels_mut() {
            let (dx, dy) = (f64::from(x) - 120.0, f64::from(y) - 125.0);
            if (dx / 75.0).powi(2) + (dy / 100.0).powi(2) < 1.0 {
                *p = image::Rgb(if y < 70 { hair } else { skin });
            }
            if (85..95).contains(&y) && ((80..110).contains(&x) || (130..160).contains(&x)) {
                *p = image::Rgb(brows);
            }
        }
        let mut points = vec![(120.0, 150.0); 68];
        points[36..42].fill((95.0, 110.0));
        points[42..48].fill((145.0, 110.0));
        let skin = crate::math::colour::srgb_to_lab(skin);
        inputs(&img, &points, skin, crate::math::colour::srgb_to_lab(hair))
    }

    #[test]
    fn the_crown_reads_the_hair_not_the_skin_or_background() {
        let f = face([220, 180, 150], [40, 30, 25], [40, 30, 25]).unwrap();
        assert_eq!(f.pixels.len(), PIXEL_INPUTS);
        let hair = crate::math::colour::srgb_to_lab([40, 30, 25]);
        // The crown's median L* is the hair's, and some of it is hair.
        assert!((f.pixels[6] - hair[0]).abs() < 1.0, "{:?}", f.pixels);
        assert!(f.pixels[9] > 0.2 && f.pixels[9] < 1.0, "{:?}", f.pixels);
    }

    #[test]
    fn the_fitted_model_reads_darker_hair_as_darker() {
        let skin = [225, 185, 160];
        let hairs: [[u8; 3]; 4] = [[225, 195, 130], [150, 105, 65], [85, 55, 35], [25, 22, 22]];
        let scores: Vec<f64> = hairs
            .iter()
            .map(|&h| MODEL.score(&face(skin, h, h).unwrap()))
            .collect();
        assert!(scores.windows(2).all(|w| w[1] > w[0]), "{scores:?}");
        let blonde = crate::math::colour::srgb_to_lab(hairs[0]);
        let black = crate::math::colour::srgb_to_lab(hairs[3]);
        assert_eq!(level(scores[0], blonde), "blonde", "{scores:?}");
        assert_eq!(level(scores[3], black), "black", "{scores:?}");
    }

    #[test]
    fn a_fit_orders_darker_hair_higher_spreads_to_the_crowd_and_reads_back() {
        let rows: Vec<Inputs> = (0..12u8)
            .map(|k| {
                let v = 230 - 18 * k;
                face([225, 185, 160], [v, v - v / 4, v - v / 3], [v, v, v]).unwrap()
            })
            .collect();
        let targets: Vec<f64> = (0..12).map(|k| 5.0 + 8.0 * f64::from(k)).collect();
        let model = HairColorModel::fit(&rows, &targets, 1.0).unwrap();
        let scores: Vec<f64> = rows.iter().map(|r| model.score(r)).collect();
        assert!(scores.windows(2).all(|w| w[1] > w[0]), "{scores:?}");
        // The curve spreads the scores over the targets' range.
        assert!((scores[0] - 5.0).abs() < 1.0 && (scores[11] - 93.0).abs() < 1.0);
        let bytes = model.to_weights();
        assert_eq!(HairColorModel::from_weights(&bytes).unwrap(), model);
        assert!(HairColorModel::fit(&rows[..1], &targets[..1], 1.0).is_none());
    }
}
