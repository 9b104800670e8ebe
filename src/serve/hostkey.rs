//! The server's ed25519 host key: created on first run, kept 0600, reused so
//! guests' `known_hosts` entries stay valid from party to party.

use super::files::{self, FileError, Secrecy};
use super::limits::KEY_FILE_MAX;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::LineEnding;
use russh::keys::{HashAlg, PrivateKey};
use std::path::{Path, PathBuf};

/// The host key's file name in the data folder.
pub const HOST_KEY_FILE: &str = "ssh_host_ed25519_key";

#[derive(Debug, thiserror::Error)]
pub enum HostKeyError {
    #[error("host key: {0}")]
    File(#[from] FileError),
    #[error("host key {path}: not an OpenSSH private key ({why})", path = .path.display())]
    Parse { path: PathBuf, why: String },
    #[error("host key {path}: protected by a passphrase; use a key without one", path = .path.display())]
    Encrypted { path: PathBuf },
    #[error("cannot create a host key: {0}")]
    Create(String),
    #[error("cannot find a data folder for the host key: pass --host-key FILE")]
    NoDataDir,
}

/// The default host key path: the data folder of mytype
/// (`~/.local/share/mytype/ssh_host_ed25519_key`).
pub fn default_path() -> Result<PathBuf, HostKeyError> {
    let dirs = directories::ProjectDirs::from("", "", "mytype").ok_or(HostKeyError::NoDataDir)?;
    Ok(dirs.data_dir().join(HOST_KEY_FILE))
}

/// A loaded host key and whether it was created just now.
pub struct HostKey {
    pub key: PrivateKey,
    pub created: bool,
    pub path: PathBuf,
}

impl HostKey {
    /// `SHA256:…`, as `ssh` and `ssh-keygen -l` show it.
    pub fn fingerprint(&self) -> String {
        self.key
            .public_key()
            .fingerprint(HashAlg::Sha256)
            .to_string()
    }
}

/// Loads the key at `path`, or creates one there (its folder 0700, the file
/// 0600) when there is none. A file that others can read, that is not ours,
/// or that is a symlink is refused, as ssh does.
pub fn load_or_create(path: &Path) -> Result<HostKey, HostKeyError> {
    match load(path) {
        Ok(key) => {
            return Ok(HostKey {
                key,
                created: false,
                path: path.to_path_buf(),
            })
        }
        Err(HostKeyError::File(e)) if e.is_not_found() => {}
        Err(e) => return Err(e),
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        files::private_dir(dir)?;
    }
    let key = generate()?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| HostKeyError::Create(e.to_string()))?;
    if files::create_new_private(path, &text)? {
        Ok(HostKey {
            key,
            created: true,
            path: path.to_path_buf(),
        })
    } else {
        // Another server created it meanwhile: use theirs.
        Ok(HostKey {
            key: load(path)?,
            created: false,
            path: path.to_path_buf(),
        })
    }
}

fn load(path: &Path) -> Result<PrivateKey, HostKeyError> {
    let text = files::read_text(path, KEY_FILE_MAX, Secrecy::Secret)?;
    let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| HostKeyError::Parse {
        path: path.to_path_buf(),
        why: e.to_string(),
    })?;
    if key.is_encrypted() {
        return Err(HostKeyError::Encrypted {
            path: path.to_path_buf(),
        });
    }
    Ok(key)
}

fn generate() -> Result<PrivateKey, HostKeyError> {
    use rand::TryRngCore;
    let mut seed = zeroize::Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng
        .try_fill_bytes(seed.as_mut())
        .map_err(|e| HostKeyError::Create(format!("no randomness from the system: {e}")))?;
    let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    key.set_comment(format!("mytype serve on {}", crate::profile::host_name()));
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn created_once_then_reused_and_kept_private() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("data").join("key");
        let first = load_or_create(&path).unwrap();
        assert!(first.created);
        assert!(first.fingerprint().starts_with("SHA256:"));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir = std::fs::metadata(path.parent().unwrap()).unwrap();
        assert_eq!(dir.permissions().mode() & 0o777, 0o700);
        let again = load_or_create(&path).unwrap();
        assert!(!again.created);
        assert_eq!(again.fingerprint(), first.fingerprint());
    }

    #[test]
    fn readable_by_others_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("key");
        load_or_create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let err = load_or_create(&path).err().unwrap().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        // Nothing was overwritten.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(!load_or_create(&path).unwrap().created);
    }

    #[test]
    fn garbage_is_refused_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("key");
        std::fs::write(&path, "not a key").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let err = load_or_create(&path).err().unwrap().to_string();
        assert!(err.contains("not an OpenSSH private key"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a key");
    }
}
