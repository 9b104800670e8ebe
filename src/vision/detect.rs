//! Face detection with the `rustface` crate (a port of SeetaFace Detection).
//!
//! The SeetaFace frontal model is embedded in the binary (`assets/`, BSD 2-Clause,
//! see `licenses/README.md`). Boxes are returned in the convention of dlib's
//! frontal (HOG) detector, which the 68-point landmark model was trained on:
//! SeetaFace's square boxes sit higher and are larger than dlib's, and are moved
//! and resized by [`DLIB_BOX_ADJUST`].

use image::RgbImage;
use rustface::{ImageData, Model};
use thiserror::Error;

use crate::core::tuning::{
    DETECT_MIN_FACE_SIZE, DETECT_SCORE_THRESH, DLIB_BOX_DX, DLIB_BOX_DY, DLIB_BOX_SCALE,
};
use crate::vision::landmarks::FaceBox;

/// The SeetaFace frontal face model as published in the `rustface` crate.
static SEETA_MODEL: &[u8] = include_bytes!("../../assets/seeta_fd_frontal_v1.0.bin");

/// How a SeetaFace box (left, top, size) becomes a dlib-style face box: the centre
/// moves by (`dx`, `dy`) box sizes and the side is scaled by `scale`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxAdjust {
    pub dx: f32,
    pub dy: f32,
    pub scale: f32,
}

/// SeetaFace box to dlib HOG box (calibrated: see
/// [`crate::core::tuning::DLIB_BOX_DX`]).
pub const DLIB_BOX_ADJUST: BoxAdjust = BoxAdjust {
    dx: DLIB_BOX_DX,
    dy: DLIB_BOX_DY,
    scale: DLIB_BOX_SCALE,
};

impl BoxAdjust {
    /// Applies the adjustment to a detector box.
    pub fn apply(&self, b: FaceBox) -> FaceBox {
        let (cx, cy) = b.center();
        let (cx, cy) = (cx + self.dx * b.width, cy + self.dy * b.height);
        let w = b.width * self.scale;
        let h = b.height * self.scale;
        FaceBox {
            left: cx - (w - 1.0) / 2.0,
            top: cy - (h - 1.0) / 2.0,
            width: w,
            height: h,
        }
    }
}

/// Why the detector could not be built.
#[derive(Debug, Error)]
pub enum DetectError {
    #[error("the embedded face detection model is unreadable: {0}")]
    Model(#[from] std::io::Error),
}

/// A face detector; cheap to share, each [`FaceDetector::detect`] call builds its
/// own rustface detector from the parsed model.
#[derive(Clone)]
pub struct FaceDetector {
    model: Model,
    min_face_size: u32,
    score_thresh: f64,
    adjust: BoxAdjust,
}

impl std::fmt::Debug for FaceDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceDetector")
            .field("min_face_size", &self.min_face_size)
            .field("score_thresh", &self.score_thresh)
            .field("adjust", &self.adjust)
            .finish_non_exhaustive()
    }
}

/// A detection: the dlib-style box, the raw SeetaFace box and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub face: FaceBox,
    pub raw: FaceBox,
    pub score: f64,
}

impl FaceDetector {
    /// The detector with the embedded SeetaFace frontal model.
    pub fn new() -> Result<Self, DetectError> {
        let model = rustface::read_model(SEETA_MODEL)?;
        Ok(FaceDetector {
            model,
            min_face_size: DETECT_MIN_FACE_SIZE,
            score_thresh: DETECT_SCORE_THRESH,
            adjust: DLIB_BOX_ADJUST,
        })
    }

    /// Face boxes in dlib's convention, largest first.
    pub fn detect(&self, rgb: &RgbImage) -> Vec<FaceBox> {
        self.detect_all(rgb).into_iter().map(|d| d.face).collect()
    }

    /// Detections with raw boxes and scores, largest first.
    pub fn detect_all(&self, rgb: &RgbImage) -> Vec<Detection> {
        let (w, h) = rgb.dimensions();
        // rustface panics on images smaller than its 20 px window
        if w < 20 || h < 20 {
            return Vec::new();
        }
        let grey = crate::vision::landmarks::dlib_grey(rgb);
        let mut detector = rustface::create_detector_with_model(self.model.clone());
        detector.set_min_face_size(self.min_face_size.min(w.min(h)).max(20));
        detector.set_score_thresh(self.score_thresh);
        detector.set_pyramid_scale_factor(0.8);
        detector.set_slide_window_step(4, 4);
        let image = ImageData::new(grey.as_raw(), w, h);
        let mut found: Vec<Detection> = detector
            .detect(&image)
            .into_iter()
            .map(|f| {
                let b = f.bbox();
                let raw = FaceBox {
                    left: b.x() as f32,
                    top: b.y() as f32,
                    width: b.width() as f32,
                    height: b.height() as f32,
                };
                Detection {
                    face: self.adjust.apply(raw),
                    raw,
                    score: f.score(),
                }
            })
            .collect();
        found.sort_by(|a, b| b.raw.area().total_cmp(&a.raw.area()));
        found
    }
}
