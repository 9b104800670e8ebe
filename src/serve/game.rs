//! The real game for one guest: their profile (loaded, locked and saved as
//! `mytype play --profile NAME` does, or kept in memory for a keyless
//! guest), the crowd prior, and the [`App`] the game runtime plays.
//!
//! What runs the [`App`] on the guest's input and screen is the shared TUI
//! runtime (one event loop for play and replay, generic over input bytes and
//! an output `Write`); [`Prepared`] is everything it needs.

use super::placeholder;
use super::session::{GuestSession, Identity, Outcome, SessionFn};
use crate::game::recommend::crowd_scores;
use crate::pack::Pack;
use crate::profile::{Profile, ProfileError, ProfileLock, ProfileStore};
use crate::ui::app::{Order, Status, StatusKind};
use crate::ui::theme::Theme;
use crate::ui::App;
use std::sync::Arc;

/// What every guest's game shares (from `mytype serve`'s flags).
pub struct GameConfig {
    pub store: ProfileStore,
    pub pack: Arc<Pack>,
    pub reveal_pack: Option<Arc<Pack>>,
    /// `--no-crowd`: rank without the crowd prior.
    pub no_crowd: bool,
}

/// A guest's game, ready to run.
pub struct Prepared {
    pub app: App,
    /// Where it is saved; `None` for a keyless guest (nothing is written).
    pub store: Option<ProfileStore>,
    /// The profile's lock (the same one `mytype play` takes), held while
    /// the guest plays.
    pub lock: Option<ProfileLock>,
}

/// Shown on a keyless guest's first screen.
pub const KEYLESS_START: &str =
    "Playing without an SSH key: your ratings last until you leave, nothing is saved.";

/// Why a guest's game cannot start, in words for them.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("your profile is open in another session (another `ssh` or `mytype play`): close it, then join again")]
    Locked,
    #[error("your profile {name} rated the pack `{rated}`, and this party plays `{playing}`: use another name")]
    OtherPack {
        name: String,
        rated: String,
        playing: String,
    },
    #[error("your profile cannot be read: the host can see why")]
    Unreadable(#[source] ProfileError),
    #[error("the game cannot start: {0}")]
    Game(String),
}

/// Loads (or starts) the guest's profile and builds their game.
pub fn prepare(config: &GameConfig, guest: &GuestSession) -> Result<Prepared, PrepareError> {
    let pack = &config.pack;
    let (profile, store, lock) = match guest.identity {
        Identity::Key { .. } => {
            let lock = config.store.lock(&guest.name).map_err(|e| match e {
                ProfileError::Locked { .. } => PrepareError::Locked,
                e => PrepareError::Unreadable(e),
            })?;
            let profile = match config.store.load_optional(&guest.name) {
                Ok(Some(p)) => p,
                Ok(None) => Profile::new(&guest.name, pack),
                Err(e) => return Err(PrepareError::Unreadable(e)),
            };
            if profile.pack.name != pack.name() {
                return Err(PrepareError::OtherPack {
                    name: guest.name.clone(),
                    rated: profile.pack.name.clone(),
                    playing: pack.name().to_string(),
                });
            }
            (profile, Some(config.store.clone()), Some(lock))
        }
        Identity::Keyless => (Profile::new(&guest.name, pack), None, None),
    };
    let reveal = config.reveal_pack.as_deref();
    let crowd = (!config.no_crowd).then(|| {
        let rated = crowd_scores(pack, Some(&config.store), &guest.name);
        let revealed = match reveal {
            Some(other) => crowd_scores(other, Some(&config.store), &guest.name),
            None => rated.clone(),
        };
        (rated, revealed)
    });
    let theme = Theme {
        color: guest.terminal.colour(),
    };
    let mut app = App::new(
        &guest.name,
        profile,
        Pack::clone(pack),
        reveal.cloned(),
        theme,
    )
    .map_err(|e| PrepareError::Game(e.to_string()))?
    .with_options(Order::Adaptive, crowd);
    if store.is_none() {
        app.read_only = true;
        app.status = Some(Status {
            text: KEYLESS_START.into(),
            kind: StatusKind::Info,
        });
    }
    Ok(Prepared { app, store, lock })
}

/// Each guest's game: prepared here (a locked profile or one of another
/// pack is refused with the reason), then played. Until the shared TUI
/// runtime plays [`Prepared::app`] on the guest's session, the placeholder
/// runs while the profile's lock is held.
pub fn session(config: Arc<GameConfig>) -> SessionFn {
    Arc::new(move |guest: GuestSession| {
        let prepared = match prepare(&config, &guest) {
            Ok(prepared) => prepared,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let outcome = placeholder::run(guest);
        drop(prepared);
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::generate::{generate_pack, GenerateOptions};
    use crate::serve::board::PartyReporter;
    use crate::serve::session::{input_queue, output_queue, Terminal};

    fn guest(name: &str, identity: Identity) -> GuestSession {
        GuestSession {
            name: name.into(),
            identity,
            terminal: Terminal {
                term: "xterm-256color".into(),
                colorterm: None,
                lang: None,
                cols: 80,
                rows: 24,
            },
            input: input_queue().1,
            output: output_queue().0,
            party: PartyReporter::detached(name),
        }
    }

    #[test]
    fn keyed_guests_lock_their_profile_and_keyless_ones_save_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let opts = GenerateOptions {
            seed: 5,
            models: 12,
            celebrities: 4,
        };
        generate_pack(&tmp.path().join("pack"), &opts).unwrap();
        let pack = Pack::load(&tmp.path().join("pack")).unwrap();
        let config = GameConfig {
            store: ProfileStore::at(&tmp.path().join("profiles")),
            pack: Arc::new(pack),
            reveal_pack: None,
            no_crowd: false,
        };
        let key = Identity::Key {
            fingerprint: "SHA256:x".into(),
        };
        let ana = prepare(&config, &guest("ana", key.clone())).unwrap();
        assert!(ana.lock.is_some() && ana.store.is_some() && !ana.app.read_only);
        // The same profile in a second session (or `mytype play`) waits.
        let again = prepare(&config, &guest("ana", key.clone())).err();
        assert!(matches!(again, Some(PrepareError::Locked)), "{again:?}");
        drop(ana);
        assert!(prepare(&config, &guest("ana", key)).is_ok());
        // Keyless: nothing locked, nothing ever saved, and the guest is told.
        let bo = prepare(&config, &guest("bo", Identity::Keyless)).unwrap();
        assert!(bo.lock.is_none() && bo.store.is_none() && bo.app.read_only);
        let status = bo.app.status.as_ref().map(|s| s.text.as_str());
        assert_eq!(status, Some(KEYLESS_START));
    }
}
