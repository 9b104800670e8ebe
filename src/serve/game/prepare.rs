//! A guest's game before it runs: their profile loaded and locked as
//! `mytype play --profile NAME` does (or kept in memory for a keyless guest),
//! the crowd prior, and the [`App`] built on them; or the reason, in words
//! for the guest, why it cannot start.

use super::GameConfig;
use crate::core::sanitize;
use crate::game::crowd_sources::rated_and_reveal_crowds;
use crate::pack::Pack;
use crate::profile::{Profile, ProfileError, ProfileLock, ProfileStore};
use crate::serve::announce;
use crate::serve::session::{GuestSession, Identity};
use crate::ui::app::order::Order;
use crate::ui::app::{Status, StatusKind};
use crate::ui::theme::Theme;
use crate::ui::App;

/// A guest's game, ready to run.
pub struct Prepared {
    pub app: App,
    /// Where it is saved; `None` for a keyless guest (nothing is written).
    pub store: Option<ProfileStore>,
    /// The profile's lock (the same one `mytype play` takes), held while
    /// the guest plays.
    pub lock: Option<ProfileLock>,
    /// `--max-players`, for the party board.
    pub max_players: usize,
}

/// Shown on a keyless guest's first screen.
pub const KEYLESS_START: &str =
    "Playing without an SSH key: your ratings last until you leave, nothing is saved.";

/// Why a guest's game cannot start, in words for them; `join` is the
/// command that joins again (their name, or `NAME`, at the address they
/// used).
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("your profile is open in another session (another `ssh` or `mytype play`): close it, then join again: {join}")]
    Locked { join: String },
    #[error("your profile {name} rated the pack `{rated}`, and this party plays `{playing}`: connect again with another name: {join}")]
    OtherPack {
        name: String,
        rated: String,
        playing: String,
        join: String,
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
                ProfileError::Locked { .. } => PrepareError::Locked {
                    join: announce::rejoin(&guest.name, guest.joined_at),
                },
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
                    // The profile file's text, shown to the guest: inert.
                    rated: sanitize::one_line(&profile.pack.name).into_owned(),
                    playing: pack.name().to_string(),
                    join: announce::rejoin("NAME", guest.joined_at),
                });
            }
            (profile, Some(config.store.clone()), Some(lock))
        }
        Identity::Keyless => (Profile::new(&guest.name, pack), None, None),
    };
    let reveal = config.reveal_pack.as_deref();
    let crowd = (!config.no_crowd)
        .then(|| rated_and_reveal_crowds(&config.store, &guest.name, pack, reveal));
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
    Ok(Prepared {
        app,
        store,
        lock,
        max_players: config.max_players,
    })
}
