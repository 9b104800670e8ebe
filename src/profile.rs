//! Player profiles: one RON file per player holding every rating in order.
//!
//! Location: `--profiles-dir`, else `MYTYPE_PROFILES`, else the XDG data dir
//! (`~/.local/share/mytype/profiles` on Linux).

use crate::core::rating::Rating;
use crate::pack::{ron_options, ron_pretty, Pack};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Version of the profile format this build writes.
pub const PROFILE_FORMAT_VERSION: u32 = 1;
/// Environment variable naming the profiles folder.
pub const PROFILES_ENV: &str = "MYTYPE_PROFILES";
/// Longest profile name accepted.
pub const MAX_NAME_LEN: usize = 64;
const EXTENSION: &str = "ron";

/// Which pack a profile's ratings refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackRef {
    pub name: String,
    /// Hash of the manifest the ratings were made on (informational: a pack
    /// may be re-generated; face ids are what ratings refer to).
    #[serde(default)]
    pub hash: String,
}

/// One rating as saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingEntry {
    pub face: String,
    pub level: Rating,
    /// RFC 3339 UTC time of the rating.
    pub time: String,
}

/// A player's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub version: u32,
    pub player: String,
    pub pack: PackRef,
    #[serde(default)]
    pub ratings: Vec<RatingEntry>,
}

impl Profile {
    pub fn new(player: &str, pack: &Pack) -> Profile {
        Profile {
            version: PROFILE_FORMAT_VERSION,
            player: player.to_string(),
            pack: PackRef {
                name: pack.name().to_string(),
                hash: pack.hash().to_string(),
            },
            ratings: Vec::new(),
        }
    }

    /// Appends a rating stamped now.
    pub fn push(&mut self, face: &str, level: Rating) {
        self.ratings.push(RatingEntry {
            face: face.to_string(),
            level,
            time: now_rfc3339(),
        });
    }

    /// The latest rating per face (a face re-rated counts once, last wins), in
    /// the order faces were first rated.
    pub fn latest_ratings(&self) -> Vec<(&str, Rating)> {
        let mut out: Vec<(&str, Rating)> = Vec::new();
        // Index into `out` by face: a replayed profile of thousands of
        // ratings must not cost a scan per rating.
        let mut slot: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for entry in &self.ratings {
            match slot.get(entry.face.as_str()) {
                Some(&i) => out[i].1 = entry.level,
                None => {
                    slot.insert(entry.face.as_str(), out.len());
                    out.push((entry.face.as_str(), entry.level));
                }
            }
        }
        out
    }

    /// Whether `face` has been rated.
    pub fn has_rated(&self, face: &str) -> bool {
        self.ratings.iter().any(|r| r.face == face)
    }

    pub fn to_ron(&self) -> Result<String, ProfileError> {
        let mut text = ron_options()
            .to_string_pretty(self, ron_pretty())
            .map_err(|e| ProfileError::Serialize(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    /// Parses a profile, migrating older versions; errors carry line:column.
    pub fn parse(text: &str, path: &Path) -> Result<Profile, ProfileError> {
        let profile: Profile = ron_options()
            .from_str(text)
            .map_err(|e| ProfileError::Parse {
                path: path.to_path_buf(),
                line: e.span.start.line,
                col: e.span.start.col,
                message: e.code.to_string(),
            })?;
        if profile.version == 0 || profile.version > PROFILE_FORMAT_VERSION {
            return Err(ProfileError::Version {
                path: path.to_path_buf(),
                version: profile.version,
            });
        }
        Ok(profile)
    }
}

/// Current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("invalid profile name {name:?}: {why}")]
    InvalidName { name: String, why: &'static str },
    #[error("no profile named {name:?} in {dir}", dir = .dir.display())]
    NotFound { name: String, dir: PathBuf },
    #[error("{path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: damaged profile: {message}\nThe file was left exactly as it is. Restore it from a backup, or start fresh with another --profile name.", path = .path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{path}: profile format version {version} is not supported (this mytype reads 1..={PROFILE_FORMAT_VERSION}); it may come from a newer mytype. The file was left as it is.", path = .path.display())]
    Version { path: PathBuf, version: u32 },
    #[error("could not serialise the profile: {0}")]
    Serialize(String),
    #[error("cannot find a data folder for profiles: set {PROFILES_ENV} or pass --profiles-dir")]
    NoDataDir,
    #[error("profile {name:?} is in use by another mytype ({holder}); finish that game first, or play as another --profile")]
    Locked { name: String, holder: String },
}

/// Checks a profile name: it becomes a file name, so no separators, no
/// leading dot, printable, at most [`MAX_NAME_LEN`] characters.
pub fn validate_name(name: &str) -> Result<(), ProfileError> {
    let bad = |why| {
        Err(ProfileError::InvalidName {
            name: name.to_string(),
            why,
        })
    };
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.chars().count() > MAX_NAME_LEN {
        return bad("it is longer than 64 characters");
    }
    if name.starts_with('.') {
        return bad("it starts with a dot");
    }
    if name.contains('/') || name.contains('\\') {
        return bad("it contains a path separator");
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return bad("use letters, digits, '-', '_' and '.' only");
    }
    Ok(())
}

/// A sensible default profile name from the login name.
pub fn default_player_name() -> String {
    let raw = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default();
    let cleaned: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(MAX_NAME_LEN)
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "player".to_string()
    } else {
        cleaned
    }
}

/// The folder holding profiles.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    dir: PathBuf,
}

impl ProfileStore {
    /// `flag`, else `MYTYPE_PROFILES`, else the XDG data dir.
    pub fn resolve(flag: Option<&Path>) -> Result<ProfileStore, ProfileError> {
        if let Some(dir) = flag {
            return Ok(ProfileStore::at(dir));
        }
        if let Some(dir) = std::env::var_os(PROFILES_ENV).filter(|v| !v.is_empty()) {
            return Ok(ProfileStore::at(Path::new(&dir)));
        }
        let dirs =
            directories::ProjectDirs::from("", "", "mytype").ok_or(ProfileError::NoDataDir)?;
        Ok(ProfileStore::at(&dirs.data_dir().join("profiles")))
    }

    pub fn at(dir: &Path) -> ProfileStore {
        ProfileStore {
            dir: dir.to_path_buf(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of profile `name` (validated).
    pub fn path_of(&self, name: &str) -> Result<PathBuf, ProfileError> {
        validate_name(name)?;
        Ok(self.dir.join(format!("{name}.{EXTENSION}")))
    }

    /// Loads a profile; a missing one is [`ProfileError::NotFound`].
    pub fn load(&self, name: &str) -> Result<Profile, ProfileError> {
        let path = self.path_of(name)?;
        load_file(&path).map_err(|e| match e {
            ProfileError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                ProfileError::NotFound {
                    name: name.to_string(),
                    dir: self.dir.clone(),
                }
            }
            other => other,
        })
    }

    /// Loads `name`, or `None` if there is no such profile yet.
    pub fn load_optional(&self, name: &str) -> Result<Option<Profile>, ProfileError> {
        match self.load(name) {
            Ok(p) => Ok(Some(p)),
            Err(ProfileError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Saves atomically (temp file, fsync, rename, fsync of the folder); the
    /// file is 0600 and a folder we create is 0700.
    pub fn save(&self, name: &str, profile: &Profile) -> Result<(), ProfileError> {
        let path = self.path_of(name)?;
        self.ensure_dir()?;
        let text = profile.to_ron()?;
        let io = |source| ProfileError::Io {
            path: path.clone(),
            source,
        };
        let mut options = atomic_write_file::AtomicWriteFile::options();
        #[cfg(unix)]
        {
            use atomic_write_file::unix::OpenOptionsExt;
            use std::os::unix::fs::OpenOptionsExt as _;
            options.preserve_mode(false).mode(0o600);
        }
        let mut file = options.open(&path).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.commit().map_err(io)?;
        Ok(())
    }

    fn ensure_dir(&self) -> Result<(), ProfileError> {
        if self.dir.is_dir() {
            return Ok(());
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
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

    /// Takes the profile's writer lock: one game or `rate` per profile at a
    /// time. The lock is an advisory `flock` on `.NAME.lock`, so the kernel
    /// drops it when its holder dies: a stale lock is simply free again.
    pub fn lock(&self, name: &str) -> Result<ProfileLock, ProfileError> {
        validate_name(name)?;
        self.ensure_dir()?;
        let path = self.dir.join(format!(".{name}.lock"));
        let io = |source| ProfileError::Io {
            path: path.clone(),
            source,
        };
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path)
                    .ok()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "holder unknown".to_string());
                return Err(ProfileError::Locked {
                    name: name.to_string(),
                    holder,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let holder = format!(
            "pid {} on host {}, since {}",
            std::process::id(),
            host_name(),
            now_rfc3339()
        );
        use std::io::Seek;
        file.set_len(0).map_err(io)?;
        file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
        file.write_all(holder.as_bytes()).map_err(io)?;
        Ok(ProfileLock { _file: file, path })
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
}

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

/// This machine's host name, for lock messages.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Loads a profile from a file path (for replaying a FILE).
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Profile::parse(&text, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Profile {
        Profile {
            version: PROFILE_FORMAT_VERSION,
            player: "ana".into(),
            pack: PackRef {
                name: "default".into(),
                hash: "abc".into(),
            },
            ratings: vec![
                RatingEntry {
                    face: "m001".into(),
                    level: Rating::Type,
                    time: "2026-11-26T21:00:00Z".into(),
                },
                RatingEntry {
                    face: "m002".into(),
                    level: Rating::VeryWeak,
                    time: "2026-11-26T21:00:05Z".into(),
                },
            ],
        }
    }

    #[test]
    fn names_are_validated() {
        for bad in [
            "",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "x\u{7}",
            "a b",
            &"x".repeat(65),
        ] {
            assert!(validate_name(bad).is_err(), "{bad:?} accepted");
        }
        for good in ["ana", "Ana-2", "léa", "bob.smith", "x_y"] {
            assert!(validate_name(good).is_ok(), "{good:?} refused");
        }
    }

    #[test]
    fn save_load_round_trip_with_private_permissions() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(&tmp.path().join("new").join("profiles"));
        store.save("ana", &sample()).unwrap();
        assert_eq!(store.load("ana").unwrap(), sample());
        assert_eq!(store.list().unwrap(), vec!["ana".to_string()]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = std::fs::metadata(store.path_of("ana").unwrap()).unwrap();
            assert_eq!(file.permissions().mode() & 0o777, 0o600);
            let dir = std::fs::metadata(store.dir()).unwrap();
            assert_eq!(dir.permissions().mode() & 0o777, 0o700);
        }
        store.remove("ana").unwrap();
        assert!(matches!(
            store.load("ana"),
            Err(ProfileError::NotFound { .. })
        ));
    }

    #[test]
    fn damaged_and_future_profiles_are_reported_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(tmp.path());
        let path = store.path_of("bad").unwrap();
        let text = sample().to_ron().unwrap();
        let cut = &text[..text.len() / 2];
        std::fs::write(&path, cut).unwrap();
        let err = store.load("bad").unwrap_err().to_string();
        assert!(
            err.contains("bad.ron:") && err.contains("left exactly"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), cut);

        std::fs::write(&path, text.replace("version: 1", "version: 99")).unwrap();
        let err = store.load("bad").unwrap_err().to_string();
        assert!(err.contains("version 99"), "{err}");
    }

    #[test]
    fn one_writer_per_profile() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(tmp.path());
        let held = store.lock("ana").unwrap();
        let err = store.lock("ana").unwrap_err().to_string();
        assert!(
            err.contains("in use") && err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        // Another profile is independent.
        let _other = store.lock("bo").unwrap();
        drop(held);
        // Released (as when the holder dies): it can be taken again.
        let _again = store.lock("ana").unwrap();
        // Lock files are not listed as profiles.
        assert!(store.list().unwrap().is_empty());
    }

    #[test]
    fn latest_rating_wins() {
        let mut p = sample();
        p.ratings.push(RatingEntry {
            face: "m001".into(),
            level: Rating::Normal,
            time: String::new(),
        });
        assert_eq!(
            p.latest_ratings(),
            vec![("m001", Rating::Normal), ("m002", Rating::VeryWeak)]
        );
    }
}
