//! The sanitiser every untrusted string passes through before a terminal:
//! whatever the bytes, what it returns holds no control character (newlines
//! only when asked to keep them), and it keeps one character per character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mytype::core::sanitize::{is_inert, one_line, visible};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let line = one_line(&text);
    assert!(is_inert(line.as_bytes(), false), "{line:?}");
    assert_eq!(line.chars().count(), text.chars().count());
    let block = visible(&text, true);
    assert!(is_inert(block.as_bytes(), true), "{block:?}");
});
