//! The profiles folder: where each profile lives, how it is read and how it
//! is saved. A save writes a private temporary file next to the profile
//! (created new, `O_EXCL`, mode 0600), syncs it and renames it over the
//! profile, so a reader sees the old profile or the new one, never half of
//! one. A failed save removes its temporary file; one left by a killed save
//! is removed the next time the profile is locked ([`ProfileStore::lock`]).

use super::safe_file::{self, Follow};
use super::view::{read_view, ProfileView};
use super::{validate_name, Profile, ProfileError, EXTENSION, MAX_RATINGS, PROFILES_ENV};
use crate::core::sanitize;
use rustix::fs::{Mode, OFlags};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The folder holding profiles.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    dir: PathBuf,
}

/// Files a warning was already printed for: each is named once per run.
static WARNED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Prints `text` as one warning line on stderr, once per `key` per run.
fn warn_once(key: &Path, text: &str) {
    let mut warned = WARNED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if warned.iter().any(|k| k == key) {
        return;
    }
    warned.push(key.to_path_buf());
    // stderr may be gone (a hung-up terminal): nothing to do about it then.
    let _ = writeln!(
        std::io::stderr(),
        "mytype: warning: {}",
        sanitize::one_line(text)
    );
}

impl ProfileStore {
    /// `flag`, else `MYTYPE_PROFILES`, else the XDG data dir. A folder other
    /// users can write to gets one warning naming the risk.
    pub fn resolve(flag: Option<&Path>) -> Result<ProfileStore, ProfileError> {
        let store = if let Some(dir) = flag {
            ProfileStore::at(dir)
        } else if let Some(dir) = std::env::var_os(PROFILES_ENV).filter(|v| !v.is_empty()) {
            ProfileStore::at(Path::new(&dir))
        } else {
            let dirs =
                directories::ProjectDirs::from("", "", "mytype").ok_or(ProfileError::NoDataDir)?;
            ProfileStore::at(&dirs.data_dir().join("profiles"))
        };
        if let Some(risk) = store.folder_risk() {
            warn_once(&store.dir, &risk);
        }
        Ok(store)
    }

    pub fn at(dir: &Path) -> ProfileStore {
        ProfileStore {
            dir: dir.to_path_buf(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What is risky about the folder, if anything: writable by every user,
    /// or owned by another user (root's folders are the administrator's).
    /// A group folder (setgid, sticky, group-writable: mode 3770) is the
    /// safe way to share.
    pub fn folder_risk(&self) -> Option<String> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(&self.dir).ok()?;
        let shown = self.dir.display();
        if meta.mode() & 0o002 != 0 {
            return Some(format!(
                "profiles folder {shown} is writable by every user: anyone can plant files \
                 there or take your profile's name first (mytype refuses files it did not \
                 make). Share profiles through a group folder instead (mode 3770, see the \
                 README's shared-box section)"
            ));
        }
        let (owner, me) = (meta.uid(), safe_file::my_uid());
        if owner != me && owner != 0 {
            return Some(format!(
                "profiles folder {shown} belongs to another user (uid {owner}), who can \
                 remove or replace your profiles"
            ));
        }
        None
    }

    /// Whether the folder is a group folder (setgid): profiles are then
    /// made readable by the group (0640), so the players of the group see
    /// each other's ratings for the crowd, while only each owner writes.
    pub fn is_group_folder(&self) -> bool {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&self.dir).is_ok_and(|m| m.mode() & 0o2000 != 0)
    }

    /// The file of profile `name` (validated).
    pub fn path_of(&self, name: &str) -> Result<PathBuf, ProfileError> {
        validate_name(name)?;
        Ok(self.dir.join(format!("{name}.{EXTENSION}")))
    }

    /// Loads a profile; a missing one is [`ProfileError::NotFound`]. Only a
    /// regular file of at most [`safe_file::MAX_PROFILE_BYTES`] is read,
    /// never through a symbolic link.
    pub fn load(&self, name: &str) -> Result<Profile, ProfileError> {
        let path = self.path_of(name)?;
        let text =
            safe_file::read_capped(&path, Follow::No).map_err(|e| self.not_found(name, e))?;
        Profile::parse(&text, &path)
    }

    /// `e`, or [`ProfileError::NotFound`] when it says the file is missing.
    fn not_found(&self, name: &str, e: ProfileError) -> ProfileError {
        match e {
            ProfileError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                ProfileError::NotFound {
                    name: name.to_string(),
                    dir: self.dir.clone(),
                }
            }
            other => other,
        }
    }

    /// Loads `name`, or `None` if there is no such profile yet.
    pub fn load_optional(&self, name: &str) -> Result<Option<Profile>, ProfileError> {
        match self.load(name) {
            Ok(p) => Ok(Some(p)),
            Err(ProfileError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The profiles' names, or none (with one warning) when the folder
    /// cannot be listed.
    fn names_or_warn(&self) -> Vec<String> {
        self.list().unwrap_or_else(|e| {
            warn_once(
                &self.dir,
                &format!("cannot list other players' profiles: {e}"),
            );
            Vec::new()
        })
    }

    /// Every profile in the folder that can be read, by name; each one that
    /// cannot (a pipe, a link, too large, damaged) gets one warning line.
    pub fn readable_profiles(&self) -> Vec<(String, Profile)> {
        let mut out = Vec::new();
        for name in self.names_or_warn() {
            match self.load(&name) {
                Ok(profile) => out.push((name, profile)),
                Err(e) => {
                    let key = self.dir.join(format!("{name}.{EXTENSION}"));
                    warn_once(&key, &format!("skipped profile {name}: {e}"));
                }
            }
        }
        out
    }

    /// [`Self::readable_profiles`] as the crowd reads them: `each(name,
    /// view)` for every readable profile, in name order, each read into
    /// one reused buffer and parsed only as far as a [`ProfileView`]
    /// needs. The same files are read (the same checks on each), and the
    /// same warnings are given for the others.
    pub fn for_each_view(&self, mut each: impl FnMut(&str, &ProfileView<'_>)) {
        let mut buffer = Vec::new();
        for name in self.names_or_warn() {
            let path = self.dir.join(format!("{name}.{EXTENSION}"));
            match read_view(&path, &mut buffer) {
                Ok(view) => each(&name, &view),
                Err(e) => {
                    let e = self.not_found(&name, e);
                    warn_once(&path, &format!("skipped profile {name}: {e}"));
                }
            }
        }
    }

    /// Saves atomically through a private temporary file (see the module
    /// docs). The profile is 0600, 0640 in a group folder; a folder we
    /// create is 0700. What is already under the profile's name must be a
    /// regular file of the caller's, or nothing is written.
    pub fn save(&self, name: &str, profile: &Profile) -> Result<(), ProfileError> {
        let path = self.path_of(name)?;
        if profile.ratings.len() > MAX_RATINGS {
            return Err(ProfileError::TooManyRatings {
                name: name.to_string(),
                count: profile.ratings.len(),
            });
        }
        self.ensure_dir()?;
        let text = profile.to_ron()?;
        safe_file::check_own_regular_at(&path)?;
        let mode = if self.is_group_folder() { 0o640 } else { 0o600 };
        let temp = TempFile::create(&self.dir, name)?;
        temp.write_and_rename(text.as_bytes(), mode, &path)?;
        // The rename is durable once the folder is synced; a folder that
        // cannot be opened or synced (some network file systems) still
        // holds the new profile.
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    pub(super) fn ensure_dir(&self) -> Result<(), ProfileError> {
        if self.dir.is_dir() {
            return Ok(());
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&self.dir)
            .map_err(|source| ProfileError::Io {
                path: self.dir.clone(),
                source,
            })
    }

    /// Names of the profiles in the folder, sorted.
    pub fn list(&self) -> Result<Vec<String>, ProfileError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(ProfileError::Io {
                    path: self.dir.clone(),
                    source,
                })
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let path = e.path();
                if path.extension()? != EXTENSION {
                    return None;
                }
                let stem = path.file_stem()?.to_str()?.to_string();
                validate_name(&stem).ok().map(|_| stem)
            })
            .collect();
        names.sort();
        Ok(names)
    }

    /// Deletes a profile.
    pub fn remove(&self, name: &str) -> Result<(), ProfileError> {
        let path = self.path_of(name)?;
        std::fs::remove_file(&path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                ProfileError::NotFound {
                    name: name.to_string(),
                    dir: self.dir.clone(),
                }
            } else {
                ProfileError::Io { path, source }
            }
        })
    }

    /// Removes the caller's own temporary files of profile `name` left by a
    /// save that was killed. Only called with the profile's lock held: no
    /// live save of `name` can own one then. Another user's files and
    /// anything but a regular file are left alone. Returns how many went.
    pub(super) fn remove_stale_temps(&self, name: &str) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let me = safe_file::my_uid();
        let mut removed = 0;
        for entry in entries.filter_map(Result::ok) {
            let file_name = entry.file_name();
            if !file_name.to_str().is_some_and(|f| is_temp_name_of(f, name)) {
                continue;
            }
            let path = entry.path();
            let ours = rustix::fs::lstat(&path).is_ok_and(|s| {
                s.st_uid == me
                    && rustix::fs::FileType::from_raw_mode(s.st_mode)
                        == rustix::fs::FileType::RegularFile
            });
            if ours && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// The temporary file a save of `name` writes: `.NAME.ron.PID-XXXXXX.tmp`.
fn temp_name(name: &str) -> String {
    use rand::distr::{Alphanumeric, SampleString};
    let suffix = Alphanumeric.sample_string(&mut rand::rng(), 6);
    format!(".{name}.{EXTENSION}.{}-{suffix}.tmp", std::process::id())
}

/// Whether `file` is exactly a name `temp_name` makes for `name` (and not,
/// say, a temporary file of another profile whose name starts the same).
pub fn is_temp_name_of(file: &str, name: &str) -> bool {
    let Some(rest) = file
        .strip_prefix('.')
        .and_then(|f| f.strip_prefix(name))
        .and_then(|f| f.strip_prefix(&format!(".{EXTENSION}.")))
        .and_then(|f| f.strip_suffix(".tmp"))
    else {
        return false;
    };
    let Some((pid, suffix)) = rest.split_once('-') else {
        return false;
    };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && suffix.len() == 6
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A new private file in the profiles folder, removed when dropped unless
/// it was renamed into place.
struct TempFile {
    file: std::fs::File,
    path: Option<PathBuf>,
}

impl TempFile {
    /// Creates a new temporary file for `name`: `O_EXCL` (never an existing
    /// file, never through a link), 0600 whatever the umask says.
    fn create(dir: &Path, name: &str) -> Result<TempFile, ProfileError> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let mut last = None;
        // A neighbour may have taken the name: a few fresh random ones.
        for _ in 0..16 {
            let path = dir.join(temp_name(name));
            match rustix::fs::open(&path, flags, Mode::from_raw_mode(0o600)) {
                Ok(fd) => {
                    let temp = TempFile {
                        file: std::fs::File::from(fd),
                        path: Some(path),
                    };
                    return Ok(temp);
                }
                Err(rustix::io::Errno::EXIST) => last = Some(path),
                Err(e) => {
                    return Err(ProfileError::Io {
                        path,
                        source: e.into(),
                    })
                }
            }
        }
        Err(ProfileError::Io {
            path: last.unwrap_or_else(|| dir.to_path_buf()),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "every temporary name tried was taken",
            ),
        })
    }

    /// Writes `bytes`, syncs, sets `mode` and renames onto `dest`.
    fn write_and_rename(
        mut self,
        bytes: &[u8],
        mode: u32,
        dest: &Path,
    ) -> Result<(), ProfileError> {
        let path = self.path.clone().unwrap_or_default();
        let io = |source: std::io::Error| ProfileError::Io {
            path: dest.to_path_buf(),
            source,
        };
        self.file.write_all(bytes).map_err(io)?;
        // Opened to the group only once complete, just before it is the profile.
        rustix::fs::fchmod(&self.file, Mode::from_raw_mode(mode)).map_err(|e| io(e.into()))?;
        self.file.sync_all().map_err(io)?;
        std::fs::rename(&path, dest).map_err(io)?;
        self.path = None;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised_exactly() {
        let made = temp_name("ana");
        assert!(is_temp_name_of(&made, "ana"), "{made}");
        assert!(!is_temp_name_of(&made, "an"));
        assert!(!is_temp_name_of(
            ".ana.ron.12-abcdef.ron.34-ghijkl.tmp",
            "ana"
        ));
        assert!(!is_temp_name_of(".ana.ron.x-abcdef.tmp", "ana"));
        assert!(!is_temp_name_of("ana.ron", "ana"));
        let long = "é".repeat(super::super::MAX_NAME_BYTES / 2);
        assert!(temp_name(&long).len() <= 255);
        assert!(format!(".{long}.lock").len() <= 255);
    }
}
