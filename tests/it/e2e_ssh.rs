//! End to end over SSH for real: a throwaway sshd on 127.0.0.1 (key auth, a
//! host key made for the test, run as the current user), the game played
//! through `ssh -tt` inside tmux with TERM=xterm-256color and no COLORTERM,
//! then the connection dropped by killing the ssh client, so sshd hangs up
//! the session. The profile must hold every rating given.
//!
//! Skipped with a message when sshd, ssh, ssh-keygen or tmux is missing,
//! except in CI (env `CI` set), where that fails the test.

use crate::e2e_support;

use e2e_support::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

const SSHD: &str = "/usr/sbin/sshd";

fn need_ssh(test: &str) -> bool {
    let tools = [
        (Path::new(SSHD).is_file(), "sshd (openssh-server)"),
        (runs("ssh", &["-V"]), "ssh (openssh-client)"),
        (runs("ssh-keygen", &["-?"]), "ssh-keygen (openssh-client)"),
        (runs("tmux", &["-V"]), "tmux"),
    ];
    need_all(
        test,
        &tools,
        "apt-get install openssh-server openssh-client tmux",
    )
}

/// A private sshd, killed on drop.
struct Sshd {
    child: Child,
    port: u16,
    dir: PathBuf,
    user: String,
}

impl Sshd {
    fn start(dir: &Path) -> Sshd {
        let keygen = |file: &str| {
            let out = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", "mytype-e2e", "-f"])
                .arg(dir.join(file))
                .output()
                .expect("run ssh-keygen");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        keygen("host_key");
        keygen("client_key");
        std::fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).unwrap();
        let user = String::from_utf8(
            Command::new("id")
                .arg("-un")
                .output()
                .expect("run id")
                .stdout,
        )
        .unwrap()
        .trim()
        .to_string();
        let root = user == "root";
        if root {
            // Privilege separation needs it; a fresh machine may not have it.
            std::fs::create_dir_all("/run/sshd").unwrap();
        }
        // A free port: bind, read it, release (sshd binds it right after).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
             AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\n\
             PubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PermitRootLogin prohibit-password\nAllowUsers {user}\nPrintMotd no\nPrintLastLog no\n\
             X11Forwarding no\nAllowTcpForwarding no\nLogLevel VERBOSE\n",
            d = dir.display()
        );
        std::fs::write(dir.join("sshd_config"), config).unwrap();
        let log = std::fs::File::create(dir.join("sshd.log")).unwrap();
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(dir.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start sshd");
        let mut sshd = Sshd {
            child,
            port,
            dir: dir.to_path_buf(),
            user,
        };
        // Ready when a login works (bounded).
        wait_until("sshd to accept a key login", || {
            if let Ok(Some(status)) = sshd.child.try_wait() {
                panic!("sshd exited ({status}):\n{}", sshd.log());
            }
            let ok = Command::new("ssh")
                .args(sshd.options())
                .args(["-o", "ConnectTimeout=2"])
                .arg(sshd.destination())
                .arg("true")
                .stdin(Stdio::null())
                .output()
                .is_ok_and(|o| o.status.success());
            ok.then_some(())
        });
        sshd
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default()
    }

    /// Client options: this test's key and known-hosts file, no user config.
    fn options(&self) -> Vec<String> {
        let d = self.dir.display();
        [
            "-F",
            "/dev/null",
            "-p",
            &self.port.to_string(),
            "-i",
            &format!("{d}/client_key"),
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            &format!("UserKnownHostsFile={d}/known_hosts"),
            "-o",
            "LogLevel=ERROR",
        ]
        .into_iter()
        .map(String::from)
        .collect()
    }

    fn destination(&self) -> String {
        format!("{}@127.0.0.1", self.user)
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The children of `pid` whose command name is `comm`.
fn children_named(pid: i32, comm: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|child| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
                return false;
            };
            // pid (comm) state ppid …
            let Some((head, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let name = head.split_once('(').map(|(_, n)| n).unwrap_or("");
            let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok());
            name == comm && ppid == Some(pid)
        })
        .collect()
}

/// The `ssh -tt … REMOTE` command line, as tmux runs it.
fn ssh_command(sshd: &Sshd, remote: &str) -> String {
    let mut ssh = vec!["env -u COLORTERM TERM=xterm-256color ssh -tt".to_string()];
    ssh.extend(sshd.options().iter().map(|o| sh_quote(Path::new(o))));
    ssh.push(sshd.destination());
    ssh.push(sh_quote(Path::new(remote)));
    ssh.join(" ")
}

/// Plays four ratings through `ssh -tt … REMOTE` in tmux, then kills the ssh
/// client. Returns the game (for its profile) once the remote mytype has
/// exited and released the lock.
fn play_and_drop(test: &str, remote: impl Fn(&Game) -> String) -> Option<(Game, Sshd)> {
    if !need_ssh(test) {
        return None;
    }
    let g = game();
    let sshd = Sshd::start(g.dir.path());
    let tmux = Tmux::new();
    let started = Instant::now();
    tmux.start("ssh", &ssh_command(&sshd, &remote(&g)));

    // The graphics probe must not hang when nothing answers it.
    tmux.wait_for("ssh", &format!("Face 1 of {MODELS}"), false);
    assert!(
        started.elapsed() < TIMEOUT,
        "the game took {:?} to start over ssh",
        started.elapsed()
    );
    // The very first key press rates the first face: the probe (no
    // --graphics halfblocks here) left nothing else reading the terminal.
    tmux.keys("ssh", &["5"]);
    tmux.wait_for("ssh", &format!("1 / {MODELS} rated"), false);
    wait_until("the first key's rating to be saved", || {
        (g.ratings("remote") == vec![("m001".to_string(), 5)]).then_some(())
    });
    // And every key after it.
    for (i, k) in ["1", "4", "2"].iter().enumerate() {
        tmux.keys("ssh", &[k]);
        tmux.wait_for("ssh", &format!("{} / {MODELS} rated", i + 2), false);
    }
    // Half-blocks: the face is drawn with ▀ / ▄ cells (images load in the
    // background, so poll; merged colours make some cells ' ' or █).
    wait_until("the face drawn in half-blocks", || {
        let screen = tmux.screen("ssh");
        (screen.chars().filter(|c| matches!(c, '▀' | '▄')).count() >= 10).then_some(())
    });

    let remote_pid = g.lock_holder("remote");
    let pane = tmux.format("ssh", "pane_pid").parse::<i32>().unwrap();
    let clients = children_named(pane, "ssh");
    assert_eq!(clients.len(), 1, "one ssh client under the pane's shell");
    kill("KILL", clients[0]);

    // sshd hangs up the session: mytype saves, exits, and frees the lock.
    g.wait_unlocked("remote");
    wait_until("the remote mytype to exit", || {
        (!Path::new(&format!("/proc/{remote_pid}")).exists()).then_some(())
    });
    assert_eq!(
        g.ratings("remote"),
        vec![
            ("m001".to_string(), 5),
            ("m002".to_string(), 1),
            ("m003".to_string(), 4),
            ("m004".to_string(), 2)
        ],
        "sshd log:\n{}",
        sshd.log()
    );
    Some((g, sshd))
}

#[test]
fn a_dropped_ssh_connection_keeps_every_rating() {
    // `exec`: mytype is the session leader, as for `ssh host mytype`, and
    // gets the SIGHUP.
    play_and_drop("a_dropped_ssh_connection_keeps_every_rating", |g| {
        format!("exec {}", g.command("play", "remote", "--order pack"))
    });
}

#[test]
fn a_hung_up_terminal_without_sighup_ends_the_game_with_code_1() {
    // The session's shell ignores SIGHUP and stays, so no SIGHUP reaches
    // mytype: it must notice the dead terminal by itself, save, and exit 1
    // (not hang, not panic while printing to the dead terminal).
    let Some((g, _sshd)) = play_and_drop(
        "a_hung_up_terminal_without_sighup_ends_the_game_with_code_1",
        |g| {
            let code = g.dir.path().join("remote.exit");
            format!(
                "trap '' HUP; {}; echo $? > {}",
                g.command("play", "remote", "--order pack"),
                sh_quote(&code)
            )
        },
    ) else {
        return;
    };
    let code = g.dir.path().join("remote.exit");
    let text = wait_until("the remote exit code", || {
        std::fs::read_to_string(&code)
            .ok()
            .filter(|t| t.ends_with('\n'))
    });
    assert_eq!(text.trim(), "1", "remote exit code");
}

#[test]
fn a_key_typed_while_the_game_starts_over_ssh_is_kept() {
    // Typed at once, before the game is up: it waits in the terminal while
    // the game starts and probes the terminal, and rates the first face.
    let test = "a_key_typed_while_the_game_starts_over_ssh_is_kept";
    if !need_ssh(test) {
        return;
    }
    let g = game();
    let sshd = Sshd::start(g.dir.path());
    let tmux = Tmux::new();
    let remote = format!("exec {}", g.command("play", "early", "--order pack"));
    tmux.start("ssh", &ssh_command(&sshd, &remote));
    tmux.keys("ssh", &["4"]);
    tmux.wait_for("ssh", &format!("1 / {MODELS} rated"), false);
    tmux.keys("ssh", &["q"]);
    tmux.wait_for("ssh", "EXIT=0", true);
    assert_eq!(g.ratings("early"), vec![("m001".to_string(), 4)]);
}
