//! The photo analyser behind `mytype pack build`, from a whole photo: face
//! detection (rustface, portrait-first on a small copy), 68 landmarks
//! (dlib's model, read in pure Rust), then the face read whole by
//! [`crate::vision::read_face`].

use crate::core::tuning::PORTRAIT_SCAN_SIDE;
use crate::vision::detect::{DetectError, FaceDetector};
use crate::vision::landmarks::{self, dlib_grey, FaceBox, LandmarkError, ShapePredictor};
use crate::vision::measure::Measurements;
use image::RgbImage;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error(transparent)]
    Landmarks(#[from] LandmarkError),
    #[error(transparent)]
    Detector(#[from] DetectError),
}

/// What the pixel analysis found for one image.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// 68 landmarks in pixels of the image given to the analyser.
    pub landmarks: Option<Vec<(f32, f32)>>,
    /// Raw attribute measurements (quantised over the whole pack later).
    pub measurements: Option<Measurements>,
    /// Faces found (the largest is used).
    pub faces_found: usize,
}

/// Finds a face, its landmarks and measurements in an image.
pub trait Analyser: Sync {
    fn analyse(&self, image: &RgbImage) -> Analysis;
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

    /// Face boxes (dlib convention), largest first.
    ///
    /// Portraits first: rustface scans every image at full resolution with a
    /// 40 px window whatever the minimum face size, so a first pass runs on a
    /// copy scaled to a 160 px shorter side (faces of at least a quarter of the
    /// shorter side), which costs well under half of a full scan of a 512 px
    /// image, and its boxes are scaled back. Only when it finds nothing does the
    /// full-resolution search (faces down to 40 px) run. So in a photo with a
    /// large face, faces much smaller than it are not counted.
    pub fn detect(&self, image: &RgbImage) -> Vec<FaceBox> {
        let short = image.width().min(image.height());
        if short > PORTRAIT_SCAN_SIDE * 5 / 4 {
            let s = f64::from(PORTRAIT_SCAN_SIDE) / f64::from(short);
            let (w, h) = (
                (f64::from(image.width()) * s).round().max(1.0) as u32,
                (f64::from(image.height()) * s).round().max(1.0) as u32,
            );
            let small = image::imageops::thumbnail(image, w, h);
            // the exact factors per axis, so boxes map back onto the image
            let (sx, sy) = (
                image.width() as f32 / w as f32,
                image.height() as f32 / h as f32,
            );
            let faces: Vec<FaceBox> = self
                .detector
                .detect(&small)
                .into_iter()
                .map(|b| FaceBox {
                    left: (b.left + 0.5) * sx - 0.5,
                    top: (b.top + 0.5) * sy - 0.5,
                    width: b.width * sx,
                    height: b.height * sy,
                })
                .collect();
            if !faces.is_empty() {
                return faces;
            }
        }
        self.detector.detect(image)
    }

    /// The landmark model.
    pub fn predictor(&self) -> &ShapePredictor {
        &self.predictor
    }

    /// 68 landmarks of the largest face, and how many faces were found.
    pub fn landmarks(&self, image: &RgbImage) -> (Option<Vec<(f32, f32)>>, usize) {
        let faces = self.detect(image);
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
            .and_then(|p| crate::vision::read_face::read_face(image, p));
        Analysis {
            landmarks: points,
            measurements,
            faces_found,
        }
    }
}
