//! Safe image decoding: every image the game touches comes from a file a player
//! or a pack author controls, so decoding is bounded in size and memory.

use image::{DynamicImage, ImageReader, Limits};
use std::path::Path;

/// Largest width or height we decode.
pub const MAX_DIMENSION: u32 = 8192;
/// Largest decoder allocation.
pub const MAX_ALLOC_BYTES: u64 = 256 * 1024 * 1024;

/// Why an image could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a supported image ({message})")]
    Format { path: String, message: String },
    #[error("{path}: {message}")]
    Decode { path: String, message: String },
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC_BYTES);
    limits
}

/// Decodes an image with dimension and memory limits; the format is guessed
/// from the content, not the file name.
pub fn decode(path: &Path) -> Result<DynamicImage, ImageError> {
    let shown = path.display().to_string();
    let mut reader = ImageReader::open(path).map_err(|source| ImageError::Io {
        path: shown.clone(),
        source,
    })?;
    reader = reader
        .with_guessed_format()
        .map_err(|source| ImageError::Io {
            path: shown.clone(),
            source,
        })?;
    if reader.format().is_none() {
        return Err(ImageError::Format {
            path: shown,
            message: "unknown or missing image signature".into(),
        });
    }
    reader.limits(limits());
    reader.decode().map_err(|e| ImageError::Decode {
        path: shown,
        message: describe(&e),
    })
}

fn describe(e: &image::ImageError) -> String {
    match e {
        image::ImageError::Limits(_) => format!(
            "image too large (limit {MAX_DIMENSION}x{MAX_DIMENSION} pixels, {} MiB): {e}",
            MAX_ALLOC_BYTES / (1024 * 1024)
        ),
        image::ImageError::Unsupported(_) => format!("unsupported image: {e}"),
        _ => format!("corrupt or truncated image: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_images_and_truncated_files() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("a.png");
        std::fs::write(&text, b"hello, not an image").unwrap();
        let err = decode(&text).unwrap_err().to_string();
        assert!(err.contains("a.png") && err.contains("not a supported image"), "{err}");

        let img = image::RgbImage::from_pixel(64, 64, image::Rgb([10, 200, 30]));
        let good = dir.path().join("good.png");
        img.save(&good).unwrap();
        assert_eq!(decode(&good).unwrap().width(), 64);

        let bytes = std::fs::read(&good).unwrap();
        let cut = dir.path().join("cut.png");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let err = decode(&cut).unwrap_err().to_string();
        assert!(err.contains("cut.png"), "{err}");

        let missing = decode(&dir.path().join("nope.png")).unwrap_err().to_string();
        assert!(missing.contains("nope.png"), "{missing}");
    }
}
