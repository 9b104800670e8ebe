//! `mytype card` on a terminal: the card is drawn without asking the
//! terminal anything. (viuer's kitty check sent the primary device
//! attributes query, DA1, outside raw mode: the terminal's reply,
//! `ESC[?1;2c`, was echoed onto the card as `^[[?1;2c`.) Here the test is
//! the terminal, on a pseudo-terminal of its own: any query is caught as it
//! is written, whether or not an echo would have won the race.

use crate::cli_support::{mytype, pack_arg, setup, BIN};
use std::io::Read;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Queries a program may send a terminal: DA1, DSR, the kitty graphics query.
const QUERIES: [&[u8]; 3] = [b"\x1b[c", b"\x1b[5n", b"\x1b_G"];

#[test]
fn card_on_a_terminal_sends_the_terminal_no_query() {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let env = setup();
    let pack = pack_arg(&env);
    let lines: String = (1..=10)
        .map(|i| format!("m{i:03} {}\n", 1 + i % 5))
        .collect();
    let rated = mytype(&env, &["rate", "--profile", "kim", "--pack", &pack], &lines);
    assert!(
        rated.status.success(),
        "{}",
        String::from_utf8_lossy(&rated.stderr)
    );

    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = || {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap()
    };
    let size = Command::new("stty")
        .args(["rows", "40", "cols", "100"])
        .stdin(slave())
        .status()
        .unwrap();
    assert!(size.success());
    let mut child = Command::new(BIN)
        .arg("--profiles-dir")
        .arg(&env.profiles)
        .args(["card", "kim", "--pack", &pack])
        .env("TERM", "xterm-256color")
        .env_remove("MYTYPE_PACK")
        .stdin(slave())
        .stdout(slave())
        .stderr(slave())
        .spawn()
        .unwrap();
    // Every copy of the terminal's other end is the child's now: the
    // reader sees the end (EIO) when it exits.
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let mut reader = std::fs::File::from(master);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut screen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => screen.extend(chunk),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                panic!("no end within 60 s: {}", String::from_utf8_lossy(&screen));
            }
        }
        if let Some(q) = QUERIES
            .iter()
            .find(|q| screen.windows(q.len()).any(|w| w == **q))
        {
            // A terminal would answer, and the answer would be echoed.
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "card asked the terminal {:?}: {}",
                String::from_utf8_lossy(q),
                String::from_utf8_lossy(&screen)
            );
        }
    }
    let status = child.wait().unwrap();
    let text = String::from_utf8_lossy(&screen);
    assert!(status.success(), "{text}");
    assert!(text.contains("The AI says my type is"), "{text}");
    assert!(text.contains('▄'), "no card drawn: {text}");
}
