//! Slots: connections still logging in (per address and in all), players
//! in the game (by name), and the checks on what a client says about its
//! terminal. Slots are tickets released on drop, so no path can leak one.

use super::identity::Refusal;
use super::limits::{ENV_VALUE_MAX, MAX_COLS, MAX_ROWS, PENDING_HANDSHAKES, PENDING_PER_ADDRESS};
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Slots {
    pending: usize,
    pending_by_address: HashMap<IpAddr, usize>,
    players: HashSet<String>,
}

/// The server's slots.
#[derive(Clone)]
pub struct Admission {
    slots: Arc<Mutex<Slots>>,
    max_players: usize,
}

/// A connection logging in; frees its slot when dropped.
pub struct PendingTicket {
    slots: Arc<Mutex<Slots>>,
    address: IpAddr,
}

/// A player in the game under a name; frees it when dropped.
pub struct PlayerTicket {
    slots: Arc<Mutex<Slots>>,
    name: String,
}

impl PlayerTicket {
    pub fn name(&self) -> &str {
        &self.name
    }
}

fn lock(slots: &Mutex<Slots>) -> std::sync::MutexGuard<'_, Slots> {
    slots.lock().unwrap_or_else(|p| p.into_inner())
}

impl Admission {
    pub fn new(max_players: usize) -> Admission {
        Admission {
            slots: Arc::default(),
            max_players,
        }
    }

    pub fn max_players(&self) -> usize {
        self.max_players
    }

    /// A slot to log in from `address`, or `None` when too many are already
    /// logging in (in all, or from that address).
    pub fn try_pending(&self, address: IpAddr) -> Option<PendingTicket> {
        let mut s = lock(&self.slots);
        let from_here = s.pending_by_address.get(&address).copied().unwrap_or(0);
        if s.pending >= PENDING_HANDSHAKES || from_here >= PENDING_PER_ADDRESS {
            return None;
        }
        s.pending += 1;
        *s.pending_by_address.entry(address).or_insert(0) += 1;
        Some(PendingTicket {
            slots: self.slots.clone(),
            address,
        })
    }

    /// A player slot for `name`: refused when the party is full or the name
    /// is playing already.
    pub fn try_player(&self, name: &str) -> Result<PlayerTicket, Refusal> {
        let mut s = lock(&self.slots);
        if s.players.contains(name) {
            return Err(Refusal::AlreadyPlaying {
                name: name.to_string(),
            });
        }
        if s.players.len() >= self.max_players {
            return Err(Refusal::Full {
                max: self.max_players,
            });
        }
        s.players.insert(name.to_string());
        Ok(PlayerTicket {
            slots: self.slots.clone(),
            name: name.to_string(),
        })
    }

    /// Players in the game now.
    pub fn players(&self) -> usize {
        lock(&self.slots).players.len()
    }

    /// Connections logging in now.
    pub fn pending(&self) -> usize {
        lock(&self.slots).pending
    }
}

impl Drop for PendingTicket {
    fn drop(&mut self) {
        let mut s = lock(&self.slots);
        s.pending = s.pending.saturating_sub(1);
        if let Some(n) = s.pending_by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                s.pending_by_address.remove(&self.address);
            }
        }
    }
}

impl Drop for PlayerTicket {
    fn drop(&mut self) {
        lock(&self.slots).players.remove(&self.name);
    }
}

/// A `TERM`, `COLORTERM` or `LANG` value the game may use: short, and only
/// characters those values are made of (no escapes, spaces or quotes).
pub fn valid_env_value(name: &str, value: &str) -> bool {
    if value.is_empty() || value.len() > ENV_VALUE_MAX {
        return false;
    }
    let allowed = |c: char| match name {
        "LANG" => c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'),
        _ => c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+'),
    };
    value.chars().all(allowed)
}

/// The environment variables a guest may set.
pub const ALLOWED_ENV: [&str; 3] = ["TERM", "COLORTERM", "LANG"];

/// A terminal size from the client, clamped to what the game will draw.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let c = cols.clamp(1, u32::from(MAX_COLS)) as u16;
    let r = rows.clamp(1, u32::from(MAX_ROWS)) as u16;
    (c, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_slots_are_capped_in_all_and_per_address() {
        let a = Admission::new(2);
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let mut held: Vec<PendingTicket> = (0..PENDING_PER_ADDRESS)
            .map(|_| a.try_pending(one).unwrap())
            .collect();
        assert!(a.try_pending(one).is_none(), "one address is capped");
        for i in 0..(PENDING_HANDSHAKES - PENDING_PER_ADDRESS) {
            held.push(
                a.try_pending(format!("10.0.1.{i}").parse().unwrap())
                    .unwrap(),
            );
        }
        assert!(a.try_pending("10.9.9.9".parse().unwrap()).is_none());
        held.clear();
        assert_eq!(a.pending(), 0);
        assert!(a.try_pending(one).is_some());
    }

    #[test]
    fn players_are_capped_and_names_unique() {
        let a = Admission::new(2);
        let ana = a.try_player("ana").unwrap();
        assert_eq!(
            a.try_player("ana").err(),
            Some(Refusal::AlreadyPlaying { name: "ana".into() })
        );
        let _bo = a.try_player("bo").unwrap();
        assert_eq!(a.try_player("cy").err(), Some(Refusal::Full { max: 2 }));
        drop(ana);
        assert!(a.try_player("cy").is_ok());
    }

    #[test]
    fn env_values_and_sizes_are_checked() {
        assert!(valid_env_value("TERM", "xterm-256color"));
        assert!(valid_env_value("TERM", "rxvt-unicode+x"));
        assert!(valid_env_value("COLORTERM", "truecolor"));
        assert!(valid_env_value("LANG", "de_DE.UTF-8@euro"));
        for bad in ["", "xterm\u{1b}]0;x", "a b", "x'y", &"x".repeat(65)] {
            assert!(!valid_env_value("TERM", bad), "{bad:?}");
        }
        assert_eq!(clamp_size(80, 24), (80, 24));
        assert_eq!(clamp_size(0, 0), (1, 1));
        assert_eq!(clamp_size(u32::MAX, 70_000), (MAX_COLS, MAX_ROWS));
    }
}
