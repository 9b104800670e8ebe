//! Safe image decoding: every image the game touches comes from a file a player
//! or a pack author controls, so decoding is bounded in size and memory.

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
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

/// Largest image file we read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Most pixels one image may have to be decoded at full size: a 24
/// megapixel camera photo (6000x4000). Decoding costs 3 to 8 bytes a pixel
/// and making it ready (colours, transparency) up to 7 more, so one image
/// at the limit peaks near 380 MiB in the worst pixel format. A baseline
/// JPEG over it is decoded at 1/2, 1/4 or 1/8 of its size; other images
/// over it are refused before their pixels are read.
pub const MAX_DECODE_PIXELS: u64 = 24 * 1024 * 1024;

/// Most pixels decoded at once by all threads together (`pack build`
/// decodes on every core): a decode waits until it fits, so a command's
/// decoding never holds more than one image at the limit.
pub const DECODE_PIXEL_BUDGET: u64 = MAX_DECODE_PIXELS;

/// The pixels being decoded right now, across threads.
static DECODING: (std::sync::Mutex<u64>, std::sync::Condvar) =
    (std::sync::Mutex::new(0), std::sync::Condvar::new());

/// A share of [`DECODE_PIXEL_BUDGET`], given back when dropped.
struct PixelPermit(u64);

impl PixelPermit {
    /// Waits until `pixels` fit in the budget (at most [`MAX_DECODE_PIXELS`]
    /// are asked for; an image alone always fits).
    fn acquire(pixels: u64) -> PixelPermit {
        let pixels = pixels.min(DECODE_PIXEL_BUDGET);
        let (used, freed) = &DECODING;
        let mut used = used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while *used > 0 && *used + pixels > DECODE_PIXEL_BUDGET {
            used = freed
                .wait(used)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *used += pixels;
        PixelPermit(pixels)
    }
}

impl Drop for PixelPermit {
    fn drop(&mut self) {
        let (used, freed) = &DECODING;
        let mut used = used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *used -= self.0;
        freed.notify_all();
    }
}

/// Decodes an image with size and memory limits; the format is recognised
/// from the content, never from the file name. Only a regular file is
/// read: a named pipe or a device is refused without waiting on it.
pub fn decode(path: &Path) -> Result<DynamicImage, ImageError> {
    decode_to(path, None)
}

/// [`decode`], scaled down (aspect kept) to at most `max_side` pixels a
/// side while the full-size pixels still count against the decoding budget:
/// what a caller keeping only a small copy should use.
pub fn decode_to(path: &Path, max_side: Option<u32>) -> Result<DynamicImage, ImageError> {
    use crate::core::files::{open_regular, read_capped, OpenError};
    let shown = path.display().to_string();
    let refused = |e: OpenError| match e {
        OpenError::Io(source) => ImageError::Io {
            path: shown.clone(),
            source,
        },
        OpenError::NotRegular(_) => ImageError::Decode {
            path: shown.clone(),
            message: format!("{e}, so not an image file; it was not read"),
        },
        OpenError::TooLarge { size, .. } => ImageError::Decode {
            path: shown.clone(),
            message: too_large(size),
        },
    };
    let (file, len) = open_regular(path, false, MAX_FILE_BYTES).map_err(refused)?;
    if len == 0 {
        return Err(ImageError::Decode {
            path: shown,
            message: "empty file (0 bytes): an interrupted copy or download?".into(),
        });
    }
    let bytes = read_capped(file, MAX_FILE_BYTES).map_err(refused)?;
    decode_bytes_to(&bytes, &shown, max_side)
}

/// Why a file of `size` bytes is refused. The size is rounded up to a
/// tenth of a MiB, so it never reads as the limit itself.
fn too_large(size: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let tenths = (size as f64 / MIB * 10.0).ceil() / 10.0;
    format!(
        "file too large ({tenths:.1} MiB; the limit is {} MiB)",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Decodes in-memory image bytes with the same limits; `name` is used in errors.
pub fn decode_bytes(bytes: &[u8], name: &str) -> Result<DynamicImage, ImageError> {
    decode_bytes_to(bytes, name, None)
}

/// `img` scaled down to at most `max_side` pixels a side, if it is larger.
fn fit(img: DynamicImage, max_side: Option<u32>) -> DynamicImage {
    match max_side {
        // Area averaging in integers: as good as a triangle filter for a
        // downscale, and about twice as fast.
        Some(side) if img.width().max(img.height()) > side => img.thumbnail(side, side),
        _ => img,
    }
}

// Long because: one decode, in order: signature, truncation, limits, the
// pixel cap and budget, orientation and colours.
fn decode_bytes_to(
    bytes: &[u8],
    name: &str,
    max_side: Option<u32>,
) -> Result<DynamicImage, ImageError> {
    let format = image::guess_format(bytes).map_err(|_| ImageError::Format {
        path: name.to_string(),
        message: "mytype reads JPEG, PNG, WebP, BMP and GIF files".into(),
    })?;
    let failed = |e: image::ImageError| ImageError::Decode {
        path: name.to_string(),
        message: describe(&e),
    };
    if format == image::ImageFormat::Jpeg && jpeg_cut_short(bytes) {
        // The JPEG decoders fill a missing end with grey instead of failing,
        // and that grey would be measured as the face's lower half.
        return Err(ImageError::Decode {
            path: name.to_string(),
            message: "corrupt or truncated image: the JPEG ends before its end-of-image \
                      marker (the file was cut short)"
                .into(),
        });
    }
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = match reader.into_decoder() {
        Ok(decoder) => decoder,
        // A 50-200 megapixel camera or phone photo is over the limits at full
        // size, but a JPEG can be decoded at 1/2, 1/4 or 1/8 of it.
        Err(e @ image::ImageError::Limits(_)) if format == image::ImageFormat::Jpeg => {
            return decode_large_jpeg(bytes)
                .map(|img| fit(img, max_side))
                .ok_or_else(|| failed(e));
        }
        Err(e) => return Err(failed(e)),
    };
    // Phones store a portrait sideways and say so in its Exif orientation: a
    // face lying on its side is found by no detector, so turn it upright.
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_DECODE_PIXELS {
        if format == image::ImageFormat::Jpeg {
            if let Some(img) = decode_large_jpeg(bytes) {
                return Ok(fit(img, max_side));
            }
        }
        return Err(ImageError::Decode {
            path: name.to_string(),
            message: too_many_pixels(width, height),
        });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    limits().reserve(decoder.total_bytes()).map_err(failed)?;
    let _permit = PixelPermit::acquire(pixels);
    let mut img = DynamicImage::from_decoder(decoder).map_err(failed)?;
    img.apply_orientation(orientation);
    Ok(fit(finish(img, icc.as_deref()), max_side))
}

/// Why an image of `width`x`height` is not decoded.
fn too_many_pixels(width: u32, height: u32) -> String {
    let mega = |p: u64| p as f64 / 1e6;
    format!(
        "image too large: {width}x{height} is {:.1} megapixels, and at most {:.1} are \
         decoded at full size (baseline JPEGs are read at a reduced size); scale it down, \
         say to 2000 pixels on its longer side",
        mega(u64::from(width) * u64::from(height)),
        mega(MAX_DECODE_PIXELS)
    )
}

/// What every decoded picture goes through: colours into sRGB, then a
/// transparent background onto white.
fn finish(img: DynamicImage, icc: Option<&[u8]>) -> DynamicImage {
    let img = match icc {
        Some(icc) => to_srgb(img, icc),
        None => img,
    };
    if img.color().has_alpha() {
        flatten_on_white(&img)
    } else {
        img
    }
}

/// Converts 8-bit RGB(A) pixels from the colour space of an embedded ICC
/// profile into sRGB, which the measurements and the terminal assume.
/// Phones save Display P3 (more saturated primaries): read as sRGB, its
/// colours are duller than they are. A profile that cannot be read, or
/// another pixel format, leaves the image as it is.
fn to_srgb(img: DynamicImage, icc: &[u8]) -> DynamicImage {
    let layout = match &img {
        DynamicImage::ImageRgb8(_) => moxcms::Layout::Rgb,
        DynamicImage::ImageRgba8(_) => moxcms::Layout::Rgba,
        _ => return img,
    };
    let Ok(source) = moxcms::ColorProfile::new_from_slice(icc) else {
        return img;
    };
    let Ok(transform) = source.create_transform_8bit(
        layout,
        &moxcms::ColorProfile::new_srgb(),
        layout,
        moxcms::TransformOptions::default(),
    ) else {
        return img;
    };
    let (width, height) = (img.width(), img.height());
    let src = img.as_bytes();
    let mut dst = vec![0u8; src.len()];
    if transform.transform(src, &mut dst).is_err() {
        return img;
    }
    let converted = match layout {
        moxcms::Layout::Rgb => {
            image::RgbImage::from_raw(width, height, dst).map(DynamicImage::ImageRgb8)
        }
        _ => image::RgbaImage::from_raw(width, height, dst).map(DynamicImage::ImageRgba8),
    };
    converted.unwrap_or(img)
}

/// Whether a JPEG has no end-of-image marker (FF D9) after its last scan
/// header (FF DA). Neither pair can occur inside the compressed data (a
/// data byte FF is followed by 00), and a thumbnail in the Exif block comes
/// before the main image's scans, so only the main image's own end counts.
fn jpeg_cut_short(bytes: &[u8]) -> bool {
    let Some(last_scan) = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false; // no scan at all: the decoder says what is wrong
    };
    !bytes[last_scan..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Largest photo, in pixels before scaling, that `decode_large_jpeg` takes
/// on: 200 megapixel phones write 16320x12240. Every block of the file is
/// still entropy-decoded, so this bounds the time a crafted file can take.
pub const MAX_SCALED_JPEG_PIXELS: u64 = 256 * 1024 * 1024;

/// Fewest bytes a JPEG over the limits must have per this many pixels
/// (0.02 bits a pixel), or it is taken for truncated or crafted.
const MIN_PIXELS_PER_BYTE: u64 = 400;

/// Decodes a baseline JPEG over [`MAX_DIMENSION`] at the largest of 1/2, 1/4
/// or 1/8 of its size that fits, in the DCT, so the full-size pixels are
/// never held (pack build keeps at most 512 px anyway). `None` when it is not
/// such a file: progressive JPEGs keep every coefficient at full size while
/// decoding, and CMYK or 16-bit ones are rare; those stay refused.
fn decode_large_jpeg(bytes: &[u8]) -> Option<DynamicImage> {
    // jpeg-decoder panics on a few malformed frame headers (two colour
    // components); a crafted file must fail like any corrupt one.
    std::panic::catch_unwind(|| {
        let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
        decoder.read_info().ok()?;
        let info = decoder.info()?;
        let (width, height) = (u32::from(info.width), u32::from(info.height));
        let pixels = u64::from(width) * u64::from(height);
        // jpeg-decoder fills missing data with grey rather than failing, so a
        // few bytes declaring 16000x16000 pixels would "decode". A photo takes
        // a bit per pixel or more; even a flat colour takes 0.15.
        if info.coding_process != jpeg_decoder::CodingProcess::DctSequential
            || pixels > MAX_SCALED_JPEG_PIXELS
            || (bytes.len() as u64) < pixels / MIN_PIXELS_PER_BYTE
        {
            return None;
        }
        let factor = [2, 4, 8].into_iter().find(|f| {
            let (w, h) = (width.div_ceil(*f), height.div_ceil(*f));
            w.max(h) <= MAX_DIMENSION && u64::from(w) * u64::from(h) <= MAX_DECODE_PIXELS
        })?;
        let (w, h) = decoder
            .scale((width / factor) as u16, (height / factor) as u16)
            .ok()?;
        decoder.set_max_decoding_buffer_size(MAX_ALLOC_BYTES as usize);
        let _permit = PixelPermit::acquire(u64::from(w) * u64::from(h));
        let pixels = decoder.decode().ok()?;
        let (w, h) = (u32::from(w), u32::from(h));
        let img = match info.pixel_format {
            jpeg_decoder::PixelFormat::RGB24 => {
                DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, pixels)?)
            }
            jpeg_decoder::PixelFormat::L8 => {
                DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, pixels)?)
            }
            _ => return None,
        };
        Some((
            img,
            decoder.exif_data().map(<[u8]>::to_vec),
            decoder.icc_profile(),
        ))
    })
    .ok()
    .flatten()
    .map(|(mut img, exif, icc)| {
        if let Some(orientation) =
            exif.and_then(|e| image::metadata::Orientation::from_exif_chunk(&e))
        {
            img.apply_orientation(orientation);
        }
        finish(img, icc.as_deref())
    })
}

/// Composites an image with transparency over white, as image viewers show
/// it. Without this a cut-out portrait's transparent background keeps
/// whatever colour its pixels hold, usually black, which passes for black
/// hair to the measurements and shows as black in the terminal. Greyscale
/// stays greyscale; opaque pixels are unchanged.
fn flatten_on_white(img: &DynamicImage) -> DynamicImage {
    let rgba = img.to_rgba8();
    let flat = image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let alpha = u32::from(a);
        let over = |c: u8| ((u32::from(c) * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    });
    let flat = DynamicImage::ImageRgb8(flat);
    if img.color().channel_count() < 3 {
        DynamicImage::ImageLuma8(flat.into_luma8())
    } else {
        flat
    }
}

fn describe(e: &image::ImageError) -> String {
    match e {
        image::ImageError::Limits(_) => format!(
            "image too large (limit {MAX_DIMENSION}x{MAX_DIMENSION} pixels, {} MiB; \
             baseline JPEGs up to {} megapixels are read at a reduced size): {e}",
            MAX_ALLOC_BYTES / (1024 * 1024),
            MAX_SCALED_JPEG_PIXELS / (1024 * 1024)
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
        assert!(
            err.contains("a.png")
                && err.contains(
                    "not a supported image (mytype reads JPEG, PNG, WebP, BMP and GIF files)"
                ),
            "{err}"
        );

        let img = image::RgbImage::from_pixel(64, 64, image::Rgb([10, 200, 30]));
        let good = dir.path().join("good.png");
        img.save(&good).unwrap();
        assert_eq!(decode(&good).unwrap().width(), 64);

        let bytes = std::fs::read(&good).unwrap();
        let cut = dir.path().join("cut.png");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let err = decode(&cut).unwrap_err().to_string();
        assert!(err.contains("cut.png"), "{err}");

        let empty = dir.path().join("empty.jpg");
        std::fs::write(&empty, b"").unwrap();
        let err = decode(&empty).unwrap_err().to_string();
        assert!(
            err.contains("empty.jpg") && err.contains("empty file"),
            "{err}"
        );

        let missing = decode(&dir.path().join("nope.png"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("nope.png"), "{missing}");
    }

    #[test]
    fn a_file_just_over_the_limit_does_not_read_as_the_limit() {
        assert_eq!(
            too_large(MAX_FILE_BYTES + 1),
            "file too large (64.1 MiB; the limit is 64 MiB)"
        );
        assert_eq!(
            too_large(100 * 1024 * 1024),
            "file too large (100.0 MiB; the limit is 64 MiB)"
        );
    }

    #[test]
    fn transparency_is_shown_over_white_and_opaque_pixels_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.png");
        image::RgbaImage::from_fn(4, 1, |x, _| {
            image::Rgba(match x {
                0 => [10, 20, 30, 255], // opaque: as it is
                1 => [0, 0, 0, 0],      // transparent black: white
                2 => [0, 0, 0, 128],    // half-transparent black: mid grey
                _ => [200, 0, 0, 0],    // transparent red: white
            })
        })
        .save(&path)
        .unwrap();
        let img = decode(&path).unwrap();
        assert!(!img.color().has_alpha());
        let px: Vec<[u8; 3]> = img.to_rgb8().pixels().map(|p| p.0).collect();
        assert_eq!(
            px,
            [
                [10, 20, 30],
                [255, 255, 255],
                [127, 127, 127],
                [255, 255, 255]
            ]
        );
        let grey = dir.path().join("grey.png");
        image::GrayAlphaImage::from_pixel(2, 2, image::LumaA([0, 0]))
            .save(&grey)
            .unwrap();
        let img = decode(&grey).unwrap();
        assert_eq!(img.color(), image::ColorType::L8);
        assert_eq!(img.to_luma8().get_pixel(0, 0).0, [255]);
    }

    // The Exif block the integration tests tag photos with.
    use crate::vision::exif_fixture::exif_orientation;

    /// A JPEG of `width`x`height` whose left half is red and right half blue,
    /// with an Exif orientation when given.
    fn red_blue_jpeg(width: u32, height: u32, exif: Option<u8>) -> Vec<u8> {
        use image::ImageEncoder;
        let stored = image::RgbImage::from_fn(width, height, |x, _| {
            image::Rgb(if x < width / 2 {
                [220, 20, 20]
            } else {
                [20, 20, 220]
            })
        });
        let mut bytes = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90);
        if let Some(value) = exif {
            encoder.set_exif_metadata(exif_orientation(value)).unwrap();
        }
        encoder
            .write_image(
                stored.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
        bytes
    }

    /// `bytes` with the first frame header's height and width replaced.
    fn with_declared_size(mut bytes: Vec<u8>, width: u16, height: u16) -> Vec<u8> {
        let sof = bytes
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("a baseline frame header");
        bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        bytes
    }

    #[test]
    fn photos_over_the_size_limit_are_decoded_smaller_when_jpeg() {
        // 9000 px wide: over the 8192 px limit, decoded at half size.
        let wide = decode_bytes(&red_blue_jpeg(9000, 64, None), "wide.jpg").unwrap();
        assert_eq!((wide.width(), wide.height()), (4500, 32));
        let rgb = wide.to_rgb8();
        assert!(rgb.get_pixel(1000, 16)[0] > 150 && rgb.get_pixel(3500, 16)[2] > 150);
        // The Exif orientation still applies.
        let turned = decode_bytes(&red_blue_jpeg(9000, 64, Some(6)), "turned.jpg").unwrap();
        assert_eq!((turned.width(), turned.height()), (32, 4500));
        assert!(turned.to_rgb8().get_pixel(16, 1000)[0] > 150, "top is red");

        // A PNG cannot be decoded smaller: refused, by name, with the limit.
        let mut png = Vec::new();
        image::RgbImage::new(9000, 4)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let err = decode_bytes(&png, "wide.png").unwrap_err().to_string();
        assert!(
            err.contains("wide.png") && err.contains("image too large"),
            "{err}"
        );

        // A small file declaring a huge size (a decompression bomb) is refused
        // or fails as truncated, quickly, and never panics.
        let small = red_blue_jpeg(64, 64, None);
        for (width, height) in [(65535, 65535), (16000, 16000), (9000, 9000)] {
            let bomb = with_declared_size(small.clone(), width, height);
            match decode_bytes(&bomb, "bomb.jpg") {
                Ok(img) => panic!(
                    "{width}x{height} decoded to {}x{}",
                    img.width(),
                    img.height()
                ),
                Err(e) => assert!(e.to_string().contains("bomb.jpg"), "{width}x{height}: {e}"),
            }
        }
    }

    #[test]
    fn a_jpeg_cut_short_is_refused_by_name() {
        let whole = red_blue_jpeg(64, 64, Some(1));
        assert!(decode_bytes(&whole, "whole.jpg").is_ok());
        // Bytes after the end marker (camera trailers) are fine.
        let mut trailer = whole.clone();
        trailer.extend(b"\0\0trailer");
        assert!(decode_bytes(&trailer, "trailer.jpg").is_ok());
        for keep in [whole.len() * 9 / 10, whole.len() / 2, whole.len() - 2] {
            let err = decode_bytes(&whole[..keep], "cut.jpg")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                err.contains("cut.jpg") && err.contains("truncated"),
                "{keep}: {err}"
            );
        }
    }

    #[test]
    fn colours_tagged_with_a_colour_profile_are_read_in_srgb() {
        use image::ImageEncoder;
        let orange = [200u8, 120, 80];
        let tagged = |profile: Option<moxcms::ColorProfile>, png: bool| {
            let img = image::RgbImage::from_pixel(8, 8, image::Rgb(orange));
            let mut bytes = Vec::new();
            let icc = profile.map(|p| p.encode().unwrap());
            if png {
                let mut encoder = image::codecs::png::PngEncoder::new(&mut bytes);
                if let Some(icc) = icc {
                    encoder.set_icc_profile(icc).unwrap();
                }
                encoder
                    .write_image(img.as_raw(), 8, 8, image::ExtendedColorType::Rgb8)
                    .unwrap();
            } else {
                let mut encoder =
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 100);
                if let Some(icc) = icc {
                    encoder.set_icc_profile(icc).unwrap();
                }
                encoder
                    .write_image(img.as_raw(), 8, 8, image::ExtendedColorType::Rgb8)
                    .unwrap();
            }
            let px = decode_bytes(&bytes, "tagged").unwrap().to_rgb8();
            px.get_pixel(4, 4).0.map(i32::from)
        };
        let [r, g, b] = orange.map(i32::from);
        for png in [true, false] {
            // Display P3's primaries are more saturated than sRGB's: the same
            // numbers are a more saturated orange once converted.
            let p3 = tagged(Some(moxcms::ColorProfile::new_display_p3()), png);
            assert!(p3[0] - p3[2] > r - b + 10, "png {png}: {p3:?}");
            // Tagged sRGB, or untagged: as they are (JPEG rounding aside).
            for same in [
                tagged(Some(moxcms::ColorProfile::new_srgb()), png),
                tagged(None, png),
            ] {
                let off = (same[0] - r)
                    .abs()
                    .max((same[1] - g).abs())
                    .max((same[2] - b).abs());
                assert!(off <= 3, "png {png}: {same:?}");
            }
        }
    }

    #[test]
    fn phone_photos_stored_sideways_are_turned_upright() {
        // 40x20 as stored, the left half red: Exif 6 says "rotate 90° clockwise
        // to view", which puts the left half on top.
        let jpeg = |exif: Option<u8>| red_blue_jpeg(40, 20, exif);
        let upright = decode_bytes(&jpeg(Some(6)), "phone.jpg").unwrap().to_rgb8();
        assert_eq!((upright.width(), upright.height()), (20, 40));
        assert!(upright.get_pixel(10, 5)[0] > 150, "top is the red half");
        assert!(
            upright.get_pixel(10, 35)[2] > 150,
            "bottom is the blue half"
        );
        // no Exif, or "as stored": unchanged
        for exif in [None, Some(1)] {
            let plain = decode_bytes(&jpeg(exif), "plain.jpg").unwrap();
            assert_eq!((plain.width(), plain.height()), (40, 20), "{exif:?}");
        }
    }
}
