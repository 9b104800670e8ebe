//! The `mytype rate` line parser: never panics, and what it accepts prints
//! back to a line that parses the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mytype::core::rating::parse_rate_line;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    match parse_rate_line(line) {
        Ok(Some((face, rating))) => {
            assert!(!face.is_empty() && !face.contains(char::is_whitespace));
            let again = parse_rate_line(&format!("{face} {}", rating.value()));
            assert_eq!(again, Ok(Some((face.clone(), rating))));
            let labelled = parse_rate_line(&format!("{face} {}", rating.label()));
            assert_eq!(labelled, Ok(Some((face, rating))));
        }
        Ok(None) => {}
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
