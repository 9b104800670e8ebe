//! The half-block encoder's own colour maths: sRGB ↔ linear light, CIELAB
//! (D65) and the CIE76 colour difference ΔE. Kept in this one small file so
//! it can be swapped for the crate's shared colour module later.

use std::sync::OnceLock;

/// CIELAB: L* (0–100), a*, b*.
pub type Lab = [f32; 3];

/// Linear-light RGB, each channel 0–1.
pub type Linear = [f32; 3];

fn srgb_to_linear_lut() -> &'static [f32; 256] {
    static LUT: OnceLock<[f32; 256]> = OnceLock::new();
    LUT.get_or_init(|| {
        let mut lut = [0.0; 256];
        for (i, v) in lut.iter_mut().enumerate() {
            let c = i as f32 / 255.0;
            *v = if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            };
        }
        lut
    })
}

/// sRGB to linear light.
pub fn linear(rgb: [u8; 3]) -> Linear {
    let lut = srgb_to_linear_lut();
    rgb.map(|c| lut[usize::from(c)])
}

/// Linear light to sRGB (clamped, rounded).
pub fn srgb(linear: Linear) -> [u8; 3] {
    linear.map(|v| {
        let v = v.clamp(0.0, 1.0);
        let s = if v <= 0.003_130_8 {
            v * 12.92
        } else {
            1.055 * v.powf(1.0 / 2.4) - 0.055
        };
        (s * 255.0).round() as u8
    })
}

/// Linear light to CIELAB (D65).
pub fn lab_of_linear(linear: Linear) -> Lab {
    let [r, g, b] = linear;
    let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / 0.950_47;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b;
    let z = (0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b) / 1.088_83;
    let f = |t: f32| {
        if t > 0.008_856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// sRGB to CIELAB (D65).
pub fn lab(rgb: [u8; 3]) -> Lab {
    lab_of_linear(linear(rgb))
}

/// Squared CIE76 distance of two Lab colours.
pub fn dist2(a: &Lab, b: &Lab) -> f32 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// CIE76 colour difference of two Lab colours.
pub fn delta_e_lab(a: &Lab, b: &Lab) -> f32 {
    dist2(a, b).sqrt()
}

/// CIE76 colour difference of two sRGB colours.
pub fn delta_e(a: [u8; 3], b: [u8; 3]) -> f32 {
    delta_e_lab(&lab(a), &lab(b))
}

/// `share` of `a` and the rest of `b`, mixed in linear light (as the eye
/// mixes a pattern too fine to see).
pub fn mix(a: Linear, b: Linear, share: f32) -> Linear {
    std::array::from_fn(|k| share * a[k] + (1.0 - share) * b[k])
}
