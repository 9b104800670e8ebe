//! Every limit of `mytype serve`, in one place, each with why it has the value
//! it has. A party is a few dozen people on a LAN; the server may still face
//! the internet, so nothing a client does may grow memory or threads without
//! bound, or hold a slot forever.

use std::time::Duration;

/// Guests playing at once (`--max-players`): a big party, and what the
/// load goal of issue #30 is set for on a 2-core machine.
pub const DEFAULT_MAX_PLAYERS: usize = 32;

/// The most `--max-players` accepts: every player is one thread and a few
/// MiB of buffers, so beyond this a typo would only exhaust the machine.
pub const MAX_PLAYERS_CEILING: usize = 256;

/// Connections that have not logged in yet, at once. OpenSSH starts dropping
/// at 10 (`MaxStartups 10:30:100`); a party's guests join a few at a time.
/// More are closed at once, before any cryptography is done for them.
pub const PENDING_HANDSHAKES: usize = 8;

/// Of those, from one address: one machine cannot take every pending slot
/// and lock the party out (a whole party behind one NAT still joins, only
/// four at a time).
pub const PENDING_PER_ADDRESS: usize = 4;

/// From TCP accept to a successful login. It includes a person reading the
/// host-key fingerprint prompt on their first visit, so it is generous
/// (OpenSSH's `LoginGraceTime` is 120 s); an attacker holds a pending slot
/// at most this long.
pub const HANDSHAKE_LIMIT: Duration = Duration::from_secs(60);

/// Authentication requests per connection (OpenSSH's `MaxAuthTries`). A
/// client with many keys in its agent may need several.
pub const MAX_AUTH_ATTEMPTS: usize = 6;

/// Every rejected login takes this long, so probing names or keys is slow.
/// There are no passwords, so nothing secret leaks through timing; short,
/// because a guest with several keys is rejected once per key.
pub const AUTH_REJECTION_TIME: Duration = Duration::from_millis(300);

/// After logging in, the client must ask for the game (a shell) this soon;
/// `ssh -N` (a tunnel only) is disconnected.
pub const START_LIMIT: Duration = Duration::from_secs(10);

/// No key press for this long ends a guest's session: their slot frees up
/// for someone else. A party guest pausing for a drink types again well
/// before; a keyed guest resumes where they left off.
pub const IDLE_LIMIT: Duration = Duration::from_secs(15 * 60);

/// The longest session: a whole party evening. Fifty ratings take about
/// five minutes; this only ends sessions left open overnight.
pub const SESSION_LIMIT: Duration = Duration::from_secs(3 * 60 * 60);

/// Keepalive probe after this much silence from the client, and how many
/// unanswered probes mean the connection is dead: a guest whose laptop
/// slept is noticed within about two minutes and their slot freed.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(30);
pub const KEEPALIVE_MAX: usize = 3;

/// The SSH-level inactivity timeout: a backstop above the idle limit (the
/// keepalives keep a live connection from tripping it).
pub const INACTIVITY_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// Output of one guest's game waiting for their connection: this many
/// chunks of at most [`OUTPUT_CHUNK`] bytes (512 KiB). A full queue blocks
/// only that guest's game thread, never the server.
pub const OUTPUT_QUEUE_CHUNKS: usize = 16;
pub const OUTPUT_CHUNK: usize = 32 * 1024;

/// Bytes a guest's game may write between two flushes (a frame). A full
/// 500x200 screen of half-block faces in truecolor is about 4 MiB; past
/// this the writer sends what it has, so a frame never needs more memory.
pub const OUTPUT_FRAME_MAX: usize = 256 * 1024;

/// A guest whose terminal takes none of their output for this long (the
/// queue stays full) is disconnected.
pub const OUTPUT_STALL_LIMIT: Duration = Duration::from_secs(30);

/// Input a guest has sent that their game has not read yet. Keys beyond it
/// are dropped (a paste flood), so a stuck game cannot be made to buffer
/// without bound.
pub const INPUT_QUEUE_BYTES: usize = 64 * 1024;
pub const INPUT_QUEUE_EVENTS: usize = 1024;

/// The server's receive window per channel: how much a client may send
/// before the server reads it. Keys are tiny; big enough for a paste.
pub const CHANNEL_WINDOW: u32 = 128 * 1024;

/// SSH packets at most this big (the protocol's usual 32 KiB).
pub const MAX_PACKET: u32 = 32 * 1024;

/// Terminal sizes are clamped to this: the game allocates a buffer of
/// cols x rows cells, so a client claiming a 65535x65535 pty must not make
/// it allocate gigabytes.
pub const MAX_COLS: u16 = 500;
pub const MAX_ROWS: u16 = 200;

/// `TERM`, `COLORTERM` and `LANG` values longer than this are ignored.
pub const ENV_VALUE_MAX: usize = 64;

/// Environment requests per channel; more are refused without being read.
pub const MAX_ENV_REQUESTS: usize = 16;

/// Files read from the profiles folder or given on the command line (public
/// keys, the key list, the host key) larger than this are refused.
pub const KEY_FILE_MAX: u64 = 64 * 1024;
pub const AUTHORIZED_KEYS_MAX: u64 = 1024 * 1024;

/// When the host quits, guests get this long to see the goodbye message.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
