//! Opening files in a folder other users can write to. On a shared box a
//! neighbour can plant anything under a name mytype will open: a symbolic
//! link to one of your files (which a write would then overwrite), a named
//! pipe (which a read waits on forever), a link to `/dev/zero` (which a read
//! never finishes), a file of their own under your profile's name. So every
//! open here refuses symbolic links (`O_NOFOLLOW`) and never waits
//! (`O_NONBLOCK`), then checks with `fstat` what it actually opened.

use super::ProfileError;
use rustix::fs::{FileType, Mode, OFlags};
use std::io::Read;
use std::path::Path;

/// Largest profile file read: a profile of [`super::MAX_RATINGS`] ratings
/// takes about 10 MiB; anything larger is refused unread, which bounds what
/// reading a hostile file costs (about 8 bytes of memory per byte of file).
pub const MAX_PROFILE_BYTES: u64 = 16 * 1024 * 1024;

/// Whether a symbolic link as the last part of the path is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// A path the player typed: their own link is theirs to follow.
    Yes,
    /// A name in the profiles folder: a link there may be a neighbour's trap.
    No,
}

/// The caller's effective user id.
pub fn my_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

pub use crate::core::files::kind_name;

fn refused(path: &Path, why: String, fix: impl Into<String>) -> ProfileError {
    ProfileError::Refused {
        path: path.to_path_buf(),
        why,
        fix: fix.into(),
    }
}

/// Advice for a file someone else put where mytype keeps its own, with
/// the exact command that removes it (`rmdir` for a folder).
fn not_ours(path: &Path, kind: FileType) -> String {
    let shown = crate::core::words::shell_word(path.as_os_str());
    let remove = if kind == FileType::Directory {
        format!("`rmdir {shown}` (or `rm -r {shown}` if it holds files)")
    } else {
        format!("`rm {shown}`")
    };
    format!(
        "mytype did not make it and left it as it is: if it is yours, remove it: {remove}; \
         if not, ask its owner or the machine's administrator to remove it, or play as \
         another --profile"
    )
}

/// The error for a symbolic link found where a file was expected.
pub fn symlink_refused(path: &Path) -> ProfileError {
    refused(
        path,
        "is a symbolic link, which mytype never follows in a profiles folder".into(),
        not_ours(path, FileType::Symlink),
    )
}

fn io(path: &Path, source: std::io::Error) -> ProfileError {
    ProfileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Opens `path` for reading: never blocks, refuses a symbolic link (unless
/// `follow`), anything but a regular file, and a file over
/// [`MAX_PROFILE_BYTES`]. A missing file is an `Io` error of kind `NotFound`.
pub fn open_for_read(path: &Path, follow: Follow) -> Result<std::fs::File, ProfileError> {
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    if follow == Follow::No {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::LOOP) if follow == Follow::No => return Err(symlink_refused(path)),
        Err(e) => return Err(io(path, e.into())),
    };
    let stat = rustix::fs::fstat(&fd).map_err(|e| io(path, e.into()))?;
    let kind = FileType::from_raw_mode(stat.st_mode);
    if kind != FileType::RegularFile {
        return Err(refused(
            path,
            format!(
                "is {}, not a profile: mytype reads only regular files",
                kind_name(kind)
            ),
            not_ours(path, kind),
        ));
    }
    let size = stat.st_size as u64;
    if size > MAX_PROFILE_BYTES {
        return Err(too_large(path, size));
    }
    Ok(std::fs::File::from(fd))
}

fn too_large(path: &Path, size: u64) -> ProfileError {
    refused(
        path,
        format!(
            "is {:.1} MiB, larger than any profile can be (the limit is {} MiB)",
            size as f64 / (1024.0 * 1024.0),
            MAX_PROFILE_BYTES / (1024 * 1024)
        ),
        "It was not read and was left as it is",
    )
}

/// Reads a profile file as text through [`open_for_read`]; a file growing
/// past the limit while it is read is refused too.
pub fn read_capped(path: &Path, follow: Follow) -> Result<String, ProfileError> {
    let mut bytes = Vec::new();
    read_capped_into(path, follow, &mut bytes)?;
    String::from_utf8(bytes).map_err(|_| not_utf8(path))
}

/// [`read_capped`]'s bytes, into `bytes` (cleared first): reading many
/// files, one buffer serves them all.
pub fn read_capped_into(
    path: &Path,
    follow: Follow,
    bytes: &mut Vec<u8>,
) -> Result<(), ProfileError> {
    bytes.clear();
    let file = open_for_read(path, follow)?;
    file.take(MAX_PROFILE_BYTES + 1)
        .read_to_end(bytes)
        .map_err(|e| io(path, e))?;
    if bytes.len() as u64 > MAX_PROFILE_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    Ok(())
}

/// The error for a profile file that is not UTF-8 text.
pub fn not_utf8(path: &Path) -> ProfileError {
    io(
        path,
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text, so not a profile; the file was left as it is",
        ),
    )
}

/// Checks that an open file is one the caller may write: a regular file,
/// owned by the caller, with no other name (a hard link planted by someone
/// else would make a write land in a file of theirs or of yours elsewhere).
pub fn check_own_regular(fd: impl rustix::fd::AsFd, path: &Path) -> Result<(), ProfileError> {
    let stat = rustix::fs::fstat(fd).map_err(|e| io(path, e.into()))?;
    check_stat(&stat, path, true)
}

/// [`check_own_regular`] on what `lstat` says of `path`, for a file that is
/// replaced by a rename rather than written (so other names of it do not
/// matter); `Ok(false)` when there is nothing there.
pub fn check_own_regular_at(path: &Path) -> Result<bool, ProfileError> {
    match rustix::fs::lstat(path) {
        Ok(stat) => check_stat(&stat, path, false).map(|()| true),
        Err(rustix::io::Errno::NOENT) => Ok(false),
        Err(e) => Err(io(path, e.into())),
    }
}

fn check_stat(stat: &rustix::fs::Stat, path: &Path, single_link: bool) -> Result<(), ProfileError> {
    let kind = FileType::from_raw_mode(stat.st_mode);
    if kind == FileType::Symlink {
        return Err(symlink_refused(path));
    }
    if kind != FileType::RegularFile {
        return Err(refused(
            path,
            format!("is {}, not a file mytype made", kind_name(kind)),
            not_ours(path, kind),
        ));
    }
    let me = my_uid();
    if stat.st_uid != me {
        return Err(refused(
            path,
            format!(
                "belongs to another user (uid {}), not to you (uid {me}), so mytype will not \
                 write it",
                stat.st_uid
            ),
            "If the name is taken, play as another --profile; the folder's owner can remove \
             the file",
        ));
    }
    if single_link && stat.st_nlink > 1 {
        return Err(refused(
            path,
            format!(
                "has {} names (hard links): writing it would change another file too",
                stat.st_nlink
            ),
            not_ours(path, FileType::RegularFile),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_fifo(path: &Path) {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            FileType::Fifo,
            Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
    }

    #[test]
    fn pipes_devices_links_and_huge_files_are_refused_without_waiting() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("pipe.ron");
        make_fifo(&fifo);
        let err = read_capped(&fifo, Follow::No).unwrap_err().to_string();
        assert!(err.contains("named pipe (FIFO)"), "{err}");

        let zero = tmp.path().join("zero.ron");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let err = read_capped(&zero, Follow::No).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let err = read_capped(&zero, Follow::Yes).unwrap_err().to_string();
        assert!(err.contains("character device"), "{err}");

        let big = tmp.path().join("big.ron");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_PROFILE_BYTES + 1).unwrap();
        let err = read_capped(&big, Follow::No).unwrap_err().to_string();
        assert!(err.contains("limit is 16 MiB"), "{err}");

        let ok = tmp.path().join("ok.ron");
        std::fs::write(&ok, "hello").unwrap();
        assert_eq!(read_capped(&ok, Follow::No).unwrap(), "hello");
        assert!(check_own_regular_at(&ok).unwrap());
        std::fs::hard_link(&ok, tmp.path().join("other")).unwrap();
        let file = std::fs::File::open(&ok).unwrap();
        let err = check_own_regular(&file, &ok).unwrap_err().to_string();
        assert!(err.contains("hard links"), "{err}");
        assert!(!check_own_regular_at(&tmp.path().join("none")).unwrap());
    }

    #[test]
    fn the_advice_names_the_command_that_removes_that_kind_of_thing() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("ann.ron");
        std::fs::create_dir(&folder).unwrap();
        let shown = crate::core::words::shell_word(folder.as_os_str());
        let err = read_capped(&folder, Follow::No).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "if it is yours, remove it: `rmdir {shown}` (or `rm -r {shown}` if it holds files);"
            )),
            "{err}"
        );

        // A name that needs quoting is quoted, so the command works as typed.
        let fifo = tmp.path().join("bob smith.ron");
        make_fifo(&fifo);
        let shown = crate::core::words::shell_word(fifo.as_os_str());
        assert!(shown.starts_with('\''), "{shown}");
        let err = read_capped(&fifo, Follow::No).unwrap_err().to_string();
        assert!(
            err.contains(&format!("if it is yours, remove it: `rm {shown}`;")),
            "{err}"
        );
    }
}
