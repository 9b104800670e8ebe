//! Colour: sRGB to CIELAB (D65) and the CIE76 colour difference ΔE*ab,
//! once for every measurement and model.

/// sRGB (0-255) to CIELAB (D65).
pub fn srgb_to_lab(rgb: [u8; 3]) -> [f64; 3] {
    srgb_f64_to_lab(rgb.map(f64::from))
}

/// [`srgb_to_lab`] of a mean colour (channels 0-255, not rounded).
pub fn srgb_f64_to_lab(rgb: [f64; 3]) -> [f64; 3] {
    linear_to_lab(rgb.map(|c| srgb_to_linear(c / 255.0)))
}

/// One sRGB channel (0-1) to linear light (0-1).
pub fn srgb_to_linear(c: f64) -> f64 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// One linear-light channel (0-1) to sRGB (0-1), the inverse of
/// [`srgb_to_linear`].
pub fn linear_to_srgb(v: f64) -> f64 {
    if v <= 0.003_130_8 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    }
}

/// Linear-light RGB (0-1) to CIELAB (D65).
pub fn linear_to_lab([r, g, b]: [f64; 3]) -> [f64; 3] {
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// The CIE76 colour difference ΔE*ab: the distance between two CIELAB
/// colours.
pub fn delta_e(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    delta_e_squared(a, b).sqrt()
}

/// [`delta_e`] squared, for nearest-colour searches.
pub fn delta_e_squared(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// Channel-wise median of Lab colours.
pub fn median_lab(colours: &[[f64; 3]]) -> Option<[f64; 3]> {
    if colours.is_empty() {
        return None;
    }
    let mut out = [0.0; 3];
    for (k, slot) in out.iter_mut().enumerate() {
        let mut v: Vec<f64> = colours.iter().map(|c| c[k]).collect();
        v.sort_by(f64::total_cmp);
        *slot = v[v.len() / 2];
    }
    Some(out)
}

/// The mean of `colours`, channel by channel; zero when there are none.
pub fn mean_colour(colours: impl Iterator<Item = [f64; 3]>) -> [f64; 3] {
    let (mut sum, mut n) = ([0.0; 3], 0usize);
    for c in colours {
        for (s, v) in sum.iter_mut().zip(c) {
            *s += v;
        }
        n += 1;
    }
    sum.map(|s| if n == 0 { 0.0 } else { s / n as f64 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_of_known_colours() {
        let white = srgb_to_lab([255, 255, 255]);
        assert!((white[0] - 100.0).abs() < 0.1 && white[1].abs() < 0.5 && white[2].abs() < 0.5);
        let black = srgb_to_lab([0, 0, 0]);
        assert!(black[0].abs() < 0.1);
        let red = srgb_to_lab([255, 0, 0]);
        assert!(
            (red[0] - 53.2).abs() < 0.5
                && (red[1] - 80.1).abs() < 1.0
                && (red[2] - 67.2).abs() < 1.0
        );
    }

    #[test]
    fn linear_light_round_trips() {
        for c in 0..=255u8 {
            let c = f64::from(c) / 255.0;
            assert!((linear_to_srgb(srgb_to_linear(c)) - c).abs() < 1e-9, "{c}");
        }
    }
}
