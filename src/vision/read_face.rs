//! A found face read whole, once its 68 landmarks are known: its
//! measurements ([`crate::vision::measure`]) and what the bundled models
//! read in it: the face network's descriptor, appeal, and skin tone and hair
//! colour as people see them. Finding the face and its landmarks in a
//! photo first is [`crate::vision::photo`]'s job; `pack remeasure` calls
//! this directly on the landmarks a pack already has.

use crate::vision::measure::{measure, Measurements};
use crate::vision::{appeal, hair_color, skin_tone};
use image::RgbImage;

/// Measures one face and runs the four models on it. `landmarks`: 68
/// points in pixels of `img`. `None` when the face cannot be measured.
pub fn read_face(img: &RgbImage, landmarks: &[(f32, f32)]) -> Option<Measurements> {
    let mut m = measure(img, landmarks)?;
    let p: Vec<(f64, f64)> = landmarks
        .iter()
        .map(|&(x, y)| (f64::from(x), f64::from(y)))
        .collect();
    let (skin_lab, ita_normalised) = (m.skin_lab?, m.ita_normalised?);
    if let Some(reading) = appeal::reading(img, &p) {
        m.descriptor = Some(reading.descriptor.to_vec());
        m.activations = Some(reading.activations);
    }
    m.appeal = appeal::appeal(&m, img, &p);
    m.skin_tone = skin_tone::inputs(img, &p, skin_lab, m.hair_lab, ita_normalised)
        .map(|i| skin_tone::MODEL.score(&i));
    m.hair_color = m
        .hair_lab
        .and_then(|hair| hair_color::inputs(img, &p, skin_lab, hair))
        .map(|i| hair_color::MODEL.score(&i));
    Some(m)
}
