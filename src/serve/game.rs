//! The real game for one guest: their profile (loaded, locked and saved as
//! `mytype play --profile NAME` does, or kept in memory for a keyless
//! guest), the crowd prior, and the [`App`] the game runtime plays.
//!
//! What runs the [`App`] on the guest's input and screen is the shared TUI
//! runtime (one event loop for play and replay, generic over input bytes and
//! an output `Write`); [`Prepared`] is everything it needs.

use super::announce;
use super::board::screen::BoardInfo;
use super::board::view::{self, GuestView};
use super::board::PartyReporter;
use super::parting;
use super::session::{GuestInput, GuestSession, Identity, Outcome, SessionFn};
use crate::core::sanitize;
use crate::game::crowd_sources::rated_and_reveal_crowds;
use crate::game::recommend::Recommender;
use crate::pack::Pack;
use crate::profile::{Profile, ProfileError, ProfileLock, ProfileStore};
use crate::signals::Stop;
use crate::ui::app::{Action, Effect};
use crate::ui::app::{Order, Status, StatusKind};
use crate::ui::images::{ImageKey, Images};
use crate::ui::input::{ChannelInput, Feed};
use crate::ui::keys::{self, Mode};
use crate::ui::runtime::{self, Component, Pictures, Session};
use crate::ui::term_env::ColorDepth;
use crate::ui::theme::Theme;
use crate::ui::App;
use crossterm::event::{Event, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::Frame;
use signal_hook::consts::SIGHUP;
use std::net::SocketAddr;
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

/// [`truecolor_hint`] when not even the command fits (60 columns, the
/// smallest screen the game draws, fit this).
pub const TRUECOLOR_SHORT: &str = "Truecolor faces: add -o SetEnv=COLORTERM=truecolor to ssh";

/// What a guest whose faces fell back to 256 colours types to join in
/// truecolor: their own name, the host and port they used. The longest
/// wording that fits `width` columns (the status line); `None`: not known.
pub fn truecolor_hint(name: &str, joined_at: Option<SocketAddr>, width: u16) -> Option<String> {
    let at = joined_at?;
    let port = match at.port() {
        22 => String::new(),
        p => format!(" -p {p}"),
    };
    let command = format!("ssh -o SetEnv=COLORTERM=truecolor{port} {name}@{}", at.ip());
    let wordings = [
        format!("For truecolor faces, join with: {command}"),
        format!("Truecolor faces: {command}"),
        command.clone(),
    ];
    let fits = |text: &String| text.chars().count() <= usize::from(width);
    Some(
        wordings
            .into_iter()
            .find(fits)
            .unwrap_or_else(|| TRUECOLOR_SHORT.to_string()),
    )
}

/// Tells a guest whose faces fall back to 256 colours, once on the status
/// line, how to join in truecolor (a message already there, such as a
/// keyless guest's, is kept).
fn note_truecolor_hint(
    app: &mut App,
    name: &str,
    terminal: &crate::serve::session::Terminal,
    joined_at: Option<SocketAddr>,
) {
    if depth(terminal) == ColorDepth::Palette256 && app.theme.color {
        if let Some(hint) = truecolor_hint(name, joined_at, terminal.cols) {
            app.note_truecolor_hint(&hint);
        }
    }
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
            joined_at: None,
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
            max_players: 32,
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
        ana.joined_at = Some("192.168.1.20:2222".parse().unwrap());
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
        let Outcome::Finished { parting } = game.join().unwrap() else {
            panic!("the game did not finish");
        };
        // As `mytype play` says it: every face rated and the pick seen, so
        // the revealed face is all there is to say.
        assert!(
            parting.starts_with("The AI says my type is ") && !parting.contains('\n'),
            "{parting}"
        );
        drain.join().unwrap();
        let saved = store.load_optional("ana").unwrap().unwrap();
        assert_eq!(saved.ratings.len(), 12);
        // The pick ana saw still stands: the party's summary names it.
        let state = board.lock();
        let player = &state.players()[0];
        let seen = player.reveal.as_ref().map(|r| r.face_name.clone());
        assert!(seen.is_some());
        assert_eq!(player.pick, seen);
    }

    fn small_game(tmp: &std::path::Path) -> GameConfig {
        let opts = GenerateOptions {
            seed: 3,
            models: 12,
            celebrities: 4,
        };
        generate_pack(&tmp.join("pack"), &opts).unwrap();
        GameConfig {
            store: ProfileStore::at(&tmp.join("profiles")),
            pack: Arc::new(Pack::load(&tmp.join("pack")).unwrap()),
            reveal_pack: None,
            no_crowd: false,
            max_players: 8,
        }
    }

    fn text(game: &Reported, cols: u16, rows: u16) -> String {
        let mut term =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(cols, rows)).unwrap();
        term.draw(|f| Component::render(game, f)).unwrap();
        let buf = term.backend().buffer().clone();
        (0..buf.area.height)
            .map(|y| {
                let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
                row.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn press(game: &mut Reported, c: char) -> Vec<Effect> {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let event = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        match game.action_for(&event, Rect::new(0, 0, 80, 24)) {
            Some(action) => game.apply(action),
            None => Vec::new(),
        }
    }

    #[test]
    fn a_guest_opens_the_party_board_with_p_and_comes_back_where_they_were() {
        use crate::serve::board::PartyBoard;
        let tmp = tempfile::tempdir().unwrap();
        let config = small_game(tmp.path());
        let board = PartyBoard::new(Some(config.pack.clone()));
        board.update(|s| {
            s.joined("ana", false);
            s.joined("bo", false);
            s.progress("bo", 17, 50);
        });
        let key = Identity::Key {
            fingerprint: "SHA256:x".into(),
        };
        let prepared = prepare(&config, &guest("ana", key)).unwrap();
        let info = BoardInfo {
            join: vec!["ssh -p 2222 NAME@192.168.1.20".into()],
            fingerprint: String::new(),
            max_players: config.max_players,
            status: None,
        };
        let mut game = Reported::new(prepared.app, board.reporter("ana"), info);
        // The help lists the key in a party game.
        press(&mut game, '?');
        assert!(text(&game, 80, 24).contains("the party board"));
        press(&mut game, 'x');
        assert_eq!(press(&mut game, '4'), vec![Effect::Save]);
        press(&mut game, 'l');
        let game_screen = text(&game, 80, 24);
        let where_it_was = (game.app.current, game.app.selected, game.app.rated());

        assert!(press(&mut game, 'p').is_empty());
        let shown = text(&game, 80, 24);
        assert!(shown.contains("bo") && shown.contains("17/50"), "{shown}");
        assert!(shown.contains("ana") && shown.contains(" 1/12"), "{shown}");
        // Live: what others do shows while the board is open.
        board.update(|s| s.progress("bo", 18, 50));
        assert_eq!(game.tick_due(), Some(view::REFRESH));
        assert!(game.apply(Action::Tick).is_empty());
        let shown = text(&game, 80, 24);
        assert!(shown.contains("18/50"), "{shown}");
        insta::assert_snapshot!(shown);

        // Any key goes back: it neither rates nor moves anything.
        assert!(press(&mut game, '5').is_empty());
        let back = (game.app.current, game.app.selected, game.app.rated());
        assert_eq!(back, where_it_was);
        assert_eq!(text(&game, 80, 24), game_screen);
        // And `p` opens it again, and closes it.
        press(&mut game, 'p');
        assert!(game.board_open());
        press(&mut game, 'p');
        assert!(!game.board_open());
    }

    #[test]
    fn a_game_alone_has_no_party_key() {
        let tmp = tempfile::tempdir().unwrap();
        let config = small_game(tmp.path());
        let key = Identity::Key {
            fingerprint: "SHA256:x".into(),
        };
        let prepared = prepare(&config, &guest("ana", key)).unwrap();
        let info = BoardInfo {
            join: Vec::new(),
            fingerprint: String::new(),
            max_players: 8,
            status: None,
        };
        let mut game = Reported::new(prepared.app, PartyReporter::detached("ana"), info);
        assert!(!game.app.party);
        press(&mut game, 'p');
        assert!(!game.board_open());
        press(&mut game, '?');
        assert!(!text(&game, 80, 24).contains("the party board"));
    }

    #[test]
    fn a_guest_in_256_colours_is_told_the_exact_ssh_command_for_truecolor() {
        let at: SocketAddr = "192.168.1.20:2222".parse().unwrap();
        let full = "For truecolor faces, join with: \
                    ssh -o SetEnv=COLORTERM=truecolor -p 2222 ana@192.168.1.20";
        assert_eq!(truecolor_hint("ana", Some(at), 120).as_deref(), Some(full));
        assert_eq!(
            truecolor_hint("ana", Some(at), 80).as_deref(),
            Some("Truecolor faces: ssh -o SetEnv=COLORTERM=truecolor -p 2222 ana@192.168.1.20")
        );
        assert_eq!(
            truecolor_hint("ana", Some(at), 60).as_deref(),
            Some("ssh -o SetEnv=COLORTERM=truecolor -p 2222 ana@192.168.1.20")
        );
        let port22: SocketAddr = "10.0.0.2:22".parse().unwrap();
        assert_eq!(
            truecolor_hint("bo", Some(port22), 70).as_deref(),
            Some("Truecolor faces: ssh -o SetEnv=COLORTERM=truecolor bo@10.0.0.2")
        );
        let long: SocketAddr = "[2001:db8:1234:5678:9abc:def0:1234:5678]:2222"
            .parse()
            .unwrap();
        assert_eq!(
            truecolor_hint("someone", Some(long), 60).as_deref(),
            Some(TRUECOLOR_SHORT)
        );
        assert!(TRUECOLOR_SHORT.chars().count() <= 60);
        assert_eq!(truecolor_hint("ana", None, 120), None);

        // In the game: on the status line at the start, in 256 colours only.
        let tmp = tempfile::tempdir().unwrap();
        let config = small_game(tmp.path());
        let key = Identity::Key {
            fingerprint: "SHA256:x".into(),
        };
        let mut ana = guest("ana", key);
        ana.terminal.cols = 100;
        let mut app = prepare(&config, &ana).unwrap().app;
        note_truecolor_hint(&mut app, "ana", &ana.terminal, Some(at));
        assert_eq!(app.status.as_ref().map(|s| s.text.as_str()), Some(full));
        drop(app);
        ana.terminal.colorterm = Some("truecolor".into());
        let mut app = prepare(&config, &ana).unwrap().app;
        note_truecolor_hint(&mut app, "ana", &ana.terminal, Some(at));
        assert_eq!(app.status, None);
    }

    #[test]
    fn a_profile_of_another_pack_is_refused_with_the_command_that_joins_again() {
        let tmp = tempfile::tempdir().unwrap();
        let config = small_game(tmp.path());
        let mut other = Profile::new("ana", &config.pack);
        other.pack.name = "party\u{1b}]2;pwned\u{7}".into();
        config.store.save("ana", &other).unwrap();
        let key = Identity::Key {
            fingerprint: "SHA256:x".into(),
        };
        let mut ana = guest("ana", key);
        ana.joined_at = Some("192.168.1.20:2222".parse().unwrap());
        let refusal = prepare(&config, &ana).err().unwrap().to_string();
        assert!(
            refusal.ends_with("connect again with another name: ssh -p 2222 NAME@192.168.1.20"),
            "{refusal}"
        );
        assert!(refusal.contains("`party␛]2;pwned␇`"), "{refusal}");
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
            max_players: 32,
        };
        let key = Identity::Key {
            fingerprint: "SHA256:x".into(),
        };
        let ana = prepare(&config, &guest("ana", key.clone())).unwrap();
        assert!(ana.lock.is_some() && ana.store.is_some() && !ana.app.read_only);
        // The same profile in a second session (or `mytype play`) waits.
        let again = prepare(&config, &guest("ana", key.clone())).err();
        assert!(
            matches!(again, Some(PrepareError::Locked { .. })),
            "{again:?}"
        );
        // The refusal says the command that joins again.
        let mut at_party = guest("ana", key.clone());
        at_party.joined_at = Some("192.168.1.20:2222".parse().unwrap());
        let refusal = prepare(&config, &at_party).err().unwrap().to_string();
        assert!(
            refusal.ends_with("close it, then join again: ssh -p 2222 ana@192.168.1.20"),
            "{refusal}"
        );
        drop(ana);
        assert!(prepare(&config, &guest("ana", key)).is_ok());
        // Keyless: nothing locked, nothing ever saved, and the guest is told.
        let bo = prepare(&config, &guest("bo", Identity::Keyless)).unwrap();
        assert!(bo.lock.is_none() && bo.store.is_none() && bo.app.read_only);
        let status = bo.app.status.as_ref().map(|s| s.text.as_str());
        assert_eq!(status, Some(KEYLESS_START));
    }
}
