//! A test fixture, not part of the game: the Exif block that tests tag
//! photos with, so the library's unit tests (`imaging`) and the integration
//! tests (`tests/it/pack_build.rs`) tag them the same way.

/// A little-endian Exif (TIFF) block holding only an orientation tag.
pub fn exif_orientation(value: u8) -> Vec<u8> {
    let mut exif = b"II*\0".to_vec();
    exif.extend([8, 0, 0, 0]); // first directory at byte 8
    exif.extend([1, 0]); // one entry:
    exif.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0]); // 0x0112, SHORT, 1
    exif.extend([0, 0, 0, 0]); // no next directory
    exif
}
