//! The party board: who is connected, each player's progress, each reveal
//! as it happens, and once two players have revealed, the pairs whose
//! tastes match best and least. All in memory; sessions update it through a
//! [`PartyReporter`], the host's terminal shows it ([`host`]), and it can be
//! saved as one PNG ([`png`]).

pub mod host;
pub mod png;
pub mod screen;
pub mod summary;
pub mod view;

use crate::core::sanitize;
use crate::game::recommend::Recommender;
use crate::pack::Pack;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Events kept for the line log (`mytype serve | tee party.log`).
const EVENTS_KEPT: usize = 1000;

/// A face revealed to a player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reveal {
    pub face_id: String,
    pub face_name: String,
}

/// One player on the board (also after they left: their reveal stays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    pub name: String,
    pub keyless: bool,
    pub connected: bool,
    pub rated: usize,
    pub round: usize,
    pub reveal: Option<Reveal>,
    /// The name of the pick this player saw and that still stands (what
    /// their game would call "my type"): `None` before the reveal, and
    /// again once ratings or undos changed the pick since.
    pub pick: Option<String>,
}

/// Two players and how alike their tastes are (`mytype compare`'s overlap,
/// in [-1, 1]).
#[derive(Debug, Clone, PartialEq)]
pub struct PairMatch {
    pub a: String,
    pub b: String,
    pub overlap: f64,
}

/// Something that happened at the party, for the log.
#[derive(Debug, Clone, PartialEq)]
pub enum PartyEvent {
    Joined {
        name: String,
        keyless: bool,
    },
    Progress {
        name: String,
        rated: usize,
        round: usize,
    },
    Revealed {
        name: String,
        reveal: Reveal,
    },
    Left {
        name: String,
        why: String,
    },
    Matches {
        best: PairMatch,
        least: PairMatch,
    },
    /// For the host only (refusals, problems).
    Note(String),
}

impl std::fmt::Display for PartyEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartyEvent::Joined { name, keyless } => write!(
                f,
                "{name} joined{}",
                if *keyless {
                    " (no key: this session only)"
                } else {
                    ""
                }
            ),
            PartyEvent::Progress { name, rated, round } => {
                write!(f, "{name} rated {rated}/{round}")
            }
            PartyEvent::Revealed { name, reveal } => write!(
                f,
                "{name}'s type is {} ({})",
                reveal.face_name, reveal.face_id
            ),
            PartyEvent::Left { name, why } if why.is_empty() => write!(f, "{name} left"),
            PartyEvent::Left { name, why } => write!(f, "{name} left ({why})"),
            PartyEvent::Note(text) => write!(f, "{text}"),
            PartyEvent::Matches { best, least } => write!(
                f,
                "best match {} & {} ({:+.2}), least {} & {} ({:+.2})",
                best.a, best.b, best.overlap, least.a, least.b, least.overlap
            ),
        }
    }
}

/// What the board knows.
#[derive(Default)]
pub struct PartyState {
    players: Vec<Player>,
    tastes: HashMap<String, Arc<Recommender>>,
    overlaps: BTreeMap<(String, String), f64>,
    events: VecDeque<(u64, PartyEvent)>,
    seq: u64,
}

impl PartyState {
    pub fn players(&self) -> &[Player] {
        &self.players
    }

    pub fn connected(&self) -> usize {
        self.players.iter().filter(|p| p.connected).count()
    }

    /// A number that changes whenever anything on the board does.
    pub fn version(&self) -> u64 {
        self.seq
    }

    fn player(&mut self, name: &str) -> &mut Player {
        if let Some(i) = self.players.iter().position(|p| p.name == name) {
            return &mut self.players[i];
        }
        self.players.push(Player {
            name: name.to_string(),
            keyless: false,
            connected: false,
            rated: 0,
            round: 0,
            reveal: None,
            pick: None,
        });
        self.players.last_mut().expect("just pushed")
    }

    fn log(&mut self, event: PartyEvent) {
        self.seq += 1;
        self.events.push_back((self.seq, event));
        while self.events.len() > EVENTS_KEPT {
            self.events.pop_front();
        }
    }

    pub fn joined(&mut self, name: &str, keyless: bool) {
        let p = self.player(name);
        p.connected = true;
        p.keyless = keyless;
        self.log(PartyEvent::Joined {
            name: name.to_string(),
            keyless,
        });
    }

    pub fn progress(&mut self, name: &str, rated: usize, round: usize) {
        let p = self.player(name);
        if (p.rated, p.round) == (rated, round) {
            return;
        }
        p.rated = rated;
        p.round = round;
        self.log(PartyEvent::Progress {
            name: name.to_string(),
            rated,
            round,
        });
    }

    /// The pick `name` saw that still stands, if any (no log line: the
    /// reveal has its own).
    pub fn standing(&mut self, name: &str, pick: Option<String>) {
        let p = self.player(name);
        if p.pick != pick {
            p.pick = pick;
            self.seq += 1;
        }
    }

    /// A line for the host's log.
    pub fn note(&mut self, text: String) {
        self.log(PartyEvent::Note(text));
    }

    /// The latest note, for the board's status line.
    pub fn last_note(&self) -> Option<&str> {
        self.events.iter().rev().find_map(|(_, e)| match e {
            PartyEvent::Note(t) => Some(t.as_str()),
            _ => None,
        })
    }

    pub fn left(&mut self, name: &str, why: &str) {
        let p = self.player(name);
        if !p.connected {
            return;
        }
        p.connected = false;
        self.log(PartyEvent::Left {
            name: name.to_string(),
            why: why.to_string(),
        });
    }

    /// Records a reveal, and the overlaps of this player's taste with every
    /// other revealed player's (`overlaps`: other player → overlap).
    pub fn revealed(&mut self, name: &str, reveal: Reveal, overlaps: &[(String, f64)]) {
        self.player(name).reveal = Some(reveal.clone());
        self.log(PartyEvent::Revealed {
            name: name.to_string(),
            reveal,
        });
        for (other, overlap) in overlaps {
            if other != name {
                self.overlaps.insert(pair_key(name, other), *overlap);
            }
        }
        if let Some((best, least)) = self.matches() {
            self.log(PartyEvent::Matches { best, least });
        }
    }

    /// The best and the least matching pairs, once two or more revealed
    /// players have been compared. Ties go to the alphabetically first pair.
    pub fn matches(&self) -> Option<(PairMatch, PairMatch)> {
        let revealed = |n: &str| {
            self.players
                .iter()
                .any(|p| p.name == n && p.reveal.is_some())
        };
        let pairs: Vec<PairMatch> = self
            .overlaps
            .iter()
            .filter(|((a, b), o)| o.is_finite() && revealed(a) && revealed(b))
            .map(|((a, b), o)| PairMatch {
                a: a.clone(),
                b: b.clone(),
                overlap: *o,
            })
            .collect();
        let best = pairs
            .iter()
            .fold(None::<&PairMatch>, |m, p| match m {
                Some(m) if m.overlap >= p.overlap => Some(m),
                _ => Some(p),
            })?
            .clone();
        let least = pairs
            .iter()
            .fold(None::<&PairMatch>, |m, p| match m {
                Some(m) if m.overlap <= p.overlap => Some(m),
                _ => Some(p),
            })?
            .clone();
        Some((best, least))
    }

    /// Events after `seq`, oldest first (at most the last `EVENTS_KEPT`).
    pub fn events_since(&self, seq: u64) -> Vec<(u64, PartyEvent)> {
        self.events
            .iter()
            .filter(|(n, _)| *n > seq)
            .cloned()
            .collect()
    }
}

fn pair_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Plain words for an overlap, as `mytype compare` says them.
pub fn verdict(overlap: f64) -> &'static str {
    crate::game::compare::Verdict::of(overlap).words()
}

struct Shared {
    state: Mutex<PartyState>,
    changed: Condvar,
    /// Serialises reveals, so two at once still compare with each other.
    reveals: Mutex<()>,
    /// The rated pack, whose faces `compare` scores.
    pack: Option<Arc<Pack>>,
}

/// The board, shared by the server, the sessions and the host's screen.
#[derive(Clone)]
pub struct PartyBoard {
    shared: Arc<Shared>,
}

impl PartyBoard {
    /// A board comparing tastes over `pack`'s faces (none: no matches).
    pub fn new(pack: Option<Arc<Pack>>) -> PartyBoard {
        PartyBoard {
            shared: Arc::new(Shared {
                state: Mutex::new(PartyState::default()),
                changed: Condvar::new(),
                reveals: Mutex::new(()),
                pack,
            }),
        }
    }

    /// The state, locked. A panic elsewhere while it was held (a guest's
    /// game crashing) does not take the board down.
    pub fn lock(&self) -> MutexGuard<'_, PartyState> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Changes the state and wakes whoever waits for changes.
    pub fn update(&self, change: impl FnOnce(&mut PartyState)) {
        change(&mut self.lock());
        self.shared.changed.notify_all();
    }

    /// Waits until the board's version differs from `seen`, at most `timeout`.
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.lock();
        let (guard, _) = self
            .shared
            .changed
            .wait_timeout_while(guard, timeout, |s| s.version() == seen)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.version()
    }

    /// The handle a guest's session reports through.
    pub fn reporter(&self, name: &str) -> PartyReporter {
        PartyReporter {
            board: Some(self.clone()),
            name: name.to_string(),
        }
    }

    fn reveal(&self, name: &str, reveal: Reveal, taste: Option<Arc<Recommender>>) {
        let _one_at_a_time = self
            .shared
            .reveals
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut overlaps = Vec::new();
        if let (Some(taste), Some(pack)) = (&taste, &self.shared.pack) {
            // Compared outside the state's lock: the screen keeps drawing.
            let others: Vec<(String, Arc<Recommender>)> = self
                .lock()
                .tastes
                .iter()
                .filter(|(n, _)| n.as_str() != name)
                .map(|(n, t)| (n.clone(), t.clone()))
                .collect();
            for (other, theirs) in others {
                let cmp = crate::game::compare::compare(taste, &theirs, pack);
                overlaps.push((other, cmp.overlap));
            }
        }
        self.update(|s| {
            match taste {
                Some(t) => {
                    s.tastes.insert(name.to_string(), t);
                }
                None => {
                    s.tastes.remove(name);
                }
            }
            s.revealed(name, reveal, &overlaps);
        });
    }
}

/// A guest session's way to tell the board how it is going. Cheap to
/// clone; reports are never blocked by the guest's connection.
#[derive(Clone)]
pub struct PartyReporter {
    board: Option<PartyBoard>,
    name: String,
}

impl PartyReporter {
    /// A reporter attached to no board (tests, a game run alone).
    pub fn detached(name: &str) -> PartyReporter {
        PartyReporter {
            board: None,
            name: name.to_string(),
        }
    }

    /// The board this reporter tells (`None`: detached).
    pub fn board(&self) -> Option<&PartyBoard> {
        self.board.as_ref()
    }

    /// `rated` of `round` faces rated so far (e.g. 12 of 50).
    pub fn progress(&self, rated: usize, round: usize) {
        if let Some(b) = &self.board {
            b.update(|s| s.progress(&self.name, rated, round));
        }
    }

    /// The pick the guest saw that still stands (`None`: none, or not any
    /// more), as their game would name it in "my type is".
    pub fn standing(&self, pick: Option<&str>) {
        if let Some(b) = &self.board {
            // The pack's text: inert.
            let pick = pick.map(|p| sanitize::one_line(p).into_owned());
            b.update(|s| s.standing(&self.name, pick));
        }
    }

    /// The reveal: the face and, to find who matches whom, the player's
    /// learnt taste (`None` leaves them out of the matches).
    pub fn revealed(&self, face_id: &str, face_name: &str, taste: Option<Arc<Recommender>>) {
        if let Some(b) = &self.board {
            // The pack's text, drawn on the host's terminal and every
            // guest's board: inert.
            let reveal = Reveal {
                face_id: sanitize::one_line(face_id).into_owned(),
                face_name: sanitize::one_line(face_name).into_owned(),
            };
            b.reveal(&self.name, reveal, taste);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reveal(id: &str) -> Reveal {
        Reveal {
            face_id: id.into(),
            face_name: format!("Face {id}"),
        }
    }

    #[test]
    fn players_join_progress_and_leave() {
        let mut s = PartyState::default();
        s.joined("ana", false);
        s.joined("bo", true);
        s.progress("ana", 3, 50);
        s.progress("ana", 3, 50); // no change, no event
        s.left("bo", "connection lost");
        s.left("bo", "again"); // already gone
        assert_eq!(s.connected(), 1);
        let ana = &s.players()[0];
        assert_eq!((ana.rated, ana.round, ana.connected), (3, 50, true));
        assert!(s.players()[1].keyless && !s.players()[1].connected);
        let log: Vec<String> = s
            .events_since(0)
            .iter()
            .map(|(_, e)| e.to_string())
            .collect();
        assert_eq!(
            log,
            [
                "ana joined",
                "bo joined (no key: this session only)",
                "ana rated 3/50",
                "bo left (connection lost)"
            ]
        );
        // A returning player is the same entry.
        s.joined("bo", false);
        assert_eq!(s.players().len(), 2);
        assert_eq!(s.connected(), 2);
        assert_eq!(s.events_since(4).len(), 1);
    }

    #[test]
    fn matches_need_two_revealed_players() {
        let mut s = PartyState::default();
        for n in ["ana", "bo", "cy"] {
            s.joined(n, false);
        }
        s.revealed("ana", reveal("c1"), &[]);
        assert!(s.matches().is_none());
        s.revealed("bo", reveal("c2"), &[("ana".into(), 0.4)]);
        let (best, least) = s.matches().unwrap();
        assert_eq!((best.a.as_str(), best.b.as_str()), ("ana", "bo"));
        assert_eq!(best, least);
        s.revealed(
            "cy",
            reveal("c3"),
            &[("ana".into(), 0.9), ("bo".into(), -0.5)],
        );
        let (best, least) = s.matches().unwrap();
        assert_eq!(
            (best.a.as_str(), best.b.as_str(), best.overlap),
            ("ana", "cy", 0.9)
        );
        assert_eq!(
            (least.a.as_str(), least.b.as_str(), least.overlap),
            ("bo", "cy", -0.5)
        );
        let last = s.events_since(0).pop().unwrap().1.to_string();
        assert_eq!(last, "best match ana & cy (+0.90), least bo & cy (-0.50)");
    }

    #[test]
    fn the_board_wakes_waiters_and_reporters_update_it() {
        let board = PartyBoard::new(None);
        let seen = board.lock().version();
        let b2 = board.clone();
        let t = std::thread::spawn(move || b2.wait_change(seen, Duration::from_secs(10)));
        board.update(|s| s.joined("ana", false));
        assert!(t.join().unwrap() > seen);
        let r = board.reporter("ana");
        r.progress(7, 50);
        r.revealed("c1", "Face c1", None);
        let s = board.lock();
        assert_eq!(s.players()[0].rated, 7);
        assert_eq!(s.players()[0].reveal, Some(reveal("c1")));
        // A detached reporter goes nowhere and does not fail.
        PartyReporter::detached("x").progress(1, 50);
    }

    #[test]
    fn real_tastes_are_compared() {
        use crate::core::rating::Rating;
        use crate::pack::generate::{generate_pack, GenerateOptions};
        use crate::profile::Profile;
        let tmp = tempfile::tempdir().unwrap();
        let opts = GenerateOptions {
            seed: 3,
            models: 12,
            celebrities: 4,
        };
        generate_pack(tmp.path(), &opts).unwrap();
        let pack = Pack::load(tmp.path()).unwrap();
        let taste = |flip: bool| {
            let mut p = Profile::new("x", &pack);
            for (i, f) in pack
                .faces()
                .iter()
                .filter(|f| f.role.is_rated())
                .enumerate()
            {
                let like = (i % 2 == 0) != flip;
                p.push(&f.id, if like { Rating::Type } else { Rating::VeryWeak });
            }
            Arc::new(Recommender::from_profile(&pack, None, &p).unwrap())
        };
        let board = PartyBoard::new(Some(Arc::new(pack.clone())));
        for (name, flip) in [("ana", false), ("bo", false), ("cy", true)] {
            board.update(|s| s.joined(name, false));
            board
                .reporter(name)
                .revealed("c1", "Face c1", Some(taste(flip)));
        }
        let (best, least) = board.lock().matches().unwrap();
        assert_eq!((best.a.as_str(), best.b.as_str()), ("ana", "bo"));
        assert!(best.overlap > 0.99, "{best:?}");
        assert!(least.b == "cy" && least.overlap < best.overlap, "{least:?}");
    }

    #[test]
    fn a_pack_s_face_name_reaches_the_board_inert() {
        let board = PartyBoard::new(None);
        board.update(|s| s.joined("ana", false));
        board
            .reporter("ana")
            .revealed("c\u{9b}1", "Nova\u{1b}]2;pwned\u{7}\u{202e}", None);
        let state = board.lock();
        let shown = &state.players()[0].reveal.as_ref().unwrap().face_name;
        assert_eq!(shown, "Nova␛]2;pwned␇\u{fffd}");
        let events: Vec<String> = state
            .events_since(0)
            .iter()
            .map(|(_, e)| e.to_string())
            .collect();
        let line = events.iter().find(|e| e.contains("'s type is")).unwrap();
        assert!(sanitize::is_inert(line.as_bytes(), false), "{line:?}");
    }
}
