//! The game's vocabulary, below everything else: the five rating levels
//! ([`rating`]), the attributes faces are described by ([`attributes`]), the
//! table of tuned constants and cut points ([`tuning`]), the CSV tables
//! players and pack makers hand in ([`csv_table`]), opening files someone
//! else may have put there ([`files`]), text from others made safe to show
//! ([`sanitize`]), and counts and commands in words ([`words`]).

pub mod attributes;
pub mod csv_table;
pub mod files;
pub mod rating;
pub mod sanitize;
pub mod tuning;
pub mod words;
