//! Every tuned constant and cut point of the game in one table, each with
//! what it decides and how it was chosen. The measurements and models use
//! them from here; `lab/` holds the programs that measured them, and the
//! README the numbers.
//!
//! Sections: attribute levels from measurements (skin tone, hair colour,
//! hair length, smile, facial hair, glasses, age); the blend of the crowd,
//! the player's own model, appeal and looks; the crowd; the question order.

// ---- Skin tone ----

/// Skin lightness (L*) of a well exposed portrait, the exposure reference.
pub const REFERENCE_SKIN_L: f64 = 65.0;

/// How far the exposure is pulled towards the reference: 0 none, 1 all the way.
/// Chosen on the odd-numbered OMI faces among 0.3, 0.5, 0.6, 0.7, 0.8 and
/// 0.85 (0.5 before; the drawn pack's darkest skins read a class lighter for
/// it, see the README).
pub const EXPOSURE_PULL: f64 = 0.7;

/// The six ITA° classes of the exposure-normalised ITA°, lightest first:
/// a skin is very light above the first, light above the second, … and
/// dark below the last (see `vision::measure::skin_tone_level`).
pub const ITA_CLASS_CUTS: [f64; 5] = [55.0, 41.0, 28.0, 19.0, 11.0];

/// Crowd "skin-color" cut points between the six skin tone levels. They are
/// the midpoints between the mean crowd values of OMI's faces in each ITA°
/// class (very light 12.6, light 17.7, intermediate 26.3, tan 38.8, brown
/// 45.6, dark 61.8), so each level keeps the meaning its ITA° class had.
pub const SKIN_TONE_CUTS: [f64; 5] = [15.2, 22.0, 32.5, 42.2, 53.7];

// ---- Hair colour ----

/// Cut points on the crowd's 0-100 light-to-dark scale between blonde,
/// light brown, dark brown and black: its quarters. Looking at OMI's faces
/// by crowd value, blonde and white hair sit below 25, light and mid brown
/// 25-50, darker brown 50-75 and near black to black above.
pub const HAIR_COLOR_CUTS: [f64; 3] = [25.0, 50.0, 75.0];

/// Hair that looks grey (chroma C* < 9, L* > 40) is grey where the model
/// scores it below this...
pub const HAIR_GREY_BELOW: f64 = 50.0;

/// ...and hair that looks red (hue 15-55°, a* > 14, C* > 22) is red where
/// it scores below this.
pub const HAIR_RED_BELOW: f64 = 55.0;

// ---- Hair length (shares of hair- and skin-coloured pixels) ----

/// Bald: less hair than this above the head...
pub const BALD_HAIR_TOP_BELOW: f64 = 0.2;
/// ...more bare skin than this above the head...
pub const BALD_SKIN_TOP_ABOVE: f64 = 0.4;
/// ...and less hair than this beside the jaw (hair beside the jaw under a
/// bare top is a hat or a scarf).
pub const BALD_HAIR_SIDE_BELOW: f64 = 0.25;
/// Long: more hair than this beside the jaw...
pub const LONG_HAIR_SIDE_ABOVE: f64 = 0.8;
/// ...or more than this below the jaw with more than
/// [`LONG_WITH_BELOW_SIDE_ABOVE`] beside it (hair below the jaw alone
/// could be dark clothes).
pub const LONG_HAIR_BELOW_ABOVE: f64 = 0.3;
pub const LONG_WITH_BELOW_SIDE_ABOVE: f64 = 0.4;
/// Medium: more hair than this beside the jaw; short otherwise.
pub const MEDIUM_HAIR_SIDE_ABOVE: f64 = 0.25;

// ---- Smile ----

/// Broad: more teeth-like pixels than this between the inner lips...
pub const BROAD_TEETH_ABOVE: f64 = 0.25;
/// ...or a mouth open wider than this (IOD units).
pub const BROAD_MOUTH_OPEN_ABOVE: f64 = 0.12;
/// Slight: mouth corners lifted above the lip centre by more than this
/// (IOD units)...
pub const SLIGHT_MOUTH_LIFT_ABOVE: f64 = 0.03;
/// ...or a mouth wider than this (IOD units); neutral otherwise.
pub const SLIGHT_MOUTH_WIDTH_ABOVE: f64 = 1.0;

// ---- Facial hair (darkening relative to the skin's L*) ----

/// Beard: chin and jaw darker than the skin by more than this share.
pub const BEARD_ABOVE: f64 = 0.25;
/// Moustache: the upper lip darker by more than this, with a chin darker
/// by less than [`STUBBLE_ABOVE`].
pub const MOUSTACHE_ABOVE: f64 = 0.2;
/// Stubble: chin and jaw darker by more than this.
pub const STUBBLE_ABOVE: f64 = 0.12;

// ---- Glasses ----

/// Glasses when both the bridge and the rims show horizontal edges this many
/// times stronger than the lower cheeks. Chosen by looking at MEBeauty faces
/// ranked by the measure (real frames from 2.9 up, none at 2.6 and below);
/// the Canada portraits, none with glasses, reach 1.4.
pub const GLASSES_CUT: f64 = 2.7;

// ---- Age (declared in years) ----

/// Declared ages in years below these are young adult, adult and middle
/// aged; from the last on, senior.
pub const AGE_CUTS: [f64; 3] = [30.0, 45.0, 60.0];

// ---- The blend ----

/// Ridge penalties of the blend regression (in squared rating points).
pub const RIDGE_CROWD: f64 = 1.0;

pub const RIDGE_PERSONAL: f64 = 20.0;

/// 20 as for the personal score: 1, 5 and 50 were no better on MEBeauty and
/// 3dsk taken together (README, *Appeal*).
pub const RIDGE_APPEAL: f64 = 20.0;

/// On each face network descriptor number (in spreads), heavy: 128 of them
/// against a few dozen ratings. In the bench 1000 beat 500 on MEBeauty and
/// 3dsk, and in a Python trial 2000 and 3000 did worse on MEBeauty (README,
/// *Appeal*).
pub const RIDGE_LOOKS: f64 = 1000.0;

/// The smallest spread of ratings around the blend's fit (rating points):
/// ratings are whole numbers, so a fit closer than that is luck.
pub const MIN_FIT_SPREAD: f64 = 0.5;

/// The spread assumed before there is a fit (too few ratings, or nothing
/// predicts them): about how far a player's ratings stray from their mean
/// (per rater on the five levels, median 0.96 / 1.15 / 0.79 on MEBeauty
/// generic / date and 3dsk). Far wider than the naive Bayes' own certainty,
/// which after two ratings can read 100%.
pub const UNFITTED_SPREAD: f64 = 1.0;

/// Ratings a pick needs: the game's `r` reveals from this many on, and
/// `recommend`, `card`, `compare` and `replay` refuse (or say "not enough
/// ratings yet") below it. Fewer than ten five-level ratings hardly tell a
/// taste from chance.
pub const MIN_RATINGS_TO_REVEAL: usize = 10;

/// Halfway between Normal and Slightly like.
pub const LIKE_THRESHOLD: f64 = 3.5;

/// Ratings on faces with a crowd score needed before the player's own model
/// gets a weight.
pub const MIN_RATINGS_TO_BLEND: usize = 5;

// ---- The crowd ----

/// Pseudo-ratings at the crowd's overall mean (and spread) that a rater's own
/// mean (and spread) is shrunk towards: one rating says little about how
/// generous a rater is.
pub const RATER_SHRINK: f64 = 3.0;

/// Co-rated faces a rater needs with the player to count as a neighbour.
pub const MIN_OVERLAP: usize = 3;

/// Co-rated faces at which a neighbour's correlation counts half.
pub const OVERLAP_HALF: f64 = 10.0;

/// Smallest spread a rater's ratings are divided by (in rating points): a
/// rater who gives every face the same rating says nothing about any.
pub const MIN_SPREAD: f64 = 0.5;

// ---- The question order ----

/// Candidates whose scores `model::questions::leaders_variance_drop` sharpens: the reveal
/// is one of the few the blend ranks highest. 5 beat 3, 10 and the two
/// leaders alone on MEBeauty (README, *Adaptive order*).
pub const DESIGN_LEADERS: usize = 5;
