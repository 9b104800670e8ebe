//! `mytype serve` under load (issue #30, item 6): N guests rate faces at
//! once through real SSH connections (the OpenSSH client, each in a
//! pseudo-terminal of its own, as a guest's laptop would run it), against
//! one `mytype serve` on 127.0.0.1.
//!
//! For each guest, each key: key→frame, from the key written to the guest's
//! terminal to the last byte of the frame it caused (a frame is the output
//! that follows a key, ended by [`QUIET`] of silence; the silence itself is
//! not counted). Per N: the median of the guests' p50, the worst guest's
//! p99, the p99 of all the guests' keys together, output bytes per key (in the key's frame), bytes per new face (all
//! output after the first screen, late images included, over the faces
//! rated), the server's CPU (user + system over the wall time of the run,
//! 100% = one core) and its peak RSS (`VmHWM`).
//!
//! The baseline, in the same run: `mytype play` on the same pack in a local
//! pseudo-terminal of the same size, one player, the same keys. Every
//! guest types the same ratings as the local player, and the crowd prior
//! is off (`--no-crowd`) in both: each guest is shown the same faces in the
//! same order, so their bytes per face compare with local play's.
//!
//!     cargo bench --bench serve                       # N = 1, 8, 32
//!     cargo bench --bench serve -- --guests 1,4 --keys 20 --pace fast
//!     cargo bench --bench serve -- --compare /tmp/mytype-before
//!
//! `--compare BIN` also runs every N against `BIN serve` (another build of
//! mytype, e.g. main's), right after the same N on this one: an A/B in the
//! same run, on a machine whose load changes.
//!
//! `--pace human` waits about 0.8 s (0.5-1.1 s) between a frame and the
//! next key, `--pace fast` 50 ms. Under `cargo test` (no `--bench`) it runs
//! one guest for three keys, to keep it working.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mytype");
/// Silence that ends a frame.
const QUIET: Duration = Duration::from_millis(120);
/// The longest wait for any frame before the guest is declared stuck.
const STUCK: Duration = Duration::from_secs(30);
/// The guests' terminal size.
const COLS: u16 = 120;
const ROWS: u16 = 40;

struct Options {
    guests: Vec<usize>,
    keys: usize,
    pace: Pace,
    /// Another mytype binary to run every N against too.
    compare: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug)]
enum Pace {
    Human,
    Fast,
}

impl Pace {
    fn think(self, i: usize) -> Duration {
        match self {
            // Spread deterministically over 0.5-1.1 s so guests drift apart.
            Pace::Human => Duration::from_millis(500 + (i as u64 * 137) % 600),
            Pace::Fast => Duration::from_millis(50),
        }
    }
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let benching = args.iter().any(|a| a == "--bench");
    let mut options = if benching {
        Options {
            guests: vec![1, 8, 32],
            keys: 30,
            pace: Pace::Human,
            compare: None,
        }
    } else {
        Options {
            guests: vec![1],
            keys: 3,
            pace: Pace::Fast,
            compare: None,
        }
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = || it.clone().next().cloned().unwrap_or_default();
        match arg.as_str() {
            "--guests" => {
                options.guests = value()
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .filter(|&n| n > 0)
                    .collect();
            }
            "--keys" => options.keys = value().parse().unwrap_or(options.keys).clamp(1, 45),
            "--compare" => options.compare = Some(PathBuf::from(value())),
            "--pace" => {
                options.pace = match value().as_str() {
                    "fast" => Pace::Fast,
                    _ => Pace::Human,
                }
            }
            _ => continue,
        }
        it.next();
    }
    options
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn main() {
    let options = options();
    if !runs("ssh", &["-V"]) || !runs("ssh-keygen", &["-?"]) {
        let why = "SKIPPED: the OpenSSH client (ssh, ssh-keygen) is not installed";
        if std::env::var_os("CI").is_some() {
            panic!("serve bench: {why}");
        }
        eprintln!("serve bench: {why} (apt-get install openssh-client)");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
    let key = client_key(dir.path());
    println!(
        "mytype serve load: {} keys per guest, pace {:?}, terminals {COLS}x{ROWS}, pack {}",
        options.keys,
        options.pace,
        pack.display()
    );
    println!(
        "{:<16} {:>7} {:>7} {:>7} {:>7} {:>9} {:>10} {:>5} {:>10}",
        "run",
        "p50 ms",
        "p99 ms",
        "all p99",
        "max ms",
        "bytes/key",
        "bytes/face",
        "CPU %",
        "peak RSS"
    );
    let base = local_play(dir.path(), &pack, &options);
    print_row("local play", &base, None);
    for &n in &options.guests {
        let run = served(Path::new(BIN), dir.path(), &pack, &key, n, &options);
        print_row(&format!("serve N={n}"), &run, Some(&base));
        if let Some(other) = &options.compare {
            let run = served(other, dir.path(), &pack, &key, n, &options);
            print_row(&format!("  compare N={n}"), &run, Some(&base));
        }
    }
}

// ------------------------------------------------------------ measuring

/// One guest's (or the local player's) measurements.
#[derive(Default)]
struct Guest {
    latencies: Vec<Duration>,
    /// In the keys' frames.
    bytes: usize,
    /// Everything after the first screen, late images included.
    all_bytes: usize,
    error: Option<String>,
}

/// A run: every guest, and the process serving them.
struct Run {
    guests: Vec<Guest>,
    cpu: Option<f64>,
    peak_rss_kib: Option<u64>,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_row(label: &str, run: &Run, base: Option<&Run>) {
    for (i, g) in run.guests.iter().enumerate() {
        if let Some(e) = &g.error {
            println!("  {label}: guest {i}: {e}");
        }
    }
    let mut p50s = Vec::new();
    let mut p99s = Vec::new();
    let mut max = Duration::ZERO;
    let (mut bytes, mut keys) = (0usize, 0usize);
    for g in &run.guests {
        let mut l = g.latencies.clone();
        l.sort();
        p50s.push(percentile(&l, 0.5));
        p99s.push(percentile(&l, 0.99));
        max = max.max(l.last().copied().unwrap_or_default());
        bytes += g.bytes;
        keys += l.len();
    }
    p50s.sort();
    let p50 = percentile(&p50s, 0.5);
    let p99 = p99s.iter().copied().max().unwrap_or_default();
    let mut pooled: Vec<Duration> = run
        .guests
        .iter()
        .flat_map(|g| g.latencies.clone())
        .collect();
    pooled.sort();
    let p99_all = percentile(&pooled, 0.99);
    let per_key = bytes / keys.max(1);
    let per_face = bytes_per_face(run);
    let cpu = run.cpu.map_or("-".into(), |c| format!("{:.0}", c * 100.0));
    let rss = run
        .peak_rss_kib
        .map_or("-".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    println!(
        "{label:<16} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {per_key:>9} {per_face:>10} {cpu:>5} {rss:>10}",
        ms(p50),
        ms(p99),
        ms(p99_all),
        ms(max)
    );
    if let Some(base) = base {
        let base_p50 = median_p50(base);
        let base_bytes = bytes_per_key(base);
        let base_face = bytes_per_face(base);
        if base_p50 > Duration::ZERO && base_bytes > 0 && base_face > 0 {
            println!(
                "{:<16} p50 x{:.2} of local play, bytes/key x{:.2}, bytes/face x{:.2}",
                "",
                ms(p50) / ms(base_p50),
                per_key as f64 / base_bytes as f64,
                per_face as f64 / base_face as f64
            );
        }
    }
}

fn median_p50(run: &Run) -> Duration {
    let mut p50s: Vec<Duration> = run
        .guests
        .iter()
        .map(|g| {
            let mut l = g.latencies.clone();
            l.sort();
            percentile(&l, 0.5)
        })
        .collect();
    p50s.sort();
    percentile(&p50s, 0.5)
}

/// Every new face is one key: each rates the face shown and shows the next.
fn bytes_per_face(run: &Run) -> usize {
    let faces: usize = run.guests.iter().map(|g| g.latencies.len()).sum();
    run.guests.iter().map(|g| g.all_bytes).sum::<usize>() / faces.max(1)
}

fn bytes_per_key(run: &Run) -> usize {
    let keys: usize = run.guests.iter().map(|g| g.latencies.len()).sum();
    run.guests.iter().map(|g| g.bytes).sum::<usize>() / keys.max(1)
}

/// Clock ticks of user + system time of `pid`, from /proc.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if n > 0 {
        n as f64
    } else {
        100.0
    }
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ------------------------------------------------------------ terminals

/// A pseudo-terminal: the program runs on its slave side, we read and
/// write the master side, as a terminal emulator does.
struct Pty {
    master: std::fs::File,
    slave: OwnedFd,
}

fn pty() -> Pty {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    let slave: OwnedFd = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().expect("a UTF-8 pty name"))
        .expect("open the pty's slave side")
        .into();
    let size = rustix::termios::Winsize {
        ws_row: ROWS,
        ws_col: COLS,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&slave, size).expect("set the terminal size");
    Pty {
        master: std::fs::File::from(master),
        slave,
    }
}

/// Starts `command` on the pty's slave side, in a session of its own with
/// that terminal as its controlling terminal.
fn spawn_on(pty: &Pty, mut command: Command) -> Child {
    let stdio = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup the pty"));
    let slave = pty.slave.as_raw_fd();
    command
        .stdin(stdio(&pty.slave))
        .stdout(stdio(&pty.slave))
        .stderr(stdio(&pty.slave))
        .env("TERM", "xterm-256color")
        .env("COLORTERM", "truecolor");
    // SAFETY: setsid and ioctl are async-signal-safe; nothing else runs
    // between fork and exec.
    unsafe {
        command.pre_exec(move || {
            if libc::setsid() < 0 || libc::ioctl(slave, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.spawn().expect("start a program in the pty")
}

/// Output chunks as they arrive: (when, how many bytes).
fn reader(master: &std::fs::File) -> mpsc::Receiver<(Instant, usize)> {
    let mut master = master.try_clone().expect("dup the pty master");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        // The pty answers EIO once the program is gone.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 || tx.send((Instant::now(), n)).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits for output to start (within [`STUCK`]) and stop (for [`QUIET`]):
/// the time of its last byte and the bytes seen.
fn frame(rx: &mpsc::Receiver<(Instant, usize)>) -> Result<(Instant, usize), String> {
    let (mut last, mut bytes) = match rx.recv_timeout(STUCK) {
        Ok(chunk) => chunk,
        Err(mpsc::RecvTimeoutError::Timeout) => return Err("no frame within 30 s".into()),
        Err(_) => return Err("the terminal closed".into()),
    };
    loop {
        match rx.recv_timeout(QUIET) {
            Ok((at, n)) => {
                last = at;
                bytes += n;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => return Ok((last, bytes)),
            Err(_) => return Ok((last, bytes)),
        }
    }
}

/// Rates `keys` faces on a terminal whose program already drew its first
/// frame: a digit, the frame it causes, a pause (`seed` spreads the
/// pauses), again.
fn rate(pty: &Pty, rx: &mpsc::Receiver<(Instant, usize)>, options: &Options, seed: usize) -> Guest {
    let mut guest = Guest::default();
    let mut master = &pty.master;
    // The first screen may come in parts (the face decoded after the text).
    std::thread::sleep(Duration::from_secs(1));
    for i in 0..options.keys {
        std::thread::sleep(options.pace.think(seed + i));
        // Leftovers (a late image) are not this key's frame, but they are
        // output for the last face (before the first key: the first screen's).
        while let Ok((_, n)) = rx.try_recv() {
            if i > 0 {
                guest.all_bytes += n;
            }
        }
        // Everyone types the local player's ratings: with the crowd prior
        // off, every guest sees the faces the local player saw, so bytes per
        // face compare the same faces.
        let digit = b'1' + ((i * 7) % 5) as u8;
        let sent = Instant::now();
        if let Err(e) = master.write_all(&[digit]) {
            guest.error = Some(format!("cannot type: {e}"));
            break;
        }
        match frame(rx) {
            Ok((at, bytes)) => {
                guest.latencies.push(at.saturating_duration_since(sent));
                guest.bytes += bytes;
                guest.all_bytes += bytes;
            }
            Err(e) => {
                guest.error = Some(format!("key {}: {e}", i + 1));
                break;
            }
        }
    }
    // The last face's late image, if any.
    std::thread::sleep(STUCK.min(Duration::from_millis(500)));
    while let Ok((_, n)) = rx.try_recv() {
        guest.all_bytes += n;
    }
    guest
}

// ------------------------------------------------------------ the runs

fn client_key(dir: &Path) -> PathBuf {
    let path = dir.join("guest_key");
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f"])
        .arg(&path)
        .output()
        .expect("run ssh-keygen");
    assert!(out.status.success(), "ssh-keygen failed");
    path
}

/// The baseline: `mytype play` in a local terminal.
fn local_play(dir: &Path, pack: &Path, options: &Options) -> Run {
    let pty = pty();
    let mut command = Command::new(BIN);
    command
        .arg("--profiles-dir")
        .arg(dir.join("local_profiles"))
        .args(["play", "--profile", "local", "--no-crowd", "--pack"])
        .arg(pack);
    let mut child = spawn_on(&pty, command);
    let rx = reader(&pty.master);
    let guest = match frame(&rx) {
        Ok(_) => rate(&pty, &rx, options, 0),
        Err(e) => Guest {
            error: Some(format!("first frame: {e}")),
            ..Guest::default()
        },
    };
    let _ = (&pty.master).write_all(b"q");
    finish(&mut child);
    Run {
        guests: vec![guest],
        cpu: None,
        peak_rss_kib: None,
    }
}

/// Gives a program a moment to quit, then ends it.
fn finish(child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(bin: &Path, dir: &Path, pack: &Path, run: &str, max: usize) -> Server {
    let mut child = Command::new(bin)
        .arg("--profiles-dir")
        .arg(dir.join(run))
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(dir.join("host_key"))
        .arg("--pack")
        .arg(pack)
        .args(["--max-players", &max.to_string(), "--no-crowd"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mytype serve");
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().expect("piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let port = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("mytype serve prints where it listens");
        let port = line
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|p| p.parse().ok());
        if let Some(port) = port {
            break port;
        }
    };
    // Keep draining the log so the server never blocks on it.
    std::thread::spawn(move || while rx.recv().is_ok() {});
    Server { child, port }
}

fn ssh_command(server: &Server, key: &Path, dir: &Path, name: &str) -> Command {
    let mut command = Command::new("ssh");
    command
        .args(["-tt", "-e", "none", "-F", "/dev/null"])
        .args(["-o", "StrictHostKeyChecking=no", "-o", "IdentitiesOnly=yes"])
        .args(["-o", "IdentityAgent=none", "-o", "BatchMode=yes"])
        .args(["-o", "SetEnv=COLORTERM=truecolor", "-o", "LogLevel=ERROR"])
        .arg("-o")
        .arg(format!(
            "UserKnownHostsFile={}",
            dir.join("known_hosts").display()
        ))
        .args(["-p", &server.port.to_string(), "-i"])
        .arg(key)
        .arg(format!("{name}@127.0.0.1"));
    command
}

/// N guests at once against a fresh server.
fn served(bin: &Path, dir: &Path, pack: &Path, key: &Path, n: usize, options: &Options) -> Run {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let server = start_server(bin, dir, pack, &format!("profiles_{n}_{run}"), n.max(1));
    let ticks = clock_ticks_per_second();
    let cpu_before = cpu_ticks(server.child.id());
    let started = Instant::now();
    let guests: Vec<Guest> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let server = &server;
                scope.spawn(move || {
                    // Guests arrive over a second, as people do.
                    std::thread::sleep(Duration::from_millis((i as u64 * 1000) / n as u64));
                    one_guest(server, key, dir, i, options)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let wall = started.elapsed().as_secs_f64();
    let pid = server.child.id();
    let cpu = match (cpu_before, cpu_ticks(pid)) {
        (Some(a), Some(b)) if wall > 0.0 => Some((b - a) as f64 / ticks / wall),
        _ => None,
    };
    Run {
        guests,
        cpu,
        peak_rss_kib: peak_rss_kib(pid),
    }
}

fn one_guest(server: &Server, key: &Path, dir: &Path, i: usize, options: &Options) -> Guest {
    let pty = pty();
    let name = format!("guest{i:02}");
    let mut child = spawn_on(&pty, ssh_command(server, key, dir, &name));
    let rx = reader(&pty.master);
    let guest = match frame(&rx) {
        Ok(_) => rate(&pty, &rx, options, i * 11),
        Err(e) => Guest {
            error: Some(format!("first frame: {e}")),
            ..Guest::default()
        },
    };
    let _ = (&pty.master).write_all(b"q");
    finish(&mut child);
    guest
}
