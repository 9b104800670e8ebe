//! `mytype serve` end to end with the real OpenSSH client: a server on
//! 127.0.0.1 (a free port, a temporary profiles folder and host key),
//! guests joining with `ssh -tt` inside a private tmux server, refusals read
//! from what `ssh` prints. Every wait is on what the screen or the host's
//! log shows, with a bounded timeout.
//!
//! Skipped with a message when ssh, ssh-keygen, sftp or tmux is missing,
//! except in CI (env `CI` set), where that fails the test. The helpers are
//! shared with [`crate::serve_end`] (the end of a party).

use crate::e2e_support::*;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

pub(crate) fn need_tools(test: &str) -> bool {
    let tools = [
        (runs("ssh", &["-V"]), "ssh (openssh-client)"),
        (runs("ssh-keygen", &["-?"]), "ssh-keygen (openssh-client)"),
        (runs("sftp", &["-?"]), "sftp (openssh-client)"),
        (runs("tmux", &["-V"]), "tmux"),
    ];
    need_all(test, &tools, "apt-get install openssh-client tmux")
}

/// A folder with client keys, the host key and the profiles.
pub(crate) struct Party {
    dir: tempfile::TempDir,
}

impl Party {
    pub(crate) fn new() -> Party {
        Party {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `mytype serve` on the bundled pack with its live board in tmux
    /// window "host" (profiles in `profiles`, `extra` flags after), once
    /// the empty board is drawn; then each of `guests` joins with their own
    /// key, up to their first face.
    pub(crate) fn start(&self, tmux: &Tmux, port: u16, extra: &str, guests: &[&str]) {
        let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
        let known_hosts = self.path("known_hosts");
        tmux.start(
            "host",
            &format!(
                "{} --profiles-dir {} serve --listen 127.0.0.1:{port} --host-key {} --pack {} {extra}",
                sh(BIN),
                sh(&self.path("profiles").display().to_string()),
                sh(&self.path("host_key").display().to_string()),
                sh(&pack.display().to_string()),
            ),
        );
        tmux.wait_for("host", "Players: 0 of 32", false);
        for name in guests {
            let key = self.key(name);
            tmux.start(name, &join_command(port, &known_hosts, Some(&key), name));
            tmux.wait_for(name, "0 / 50 rated", false);
        }
    }

    /// A client key pair `NAME` and `NAME.pub` (made once).
    pub(crate) fn key(&self, name: &str) -> PathBuf {
        let path = self.path(name);
        if !path.exists() {
            let out = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
                .arg(&path)
                .output()
                .expect("run ssh-keygen");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        path
    }

    fn serve(&self, extra: &[&str]) -> Server {
        Server::start(self, extra)
    }
}

/// `mytype serve` in the background, its stdout (the host's log) collected.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
    known_hosts: PathBuf,
}

impl Server {
    fn start(party: &Party, extra: &[&str]) -> Server {
        let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
        let mut child = Command::new(BIN)
            .arg("--profiles-dir")
            .arg(party.path("profiles"))
            .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
            .arg(party.path("host_key"))
            .arg("--pack")
            .arg(pack)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start mytype serve");
        let log = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(stderr).read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        let mut server = Server {
            child,
            port: 0,
            log,
            known_hosts: party.path("known_hosts"),
        };
        server.port = wait_until("the server to listen", || {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("mytype serve exited ({status}):\n{}", server.log());
            }
            let log = server.log();
            let rest = log.split("listening on 127.0.0.1:").nth(1)?;
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        });
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn wait_log(&self, want: &str) -> String {
        wait_until(&format!("{want:?} in the host's log"), || {
            let log = self.log();
            log.contains(want).then_some(log)
        })
    }

    /// The fingerprint the server printed.
    fn fingerprint(&self) -> String {
        let log = self.wait_log("host key SHA256:");
        log.split("host key ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap()
            .to_string()
    }

    /// `ssh` options for this server: no user config, no agent, our
    /// known_hosts.
    fn ssh_args(&self, key: Option<&Path>) -> Vec<String> {
        ssh_args(self.port, &self.known_hosts, key)
    }

    /// `ssh ARGS OPTIONS USER@127.0.0.1 COMMAND…` with no stdin, bounded
    /// by the connect timeout and the server's limits.
    fn ssh(&self, key: Option<&Path>, user: &str, options: &[&str], command: &[&str]) -> Output {
        Command::new("ssh")
            .args(self.ssh_args(key))
            .args(options)
            .arg(format!("{user}@127.0.0.1"))
            .args(command)
            .stdin(Stdio::null())
            .output()
            .expect("run ssh")
    }

    /// The shell command that joins as `user` with a terminal (`ssh -tt`).
    fn join_command(&self, key: Option<&Path>, user: &str) -> String {
        join_command(self.port, &self.known_hosts, key, user)
    }

    /// SIGTERM, then the exit status (bounded).
    fn stop(&mut self) -> std::process::ExitStatus {
        kill("TERM", self.child.id() as i32);
        wait_until("mytype serve to exit", || self.child.try_wait().unwrap())
    }
}

/// `ssh` options for a server on 127.0.0.1:`port`.
fn ssh_args(port: u16, known_hosts: &Path, key: Option<&Path>) -> Vec<String> {
    let mut args: Vec<String> = [
        "-F",
        "/dev/null",
        "-o",
        "StrictHostKeyChecking=accept-new",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "IdentityAgent=none",
        "-o",
        "ConnectTimeout=5",
        "-o",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("UserKnownHostsFile={}", known_hosts.display()));
    args.extend(["-p".to_string(), port.to_string()]);
    match key {
        Some(k) => args.extend(["-i".to_string(), k.display().to_string()]),
        None => args.extend(["-o".to_string(), "PubkeyAuthentication=no".to_string()]),
    }
    args
}

/// The shell command that joins 127.0.0.1:`port` as `user` with a
/// terminal (`ssh -tt`).
pub(crate) fn join_command(
    port: u16,
    known_hosts: &Path,
    key: Option<&Path>,
    user: &str,
) -> String {
    let args: Vec<String> = ssh_args(port, known_hosts, key)
        .iter()
        .map(|a| sh(a))
        .collect();
    format!("ssh -tt {} {}@127.0.0.1", args.join(" "), sh(user))
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_guest_joins_plays_and_leaves() {
    if !need_tools("a_guest_joins_plays_and_leaves") {
        return;
    }
    let party = Party::new();
    let key = party.key("ana_key");
    let server = party.serve(&[]);
    let tmux = Tmux::new();
    tmux.start("ana", &server.join_command(Some(&key), "ana"));
    tmux.wait_for("ana", "0 / 50 rated", false);
    server.wait_log("ana joined");
    // Faces rated through ssh are on the board and in ana's profile.
    for (i, key) in ["3", "5", "1"].iter().enumerate() {
        tmux.keys("ana", &[key]);
        tmux.wait_for("ana", &format!("{} / 50 rated", i + 1), false);
    }
    server.wait_log("ana rated 3/50");
    assert_eq!(levels(&party, "ana"), vec![3, 5, 1]);
    // The guest's terminal size reaches the game, and so does a resize.
    tmux.run(&["resize-window", "-t", "ana", "-x", "30", "-y", "8"]);
    tmux.wait_for("ana", mytype::ui::strings::TOO_SMALL_TITLE, false);
    tmux.run(&["resize-window", "-t", "ana", "-x", "100", "-y", "40"]);
    tmux.wait_for("ana", "3 / 50 rated", false);
    tmux.keys("ana", &["q"]);
    assert_eq!(tmux.exit_code("ana"), 0);
    server.wait_log("ana left");
    // The last lines before the channel closed, on the main screen with
    // the cursor back: what was saved and the exact command to come back.
    let port = server.port;
    assert_parting(
        &tmux,
        "ana",
        &[&format!(
            "Saved 3 of 50 ratings for profile ana; run `ssh -p {port} ana@127.0.0.1` to continue."
        )],
    );
    // The name is now bound to ana's key, beside the profiles.
    let bound = std::fs::read_to_string(party.path("profiles/.keys/ana.pub")).unwrap();
    let public = std::fs::read_to_string(party.path("ana_key.pub")).unwrap();
    let key_of = |line: &str| line.split_whitespace().nth(1).unwrap_or("").to_string();
    assert_eq!(key_of(&bound), key_of(&public));
}

#[test]
fn names_belong_to_their_first_key_and_must_be_valid() {
    if !need_tools("names_belong_to_their_first_key_and_must_be_valid") {
        return;
    }
    let party = Party::new();
    let (first, second) = (party.key("first"), party.key("second"));
    let server = party.serve(&[]);
    // The first key takes the name (the command itself is refused).
    let out = server.ssh(Some(&first), "ana", &[], &["true"]);
    assert!(text(&out).contains("runs no commands"), "{}", text(&out));
    // Another key is refused, with the reason.
    let out = server.ssh(Some(&second), "ana", &[], &["true"]);
    assert_eq!(out.status.code(), Some(255), "{}", text(&out));
    assert!(
        text(&out).contains("The name \"ana\" belongs to another player's SSH key"),
        "{}",
        text(&out)
    );
    // The reason is said once, not once per retry.
    assert_eq!(text(&out).matches("belongs to another").count(), 1);
    // A name that cannot be a profile name.
    let out = server.ssh(Some(&second), ".hidden", &[], &["true"]);
    assert!(
        text(&out).contains("\".hidden\" can't be a player name: it starts with a dot"),
        "{}",
        text(&out)
    );
    // The host sees the refusals.
    server.wait_log("refused \"ana\" from 127.0.0.1");
}

#[test]
fn only_the_game_is_served() {
    if !need_tools("only_the_game_is_served") {
        return;
    }
    let party = Party::new();
    let key = party.key("k");
    let server = party.serve(&[]);
    // exec
    let out = server.ssh(Some(&key), "ana", &[], &["ls", "/"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("mytype serve runs no commands: it only plays the game."),
        "{}",
        text(&out)
    );
    // With the exact command: their name, the address and port they used.
    let join = format!("Connect with: ssh -p {} ana@127.0.0.1", server.port);
    assert!(text(&out).contains(&join), "{}", text(&out));
    assert!(!text(&out).contains("bin"), "{}", text(&out));
    // A shell without a terminal: the command that forces one.
    let out = server.ssh(Some(&key), "ana", &["-T"], &[]);
    let forced = format!("force one with -t: ssh -t -p {} ana@127.0.0.1", server.port);
    assert!(text(&out).contains(&forced), "{}", text(&out));
    // sftp
    let mut sftp_args = server.ssh_args(Some(&key));
    let p = sftp_args.iter().position(|a| a == "-p").unwrap();
    sftp_args[p] = "-P".into();
    let out = Command::new("sftp")
        .args(&sftp_args)
        .arg("ana@127.0.0.1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out).contains("no sftp (no file transfer, no subsystems)"),
        "{}",
        text(&out)
    );
    // Remote forwarding is refused at once.
    let out = server.ssh(
        Some(&key),
        "ana",
        &[
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "127.0.0.1:0:127.0.0.1:9",
        ],
        &[],
    );
    assert!(
        text(&out).contains("remote port forwarding failed"),
        "{}",
        text(&out)
    );
    // Local forwarding: the tunnel's channel is refused, and a connection
    // that opens no game is hung up on with the reason.
    let local = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let forward = format!("127.0.0.1:{local}:127.0.0.1:{}", server.port);
    let tunnel = Command::new("ssh")
        .args(server.ssh_args(Some(&key)))
        .args(["-N", "-L", &forward, "ana@127.0.0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut through = wait_until("the tunnel's local port", || {
        std::net::TcpStream::connect(("127.0.0.1", local)).ok()
    });
    through
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 64];
    // Our server would greet with "SSH-2.0-…": nothing comes through.
    let n = through.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "{:?}", String::from_utf8_lossy(&buf[..n]));
    let out = tunnel.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("administratively prohibited"), "{err}");
    assert!(err.contains("only plays the game"), "{err}");
}

#[test]
fn keyless_guests_need_open_and_a_free_name() {
    if !need_tools("keyless_guests_need_open_and_a_free_name") {
        return;
    }
    let party = Party::new();
    let key = party.key("k");
    {
        let server = party.serve(&[]);
        let out = server.ssh(None, "bo", &[], &["true"]);
        assert_eq!(out.status.code(), Some(255));
        assert!(
            text(&out).contains("This party lets guests in with an SSH key only"),
            "{}",
            text(&out)
        );
        // ana binds her name.
        server.ssh(Some(&key), "ana", &[], &["true"]);
    }
    let server = party.serve(&["--open"]);
    let tmux = Tmux::new();
    tmux.start("bo", &server.join_command(None, "bo"));
    tmux.wait_for("bo", "0 / 50 rated", false);
    server.wait_log("bo joined (no key: this session only)");
    tmux.keys("bo", &["4"]);
    tmux.wait_for("bo", "1 / 50 rated", false);
    server.wait_log("bo rated 1/50");
    // A keyless guest cannot take a name bound to a key.
    let out = server.ssh(None, "ana", &[], &["true"]);
    assert!(
        text(&out).contains("The name \"ana\" is taken"),
        "{}",
        text(&out)
    );
    // Nor one that is playing now.
    let out = server.ssh(None, "bo", &[], &["true"]);
    assert!(
        text(&out).contains("\"bo\" is already playing"),
        "{}",
        text(&out)
    );
    tmux.keys("bo", &["q"]);
    assert_eq!(tmux.exit_code("bo"), 0);
    assert_parting(&tmux, "bo", &[&mytype::ui::strings::keyless_done(1, 50)]);
    // Nothing binds a keyless name, nothing saves its ratings.
    assert!(!party.path("profiles/.keys/bo.pub").exists());
    assert!(!party.path("profiles/bo.ron").exists());
}

#[test]
fn the_host_key_survives_a_restart() {
    if !need_tools("the_host_key_survives_a_restart") {
        return;
    }
    let party = Party::new();
    let key = party.key("k");
    let mut server = party.serve(&[]);
    let first = server.fingerprint();
    server.wait_log("(created in");
    // As ssh-keygen shows it.
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(party.path("host_key"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&first));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(party.path("host_key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // A guest playing when the host ends the party is told so.
    let tmux = Tmux::new();
    tmux.start("ana", &server.join_command(Some(&key), "ana"));
    tmux.wait_for("ana", "0 / 50 rated", false);
    let port = server.port;
    assert!(server.stop().success(), "{}", server.log());
    tmux.wait_for("ana", "The host ended the party", true);
    // Then what was saved (nothing yet) and the command that comes back.
    let back =
        format!("No ratings yet for profile ana; run `ssh -p {port} ana@127.0.0.1` to start.");
    assert_parting(
        &tmux,
        "ana",
        &["The host ended the party. Thanks for playing!", &back],
    );
    // The host's log (not a terminal) ends with the party's summary.
    let log = server.wait_log("No ratings were saved.");
    assert!(log.contains("the party is over after"), "{log}");
    assert!(
        log.contains("; 1 guest joined:\n  ana  nothing rated\n"),
        "{log}"
    );
    drop(server);

    let server = party.serve(&[]);
    assert_eq!(server.fingerprint(), first);
    // known_hosts still matches: strict checking lets us in.
    let out = server.ssh(
        Some(&key),
        "ana",
        &["-o", "StrictHostKeyChecking=yes"],
        &["true"],
    );
    assert!(text(&out).contains("runs no commands"), "{}", text(&out));
    drop(server);

    // A host key others can read is refused, as ssh refuses one.
    std::fs::set_permissions(
        party.path("host_key"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(party.path("host_key"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("chmod 600"), "{}", text(&out));
}

#[test]
fn a_full_party_refuses_with_a_message() {
    if !need_tools("a_full_party_refuses_with_a_message") {
        return;
    }
    let party = Party::new();
    let (ana, bo) = (party.key("ana"), party.key("bo"));
    let server = party.serve(&["--max-players", "1"]);
    let tmux = Tmux::new();
    tmux.start("ana", &server.join_command(Some(&ana), "ana"));
    tmux.wait_for("ana", "0 / 50 rated", false);
    let out = server.ssh(Some(&bo), "bo", &[], &["true"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(
        text(&out).contains("The party is full (1 player)"),
        "{}",
        text(&out)
    );
    // Once ana leaves, bo gets in.
    tmux.keys("ana", &["q"]);
    server.wait_log("ana left");
    let out = server.ssh(Some(&bo), "bo", &[], &["true"]);
    assert!(text(&out).contains("runs no commands"), "{}", text(&out));
}

#[test]
fn one_guest_dropping_leaves_the_other_playing() {
    if !need_tools("one_guest_dropping_leaves_the_other_playing") {
        return;
    }
    let party = Party::new();
    let (ana, bo) = (party.key("ana"), party.key("bo"));
    let server = party.serve(&[]);
    let tmux = Tmux::new();
    let pid_file = party.path("ana_ssh.pid");
    tmux.start(
        "ana",
        &format!(
            "sh -c 'echo $$ > {}; exec {}'",
            pid_file.display(),
            server
                .join_command(Some(&ana), "ana")
                .replace('\'', "'\\''")
        ),
    );
    tmux.start("bo", &server.join_command(Some(&bo), "bo"));
    tmux.wait_for("ana", "0 / 50 rated", false);
    tmux.wait_for("bo", "0 / 50 rated", false);
    tmux.keys("ana", &["2"]);
    tmux.wait_for("ana", "1 / 50 rated", false);
    tmux.keys("ana", &["4"]);
    tmux.wait_for("ana", "2 / 50 rated", false);
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    kill("KILL", pid);
    server.wait_log("ana left (connection lost)");
    // The dropped guest's ratings are saved.
    assert_eq!(levels(&party, "ana"), vec![2, 4]);
    tmux.keys("bo", &["5"]);
    tmux.wait_for("bo", "1 / 50 rated", false);
    server.wait_log("bo rated 1/50");
    // ana can come back at once, and goes on where she was.
    let tmux2 = Tmux::new();
    tmux2.start("ana", &server.join_command(Some(&ana), "ana"));
    tmux2.wait_for("ana", "2 / 50 rated", false);
}

/// After the guest's `ssh` exited: their terminal is restored (main
/// screen, cursor shown) and the last lines it printed, just above the
/// `EXIT=` line (and ssh's "Connection to … closed."), start with `want`,
/// in that order.
pub(crate) fn assert_parting(tmux: &Tmux, name: &str, want: &[&str]) {
    let screen = tmux.wait_for(name, "EXIT=", true);
    assert_eq!(
        tmux.format(name, "alternate_on"),
        "0",
        "alternate screen left on"
    );
    assert_eq!(tmux.format(name, "cursor_flag"), "1", "cursor left hidden");
    let joined = tmux.scrollback_joined(name);
    let lines: Vec<&str> = joined.lines().map(str::trim_end).collect();
    let exit = lines
        .iter()
        .rposition(|l| l.starts_with("EXIT="))
        .unwrap_or_else(|| panic!("no EXIT= line:\n{screen}"));
    let mut last: Vec<&str> = lines[..exit]
        .iter()
        .rev()
        // ssh's own last word (with -tt) comes after ours.
        .filter(|l| !l.is_empty() && !l.starts_with("Connection to "))
        .take(want.len())
        .copied()
        .collect();
    last.reverse();
    assert_eq!(last.len(), want.len(), "{joined}");
    for (line, want) in last.iter().zip(want) {
        assert!(
            line.starts_with(want),
            "{line:?} is not {want:?}:\n{joined}"
        );
    }
}

/// The levels saved in profile `name`, in the order rated.
pub(crate) fn levels(party: &Party, name: &str) -> Vec<u8> {
    mytype::profile::ProfileStore::at(&party.path("profiles"))
        .load_optional(name)
        .unwrap()
        .map(|p| p.ratings.iter().map(|r| r.level.value()).collect())
        .unwrap_or_default()
}

#[test]
fn faces_come_in_truecolor_only_to_clients_that_send_colorterm() {
    if !need_tools("faces_come_in_truecolor_only_to_clients_that_send_colorterm") {
        return;
    }
    let party = Party::new();
    let (ana, bo) = (party.key("ana"), party.key("bo"));
    let server = party.serve(&[]);
    let tmux = Tmux::new();
    let truecolor = server.join_command(Some(&ana), "ana").replacen(
        "ssh -tt",
        "ssh -tt -o SetEnv=COLORTERM=truecolor",
        1,
    );
    tmux.start("ana", &truecolor);
    tmux.start("bo", &server.join_command(Some(&bo), "bo"));
    let coloured = |name: &str| {
        let out = tmux.run(&["capture-pane", "-e", "-p", "-t", name]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Faces load in the background: wait for them.
    wait_until("ana's face in truecolor", || {
        coloured("ana").contains("38;2;").then_some(())
    });
    wait_until("bo's face in 256 colours", || {
        let screen = coloured("bo");
        (screen.contains("0 / 50 rated") && screen.matches("38;5;").count() > 20).then_some(())
    });
    assert!(!coloured("bo").contains("38;2;"), "{}", coloured("bo"));
}

/// A port on 127.0.0.1 free a moment ago (the live board, in a terminal of
/// its own, is read from its screen, not from a log with the port).
pub(crate) fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// Two guests play whole games at the same time; each profile ends with its
/// 50 ratings, and the host's live board (in a terminal of its own) shows
/// both reveals and the pair.
#[test]
fn two_guests_play_whole_games_and_the_board_shows_both_reveals_and_the_pair() {
    let test = "two_guests_play_whole_games_and_the_board_shows_both_reveals_and_the_pair";
    if !need_tools(test) {
        return;
    }
    let party = Party::new();
    let port = free_port();
    let tmux = Tmux::new();
    let board_png = format!(
        "--board-png {}",
        sh(&party.path("board.png").display().to_string())
    );
    party.start(&tmux, port, &board_png, &["ana", "bo"]);
    // ana and bo rate in turns, bo the other way round from ana.
    let level = |i: usize| (i * 7 % 5 + 1) as u8;
    for i in 0..50 {
        tmux.keys("ana", &[&level(i).to_string()]);
        tmux.keys("bo", &[&(6 - level(i)).to_string()]);
        if i < 49 {
            tmux.wait_for("ana", &format!("{} / 50 rated", i + 1), false);
            tmux.wait_for("bo", &format!("{} / 50 rated", i + 1), false);
        }
    }
    tmux.wait_for("ana", mytype::ui::strings::REVEAL_HEADLINE, false);
    tmux.wait_for("bo", mytype::ui::strings::REVEAL_HEADLINE, false);
    let ana_levels: Vec<u8> = (0..50).map(level).collect();
    let bo_levels: Vec<u8> = ana_levels.iter().map(|l| 6 - l).collect();
    assert_eq!(levels(&party, "ana"), ana_levels);
    assert_eq!(levels(&party, "bo"), bo_levels);
    // The board: both at 50/50 with their type, and the pair.
    let board = wait_until("both reveals and the pair on the host's board", || {
        let screen = tmux.screen("host");
        let revealed = screen
            .lines()
            .filter(|l| l.contains("50/50") && l.contains("my type:"))
            .count();
        (revealed == 2 && screen.contains("ana & bo")).then_some(screen)
    });
    assert!(board.contains("ana ") && board.contains("bo "), "{board}");
    // The host's keys: `s` saves the board as a PNG, a first `q` asks again.
    tmux.keys("host", &["s"]);
    tmux.wait_for("host", "Saved the board to", false);
    let png = std::fs::read(party.path("board.png")).expect("the board's PNG");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    tmux.keys("host", &["q"]);
    tmux.wait_for("host", "Press q again to end the party", false);
    tmux.keys("ana", &["q"]);
    tmux.keys("bo", &["q"]);
    assert_eq!(tmux.exit_code("ana"), 0);
    assert_eq!(tmux.exit_code("bo"), 0);
    // Every face rated and the pick seen: as in local play, the last line
    // is whose face it was (nothing is left to continue).
    for name in ["ana", "bo"] {
        assert_parting(&tmux, name, &["The AI says my type is "]);
    }
    // The host's terminal goes away (a closed pane, a dropped SSH session):
    // the server ends instead of spinning on the dead terminal.
    let host_key = party.path("host_key").display().to_string();
    let running = || {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
            .map(|cmd| String::from_utf8_lossy(&cmd).into_owned())
            // mytype itself (tmux's server keeps the command in its own).
            .any(|cmd| cmd.starts_with(&format!("{BIN}\0")) && cmd.contains(&host_key))
    };
    assert!(running(), "the server is not running");
    tmux.run(&["kill-session", "-t", "host"]);
    wait_until("the server to end with its terminal", || {
        (!running()).then_some(())
    });
}
