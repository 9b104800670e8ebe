//! The CSV files players and scripts hand to mytype (`pack build --info`,
//! `bench --ratings`), read as spreadsheets and scripts write them: a header
//! row naming the columns (any case, any order, extra columns ignored),
//! quoted fields (`"Smith, Ann"`), a UTF-8 byte-order mark, CRLF line ends,
//! rows of different lengths. Cells are trimmed. The separator is a comma,
//! or, when the header line has no comma, a semicolon (spreadsheets where
//! the comma is the decimal mark write those) or a tab; in such a file a
//! number written with a decimal comma (`3,5`) reads as `3.5`
//! ([`CsvTable::number`]), while text such as names and ids stays as written.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("{path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}{at}: {message}", path = .path.display(), at = line_suffix(*.line))]
    Parse {
        path: PathBuf,
        /// 1-based; 0 when the parser did not say where.
        line: usize,
        message: String,
    },
    /// Not read at all: a pipe or device, or over [`MAX_CSV_BYTES`].
    #[error("{path}: {why}", path = .path.display())]
    Refused { path: PathBuf, why: String },
}

/// `:LINE` after a path, or nothing for line 0 (position unknown).
fn line_suffix(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

/// Largest CSV file read (`bench --ratings`, `pack build --info`): the file
/// is held whole with its rows, and the bench keeps each rating too, which
/// together cost up to about 50 bytes of memory per byte of a file of very
/// short rows (`r,m,3`), so this keeps a hostile file under 512 MiB
/// (docs/shared-box.md, *Limits*). The largest real ratings file we know
/// (MEBeauty's, 2.5 MB) fits three times over.
pub const MAX_CSV_BYTES: u64 = 8 * 1024 * 1024;

/// A CSV file read whole: its lower-cased column names and its data rows.
#[derive(Debug)]
pub struct CsvTable {
    path: PathBuf,
    columns: Vec<String>,
    rows: Vec<CsvRow>,
    /// The comma does not separate, so it may be a decimal mark.
    decimal_comma: bool,
}

/// One data row and the line it starts on.
#[derive(Debug)]
pub struct CsvRow {
    pub line: usize,
    cells: csv::StringRecord,
}

impl CsvRow {
    /// The trimmed cell in column `col`; `None` when the row is shorter.
    pub fn get(&self, col: usize) -> Option<&str> {
        self.cells.get(col)
    }

    /// 1-based character column where cell `col` starts on its line (exact
    /// when no cell before it is quoted).
    pub fn char_column(&self, col: usize) -> usize {
        (0..col)
            .map(|i| self.cells.get(i).map_or(0, |c| c.chars().count()) + 1)
            .sum::<usize>()
            + 1
    }

    /// True when every cell is empty (a blank line, or only commas).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(str::is_empty)
    }
}

impl CsvTable {
    /// Reads a CSV file: a regular file of at most [`MAX_CSV_BYTES`] (a
    /// named pipe is refused, not waited on).
    pub fn read(path: &Path) -> Result<Self, CsvError> {
        use crate::core::files::{open_regular, read_capped, OpenError};
        let refused = |e: OpenError| match e {
            OpenError::Io(source) => CsvError::Io {
                path: path.to_path_buf(),
                source,
            },
            OpenError::TooLarge { size, limit } => CsvError::Refused {
                path: path.to_path_buf(),
                why: format!(
                    "the file is {:.1} MiB, over the limit of {} MiB for a CSV file; split it, \
                     or keep only the rows you need",
                    size as f64 / (1024.0 * 1024.0),
                    limit / (1024 * 1024)
                ),
            },
            e @ OpenError::NotRegular(_) => CsvError::Refused {
                path: path.to_path_buf(),
                why: format!("{e}, so it was not read"),
            },
        };
        let (file, _) = open_regular(path, false, MAX_CSV_BYTES).map_err(refused)?;
        let bytes = read_capped(file, MAX_CSV_BYTES).map_err(refused)?;
        Self::from_bytes(path, &bytes)
    }

    /// Reads CSV text; `path` names it in errors.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, CsvError> {
        let parse_err = |e: csv::Error| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            let message = e.to_string();
            match e.into_kind() {
                csv::ErrorKind::Io(source) => CsvError::Io {
                    path: path.to_path_buf(),
                    source,
                },
                kind => CsvError::Parse {
                    path: path.to_path_buf(),
                    line,
                    message: if matches!(kind, csv::ErrorKind::Utf8 { .. }) {
                        "not UTF-8 text".into()
                    } else {
                        message
                    },
                },
            }
        };
        let separator = separator(bytes);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(separator)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let columns = csv
            .headers()
            .map_err(parse_err)?
            .iter()
            .map(str::to_lowercase)
            .collect();
        let mut rows = Vec::new();
        // Lines are counted here: the reader's own record position points at
        // any blank lines it skipped, or at the LF of a CRLF, before the record.
        let (mut counted_to, mut line) = (0usize, 1usize);
        let mut cells = csv::StringRecord::new();
        loop {
            let mut start = csv.position().byte() as usize;
            if !csv.read_record(&mut cells).map_err(parse_err)? {
                break;
            }
            while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            let skipped = bytes.get(counted_to..start).unwrap_or_default();
            line += skipped.iter().filter(|&&b| b == b'\n').count();
            counted_to = start;
            rows.push(CsvRow {
                line,
                cells: cells.clone(),
            });
        }
        Ok(CsvTable {
            path: path.to_path_buf(),
            columns,
            rows,
            decimal_comma: separator != b',',
        })
    }

    /// The index of column `name` (lower case), or an error at line 1.
    pub fn column(&self, name: &str) -> Result<usize, CsvError> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| self.error(1, format!("missing column `{name}`")))
    }

    /// Column `value`'s numbers by column `key`'s text, for the rows where
    /// the value is a number (e.g. a crowd mean per face).
    pub fn numbers(
        &self,
        key: &str,
        value: &str,
    ) -> Result<std::collections::HashMap<&str, f64>, CsvError> {
        let (key, value) = (self.column(key)?, self.column(value)?);
        Ok(self
            .rows()
            .filter_map(|r| Some((r.get(key)?, self.number(r.get(value)?)?)))
            .collect())
    }

    /// A cell as a number: `3.5`, or `3,5` where the comma does not
    /// separate (see the module docs).
    pub fn number(&self, cell: &str) -> Option<f64> {
        self.numeric_text(cell).parse().ok()
    }

    /// A cell meant as a number, with its decimal comma made a point where
    /// the comma does not separate; other text is returned as it is.
    pub fn numeric_text<'a>(&self, cell: &'a str) -> std::borrow::Cow<'a, str> {
        if self.decimal_comma {
            decimal_point(cell)
        } else {
            cell.into()
        }
    }

    /// Column names, lower-cased, in file order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Data rows in file order, blank lines left out.
    pub fn rows(&self) -> impl Iterator<Item = &CsvRow> {
        self.rows.iter().filter(|r| !r.is_blank())
    }

    /// An error about this file at `line`.
    pub fn error(&self, line: usize, message: String) -> CsvError {
        CsvError::Parse {
            path: self.path.clone(),
            line,
            message,
        }
    }
}

/// The separator of the file whose text is `bytes`: a comma, unless the
/// header line has none and has a semicolon or a tab.
fn separator(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .find(|sep| header.contains(sep))
        .unwrap_or(b',')
}

/// `cell` with its decimal comma made a point when it is a number written
/// with one (`-3,5`), else unchanged.
fn decimal_point(cell: &str) -> std::borrow::Cow<'_, str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    match unsigned.split_once(',') {
        Some((whole, fraction)) if digits(whole) && digits(fraction) => {
            cell.replacen(',', ".", 1).into()
        }
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &[u8]) -> Result<CsvTable, CsvError> {
        CsvTable::from_bytes(Path::new("t.csv"), text)
    }

    #[test]
    fn a_parse_error_without_a_position_names_no_line() {
        let error = |line| {
            CsvError::Parse {
                path: "t.csv".into(),
                line,
                message: "bad".into(),
            }
            .to_string()
        };
        assert_eq!(error(0), "t.csv: bad");
        assert_eq!(error(3), "t.csv:3: bad");
    }

    #[test]
    fn spreadsheet_exports_read_like_plain_files() {
        let plain = table(b"face,Name,sex\na,Ann Smith,female\nb,Bo,male\n").unwrap();
        let exported =
            table(b"\xef\xbb\xbf\"Face\",\"Name\",Sex \r\n\"a\",\"Ann Smith\",female\r\n\r\nb, Bo ,male\r\n")
                .unwrap();
        for t in [&plain, &exported] {
            assert_eq!(t.columns(), ["face", "name", "sex"]);
            let rows: Vec<Vec<&str>> = t
                .rows()
                .map(|r| (0..3).filter_map(|c| r.get(c)).collect())
                .collect();
            assert_eq!(rows, [["a", "Ann Smith", "female"], ["b", "Bo", "male"]]);
        }
        let lines: Vec<usize> = exported.rows().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4], "the blank line is skipped but still counted");
    }

    #[test]
    fn semicolons_and_tabs_separate_when_the_header_has_no_comma() {
        for text in [
            &b"rater;Face;rating\r\nr1;\"Smith, Ann\";3\r\n"[..],
            &b"rater\tface\trating\nr1\tSmith, Ann\t3\n"[..],
        ] {
            let t = table(text).unwrap();
            assert_eq!(t.columns(), ["rater", "face", "rating"]);
            let row = t.rows().next().unwrap();
            assert_eq!(row.get(1), Some("Smith, Ann"));
            assert_eq!(row.get(2), Some("3"));
        }
        // A comma in the header wins: semicolons in cells stay text.
        let t = table(b"face,note\na,x;y\n").unwrap();
        assert_eq!(t.rows().next().unwrap().get(1), Some("x;y"));
    }

    #[test]
    fn a_decimal_comma_reads_as_a_point_where_commas_do_not_separate() {
        let t = table(b"rater;face;rating\nr1;1,5;3,5\nr2;b;-0,25\nr3;c;x, y\n").unwrap();
        let rows: Vec<&CsvRow> = t.rows().collect();
        let numbers: Vec<Option<f64>> = rows.iter().map(|r| t.number(r.get(2).unwrap())).collect();
        assert_eq!(numbers, [Some(3.5), Some(-0.25), None]);
        // Ids and text stay as written, even one that looks like a number.
        assert_eq!(rows[0].get(1), Some("1,5"));
        assert_eq!(t.numeric_text("1,2,3"), "1,2,3");
        assert_eq!(t.numeric_text(",5"), ",5");
        assert_eq!(t.numeric_text("+7,0"), "+7.0");
        // Where the comma separates, a quoted "3,5" is not a number.
        let t = table(b"face,rating\na,\"3,5\"\n").unwrap();
        let row = t.rows().next().unwrap();
        assert_eq!(row.get(1), Some("3,5"));
        assert_eq!(t.number(row.get(1).unwrap()), None);
    }

    #[test]
    fn quoted_commas_stay_in_their_cell_and_short_rows_are_kept() {
        let t = table(b"face,name,age\na,\"Smith, Ann\",30\nb\nc,\"two\nlines\",40\n\nd,bad,x\n")
            .unwrap();
        let rows: Vec<&CsvRow> = t.rows().collect();
        assert_eq!(rows[0].get(1), Some("Smith, Ann"));
        assert_eq!(rows[0].get(2), Some("30"));
        assert_eq!(rows[1].get(0), Some("b"));
        assert_eq!(rows[1].get(1), None);
        assert_eq!(rows[0].char_column(2), 14);
        assert_eq!(rows[2].get(1), Some("two\nlines"));
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 7], "a row's line is where it starts");
    }

    #[test]
    fn a_missing_column_and_bad_text_are_errors_with_their_line() {
        let t = table(b"\xef\xbb\xbfrater,face\n").unwrap();
        assert_eq!(
            t.columns(),
            ["rater", "face"],
            "the byte-order mark is not in the name"
        );
        let err = t.column("rating").unwrap_err().to_string();
        assert_eq!(err, "t.csv:1: missing column `rating`");
        let err = table(b"face,name\na,\xff\xfe\n").unwrap_err().to_string();
        assert_eq!(err, "t.csv:2: not UTF-8 text");
    }

    #[test]
    fn numbers_by_key_skip_rows_without_a_number() {
        let t = table(
            b"face,age,name
a,30,x
b,,y
c,old,z
d,41.5,w
",
        )
        .unwrap();
        let ages = t.numbers("face", "age").unwrap();
        assert_eq!(ages.len(), 2);
        assert_eq!((ages["a"], ages["d"]), (30.0, 41.5));
        assert!(t.numbers("face", "height").is_err());
    }
}
