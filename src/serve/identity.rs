//! Who may join as whom.
//!
//! The SSH user name is the player's name and must be a valid profile name.
//! A name is bound to the public key that first joined with it: the key is
//! kept in `PROFILES_DIR/.keys/NAME.pub` (one OpenSSH line, written once,
//! atomically, never overwritten), and any other key is refused for that
//! name. A profile that already exists without a key (made by `mytype
//! play` on this machine) is not handed to the first key that asks: the
//! host binds it by putting the player's public key in that file.
//!
//! Keyless guests (`--open`) may only take a name that has neither a key
//! nor a profile; it is theirs while connected, and nothing of it is saved,
//! so no one can later claim what they rated and they cannot take anyone's.

use super::files::{self, FileError, Secrecy};
use super::limits::{AUTHORIZED_KEYS_MAX, KEY_FILE_MAX};
use crate::profile::ProfileStore;
use russh::keys::{HashAlg, PublicKey};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The folder of the keys players joined with (which name is whose), inside the profiles folder.
pub const KEYS_DIR: &str = ".keys";

/// Why a guest is not let in. The text is shown to them, so it never holds
/// anything they sent unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    BadName {
        name: String,
        why: String,
    },
    NameTaken {
        name: String,
    },
    UnclaimedProfile {
        name: String,
    },
    KeylessTaken {
        name: String,
    },
    NotInvited,
    KeyRequired,
    Full {
        max: usize,
    },
    AlreadyPlaying {
        name: String,
    },
    /// Something is wrong on the host's side (a damaged key file); the
    /// details go to the host's log, not to the guest.
    HostProblem,
}

/// A name as it may appear in a message: escaped and cut short.
fn shown(name: &str) -> String {
    let cut: String = name.chars().take(40).collect();
    let more = if name.chars().count() > 40 { "…" } else { "" };
    format!("{:?}{more}", cut)
}

impl Refusal {
    /// The message for the guest (several lines, no trailing newline).
    pub fn message(&self, port: u16) -> String {
        let again = |what: &str| format!("Connect again with {what}: ssh -p {port} NAME@HOST");
        match self {
            Refusal::BadName { name, why } => format!(
                "{} can't be a player name: {why}.\n{}",
                shown(name),
                again("another name (letters, digits, '-', '_' and '.')")
            ),
            Refusal::NameTaken { name } => format!(
                "The name {} belongs to another player's SSH key.\n{}",
                shown(name),
                again("another name")
            ),
            Refusal::UnclaimedProfile { name } => format!(
                "{} already has a profile on this machine that no key owns yet.\n\
                 Pick another name, or ask the host to add your public key as {KEYS_DIR}/{name}.pub\n\
                 in the profiles folder.",
                shown(name)
            ),
            Refusal::KeylessTaken { name } => format!(
                "The name {} is taken. Without an SSH key you can only pick a new name.\n{}",
                shown(name),
                again("another name")
            ),
            Refusal::NotInvited => {
                "Your SSH key is not on this party's guest list: ask the host to add it.".into()
            }
            Refusal::KeyRequired => format!(
                "This party lets guests in with an SSH key only.\n\
                 Make one with `ssh-keygen -t ed25519`, then: ssh -p {port} NAME@HOST"
            ),
            Refusal::Full { max } => format!(
                "The party is full ({max} {}). Try again in a little while.",
                if *max == 1 { "player" } else { "players" }
            ),
            Refusal::AlreadyPlaying { name } => format!(
                "{} is already playing from another connection.\n\
                 Finish that game first, or pick another name.",
                shown(name)
            ),
            Refusal::HostProblem => {
                "The server cannot check this name right now; the host has been told.".into()
            }
        }
    }
}

/// How a name may be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is the name's: a returning player.
    Returning,
    /// Nobody has the name: it is bound to this key when they log in.
    New,
    /// A keyless guest on a free name (`--open`).
    Keyless,
}

/// The `--authorized-keys` list: who may join at all.
pub struct GuestList {
    keys: Vec<PublicKey>,
}

/// `authorized_keys` options that only take away what the server never
/// gives anyway; any other option (`from=`, `command=`, …) cannot be
/// honoured and is refused rather than silently ignored.
const HARMLESS_OPTIONS: [&str; 6] = [
    "restrict",
    "no-agent-forwarding",
    "no-port-forwarding",
    "no-X11-forwarding",
    "no-user-rc",
    "no-touch-required",
];

#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("--authorized-keys: {0}")]
    File(#[from] FileError),
    #[error("{path}:{line}: {why}", path = .path.display())]
    Line {
        path: PathBuf,
        line: usize,
        why: String,
    },
    #[error("{path}: no key in it: nobody could join", path = .path.display())]
    Empty { path: PathBuf },
}

/// Splits an `authorized_keys` line into its options and the key: options
/// come first when the line does not start with a key type; commas inside
/// quotes do not split.
fn split_options(line: &str) -> (Vec<&str>, &str) {
    let is_key_type =
        |t: &str| t.starts_with("ssh-") || t.starts_with("ecdsa-") || t.starts_with("sk-");
    if is_key_type(line) {
        return (Vec::new(), line);
    }
    let mut quoted = false;
    let mut end = line.len();
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let (opts, rest) = line.split_at(end);
    let mut options = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in opts.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                options.push(&opts[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    options.push(&opts[start..]);
    (options, rest.trim_start())
}

impl GuestList {
    /// Reads an OpenSSH `authorized_keys` file.
    pub fn load(path: &Path) -> Result<GuestList, ListError> {
        let text = files::read_text(path, AUTHORIZED_KEYS_MAX, Secrecy::Public)?;
        let mut keys = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: String| ListError::Line {
                path: path.to_path_buf(),
                line: i + 1,
                why,
            };
            let (options, key) = split_options(line);
            for opt in options {
                let name = opt.split('=').next().unwrap_or(opt);
                if !HARMLESS_OPTIONS
                    .iter()
                    .any(|h| h.eq_ignore_ascii_case(name))
                {
                    return Err(bad(format!(
                        "option `{name}` is not supported by mytype serve: remove it"
                    )));
                }
            }
            let key = PublicKey::from_openssh(key)
                .map_err(|e| bad(format!("not a public key line ({e})")))?;
            keys.push(key);
        }
        if keys.is_empty() {
            return Err(ListError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(GuestList { keys })
    }

    pub fn admits(&self, key: &PublicKey) -> bool {
        self.keys.iter().any(|k| k.key_data() == key.key_data())
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BindingError {
    #[error("a player's key file: {0}")]
    File(#[from] FileError),
    #[error("{path}: not a public key ({why})", path = .path.display())]
    Parse { path: PathBuf, why: String },
    #[error("cannot write a player's key file: {0}")]
    Encode(String),
}

/// Names bound to keys, beside the profiles.
pub struct NameKeys {
    store: ProfileStore,
    dir: PathBuf,
    /// Check-then-bind happens under this lock (other processes are kept
    /// out by the hard link that never overwrites).
    binding: Mutex<()>,
}

impl NameKeys {
    pub fn new(store: &ProfileStore) -> NameKeys {
        NameKeys {
            store: store.clone(),
            dir: store.dir().join(KEYS_DIR),
            binding: Mutex::new(()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.pub"))
    }

    /// The key bound to `name` (a valid name), if any.
    pub fn bound(&self, name: &str) -> Result<Option<PublicKey>, BindingError> {
        let path = self.path(name);
        let text = match files::read_text(&path, KEY_FILE_MAX, Secrecy::Public) {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        PublicKey::from_openssh(line)
            .map(Some)
            .map_err(|e| BindingError::Parse {
                path,
                why: e.to_string(),
            })
    }

    fn has_profile(&self, name: &str) -> bool {
        self.store
            .path_of(name)
            .is_ok_and(|p| std::fs::symlink_metadata(p).is_ok())
    }

    /// Whether `name` may be taken with `key` (`None`: keyless). Checks
    /// only; [`NameKeys::bind`] makes a [`Claim::New`] permanent.
    pub fn check(&self, name: &str, key: Option<&PublicKey>) -> Result<Claim, CheckError> {
        if let Err(e) = crate::profile::validate_name(name) {
            let why = match e {
                crate::profile::ProfileError::InvalidName { why, .. } => why.to_string(),
                other => other.to_string(),
            };
            return Err(CheckError::Refused(Refusal::BadName {
                name: name.to_string(),
                why,
            }));
        }
        let bound = self.bound(name).map_err(CheckError::Host)?;
        match (key, bound) {
            (Some(k), Some(b)) if k.key_data() == b.key_data() => Ok(Claim::Returning),
            (Some(_), Some(_)) => Err(CheckError::Refused(Refusal::NameTaken {
                name: name.to_string(),
            })),
            (None, Some(_)) => Err(CheckError::Refused(Refusal::KeylessTaken {
                name: name.to_string(),
            })),
            (_, None) if self.has_profile(name) => {
                Err(CheckError::Refused(Refusal::UnclaimedProfile {
                    name: name.to_string(),
                }))
            }
            (Some(_), None) => Ok(Claim::New),
            (None, None) => Ok(Claim::Keyless),
        }
    }

    /// Binds `name` to `key` if nobody has it yet; `Returning` if it already
    /// was this key's, and a refusal if another key got there first.
    pub fn bind(&self, name: &str, key: &PublicKey) -> Result<Claim, CheckError> {
        let _guard = self
            .binding
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match self.check(name, Some(key))? {
            Claim::New => {}
            other => return Ok(other),
        }
        files::private_dir(&self.dir).map_err(|e| CheckError::Host(e.into()))?;
        // The guest's own comment (often user@laptop) is not kept.
        let mut public = PublicKey::from(key.key_data().clone());
        public.set_comment(format!("mytype player {name}"));
        let line = public
            .to_openssh()
            .map_err(|e| CheckError::Host(BindingError::Encode(e.to_string())))?;
        let created = files::create_new_private(&self.path(name), &format!("{line}\n"))
            .map_err(|e| CheckError::Host(e.into()))?;
        if created {
            Ok(Claim::New)
        } else {
            // Another mytype bound it meanwhile: theirs decides.
            self.check(name, Some(key))
        }
    }
}

/// Why [`NameKeys::check`] said no.
#[derive(Debug)]
pub enum CheckError {
    Refused(Refusal),
    /// A binding file could not be read: the host must look at it.
    Host(BindingError),
}

/// `SHA256:…` of a key, for the log.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh::keys::ssh_key::private::Ed25519Keypair;
    use russh::keys::PrivateKey;

    fn key(seed: u8) -> PublicKey {
        PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
            .public_key()
            .clone()
    }

    fn refused(r: Result<Claim, CheckError>) -> Refusal {
        match r {
            Err(CheckError::Refused(r)) => r,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn the_first_key_binds_a_name() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(&tmp.path().join("profiles"));
        let ids = NameKeys::new(&store);
        assert_eq!(ids.check("ana", Some(&key(1))).unwrap(), Claim::New);
        assert_eq!(ids.bind("ana", &key(1)).unwrap(), Claim::New);
        assert_eq!(ids.bind("ana", &key(1)).unwrap(), Claim::Returning);
        assert_eq!(ids.check("ana", Some(&key(1))).unwrap(), Claim::Returning);
        assert_eq!(
            refused(ids.bind("ana", &key(2))),
            Refusal::NameTaken { name: "ana".into() }
        );
        assert_eq!(
            refused(ids.check("ana", None)),
            Refusal::KeylessTaken { name: "ana".into() }
        );
        // The file holds the key without the guest's comment.
        let text = std::fs::read_to_string(ids.dir().join("ana.pub")).unwrap();
        assert!(text.starts_with("ssh-ed25519 ") && text.ends_with("mytype player ana\n"));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ids.dir()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn bad_names_unclaimed_profiles_and_keyless_guests() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(tmp.path());
        let ids = NameKeys::new(&store);
        for bad in ["", ".x", "a/b", "a b", "x\u{1b}[2J"] {
            let r = refused(ids.check(bad, Some(&key(1))));
            assert!(matches!(r, Refusal::BadName { .. }), "{bad:?}: {r:?}");
            // The message shows the name escaped: no raw control bytes.
            assert!(!r.message(2222).contains('\u{1b}'));
        }
        std::fs::write(tmp.path().join("local.ron"), "x").unwrap();
        assert_eq!(
            refused(ids.check("local", Some(&key(1)))),
            Refusal::UnclaimedProfile {
                name: "local".into()
            }
        );
        assert!(matches!(
            refused(ids.check("local", None)),
            Refusal::UnclaimedProfile { .. }
        ));
        assert_eq!(ids.check("newbie", None).unwrap(), Claim::Keyless);
        // Binding by hand lets the owner of the key in.
        std::fs::create_dir_all(ids.dir()).unwrap();
        std::fs::write(
            ids.dir().join("local.pub"),
            key(3).to_openssh().unwrap() + "\n",
        )
        .unwrap();
        assert_eq!(ids.check("local", Some(&key(3))).unwrap(), Claim::Returning);
    }

    #[test]
    fn damaged_or_linked_key_files_are_the_hosts_problem() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(tmp.path());
        let ids = NameKeys::new(&store);
        std::fs::create_dir_all(ids.dir()).unwrap();
        std::fs::write(ids.dir().join("ana.pub"), "garbage").unwrap();
        assert!(matches!(
            ids.check("ana", Some(&key(1))),
            Err(CheckError::Host(_))
        ));
        let elsewhere = tmp.path().join("elsewhere.pub");
        std::fs::write(&elsewhere, key(1).to_openssh().unwrap()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, ids.dir().join("bo.pub")).unwrap();
        assert!(matches!(
            ids.check("bo", Some(&key(1))),
            Err(CheckError::Host(_))
        ));
    }

    #[test]
    fn the_guest_list_reads_authorized_keys() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("authorized_keys");
        let text = format!(
            "# the party\n\n{}\nrestrict {}\n",
            key(1).to_openssh().unwrap(),
            key(2).to_openssh().unwrap()
        );
        std::fs::write(&path, text).unwrap();
        let list = GuestList::load(&path).unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.admits(&key(1)) && list.admits(&key(2)) && !list.admits(&key(3)));

        std::fs::write(
            &path,
            format!("from=\"10.0.0.1\" {}\n", key(1).to_openssh().unwrap()),
        )
        .unwrap();
        let err = GuestList::load(&path).err().unwrap().to_string();
        assert!(err.contains(":1:") && err.contains("`from`"), "{err}");
        std::fs::write(&path, "ssh-ed25519 notbase64\n").unwrap();
        assert!(GuestList::load(&path).is_err());
        std::fs::write(&path, "# nobody\n").unwrap();
        assert!(matches!(
            GuestList::load(&path),
            Err(ListError::Empty { .. })
        ));
    }
}
