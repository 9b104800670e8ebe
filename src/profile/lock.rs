//! One writer per profile: an advisory `flock` on `.NAME.lock` in the
//! profiles folder, so the kernel drops it when its holder dies and a stale
//! lock is simply free again. The lock file says who holds it.
//!
//! In a shared folder the lock file's name is known to everyone: it is
//! opened without following a link, and used only if it is a regular file
//! of the caller's with no other name. Otherwise nothing is written to it
//! (a planted link to one of your files would have been truncated).

use super::safe_file::{self, check_own_regular};
use super::store::ProfileStore;
use super::{host_name, now_rfc3339, validate_name, ProfileError};
use crate::core::sanitize;
use rustix::fs::{Mode, OFlags};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Longest holder text read back from someone else's lock file.
const MAX_HOLDER_BYTES: u64 = 200;

/// A held profile lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct ProfileLock {
    _file: std::fs::File,
    path: PathBuf,
}

impl ProfileLock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl ProfileStore {
    /// Takes the profile's writer lock: one game or `rate` per profile at a
    /// time. Also checks the profile itself is the caller's to write (a
    /// regular file of theirs, or none yet), and removes the temporary files
    /// a killed save of it left behind.
    pub fn lock(&self, name: &str) -> Result<ProfileLock, ProfileError> {
        validate_name(name)?;
        self.ensure_dir()?;
        let path = self.dir().join(format!(".{name}.lock"));
        let io = |source: std::io::Error| ProfileError::Io {
            path: path.clone(),
            source,
        };
        let flags = OFlags::RDWR
            | OFlags::CREATE
            | OFlags::NOFOLLOW
            | OFlags::NONBLOCK
            | OFlags::CLOEXEC
            | OFlags::NOCTTY;
        let fd = match rustix::fs::open(&path, flags, Mode::from_raw_mode(0o600)) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::LOOP) => return Err(safe_file::symlink_refused(&path)),
            // In a sticky folder the kernel may answer a neighbour's link or
            // pipe with "permission denied": say what the file is instead.
            Err(e) => {
                safe_file::check_own_regular_at(&path)?;
                return Err(io(e.into()));
            }
        };
        check_own_regular(&fd, &path)?;
        let mut file = std::fs::File::from(fd);
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = (&file).take(MAX_HOLDER_BYTES).read_to_string(&mut text);
                let holder = sanitize::one_line(text.trim()).into_owned();
                return Err(ProfileError::Locked {
                    name: name.to_string(),
                    holder: if holder.is_empty() {
                        "holder unknown".into()
                    } else {
                        holder
                    },
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        // The profile itself: a link, pipe or another user's file under
        // this name is refused before anything is read from it or saved.
        safe_file::check_own_regular_at(&self.path_of(name)?)?;
        self.remove_stale_temps(name);
        let holder = format!(
            "pid {} on host {}, since {}",
            std::process::id(),
            host_name(),
            now_rfc3339()
        );
        file.set_len(0).map_err(io)?;
        file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
        file.write_all(holder.as_bytes()).map_err(io)?;
        Ok(ProfileLock { _file: file, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planted_link_is_refused_and_its_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let notes = tmp.path().join("notes.txt");
        std::fs::write(&notes, "my notes").unwrap();
        let store = ProfileStore::at(&tmp.path().join("shared"));
        std::fs::create_dir(store.dir()).unwrap();
        std::os::unix::fs::symlink(&notes, store.dir().join(".ana.lock")).unwrap();
        let err = store.lock("ana").unwrap_err().to_string();
        assert!(err.contains(".ana.lock: is a symbolic link"), "{err}");
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");

        std::fs::hard_link(&notes, store.dir().join(".bo.lock")).unwrap();
        let err = store.lock("bo").unwrap_err().to_string();
        assert!(err.contains("hard links"), "{err}");
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");

        std::os::unix::fs::symlink(&notes, store.dir().join("cy.ron")).unwrap();
        let err = store.lock("cy").unwrap_err().to_string();
        assert!(err.contains("cy.ron: is a symbolic link"), "{err}");
    }

    #[test]
    fn stale_temporary_files_go_when_the_lock_is_taken() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(tmp.path());
        let stale = tmp.path().join(".ana.ron.123-abcDEF.tmp");
        let other = tmp.path().join(".ana.ron.x.ron.123-abcDEF.tmp");
        std::fs::write(&stale, "old").unwrap();
        std::fs::write(&other, "not ana's").unwrap();
        let _held = store.lock("ana").unwrap();
        assert!(!stale.exists());
        assert!(other.exists());
    }
}
