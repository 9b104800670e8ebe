//! The real game for one guest: their profile (loaded, locked and saved as
//! `mytype play --profile NAME` does, or kept in memory for a keyless
//! guest), the crowd prior, and the [`App`] the game runtime plays.
//!
//! What runs the [`App`] on the guest's input and screen is the shared TUI
//! runtime (one event loop for play and replay, generic over input bytes and
//! an output `Write`); [`Prepared`] is everything it needs.

use super::board::PartyReporter;
use super::session::{GuestInput, GuestSession, Identity, Outcome, SessionFn};
use crate::game::recommend::{crowd_scores, Recommender};
use crate::pack::Pack;
use crate::profile::{Profile, ProfileError, ProfileLock, ProfileStore};
use crate::signals::Stop;
use crate::ui::app::{Action, Effect};
use crate::ui::app::{Order, Status, StatusKind};
use crate::ui::halfblock::ColorDepth;
use crate::ui::images::{ImageKey, Images};
use crate::ui::input::{ChannelInput, Feed};
use crate::ui::runtime::{self, Component, Pictures, Session};
use crate::ui::theme::Theme;
use crate::ui::App;
use crossterm::event::Event;
use ratatui::layout::Rect;
use ratatui::Frame;
use signal_hook::consts::SIGHUP;
use std::sync::Arc;
use std::time::Duration;

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
/// pack is refused with the reason), then played by the shared TUI runtime
/// on the guest's session while the profile's lock is held.
pub fn session(config: Arc<GameConfig>) -> SessionFn {
    Arc::new(move |guest: GuestSession| {
        let prepared = match prepare(&config, &guest) {
            Ok(prepared) => prepared,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        play(prepared, guest)
    })
}

/// Colour depth for a guest's faces: truecolor only when their client sent
/// `COLORTERM` (OpenSSH does not pass it unless told), 256 colours otherwise.
fn depth(terminal: &crate::serve::session::Terminal) -> ColorDepth {
    match terminal.colorterm.as_deref() {
        Some(_) => ColorDepth::TrueColor,
        None => ColorDepth::Palette256,
    }
}

/// Runs the guest's prepared game on their input and screen.
fn play(prepared: Prepared, guest: GuestSession) -> Outcome {
    let Prepared { app, store, lock } = prepared;
    let GuestSession {
        name,
        terminal,
        mut input,
        output,
        party,
        ..
    } = guest;
    let (feed, channel) = ChannelInput::new();
    let session = Session::new(channel, output, (terminal.cols, terminal.rows))
        .pictures(Pictures::halfblocks(depth(&terminal)))
        .alternate_screen(true);
    // The guest's input, handed to the runtime as it comes; their leaving
    // (or the server ending the session) stops the game as a hang-up does:
    // every rating saved, then out.
    let stopper = session.stopper();
    let forward = std::thread::Builder::new()
        .name(format!("mytype-feed-{name}"))
        .spawn(move || loop {
            let item = match input.recv() {
                GuestInput::Bytes(bytes) => Feed::Bytes(bytes),
                GuestInput::Resize { cols, rows } => Feed::Resize { cols, rows },
                GuestInput::Closed => {
                    stopper.stop(Stop(SIGHUP));
                    return;
                }
            };
            if feed.send(item).is_err() {
                return;
            }
        });
    if let Err(e) = forward {
        return Outcome::Failed(format!("cannot start the guest's input: {e}"));
    }
    let reported = Reported::new(app, party);
    let outcome = match runtime::run(session, reported, store.as_ref()) {
        Ok(ended) => {
            let reported = ended.state;
            reported.report();
            if reported.app.revealed {
                Outcome::Finished
            } else {
                Outcome::Left
            }
        }
        Err(e) if is_gone(&e) => Outcome::Left,
        Err(e) => Outcome::Failed(format!("{e:#}")),
    };
    drop(lock);
    outcome
}

/// A connection that is gone ends the game as a departure, not a failure.
fn is_gone(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::TimedOut
            )
        })
    })
}

/// The guest's [`App`], telling the party board how far they are after
/// every action and effect (the runtime's only per-event hooks).
struct Reported {
    app: App,
    party: PartyReporter,
    rated: usize,
    revealed: bool,
}

impl Reported {
    fn new(app: App, party: PartyReporter) -> Reported {
        let rated = app.rated();
        party.progress(rated, app.total());
        Reported {
            app,
            party,
            rated,
            revealed: false,
        }
    }

    /// Progress when it changed; the reveal once.
    fn report(&self) -> (usize, bool) {
        let rated = self.app.rated();
        if rated != self.rated {
            self.party.progress(rated, self.app.total());
        }
        let revealed = self.revealed || self.reveal_now();
        (rated, revealed)
    }

    fn reveal_now(&self) -> bool {
        // The board learns the face when the guest sees it, after the
        // build-up.
        if !self.app.revealed || self.app.building_up() {
            return false;
        }
        let Some(guess) = &self.app.guess else {
            return false;
        };
        let taste = Recommender::from_profile(
            self.app.pack(),
            Some(self.app.reveal_pack()),
            &self.app.profile,
        )
        .ok()
        .map(Arc::new);
        self.party.revealed(&guess.pick.id, &guess.pick.name, taste);
        true
    }

    fn update(&mut self) {
        let (rated, revealed) = self.report();
        self.rated = rated;
        self.revealed = revealed;
    }
}

impl Component for Reported {
    fn render(&self, frame: &mut Frame) {
        Component::render(&self.app, frame)
    }
    fn wanted_images(&self, area: Rect) -> Vec<ImageKey> {
        Component::wanted_images(&self.app, area)
    }
    fn images_mut(&mut self) -> &mut Images {
        Component::images_mut(&mut self.app)
    }
    fn action_for(&self, event: &Event, area: Rect) -> Option<Action> {
        Component::action_for(&self.app, event, area)
    }
    fn apply(&mut self, action: Action) -> Vec<Effect> {
        let effects = Component::apply(&mut self.app, action);
        self.update();
        effects
    }
    fn tick_due(&self) -> Option<Duration> {
        Component::tick_due(&self.app)
    }
    fn quitting(&self) -> bool {
        Component::quitting(&self.app)
    }
    fn overlay_open(&self) -> bool {
        Component::overlay_open(&self.app)
    }
    fn perform(&mut self, effect: Effect, store: Option<&ProfileStore>) {
        Component::perform(&mut self.app, effect, store);
        self.update();
    }
    fn theme(&self) -> Theme {
        Component::theme(&self.app)
    }
    fn saved_ratings(&self) -> Option<usize> {
        Component::saved_ratings(&self.app)
    }
    fn note_truecolor_hint(&mut self, hint: &str) {
        Component::note_truecolor_hint(&mut self.app, hint)
    }
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
    fn a_guest_plays_to_the_reveal_and_the_board_follows() {
        use crate::serve::board::PartyBoard;
        use crate::serve::session::input_queue;
        let tmp = tempfile::tempdir().unwrap();
        let opts = GenerateOptions {
            seed: 7,
            models: 12,
            celebrities: 4,
        };
        generate_pack(&tmp.path().join("pack"), &opts).unwrap();
        let pack = Arc::new(Pack::load(&tmp.path().join("pack")).unwrap());
        let store = ProfileStore::at(&tmp.path().join("profiles"));
        let config = GameConfig {
            store: store.clone(),
            pack: pack.clone(),
            reveal_pack: None,
            no_crowd: false,
        };
        let board = PartyBoard::new(Some(pack));
        let (keys, input) = input_queue();
        let (output, mut screen) = output_queue();
        let mut ana = guest(
            "ana",
            Identity::Key {
                fingerprint: "SHA256:x".into(),
            },
        );
        ana.input = input;
        ana.output = output;
        ana.party = board.reporter("ana");
        board.update(|s| s.joined("ana", false));
        let prepared = prepare(&config, &ana).unwrap();
        let game = std::thread::spawn(move || play(prepared, ana));
        let drain = std::thread::spawn(move || while screen.blocking_recv().is_some() {});
        for _ in 0..12 {
            assert!(keys.bytes(b"4"));
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let state = board.lock();
            let player = &state.players()[0];
            if player.reveal.is_some() {
                assert_eq!((player.rated, player.round), (12, 12));
                break;
            }
            drop(state);
            assert!(
                std::time::Instant::now() < deadline,
                "no reveal on the board"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(keys);
        assert_eq!(game.join().unwrap(), Outcome::Finished);
        drain.join().unwrap();
        let saved = store.load_optional("ana").unwrap().unwrap();
        assert_eq!(saved.ratings.len(), 12);
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
