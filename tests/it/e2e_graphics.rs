//! The image protocols seen in a real terminal emulator: xterm, as a VT340
//! with sixel graphics, runs the game under a private Xvfb, and the test
//! reads what the X server shows (Xvfb's `-fbdir` framebuffer, an XWD file).
//! It waits, with a bounded timeout, until the first face is drawn where the
//! rating screen puts it, in the face's own colours (compared block by block
//! with the pack's image), at pixel resolution (sixel, not half-blocks).
//!
//! Needs Xvfb, xterm, xdotool (to type) and the DejaVu Sans Mono font
//! (Debian: `xvfb xterm xdotool fonts-dejavu-core`). Without them the tests say so and skip; in CI (`CI`
//! set) they fail.
//!
//! `scripts/screenshots.sh` takes the screenshots in `docs/screens/` the same
//! way, in xterm, kitty and mlterm.

use image::{imageops::FilterType, RgbImage};
use ratatui::layout::Rect;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mytype");
/// How long the face may take to appear (the probe waits up to a second;
/// a busy CI machine builds and runs other tests meanwhile).
const TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);
const COLS: u16 = 100;
const ROWS: u16 = 32;
const FONT: &str = "DejaVu Sans Mono";
const FONT_FILE: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
/// Xvfb's root window with `-br`.
const ROOT: [u8; 3] = [0, 0, 0];
/// xterm's background, set on its command line.
const PAPER: [u8; 3] = [255, 255, 255];

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Whether to run; panics in CI when a tool is missing.
fn need_x(test: &str, emulator: Emulator) -> bool {
    let mut missing = Vec::new();
    for tool in ["Xvfb", emulator.name(), "xdotool"] {
        if !on_path(tool) {
            missing.push(tool.to_string());
        }
    }
    if !Path::new(FONT_FILE).is_file() {
        missing.push(format!("the font {FONT} ({FONT_FILE})"));
    }
    if missing.is_empty() {
        return true;
    }
    let what = missing.join(", ");
    if in_ci() {
        panic!("{test}: {what} required in CI but not found");
    }
    eprintln!(
        "{test}: SKIPPED: {what} not installed (apt-get install xvfb {} xdotool fonts-dejavu-core to run this end-to-end test)",
        emulator.name()
    );
    false
}

/// A child process killed (and reaped) on drop.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private X server whose screen is mirrored in an XWD file.
struct Xvfb {
    display: String,
    framebuffer: PathBuf,
    _server: Running,
    _dir: tempfile::TempDir,
}

impl Xvfb {
    fn start() -> Xvfb {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new("Xvfb")
            // Xvfb picks a free display and writes its number to stdout.
            .args(["-displayfd", "1", "-nolisten", "tcp", "-br"])
            .args(["-screen", "0", "1024x768x24", "-fbdir"])
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let stdout = child.stdout.take().expect("Xvfb's stdout");
        let server = Running(child);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let number = rx
            .recv_timeout(TIMEOUT)
            .expect("Xvfb did not say its display number in time");
        let number = number.trim();
        assert!(
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
            "Xvfb did not start (display number {number:?})"
        );
        Xvfb {
            display: format!(":{number}"),
            framebuffer: dir.path().join("Xvfb_screen0"),
            _server: server,
            _dir: dir,
        }
    }

    /// The screen now, if the framebuffer file reads whole.
    fn screen(&self) -> Option<RgbImage> {
        parse_xwd(&std::fs::read(&self.framebuffer).ok()?)
    }
}

/// Decodes an XWD dump of a TrueColor ZPixmap (what Xvfb's `-fbdir` writes).
fn parse_xwd(bytes: &[u8]) -> Option<RgbImage> {
    let field = |i: usize| -> Option<u32> {
        let b = bytes.get(i * 4..i * 4 + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let header_size = field(0)? as usize;
    let (format, width, height) = (field(2)?, field(4)?, field(5)?);
    let (byte_order, bits_per_pixel, bytes_per_line) = (field(7)?, field(11)?, field(12)?);
    let masks = [field(14)?, field(15)?, field(16)?];
    let ncolors = field(19)? as usize;
    if format != 2 || !(bits_per_pixel == 32 || bits_per_pixel == 24) {
        return None;
    }
    let start = header_size + ncolors * 12;
    let pixel_bytes = bits_per_pixel as usize / 8;
    let data = bytes.get(start..start + bytes_per_line as usize * height as usize)?;
    let mut img = RgbImage::new(width, height);
    for (y, row) in data.chunks_exact(bytes_per_line as usize).enumerate() {
        for x in 0..width as usize {
            let p = &row[x * pixel_bytes..(x + 1) * pixel_bytes];
            let mut value = 0u32;
            for (i, byte) in p.iter().enumerate() {
                let shift = if byte_order == 0 {
                    i
                } else {
                    pixel_bytes - 1 - i
                };
                value |= u32::from(*byte) << (8 * shift);
            }
            let channel = |mask: u32| ((value & mask) >> mask.trailing_zeros()) as u8;
            img.put_pixel(
                x as u32,
                y as u32,
                image::Rgb([channel(masks[0]), channel(masks[1]), channel(masks[2])]),
            );
        }
    }
    Some(img)
}

/// The terminal emulator a session runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emulator {
    /// xterm as a VT340 (sixel graphics, 256 colour registers).
    Xterm,
    /// kitty with no user configuration (Debian 12's is 0.26.5, older than
    /// the 0.28 that draws ratatui-image's kitty placeholders).
    Kitty,
}

impl Emulator {
    /// Its X window class (for xdotool) and program.
    fn name(self) -> &'static str {
        match self {
            Emulator::Xterm => "xterm",
            Emulator::Kitty => "kitty",
        }
    }
}

/// `emulator` running `args` of the game in a COLS x ROWS window at the
/// screen's top-left corner, black on white.
fn terminal(x: &Xvfb, emulator: Emulator, args: &[&str]) -> Running {
    let mut cmd = Command::new(emulator.name());
    match emulator {
        Emulator::Xterm => cmd
            .args([
                "-ti", "vt340", "-u8", "-b", "0", "-bg", "white", "-fg", "black",
            ])
            .args(["-fa", FONT, "-fs", "11"])
            .args(["-geometry", &format!("{COLS}x{ROWS}+0+0")])
            .args(["-xrm", "XTerm*decTerminalID: vt340"])
            .args(["-xrm", "XTerm*numColorRegisters: 256"])
            .arg("-e"),
        Emulator::Kitty => cmd
            .args(["--config", "NONE", "-o", "font_size=11"])
            .args(["-o", &format!("font_family={FONT}")])
            .args(["-o", "background=white", "-o", "foreground=black"])
            .args(["-o", &format!("initial_window_width={COLS}c")])
            .args(["-o", &format!("initial_window_height={ROWS}c")])
            .args([
                "-o",
                "remember_window_size=no",
                "-o",
                "placement_strategy=top-left",
            ])
            // OpenGL under Xvfb: Mesa's software renderer.
            .env("LIBGL_ALWAYS_SOFTWARE", "1"),
    };
    cmd.arg(BIN)
        .args(args)
        .env("DISPLAY", &x.display)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Nothing from the test's own terminal may steer the probe.
    for var in [
        "TMUX",
        "TERM_PROGRAM",
        "LC_TERMINAL",
        "KITTY_WINDOW_ID",
        "WEZTERM_EXECUTABLE",
        "KONSOLE_VERSION",
        "ITERM_SESSION_ID",
        "COLORTERM",
        "NO_COLOR",
        "MYTYPE_PACK",
        "MYTYPE_PROFILES",
    ] {
        cmd.env_remove(var);
    }
    Running(cmd.spawn().expect("start the terminal"))
}

/// The pack's folder and the image of its first rated face (what a new
/// profile sees first with `--order pack`).
fn first_face() -> (PathBuf, RgbImage) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
    let pack = mytype::pack::Pack::load(&dir).expect("load the bundled pack");
    let face = pack.model_faces().next().expect("a rated face");
    let img = image::open(pack.image_path(face))
        .expect("decode the first face")
        .to_rgb8();
    (dir, img)
}

fn far(a: [u8; 3], b: [u8; 3], by: u32) -> bool {
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| u32::from(x.abs_diff(*y)))
        .sum::<u32>()
        > by
}

/// The smallest rectangle holding every pixel of `within` that is not
/// `background`, in pixels.
fn extent(img: &RgbImage, within: Rect, background: [u8; 3]) -> Option<Rect> {
    let (mut x0, mut y0, mut x1, mut y1) = (u16::MAX, u16::MAX, 0u16, 0u16);
    for y in within.top()..within.bottom() {
        for x in within.left()..within.right() {
            if far(img.get_pixel(x.into(), y.into()).0, background, 24) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    (x0 <= x1).then(|| Rect::new(x0, y0, x1 - x0 + 1, y1 - y0 + 1))
}

/// What a screenshot shows where the rating screen's face should be.
#[derive(Debug)]
struct FaceCheck {
    /// Pixels of one cell.
    cell: (u16, u16),
    /// Where the face may be drawn (the rating screen's face area), pixels.
    area: Rect,
    /// The face as seen: the non-background pixels of `area`.
    seen: Rect,
    /// Mean and largest per-channel colour difference of 8x8 blocks against
    /// the pack's image scaled to `seen` (0-255).
    block_mean: f64,
    block_max: f64,
    /// Share of neighbouring pixel pairs, inside one cell's row, that differ:
    /// on screen and in the scaled image (half-blocks: near 0 on screen).
    detail_seen: f64,
    detail_source: f64,
}

impl FaceCheck {
    fn measure(screen: &RgbImage, face: &RgbImage) -> Option<FaceCheck> {
        // The terminal's window: everything that is not the black root window.
        let whole = Rect::new(0, 0, screen.width() as u16, screen.height() as u16);
        let window = extent(screen, whole, ROOT)?;
        // Whole cells (kitty's window may have a pixel more).
        if window.width % COLS > 2 || window.height % ROWS > 2 {
            return None;
        }
        let cell = (window.width / COLS, window.height / ROWS);
        let cells = mytype::ui::screens::rating::layout(Rect::new(0, 0, COLS, ROWS)).face_image;
        let area = Rect::new(
            window.x + cells.x * cell.0,
            window.y + cells.y * cell.1,
            cells.width * cell.0,
            cells.height * cell.1,
        );
        let seen = extent(screen, area, PAPER)?;
        let shown = image::imageops::crop_imm(
            screen,
            seen.x.into(),
            seen.y.into(),
            seen.width.into(),
            seen.height.into(),
        )
        .to_image();
        let source = image::imageops::resize(
            face,
            seen.width.into(),
            seen.height.into(),
            FilterType::Triangle,
        );
        let (block_mean, block_max) = block_difference(&shown, &source, 8);
        Some(FaceCheck {
            cell,
            area,
            seen,
            block_mean,
            block_max,
            detail_seen: detail(&shown, cell.0),
            detail_source: detail(&source, cell.0),
        })
    }

    /// Why this is not the face, in its place and colours, or `None`.
    fn problem(&self) -> Option<String> {
        let (cw, ch) = (i32::from(self.cell.0), i32::from(self.cell.1));
        let centre = |r: Rect| {
            (
                i32::from(r.x) + i32::from(r.width) / 2,
                i32::from(r.y) + i32::from(r.height) / 2,
            )
        };
        let (want, got) = (centre(self.area), centre(self.seen));
        let fits = |seen: u16, room: u16, cell: i32| i32::from(seen) >= i32::from(room) - 2 * cell;
        let square = f64::from(self.seen.width) / f64::from(self.seen.height);
        if (want.0 - got.0).abs() > cw || (want.1 - got.1).abs() > ch {
            Some("the face is not centred in the face area".into())
        } else if !(fits(self.seen.width, self.area.width, cw)
            || fits(self.seen.height, self.area.height, ch))
        {
            Some("the face does not fill the face area".into())
        } else if !(0.85..=1.15).contains(&square) {
            Some(format!("the face is not square (width/height {square:.2})"))
        } else if self.block_mean > 12.0 || self.block_max > 48.0 {
            Some("the colours differ from the face's".into())
        } else {
            None
        }
    }

    /// Drawn at pixel resolution: pixels inside a cell differ at least half
    /// as often as in the scaled image (sixel, dithered: more often;
    /// half-blocks: a cell's row is one colour).
    fn pixel_detail(&self) -> bool {
        self.detail_seen >= 0.5 * self.detail_source
    }
}

/// Mean and largest per-channel difference between `a` and `b` (same size)
/// averaged over a `grid` x `grid` of blocks.
fn block_difference(a: &RgbImage, b: &RgbImage, grid: u32) -> (f64, f64) {
    let (w, h) = a.dimensions();
    let mut diffs = Vec::new();
    for by in 0..grid {
        for bx in 0..grid {
            let (x0, x1) = (bx * w / grid, (bx + 1) * w / grid);
            let (y0, y1) = (by * h / grid, (by + 1) * h / grid);
            let mut sum = [0f64; 6];
            let mut n = 0f64;
            for y in y0..y1 {
                for x in x0..x1 {
                    for c in 0..3 {
                        sum[c] += f64::from(a.get_pixel(x, y).0[c]);
                        sum[c + 3] += f64::from(b.get_pixel(x, y).0[c]);
                    }
                    n += 1.0;
                }
            }
            if n > 0.0 {
                let d = (0..3).map(|c| (sum[c] - sum[c + 3]).abs() / n).sum::<f64>() / 3.0;
                diffs.push(d);
            }
        }
    }
    let mean = diffs.iter().sum::<f64>() / diffs.len().max(1) as f64;
    (mean, diffs.iter().cloned().fold(0.0, f64::max))
}

/// Share of horizontally neighbouring pixels that differ, counting only
/// pairs inside one cell (`cell_width` pixels wide, from the image's left).
fn detail(img: &RgbImage, cell_width: u16) -> f64 {
    let cw = u32::from(cell_width.max(1));
    let (mut differ, mut pairs) = (0u64, 0u64);
    for y in 0..img.height() {
        for x in 0..img.width().saturating_sub(1) {
            if (x + 1) % cw == 0 {
                continue;
            }
            pairs += 1;
            if far(img.get_pixel(x, y).0, img.get_pixel(x + 1, y).0, 6) {
                differ += 1;
            }
        }
    }
    differ as f64 / pairs.max(1) as f64
}

/// The game in a terminal under its own X server, with a new profile.
struct Session {
    test: &'static str,
    emulator: Emulator,
    started: Instant,
    face: RgbImage,
    // Dropped in this order: the terminal, then its X server.
    _term: Running,
    x: Xvfb,
    _profiles: tempfile::TempDir,
}

impl Session {
    /// Plays a new profile, faces in pack order, with `--graphics
    /// graphics`; `None`: the tools are missing outside CI (skipped).
    fn start(test: &'static str, graphics: &str) -> Option<Session> {
        Session::start_in(Emulator::Xterm, test, graphics)
    }

    /// [`Session::start`] in `emulator`.
    fn start_in(emulator: Emulator, test: &'static str, graphics: &str) -> Option<Session> {
        if !need_x(test, emulator) {
            return None;
        }
        let started = Instant::now();
        let x = Xvfb::start();
        let (pack, face) = first_face();
        let profiles = tempfile::tempdir().expect("temp dir");
        let profiles_dir = profiles.path().to_str().expect("utf-8 temp path");
        let pack_dir = pack.to_str().expect("utf-8 pack path");
        let term = terminal(
            &x,
            emulator,
            &[
                "--profiles-dir",
                profiles_dir,
                "play",
                "--profile",
                "e2e",
                "--pack",
                pack_dir,
                "--order",
                "pack",
                "--graphics",
                graphics,
            ],
        );
        Some(Session {
            test,
            emulator,
            started,
            face,
            _term: term,
            x,
            _profiles: profiles,
        })
    }

    /// Polls the screen until `ready` accepts what is measured where the
    /// face should be (`None`: no terminal window with a face area yet), at
    /// most [`TIMEOUT`]; on timeout, keeps the last screenshot and fails
    /// with what was measured.
    fn wait_until(
        &self,
        what: &str,
        ready: impl Fn(Option<&FaceCheck>) -> Result<(), String>,
    ) -> Option<FaceCheck> {
        let since = Instant::now();
        let mut last = (None, String::from("nothing on the screen yet"));
        while since.elapsed() < TIMEOUT {
            if let Some(screen) = self.x.screen() {
                let check = FaceCheck::measure(&screen, &self.face);
                match ready(check.as_ref()) {
                    Ok(()) => {
                        eprintln!(
                            "{}: {what} after {:.1?} ({:.1?} in all): {check:?}",
                            self.test,
                            since.elapsed(),
                            self.started.elapsed()
                        );
                        return check;
                    }
                    Err(why) => last = (Some(screen), format!("{why}: {check:?}")),
                }
            }
            std::thread::sleep(POLL);
        }
        let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}.png", self.test));
        if let Some(screen) = &last.0 {
            let _ = screen.save(&kept);
        }
        panic!(
            "{}: timed out after {TIMEOUT:?} waiting for {what}: {} (last screenshot: {})",
            self.test,
            last.1,
            kept.display()
        );
    }

    /// Waits for the first face, in its place and its colours.
    fn face(&self) -> FaceCheck {
        self.wait_until("the face", |check| match check {
            None => Err("no terminal window with a face area yet".into()),
            Some(check) => check.problem().map_or(Ok(()), Err),
        })
        .expect("a face check")
    }

    /// Types a key (an X keysym name) into the terminal.
    fn key(&self, keysym: &str) {
        let xdotool = |args: &[&str]| {
            let out = Command::new("xdotool")
                .args(args)
                .env("DISPLAY", &self.x.display)
                .output()
                .expect("run xdotool");
            assert!(
                out.status.success(),
                "xdotool {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        // Real key events (XTEST) to the focused window: xterm ignores
        // events sent to it by other clients.
        xdotool(&[
            "search",
            "--onlyvisible",
            "--class",
            self.emulator.name(),
            "windowfocus",
            "--sync",
        ]);
        xdotool(&["key", keysym]);
    }
}

#[test]
fn sixel_face_shows_in_xterm() {
    if let Some(s) = Session::start("sixel_face_shows_in_xterm", "sixel") {
        let check = s.face();
        assert!(check.pixel_detail(), "not drawn in sixel: {check:?}");
    }
}

/// The probe finds sixel in xterm -ti vt340 (it answers DA1 with 4; it does
/// not answer the cell-size query: the pty's pixel size gives the cell).
#[test]
fn probe_picks_sixel_in_xterm() {
    if let Some(s) = Session::start("probe_picks_sixel_in_xterm", "auto") {
        let check = s.face();
        assert!(
            check.pixel_detail(),
            "the probe did not pick sixel: {check:?}"
        );
    }
}

/// The control: half-blocks show the face in place and in colour too, and
/// the detail measure tells them from sixel.
#[test]
fn halfblocks_in_xterm_are_told_from_sixel() {
    if let Some(s) = Session::start("halfblocks_in_xterm_are_told_from_sixel", "halfblocks") {
        let check = s.face();
        assert!(
            !check.pixel_detail(),
            "half-blocks taken for sixel: {check:?}"
        );
    }
}

/// A sixel image is sent once, in its top-left cell: when the help closes,
/// the face must be drawn again, not left with the help's text on it.
#[test]
fn sixel_face_comes_back_after_the_help() {
    if let Some(s) = Session::start("sixel_face_comes_back_after_the_help", "sixel") {
        s.face();
        s.key("question");
        s.wait_until("the help over the face", |check| match check {
            Some(check) if check.problem().is_none() => Err("the face, not the help".into()),
            _ => Ok(()),
        });
        s.key("Escape");
        let check = s.face();
        assert!(check.pixel_detail(), "not drawn in sixel: {check:?}");
    }
}

/// The installed kitty's version, as its XTVERSION reply would say it.
fn kitty_version() -> Option<(u32, u32, u32)> {
    let out = Command::new("kitty").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let number = text.split_whitespace().nth(1)?;
    mytype::ui::terminal::probe::kitty_version(&format!("kitty({number})"))
}

/// kitty before 0.28 answers the kitty graphics query but draws the image's
/// placeholder cells as boxes: the probe reads its version (XTVERSION) and
/// picks half-blocks there, so the face shows in its colours; a newer kitty
/// draws it with its graphics protocol, at pixel resolution.
#[test]
fn probe_picks_what_kitty_can_draw() {
    let Some(s) = Session::start_in(Emulator::Kitty, "probe_picks_what_kitty_can_draw", "auto")
    else {
        return;
    };
    let version = kitty_version().expect("kitty --version");
    let check = s.face();
    let graphics = version >= mytype::ui::terminal::probe::KITTY_PLACEHOLDERS;
    assert_eq!(
        check.pixel_detail(),
        graphics,
        "kitty {version:?}: drawn with {}: {check:?}",
        if check.pixel_detail() {
            "pixels"
        } else {
            "half-blocks"
        }
    );
}

#[test]
fn xwd_parses_a_little_endian_truecolor_dump() {
    // A 2x1 ZPixmap, 32 bits a pixel, LSBFirst, masks ff0000/ff00/ff.
    let mut fields = [0u32; 25];
    fields[0] = 100 + 4; // header + a 4-byte window name
    fields[1] = 7;
    fields[2] = 2;
    fields[3] = 24;
    (fields[4], fields[5]) = (2, 1);
    fields[11] = 32;
    fields[12] = 8;
    (fields[14], fields[15], fields[16]) = (0xff0000, 0xff00, 0xff);
    fields[19] = 1;
    let mut bytes: Vec<u8> = fields.iter().flat_map(|f| f.to_be_bytes()).collect();
    bytes.extend_from_slice(b"scr\0");
    bytes.extend_from_slice(&[0; 12]);
    bytes.extend_from_slice(&[0x30, 0x20, 0x10, 0, 0xff, 0x80, 0x01, 0]);
    let img = parse_xwd(&bytes).expect("parses");
    assert_eq!(img.get_pixel(0, 0).0, [0x10, 0x20, 0x30]);
    assert_eq!(img.get_pixel(1, 0).0, [0x01, 0x80, 0xff]);
    assert!(
        parse_xwd(&bytes[..bytes.len() - 1]).is_none(),
        "a short file"
    );
}
