//! How terminals draw the shade glyphs `░▒▓`: how much of the cell the
//! foreground covers, and whether it is mixed with the background in linear
//! light (a dot pattern, as the eye mixes it) or blended in sRGB (a
//! translucent fill). They differ a lot, so the 256-colour encoder only
//! uses mixes that look alike in all of these (see `mixes.rs`).

use super::colour::{linear, mix, Linear};

/// One way of drawing `░▒▓`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShadeModel {
    pub name: &'static str,
    /// The foreground's share of the cell for `░`, `▒`, `▓`.
    pub shares: [f32; 3],
    /// Blended in sRGB (a translucent fill) rather than mixed in light.
    pub srgb_blend: bool,
}

/// The models the encoder is made for. The xterm and kitty shares were
/// measured here from screenshots under Xvfb (white on black, mean linear
/// light of the glyph over that of `█`); VTE's comes from its source
/// (a fill at alpha 1/4, 2/4, 3/4).
pub const SHADE_MODELS: [ShadeModel; 4] = [
    ShadeModel {
        name: "dot patterns of 25/50/75 %",
        shares: [0.25, 0.5, 0.75],
        srgb_blend: false,
    },
    ShadeModel {
        name: "xterm 379, DejaVu Sans Mono 11-18 pt",
        shares: [0.13, 0.38, 0.74],
        srgb_blend: false,
    },
    ShadeModel {
        name: "kitty 0.26",
        shares: [0.14, 0.26, 0.75],
        srgb_blend: false,
    },
    ShadeModel {
        name: "VTE (GNOME Terminal), sRGB alpha fill",
        shares: [0.25, 0.5, 0.75],
        srgb_blend: true,
    },
];

/// The nominal model: dot patterns covering 25, 50 and 75 %.
pub const NOMINAL: ShadeModel = SHADE_MODELS[0];

impl ShadeModel {
    /// What a shade glyph of `quarters` (1 `░`, 2 `▒`, 3 `▓`) shows with
    /// `fg` on `bg`, in linear light.
    pub fn show(&self, fg: [u8; 3], bg: [u8; 3], quarters: u8) -> Linear {
        let share = self.shares[usize::from(quarters.clamp(1, 3) - 1)];
        if self.srgb_blend {
            let blend: [u8; 3] = std::array::from_fn(|k| {
                (share * f32::from(fg[k]) + (1.0 - share) * f32::from(bg[k])).round() as u8
            });
            linear(blend)
        } else {
            mix(linear(fg), linear(bg), share)
        }
    }
}
