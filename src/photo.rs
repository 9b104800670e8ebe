//! The photo analyser behind `mytype pack build`: face detection (rustface),
//! 68 landmarks (dlib's model, read in pure Rust) and attribute measurements.

use crate::detect::{DetectError, FaceDetector};
use crate::landmarks::{self, dlib_grey, LandmarkError, ShapePredictor};
use crate::pack::build::{Analyser, Analysis};
use image::RgbImage;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error(transparent)]
    Landmarks(#[from] LandmarkError),
    #[error(transparent)]
    Detector(#[from] DetectError),
}

/// Detection + landmarks + measurements.
pub struct PhotoAnalyser {
    detector: FaceDetector,
    predictor: ShapePredictor,
}

impl PhotoAnalyser {
    /// Loads the landmark model: `path`, else `MYTYPE_LANDMARK_MODEL`, else
    /// Debian's libdlib-data path. A missing model says how to install it.
    pub fn load(path: Option<&Path>) -> Result<PhotoAnalyser, PhotoError> {
        let model = path
            .map(Path::to_path_buf)
            .unwrap_or_else(landmarks::default_model_path);
        Ok(PhotoAnalyser {
            detector: FaceDetector::new()?,
            predictor: ShapePredictor::load(&model)?,
        })
    }

    /// 68 landmarks of the largest face, and how many faces were found.
    pub fn landmarks(&self, image: &RgbImage) -> (Option<Vec<(f32, f32)>>, usize) {
        let faces = self.detector.detect(image);
        let Some(largest) = faces.first() else {
            return (None, 0);
        };
        let grey = dlib_grey(image);
        (Some(self.predictor.predict(&grey, *largest)), faces.len())
    }
}

impl Analyser for PhotoAnalyser {
    fn analyse(&self, image: &RgbImage) -> Analysis {
        let (points, faces_found) = self.landmarks(image);
        let measurements = points
            .as_deref()
            .and_then(|p| crate::extract::measure(image, p));
        Analysis {
            landmarks: points,
            measurements,
            faces_found,
        }
    }
}
