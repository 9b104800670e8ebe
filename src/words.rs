//! Words for people: a count with the noun that agrees with it.
//!
//! Every message that counts something says "1 rating", "2 ratings", never
//! "rating(s)": the CLI, the game's screens and the library's errors all go
//! through [`count`] (or [`plural`] when the number stands apart).

/// `one` when `n` is 1, else `many`: `plural(n, "face", "faces")`.
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `n` followed by the noun that agrees with it: `count(1, "rating",
/// "ratings")` is "1 rating", `count(0, …)` "0 ratings".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(0, "rating", "ratings"), "0 ratings");
        assert_eq!(count(1, "rating", "ratings"), "1 rating");
        assert_eq!(count(2, "rating", "ratings"), "2 ratings");
        assert_eq!(count(11, "bad line", "bad lines"), "11 bad lines");
        assert_eq!(plural(1, "row matches", "rows match"), "row matches");
        assert_eq!(plural(3, "row matches", "rows match"), "rows match");
    }
}
