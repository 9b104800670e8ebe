//! Opening files someone else may have put there (a pack's images, a CSV, a
//! neighbour's profile) without waiting on them: a named pipe opened for
//! reading blocks until a writer comes, so such files are opened
//! `O_NONBLOCK` and checked with `fstat` before a byte is read.

use rustix::fs::{FileType, Mode, OFlags};
use std::path::Path;

/// What a file is, in words, for messages ("is a named pipe (FIFO)").
pub fn kind_name(kind: FileType) -> &'static str {
    match kind {
        FileType::RegularFile => "a regular file",
        FileType::Directory => "a folder",
        FileType::Symlink => "a symbolic link",
        FileType::Fifo => "a named pipe (FIFO)",
        FileType::Socket => "a socket",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Unknown => "not a regular file",
    }
}

/// Why [`open_regular`] refused a file.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Not a regular file: what it is.
    #[error("is {}, not a regular file", kind_name(*.0))]
    NotRegular(FileType),
    /// A regular file larger than the limit: its size.
    #[error("is {} MiB, over the limit of {} MiB", .size / (1024 * 1024), .limit / (1024 * 1024))]
    TooLarge { size: u64, limit: u64 },
}

/// Opens `path` for reading without blocking (a symbolic link is followed
/// unless `nofollow`, which makes one an `ELOOP` I/O error) and returns it
/// only if it is a regular file of at most `limit` bytes, with its size.
pub fn open_regular(
    path: &Path,
    nofollow: bool,
    limit: u64,
) -> Result<(std::fs::File, u64), OpenError> {
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    if nofollow {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(std::io::Error::from)?;
    let stat = rustix::fs::fstat(&fd).map_err(std::io::Error::from)?;
    let kind = FileType::from_raw_mode(stat.st_mode);
    if kind != FileType::RegularFile {
        return Err(OpenError::NotRegular(kind));
    }
    let size = stat.st_size as u64;
    if size > limit {
        return Err(OpenError::TooLarge { size, limit });
    }
    Ok((std::fs::File::from(fd), size))
}

/// Reads all of `file`, failing if it holds more than `limit` bytes (it may
/// have grown since it was opened).
pub fn read_capped(file: std::fs::File, limit: u64) -> Result<Vec<u8>, OpenError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(OpenError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}
