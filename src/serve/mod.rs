//! `mytype serve`: the party joins over SSH.
//!
//! The host runs `mytype serve`; guests type `ssh -p 2222 NAME@HOST` and
//! play in their own terminal, with nothing installed. The host's terminal
//! shows the party board.
//!
//! Security model: the server speaks SSH through russh and offers nothing
//! but the game: no shell, no commands, no subsystems (SFTP), no port, agent
//! or X11 forwarding, one session channel per connection. The user name is
//! the player's name (a valid profile name) and is bound to the first key
//! that uses it ([`identity`]); `--authorized-keys` limits who may join,
//! `--open` lets keyless guests in on names nobody owns, for that session
//! only. Every limit (connections, logins, idle and session time, memory
//! per guest) is in [`limits`]. A guest's game runs on its own thread
//! behind bounded queues ([`session`]): its crash, stall or dropped
//! connection ends only that session.

pub mod admission;
pub mod announce;
pub mod board;
pub mod files;
pub mod game;
pub mod guest;
pub mod hostkey;
pub mod identity;
pub mod limits;
pub mod parting;
pub mod server;
pub mod session;

use crate::pack::Pack;
use crate::profile::ProfileStore;
use admission::Admission;
use board::PartyBoard;
use identity::{GuestList, NameKeys};
use session::SessionFn;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The default `--listen`.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:2222";

/// What the host asked for beyond the packs (the command line's flags:
/// `src/cli/serve.rs`).
#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub listen: SocketAddr,
    /// `None`: [`hostkey::default_path`].
    pub host_key: Option<PathBuf>,
    pub authorized_keys: Option<PathBuf>,
    pub max_players: usize,
    /// Rank by each guest's ratings alone.
    pub no_crowd: bool,
    pub open: bool,
    pub board_png: Option<PathBuf>,
}

/// `mytype serve` after the command line loaded the packs: runs the party
/// until the host quits.
pub fn command(
    store: ProfileStore,
    pack: Pack,
    reveal_pack: Option<Pack>,
    flags: ServeSettings,
) -> Result<(), ServeError> {
    let options = ServeOptions {
        listen: flags.listen,
        store,
        pack: Arc::new(pack),
        reveal_pack: reveal_pack.map(Arc::new),
        host_key: flags.host_key,
        authorized_keys: flags.authorized_keys,
        max_players: flags.max_players,
        open: flags.open,
        board_png: flags.board_png,
    };
    let config = game::GameConfig {
        store: options.store.clone(),
        pack: options.pack.clone(),
        reveal_pack: options.reveal_pack.clone(),
        no_crowd: flags.no_crowd,
        max_players: flags.max_players,
    };
    run(options, game::session(Arc::new(config)))
}

/// What `mytype serve` was asked to do.
pub struct ServeOptions {
    pub listen: SocketAddr,
    pub store: ProfileStore,
    /// The pack guests rate (the board compares tastes over its faces).
    pub pack: Arc<Pack>,
    /// The pack faces are revealed from, if not the rated one.
    pub reveal_pack: Option<Arc<Pack>>,
    /// `--host-key`; `None`: [`hostkey::default_path`].
    pub host_key: Option<PathBuf>,
    pub authorized_keys: Option<PathBuf>,
    pub max_players: usize,
    pub open: bool,
    /// Where `s` on the board and the end of the party save the board PNG.
    pub board_png: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    HostKey(#[from] hostkey::HostKeyError),
    #[error(transparent)]
    GuestList(#[from] identity::ListError),
    #[error("cannot use the folder of the players' keys: {0}")]
    Bindings(#[from] files::FileError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    #[error("--open lets guests in without a key and --authorized-keys admits listed keys only: use one or the other")]
    OpenWithList,
    #[error("--max-players must be 1 to {max}", max = limits::MAX_PLAYERS_CEILING)]
    MaxPlayers,
    #[error("the party board: {0}")]
    Board(std::io::Error),
}

/// What every connection shares.
pub struct Shared {
    pub config: Arc<russh::server::Config>,
    pub admission: Admission,
    pub name_keys: NameKeys,
    pub guests: Option<GuestList>,
    pub open: bool,
    /// The port guests connect to (for the join command in messages).
    pub port: u16,
    pub board: PartyBoard,
    pub game: SessionFn,
}

impl Shared {
    /// A line for the host (the board's log), never for guests.
    pub fn note(&self, text: String) {
        self.board.update(|s| s.note(text));
    }
}

/// The russh configuration: ed25519 host key, public key and
/// keyboard-interactive logins (the latter also carries refusals), and the
/// limits.
fn ssh_config(key: russh::keys::PrivateKey) -> russh::server::Config {
    use limits::*;
    use russh::{MethodKind, MethodSet};
    let mut methods = MethodSet::empty();
    methods.push(MethodKind::PublicKey);
    methods.push(MethodKind::KeyboardInteractive);
    russh::server::Config {
        methods,
        auth_rejection_time: AUTH_REJECTION_TIME,
        // OpenSSH opens with a "none" probe: answer it at once.
        auth_rejection_time_initial: Some(std::time::Duration::ZERO),
        keys: vec![key],
        max_auth_attempts: MAX_AUTH_ATTEMPTS,
        inactivity_timeout: Some(INACTIVITY_TIMEOUT),
        keepalive_interval: Some(KEEPALIVE_INTERVAL),
        keepalive_max: KEEPALIVE_MAX,
        window_size: CHANNEL_WINDOW,
        maximum_packet_size: MAX_PACKET,
        nodelay: true,
        ..Default::default()
    }
}

/// A running party: what `run` prints before the board takes over.
pub struct Started {
    pub address: SocketAddr,
    pub fingerprint: String,
    pub host_key: PathBuf,
    pub key_created: bool,
    pub join: Vec<String>,
    pub max_players: usize,
}

/// Runs the server until the host quits (the board's `q`, or a signal):
/// prints the fingerprint and join commands, then shows the board. Each
/// guest's session runs `game`.
pub fn run(options: ServeOptions, game: SessionFn) -> Result<(), ServeError> {
    if options.open && options.authorized_keys.is_some() {
        return Err(ServeError::OpenWithList);
    }
    if options.max_players == 0 || options.max_players > limits::MAX_PLAYERS_CEILING {
        return Err(ServeError::MaxPlayers);
    }
    let key_path = match &options.host_key {
        Some(p) => p.clone(),
        None => hostkey::default_path()?,
    };
    let host_key = hostkey::load_or_create(&key_path)?;
    let guests = options
        .authorized_keys
        .as_deref()
        .map(GuestList::load)
        .transpose()?;
    let name_keys = NameKeys::new(&options.store);
    // The profiles folder may be shared (a group's party box); the key
    // keys in it must be ours alone.
    if !options.store.dir().exists() {
        files::private_dir(options.store.dir())?;
    }
    files::private_dir(name_keys.dir())?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mytype-serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(options.listen))
        .map_err(|source| ServeError::Listen {
            addr: options.listen,
            source,
        })?;
    let address = listener.local_addr().map_err(|source| ServeError::Listen {
        addr: options.listen,
        source,
    })?;
    let board = PartyBoard::new(Some(options.pack.clone()));
    let started = Started {
        address,
        fingerprint: host_key.fingerprint(),
        host_key: host_key.path.clone(),
        key_created: host_key.created,
        join: announce::join_commands(address),
        max_players: options.max_players,
    };
    let shared = Arc::new(Shared {
        config: Arc::new(ssh_config(host_key.key)),
        admission: Admission::new(options.max_players),
        name_keys,
        guests,
        open: options.open,
        port: address.port(),
        board: board.clone(),
        game,
    });
    board::host::install_panic_hook();
    board::host::print_start(&started, &options);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let server = runtime.spawn(server::serve(listener, shared, stop_rx));
    let png = board::host::PngTarget {
        path: options.board_png.clone(),
        pack: options.reveal_pack.clone().unwrap_or(options.pack.clone()),
    };
    let opened = std::time::Instant::now();
    let result = board::host::run(&board, &started, &png);
    let _ = stop_tx.send(true);
    // Guests still playing are told, and their ratings saved, before this
    // returns: the board is then final.
    let _ = runtime.block_on(server);
    runtime.shutdown_timeout(Duration::from_secs(1));
    farewell(&board, &png, options.store.dir(), opened.elapsed());
    result.map_err(ServeError::Board)
}

/// What the host's terminal keeps once the party is over (stdout; its
/// scrollback): the board's PNG saved with `--board-png`, then the party's
/// summary. `ran`: how long the party ran.
fn farewell(board: &PartyBoard, png: &board::host::PngTarget, profiles: &Path, ran: Duration) {
    if let Some(path) = &png.path {
        match board::png::save(&board.lock(), &png.pack, path) {
            Ok(()) => say(&format!(
                "mytype serve: saved the party board to {}\n",
                path.display()
            )),
            Err(e) => {
                use std::io::Write;
                // Not eprintln!: it panics when the terminal is gone (SIGHUP).
                let _ = writeln!(
                    std::io::stderr(),
                    "mytype serve: cannot save the party board: {e}"
                );
            }
        }
    }
    let program = crate::core::words::program_word();
    let context = board::summary::SummaryContext {
        ran,
        profiles,
        program: &program,
    };
    say(&board::summary::summary(&board.lock(), &context));
}

/// Writes `text` to stdout; a terminal gone (SIGHUP) or a closed pipe is
/// no reason to fail now.
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
