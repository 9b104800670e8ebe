//! `mytype pack generate`: draws an illustrated pack with our own code.
//!
//! Attribute levels are sampled with plausible correlations (facial hair on
//! men, grey hair with age, ...), the rated set is resampled until every level
//! of every canonical attribute appears, and each face is drawn by
//! [`super::portrait`] with its true levels and landmarks recorded.

use super::portrait::{self, Style, Traits};
use super::{write_manifest, FaceEntry, Manifest, PackError, Role, PACK_FORMAT_VERSION};
use crate::core::attributes::{canonical_vocabulary, Levels};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;
use std::path::Path;

/// Side of the generated images, in pixels.
pub const IMAGE_SIZE: u32 = 256;

/// Options of `pack generate`.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub seed: u64,
    pub models: usize,
    pub celebrities: usize,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            seed: 1,
            models: 50,
            celebrities: 40,
        }
    }
}

/// One face to draw: its role, name, levels and look.
#[derive(Debug, Clone)]
pub struct FacePlan {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub traits: Traits,
    pub style: Style,
}

/// Gives face `i` of a drawn pack the looks a photo pack's face has: an
/// appeal (0 to 100) and a random face-network descriptor. For benchmarks
/// and tests of the photo-pack paths, which have no photos to measure.
pub fn give_photo_looks(face: &mut FaceEntry, i: usize, rng: &mut impl Rng) {
    face.appeal = Some(((i * 37) % 101) as f64);
    face.descriptor = Some(
        (0..crate::vision::face_net::DESCRIPTOR)
            .map(|_| rng.random_range(-0.2..0.2))
            .collect(),
    );
}

/// Draws a pack into `out` (created if needed) and returns its manifest.
pub fn generate_pack(out: &Path, opts: &GenerateOptions) -> Result<Manifest, PackError> {
    generate_named_pack(out, opts, BUNDLED_NAME)
}

/// The name of the bundled pack, and of a generated pack not given another.
pub const BUNDLED_NAME: &str = "default";

/// The attribution of every generated pack: how `pack generate` knows a
/// folder it may draw over again.
pub const GENERATED_ATTRIBUTION: &str =
    "Drawn by `mytype pack generate` (the mytype authors); no photos, no real people.";

/// Whether `dir` may take a generated pack: it does not exist, is empty, or
/// holds a pack `pack generate` drew before (anything else is someone's).
pub fn may_generate_into(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(mut entries) => {
            entries.next().is_none()
                || std::fs::read_to_string(dir.join(super::MANIFEST_FILE))
                    .ok()
                    .and_then(|text| Manifest::parse(&text, dir).ok())
                    .is_some_and(|m| m.attribution == GENERATED_ATTRIBUTION)
        }
    }
}

/// [`generate_pack`] under another pack name, so profiles of the bundled
/// pack don't carry on with it.
pub fn generate_named_pack(
    out: &Path,
    opts: &GenerateOptions,
    name: &str,
) -> Result<Manifest, PackError> {
    let images = out.join("images");
    std::fs::create_dir_all(&images).map_err(|source| PackError::Io {
        path: images.clone(),
        source,
    })?;
    let vocabulary = canonical_vocabulary();
    let mut faces = Vec::new();
    for plan in plan_faces(opts) {
        let rel = format!("images/{}.png", plan.id);
        let path = out.join(&rel);
        let FacePng { png, landmarks } = render_png(&plan.traits, &plan.style, &path)?;
        std::fs::write(&path, png).map_err(|source| PackError::Io {
            path: path.clone(),
            source,
        })?;
        faces.push(FaceEntry {
            id: plan.id,
            name: plan.name,
            image: rel,
            role: plan.role,
            attributes: levels_of(&plan.traits),
            crowd: None,
            landmarks: Some(landmarks),
            appeal: None,
            descriptor: None,
        });
    }
    let manifest = Manifest {
        version: PACK_FORMAT_VERSION,
        name: name.into(),
        description: "Illustrated faces drawn by the mytype generator: invented people, \
                      each with its true attribute levels and 68 landmarks."
            .into(),
        license: "CC0-1.0".into(),
        attribution: GENERATED_ATTRIBUTION.into(),
        attributes: vocabulary,
        faces,
    };
    write_manifest(out, &manifest)?;
    Ok(manifest)
}

/// One face, encoded.
pub struct FacePng {
    pub png: Vec<u8>,
    /// The 68 landmarks, normalised to 0..1 of the image.
    pub landmarks: Vec<(f32, f32)>,
}

/// Draws one face and encodes it as PNG; `path` only names errors.
pub fn render_png(traits: &Traits, style: &Style, path: &Path) -> Result<FacePng, PackError> {
    let image_error = |message: String| PackError::Image {
        path: path.to_path_buf(),
        message,
    };
    let rendered = portrait::render(traits, style, IMAGE_SIZE)
        .ok_or_else(|| image_error("could not allocate the canvas".into()))?;
    let rgb = to_rgb(&rendered.pixmap);
    let mut png = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    );
    image::ImageEncoder::write_image(
        encoder,
        rgb.as_raw(),
        rgb.width(),
        rgb.height(),
        image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| image_error(e.to_string()))?;
    Ok(FacePng {
        png,
        landmarks: rendered.landmarks,
    })
}

/// Drops alpha from an opaque pixmap.
pub fn to_rgb(pixmap: &tiny_skia::Pixmap) -> image::RgbImage {
    let mut rgb = image::RgbImage::new(pixmap.width(), pixmap.height());
    for (dst, src) in rgb.pixels_mut().zip(pixmap.pixels()) {
        let c = src.demultiply();
        *dst = image::Rgb([c.red(), c.green(), c.blue()]);
    }
    rgb
}

/// The canonical levels of `traits`, by attribute name.
pub fn levels_of(traits: &Traits) -> Levels {
    canonical_vocabulary()
        .into_iter()
        .zip(traits.indices())
        .map(|(def, i)| (def.name, def.levels[i].clone()))
        .collect()
}

/// Every face of the pack, in order: models `m001..`, then celebrities `c001..`.
pub fn plan_faces(opts: &GenerateOptions) -> Vec<FacePlan> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let models = sample_rated_set(&mut rng, opts.models);
    let celebrities: Vec<Traits> = (0..opts.celebrities)
        .map(|_| sample_traits(&mut rng))
        .collect();
    let mut used_names = BTreeSet::new();
    let mut plans = Vec::new();
    for (i, traits) in models.into_iter().enumerate() {
        let name = invent_name(&mut rng, &traits, false, &mut used_names);
        plans.push(FacePlan {
            id: format!("m{:03}", i + 1),
            name,
            role: Role::Model,
            style: sample_style(&mut rng, &traits),
            traits,
        });
    }
    for (i, traits) in celebrities.into_iter().enumerate() {
        let name = invent_name(&mut rng, &traits, true, &mut used_names);
        plans.push(FacePlan {
            id: format!("c{:03}", i + 1),
            name,
            role: Role::Celebrity,
            style: sample_style(&mut rng, &traits),
            traits,
        });
    }
    plans
}

/// Number of levels of each canonical attribute, in canonical order.
const LEVEL_COUNTS: [usize; 12] = [2, 4, 6, 6, 4, 3, 5, 3, 3, 4, 2, 3];

/// Samples `n` rated faces, redrawing the whole set until every level of every
/// attribute appears at least twice (once for small sets), keeping the best
/// attempt if that never happens.
fn sample_rated_set(rng: &mut ChaCha8Rng, n: usize) -> Vec<Traits> {
    let want = if n >= 40 {
        2
    } else if n >= 12 {
        1
    } else {
        0
    };
    let mut best: Option<(usize, Vec<Traits>)> = None;
    for _ in 0..500 {
        let set: Vec<Traits> = (0..n).map(|_| sample_traits(rng)).collect();
        let deficit = coverage_deficit(&set, want);
        if best.as_ref().is_none_or(|(d, _)| deficit < *d) {
            best = Some((deficit, set));
        }
        if deficit == 0 {
            break;
        }
    }
    best.map(|(_, set)| set).unwrap_or_default()
}

/// How many level occurrences are missing for every level to appear `want` times.
fn coverage_deficit(set: &[Traits], want: usize) -> usize {
    let mut deficit = 0;
    for (attr, &levels) in LEVEL_COUNTS.iter().enumerate() {
        for level in 0..levels {
            let count = set.iter().filter(|t| t.indices()[attr] == level).count();
            deficit += want.saturating_sub(count);
        }
    }
    deficit
}

/// Index drawn with the given relative weights.
fn pick(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total.max(1));
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// One face's levels, with plausible correlations between attributes.
pub fn sample_traits(rng: &mut ChaCha8Rng) -> Traits {
    let sex = pick(rng, &[1, 1]);
    let male = sex == 1;
    let age = pick(rng, &[30, 30, 22, 18]);
    let skin_tone = pick(rng, &[15, 18, 18, 17, 16, 16]);
    let grey = match age {
        0 => 0,
        1 => 3,
        2 => 22,
        _ => 70,
    };
    let hair_color = if pick(rng, &[grey, 100 - grey]) == 0 {
        0
    } else {
        1 + match skin_tone {
            0 | 1 => pick(rng, &[24, 12, 24, 26, 14]),
            2 | 3 => pick(rng, &[7, 4, 18, 36, 35]),
            _ => pick(rng, &[3, 2, 8, 27, 60]),
        }
    };
    let hair_length = if male {
        let bald = [4, 10, 20, 28][age];
        pick(rng, &[bald, 62, 22, 9])
    } else {
        pick(rng, &[1, 20, 36, 43])
    };
    let eye_size = pick(rng, &[30, 40, 30]);
    let face_shape = if male {
        pick(rng, &[18, 20, 12, 20, 30])
    } else {
        pick(rng, &[18, 28, 24, 20, 10])
    };
    let eyebrows = if male {
        pick(rng, &[15, 40, 45])
    } else {
        pick(rng, &[40, 40, 20])
    };
    let lips = if male {
        pick(rng, &[40, 40, 20])
    } else {
        pick(rng, &[20, 40, 40])
    };
    let facial_hair = if male {
        pick(rng, &[34, 24, 16, 26])
    } else {
        0
    };
    let glasses = pick(rng, &[[78, 72, 62, 52][age], [22, 28, 38, 48][age]]);
    let smile = pick(rng, &[30, 40, 30]);
    Traits {
        sex,
        age,
        skin_tone,
        hair_color,
        hair_length,
        eye_size,
        face_shape,
        eyebrows,
        lips,
        facial_hair,
        glasses,
        smile,
    }
}

const BACKGROUNDS: &[[u8; 3]] = &[
    [176, 206, 188], // sage
    [170, 198, 226], // sky
    [240, 196, 170], // peach
    [200, 186, 228], // lavender
    [230, 214, 170], // sand
    [168, 218, 210], // mint
    [236, 180, 190], // rose
    [160, 176, 206], // slate blue
    [214, 222, 160], // lime
    [226, 200, 150], // apricot
];

const CLOTHES: &[[u8; 3]] = &[
    [40, 58, 102],   // navy
    [128, 36, 52],   // burgundy
    [208, 160, 48],  // mustard
    [46, 100, 66],   // forest
    [32, 128, 132],  // teal
    [62, 62, 70],    // charcoal
    [236, 234, 228], // off-white
    [226, 110, 90],  // coral
    [76, 112, 160],  // denim
    [120, 80, 140],  // plum
    [190, 70, 40],   // rust
    [150, 150, 150], // heather grey
];

const IRISES: &[[u8; 3]] = &[
    [92, 58, 34],    // brown
    [62, 40, 26],    // dark brown
    [128, 98, 52],   // hazel
    [86, 124, 80],   // green
    [70, 118, 170],  // blue
    [110, 130, 146], // grey
];

const FRAMES: &[[u8; 3]] = &[
    [28, 26, 28],    // black
    [110, 60, 34],   // tortoise
    [184, 150, 80],  // gold
    [120, 126, 136], // steel
    [150, 40, 48],   // red
];

/// Cosmetic choices for one face.
pub fn sample_style(rng: &mut ChaCha8Rng, t: &Traits) -> Style {
    let background = BACKGROUNDS[rng.random_range(0..BACKGROUNDS.len())];
    let clothing = CLOTHES[rng.random_range(0..CLOTHES.len())];
    let iris = if t.skin_tone >= 3 {
        IRISES[pick(rng, &[50, 40, 8, 1, 1, 0])]
    } else if t.skin_tone == 2 {
        IRISES[pick(rng, &[35, 25, 18, 10, 8, 4])]
    } else {
        IRISES[pick(rng, &[18, 8, 16, 16, 28, 14])]
    };
    let hair_variant = if t.sex == 1 {
        // Curly crops more likely with the darkest tones.
        if t.skin_tone >= 4 {
            pick(rng, &[25, 20, 15, 40]) as u8
        } else {
            pick(rng, &[30, 35, 25, 10]) as u8
        }
    } else {
        pick(rng, &[30, 35, 22, 13]) as u8
    };
    Style {
        background,
        clothing,
        neckline: if t.sex == 1 {
            pick(rng, &[40, 20, 30, 10]) as u8
        } else {
            pick(rng, &[35, 35, 15, 15]) as u8
        },
        iris,
        hair_variant,
        part_side: if rng.random_bool(0.5) { 1.0 } else { -1.0 },
        volume: rng.random_range(0.0..1.0),
        skin_shift: rng.random_range(-1.0..1.0),
        hair_shift: rng.random_range(-1.0..1.0),
        frame_shape: rng.random_range(0..3),
        frame_color: FRAMES[rng.random_range(0..FRAMES.len())],
        earrings: t.sex == 0 && rng.random_bool(0.6),
        offset: (rng.random_range(-5.0..5.0), rng.random_range(4.0..10.0)),
        scale: rng.random_range(1.0..1.08),
        texture_seed: rng.random(),
    }
}

const FEMALE_FIRST: &[&str] = &[
    "Mara", "Ines", "Aiko", "Leila", "Sunniva", "Amara", "Zofia", "Priya", "Noor", "Elodie",
    "Ayasha", "Chiara", "Freya", "Yuna", "Ifeoma", "Lucía", "Mirela", "Tova", "Dalia", "Keiko",
    "Adaeze", "Rosalind", "Marisol", "Ilse", "Nadia", "Saoirse", "Thandiwe", "Mei", "Oona",
    "Beatriz", "Hana", "Kalinda", "Esra", "Vesna", "Ngozi", "Pilar", "Linnea", "Anouk", "Rania",
    "Ximena", "Sigrid", "Farah", "Wanjiru", "Carmela", "Ottilie", "Anjali", "Maelle", "Jovana",
    "Suvi", "Imani", "Greta", "Paloma", "Yasmin", "Ewa", "Kamala", "Liesel", "Odalys", "Nika",
];

const MALE_FIRST: &[&str] = &[
    "Tomas", "Kenji", "Idris", "Mateo", "Anders", "Kwame", "Ravi", "Luca", "Emeka", "Joaquín",
    "Dmitri", "Hamid", "Oskar", "Tariq", "Bruno", "Jun", "Samir", "Callum", "Nikolai", "Ade",
    "Felipe", "Henrik", "Arjun", "Yusuf", "Marek", "Thiago", "Kofi", "Eamon", "Hiroshi", "Lorenzo",
    "Bastien", "Chidi", "Rafael", "Soren", "Vikram", "Gustavo", "Milan", "Olu", "Teodor", "Kai",
    "Ilias", "Wendell", "Amadou", "Florian", "Daniyar", "Matthias", "Tane", "Casimir", "Obinna",
    "Elias", "Rohan", "Lars", "Ignacio", "Malik", "Jonah", "Piet", "Zoran",
];

const LAST: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Castellano",
    "Nakamura",
    "Novak",
    "Adeyemi",
    "Brannigan",
    "Sørensen",
    "Kowalczyk",
    "Ferreira",
    "Mensah",
    "Tanaka",
    "Rahman",
    "Vasquez",
    "Oyelaran",
    "Halvorsen",
    "Petrescu",
    "Quintero",
    "Achterberg",
    "Mbeki-Lund",
    "Darrow",
    "Iwu",
    "Kaur",
    "Lemaire",
    "Marchetti",
    "Nyberg",
    "Osei",
    "Pellegrini",
    "Rautio",
    "Sato",
    "Takahashi-Reyes",
    "Ulloa",
    "Varga",
    "Wojcik",
    "Yilmaz",
    "Zapata",
    "Abernathy",
    "Belkacem",
    "Cardenas",
    "Dlamini",
    "Eriksdottir",
    "Fontaine",
    "Gallardo",
    "Hakimi",
    "Ivanova",
    "Jablonski",
    "Kariuki",
    "Larrea",
    "Mwangi",
    "Nieminen",
    "Okonkwo",
    "Pham",
    "Quist",
    "Rosenthal",
    "Szabo",
    "Tremblay",
    "Uchenna",
    "Villanueva",
    "Whitlock",
    "Xu",
    "Yamada",
    "Zielinski",
    "Achebe-Moss",
    "Brightwater",
    "Castellanos",
    "Delacroix",
    "Esposito",
    "Farrokh",
    "Gunnarsson",
    "Holloway",
    "Ilunga",
    "Jovanovic",
    "Kobayashi",
    "Lundgren",
];

fn invent_name(
    rng: &mut ChaCha8Rng,
    t: &Traits,
    full: bool,
    used: &mut BTreeSet<String>,
) -> String {
    let firsts = if t.sex == 1 { MALE_FIRST } else { FEMALE_FIRST };
    let mut name = String::new();
    for attempt in 0..200 {
        let first = firsts[rng.random_range(0..firsts.len())];
        name = if full {
            let last = LAST[rng.random_range(0..LAST.len())];
            format!("{first} {last}")
        } else if attempt < 100 {
            first.to_string()
        } else {
            // The first names ran out: add an initial.
            let initial = (b'A' + rng.random_range(0..26u8)) as char;
            format!("{first} {initial}.")
        };
        if !used.contains(&name) {
            break;
        }
    }
    used.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_counts_match_the_vocabulary() {
        let counts: Vec<usize> = canonical_vocabulary()
            .iter()
            .map(|d| d.levels.len())
            .collect();
        assert_eq!(counts, LEVEL_COUNTS);
    }

    #[test]
    fn correlations_hold_over_many_samples() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let faces: Vec<Traits> = (0..2000).map(|_| sample_traits(&mut rng)).collect();
        assert!(faces.iter().all(|t| t.sex == 1 || t.facial_hair == 0));
        let grey_rate = |age: usize| {
            let group: Vec<_> = faces.iter().filter(|t| t.age == age).collect();
            group.iter().filter(|t| t.hair_color == 0).count() as f64 / group.len() as f64
        };
        assert!(grey_rate(3) > 0.5 && grey_rate(0) < 0.01);
        let bald = |sex: usize| {
            faces
                .iter()
                .filter(|t| t.sex == sex && t.hair_length == 0)
                .count()
        };
        assert!(bald(1) > 5 * bald(0));
    }

    #[test]
    fn names_are_unique_and_match_roles() {
        let plans = plan_faces(&GenerateOptions::default());
        let names: BTreeSet<_> = plans.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names.len(), plans.len());
        for p in &plans {
            let words = p.name.split_whitespace().count();
            match p.role {
                Role::Celebrity => assert_eq!(words, 2, "{}", p.name),
                _ => assert!(words <= 2, "{}", p.name),
            }
        }
    }
}
