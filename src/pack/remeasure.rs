//! A pack's faces measured again from their stored images and landmarks,
//! with no detection or landmark search: for the fitting tools and for
//! checking that the bundled models still read the bundled faces alike.

use super::{FaceEntry, Pack};
use crate::vision::imaging::ImageError;
use crate::vision::measure::Measurements;
use crate::vision::read_face::read_face;
use image::RgbImage;

/// A pack's face measured again: its stored image, its landmarks in pixels
/// of that image, and the measurements.
pub struct Remeasured {
    pub image: RgbImage,
    pub landmarks: Vec<(f64, f64)>,
    pub measurements: Measurements,
}

/// Measures a pack's face again from its stored image and stored landmarks
/// (normalised to the image), with no detection or landmark search; `None`
/// when the face has no landmarks or cannot be measured.
pub fn remeasure(pack: &Pack, face: &FaceEntry) -> Result<Option<Measurements>, ImageError> {
    Ok(remeasure_with_image(pack, face)?.map(|r| r.measurements))
}

/// [`remeasure`], keeping the decoded image and the landmarks in its pixels
/// (for models that read the pixels too, as `lab`'s `appeal_fit` does).
pub fn remeasure_with_image(
    pack: &Pack,
    face: &FaceEntry,
) -> Result<Option<Remeasured>, ImageError> {
    let Some(points) = &face.landmarks else {
        return Ok(None);
    };
    let image = crate::vision::imaging::decode(&pack.image_path(face))?.to_rgb8();
    let (w, h) = (image.width() as f32, image.height() as f32);
    let px: Vec<(f32, f32)> = points.iter().map(|&(x, y)| (x * w, y * h)).collect();
    let Some(measurements) = read_face(&image, &px) else {
        return Ok(None);
    };
    let landmarks = px
        .iter()
        .map(|&(x, y)| (f64::from(x), f64::from(y)))
        .collect();
    Ok(Some(Remeasured {
        image,
        landmarks,
        measurements,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remeasure_reads_the_stored_image_and_landmarks() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
        let pack = Pack::load(&dir).unwrap();
        let face = pack.faces().iter().find(|f| f.landmarks.is_some()).unwrap();
        let m = remeasure(&pack, face)
            .unwrap()
            .expect("a drawn face is measurable");
        assert!(m.skin_lab.is_some() && m.nose_width > 0.0, "{m:?}");
        let mut bare = face.clone();
        bare.landmarks = None;
        assert_eq!(remeasure(&pack, &bare).unwrap(), None);
    }
}
