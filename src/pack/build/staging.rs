//! The build's staging folder: a failed build leaves the output folder as
//! it was, and a finished one replaces the earlier pack whole.

use crate::pack::{write_manifest, Manifest, PackError, MANIFEST_FILE};
use std::path::{Path, PathBuf};

/// The `PackError` for an I/O failure at `path`.
pub(super) fn io_error_at(path: &Path) -> impl FnOnce(std::io::Error) -> PackError {
    let path = path.to_path_buf();
    move |source| PackError::Io { path, source }
}

/// Name of the staging folder inside `--out`.
const STAGING: &str = ".mytype-build";

/// A build's staging folder, `OUT/.mytype-build`: removed when dropped, so
/// an error or a failed build leaves the output folder as it was.
pub(super) struct Staging {
    out: PathBuf,
    root: PathBuf,
    /// The output folder did not exist: a failed build removes it again.
    created_out: bool,
    /// An advisory lock on the output folder, held for the whole build, so
    /// two builds into one folder cannot mix their images; the kernel drops
    /// it if the build dies.
    _lock: std::fs::File,
}

impl Staging {
    pub(super) fn new(out: &Path) -> Result<Staging, PackError> {
        let images = out.join("images");
        // Never replace a folder of images that is not a pack's.
        if images.is_dir() && !out.join(MANIFEST_FILE).is_file() {
            let empty = std::fs::read_dir(&images)
                .map_err(io_error_at(&images))?
                .next()
                .is_none();
            if !empty {
                return Err(PackError::NotAPack { path: images });
            }
        }
        let created_out = !out.exists();
        std::fs::create_dir_all(out).map_err(io_error_at(out))?;
        let lock = std::fs::File::open(out).map_err(io_error_at(out))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(PackError::Busy {
                    path: out.to_path_buf(),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_error_at(out)(e)),
        }
        let root = out.join(STAGING);
        // Left by a build that was interrupted (Ctrl-C).
        if root.exists() {
            std::fs::remove_dir_all(&root).map_err(io_error_at(&root))?;
        }
        std::fs::create_dir_all(root.join("images")).map_err(io_error_at(&root))?;
        Ok(Staging {
            out: out.to_path_buf(),
            root,
            created_out,
            _lock: lock,
        })
    }

    /// Where images are stored while building (`images/…` inside it).
    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    /// Puts the new images and manifest in place of any earlier pack's: the
    /// manifest is written in the staging folder first, and each step after
    /// that is a rename within the output folder. Dropping `self` then
    /// removes the staging folder with the earlier pack's images.
    pub(super) fn commit(self, manifest: &Manifest) -> Result<(), PackError> {
        write_manifest(&self.root, manifest)?;
        let images = self.out.join("images");
        let old = self.root.join("images.old");
        let had_images = images.exists();
        if had_images {
            std::fs::rename(&images, &old).map_err(io_error_at(&images))?;
        }
        if let Err(e) = std::fs::rename(self.root.join("images"), &images) {
            if had_images {
                // Put the earlier pack's images back rather than leave none.
                let _ = std::fs::rename(&old, &images);
            }
            return Err(io_error_at(&images)(e));
        }
        let manifest_path = self.out.join(MANIFEST_FILE);
        std::fs::rename(self.root.join(MANIFEST_FILE), &manifest_path)
            .map_err(io_error_at(&manifest_path))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
        if self.created_out {
            // Only when empty: after a commit it holds the pack.
            let _ = std::fs::remove_dir(&self.out);
        }
    }
}
