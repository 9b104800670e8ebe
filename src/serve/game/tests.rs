use super::*;
use crate::pack::generate::{generate_pack, GenerateOptions};
use crate::profile::Profile;
use crate::serve::board::PartyReporter;
use crate::serve::session::{input_queue, output_queue, Identity, Terminal};
use std::net::SocketAddr;

fn guest(name: &str, identity: Identity) -> GuestSession {
    GuestSession {
        name: name.into(),
        identity,
        terminal: Terminal {
            term: "xterm-256color".into(),
            colorterm: None,
            lang: None,
            cols: 80,
            rows: 24,
        },
        input: input_queue().1,
        output: output_queue().0,
        party: PartyReporter::detached(name),
        joined_at: None,
    }
}

#[test]
fn a_guest_plays_to_the_reveal_and_the_board_follows() {
    use crate::serve::board::PartyBoard;
    use crate::serve::session::input_queue;
    let tmp = tempfile::tempdir().unwrap();
    let opts = GenerateOptions {
        seed: 7,
        models: 12,
        celebrities: 4,
    };
    generate_pack(&tmp.path().join("pack"), &opts).unwrap();
    let pack = Arc::new(Pack::load(&tmp.path().join("pack")).unwrap());
    let store = ProfileStore::at(&tmp.path().join("profiles"));
    let config = GameConfig {
        store: store.clone(),
        pack: pack.clone(),
        reveal_pack: None,
        no_crowd: false,
        max_players: 32,
    };
    let board = PartyBoard::new(Some(pack));
    let (keys, input) = input_queue();
    let (output, mut screen) = output_queue();
    let mut ana = guest(
        "ana",
        Identity::Key {
            fingerprint: "SHA256:x".into(),
        },
    );
    ana.input = input;
    ana.output = output;
    ana.party = board.reporter("ana");
    ana.joined_at = Some("192.168.1.20:2222".parse().unwrap());
    board.update(|s| s.joined("ana", false));
    let prepared = prepare(&config, &ana).unwrap();
    let game = std::thread::spawn(move || play(prepared, ana));
    let drain = std::thread::spawn(move || while screen.blocking_recv().is_some() {});
    for _ in 0..12 {
        assert!(keys.bytes(b"4"));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let state = board.lock();
        let player = &state.players()[0];
        if player.reveal.is_some() {
            assert_eq!((player.rated, player.round), (12, 12));
            break;
        }
        drop(state);
        assert!(
            std::time::Instant::now() < deadline,
            "no reveal on the board"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(keys);
    let Outcome::Finished { parting } = game.join().unwrap() else {
        panic!("the game did not finish");
    };
    // As `mytype play` says it: every face rated and the pick seen, so
    // the revealed face is all there is to say.
    assert!(
        parting.starts_with("The AI says my type is ") && !parting.contains('\n'),
        "{parting}"
    );
    drain.join().unwrap();
    let saved = store.load_optional("ana").unwrap().unwrap();
    assert_eq!(saved.ratings.len(), 12);
    // The pick ana saw still stands: the party's summary names it.
    let state = board.lock();
    let player = &state.players()[0];
    let seen = player.reveal.as_ref().map(|r| r.face_name.clone());
    assert!(seen.is_some());
    assert_eq!(player.pick, seen);
}

fn small_game(tmp: &std::path::Path) -> GameConfig {
    let opts = GenerateOptions {
        seed: 3,
        models: 12,
        celebrities: 4,
    };
    generate_pack(&tmp.join("pack"), &opts).unwrap();
    GameConfig {
        store: ProfileStore::at(&tmp.join("profiles")),
        pack: Arc::new(Pack::load(&tmp.join("pack")).unwrap()),
        reveal_pack: None,
        no_crowd: false,
        max_players: 8,
    }
}

fn text(game: &Reported, cols: u16, rows: u16) -> String {
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(cols, rows)).unwrap();
    term.draw(|f| Component::render(game, f)).unwrap();
    let buf = term.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            row.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn press(game: &mut Reported, c: char) -> Vec<Effect> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let event = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    match game.action_for(&event, Rect::new(0, 0, 80, 24)) {
        Some(action) => game.apply(action),
        None => Vec::new(),
    }
}

#[test]
fn a_guest_opens_the_party_board_with_p_and_comes_back_where_they_were() {
    use crate::serve::board::PartyBoard;
    let tmp = tempfile::tempdir().unwrap();
    let config = small_game(tmp.path());
    let board = PartyBoard::new(Some(config.pack.clone()));
    board.update(|s| {
        s.joined("ana", false);
        s.joined("bo", false);
        s.progress("bo", 17, 50);
    });
    let key = Identity::Key {
        fingerprint: "SHA256:x".into(),
    };
    let prepared = prepare(&config, &guest("ana", key)).unwrap();
    let info = BoardInfo {
        join: vec!["ssh -p 2222 NAME@192.168.1.20".into()],
        fingerprint: String::new(),
        max_players: config.max_players,
        status: None,
    };
    let mut game = Reported::new(prepared.app, board.reporter("ana"), info);
    // The help lists the key in a party game.
    press(&mut game, '?');
    assert!(text(&game, 80, 24).contains("the party board"));
    press(&mut game, 'x');
    assert_eq!(press(&mut game, '4'), vec![Effect::Save]);
    press(&mut game, 'l');
    let game_screen = text(&game, 80, 24);
    let where_it_was = (game.app.current, game.app.selected, game.app.rated());

    assert!(press(&mut game, 'p').is_empty());
    let shown = text(&game, 80, 24);
    assert!(shown.contains("bo") && shown.contains("17/50"), "{shown}");
    assert!(shown.contains("ana") && shown.contains(" 1/12"), "{shown}");
    // Live: what others do shows while the board is open.
    board.update(|s| s.progress("bo", 18, 50));
    assert_eq!(game.tick_due(), Some(view::REFRESH));
    assert!(game.apply(Action::Tick).is_empty());
    let shown = text(&game, 80, 24);
    assert!(shown.contains("18/50"), "{shown}");
    insta::assert_snapshot!(shown);

    // Any key goes back: it neither rates nor moves anything.
    assert!(press(&mut game, '5').is_empty());
    let back = (game.app.current, game.app.selected, game.app.rated());
    assert_eq!(back, where_it_was);
    assert_eq!(text(&game, 80, 24), game_screen);
    // And `p` opens it again, and closes it.
    press(&mut game, 'p');
    assert!(game.board_open());
    press(&mut game, 'p');
    assert!(!game.board_open());
}

#[test]
fn a_game_alone_has_no_party_key() {
    let tmp = tempfile::tempdir().unwrap();
    let config = small_game(tmp.path());
    let key = Identity::Key {
        fingerprint: "SHA256:x".into(),
    };
    let prepared = prepare(&config, &guest("ana", key)).unwrap();
    let info = BoardInfo {
        join: Vec::new(),
        fingerprint: String::new(),
        max_players: 8,
        status: None,
    };
    let mut game = Reported::new(prepared.app, PartyReporter::detached("ana"), info);
    assert!(!game.app.party);
    press(&mut game, 'p');
    assert!(!game.board_open());
    press(&mut game, '?');
    assert!(!text(&game, 80, 24).contains("the party board"));
}

#[test]
fn a_guest_in_256_colours_is_told_the_exact_ssh_command_for_truecolor() {
    let at: SocketAddr = "192.168.1.20:2222".parse().unwrap();
    let full = "For truecolor faces, join with: \
                ssh -o SetEnv=COLORTERM=truecolor -p 2222 ana@192.168.1.20";
    assert_eq!(truecolor_hint("ana", Some(at), 120).as_deref(), Some(full));
    assert_eq!(
        truecolor_hint("ana", Some(at), 80).as_deref(),
        Some("Truecolor faces: ssh -o SetEnv=COLORTERM=truecolor -p 2222 ana@192.168.1.20")
    );
    assert_eq!(
        truecolor_hint("ana", Some(at), 60).as_deref(),
        Some("ssh -o SetEnv=COLORTERM=truecolor -p 2222 ana@192.168.1.20")
    );
    let port22: SocketAddr = "10.0.0.2:22".parse().unwrap();
    assert_eq!(
        truecolor_hint("bo", Some(port22), 70).as_deref(),
        Some("Truecolor faces: ssh -o SetEnv=COLORTERM=truecolor bo@10.0.0.2")
    );
    let long: SocketAddr = "[2001:db8:1234:5678:9abc:def0:1234:5678]:2222"
        .parse()
        .unwrap();
    assert_eq!(
        truecolor_hint("someone", Some(long), 60).as_deref(),
        Some(TRUECOLOR_SHORT)
    );
    assert!(TRUECOLOR_SHORT.chars().count() <= 60);
    assert_eq!(truecolor_hint("ana", None, 120), None);

    // In the game: on the status line at the start, in 256 colours only.
    let tmp = tempfile::tempdir().unwrap();
    let config = small_game(tmp.path());
    let key = Identity::Key {
        fingerprint: "SHA256:x".into(),
    };
    let mut ana = guest("ana", key);
    ana.terminal.cols = 100;
    let mut app = prepare(&config, &ana).unwrap().app;
    note_truecolor_hint(&mut app, "ana", &ana.terminal, Some(at));
    assert_eq!(app.status.as_ref().map(|s| s.text.as_str()), Some(full));
    drop(app);
    ana.terminal.colorterm = Some("truecolor".into());
    let mut app = prepare(&config, &ana).unwrap().app;
    note_truecolor_hint(&mut app, "ana", &ana.terminal, Some(at));
    assert_eq!(app.status, None);
}

#[test]
fn a_profile_of_another_pack_is_refused_with_the_command_that_joins_again() {
    let tmp = tempfile::tempdir().unwrap();
    let config = small_game(tmp.path());
    let mut other = Profile::new("ana", &config.pack);
    other.pack.name = "party\u{1b}]2;pwned\u{7}".into();
    config.store.save("ana", &other).unwrap();
    let key = Identity::Key {
        fingerprint: "SHA256:x".into(),
    };
    let mut ana = guest("ana", key);
    ana.joined_at = Some("192.168.1.20:2222".parse().unwrap());
    let refusal = prepare(&config, &ana).err().unwrap().to_string();
    assert!(
        refusal.ends_with("connect again with another name: ssh -p 2222 NAME@192.168.1.20"),
        "{refusal}"
    );
    assert!(refusal.contains("`party␛]2;pwned␇`"), "{refusal}");
}

#[test]
fn keyed_guests_lock_their_profile_and_keyless_ones_save_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = GenerateOptions {
        seed: 5,
        models: 12,
        celebrities: 4,
    };
    generate_pack(&tmp.path().join("pack"), &opts).unwrap();
    let pack = Pack::load(&tmp.path().join("pack")).unwrap();
    let config = GameConfig {
        store: ProfileStore::at(&tmp.path().join("profiles")),
        pack: Arc::new(pack),
        reveal_pack: None,
        no_crowd: false,
        max_players: 32,
    };
    let key = Identity::Key {
        fingerprint: "SHA256:x".into(),
    };
    let ana = prepare(&config, &guest("ana", key.clone())).unwrap();
    assert!(ana.lock.is_some() && ana.store.is_some() && !ana.app.read_only);
    // The same profile in a second session (or `mytype play`) waits.
    let again = prepare(&config, &guest("ana", key.clone())).err();
    assert!(
        matches!(again, Some(PrepareError::Locked { .. })),
        "{again:?}"
    );
    // The refusal says the command that joins again.
    let mut at_party = guest("ana", key.clone());
    at_party.joined_at = Some("192.168.1.20:2222".parse().unwrap());
    let refusal = prepare(&config, &at_party).err().unwrap().to_string();
    assert!(
        refusal.ends_with("close it, then join again: ssh -p 2222 ana@192.168.1.20"),
        "{refusal}"
    );
    drop(ana);
    assert!(prepare(&config, &guest("ana", key)).is_ok());
    // Keyless: nothing locked, nothing ever saved, and the guest is told.
    let bo = prepare(&config, &guest("bo", Identity::Keyless)).unwrap();
    assert!(bo.lock.is_none() && bo.store.is_none() && bo.app.read_only);
    let status = bo.app.status.as_ref().map(|s| s.text.as_str());
    assert_eq!(status, Some(KEYLESS_START));
}
