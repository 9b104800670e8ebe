//! The game's vocabulary, below everything else: the five rating levels,
//! the attributes faces are described by, the table of tuned constants and
//! cut points, and the CSV tables players and pack makers hand in.

pub mod attributes;
pub mod csv_table;
pub mod files;
pub mod rating;
pub mod sanitize;
pub mod tuning;
pub mod words;
