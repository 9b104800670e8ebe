//! One guest's SSH connection, as russh sees it: who they are (keys and
//! refusals), and the one session channel the game runs on. Everything
//! else a client can ask for (exec, subsystems, forwarding, X11, agent,
//! more channels) is refused.

use super::admission::{self, PendingTicket, PlayerTicket};
use super::identity::{self, CheckError, Claim, Refusal};
use super::limits::{MAX_ENV_REQUESTS, OUTPUT_STALL_LIMIT, SHUTDOWN_GRACE};
use super::session::{self, Ended, GuestSession, Identity, InputSender, Outcome, Terminal};
use super::Shared;
use crate::core::sanitize;
use russh::keys::PublicKey;
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelWriteHalf};
use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;

/// What the connection's watchdog hears from the handler.
#[derive(Debug)]
pub enum ConnEvent {
    LoggedIn,
    Started,
    /// The game ended and its channel is closed.
    GameOver,
}

/// State shared by the handler, the output pump and the watchdog.
pub struct Conn {
    /// The game's input; taking it (dropping the sender) tells the game the
    /// session is over.
    pub input: Mutex<Option<InputSender>>,
    pub last_input: Mutex<Instant>,
    /// Said to the guest after the game's last frame (why it ended).
    pub farewell: Mutex<Option<String>>,
    /// Why the guest is gone, for the board (`None`: they left by themselves).
    pub gone: Mutex<Option<String>>,
}

impl Default for Conn {
    fn default() -> Conn {
        Conn::new()
    }
}

impl Conn {
    pub fn new() -> Conn {
        Conn {
            input: Mutex::new(None),
            last_input: Mutex::new(Instant::now()),
            farewell: Mutex::new(None),
            gone: Mutex::new(None),
        }
    }

    /// Ends the game's input: the game sees `Closed`.
    pub fn close_input(&self, why: &str) {
        let mut gone = lock(&self.gone);
        if gone.is_none() && !why.is_empty() {
            *gone = Some(why.to_string());
        }
        lock(&self.input).take();
    }
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

struct Login {
    name: String,
    identity: Identity,
    ticket: PlayerTicket,
}

struct GuestChannel {
    id: ChannelId,
    writer: Option<ChannelWriteHalf<Msg>>,
    term: Option<String>,
    colorterm: Option<String>,
    lang: Option<String>,
    size: (u16, u16),
    env_requests: usize,
    started: bool,
}

/// The russh handler of one connection.
pub struct Guest {
    shared: Arc<Shared>,
    peer: SocketAddr,
    pending: Option<PendingTicket>,
    /// The last reason a login was refused, shown through
    /// keyboard-interactive (the one way to show a text before login).
    refusal: Option<Refusal>,
    login: Option<Login>,
    channel: Option<GuestChannel>,
    conn: Arc<Conn>,
    events: UnboundedSender<ConnEvent>,
    /// The server's address the guest connected to.
    joined_at: Option<SocketAddr>,
}

impl Guest {
    pub fn new(
        shared: Arc<Shared>,
        peer: SocketAddr,
        pending: PendingTicket,
        conn: Arc<Conn>,
        events: UnboundedSender<ConnEvent>,
    ) -> Guest {
        Guest {
            shared,
            peer,
            pending: Some(pending),
            refusal: None,
            login: None,
            channel: None,
            conn,
            events,
            joined_at: None,
        }
    }

    /// The server's address this connection came in on (the host and port
    /// the guest typed, as the server sees them).
    pub fn joined_at(mut self, local: Option<SocketAddr>) -> Guest {
        self.joined_at = local;
        self
    }

    fn port(&self) -> u16 {
        self.shared.port
    }

    fn note(&self, text: String) {
        self.shared.note(text);
    }

    /// Whether `key` may join as `user` (checks only).
    fn judge_key(&self, user: &str, key: &PublicKey) -> Result<Claim, Refusal> {
        if let Some(list) = &self.shared.guests {
            if !list.admits(key) {
                return Err(Refusal::NotInvited);
            }
        }
        self.judge(user, Some(key))
    }

    fn judge(&self, user: &str, key: Option<&PublicKey>) -> Result<Claim, Refusal> {
        self.shared
            .name_keys
            .check(user, key)
            .map_err(|e| self.host_problem(user, e))
    }

    fn host_problem(&self, user: &str, e: CheckError) -> Refusal {
        match e {
            CheckError::Refused(r) => r,
            CheckError::Host(e) => {
                self.note(format!("cannot check the name {user:?}: {e}"));
                Refusal::HostProblem
            }
        }
    }

    fn refuse(&mut self, user: &str, refusal: Refusal) -> Auth {
        self.note(format!(
            "refused {:?} from {}: {}",
            user.chars().take(64).collect::<String>(),
            self.peer.ip(),
            refusal.message(self.port()).lines().next().unwrap_or("")
        ));
        self.refusal = Some(refusal);
        Auth::reject()
    }

    /// A login with a verified key: the checks again, a player slot, and
    /// the name bound to the key if it is new.
    fn log_in_with_key(&mut self, user: &str, key: &PublicKey) -> Result<Login, Refusal> {
        self.judge_key(user, key)?;
        let ticket = self.shared.admission.try_player(user)?;
        self.shared
            .name_keys
            .bind(user, key)
            .map_err(|e| self.host_problem(user, e))?;
        Ok(Login {
            name: user.to_string(),
            identity: Identity::Key {
                fingerprint: identity::fingerprint(key),
            },
            ticket,
        })
    }

    fn log_in_keyless(&mut self, user: &str) -> Result<Login, Refusal> {
        self.judge(user, None)?;
        let ticket = self.shared.admission.try_player(user)?;
        Ok(Login {
            name: user.to_string(),
            identity: Identity::Keyless,
            ticket,
        })
    }

    fn ours(&self, channel: ChannelId) -> bool {
        self.channel.as_ref().is_some_and(|c| c.id == channel)
    }

    /// Tells the client `text` on stderr, with exit status 1, and closes
    /// the channel.
    fn say_and_close(&mut self, channel: ChannelId, text: &str, session: &mut Session) {
        let text = format!("{}\r\n", text.replace('\n', "\r\n"));
        let _ = session.extended_data(channel, 1, text.into_bytes());
        let _ = session.exit_status_request(channel, 1);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }

    /// The command that joins the game: the guest's own name at the
    /// address they used when both are known (`ssh -p 2222 ana@192.168.1.20`).
    fn join_hint(&self) -> String {
        match (&self.login, self.joined_at) {
            (Some(login), Some(at)) => super::announce::rejoin_command(&login.name, at),
            _ => format!("ssh -p {} NAME@HOST", self.port()),
        }
    }

    fn start_game(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), String> {
        let Some(login) = self.login.take() else {
            return Err("not logged in".into());
        };
        let Some(ch) = self.channel.as_mut().filter(|c| c.id == channel) else {
            return Err("no such channel".into());
        };
        let Some(writer) = ch.writer.take() else {
            return Err("the game already started".into());
        };
        ch.started = true;
        let terminal = Terminal {
            term: ch.term.clone().unwrap_or_else(|| "xterm".into()),
            colorterm: ch.colorterm.clone(),
            lang: ch.lang.clone(),
            cols: ch.size.0,
            rows: ch.size.1,
        };
        let (input_tx, input) = session::input_queue();
        let (output, output_rx) = session::output_queue();
        *lock(&self.conn.input) = Some(input_tx);
        *lock(&self.conn.last_input) = Instant::now();
        let Login {
            name,
            identity,
            ticket,
        } = login;
        let keyless = identity == Identity::Keyless;
        let guest = GuestSession {
            name: name.clone(),
            identity,
            terminal,
            input,
            output,
            party: self.shared.board.reporter(&name),
            joined_at: self.joined_at,
        };
        self.shared.board.update(|s| s.joined(&name, keyless));
        let (ended_tx, ended_rx) = tokio::sync::oneshot::channel();
        let board = self.shared.board.clone();
        let conn = self.conn.clone();
        let game = self.shared.game.clone();
        session::spawn(game, guest, move |ended| {
            // The name is free again only once this game is over.
            drop(ticket);
            let why = lock(&conn.gone).clone().unwrap_or_else(|| match &ended {
                Ended::Returned(Outcome::Finished { .. }) => "finished".into(),
                Ended::Returned(Outcome::Left { .. }) => String::new(),
                Ended::Returned(Outcome::Failed(e)) => format!("the game failed: {e}"),
                Ended::Panicked(e) => format!("the game crashed: {e}"),
            });
            board.update(|s| s.left(&name, &why));
            let _ = ended_tx.send(ended);
        })
        .map_err(|e| format!("cannot start a thread for the game: {e}"))?;
        tokio::spawn(pump(
            output_rx,
            writer,
            ended_rx,
            self.conn.clone(),
            self.events.clone(),
        ));
        let _ = self.events.send(ConnEvent::Started);
        let _ = session.channel_success(channel);
        Ok(())
    }
}

/// Copies the game's output to the guest, respecting their SSH window (so
/// a guest who stops reading fills the bounded queue, not our memory);
/// then says goodbye and closes the channel.
async fn pump(
    mut frames: session::OutputReceiver,
    writer: ChannelWriteHalf<Msg>,
    ended: tokio::sync::oneshot::Receiver<Ended>,
    conn: Arc<Conn>,
    events: UnboundedSender<ConnEvent>,
) {
    let mut open = true;
    while let Some(chunk) = frames.recv().await {
        match tokio::time::timeout(OUTPUT_STALL_LIMIT, writer.data_bytes(chunk)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => {
                open = false;
                break;
            }
            Err(_) => {
                // Their terminal took nothing for that long: end the game
                // (its next write fails, its input closes) and hang up.
                open = false;
                conn.close_input("their terminal stopped reading");
                break;
            }
        }
    }
    drop(frames);
    let ended = if open {
        ended.await.ok()
    } else {
        tokio::time::timeout(SHUTDOWN_GRACE, ended)
            .await
            .ok()
            .and_then(Result::ok)
    };
    if open {
        let farewell = lock(&conn.farewell).take();
        let parting = match &ended {
            Some(Ended::Returned(outcome)) => outcome.parting().map(str::to_string),
            _ => None,
        };
        let (text, status) = match (&ended, farewell) {
            // Why the server ended it, then what was saved and how to
            // come back.
            (_, Some(text)) => (Some(lines(text, parting)), 1),
            (Some(Ended::Panicked(_)), None) => (
                Some(
                    "Sorry: the game stopped because of a bug. The host can see what happened."
                        .into(),
                ),
                1,
            ),
            (Some(Ended::Returned(Outcome::Failed(e))), None) => {
                (Some(format!("The game stopped: {e}")), 1)
            }
            _ => (parting, 0),
        };
        // A guest who stopped reading would block these forever.
        let goodbye = async {
            if let Some(text) = text {
                // Names in it came from a pack or a profile file: inert.
                let text = sanitize::visible(&text, true).replace('\n', "\r\n");
                let text = format!("\r\n{text}\r\n");
                let _ = writer.data_bytes(text.into_bytes()).await;
            }
            let _ = writer.exit_status(status).await;
            let _ = writer.eof().await;
            let _ = writer.close().await;
        };
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, goodbye).await;
    }
    let _ = events.send(ConnEvent::GameOver);
}

/// `first`, then `then` on the lines below it.
fn lines(first: String, then: Option<String>) -> String {
    match then {
        Some(then) => format!("{first}\n{then}"),
        None => first,
    }
}

impl Drop for Guest {
    fn drop(&mut self) {
        // The connection is gone: the game's input ends.
        self.conn.close_input("connection lost");
    }
}

impl Handler for Guest {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::reject())
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        // Refused keys are rejected before the client signs, so a client
        // with several keys quickly gets to the one that is welcome.
        Ok(match self.judge_key(user, offer.public_key) {
            Ok(_) => Auth::Accept,
            Err(r) => {
                self.refusal = Some(r);
                Auth::reject()
            }
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(match self.log_in_with_key(user, key.public_key) {
            Ok(login) => {
                self.login = Some(login);
                Auth::Accept
            }
            Err(r) => self.refuse(user, r),
        })
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        if response.is_some() {
            // The client has shown our message: refuse, and offer no
            // second round of it (OpenSSH would ask up to three times).
            let mut methods = russh::MethodSet::empty();
            methods.push(russh::MethodKind::PublicKey);
            return Ok(Auth::Reject {
                proceed_with_methods: Some(methods),
                partial_success: false,
            });
        }
        let refusal = match self.refusal.clone() {
            Some(r) => r,
            None if !self.shared.open => Refusal::KeyRequired,
            None => match self.log_in_keyless(user) {
                Ok(login) => {
                    self.login = Some(login);
                    return Ok(Auth::Accept);
                }
                Err(r) => r,
            },
        };
        let _ = self.refuse(user, refusal.clone());
        // No prompts: OpenSSH prints the instruction text and answers at
        // once; the rejection follows.
        Ok(Auth::Partial {
            name: Cow::Borrowed(""),
            instructions: Cow::Owned(refusal.message(self.port())),
            prompts: Cow::Borrowed(&[]),
        })
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.pending = None;
        let _ = self.events.send(ConnEvent::LoggedIn);
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() || self.login.is_none() {
            // One game per connection; dropping `reply` refuses.
            return Ok(());
        }
        // The read half is dropped: input arrives through `data`, and a
        // reader nobody drains would stall the connection.
        let (read, write) = channel.split();
        drop(read);
        self.channel = Some(GuestChannel {
            id: write.id(),
            writer: Some(write),
            term: None,
            colorterm: None,
            lang: None,
            size: (80, 24),
            env_requests: 0,
            started: false,
        });
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self
            .channel
            .as_mut()
            .filter(|c| c.id == channel && !c.started)
        {
            Some(ch) => {
                ch.term = Some(if admission::valid_env_value("TERM", term) {
                    term.to_string()
                } else {
                    "xterm".to_string()
                });
                ch.size = admission::clamp_size(col_width, row_height);
                session.channel_success(channel)?;
            }
            None => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        variable_name: &str,
        variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let ok = match self
            .channel
            .as_mut()
            .filter(|c| c.id == channel && !c.started)
        {
            Some(ch) if ch.env_requests < MAX_ENV_REQUESTS => {
                ch.env_requests += 1;
                let valid = admission::ALLOWED_ENV.contains(&variable_name)
                    && admission::valid_env_value(variable_name, variable_value);
                if valid {
                    let value = Some(variable_value.to_string());
                    match variable_name {
                        "TERM" if ch.term.is_none() => ch.term = value,
                        "COLORTERM" => ch.colorterm = value,
                        "LANG" => ch.lang = value,
                        _ => {}
                    }
                }
                valid
            }
            _ => false,
        };
        if ok {
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            session.channel_failure(channel)?;
            return Ok(());
        }
        if self.channel.as_ref().is_some_and(|c| c.term.is_none()) {
            session.channel_success(channel)?;
            let join = self.join_hint();
            let forced = join.replacen("ssh ", "ssh -t ", 1);
            let text = format!(
                "mytype needs a terminal. Connect from one, or force one with -t: {forced}"
            );
            self.say_and_close(channel, &text, session);
            return Ok(());
        }
        if let Err(e) = self.start_game(channel, session) {
            self.note(format!("cannot start a game for {}: {e}", self.peer.ip()));
            session.channel_success(channel)?;
            self.say_and_close(
                channel,
                "Sorry: the server cannot start your game right now.",
                session,
            );
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        let text = format!(
            "mytype serve runs no commands: it only plays the game.\nConnect with: {}",
            self.join_hint()
        );
        self.say_and_close(channel, &text, session);
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let name: String = name
            .chars()
            .take(32)
            .filter(|c| c.is_ascii_graphic())
            .collect();
        self.note(format!(
            "refused subsystem {name:?} from {}",
            self.peer.ip()
        ));
        let text = format!(
            "mytype serve has no {name} (no file transfer, no subsystems): it only plays the game.\nConnect with: {}",
            self.join_hint()
        );
        // Answered with success and then closed with the reason: OpenSSH
        // exits on a failure reply before printing anything we sent.
        session.channel_success(channel)?;
        self.say_and_close(channel, &text, session);
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(ch) = self.channel.as_mut().filter(|c| c.id == channel) {
            ch.size = admission::clamp_size(col_width, row_height);
            if let Some(input) = lock(&self.conn.input).as_ref() {
                input.resize(ch.size.0, ch.size.1);
            }
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) {
            *lock(&self.conn.last_input) = Instant::now();
            if let Some(input) = lock(&self.conn.input).as_ref() {
                // Dropped when the game is that far behind (a paste flood).
                input.bytes(data);
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) {
            self.conn.close_input("");
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.ours(channel) {
            self.conn.close_input("");
        }
        Ok(())
    }
}
