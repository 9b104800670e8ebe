//! The runtime's side of [`Effect`]s: the disk I/O the game asks for.
//! `App` says what to save and learns how it went; only this file touches
//! the profile store.

use crate::profile::{Profile, ProfileError, ProfileStore, MAX_NAME_LEN};
use crate::ui::app::{App, Effect};

/// Performs `effect` for `app` against `store` (`None`: nothing is ever
/// written, as in `--read-only`). Never fails: errors go to the status line
/// and a failed save is retried at the next one.
pub fn perform_in(app: &mut App, effect: Effect, store: Option<&ProfileStore>) {
    let save = |app: &App| -> Option<Result<(), String>> {
        let store = store?;
        let (name, profile) = app.to_save()?;
        Some(store.save(name, profile).map_err(|e| e.to_string()))
    };
    match effect {
        Effect::Save => {
            if let Some(result) = save(app) {
                app.saved(result);
            }
        }
        Effect::SaveAndQuit => {
            let result = save(app);
            app.saved_to_quit(result);
        }
        Effect::NewRound => {
            let backup = match store {
                Some(store) if !app.read_only => backup(store, &app.profile_name, &app.profile),
                _ => Err(String::new()),
            };
            let name = backup.clone().unwrap_or_default();
            if app.new_round_backed_up(backup) {
                if let Some(result) = save(app) {
                    app.saved(result);
                }
                app.new_round_saved(&name);
            }
        }
        Effect::RestartClock => {}
    }
}

/// [`perform_in`] with a store.
pub fn perform(app: &mut App, effect: Effect, store: &ProfileStore) {
    perform_in(app, effect, Some(store));
}

/// Saves `profile` as `NAME-<n>` (the first free n) and returns that name.
fn backup(store: &ProfileStore, player: &str, profile: &Profile) -> Result<String, String> {
    let base: String = player.chars().take(MAX_NAME_LEN - 5).collect();
    for n in 1..10_000 {
        let name = format!("{base}-{n}");
        match store.load_optional(&name) {
            Ok(None) => {
                return store
                    .save(&name, profile)
                    .map(|_| name)
                    .map_err(|e| e.to_string())
            }
            Ok(Some(_)) => continue,
            // A damaged file under that name: leave it alone, try the next.
            Err(ProfileError::Parse { .. }) | Err(ProfileError::Version { .. }) => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err("no free backup name".into())
}
