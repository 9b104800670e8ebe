//! Reading and writing the server's small files (host key, the keys players joined with, the
//! key list) as a careful daemon does: never through a symlink, only regular
//! files, size-capped, and for secrets only files the user alone can read.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a regular file", path = .path.display())]
    NotRegular { path: PathBuf },
    #[error("{path}: larger than {max} bytes", path = .path.display())]
    TooBig { path: PathBuf, max: u64 },
    #[error("{path}: owned by another user (uid {owner}); it must be yours", path = .path.display())]
    NotOwned { path: PathBuf, owner: u32 },
    #[error("{path}: others can read it (mode {mode:o}); fix it with `chmod 600 {path}`", path = .path.display())]
    Exposed { path: PathBuf, mode: u32 },
    #[error("{path}: others can write to it (mode {mode:o}); fix it with `chmod go-w {path}`", path = .path.display())]
    Writable { path: PathBuf, mode: u32 },
    #[error("{path}: not valid UTF-8", path = .path.display())]
    NotText { path: PathBuf },
}

impl FileError {
    /// Whether the file simply does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, FileError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// How much to trust a file's owner and mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    /// Anyone may own or read it (e.g. a public key list the host wrote).
    Public,
    /// Must be ours and readable by us alone, like ssh's private keys.
    Secret,
}

/// Reads a text file: the last path component must not be a symlink, the
/// file must be regular and at most `max` bytes.
pub fn read_text(path: &Path, max: u64, secrecy: Secrecy) -> Result<String, FileError> {
    let mut file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| {
            // O_NOFOLLOW on a symlink fails with ELOOP: say what it is.
            if e.raw_os_error() == Some(libc::ELOOP) {
                FileError::NotRegular {
                    path: path.to_path_buf(),
                }
            } else {
                io(path)(e)
            }
        })?;
    let meta = file.metadata().map_err(io(path))?;
    if !meta.file_type().is_file() {
        return Err(FileError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > max {
        return Err(FileError::TooBig {
            path: path.to_path_buf(),
            max,
        });
    }
    if secrecy == Secrecy::Secret {
        check_private(path, &meta)?;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size may change under us: read at most max + 1 bytes.
    (&mut file)
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io(path))?;
    if bytes.len() as u64 > max {
        return Err(FileError::TooBig {
            path: path.to_path_buf(),
            max,
        });
    }
    String::from_utf8(bytes).map_err(|_| FileError::NotText {
        path: path.to_path_buf(),
    })
}

/// The checks ssh makes on a private key: ours, and no group/other bits.
fn check_private(path: &Path, meta: &std::fs::Metadata) -> Result<(), FileError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(FileError::NotOwned {
            path: path.to_path_buf(),
            owner: meta.uid(),
        });
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(FileError::Exposed {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// Creates `dir` (and its parents) with mode 0700 when missing; an existing
/// one must be a real folder (not a symlink) that is ours and that nobody
/// else can write to.
pub fn private_dir(dir: &Path) -> Result<(), FileError> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) => {
            if !meta.file_type().is_dir() {
                return Err(FileError::NotRegular {
                    path: dir.to_path_buf(),
                });
            }
            // SAFETY: as above.
            let me = unsafe { libc::geteuid() };
            if meta.uid() != me {
                return Err(FileError::NotOwned {
                    path: dir.to_path_buf(),
                    owner: meta.uid(),
                });
            }
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o022 != 0 {
                return Err(FileError::Writable {
                    path: dir.to_path_buf(),
                    mode,
                });
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(io(dir))
        }
        Err(e) => Err(io(dir)(e)),
    }
}

/// Writes `text` to `path` with mode 0600 only if no file is there yet:
/// written and synced under a temporary name, then hard-linked into place
/// (which fails if another process got there first), so readers never see
/// a half-written file and a first writer is never overwritten.
/// Returns `false` when the file already existed.
pub fn create_new_private(path: &Path, text: &str) -> Result<bool, FileError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), unique()));
    let result = (|| {
        let mut file: File = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&tmp)
            .map_err(io(&tmp))?;
        file.write_all(text.as_bytes()).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        match std::fs::hard_link(&tmp, path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
            Err(e) => return Err(io(path)(e)),
        }
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(true)
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_big_files_and_exposed_secrets_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::write(&real, "hello").unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(matches!(
            read_text(&link, 100, Secrecy::Public),
            Err(FileError::NotRegular { .. })
        ));
        assert!(matches!(
            read_text(&real, 3, Secrecy::Public),
            Err(FileError::TooBig { .. })
        ));
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = read_text(&real, 100, Secrecy::Secret).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_text(&real, 100, Secrecy::Secret).unwrap(), "hello");
        assert!(matches!(
            read_text(tmp.path(), 100, Secrecy::Public),
            Err(FileError::NotRegular { .. })
        ));
        assert!(read_text(&tmp.path().join("none"), 100, Secrecy::Public)
            .unwrap_err()
            .is_not_found());
    }

    #[test]
    fn private_dirs_are_made_0700_and_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        private_dir(&dir).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        private_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(matches!(private_dir(&dir), Err(FileError::Writable { .. })));
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(matches!(
            private_dir(&link),
            Err(FileError::NotRegular { .. })
        ));
    }

    #[test]
    fn create_new_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("k");
        assert!(create_new_private(&path, "first").unwrap());
        assert!(!create_new_private(&path, "second").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
