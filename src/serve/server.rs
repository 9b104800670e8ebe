//! The listening socket and each connection's life: slots, the login
//! deadline, idle and session limits, and the goodbye when the host quits.

use super::guest::{lock, Conn, ConnEvent, Guest};
use super::limits::{HANDSHAKE_LIMIT, IDLE_LIMIT, SESSION_LIMIT, SHUTDOWN_GRACE, START_LIMIT};
use super::Shared;
use russh::Disconnect;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::time::Instant;

/// Accepts connections until `shutdown` turns true, then gives every guest
/// [`SHUTDOWN_GRACE`] to see the goodbye and returns.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let live = Arc::new(AtomicUsize::new(0));
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    // Over the limit: closed before any cryptography.
                    let Some(pending) = shared.admission.try_pending(peer.ip()) else {
                        drop(socket);
                        continue;
                    };
                    let _ = socket.set_nodelay(true);
                    live.fetch_add(1, Ordering::SeqCst);
                    let (shared, live, shutdown) = (shared.clone(), live.clone(), shutdown.clone());
                    tokio::spawn(async move {
                        connection(socket, peer, pending, shared, shutdown).await;
                        live.fetch_sub(1, Ordering::SeqCst);
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, go on.
                    shared.note(format!("cannot accept a connection: {e}"));
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            },
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let deadline = Instant::now() + SHUTDOWN_GRACE + Duration::from_secs(1);
    while live.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

enum Phase {
    LoggingIn,
    LoggedIn(Instant),
    Playing(Instant),
    Over,
}

/// Why the session must end now, if it must: what the guest is told, and
/// the short reason for the board. (A playing guest then reads what was
/// saved and the command that joins again: the game's parting words.)
fn overdue(
    phase: &Phase,
    started: Instant,
    conn: &Conn,
    port: u16,
) -> Option<(String, &'static str)> {
    let now = Instant::now();
    match *phase {
        Phase::LoggingIn if now - started > HANDSHAKE_LIMIT => {
            Some(("You took too long to log in.".to_string(), ""))
        }
        Phase::LoggedIn(at) if now - at > START_LIMIT => Some((
            format!(
                "mytype serve only plays the game (no tunnels, no commands): connect with ssh -p {port} NAME@HOST"
            ),
            "",
        )),
        Phase::Playing(at) if now - at > SESSION_LIMIT => Some((
            format!(
                "Your session reached its limit of {} hours. Thanks for playing!",
                SESSION_LIMIT.as_secs() / 3600
            ),
            "time limit",
        )),
        Phase::Playing(_) if lock(&conn.last_input).elapsed() > IDLE_LIMIT => Some((
            format!(
                "No key pressed for {} minutes: your place is freed for others.",
                IDLE_LIMIT.as_secs() / 60
            ),
            "idle",
        )),
        _ => None,
    }
}

/// Ends a playing guest's session: tells them why, ends their game, and
/// hangs up.
async fn kick(conn: Arc<Conn>, handle: russh::server::Handle, reason: String, short: &'static str) {
    *lock(&conn.farewell) = Some(reason.clone());
    conn.close_input(short);
    // The game gets a moment to end cleanly (restore the guest's screen)
    // and the pump to say goodbye; then we hang up.
    tokio::time::sleep(SHUTDOWN_GRACE).await;
    let _ = handle
        .disconnect(Disconnect::ByApplication, reason, String::new())
        .await;
}

async fn hang_up_after(handle: russh::server::Handle, wait: Duration) {
    tokio::time::sleep(wait).await;
    let _ = handle
        .disconnect(Disconnect::ByApplication, "bye".into(), String::new())
        .await;
}

async fn connection(
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    pending: super::admission::PendingTicket,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let started = Instant::now();
    let conn = Arc::new(Conn::new());
    let (events_tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let local = socket.local_addr().ok();
    let guest = Guest::new(shared.clone(), peer, pending, conn.clone(), events_tx).joined_at(local);
    let config = shared.config.clone();
    let session = match tokio::time::timeout(
        HANDSHAKE_LIMIT,
        russh::server::run_stream(config, socket, guest),
    )
    .await
    {
        Ok(Ok(session)) => session,
        // Not an SSH client, or too slow to say hello.
        _ => return,
    };
    let handle = session.handle();
    tokio::pin!(session);
    let mut phase = Phase::LoggingIn;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let kick =
        |reason: String, short: &'static str| kick(conn.clone(), handle.clone(), reason, short);
    loop {
        tokio::select! {
            _ = &mut session => break,
            event = events.recv() => match event {
                Some(ConnEvent::LoggedIn) => phase = Phase::LoggedIn(Instant::now()),
                Some(ConnEvent::Started) => phase = Phase::Playing(Instant::now()),
                Some(ConnEvent::GameOver) => {
                    phase = Phase::Over;
                    // The channel is closed; a client that does not hang
                    // up by itself is hung up on.
                    tokio::spawn(hang_up_after(handle.clone(), Duration::from_secs(1)));
                }
                None => {}
            },
            _ = tick.tick() => {
                let over = overdue(&phase, started, &conn, shared.port);
                if let Some((reason, short)) = over {
                    let playing = matches!(phase, Phase::Playing(_));
                    phase = Phase::Over;
                    if playing {
                        tokio::spawn(kick(reason, short));
                    } else {
                        let _ = handle.disconnect(Disconnect::ByApplication, reason, String::new()).await;
                    }
                }
            }
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    let reason = "The host ended the party. Thanks for playing!".to_string();
                    if matches!(phase, Phase::Playing(_)) {
                        tokio::spawn(kick(reason, "the party ended"));
                    } else {
                        let _ = handle.disconnect(Disconnect::ByApplication, reason, String::new()).await;
                    }
                    // Stop watching: the kick finishes the session.
                    let _ = tokio::time::timeout(SHUTDOWN_GRACE + Duration::from_secs(1), &mut session).await;
                    break;
                }
            }
        }
    }
}
