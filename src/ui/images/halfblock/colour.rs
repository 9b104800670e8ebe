//! The crate's colour maths ([`crate::math::colour`]) in the encoder's
//! `f32` colours: its tables hold thousands of Lab colours, and the
//! nearest-colour searches run per pixel. The formulas live there, once.

use crate::math::colour as maths;
use std::sync::OnceLock;

/// CIELAB: L* (0–100), a*, b*.
pub type Lab = [f32; 3];

/// Linear-light RGB, each channel 0–1.
pub type Linear = [f32; 3];

fn srgb_to_linear_lut() -> &'static [f32; 256] {
    static LUT: OnceLock<[f32; 256]> = OnceLock::new();
    LUT.get_or_init(|| std::array::from_fn(|i| maths::srgb_to_linear(i as f64 / 255.0) as f32))
}

/// sRGB to linear light.
pub fn linear(rgb: [u8; 3]) -> Linear {
    let lut = srgb_to_linear_lut();
    rgb.map(|c| lut[usize::from(c)])
}

/// Linear light to sRGB (clamped, rounded).
pub fn srgb(linear: Linear) -> [u8; 3] {
    linear.map(|v| (maths::linear_to_srgb(f64::from(v.clamp(0.0, 1.0))) * 255.0).round() as u8)
}

/// Linear light to CIELAB (D65).
pub fn lab_of_linear(linear: Linear) -> Lab {
    maths::linear_to_lab(linear.map(f64::from)).map(|v| v as f32)
}

/// sRGB to CIELAB (D65).
pub fn lab(rgb: [u8; 3]) -> Lab {
    maths::srgb_to_lab(rgb).map(|v| v as f32)
}

fn wide(lab: &Lab) -> [f64; 3] {
    lab.map(f64::from)
}

/// Squared CIE76 distance of two Lab colours.
pub fn dist2(a: &Lab, b: &Lab) -> f32 {
    maths::delta_e_squared(&wide(a), &wide(b)) as f32
}

/// CIE76 colour difference of two Lab colours.
pub fn delta_e_lab(a: &Lab, b: &Lab) -> f32 {
    maths::delta_e(&wide(a), &wide(b)) as f32
}

/// CIE76 colour difference of two sRGB colours.
pub fn delta_e(a: [u8; 3], b: [u8; 3]) -> f32 {
    maths::delta_e(&maths::srgb_to_lab(a), &maths::srgb_to_lab(b)) as f32
}

/// `share` of `a` and the rest of `b`, mixed in linear light (as the eye
/// mixes a pattern too fine to see).
pub fn mix(a: Linear, b: Linear, share: f32) -> Linear {
    std::array::from_fn(|k| share * a[k] + (1.0 - share) * b[k])
}
