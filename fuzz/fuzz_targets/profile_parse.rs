//! `Profile::parse` on arbitrary text: an error or a profile, never a panic;
//! a parsed profile survives a save/load round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mytype::profile::Profile;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.ron");
    if let Ok(profile) = Profile::parse(text, path) {
        let saved = profile.to_ron().expect("a parsed profile serialises");
        let again = Profile::parse(&saved, path).expect("a saved profile parses");
        assert_eq!(again, profile);
    }
});
