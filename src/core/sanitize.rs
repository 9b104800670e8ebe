//! Text that came from someone else (a pack's names, another player's
//! profile, a photo's file name, a lock holder, an SSH guest) made safe to
//! show: no byte of it can move the cursor, retitle a window or clear a
//! screen. Every place that prints or draws such text goes through here.

use std::borrow::Cow;

/// `text` with every control character made visible: C0 controls and DEL
/// as their Unicode control pictures (ESC shows as `␛`), C1 controls and
/// the bidirectional overrides (which can make a name read backwards) as
/// `�`. Newlines are kept when `keep_newlines` (multi-line descriptions),
/// shown as `␊` otherwise.
pub fn visible(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_picture(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if needs_picture(c, keep_newlines) {
                    picture(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// [`visible`] for a one-line field: a name, a time, a lock holder.
pub fn one_line(text: &str) -> Cow<'_, str> {
    visible(text, false)
}

/// True when `c` must not reach a terminal as it is.
fn needs_picture(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' => !keep_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidirectional embeddings, overrides and isolates.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// What `c` shows as.
fn picture(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// True when `bytes`, as written to a terminal, hold no control byte but
/// newline (and carriage return, which a raw-mode terminal needs after it)
/// when `allow_newline`: the check tests run over whatever reached the screen.
pub fn is_inert(bytes: &[u8], allow_newline: bool) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars().all(|c| match c {
        '\n' | '\r' => allow_newline,
        c => !needs_picture(c, true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_and_c1_controls_show_as_pictures() {
        assert_eq!(one_line("a\u{1b}]2;pwned\u{7}b"), "a␛]2;pwned␇b");
        assert_eq!(one_line("x\u{9b}2Jy"), "x\u{fffd}2Jy");
        assert_eq!(one_line("tab\there"), "tab␉here");
        assert_eq!(one_line("del\u{7f}"), "del␡");
        assert_eq!(one_line("evil\u{202e}gnp.exe"), "evil\u{fffd}gnp.exe");
        assert_eq!(visible("two\nlines", true), "two\nlines");
        assert_eq!(one_line("two\nlines"), "two␊lines");
    }

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(one_line("Alex Müller 😀"), Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn nothing_shown_is_a_control(text in any::<String>(), keep in any::<bool>()) {
            let shown = visible(&text, keep);
            prop_assert!(is_inert(shown.as_bytes(), keep));
            prop_assert_eq!(shown.chars().count(), text.chars().count());
        }
    }
}
