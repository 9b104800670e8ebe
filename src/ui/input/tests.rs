//! Tests of the input decoder (byte strings) and the reader (a real
//! pseudo-terminal).

use super::*;
use crate::ui::terminal::probe::Reply;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;

fn key(c: char) -> Decoded {
    Decoded::Input(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

fn code(c: KeyCode) -> Decoded {
    Decoded::Input(Event::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

const KITTY: &[u8] = b"\x1b_Gi=31;OK\x1b\\";
const CELL: &[u8] = b"\x1b[6;20;10t";
const TC: &[u8] = b"\x1bP1+r5463\x1b\\";
const SGR: &[u8] = b"\x1bP1$r0;38:2::1:2:3m\x1b\\";
const DA1: &[u8] = b"\x1b[?62;4;22c";

/// Every reply a probe gets, keys before, between and after them.
fn mixed() -> Vec<u8> {
    [
        &b"5"[..],
        KITTY,
        b"4",
        CELL,
        TC,
        b"q",
        SGR,
        b"\x1b[A",
        DA1,
        b"3",
    ]
    .concat()
}

fn expected_mixed() -> Vec<Decoded> {
    vec![
        key('5'),
        Decoded::Reply(Reply::Kitty(true)),
        key('4'),
        Decoded::Reply(Reply::CellSize {
            width: 10,
            height: 20,
        }),
        Decoded::Reply(Reply::Capability {
            name: "Tc".into(),
            known: true,
        }),
        key('q'),
        Decoded::Reply(Reply::Rendition {
            valid: true,
            sgr: "0;38:2::1:2:3".into(),
        }),
        code(KeyCode::Up),
        Decoded::Reply(Reply::DeviceAttributes(vec![62, 4, 22])),
        key('3'),
    ]
}

fn decode_in_pieces(pieces: &[&[u8]]) -> Vec<Decoded> {
    let mut d = Decoder::default();
    let mut out = Vec::new();
    for p in pieces {
        d.feed(p, &mut out);
    }
    d.flush(&mut out);
    out
}

#[test]
fn keys_before_between_and_after_replies_are_all_kept() {
    assert_eq!(decode_in_pieces(&[&mixed()]), expected_mixed());
}

#[test]
fn a_reply_split_across_reads_anywhere_is_still_a_reply() {
    let bytes = mixed();
    for cut in 1..bytes.len() {
        let (a, b) = bytes.split_at(cut);
        assert_eq!(decode_in_pieces(&[a, b]), expected_mixed(), "cut at {cut}");
    }
    // One byte per read.
    let singles: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(decode_in_pieces(&singles), expected_mixed());
}

#[test]
fn an_unfinished_sequence_waits_and_a_lone_esc_is_the_esc_key() {
    let mut d = Decoder::default();
    let mut out = Vec::new();
    d.feed(b"\x1b", &mut out);
    assert!(out.is_empty());
    assert_eq!(d.waiting(), Some(Wait::Short));
    d.flush(&mut out);
    assert_eq!(out, vec![code(KeyCode::Esc)]);
    assert_eq!(d.waiting(), None);

    // An unfinished reply waits longer, and is dropped if it never ends.
    out.clear();
    d.feed(b"\x1b[?62;", &mut out);
    assert_eq!(d.waiting(), Some(Wait::Long));
    d.flush(&mut out);
    d.feed(b"5", &mut out);
    assert_eq!(out, vec![key('5')]);
}

#[test]
fn keys_and_mouse_are_parsed() {
    let out = decode_in_pieces(&[b"\x1b[D\x1b[C\r \x7f\x1bOP?\x03\x1b[<0;12;5M"]);
    assert_eq!(
        out[..6],
        [
            code(KeyCode::Left),
            code(KeyCode::Right),
            code(KeyCode::Enter),
            key(' '),
            code(KeyCode::Backspace),
            code(KeyCode::F(1)),
        ]
    );
    assert_eq!(out[6], key('?'));
    assert_eq!(
        out[7],
        Decoded::Input(Event::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL
        )))
    );
    match &out[8] {
        Decoded::Input(Event::Mouse(m)) => {
            assert_eq!(m.kind, MouseEventKind::Down(MouseButton::Left));
            assert_eq!((m.column, m.row), (11, 4));
        }
        other => panic!("not a click: {other:?}"),
    }
    assert_eq!(out.len(), 9);
    // Alt+x, and Alt+_ (not the start of a kitty reply).
    let alt = |c| {
        Decoded::Input(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::ALT,
        )))
    };
    assert_eq!(decode_in_pieces(&[b"\x1bx"]), vec![alt('x')]);
    assert_eq!(decode_in_pieces(&[b"\x1b_a"]), vec![alt('_'), key('a')]);
    // UTF-8 split across reads.
    assert_eq!(decode_in_pieces(&[b"\xc3", b"\xa9"]), vec![key('é')]);
}

#[test]
fn other_reports_never_become_keys() {
    // Cursor-position-free reports with digits in them: DSR, DECRPM, XTVERSION, OSC colour.
    let out = decode_in_pieces(&[
        b"\x1b[0n\x1b[?2026;2$y\x1bP>|tmux 3.3a\x1b\\\x1b]11;rgb:0000/0000/0000\x07",
    ]);
    assert!(
        out.iter().all(|d| matches!(d, Decoded::Reply(_))),
        "{out:?}"
    );
    assert_eq!(out.len(), 4);
}

// ---- the reader, on a real pseudo-terminal ----

#[derive(Debug)]
enum Ev {
    Input(Event),
    Error(String),
}

impl InputEvent for Ev {
    fn input(event: Event) -> Self {
        Ev::Input(event)
    }
    fn input_error(message: String) -> Self {
        Ev::Error(message)
    }
}

/// A pseudo-terminal in raw mode: (master, slave).
fn pty() -> (OwnedFd, OwnedFd) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave: OwnedFd = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap()
        .into();
    let mut t = rustix::termios::tcgetattr(&slave).unwrap();
    t.make_raw();
    rustix::termios::tcsetattr(&slave, rustix::termios::OptionalActions::Now, &t).unwrap();
    (master, slave)
}

struct Reader {
    rx: mpsc::Receiver<Ev>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn reader(slave: OwnedFd, probe: &Arc<ProbeSlot>) -> Reader {
    reader_with(slave, probe, None)
}

fn reader_with(slave: OwnedFd, probe: &Arc<ProbeSlot>, winch: Option<UnixStream>) -> Reader {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let (s, p) = (Arc::clone(&stop), Arc::clone(probe));
    let thread = std::thread::spawn(move || {
        let mut source = TerminalInput::from_parts(slave, winch);
        read_loop(&mut source, &tx, &s, &p)
    });
    Reader {
        rx,
        stop,
        thread: Some(thread),
    }
}

impl Reader {
    fn next(&self) -> Ev {
        self.rx
            .recv_timeout(Duration::from_secs(10))
            .expect("an event within 10 s")
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn write(fd: &OwnedFd, bytes: &[u8]) {
    let mut done = 0;
    while done < bytes.len() {
        done += rustix::io::write(fd, &bytes[done..]).unwrap();
    }
}

fn char_of(ev: Ev) -> char {
    match ev {
        Ev::Input(Event::Key(KeyEvent {
            code: KeyCode::Char(c),
            ..
        })) => c,
        other => panic!("not a character key: {other:?}"),
    }
}

#[test]
fn keys_typed_during_the_probe_reach_the_game_and_replies_reach_the_probe() {
    let (master, slave) = pty();
    let probe = Arc::new(ProbeSlot::default());
    probe.listen();
    let r = reader(slave, &probe);
    // A key, half a reply, a pause longer than the Esc wait, the rest.
    write(&master, b"5\x1b_Gi=31;O");
    assert_eq!(char_of(r.next()), '5');
    std::thread::sleep(ESC_WAIT * 2);
    write(&master, b"K\x1b\\4\x1b");
    std::thread::sleep(ESC_WAIT * 2);
    write(&master, b"[?62;4c1");
    let answers = probe.wait(Duration::from_secs(10));
    assert!(answers.finished && answers.kitty && answers.sixel);
    assert_eq!(char_of(r.next()), '4');
    assert_eq!(char_of(r.next()), '1');
}

#[test]
fn a_terminal_that_never_answers_loses_no_key() {
    let (master, slave) = pty();
    let probe = Arc::new(ProbeSlot::default());
    probe.listen();
    let r = reader(slave, &probe);
    let answers = probe.wait(Duration::from_millis(100));
    assert!(!answers.finished);
    write(&master, b"5");
    assert_eq!(char_of(r.next()), '5');
    // A late reply is taken out, not typed.
    write(&master, b"\x1b[?62;4c4");
    assert_eq!(char_of(r.next()), '4');
    // Esc on its own is the Esc key once its short wait is over.
    write(&master, b"\x1b");
    match r.next() {
        Ev::Input(Event::Key(k)) => assert_eq!(k.code, KeyCode::Esc),
        other => panic!("not Esc: {other:?}"),
    }
}

#[test]
fn a_hung_up_terminal_is_reported() {
    let (master, slave) = pty();
    let probe = Arc::new(ProbeSlot::default());
    let r = reader(slave, &probe);
    drop(master);
    match r.next() {
        Ev::Error(e) => assert!(e.contains("hung up"), "{e}"),
        other => panic!("not an error: {other:?}"),
    }
}

#[test]
fn a_window_size_change_is_a_resize_event() {
    let (master, slave) = pty();
    let size = rustix::termios::Winsize {
        ws_col: 91,
        ws_row: 27,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&master, size).unwrap();
    // What the SIGWINCH handler does: a byte down the wake pipe.
    let (wake_rx, mut wake_tx) = UnixStream::pair().unwrap();
    wake_rx.set_nonblocking(true).unwrap();
    let r = reader_with(slave, &Arc::new(ProbeSlot::default()), Some(wake_rx));
    std::io::Write::write_all(&mut wake_tx, b"x").unwrap();
    match r.next() {
        Ev::Input(Event::Resize(cols, rows)) => assert_eq!((cols, rows), (91, 27)),
        other => panic!("not a resize: {other:?}"),
    }
    // Keys still come after it.
    write(&master, b"5");
    assert_eq!(char_of(r.next()), '5');
}

#[test]
fn a_channel_feeds_bytes_and_sizes_and_its_end_is_a_hang_up() {
    let (feed, mut source) = ChannelInput::new();
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let probe = Arc::new(ProbeSlot::default());
    let (s, p) = (Arc::clone(&stop), Arc::clone(&probe));
    let thread = std::thread::spawn(move || read_loop(&mut source, &tx, &s, &p));
    feed.send(Feed::Resize {
        cols: 100,
        rows: 30,
    })
    .unwrap();
    feed.send(Feed::Bytes(b"5\x1b[?62;4c4".to_vec())).unwrap();
    let next = || rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(matches!(next(), Ev::Input(Event::Resize(100, 30))));
    assert_eq!(char_of(next()), '5');
    assert_eq!(char_of(next()), '4');
    drop(feed);
    match next() {
        Ev::Error(e) => assert!(e.contains("closed"), "{e}"),
        other => panic!("not an error: {other:?}"),
    }
    thread.join().unwrap();
}

/// Feeds `chunks` one read at a time, flushing when the reader would.
fn decode_chunks(chunks: &[&[u8]]) -> Vec<Decoded> {
    let mut decoder = Decoder::default();
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.feed(chunk, &mut out);
    }
    if decoder.waiting().is_some() {
        decoder.flush(&mut out);
    }
    out
}

#[test]
fn a_bracketed_paste_is_dropped_not_played_as_keys() {
    let paste = [
        &b"5"[..],
        PASTE_START,
        b"hello 5 4 world q",
        PASTE_END,
        b"3",
    ]
    .concat();
    assert_eq!(decode_chunks(&[&paste]), vec![key('5'), key('3')]);
}

#[test]
fn a_paste_split_across_reads_is_dropped_whole() {
    // Cut inside the start marker, the text and the end marker.
    let chunks: [&[u8]; 6] = [b"\x1b[20", b"0~5 4 ", b"q r\x1b", b"[20", b"1~", b"4"];
    assert_eq!(decode_chunks(&chunks), vec![key('4')]);
    // An escape inside the pasted text does not end the paste early.
    let chunks: [&[u8]; 3] = [PASTE_START, b"a\x1bq\x1b[A5", PASTE_END];
    assert_eq!(decode_chunks(&chunks), Vec::new());
}

#[test]
fn a_paste_not_ended_yet_is_not_flushed_as_keys() {
    let mut decoder = Decoder::default();
    let mut out = Vec::new();
    decoder.feed(&[PASTE_START, b"55q\x1b[20"].concat(), &mut out);
    assert_eq!(
        decoder.waiting(),
        Some(Wait::Paste),
        "a paste waits for its end"
    );
    assert!(out.is_empty(), "{out:?}");
    decoder.feed(b"1~q", &mut out);
    assert_eq!(out, vec![key('q')], "keys after the paste count again");
}

#[test]
fn a_paste_whose_end_never_came_is_over_at_the_flush_and_keys_count_again() {
    let mut decoder = Decoder::default();
    let mut out = Vec::new();
    decoder.feed(&[PASTE_START, b"55q\x1b[20"].concat(), &mut out);
    // The reader flushes once no byte came for PASTE_WAIT.
    decoder.flush(&mut out);
    assert!(out.is_empty(), "the paste's text is never keys: {out:?}");
    assert_eq!(decoder.waiting(), None);
    decoder.feed(b"q", &mut out);
    assert_eq!(out, vec![key('q')]);
}

/// A source that plays `steps` on a test clock: `None` is a quiet wait of
/// the whole timeout (the clock moves on, nothing comes); at the end, the
/// input closes.
struct Scripted {
    steps: std::collections::VecDeque<Option<Vec<u8>>>,
    clock: Arc<std::sync::Mutex<Instant>>,
}

impl InputSource for Scripted {
    fn next(&mut self, buf: &mut [u8], timeout: Duration) -> Incoming {
        match self.steps.pop_front() {
            Some(Some(bytes)) => {
                buf[..bytes.len()].copy_from_slice(&bytes);
                Incoming::Bytes(bytes.len())
            }
            Some(None) => {
                *self.clock.lock().unwrap() += timeout;
                Incoming::Idle
            }
            None => Incoming::Closed("end of script".into()),
        }
    }
}

/// The characters typed that reach the game when a paste's end never comes,
/// the input is quiet for `quiet` and then `q` is typed.
fn keys_after_an_endless_paste(quiet: Duration) -> Vec<char> {
    let clock = Arc::new(std::sync::Mutex::new(Instant::now()));
    let mut steps = std::collections::VecDeque::new();
    steps.push_back(Some([PASTE_START, b"5 4 q"].concat()));
    // The reader waits at most STOP_CHECK at a time.
    let waits = quiet.as_millis() / STOP_CHECK.as_millis();
    steps.extend((0..waits).map(|_| None));
    steps.push_back(Some(b"q".to_vec()));
    let mut source = Scripted {
        steps,
        clock: Arc::clone(&clock),
    };
    let (tx, rx) = mpsc::channel();
    let now = || *clock.lock().unwrap();
    read_loop_timed(
        &mut source,
        &tx,
        &AtomicBool::new(false),
        &ProbeSlot::default(),
        &now,
    );
    rx.try_iter()
        .filter_map(|ev| match ev {
            Ev::Input(_) => Some(char_of(ev)),
            Ev::Error(_) => None,
        })
        .collect()
}

#[test]
fn a_paste_whose_end_never_comes_is_over_after_a_quiet_second() {
    assert_eq!(
        keys_after_an_endless_paste(Duration::from_millis(500)),
        Vec::<char>::new(),
        "half a second's pause is still the paste"
    );
    assert_eq!(
        keys_after_an_endless_paste(PASTE_WAIT + STOP_CHECK),
        vec!['q'],
        "after a quiet PASTE_WAIT, keys count again"
    );
}

#[test]
fn alt_keys_decode_with_alt_held() {
    let out = decode_chunks(&[b"\x1b5", b"\x1bq"]);
    for (decoded, c) in out.iter().zip(['5', 'q']) {
        let Decoded::Input(Event::Key(k)) = decoded else {
            panic!("{decoded:?}");
        };
        assert_eq!(k.code, KeyCode::Char(c));
        assert!(k.modifiers.contains(KeyModifiers::ALT), "{k:?}");
        assert_eq!(
            crate::ui::keys::action_for_key_in(
                crate::ui::keys::GAME,
                crate::ui::keys::Mode::Normal,
                k
            ),
            None,
            "Alt-{c} does nothing"
        );
    }
    assert_eq!(out.len(), 2);
}
