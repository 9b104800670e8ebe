//! Words for people: a count with the noun that agrees with it, and a
//! command as they would type it.
//!
//! Every message that counts something says "1 rating", "2 ratings", never
//! "rating(s)": the CLI, the game's screens and the library's errors all go
//! through [`count`] (or [`plural`] when the number stands apart). Every
//! hint that tells the player to run something writes the program with
//! [`program_word`] and its arguments with [`shell_word`].

use std::ffi::OsStr;
use std::path::Path;

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

/// An argument as the shell needs it typed: as it is when it is plain,
/// else quoted (`'my pack'`).
pub fn shell_word(arg: &OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    match shlex::bytes::try_quote(arg.as_bytes()) {
        Ok(quoted) => String::from_utf8_lossy(&quoted).into_owned(),
        Err(_) => arg.to_string_lossy().into_owned(),
    }
}

/// This program as the player started it, to put in a command they can
/// type: `mytype` when it was found on PATH, else the path they used
/// (`./mytype`, `target/release/mytype`), which works from the same folder.
pub fn program_word() -> String {
    match std::env::args_os().next() {
        Some(arg0) if Path::new(&arg0).components().count() > 1 => shell_word(&arg0),
        _ => "mytype".to_string(),
    }
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
