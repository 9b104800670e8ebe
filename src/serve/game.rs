//! The real game for one guest: their profile (loaded, locked and saved as
//! `mytype play --profile NAME` does, or kept in memory for a keyless
//! guest), the crowd prior, and the [`App`] the game runtime plays.
//!
//! What runs the [`App`] on the guest's input and screen is the shared TUI
//! runtime (one event loop for play and replay, generic over input bytes and
//! an output `Write`); [`Prepared`] is everything it needs.

use super::session::{GuestSession, Identity};
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
