//! The runtime's side of [`Effect`]s: the disk I/O the game asks for.
//! `App` says what to save and learns how it went; only this file touches
//! the profile store.

use crate::profile::{Profile, ProfileError, ProfileStore, MAX_NAME_LEN};
use crate::ui::action::Effect;
use crate::ui::app::App;
use crate::ui::strings;

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

/// The highest backup number tried (`NAME-1` to `NAME-9999`).
const LAST_BACKUP: usize = 9_999;

/// Saves `profile` as `NAME-<n>` (the first free n) and returns that name.
fn backup(store: &ProfileStore, player: &str, profile: &Profile) -> Result<String, String> {
    backup_within(store, player, profile, LAST_BACKUP)
}

/// [`backup`], trying `NAME-1` to `NAME-<last>`.
fn backup_within(
    store: &ProfileStore,
    player: &str,
    profile: &Profile,
    last: usize,
) -> Result<String, String> {
    let base: String = player.chars().take(MAX_NAME_LEN - 5).collect();
    for n in 1..=last {
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
    Err(strings::no_free_backup(&base, last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::generate::{generate_pack, GenerateOptions};

    #[test]
    fn with_every_backup_name_taken_the_message_names_them() {
        let tmp = tempfile::tempdir().unwrap();
        let opts = GenerateOptions {
            seed: 1,
            models: 12,
            celebrities: 2,
        };
        generate_pack(&tmp.path().join("pack"), &opts).unwrap();
        let pack = crate::pack::Pack::load(&tmp.path().join("pack")).unwrap();
        let store = ProfileStore::at(&tmp.path().join("profiles"));
        let profile = Profile::new("ana", &pack);
        assert_eq!(backup_within(&store, "ana", &profile, 2).unwrap(), "ana-1");
        assert_eq!(backup_within(&store, "ana", &profile, 2).unwrap(), "ana-2");
        assert_eq!(
            backup_within(&store, "ana", &profile, 2).unwrap_err(),
            "profiles ana-1 to ana-2 all exist"
        );
    }
}
