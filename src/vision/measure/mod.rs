//! Canonical attributes from pixels and 68 landmarks (dlib's scheme: jaw 0-16,
//! brows 17-26, nose 27-35, eyes 36-47, mouth 48-67).
//!
//! Everything is measured in a face frame: origin between the eye centres,
//! x along the eye line, y perpendicular and downwards, one unit = the distance
//! between the eye centres (IOD). That cancels image size and head roll.
//!
//! Cut points: every number below lives, with how it was chosen, in
//! [`crate::core::tuning`] (the constant named in brackets);
//! docs/photo-pipeline.md, *5. Attributes*, has the measured accuracy.
//! - skin_tone: as people see it through the photo's light, on the crowd's
//!   0-100 scale ([`crate::vision::skin_tone`]: a model of the face's and the hair's
//!   colours and the skin's own), cut into very light, light, intermediate,
//!   tan, brown and dark (`SKIN_TONE_CUTS`). Among its inputs is the
//!   individual typology angle ITA° = atan((L* − 50)/b*) of the skin colour
//!   with the photo's exposure pulled part of the way (in log exposure) to a
//!   well exposed skin lightness (`EXPOSURE_PULL`, `REFERENCE_SKIN_L`; see
//!   [`exposure_normalised_ita`]; its own six classes, [`skin_tone_level`]
//!   with `ITA_CLASS_CUTS`, were the level before the model). The skin colour
//!   is the median CIELAB of the skin inside the face outline (jaw and brows)
//!   without the eyes, brows, nostrils and mouth, after dropping the darkest
//!   and lightest 15% of pixels (shadows, highlights) and those far in ΔE
//!   from the first median; below the nose only pixels near the skin above
//!   it count, no beard or stubble (`SKIN_CLOSE_BELOW`).
//! - hair_color: as people name it, on the crowd's 0-100 scale
//!   ([`crate::vision::hair_color`]: a model of the darker quantiles of the hair
//!   over the forehead and of the brows, with the hair's and the skin's
//!   colours), cut into blonde, light brown, dark brown and black
//!   (`HAIR_COLOR_CUTS`); grey and red by the hair's colour where the score
//!   is low enough (`HAIR_GREY_BELOW`, `HAIR_RED_BELOW`). The hair's colour is
//!   the median CIELAB of the darker half of the pixels in a band over the
//!   head (1.8 IOD wide, 0.6-1.4 IOD above the brows) and at the temples that
//!   are neither skin-coloured (`HAIR_NOT_SKIN_BELOW`) nor
//!   background-coloured, like the image's top corners
//!   (`HAIR_NOT_BACKGROUND_BELOW`); no hair pixels, no hair colour.
//! - hair_length: share of hair-like pixels (nearer the hair colour than the
//!   skin and the background, and near it: `HAIR_LIKE_BELOW`) in a band
//!   following the jaw outline on both sides (0.05-0.35 IOD out from the eye
//!   line to 1.0 IOD below it, 0.35-0.7 IOD out from 1.0 to 1.5 IOD below:
//!   "side"), and beside the neck below the chin ("below"): bald with little
//!   hair and much skin above the head and little hair beside the jaw (hair
//!   beside the jaw under a bare top is a hat or a scarf); long with much
//!   hair beside the jaw, or below it with some beside it (hair below the jaw
//!   alone could be dark clothes); medium with some beside it; short
//!   otherwise (`BALD_*`, `LONG_*`, `MEDIUM_HAIR_SIDE_ABOVE`).
//! - smile: teeth shown (bright, low-chroma pixels between the inner lips) or a
//!   wide open smile → broad; mouth corners lifted above the lip centre, or a
//!   wide mouth → slight; else neutral (`BROAD_*`, `SLIGHT_*`).
//! - facial_hair: darkening (skin L* − region L*, relative to skin L*) of the
//!   chin and jaw (beard, stubble) and of the upper lip (moustache with a
//!   clean chin): `BEARD_ABOVE`, `STUBBLE_ABOVE`, `MOUSTACHE_ABOVE`.
//! - glasses: horizontal edges (vertical L* gradient) on the nose bridge
//!   between the eyes and in bands under the eyes (a frame's bridge and
//!   rims), the weaker of the two, over those on the lower cheeks
//!   (`GLASSES_CUT`).
//! - eye_size, eyebrows, lips, face_shape: geometric ratios with no natural
//!   absolute scale, so pack-relative tertiles (see [`quantise`]).
//! - sex, age: only when declared (`--info`).

mod features;
mod frame;
mod hair;
mod levels;
mod mouth;
mod skin;

pub use levels::{measured_extras, quantise, LIP_COLOR, NOSE_WIDTH, SKIN_TEXTURE};
pub use skin::{exposure_normalised_ita, skin_tone_level};

use crate::math::points::Point as P;
use frame::Frame;
use image::RgbImage;

/// Raw measurements of one face.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measurements {
    /// ITA° of the skin colour as photographed.
    pub ita: Option<f64>,
    /// ITA° after pulling the photo's exposure most of the way to a reference
    /// skin lightness (see [`exposure_normalised_ita`]); the skin tone level's
    /// input.
    pub ita_normalised: Option<f64>,
    /// Median CIELAB of the skin inside the face outline.
    pub skin_lab: Option<[f64; 3]>,
    /// Median hair CIELAB above the forehead, if hair was found.
    pub hair_lab: Option<[f64; 3]>,
    /// Share of hair pixels above the head.
    pub hair_top: f64,
    /// Share of skin pixels above the head (a bald scalp).
    pub skin_top: f64,
    /// Share of hair-coloured pixels beside the jaw, following its outline.
    pub hair_side: f64,
    /// Share of hair-coloured pixels beside the neck, below the chin.
    pub hair_below: f64,
    /// Corner lift of the mouth, IOD units (+ = corners up).
    pub mouth_lift: f64,
    /// Mouth width, IOD units.
    pub mouth_width: f64,
    /// Inner lip gap, IOD units.
    pub mouth_open: f64,
    /// Share of teeth-like pixels between the inner lips.
    pub teeth: f64,
    /// Eye opening area, IOD² units.
    pub eye_area: f64,
    /// Brow thickness, IOD units.
    pub brow_thickness: f64,
    /// Lip height over mouth width.
    pub lip_ratio: f64,
    /// Face height (brows to chin) over width (jaw points 0-16).
    pub face_aspect: f64,
    /// Jaw width (points 4-12) over face width.
    pub jaw_ratio: f64,
    /// Relative darkening of chin and jaw.
    pub beard: f64,
    /// Relative darkening of the upper lip.
    pub moustache: f64,
    /// Horizontal edges on the nose bridge and under the eyes (the weaker of
    /// the two) over those on the lower cheeks.
    pub glasses: f64,
    /// Nose width at the nostrils (points 31-35), IOD units.
    pub nose_width: f64,
    /// Fine texture of the cheek skin (see `skin::skin_texture`).
    pub skin_texture: Option<f64>,
    /// How much redder the lips are than the skin (see `mouth::lip_redness`).
    pub lip_redness: Option<f64>,
    /// How attractive a crowd would find the face (see [`crate::vision::appeal`]).
    pub appeal: Option<f64>,
    /// The face network's descriptor (see [`crate::vision::face_net`]).
    pub descriptor: Option<Vec<f32>>,
    /// The face network's activations, for appeal only (see
    /// [`crate::vision::face_net::Reading`]); not stored in packs.
    pub activations: Option<Vec<f32>>,
    /// Skin tone as people see it, on the crowd's 0-100 scale, light to
    /// dark (see [`crate::vision::skin_tone`]).
    pub skin_tone: Option<f64>,
    /// Hair colour as people name it, on the crowd's 0-100 scale, light to
    /// dark (see [`crate::vision::hair_color`]); `None` when no hair was found.
    pub hair_color: Option<f64>,
}

/// Measures one face from its pixels and landmarks; the models that read
/// the face too (its descriptor, appeal, skin tone and hair colour) are
/// [`crate::vision::read_face`]'s. `landmarks`: 68 points in pixels of `img`.
pub fn measure(img: &RgbImage, landmarks: &[(f32, f32)]) -> Option<Measurements> {
    if landmarks.len() != 68 {
        return None;
    }
    let p: Vec<P> = landmarks
        .iter()
        .map(|&(x, y)| (f64::from(x), f64::from(y)))
        .collect();
    let frame = Frame::new(&p)?;
    let f: Vec<P> = p.iter().map(|&q| frame.to_face(q)).collect();
    let mut m = Measurements::default();

    // Skin: every pixel inside the face outline (jaw and brows) except the
    // eyes, the brows, the nostrils and the mouth, trimmed of shadows and
    // highlights, then of pixels of another colour (stubble, a strand of hair).
    let mut skin = skin::face_skin_pixels(img, &frame, &f);
    let skin_lab = skin::robust_skin(&mut skin)?;
    m.skin_lab = Some(skin_lab);
    m.ita = Some((skin_lab[0] - 50.0).atan2(skin_lab[2]).to_degrees());
    m.ita_normalised = Some(exposure_normalised_ita(skin_lab));

    hair::measure_hair(&mut m, img, &frame, &f, skin_lab);
    mouth::measure_mouth(&mut m, img, &frame, &f, skin_lab);
    features::measure_features(&mut m, img, &frame, &f, skin_lab);
    m.skin_texture = skin::skin_texture(img, &frame, &f);
    Some(m)
}
