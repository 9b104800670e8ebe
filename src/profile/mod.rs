//! Player profiles: one RON file per player holding every rating in order.
//!
//! Location: `--profiles-dir`, else `MYTYPE_PROFILES`, else the XDG data dir
//! (`~/.local/share/mytype/profiles` on Linux).
//!
//! The folder may be shared by several players on one machine, and any of
//! them may be hostile: [`safe_file`] opens every file in it without
//! following symbolic links and checks what it opened, [`store`] writes
//! through private temporary files, [`lock`] keeps one writer per profile.

pub mod lock;
pub mod safe_file;
pub mod store;
pub mod view;

pub use lock::ProfileLock;
pub use safe_file::MAX_PROFILE_BYTES;
pub use store::ProfileStore;

use crate::core::rating::Rating;
use crate::pack::{ron_options, ron_pretty, Pack};
use serde::{Deserialize, Deserializer, Serialize};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Version of the profile format this build writes.
pub const PROFILE_FORMAT_VERSION: u32 = 1;
/// Environment variable naming the profiles folder.
pub const PROFILES_ENV: &str = "MYTYPE_PROFILES";
/// Longest profile name accepted, in characters.
pub const MAX_NAME_LEN: usize = 64;
/// Longest profile name accepted, in bytes of UTF-8 (a letter outside ASCII
/// takes 2-4): the name becomes `NAME.ron`, `.NAME.lock` and the temporary
/// `.NAME.ron.PID-XXXXXX.tmp`, and a file name holds at most 255 bytes.
pub const MAX_NAME_BYTES: usize = 200;
/// Most ratings one profile may hold: a game rates about fifty faces, and a
/// player rating every face of a 10 000-face pack ten times stays under it.
/// A profile claiming more is refused as it is read, before it costs memory.
pub const MAX_RATINGS: usize = 100_000;
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
    #[serde(default, deserialize_with = "capped")]
    pub ratings: Vec<RatingEntry>,
}

/// Reads the ratings list, failing at the first one past [`MAX_RATINGS`].
fn capped<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Capped<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Capped<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_RATINGS} ratings")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(entry) = seq.next_element()? {
                if out.len() == MAX_RATINGS {
                    return Err(serde::de::Error::custom(format!(
                        "more than {MAX_RATINGS} ratings (the most one profile may hold)"
                    )));
                }
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Capped(std::marker::PhantomData))
}

/// The latest level per face of `ratings` (a face re-rated counts once,
/// last wins), in the order faces were first rated.
pub(crate) fn latest_of<'a>(
    ratings: impl Iterator<Item = (&'a str, Rating)>,
) -> Vec<(&'a str, Rating)> {
    let mut out: Vec<(&str, Rating)> = Vec::new();
    // Index into `out` by face: a replayed profile of thousands of
    // ratings must not cost a scan per rating.
    let mut slot: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (face, level) in ratings {
        match slot.get(face) {
            Some(&i) => out[i].1 = level,
            None => {
                slot.insert(face, out.len());
                out.push((face, level));
            }
        }
    }
    out
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
        latest_of(self.ratings.iter().map(|r| (r.face.as_str(), r.level)))
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
    #[error("no profile named {name} in {dir}", name = crate::core::sanitize::one_line(.name), dir = .dir.display())]
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
    #[error("{path}: profile format version {version} is not supported (this mytype reads version {PROFILE_FORMAT_VERSION}){newer}. The file was left as it is.", path = .path.display(), newer = if *.version > PROFILE_FORMAT_VERSION { "; it may come from a newer mytype" } else { "" })]
    Version { path: PathBuf, version: u32 },
    #[error("could not serialise the profile: {0}")]
    Serialize(String),
    #[error("cannot find a data folder for profiles: set {PROFILES_ENV} or pass --profiles-dir")]
    NoDataDir,
    #[error("profile {name} is in use by another mytype ({holder}): finish that game first, or play as another --profile", name = crate::core::sanitize::one_line(.name))]
    Locked { name: String, holder: String },
    /// A file in the profiles folder that is not what mytype would have
    /// made there: a symbolic link, a pipe or device, another user's file,
    /// one too large to be a profile. It is left exactly as it is.
    #[error("{path}: {why}. {fix}", path = .path.display())]
    Refused {
        path: PathBuf,
        why: String,
        fix: String,
    },
    #[error("profile {name} has {count} ratings, the most one profile may hold ({MAX_RATINGS}); continue as another --profile", name = crate::core::sanitize::one_line(.name))]
    TooManyRatings { name: String, count: usize },
}

/// Checks a profile name: it becomes a file name, so no separators, no
/// leading dot, printable, at most [`MAX_NAME_LEN`] characters and
/// [`MAX_NAME_BYTES`] bytes.
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
    if name.len() > MAX_NAME_BYTES {
        return bad("it is longer than 200 bytes (letters outside ASCII take 2 to 4 bytes each)");
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
    let from_env = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|name| !name.is_empty());
    player_name_from(from_env, login_name)
}

/// The default name from the environment's user name, else the login name
/// (`login`), else "player"; cleaned to the profile-name rules.
fn player_name_from(from_env: Option<String>, login: fn() -> Option<String>) -> String {
    let raw = from_env.or_else(login).unwrap_or_default();
    let cleaned: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(MAX_NAME_LEN)
        .scan(0, |bytes, c| {
            *bytes += c.len_utf8();
            (*bytes <= MAX_NAME_BYTES).then_some(c)
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "player".to_string()
    } else {
        cleaned
    }
}

/// The login name of this process's user, from the password database
/// (when `$USER` and `$LOGNAME` are unset, as under some `su`, cron or
/// container set-ups).
fn login_name() -> Option<String> {
    let uid = rustix::process::getuid().as_raw();
    let mut buf = vec![0u8; 4096];
    // SAFETY: every pointer is to a live local of the right type and `buf`
    // is as long as said; `entry` is read only when the call filled it
    // (returned 0 and set `found`), and `pw_name` points into `buf`.
    unsafe {
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            uid,
            &mut entry,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut found,
        );
        if rc != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(entry.pw_name);
        Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
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

/// Loads a profile from a file path the player named (for replaying a
/// FILE): a symbolic link the player made is followed, but what it leads
/// to must be a regular file of at most [`MAX_PROFILE_BYTES`], so a pipe or
/// `/dev/zero` is refused instead of hanging or filling memory.
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let text = safe_file::read_capped(path, safe_file::Follow::Yes)?;
    Profile::parse(&text, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_user_in_the_environment_the_login_name_is_the_default() {
        let id = std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap();
        let expected = String::from_utf8_lossy(&id.stdout).trim().to_string();
        assert!(!expected.is_empty(), "id -un said nothing");
        assert_eq!(login_name().as_deref(), Some(expected.as_str()));
        assert_eq!(player_name_from(None, login_name), expected);
        assert_eq!(player_name_from(Some("ana".into()), login_name), "ana");
        assert_eq!(player_name_from(None, || None), "player");
    }

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
    fn an_unknown_version_says_newer_only_when_it_is() {
        let error = |version| {
            ProfileError::Version {
                path: "ana.ron".into(),
                version,
            }
            .to_string()
        };
        let newer = error(PROFILE_FORMAT_VERSION + 1);
        assert!(
            newer.contains(&format!("(this mytype reads version {PROFILE_FORMAT_VERSION}); it may come from a newer mytype.")),
            "{newer}"
        );
        let zero = error(0);
        assert!(
            zero.contains(
                "format version 0 is not supported (this mytype reads version 1). The file"
            ),
            "{zero}"
        );
        assert!(!zero.contains("newer"), "{zero}");
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
