//! Reading dlib's `serialize.h` encodings: its variable-length integers, its
//! portable floats and its strings, shared by the landmark model reader and
//! the face descriptor network reader.

/// Where and why a dlib file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub what: String,
    pub offset: usize,
}

/// A position in the model's bytes.
pub struct Cursor<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
}

impl Cursor<'_> {
    pub fn error(&self, what: String) -> FormatError {
        FormatError {
            what,
            offset: self.pos,
        }
    }

    pub fn byte(&mut self, what: &str) -> Result<u8, FormatError> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or_else(|| self.error(format!("file ends (truncated?) while reading {what}")))?;
        self.pos += 1;
        Ok(b)
    }

    /// The magnitude bytes of an integer whose control byte gave `size`.
    pub fn magnitude(&mut self, size: usize, what: &str) -> Result<u64, FormatError> {
        let bytes = self
            .buf
            .get(self.pos..self.pos + size)
            .ok_or_else(|| self.error(format!("file ends (truncated?) while reading {what}")))?;
        let v = bytes
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        self.pos += size;
        Ok(v)
    }

    /// dlib's `unpack_int` for an unsigned type of `max` bytes.
    pub fn unsigned(&mut self, max: usize, what: &str) -> Result<u64, FormatError> {
        let start = self.pos;
        let size = usize::from(self.byte(what)? & 0x8F);
        if size == 0 || size > max {
            self.pos = start;
            return Err(self.error(format!("bad integer control byte for {what}")));
        }
        self.magnitude(size, what)
    }

    /// dlib's `unpack_int` for a signed type of `max` bytes.
    pub fn signed(&mut self, max: usize, what: &str) -> Result<i64, FormatError> {
        let start = self.pos;
        let control = self.byte(what)?;
        let size = usize::from(control & 0x0F);
        if size == 0 || size > max {
            self.pos = start;
            return Err(self.error(format!("bad integer control byte for {what}")));
        }
        let v = self.magnitude(size, what)? as i64;
        Ok(if control & 0x80 != 0 {
            v.wrapping_neg()
        } else {
            v
        })
    }

    /// A container length, bounded by the bytes left (each element takes at least
    /// `min_bytes`), so a corrupt length cannot ask for a huge allocation.
    pub fn length(&mut self, min_bytes: usize, what: &str) -> Result<usize, FormatError> {
        let start = self.pos;
        let n = self.unsigned(8, what)?;
        let left = (self.buf.len() - self.pos) as u64;
        if n.saturating_mul(min_bytes as u64) > left {
            self.pos = start;
            return Err(self.error(format!(
                "{what} is {n}, more than the file holds (truncated or corrupt)"
            )));
        }
        Ok(n as usize)
    }

    /// An `unsigned long` index, narrowed to u32.
    pub fn index(&mut self, what: &str) -> Result<u32, FormatError> {
        let start = self.pos;
        let v = self.unsigned(8, what)?;
        u32::try_from(v).map_err(|_| {
            self.pos = start;
            self.error(format!("{what} {v} is out of range"))
        })
    }

    /// A float in dlib's portable `float_details` format.
    pub fn float(&mut self, what: &str) -> Result<f32, FormatError> {
        let first = *self
            .buf
            .get(self.pos)
            .ok_or_else(|| self.error(format!("file ends (truncated?) while reading {what}")))?;
        if first & 0x70 != 0 {
            return Err(self.error(format!(
                "{what} uses dlib's old text float format, which is not supported"
            )));
        }
        let mantissa = self.signed(8, what)?;
        let exponent = self.signed(2, what)? as i16;
        Ok(match exponent {
            32000 => f32::INFINITY,
            32001 => f32::NEG_INFINITY,
            e if e > 32001 => f32::NAN,
            e => ldexp(mantissa as f32, i32::from(e)),
        })
    }

    /// A `matrix<float,0,1>`.
    pub fn column_vector(&mut self, what: &str) -> Result<Vec<f32>, FormatError> {
        let mut v = Vec::new();
        self.column_vector_into(what, &mut v)?;
        Ok(v)
    }

    pub fn column_vector_into(
        &mut self,
        what: &str,
        out: &mut Vec<f32>,
    ) -> Result<(), FormatError> {
        let start = self.pos;
        let mut rows = self.signed(8, what)?;
        let mut cols = self.signed(8, what)?;
        if rows < 0 || cols < 0 {
            rows = rows.wrapping_neg();
            cols = cols.wrapping_neg();
        }
        if cols != 1 || rows < 0 {
            self.pos = start;
            return Err(self.error(format!(
                "{what} is a {rows}x{cols} matrix, expected a column vector"
            )));
        }
        // a float takes at least 4 bytes (two integers of at least 2 bytes)
        let rows = rows as u64;
        if rows.saturating_mul(4) > (self.buf.len() - self.pos) as u64 {
            self.pos = start;
            return Err(self.error(format!(
                "{what} has {rows} rows, more than the file holds (truncated or corrupt)"
            )));
        }
        out.reserve(rows as usize);
        for _ in 0..rows {
            out.push(self.float(what)?);
        }
        Ok(())
    }

    /// A `std::string`: its length as an integer, then its bytes.
    pub fn string(&mut self, what: &str) -> Result<String, FormatError> {
        let n = self.length(1, what)?;
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }

    /// `n` little-endian IEEE floats, as dlib writes a tensor's data.
    pub fn raw_floats(&mut self, n: usize, what: &str) -> Result<Vec<f32>, FormatError> {
        let bytes = n
            .checked_mul(4)
            .and_then(|len| self.buf.get(self.pos..self.pos.checked_add(len)?))
            .ok_or_else(|| self.error(format!("file ends (truncated?) while reading {what}")))?;
        self.pos += n * 4;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    /// A DNN `tensor`: version 2, its four dimensions (samples, channels,
    /// rows, columns), then its data as raw floats.
    pub fn tensor(&mut self, what: &str) -> Result<([usize; 4], Vec<f32>), FormatError> {
        let dims = self.dimensions(2, what)?;
        let n = dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
        let n = n.ok_or_else(|| self.error(format!("{what} is too large")))?;
        Ok((dims, self.raw_floats(n, what)?))
    }

    /// An `alias_tensor` (a view into a layer's parameters): version 1 and
    /// its four dimensions, no data.
    pub fn alias_tensor(&mut self, what: &str) -> Result<[usize; 4], FormatError> {
        self.dimensions(1, what)
    }

    fn dimensions(&mut self, version: i64, what: &str) -> Result<[usize; 4], FormatError> {
        let found = self.signed(4, what)?;
        if found != version {
            return Err(self.error(format!("{what} has version {found}, expected {version}")));
        }
        let mut dims = [0usize; 4];
        for d in &mut dims {
            let v = self.signed(8, what)?;
            *d = usize::try_from(v).map_err(|_| self.error(format!("{what} has size {v}")))?;
        }
        Ok(dims)
    }

    /// Moves to the next place, from here on, where one of `tags` is written
    /// as a dlib string, and returns that tag; `None` at the end.
    pub fn seek_tag<'t>(&mut self, tags: &[&'t str]) -> Option<&'t str> {
        let rest = &self.buf[self.pos..];
        // One pass: a dlib string of under 256 bytes starts with 1, its length.
        for at in 0..rest.len().saturating_sub(2) {
            if rest[at] != 1 {
                continue;
            }
            let text = &rest[at + 2..];
            let hit = tags.iter().find(|tag| {
                usize::from(rest[at + 1]) == tag.len() && text.starts_with(tag.as_bytes())
            });
            if let Some(&tag) = hit {
                self.pos += at;
                return Some(tag);
            }
        }
        None
    }
}

/// `std::ldexp(float, int)`: `m * 2^e`, rounded once to f32.
pub fn ldexp(m: f32, e: i32) -> f32 {
    if m == 0.0 || !m.is_finite() {
        return m;
    }
    // m is exact in f64 and so is every power of two in range, so the product is
    // exact unless it leaves f64's range, far outside f32's.
    let e = e.clamp(-1100, 1100);
    let (e1, e2) = (e / 2, e - e / 2);
    (f64::from(m) * 2f64.powi(e1) * 2f64.powi(e2)) as f32
}
