//! The real game for one guest: their profile (loaded, locked and saved as
//! `mytype play --profile NAME` does, or kept in memory for a keyless
//! guest), the crowd prior, and the [`App`] the game runtime plays.
//!
//! What runs the [`App`] on the guest's input and screen is the shared TUI
//! runtime (one event loop for play and replay, generic over input bytes and
//! an output `Write`); [`Prepared`] is everything it needs.
//!
//! Beside it: the profile and the [`App`] made ready (`prepare.rs`) and the
//! hint that tells a guest how to join in truecolor (`truecolor.rs`).

mod prepare;
mod truecolor;

pub use prepare::{prepare, PrepareError, Prepared, KEYLESS_START};
use truecolor::{depth, note_truecolor_hint};
pub use truecolor::{truecolor_hint, TRUECOLOR_SHORT};

use super::board::screen::BoardInfo;
use super::board::view::{self, GuestView};
use super::board::PartyReporter;
use super::parting;
use super::session::{GuestInput, GuestSession, Outcome, SessionFn};
use crate::game::recommend::Recommender;
use crate::pack::Pack;
use crate::profile::ProfileStore;
use crate::signals::Stop;
use crate::ui::action::{Action, Effect};
use crate::ui::images::{ImageKey, Images};
use crate::ui::input::{ChannelInput, Feed};
use crate::ui::keys::{self, Mode};
use crate::ui::runtime::{self, Component, Pictures, Session};
use crate::ui::theme::Theme;
use crate::ui::App;
use crossterm::event::{Event, MouseEventKind};
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
    /// `--max-players` (the party board says "N of MAX connected").
    pub max_players: usize,
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

/// Runs the guest's prepared game on their input and screen.
fn play(prepared: Prepared, guest: GuestSession) -> Outcome {
    let Prepared {
        mut app,
        store,
        lock,
        max_players,
    } = prepared;
    let GuestSession {
        name,
        terminal,
        mut input,
        output,
        party,
        joined_at,
        ..
    } = guest;
    note_truecolor_hint(&mut app, &name, &terminal, joined_at);
    let info = BoardInfo {
        join: joined_at
            .map(|at| vec![super::announce::join_command(at.port(), at.ip())])
            .unwrap_or_default(),
        fingerprint: String::new(),
        max_players,
        status: None,
    };
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
    let reported = Reported::new(app, party, info);
    let outcome = match runtime::run(session, reported, store.as_ref()) {
        Ok(ended) => {
            let mut reported = ended.state;
            reported.update();
            let parting = parting::parting(&reported.app, store.is_some(), &name, joined_at);
            if reported.app.revealed {
                Outcome::Finished { parting }
            } else {
                Outcome::Left {
                    parting: Some(parting),
                }
            }
        }
        Err(e) if is_gone(&e) => Outcome::Left { parting: None },
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
/// Also shows the party board over the game on `p` ([`Action::Party`]).
struct Reported {
    app: App,
    party: PartyReporter,
    rated: usize,
    revealed: bool,
    /// The standing pick last told to the board.
    pick: Option<String>,
    /// The board, when the game is at a party (`None`: detached).
    board: Option<GuestView>,
}

impl Reported {
    fn new(mut app: App, party: PartyReporter, info: BoardInfo) -> Reported {
        let rated = app.rated();
        party.progress(rated, app.total());
        let board = party.board().map(|b| GuestView::new(b.clone(), info));
        app.party = board.is_some();
        Reported {
            app,
            party,
            rated,
            revealed: false,
            pick: None,
            board,
        }
    }

    fn board_open(&self) -> bool {
        self.board.as_ref().is_some_and(|b| b.open)
    }

    /// While the board is open: any key or click closes it, Ctrl-C still
    /// quits (saving), nothing reaches the game.
    fn board_action(event: &Event) -> Option<Action> {
        match event {
            Event::Key(key) => match keys::action_for_key_in(&[], Mode::AnyKeyDismisses, key)? {
                Action::Dismiss => Some(Action::Party),
                other => Some(other),
            },
            Event::Mouse(m) if matches!(m.kind, MouseEventKind::Down(_)) => Some(Action::Party),
            Event::Resize(..) => Some(Action::Resize),
            _ => None,
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
        // What "my type is" would name now (the party's summary says it).
        let pick = self.app.standing_pick().map(|g| g.pick.name.clone());
        if pick != self.pick {
            self.party.standing(pick.as_deref());
            self.pick = pick;
        }
    }
}

impl Component for Reported {
    fn render(&self, frame: &mut Frame) {
        match &self.board {
            Some(board) if board.open => board.render(frame, self.app.theme),
            _ => Component::render(&self.app, frame),
        }
    }
    fn wanted_images(&self, area: Rect) -> Vec<ImageKey> {
        Component::wanted_images(&self.app, area)
    }
    fn images_mut(&mut self) -> &mut Images {
        Component::images_mut(&mut self.app)
    }
    fn action_for(&self, event: &Event, area: Rect) -> Option<Action> {
        if self.board_open() {
            return Reported::board_action(event);
        }
        Component::action_for(&self.app, event, area)
    }
    fn apply(&mut self, action: Action) -> Vec<Effect> {
        if let Some(board) = self.board.as_mut() {
            match action {
                // The game stays exactly where it was underneath.
                Action::Party => {
                    board.open = !board.open;
                    return Vec::new();
                }
                // The clock only redraws the open board.
                Action::Resize | Action::Tick if board.open => return Vec::new(),
                _ => {}
            }
        }
        let effects = Component::apply(&mut self.app, action);
        self.update();
        effects
    }
    fn tick_due(&self) -> Option<Duration> {
        if self.board_open() {
            return Some(view::REFRESH);
        }
        Component::tick_due(&self.app)
    }
    fn quitting(&self) -> bool {
        Component::quitting(&self.app)
    }
    fn overlay_open(&self) -> bool {
        self.board_open() || Component::overlay_open(&self.app)
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
    fn after_frame_step(&mut self) -> bool {
        self.app.after_frame_step()
    }
    fn after_frame_pending(&self) -> bool {
        self.app.after_frame_pending()
    }
}

#[cfg(test)]
mod tests;
