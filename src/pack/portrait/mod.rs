//! Illustrated portraits: a face drawn with tiny-skia from its attribute levels
//! plus a few purely cosmetic style choices, together with the 68 landmark
//! positions (dlib scheme) of the drawing.
//!
//! All geometry is laid out on a 256x256 design canvas, then mapped through one
//! transform (a small per-face shift and scale) and scaled to the output size.

mod body;
mod face;
mod facial_hair;
mod hair;
mod layout;
mod paint;

use body::*;
use face::*;
use facial_hair::*;
use hair::*;
use layout::*;
use paint::*;
use rand::SeedableRng;
use tiny_skia::{GradientStop, LinearGradient, Paint, Pixmap, Rect, SpreadMode, Transform};

/// Side of the design canvas.
pub(super) const DESIGN: f32 = 256.0;

/// A face's true attribute levels, as indices into the canonical levels
/// (see `crate::core::attributes`), in canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traits {
    /// 0 female, 1 male.
    pub sex: usize,
    /// 0 young_adult, 1 adult, 2 middle_aged, 3 senior.
    pub age: usize,
    /// 0 very_light .. 5 dark.
    pub skin_tone: usize,
    /// 0 grey, 1 blonde, 2 red, 3 light_brown, 4 dark_brown, 5 black.
    pub hair_color: usize,
    /// 0 bald, 1 short, 2 medium, 3 long.
    pub hair_length: usize,
    /// 0 small, 1 medium, 2 large.
    pub eye_size: usize,
    /// 0 long, 1 oval, 2 heart, 3 round, 4 square.
    pub face_shape: usize,
    /// 0 thin, 1 medium, 2 thick.
    pub eyebrows: usize,
    /// 0 thin, 1 medium, 2 full.
    pub lips: usize,
    /// 0 none, 1 stubble, 2 moustache, 3 beard.
    pub facial_hair: usize,
    /// 0 none, 1 glasses.
    pub glasses: usize,
    /// 0 neutral, 1 slight, 2 broad.
    pub smile: usize,
}

impl Traits {
    /// Level indices in canonical attribute order.
    pub fn indices(&self) -> [usize; 12] {
        [
            self.sex,
            self.age,
            self.skin_tone,
            self.hair_color,
            self.hair_length,
            self.eye_size,
            self.face_shape,
            self.eyebrows,
            self.lips,
            self.facial_hair,
            self.glasses,
            self.smile,
        ]
    }

    fn male(&self) -> bool {
        self.sex == 1
    }
}

/// Cosmetic choices that are not attributes: they make faces distinct.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Background colour (top of the gradient).
    pub background: [u8; 3],
    /// Clothing colour.
    pub clothing: [u8; 3],
    /// 0 crew neck, 1 v-neck, 2 collared shirt, 3 turtleneck.
    pub neckline: u8,
    /// Iris colour.
    pub iris: [u8; 3],
    /// Hair style variant within a length (0..4).
    pub hair_variant: u8,
    /// Side of the parting: -1 or 1.
    pub part_side: f32,
    /// Extra hair volume, 0..1.
    pub volume: f32,
    /// Small variation of the skin colour, -1..1.
    pub skin_shift: f32,
    /// Small variation of the hair colour, -1..1.
    pub hair_shift: f32,
    /// Glasses frame: 0 round, 1 rectangular, 2 browline.
    pub frame_shape: u8,
    /// Glasses frame colour.
    pub frame_color: [u8; 3],
    /// Earrings (visible when the ears are).
    pub earrings: bool,
    /// Head position offset on the canvas, in design pixels.
    pub offset: (f32, f32),
    /// Head scale, around 1.
    pub scale: f32,
    /// Seed for fine texture (stubble, strands).
    pub texture_seed: u64,
}

/// The image and its 68 landmarks, normalised to 0..1.
pub struct Rendered {
    pub pixmap: Pixmap,
    pub landmarks: Vec<(f32, f32)>,
}

// ---------------------------------------------------------------- colours

// ---------------------------------------------------------------- paths

// ---------------------------------------------------------------- painter

/// Draws a face at `size`x`size` pixels.
// Long because: it is the drawing order, back to front, of every part of
// the portrait; each step is one call into the part's own module.
pub fn render(t: &Traits, s: &Style, size: u32) -> Option<Rendered> {
    let mut pixmap = Pixmap::new(size, size)?;
    let k = size as f32 / DESIGN;
    let ts_face = Transform::from_row(
        s.scale,
        0.0,
        0.0,
        s.scale,
        128.0 * (1.0 - s.scale) + s.offset.0,
        128.0 * (1.0 - s.scale) + s.offset.1,
    );
    let ts = Transform::from_scale(k, k).pre_concat(ts_face);

    // Background: soft vertical gradient, not affected by the face transform.
    let bg = Rgb::from(s.background);
    let bg_shader = LinearGradient::new(
        pt(0.0, 0.0),
        pt(0.0, size as f32),
        vec![
            GradientStop::new(0.0, bg.lighten(0.25).color(1.0)),
            GradientStop::new(1.0, bg.scale(0.92).color(1.0)),
        ],
        SpreadMode::Pad,
        Transform::identity(),
    );
    pixmap.fill(bg.color(1.0));
    if let Some(shader) = bg_shader {
        let paint = Paint {
            shader,
            anti_alias: false,
            ..Paint::default()
        };
        if let Some(rect) = Rect::from_xywh(0.0, 0.0, size as f32, size as f32) {
            pixmap.fill_rect(rect, &paint, Transform::identity(), None);
        }
    }

    let mut p = Painter { pixmap, ts };
    let h = Head::new(t);
    let f = features(t, &h);
    let mut tex = rand_chacha::ChaCha8Rng::seed_from_u64(s.texture_seed);

    let skin = skin_color(t, s);
    let hair = hair_color(t, s);

    draw_hair_back(&mut p, t, s, &h, hair);
    draw_neck_and_clothes(&mut p, t, s, &h, skin);
    draw_ears(&mut p, &h, skin);
    let face_path = polyline(&h.outline(), true);
    p.fill(face_path.clone(), skin.color(1.0));
    let face_mask = p.mask(&face_path);
    draw_face_shading(&mut p, t, &h, &f, skin, face_mask.as_ref());
    draw_age(&mut p, t, &h, &f, skin, face_mask.as_ref());
    if t.facial_hair == 1 {
        draw_stubble(&mut p, t, &h, &f, hair_for_face(t, hair), &mut tex);
    }
    if t.facial_hair == 3 {
        draw_beard(&mut p, t, &h, &f, hair_for_face(t, hair), &mut tex);
    }
    draw_nose(&mut p, &h, &f, skin);
    draw_mouth(&mut p, t, &f, skin);
    if t.facial_hair >= 2 {
        draw_moustache(&mut p, t, &f, hair_for_face(t, hair));
    }
    draw_eyes(&mut p, t, s, &f, skin, hair);
    draw_brows(&mut p, t, &f, hair_for_face(t, hair));
    if s.earrings && t.hair_length <= 1 {
        draw_earrings(&mut p, s, &h);
    }
    draw_hair_front(&mut p, t, s, &h, hair, &mut tex);
    if t.glasses == 1 {
        draw_glasses(&mut p, s, &h, &f);
    }

    let marks = landmarks(&h, &f)
        .into_iter()
        .map(|(x, y)| {
            let mut q = pt(x, y);
            ts_face.map_point(&mut q);
            let norm = |v: f32| ((v / DESIGN).clamp(0.0, 1.0) * 10000.0).round() / 10000.0;
            (norm(q.x), norm(q.y))
        })
        .collect();
    Some(Rendered {
        pixmap: p.pixmap,
        landmarks: marks,
    })
}
