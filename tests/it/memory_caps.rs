//! Issue #28.6, asserted: on hostile input no single command goes over
//! 512 MiB. Each command is spawned and reaped with `wait4`, whose rusage
//! gives the peak resident set (`ru_maxrss`, KiB) of that process alone.
//! A bound, not a timing: every number is printed, and a hang is a failure.
//! The big files live in a temporary folder removed at the end of each test.

use crate::cli_support::{first_image, setup, BIN};
use crate::e2e_support::{in_ci, skip};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The cap of #28.6.
const CAP_KIB: i64 = 512 * 1024;
/// Longest any one command may take; past it the command is killed and the
/// test fails.
const DEADLINE: Duration = Duration::from_secs(120);

/// What one command did: its exit code, its stderr and its peak RSS.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_kib: i64,
    /// The helper's own peak, which bounds how much too high `peak_kib` may be.
    helper_kib: i64,
}

/// The helper's environment variables: the arguments (separated by
/// [`SEP`]) and the files for stdin, stdout and stderr.
const PROBE_ARGS: &str = "MYTYPE_TEST_PROBE_ARGS";
const PROBE_FILES: &str = "MYTYPE_TEST_PROBE_FILES";
const SEP: char = '\u{1f}';

/// Runs `mytype ARGS` (stdin from `stdin`, or empty) and returns its peak
/// RSS. Linux carries the peak RSS of the process that calls `exec` over
/// into the new program's `ru_maxrss`, and this test process is large; so
/// a fresh copy of the test binary runs [`rss_probe`] as a small helper,
/// which spawns mytype, reaps it with `wait4`, and prints the numbers.
/// What it reports is at most the helper's own start-up size too high.
fn measure(args: &[&str], stdin: Option<&Path>, scratch: &Path) -> Run {
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    let input = stdin.map_or_else(|| "/dev/null".into(), |p| p.display().to_string());
    let files = [
        input,
        out_path.display().to_string(),
        err_path.display().to_string(),
    ];
    let probe = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "memory_caps::rss_probe",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE_ARGS, args.join(&SEP.to_string()))
        .env(PROBE_FILES, files.join(&SEP.to_string()))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&probe.stdout);
    let line = said
        .lines()
        .find_map(|l| l.split_once("rss-probe: ").map(|(_, rest)| rest))
        .unwrap_or_else(|| {
            panic!(
                "the helper reported nothing for {args:?}:\n{said}{}",
                String::from_utf8_lossy(&probe.stderr)
            )
        });
    let field = |name: &str| -> i64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1)
    };
    Run {
        code: Some(field("code")).filter(|c| *c >= 0).map(|c| c as i32),
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        peak_kib: field("peak_kib"),
        helper_kib: field("helper_kib"),
    }
}

/// The helper of [`measure`] when its variables are set. Run on its own
/// (no variables), it checks the measuring: `mytype --version` peaks at a
/// few MiB, far below this test process.
#[test]
fn rss_probe() {
    let (Some(args), Some(files)) = (
        std::env::var(PROBE_ARGS).ok(),
        std::env::var(PROBE_FILES).ok(),
    ) else {
        let scratch = tempfile::tempdir().unwrap();
        let run = measure(&["--version"], None, scratch.path());
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.stdout.starts_with("mytype "), "{}", run.stdout);
        assert!(
            run.peak_kib > 0 && run.peak_kib < 64 * 1024,
            "mytype --version peaked at {} KiB (helper {} KiB)",
            run.peak_kib,
            run.helper_kib
        );
        return;
    };
    let args: Vec<&str> = args.split(SEP).filter(|a| !a.is_empty()).collect();
    let files: Vec<&str> = files.split(SEP).collect();
    // What the spawned program starts with: this process's peak so far
    // (getrusage would also count what the exec of this helper carried over).
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let helper_kib: i64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(-1);
    let child = Command::new(BIN)
        .args(&args)
        .env_remove("MYTYPE_PROFILES")
        .env_remove("MYTYPE_PACK")
        .stdin(File::open(files[0]).unwrap())
        .stdout(File::create(files[1]).unwrap())
        .stderr(File::create(files[2]).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    // Reaped here with wait4, so `child` is never waited for (only dropped).
    let (status, usage) = reap(pid, &args);
    drop(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    println!(
        "rss-probe: code={code} peak_kib={} helper_kib={helper_kib}",
        usage.ru_maxrss
    );
}

/// Waits for `pid` with `wait4`, polling so a hang fails after [`DEADLINE`].
fn reap(pid: libc::pid_t, args: &[&str]) -> (i32, libc::rusage) {
    let start = Instant::now();
    let mut status = 0;
    // SAFETY: rusage is plain data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own child; status and usage outlive the call.
        let got = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(got >= 0, "wait4: {}", std::io::Error::last_os_error());
        if got == pid {
            return (status, usage);
        }
        if start.elapsed() > DEADLINE {
            // SAFETY: as above; the blocking wait4 reaps the killed child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut usage);
            }
            panic!("mytype {args:?} ran over {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts the cap and says the number (visible even when the test passes).
fn assert_under_cap(what: &str, run: &Run) {
    let _ = writeln!(
        std::io::stderr(),
        "memory_caps: {what}: peak RSS {:.1} MiB (exit {:?}; the measuring helper itself {:.1} MiB)",
        run.peak_kib as f64 / 1024.0,
        run.code,
        run.helper_kib as f64 / 1024.0
    );
    assert!(
        run.peak_kib < CAP_KIB,
        "{what}: peak RSS {} KiB is over the 512 MiB cap; stderr:\n{}",
        run.peak_kib,
        run.stderr
    );
}

/// Writes `total` bytes made of `chunk` repeated (the last one cut) to `path`.
fn write_repeated(path: &Path, head: &[u8], chunk: &[u8], total: usize) {
    let mut file = std::io::BufWriter::new(File::create(path).unwrap());
    file.write_all(head).unwrap();
    let mut left = total.saturating_sub(head.len());
    while left > 0 {
        let n = left.min(chunk.len());
        file.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    file.flush().unwrap();
}

/// An 8192x8192 grey PNG: about 200 KB on disk, 67 megapixels decoded.
fn huge_png(path: &Path) {
    image::GrayImage::new(8192, 8192)
        .save_with_format(path, image::ImageFormat::Png)
        .unwrap();
}

#[test]
fn huge_images_stay_under_the_memory_cap() {
    let env = setup();
    let scratch = env.tmp.path();
    // `pack check` on a pack whose first face is the huge image.
    let first = first_image(&env.pack);
    std::fs::remove_file(&first).unwrap();
    huge_png(&first);
    let pack = env.pack.display().to_string();
    let run = measure(&["pack", "check", &pack], None, scratch);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, Some(1), "{said}");
    assert!(said.contains("8192x8192 is 67.1 megapixels"), "{said}");
    assert_under_cap("pack check, one 8192x8192 PNG", &run);

    // `pack build` on four of them, decoded in parallel if it were careless.
    let model = Path::new("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
    if !model.is_file() {
        let test = "huge_images_stay_under_the_memory_cap (pack build)";
        let why = "the dlib landmark model is not installed (apt-get install libdlib-data)";
        if in_ci() {
            panic!("{test}: {why}");
        }
        skip(test, why);
        return;
    }
    let photos = scratch.join("photos");
    std::fs::create_dir(&photos).unwrap();
    for i in 1..=4 {
        std::fs::copy(&first, photos.join(format!("huge{i}.png"))).unwrap();
    }
    let out = scratch.join("built");
    let run = measure(
        &[
            "pack",
            "build",
            &photos.display().to_string(),
            "--out",
            &out.display().to_string(),
            "--profiles-dir",
            &scratch.join("profiles").display().to_string(),
        ],
        None,
        scratch,
    );
    assert_ne!(run.code, Some(0), "four unusable photos built a pack");
    assert!(run.stderr.contains("huge1.png"), "{}", run.stderr);
    assert_under_cap("pack build, four 8192x8192 PNGs", &run);
}

/// A profile file of `total` bytes: a valid head, then ratings whose time
/// field is padded, so it parses into as much as a file that size can hold.
fn big_profile(path: &Path, pack: &Path, total: usize, close: bool) {
    let pack = mytype::pack::Pack::load(pack).unwrap();
    let text = mytype::profile::Profile::new("big", &pack)
        .to_ron()
        .unwrap();
    let at = text.find("ratings: [").unwrap() + "ratings: [".len();
    let head = format!("{}\n", &text[..at]);
    let head = head.as_bytes();
    let chunk: Vec<u8> = (0..1000)
        .flat_map(|i| {
            format!(
                "(face: \"m{:03}\", level: 3, time: \"{}\"),\n",
                1 + i % 20,
                "t".repeat(140)
            )
            .into_bytes()
        })
        .collect();
    if close {
        let body = total - head.len() - 3;
        let whole = body - body % (chunk.len() / 1000);
        write_repeated(path, head, &chunk, head.len() + whole);
        let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        file.write_all(&text.as_bytes()[at..]).unwrap();
    } else {
        write_repeated(path, head, &chunk, total);
    }
}

#[test]
fn huge_profiles_stay_under_the_memory_cap() {
    let env = setup();
    let scratch = env.tmp.path();
    let profiles = env.profiles.display().to_string();
    let pack = env.pack.display().to_string();
    std::fs::create_dir_all(&env.profiles).unwrap();
    // 100 MB: over the 16 MiB limit, refused by its size.
    let huge = env.profiles.join("huge.ron");
    let started = Instant::now();
    big_profile(&huge, &env.pack, 100 * 1024 * 1024, false);
    let _ = writeln!(
        std::io::stderr(),
        "memory_caps: wrote a 100 MiB profile in {:.1?}",
        started.elapsed()
    );
    let huge_path = huge.display().to_string();
    for (what, args) in [
        (
            "profiles show, 100 MiB profile",
            vec!["--profiles-dir", &profiles, "profiles", "show", "huge"],
        ),
        (
            "replay, 100 MiB profile",
            vec!["replay", &huge_path, "--pack", &pack],
        ),
    ] {
        let run = measure(&args, None, scratch);
        assert_eq!(run.code, Some(1), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("huge.ron") && run.stderr.contains("limit is 16 MiB"),
            "{what}: {}",
            run.stderr
        );
        assert_under_cap(what, &run);
    }
    std::fs::remove_file(&huge).unwrap();

    // Just under the limit: read and parsed in full (about 95,000 ratings).
    let full = env.profiles.join("full.ron");
    big_profile(&full, &env.pack, 16 * 1024 * 1024 - 1024, true);
    let full_path = full.display().to_string();
    for (what, args) in [
        (
            "profiles show, 16 MiB profile",
            vec!["--profiles-dir", &profiles, "profiles", "show", "full"],
        ),
        (
            "replay, 16 MiB profile",
            vec!["replay", &full_path, "--pack", &pack],
        ),
    ] {
        let run = measure(&args, None, scratch);
        assert_under_cap(what, &run);
        // Read in full: `show` lists it, `replay` goes on to ask for a terminal.
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains("ratings:") || said.contains("needs an interactive terminal"),
            "{what}: {}",
            &said[..said.len().min(2000)]
        );
    }
}

#[test]
fn huge_csvs_stay_under_the_memory_cap() {
    let env = setup();
    let scratch = env.tmp.path();
    let pack = env.pack.display().to_string();
    let profiles = env.profiles.display().to_string();
    // Each rater rates the pack's 30 faces (20 models, 10 celebrities).
    let row = |i: usize| {
        let (rater, face) = (i / 30, i % 30);
        let face = if face < 20 {
            format!("m{:03}", face + 1)
        } else {
            format!("c{:03}", face - 19)
        };
        format!("r{rater},{face},{}\n", 1 + (i * 7 + rater) % 5)
    };
    let rows: Vec<u8> = (0..30_000).flat_map(|i| row(i).into_bytes()).collect();
    // 200 MB of CSV: refused by its size.
    let csv = scratch.join("huge.csv");
    let started = Instant::now();
    write_repeated(&csv, b"rater,face,rating\n", &rows, 200 * 1024 * 1024);
    let _ = writeln!(
        std::io::stderr(),
        "memory_caps: wrote a 200 MiB CSV in {:.1?}",
        started.elapsed()
    );
    let csv_path = csv.display().to_string();
    let bench = |csv: &str| {
        measure(
            &[
                "bench",
                "--pack",
                &pack,
                "--ratings",
                csv,
                "--no-curves",
                "--train",
                "5",
                "--raters",
                "3",
                "--profiles-dir",
                &profiles,
            ],
            None,
            scratch,
        )
    };
    let run = bench(&csv_path);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("huge.csv"), "{}", run.stderr);
    assert_under_cap("bench, 200 MiB CSV", &run);
    std::fs::remove_file(&csv).unwrap();

    // Just under the CSV limit (8 MiB of short rows): read in full.
    let limit = mytype::core::csv_table::MAX_CSV_BYTES as usize;
    let mut text = b"rater,face,rating\n".to_vec();
    for i in 0.. {
        let row = row(i);
        if text.len() + row.len() > limit {
            break;
        }
        text.extend_from_slice(row.as_bytes());
    }
    std::fs::write(&csv, &text).unwrap();
    let run = bench(&csv_path);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_under_cap("bench, CSV just under the 8 MiB limit", &run);
    std::fs::remove_file(&csv).unwrap();
}

#[test]
fn a_huge_rate_line_stays_under_the_memory_cap() {
    let env = setup();
    let scratch = env.tmp.path();
    let pack = env.pack.display().to_string();
    let profiles = env.profiles.display().to_string();
    // A 200 MB `rate` line.
    let line = scratch.join("line");
    write_repeated(&line, b"m001 ", b"5555555555555555", 200 * 1024 * 1024);
    let run = measure(
        &[
            "--profiles-dir",
            &profiles,
            "rate",
            "--profile",
            "ana",
            "--pack",
            &pack,
        ],
        Some(&line),
        scratch,
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("longer than 4096 bytes") && run.stderr.len() < 1000,
        "{}",
        run.stderr
    );
    assert_under_cap("rate, one 200 MiB line", &run);
}
