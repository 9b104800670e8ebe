//! Every tuned constant and cut point of the game in one table, each with
//! what it decides and how it was chosen. The measurements and models use
//! them from here; `lab/` holds the programs that measured them, and
//! docs/model.md, docs/photo-pipeline.md and docs/measurements.md the
//! numbers.
//!
//! Sections: face detection; attribute levels from measurements (skin tone,
//! hair colour, hair length, smile, facial hair, glasses, age) and the pixel
//! tests behind them; the blend of the crowd, the player's own model, appeal
//! and looks; the crowd; the question order; the reveal.
//!
//! Not here: the game's rules, which are choices rather than measurements:
//! faces in a round (`ROUND`, fifty), the runners-up listed (`TOP_K`) and the
//! streak that offers the reveal early (`SETTLED_AFTER`) live in
//! `ui::app`; the five rating levels in [`crate::core::rating`]; the
//! limits of `mytype serve` in `serve::limits`. Also kept with their code:
//! what belongs to a fitted model's weights in `assets/` (the appeal fit's
//! four penalties, `vision::appeal::FIT_PENALTIES`, and the input clamp
//! `CLAMP` of the skin-tone, hair-colour and appeal models), where a
//! measurement samples the face (bands, trims, grid sizes in
//! `vision::measure`), and the words for an overlap in
//! `game::compare::Verdict`.

// ---- Face detection ----

/// Smallest face side the detector looks for, in pixels (of the copy it
/// scans, see [`PORTRAIT_SCAN_SIDE`]).
pub const DETECT_MIN_FACE_SIZE: u32 = 40;

/// SeetaFace's detection score threshold (its default).
pub const DETECT_SCORE_THRESH: f64 = 2.0;

/// Shorter side (pixels) of the copy that the first detection pass scans.
pub const PORTRAIT_SCAN_SIDE: u32 = 160;

/// SeetaFace box to dlib HOG box (`vision::detect::DLIB_BOX_ADJUST`): 6.1% of
/// the side lower, 5.6% smaller, centred the same horizontally. Offsets in box
/// sides from SeetaFace's centre, and the side's scale.
///
/// Calibrated on the 40 Canada portraits (ignored test `calibrate_box_adjust`): on
/// the boxes the model was trained on, the model's mean shape fitted (by scale and
/// shift) to the predicted points lands on the box itself on average, so the box
/// implied by the landmarks is dlib's box. Averaged over the portraits that box sits
/// at dx = -0.003, dy = +0.061 box sides from SeetaFace's centre with side 0.944, and
/// iterating (detect, adjust, predict, refit) stays there. Checked by eye on overlays
/// (ignored test `render_overlays`): with the raw box the jaw points sat on the ears
/// and the chin below the chin; adjusted, they follow the face outline.
pub const DLIB_BOX_DX: f32 = 0.0;
/// See [`DLIB_BOX_DX`].
pub const DLIB_BOX_DY: f32 = 0.061;
/// See [`DLIB_BOX_DX`].
pub const DLIB_BOX_SCALE: f32 = 0.944;

// ---- Skin tone ----

/// Skin lightness (L*) of a well exposed portrait, the exposure reference.
pub const REFERENCE_SKIN_L: f64 = 65.0;

/// How far the exposure is pulled towards the reference: 0 none, 1 all the way.
/// Chosen on the odd-numbered OMI faces among 0.3, 0.5, 0.6, 0.7, 0.8 and
/// 0.85 (0.5 before; the drawn pack's darkest skins read a class lighter for
/// it, see docs/photo-pipeline.md, *On the drawn pack*).
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

/// The skin colour's pixels: within this ΔE*ab of the first median of the
/// middle 70% by lightness (no lips, stubble or strands of hair), and below
/// the nose within this of the skin above it (no beard or stubble).
pub const SKIN_CLOSE_BELOW: f64 = 15.0;

/// The model is fitted to ln(crowd + `SKIN_LOG_OFFSET`): the crowd's scale is
/// crowded at the light end (median 20, a long tail to 89), and on the log
/// scale a colour difference counts about as much among light faces as among
/// dark ones (OMI held-out levels: 0.818 / 0.827 against 0.792 / 0.822 fitted
/// to the crowd's own scale).
pub const SKIN_LOG_OFFSET: f64 = 5.0;

/// The ridge penalty of the skin tone model's fit on standardised inputs, chosen on OMI's
/// odd-numbered faces, scored on the even (`lab`'s `skin_fit` prints the
/// grid).
pub const SKIN_FIT_PENALTY: f64 = 100.0;

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

/// The hair's colour (`vision::measure`): pixels over the head and at the
/// temples count as hair unless within this ΔE*ab of the skin...
pub const HAIR_NOT_SKIN_BELOW: f64 = 14.0;
/// ...or within this of the image's top corners (the background).
pub const HAIR_NOT_BACKGROUND_BELOW: f64 = 12.0;

/// The hair colour model's crown (`vision::hair_color`): a crown pixel is hair when at least this far (ΔE) from the skin...
pub const HAIR_CROWN_SKIN_DISTANCE: f64 = 10.0;
/// ...and from both top corners' colours.
pub const HAIR_CROWN_BACKGROUND_DISTANCE: f64 = 8.0;
/// The ridge penalty of the hair colour model's fit on standardised inputs, chosen on OMI's
/// odd-numbered faces, scored on the even (`lab`'s `hair_fit` prints the
/// grid).
pub const HAIR_FIT_PENALTY: f64 = 30.0;

// ---- Hair length (shares of hair- and skin-coloured pixels) ----

/// A pixel beside the jaw is hair-like when nearer the hair colour than the
/// skin and the background, and within this ΔE*ab of it.
pub const HAIR_LIKE_BELOW: f64 = 20.0;
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

// ---- Eyebrows ----

/// A pixel around a brow landmark is brow when darker than the skin's L* by
/// more than this.
pub const BROW_DARKER_BY: f64 = 12.0;

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
/// 3dsk taken together (docs/model.md, *Appeal*).
pub const RIDGE_APPEAL: f64 = 20.0;

/// On each face network descriptor number (in spreads), heavy: 128 of them
/// against a few dozen ratings. In the bench 1000 beat 500 on MEBeauty and
/// 3dsk, and in a Python trial 2000 and 3000 did worse on MEBeauty
/// (docs/model.md, *Appeal*).
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

/// Candidates whose scores `model::questions::contest::leaders_variance_drop` sharpens: the reveal
/// is one of the few the blend ranks highest. 5 beat 3, 10 and the two
/// leaders alone on MEBeauty (docs/model.md, *Adaptive order*).
pub const DESIGN_LEADERS: usize = 5;

// ---- The reveal ----

/// The live guess reads "settling" (not "still changing") once the pick has
/// stayed the same this many ratings in a row: from there on, at least half
/// of the picks are still the pick at the end of the round (simulated
/// players on the bundled pack: 53% at 3 in a row, 38% for a new pick, 66%
/// at `ui::app::SETTLED_AFTER`; `cargo run --release --example reveal_words`).
pub const SETTLING_FROM: usize = 3;
/// The smallest effect (in rating points of the expected rating) for which
/// a reason is named: below it, the named level is mostly noise from a few
/// ratings. Simulated players on the bundled pack (`cargo run --release
/// --example reveal_words`): of the reasons their final picks got, those
/// of 0.3-0.4 named a level the player really likes 34% of the time, those
/// of 0.4-0.6 60% and those above 0.6 84%; from 0.4 a named reason is more
/// likely real than not, and a pick keeps 2.3 of them on average.
pub const MIN_REASON_EFFECT: f64 = 0.4;

/// Below this gap between the pick's and the runner-up's expected ratings
/// the two read the same, a close call (the reveal prints them to 0.1).
pub const CLOSE_CALL: f64 = 0.05;

/// Confidences from which a pick reads "strong match", "good bet" and
/// "hunch" (`game::recommend::Sureness`; below, "long shot"). The words
/// read the number as what it is, a chance: on the picks the
/// game shows it is if anything modest (simulated players, final reveals
/// at 60-80%: 87% rated Slightly like or Type; `examples/reveal_words`),
/// so the words do not oversell.
pub const STRONG_MATCH_FROM: f64 = 0.75;
pub const GOOD_BET_FROM: f64 = 0.5;
/// On 3dsk's real raters (a photo pack, 30 ratings learnt, the pick among
/// the 20 other faces), picks under 20% sure were rated Slightly like or
/// Type 19% of the time, those of 20-40% 57%: under 20% is a long shot.
pub const HUNCH_FROM: f64 = 0.2;
