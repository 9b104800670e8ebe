//! The bundled models' fitted numbers, as data files in `assets/` (not Rust
//! source): a header line `mytype weights NAME v1 COUNT`, then COUNT
//! little-endian f64, in the model's own field order. The fitting programs
//! in `lab/` write them; every f64 round-trips exactly.

/// Why a weights file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeightsError {
    #[error("not a `{name}` weights file (its header is missing or names another model)")]
    Header { name: String },
    #[error("`{name}` weights: {found} numbers, expected {expected}")]
    Count {
        name: String,
        found: usize,
        expected: usize,
    },
}

fn header(name: &str, count: usize) -> String {
    format!("mytype weights {name} v1 {count}\n")
}

/// The file for model `name` holding `values`.
pub fn encode(name: &str, values: &[f64]) -> Vec<u8> {
    let mut out = header(name, values.len()).into_bytes();
    for v in values {
        out.extend(v.to_le_bytes());
    }
    out
}

/// The `expected` numbers of a file written by [`encode`] for `name`.
pub fn decode(name: &str, bytes: &[u8], expected: usize) -> Result<Vec<f64>, WeightsError> {
    let body = bytes
        .strip_prefix(header(name, expected).as_bytes())
        .ok_or_else(|| WeightsError::Header {
            name: name.to_string(),
        })?;
    if body.len() != expected * 8 {
        return Err(WeightsError::Count {
            name: name.to_string(),
            found: body.len() / 8,
            expected,
        });
    }
    Ok(body
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("chunks of eight")))
        .collect())
}

/// Hands out a decoded file's numbers field by field, in order.
pub struct Fields<'a> {
    values: std::slice::Iter<'a, f64>,
}

impl<'a> Fields<'a> {
    pub fn new(values: &'a [f64]) -> Fields<'a> {
        Fields {
            values: values.iter(),
        }
    }

    /// The next number.
    pub fn scalar(&mut self) -> f64 {
        self.array::<1>()[0]
    }

    /// The next `N` numbers. The caller decoded exactly as many as its
    /// fields take, so running out is a bug, not bad input.
    pub fn array<const N: usize>(&mut self) -> [f64; N] {
        std::array::from_fn(|_| {
            *self
                .values
                .next()
                .expect("decode checked the count against the fields")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_exactly_and_bad_files_are_named() {
        let values = [1.0 / 3.0, -0.0, f64::MIN_POSITIVE, 6.02e23, 42.0];
        let bytes = encode("demo", &values);
        let back = decode("demo", &bytes, 5).unwrap();
        assert_eq!(
            back.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        let mut fields = Fields::new(&back);
        assert_eq!(fields.scalar(), 1.0 / 3.0);
        assert_eq!(fields.array::<2>()[1], f64::MIN_POSITIVE);
        assert!(matches!(
            decode("other", &bytes, 5),
            Err(WeightsError::Header { .. })
        ));
        assert!(matches!(
            decode("demo", &bytes, 4),
            Err(WeightsError::Header { .. })
        ));
        assert!(matches!(
            decode("demo", &bytes[..bytes.len() - 3], 5),
            Err(WeightsError::Count { found: 4, .. })
        ));
    }
}
