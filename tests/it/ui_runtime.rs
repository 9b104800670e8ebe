//! The one TUI runtime driven like a remote session: keys fed through a
//! channel, frames written to memory. Saving before drawing, no rating from
//! the too-small screen, and no control byte from a hostile pack or
//! profile reaching the output.

use crate::ui_support::*;
use mytype::core::sanitize;
use mytype::pack::{write_manifest, Pack};
use mytype::profile::{Profile, ProfileStore, RatingEntry};
use mytype::signals::Stop;
use mytype::ui::input::{ChannelInput, Feed};
use mytype::ui::runtime::{self, Component, Ended, Pictures, Session, SharedOutput};
use mytype::ui::screens::replay::Replay;
use mytype::ui::terminal::term_env::ColorDepth;
use mytype::ui::theme::Theme;
use mytype::ui::App;
use std::io::Write;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(20);

/// Runs `component` on a channel session of `size`, feeding it `keys`
/// (then nothing more: the component must quit on them).
fn drive<C: Component, W: Write + Send>(
    component: C,
    store: Option<&ProfileStore>,
    size: (u16, u16),
    out: W,
    keys: &[&[u8]],
) -> Ended<C> {
    let (feed, input) = ChannelInput::new();
    let session = Session::new(input, out, size)
        .pictures(Pictures::halfblocks(ColorDepth::TrueColor))
        .alternate_screen(true);
    for k in keys {
        feed.send(Feed::Bytes(k.to_vec())).unwrap();
    }
    let ended = runtime::run(session, component, store).expect("the session runs");
    drop(feed);
    ended
}

fn saved(store: &ProfileStore, name: &str) -> usize {
    store
        .load_optional(name)
        .ok()
        .flatten()
        .map_or(0, |p| p.ratings.len())
}

#[test]
fn keys_fed_through_a_channel_rate_and_quit() {
    let fx = fixture();
    let out = SharedOutput::default();
    let ended = drive(
        fx.app("ana"),
        Some(&fx.store),
        (80, 24),
        out.clone(),
        &[b"5", b"4", b"3q"],
    );
    assert!(ended.state.quit);
    assert_eq!(ended.stopped, None);
    assert_eq!(saved(&fx.store, "ana"), 3);
    let bytes = out.bytes();
    assert!(
        bytes.starts_with(b"\x1b[?1049h"),
        "enters the alternate screen"
    );
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("1049l"), "leaves it at the end");
}

#[test]
fn digit_keys_on_the_too_small_screen_rate_nothing() {
    let fx = fixture();
    let ended = drive(
        fx.app("ana"),
        Some(&fx.store),
        (40, 10),
        SharedOutput::default(),
        &[b"555", b"\r ", b"q"],
    );
    assert!(ended.state.quit, "q still quits there");
    assert_eq!(ended.state.rated(), 0);
    assert_eq!(saved(&fx.store, "ana"), 0, "3 digit keys saved nothing");
}

#[test]
fn a_resize_from_the_input_side_brings_the_keys_back() {
    let fx = fixture();
    let (feed, input) = ChannelInput::new();
    let session = Session::new(input, SharedOutput::default(), (40, 10))
        .pictures(Pictures::halfblocks(ColorDepth::Palette256));
    feed.send(Feed::Bytes(b"5".to_vec())).unwrap();
    feed.send(Feed::Resize { cols: 80, rows: 24 }).unwrap();
    feed.send(Feed::Bytes(b"5q".to_vec())).unwrap();
    let ended = runtime::run(session, fx.app("ana"), Some(&fx.store)).unwrap();
    assert_eq!(
        ended.state.rated(),
        1,
        "only the key after the resize rated"
    );
}

#[test]
fn a_stopper_ends_the_session_with_every_rating_saved() {
    let fx = fixture();
    let (feed, input) = ChannelInput::new();
    let session = Session::new(input, SharedOutput::default(), (80, 24));
    let stopper = session.stopper();
    feed.send(Feed::Bytes(b"55".to_vec())).unwrap();
    let store = &fx.store;
    let app = fx.app("ana");
    let ended = std::thread::scope(|s| {
        let run = s.spawn(move || runtime::run(session, app, Some(store)));
        let start = Instant::now();
        while saved(store, "ana") < 2 && start.elapsed() < LIMIT {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(stopper.stop(Stop(1)));
        run.join().unwrap().unwrap()
    });
    assert_eq!(ended.stopped, Some(Stop(1)));
    assert_eq!(saved(&fx.store, "ana"), 2);
    drop(feed);
}

/// An output that notes, at every flush (the end of a frame), how many
/// ratings are on disk.
#[derive(Clone)]
struct DiskAtFlush {
    store_dir: std::path::PathBuf,
    flushes: std::sync::Arc<std::sync::Mutex<Vec<(Instant, usize)>>>,
}

impl Write for DiskAtFlush {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let on_disk = saved(&ProfileStore::at(&self.store_dir), "ana");
        self.flushes.lock().unwrap().push((Instant::now(), on_disk));
        Ok(())
    }
}

impl DiskAtFlush {
    fn flushes(&self) -> Vec<(Instant, usize)> {
        self.flushes.lock().unwrap().clone()
    }

    /// Waits (bounded) until more than `seen` frames came, then none for
    /// `quiet`; `false` if that never happened.
    fn settle(&self, seen: usize, quiet: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < LIMIT {
            let flushes = self.flushes();
            let last = flushes.last().map(|(t, _)| *t);
            if flushes.len() > seen && last.is_some_and(|t| t.elapsed() >= quiet) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

#[test]
fn a_rating_is_on_disk_before_any_frame_after_its_key() {
    let fx = fixture();
    let out = DiskAtFlush {
        store_dir: fx.store.dir().to_path_buf(),
        flushes: Default::default(),
    };
    let (feed, input) = ChannelInput::new();
    let session = Session::new(input, out.clone(), (100, 32))
        .pictures(Pictures::halfblocks(ColorDepth::TrueColor));
    let store = &fx.store;
    let app = fx.app("ana");
    let (settled, before, after) = std::thread::scope(|s| {
        let run = s.spawn(move || runtime::run(session, app, Some(store)));
        // Every image of the first screen drawn: no frame is due.
        let first = out.settle(0, Duration::from_millis(400));
        let before = out.flushes().len();
        feed.send(Feed::Bytes(b"5".to_vec())).unwrap();
        let second = out.settle(before, Duration::from_millis(400));
        let after = out.flushes();
        // Always end the session, so a failed check cannot hang the test.
        feed.send(Feed::Bytes(b"q".to_vec())).unwrap();
        run.join().unwrap().unwrap();
        (first && second, before, after)
    });
    assert!(settled, "the frames never settled");
    assert!(after.len() > before, "the rating drew a frame");
    for (i, (_, on_disk)) in after.iter().enumerate().skip(before) {
        assert_eq!(*on_disk, 1, "frame {i} came before the save");
    }
}

const HOSTILE: &str = "Evil\u{1b}]0;pwned\u{7}\u{9b}2J\u{7f}\u{202e}gnp";

/// The test pack with every text field hostile.
fn hostile_pack(fx: &Fixture) -> Pack {
    let dir = fx.dir.path().join("hostile");
    std::fs::create_dir_all(dir.join("images")).unwrap();
    let mut manifest = fx.pack.manifest().clone();
    // A name with control characters is refused when the pack loads; a
    // bidirectional override is printable, and must still be shown inert.
    manifest.name = "pack\u{202e}gnp".to_string();
    manifest.description = format!("desc{HOSTILE}");
    manifest.license = format!("lic{HOSTILE}");
    manifest.attribution = format!("by{HOSTILE}");
    for face in &mut manifest.faces {
        face.name = format!("{}{HOSTILE}", face.id);
        std::fs::copy(fx.pack.dir().join(&face.image), dir.join(&face.image)).unwrap();
    }
    write_manifest(&dir, &manifest).unwrap();
    Pack::load(&dir).unwrap()
}

/// No control byte (but the renderer's own CSI sequences) and no bidi
/// override reached the output; the hostile text shows as pictures.
fn assert_inert(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains("\u{1b}]"), "an OSC from a field");
    assert!(!bytes.contains(&0x07), "a BEL from a field");
    assert!(!text.contains('\u{9b}'), "a C1 CSI from a field");
    assert!(!bytes.contains(&0x7f), "a DEL from a field");
    assert!(!text.contains('\u{202e}'), "a bidi override from a field");
    let picture = sanitize::one_line(HOSTILE);
    assert!(
        text.contains("␛]0;pwned␇"),
        "the name as pictures: {picture}"
    );
    // Outside the renderer's own sequences, everything is printable.
    let stripped: Vec<u8> = strip_csi(bytes);
    assert!(
        sanitize::is_inert(&stripped, true),
        "{}",
        String::from_utf8_lossy(&stripped)
    );
}

/// `bytes` without the `ESC [ … final` sequences the renderer writes.
fn strip_csi(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                i += 1;
            }
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[test]
fn hostile_pack_and_face_names_reach_the_output_as_pictures_only() {
    let fx = fixture();
    let pack = hostile_pack(&fx);
    let app = App::new(
        "ana",
        Profile::new("ana", &pack),
        pack,
        None,
        Theme::plain(),
    )
    .unwrap();
    let out = SharedOutput::default();
    // Rate every face: the rating screens, the reveal (names, runners-up).
    let mut keys = vec![b"5".as_slice(); MODELS];
    keys.push(b"x");
    keys.push(b"q");
    let ended = drive(app, Some(&fx.store), (120, 40), out.clone(), &keys);
    assert_eq!(ended.state.rated(), MODELS);
    assert_inert(&out.bytes());
}

#[test]
fn a_hostile_profile_replayed_reaches_the_output_as_pictures_only() {
    let fx = fixture();
    let pack = hostile_pack(&fx);
    let mut profile = Profile::new(&format!("ana{HOSTILE}"), &pack);
    for i in 0..MODELS {
        profile.ratings.push(RatingEntry {
            face: format!("m{:03}", i + 1),
            level: mytype::core::rating::Rating::ALL[i % 5],
            time: format!("t{HOSTILE}"),
        });
    }
    let player = profile.player.clone();
    let replay = Replay::new(&player, &profile, pack, None, Theme::plain()).unwrap();
    let out = SharedOutput::default();
    // Home, End (the reveal), skip its build-up, quit.
    let ended = drive(
        replay,
        None,
        (120, 40),
        out.clone(),
        &[b"l", b"G", b"x", b"q"],
    );
    assert!(ended.state.quit);
    assert_inert(&out.bytes());
}

/// A game whose work after the frame never ends (steps counted; the
/// first one told on `started`).
struct EndlessLookahead {
    app: App,
    steps: usize,
    started: std::sync::mpsc::SyncSender<()>,
    /// A tick this often instead of the game's; quits after the third.
    tick_every: Option<Duration>,
    ticks: usize,
}

impl Component for EndlessLookahead {
    fn render(&self, frame: &mut ratatui::Frame) {
        self.app.render(frame)
    }
    fn wanted_images(&self, area: ratatui::layout::Rect) -> Vec<mytype::ui::images::ImageKey> {
        self.app.wanted_images(area)
    }
    fn images_mut(&mut self) -> &mut mytype::ui::images::Images {
        self.app.images_mut()
    }
    fn action_for(
        &self,
        event: &crossterm::event::Event,
        area: ratatui::layout::Rect,
    ) -> Option<mytype::ui::Action> {
        self.app.action_for(event, area)
    }
    fn apply(&mut self, action: mytype::ui::Action) -> Vec<mytype::ui::Effect> {
        if self.tick_every.is_some() && matches!(action, mytype::ui::Action::Tick) {
            self.ticks += 1;
            return Vec::new();
        }
        Component::apply(&mut self.app, action)
    }
    fn tick_due(&self) -> Option<Duration> {
        self.tick_every.or_else(|| self.app.tick_due())
    }
    fn quitting(&self) -> bool {
        self.app.quitting() || (self.tick_every.is_some() && self.ticks >= 3)
    }
    fn overlay_open(&self) -> bool {
        Component::overlay_open(&self.app)
    }
    fn perform(&mut self, effect: mytype::ui::Effect, store: Option<&ProfileStore>) {
        Component::perform(&mut self.app, effect, store)
    }
    fn theme(&self) -> Theme {
        Component::theme(&self.app)
    }
    fn after_frame_step(&mut self) -> bool {
        self.steps += 1;
        let _ = self.started.try_send(());
        false
    }
    fn after_frame_pending(&self) -> bool {
        true
    }
}

/// Runs `component` in an 80×24 session on its own thread: the channel
/// that feeds it keys, and the one its end comes on (a test that hangs
/// waits on it with a timeout instead of forever).
fn run_in_background(
    component: EndlessLookahead,
    store: &ProfileStore,
) -> (
    std::sync::mpsc::Sender<Feed>,
    std::sync::mpsc::Receiver<anyhow::Result<Ended<EndlessLookahead>>>,
) {
    let (feed, input) = ChannelInput::new();
    let session = Session::new(input, SharedOutput::default(), (80, 24))
        .pictures(Pictures::halfblocks(ColorDepth::TrueColor));
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let store = store.clone();
    std::thread::spawn(move || {
        let _ = done_tx.send(runtime::run(session, component, Some(&store)));
    });
    (feed, done_rx)
}

/// The runtime does the work after a frame a step at a time and handles a
/// key that waits before the next step: even work that never ends holds
/// no key back (the session rates, quits and saves).
#[test]
fn keys_are_handled_between_the_steps_of_the_work_after_the_frame() {
    let fx = fixture();
    let (started, steps_run) = std::sync::mpsc::sync_channel(1);
    let component = EndlessLookahead {
        app: fx.app("ana"),
        steps: 0,
        started,
        tick_every: None,
        ticks: 0,
    };
    let (feed, done_rx) = run_in_background(component, &fx.store);
    // The keys come once the endless work has begun.
    steps_run
        .recv_timeout(LIMIT)
        .expect("the work after the first frame began");
    for k in [&b"5"[..], b"4", b"3", b"q"] {
        feed.send(Feed::Bytes(k.to_vec())).unwrap();
    }
    let ended = done_rx
        .recv_timeout(LIMIT)
        .expect("the session ended: keys got past the endless lookahead")
        .expect("the session runs");
    assert!(ended.state.app.quit);
    assert!(ended.state.steps > 0, "the work after the frame ran");
    assert_eq!(saved(&fx.store, "ana"), 3);
}

/// A tick that falls due while the work after the frame goes on is not
/// held back by it either (a build-up or a playing replay keeps moving).
#[test]
fn ticks_come_between_the_steps_of_the_work_after_the_frame() {
    let fx = fixture();
    let (started, _steps_run) = std::sync::mpsc::sync_channel(1);
    let component = EndlessLookahead {
        app: fx.app("ana"),
        steps: 0,
        started,
        tick_every: Some(Duration::from_millis(5)),
        ticks: 0,
    };
    let (_feed, done_rx) = run_in_background(component, &fx.store);
    let ended = done_rx
        .recv_timeout(LIMIT)
        .expect("the session ended: ticks got past the endless lookahead")
        .expect("the session runs");
    assert_eq!(ended.state.ticks, 3);
    assert!(ended.state.steps > 0, "the work after the frame ran");
}
