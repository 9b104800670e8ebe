//! Reading a ratings file and mapping each rater's ratings onto the game's
//! five levels.

use super::BenchError;
use crate::core::csv_table::CsvTable;
use crate::core::rating::Rating;
use crate::pack::Pack;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One rating as read.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRating {
    pub rater: String,
    pub face: String,
    pub value: f64,
}

/// A ratings file as read ([`read_ratings_file`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RatingsFile {
    pub ratings: Vec<RawRating>,
    /// Lines whose rating was missing (see `is_missing`): skipped.
    pub missing_lines: Vec<usize>,
}

/// Whether a rating cell says there is no rating: empty, or a marker that
/// spreadsheets, R and pandas write for a missing value (`NA`, `N/A`,
/// `NaN`, `null`, `None`, any case). Cells come trimmed ([`CsvTable`]).
fn is_missing(cell: &str) -> bool {
    cell.is_empty()
        || ["na", "n/a", "nan", "null", "none"]
            .iter()
            .any(|m| cell.eq_ignore_ascii_case(m))
}

/// Reads a `rater,face,rating` CSV (header required; extra columns ignored;
/// see [`CsvTable`] for the forms it accepts). A row without a rating (see
/// `is_missing`) is skipped and its line noted; any other rating that is
/// not a finite number is an error.
pub fn read_ratings_file(path: &Path) -> Result<RatingsFile, BenchError> {
    let table = CsvTable::read(path)?;
    let (rc, fc, vc) = (
        table.column("rater")?,
        table.column("face")?,
        table.column("rating")?,
    );
    let mut out = RatingsFile {
        ratings: Vec::new(),
        missing_lines: Vec::new(),
    };
    for row in table.rows() {
        let get = |c: usize| {
            row.get(c).ok_or_else(|| {
                table.error(row.line, format!("missing cell `{}`", table.columns()[c]))
            })
        };
        let cell = get(vc)?;
        if is_missing(cell) {
            out.missing_lines.push(row.line);
            continue;
        }
        let value: f64 = table
            .number(cell)
            .ok_or_else(|| table.error(row.line, format!("rating \"{cell}\" is not a number")))?;
        if !value.is_finite() {
            return Err(table.error(row.line, "rating is not finite".into()).into());
        }
        out.ratings.push(RawRating {
            rater: get(rc)?.to_string(),
            face: get(fc)?.to_string(),
            value,
        });
    }
    Ok(out)
}

/// [`read_ratings_file`]'s ratings, rows without a rating left out.
pub fn read_ratings(path: &Path) -> Result<Vec<RawRating>, BenchError> {
    Ok(read_ratings_file(path)?.ratings)
}

/// Maps a value of the scale `min..=max` onto the five levels.
pub fn to_level(value: f64, min: f64, max: f64) -> Rating {
    let t = if max > min {
        (value - min) / (max - min)
    } else {
        0.5
    };
    let v = 1.0 + (4.0 * t.clamp(0.0, 1.0)).round();
    Rating::from_value(v as u8).unwrap_or(Rating::Normal)
}

/// Ratings per rater: (face index in the pack, level).
pub type ByRater<'a> = BTreeMap<&'a str, Vec<(usize, Rating)>>;

/// Each rater's ratings on `pack`'s faces as (face index, level), in the
/// file's order; a face is named by its id or the file stem it was built
/// from; ratings of faces the pack lacks are left out, and the scale
/// is the file's range over the rest (see [`to_level`]). A face a rater
/// rated more than once counts once, at the mean of those ratings: a
/// repeated row (MEBeauty's `ratings_date.csv` has 1,901, nearly all the
/// same value twice) could otherwise land in both the training and the
/// held-out faces and hand every model the answer.
pub fn ratings_by_rater<'a>(
    pack: &Pack,
    ratings: &'a [RawRating],
) -> Result<ByRater<'a>, BenchError> {
    let index: HashMap<&str, usize> = pack
        .faces()
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    // A ratings file names faces by file stem, as `pack build --info` does,
    // or by file name; the pack's id is the stem made file-name safe (`a(1)`
    // is `a_1_`).
    let find = |face: &str| {
        index
            .get(face)
            .or_else(|| index.get(crate::pack::build::face_id(face).as_str()))
    };
    let usable: Vec<(&RawRating, usize)> = ratings
        .iter()
        .filter_map(|r| {
            let i = find(&r.face).or_else(|| {
                let stem = Path::new(&r.face).file_stem()?.to_str()?;
                find(stem)
            })?;
            Some((r, *i))
        })
        .collect();
    if usable.is_empty() {
        return Err(BenchError::NoRatings(pack.name().to_string()));
    }
    let (min, max) = usable.iter().fold((f64::MAX, f64::MIN), |(a, b), (r, _)| {
        (a.min(r.value), b.max(r.value))
    });
    // Per rater: (face, sum, count) in the order of first appearance.
    let mut sums: BTreeMap<&str, Vec<(usize, f64, u32)>> = BTreeMap::new();
    let mut slot: HashMap<(&str, usize), usize> = HashMap::new();
    for (r, i) in usable {
        let faces = sums.entry(r.rater.as_str()).or_default();
        match slot.get(&(r.rater.as_str(), i)) {
            Some(&k) => {
                faces[k].1 += r.value;
                faces[k].2 += 1;
            }
            None => {
                slot.insert((r.rater.as_str(), i), faces.len());
                faces.push((i, r.value, 1));
            }
        }
    }
    Ok(sums
        .into_iter()
        .map(|(rater, faces)| {
            let levels = faces
                .into_iter()
                .map(|(i, sum, n)| (i, to_level(sum / f64::from(n), min, max)))
                .collect();
            (rater, levels)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_map_to_five_levels() {
        assert_eq!(to_level(1.0, 1.0, 10.0), Rating::VeryWeak);
        assert_eq!(to_level(10.0, 1.0, 10.0), Rating::Type);
        assert_eq!(to_level(5.5, 1.0, 10.0), Rating::Normal);
        assert_eq!(to_level(4.0, 1.0, 7.0), Rating::Normal);
        assert_eq!(to_level(7.0, 1.0, 7.0), Rating::Type);
        assert_eq!(to_level(3.0, 3.0, 3.0), Rating::Normal);
    }

    #[test]
    fn missing_ratings_are_skipped_and_other_words_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(
            &path,
            "rater,face,rating\na,f1,3\na,f2,NA\nb,f1, nan \nb,f2,null\nb,f3,N/A\nc,f1,None\nc,f2,7\n",
        )
        .unwrap();
        let file = read_ratings_file(&path).unwrap();
        assert_eq!(file.missing_lines, [3, 4, 5, 6, 7]);
        let values: Vec<f64> = file.ratings.iter().map(|r| r.value).collect();
        assert_eq!(values, [3.0, 7.0]);
        for bad in ["inf", "high", "3 stars"] {
            std::fs::write(&path, format!("rater,face,rating\na,f1,{bad}\n")).unwrap();
            assert!(read_ratings_file(&path).is_err(), "{bad}");
        }
    }

    /// A drawn pack of `models` faces to rate, in a folder kept while it lives.
    fn drawn_pack(models: usize) -> (tempfile::TempDir, Pack) {
        let dir = tempfile::tempdir().unwrap();
        let opts = crate::pack::generate::GenerateOptions {
            models,
            celebrities: 0,
            ..Default::default()
        };
        crate::pack::generate::generate_pack(dir.path(), &opts).unwrap();
        let pack = Pack::load(dir.path()).unwrap();
        (dir, pack)
    }

    #[test]
    fn a_face_rated_twice_counts_once_at_the_mean() {
        let (_dir, pack) = drawn_pack(10);
        let ids: Vec<&str> = pack.faces().iter().map(|f| f.id.as_str()).collect();
        let raw = |rater: &str, face: &str, value: f64| RawRating {
            rater: rater.into(),
            face: face.into(),
            value,
        };
        let ratings = [
            raw("a", ids[0], 1.0),
            raw("a", ids[1], 10.0),
            raw("a", ids[0], 5.5),
            raw("a", "not-in-the-pack", 4.0),
            raw("b", ids[0], 10.0),
            raw("a", ids[2], 4.0),
        ];
        let by = ratings_by_rater(&pack, &ratings).unwrap();
        assert_eq!(
            by["a"],
            [
                (0, Rating::SlightlyWeak),
                (1, Rating::Type),
                (2, Rating::SlightlyWeak)
            ],
            "face 0 once, at (1 + 5.5) / 2 on the 1-10 scale"
        );
        assert_eq!(by["b"], [(0, Rating::Type)]);
    }

    #[test]
    fn a_face_is_found_by_the_file_stem_or_name_it_was_built_from() {
        let (dir, _) = drawn_pack(10);
        // `pack build` made "Ann Smith(1).jpg" the id `Ann_Smith_1_`.
        let manifest = dir.path().join("pack.ron");
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(
            &manifest,
            text.replacen("id: \"m001\"", "id: \"Ann_Smith_1_\"", 1),
        )
        .unwrap();
        let pack = Pack::load(dir.path()).unwrap();
        let at = pack
            .faces()
            .iter()
            .position(|f| f.id == "Ann_Smith_1_")
            .unwrap();
        let rating = |face: &str, value: f64| RawRating {
            rater: "r".into(),
            face: face.into(),
            value,
        };
        let ratings = [
            rating("Ann Smith(1)", 5.0),
            rating(&pack.faces()[(at + 1) % 10].id, 1.0),
        ];
        let by = ratings_by_rater(&pack, &ratings).unwrap();
        assert_eq!(by["r"][0], (at, Rating::Type));
        let by_name = [
            rating("Ann Smith(1).jpg", 5.0),
            rating(&format!("{}.png", pack.faces()[(at + 1) % 10].id), 1.0),
            rating("nobody.jpg", 3.0),
        ];
        let by = ratings_by_rater(&pack, &by_name).unwrap();
        assert_eq!(
            by["r"],
            [(at, Rating::Type), ((at + 1) % 10, Rating::VeryWeak)]
        );
    }
}
