//! The bundled pack (`faces/default`), embedded in the binary, so a binary
//! away from its sources (copied alone, or `cargo install`ed) still plays.
//!
//! Packs are folders, so on first use the embedded files are written to the
//! user's data folder (`$XDG_DATA_HOME/mytype/packs/default-HASH`, HASH from
//! the manifest: another mytype with another bundled pack writes its own),
//! and checked against the embedded bytes at every start. The copy is
//! written under a temporary name and renamed into place, so a half-written
//! pack is never used and two first runs at once don't clash: one rename
//! wins, the other run uses the winner's copy.

use super::{hash_text, MANIFEST_FILE};
use include_dir::{include_dir, Dir, DirEntry};
use std::io::Write;
use std::path::{Path, PathBuf};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/faces/default");

#[derive(Debug, thiserror::Error)]
pub enum BundledError {
    #[error(
        "cannot find a data folder to put the bundled face pack in: set XDG_DATA_HOME or \
         HOME, or choose a pack with --pack DIR (or MYTYPE_PACK)"
    )]
    NoDataDir,
    #[error("cannot write the bundled face pack to {path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} {why}, so mytype will not read the bundled face pack from it: make it a folder \
         of your own that only you can write to, or choose a pack with --pack DIR (or MYTYPE_PACK)",
        path = .path.display()
    )]
    Foreign { path: PathBuf, why: &'static str },
    #[error(
        "the bundled face pack in {dir} was changed ({file} is not what this mytype wrote); \
         remove that folder (`rm -r {quoted}`) and mytype writes it again",
        dir = .dir.display(),
        quoted = crate::core::words::shell_word(.dir.as_os_str())
    )]
    Damaged { dir: PathBuf, file: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BundledError + '_ {
    move |source| BundledError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Every embedded file: (path inside the pack, bytes).
pub fn files() -> Vec<(&'static Path, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(&'static Path, &'static [u8])>) {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(d) => walk(d, out),
                DirEntry::File(f) => out.push((f.path(), f.contents())),
            }
        }
    }
    let mut out = Vec::new();
    walk(&BUNDLED, &mut out);
    out.sort();
    out
}

/// The embedded manifest's text.
pub fn manifest_text() -> &'static str {
    BUNDLED
        .get_file(MANIFEST_FILE)
        .and_then(|f| f.contents_utf8())
        .unwrap_or_default()
}

/// Whether a profile's pack (its name and manifest hash) is this build's
/// bundled pack.
pub fn is_bundled(name: &str, hash: &str) -> bool {
    hash == hash_text(manifest_text())
        && super::Manifest::parse(manifest_text(), Path::new(MANIFEST_FILE))
            .is_ok_and(|manifest| manifest.name == name)
}

/// The folder name of this build's bundled pack: `default-` and its hash.
pub fn folder_name() -> String {
    format!("default-{}", hash_text(manifest_text()))
}

/// The bundled pack in the user's data folder, written there if missing.
pub fn install() -> Result<PathBuf, BundledError> {
    let dirs = directories::ProjectDirs::from("", "", "mytype").ok_or(BundledError::NoDataDir)?;
    install_in(dirs.data_dir())
}

/// The bundled pack under `data` (mytype's data folder): `data/packs/NAME`,
/// written if missing, checked otherwise.
pub fn install_in(data: &Path) -> Result<PathBuf, BundledError> {
    let packs = data.join("packs");
    own_folder(data)?;
    own_folder(&packs)?;
    let dir = packs.join(folder_name());
    if std::fs::symlink_metadata(&dir).is_ok() {
        check(&dir)?;
        return Ok(dir);
    }
    remove_stale_copies(&packs);
    let tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempdir_in(&packs)
        .map_err(io(&packs))?;
    for (rel, bytes) in files() {
        let path = tmp.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let mut file = std::fs::File::create(&path).map_err(io(&path))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(io(&path))?;
    }
    sync_dir(&tmp.path().join("images"));
    sync_dir(tmp.path());
    match std::fs::rename(tmp.path(), &dir) {
        Ok(()) => {
            // Renamed away: nothing left for the guard to remove.
            let _ = tmp.keep();
            sync_dir(&packs);
        }
        // Another run put its copy there first: use that one (ours goes
        // with the guard).
        Err(_) if std::fs::symlink_metadata(&dir).is_ok() => {}
        Err(e) => return Err(io(&dir)(e)),
    }
    check(&dir)?;
    Ok(dir)
}

/// Temporary copies are named so; one older than [`STALE`] was left by a run
/// that died while writing it.
const TMP_PREFIX: &str = ".default-";
const STALE: std::time::Duration = std::time::Duration::from_secs(3600);

fn remove_stale_copies(packs: &Path) {
    let Ok(entries) = std::fs::read_dir(packs) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if stale && entry.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Makes `dir` if missing (only the owner may enter), and refuses one that
/// is not a real folder of ours, or that every user can write to: on a
/// shared box another user could otherwise swap the pack under us.
fn own_folder(dir: &Path) -> Result<(), BundledError> {
    if std::fs::symlink_metadata(dir).is_err() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(io(dir))?;
    }
    ours(dir, true)
}

/// Whether `path` is ours: not a link, a folder (or file), owned by us,
/// not writable by every user.
fn ours(path: &Path, folder: bool) -> Result<(), BundledError> {
    let foreign = |why| BundledError::Foreign {
        path: path.to_path_buf(),
        why,
    };
    let meta = std::fs::symlink_metadata(path).map_err(io(path))?;
    if meta.file_type().is_symlink() {
        return Err(foreign("is a symbolic link"));
    }
    if folder && !meta.is_dir() {
        return Err(foreign("is not a folder"));
    }
    if !folder && !meta.is_file() {
        return Err(foreign("is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != rustix::process::geteuid().as_raw() {
            return Err(foreign("belongs to another user"));
        }
        // Group-writable is fine: many systems give each user a group of
        // their own (umask 002).
        if meta.mode() & 0o002 != 0 {
            return Err(foreign("can be written by other users"));
        }
    }
    Ok(())
}

/// Checks the installed copy file by file against the embedded bytes.
fn check(dir: &Path) -> Result<(), BundledError> {
    ours(dir, true)?;
    ours(&dir.join("images"), true)?;
    for (rel, bytes) in files() {
        let path = dir.join(rel);
        let damaged = || BundledError::Damaged {
            dir: dir.to_path_buf(),
            file: rel.display().to_string(),
        };
        if ours(&path, false).is_err() {
            return Err(damaged());
        }
        match std::fs::read(&path) {
            Ok(found) if found == bytes => {}
            _ => return Err(damaged()),
        }
    }
    Ok(())
}

/// Makes a folder's entries durable (best effort: not every filesystem can).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_pack_is_faces_default() {
        let on_disk = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
        let files = files();
        assert!(files.len() > 50, "{} files", files.len());
        for (rel, bytes) in &files {
            assert_eq!(std::fs::read(on_disk.join(rel)).unwrap(), *bytes, "{rel:?}");
        }
        assert!(folder_name().starts_with("default-"));
    }

    #[test]
    fn written_once_atomically_and_shared_by_runs_at_once() {
        let data = tempfile::tempdir().unwrap();
        let root = data.path().join("mytype");
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let root = root.clone();
                std::thread::spawn(move || install_in(&root))
            })
            .collect();
        let dirs: Vec<PathBuf> = runs
            .into_iter()
            .map(|t| t.join().unwrap().unwrap())
            .collect();
        assert!(dirs.iter().all(|d| *d == dirs[0]));
        let pack = crate::pack::Pack::load(&dirs[0]).unwrap();
        assert_eq!(pack.hash(), hash_text(manifest_text()));
        // No temporary copy is left behind.
        let names: Vec<String> = std::fs::read_dir(root.join("packs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![folder_name()]);
        // A second start finds it and checks it.
        assert_eq!(install_in(&root).unwrap(), dirs[0]);
    }

    #[test]
    fn a_changed_copy_is_refused_with_the_command_that_fixes_it() {
        let data = tempfile::tempdir().unwrap();
        let dir = install_in(data.path()).unwrap();
        std::fs::write(dir.join("images/m001.png"), b"not a png").unwrap();
        let err = install_in(data.path()).unwrap_err().to_string();
        assert!(err.contains("images/m001.png"), "{err}");
        assert!(err.contains("rm -r"), "{err}");
        // As the message says: remove it, and it is written again.
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(install_in(data.path()).unwrap(), dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_foreign_data_folder_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let data = tempfile::tempdir().unwrap();
        // A link where the pack should be.
        let packs = data.path().join("packs");
        std::fs::create_dir(&packs).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), packs.join(folder_name())).unwrap();
        let err = install_in(data.path()).unwrap_err();
        assert!(matches!(err, BundledError::Foreign { .. }), "{err}");
        // A folder others can write to.
        let open = tempfile::tempdir().unwrap();
        std::fs::set_permissions(open.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = install_in(open.path()).unwrap_err().to_string();
        assert!(err.contains("can be written by other users"), "{err}");
    }
}
