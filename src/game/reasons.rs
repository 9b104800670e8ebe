//! The reveal's "why" in words: a pick's reasons as people read them, or
//! one honest sentence when none moved the pick enough to name. Shared by
//! the reveal screen (`ui::screens::reveal`) and the party card ([`super::card`]).

use crate::game::recommend::Recommendation;
use crate::model::Reason;

/// Readable reason: "hair colour: red" (see [`crate::core::attributes::trait_label`]).
pub fn reason_text(r: &Reason) -> String {
    crate::core::attributes::trait_label(&r.attribute, &r.level)
}

/// The "why" of a pick as the reveal and the card say it: its first `max`
/// reasons, or, when none moved the pick enough to name
/// ([`crate::core::tuning::MIN_REASON_EFFECT`]), one honest sentence instead.
/// Here, below the UI, because the card ([`crate::game::card`]) and the reveal
/// (`ui::screens::reveal`) both say it.
pub fn why(rec: &Recommendation, max: usize) -> Vec<String> {
    why_in(rec, max, true)
}

/// [`why`], where `more_to_rate` says whether faces are left to rate (if
/// not, a close call cannot ask for more ratings).
pub fn why_in(rec: &Recommendation, max: usize, more_to_rate: bool) -> Vec<String> {
    if rec.because.is_empty() {
        let close_call = rec.close_call();
        if close_call && !more_to_rate {
            return vec![WHY_CLOSE_ALL_RATED.to_string()];
        }
        return vec![why_none(close_call).to_string()];
    }
    rec.because.iter().take(max).map(reason_text).collect()
}

/// A close call with every face rated.
pub const WHY_CLOSE_ALL_RATED: &str =
    "Nothing stands out, and the runner-up is just as close: a close call between the two.";

/// The reveal's "why" when no reason moved the pick enough to name;
/// `close_call`: the runner-up reads the same.
pub fn why_none(close_call: bool) -> &'static str {
    if close_call {
        "Nothing stands out yet, and the runner-up is just as close: rate more faces for a sharper pick."
    } else {
        "No single feature stands out: many small ones add up."
    }
}
