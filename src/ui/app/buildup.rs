//! The reveal's build-up: before the pick is shown, a highlight runs down
//! the leading candidates (in alphabetical order, so the list gives nothing
//! away) and their faces flash in turn, slowing down like a wheel of
//! fortune until it lands on the pick. About 1.5 s; any key skips it.
//!
//! Pure state stepped by ticks: the event loop asks how long until the
//! next one ([`Buildup::wait`]) and waits for it with `recv_timeout` (never
//! a sleep), so tests step it frame by frame.

use std::time::Duration;

/// How long each frame stays, in milliseconds: the wheel slows down. The
/// sum, about 1.5 s, is the build-up's length: long enough to feel, short
/// enough not to be a wait (and any key skips it). Thirteen frames: the
/// highlight hops once a frame and lands on the pick after the last, so it
/// starts 13 slots before it, which is never the pick itself in a list of
/// 2 to 5 (13 is prime to each).
const FRAME_MS: [u64; 13] = [60, 60, 65, 70, 75, 85, 95, 105, 120, 140, 165, 200, 250];

/// Frames before the pick is shown.
pub const FRAMES: usize = FRAME_MS.len();

/// The build-up in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buildup {
    /// Frames shown so far (0-based index of the frame on screen).
    frame: usize,
}

impl Buildup {
    pub fn new() -> Buildup {
        Buildup { frame: 0 }
    }

    /// The frame on screen, `0..FRAMES`.
    pub fn frame(&self) -> usize {
        self.frame
    }

    /// How long the frame on screen stays.
    pub fn wait(&self) -> Duration {
        Duration::from_millis(FRAME_MS[self.frame.min(FRAMES - 1)])
    }

    /// The build-up's whole length.
    pub fn length() -> Duration {
        Duration::from_millis(FRAME_MS.iter().sum())
    }

    /// Moves to the next frame; `false` once the last frame has been shown
    /// (time for the pick).
    pub fn tick(&mut self) -> bool {
        self.frame += 1;
        self.frame < FRAMES
    }

    /// The slot (0-based, in the order the candidates are listed) the
    /// highlight is on, among `slots`, when it lands on `pick_slot` one
    /// tick after the last frame: it runs down the list and wraps, so the
    /// pick is never highlighted before the end.
    pub fn highlighted(&self, slots: usize, pick_slot: usize) -> usize {
        if slots == 0 {
            return 0;
        }
        let behind = (FRAMES - self.frame.min(FRAMES)) % slots;
        (pick_slot + slots - behind) % slots
    }

    /// Frames shown and frames in all (for its progress bar).
    pub fn progress(&self) -> (usize, usize) {
        (self.frame + 1, FRAMES)
    }
}

impl Default for Buildup {
    fn default() -> Self {
        Buildup::new()
    }
}

/// The leading candidates in the order the build-up lists them (by name,
/// then id), as indices into `names`, and the slot of the pick (index 0).
pub fn listing(names: &[(&str, &str)]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    let pick_slot = order.iter().position(|&i| i == 0).unwrap_or(0);
    (order, pick_slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_lasts_about_one_and_a_half_seconds_and_slows_down() {
        let total = Buildup::length();
        assert!(
            total >= Duration::from_millis(1000) && total <= Duration::from_millis(2000),
            "{total:?}"
        );
        let mut b = Buildup::new();
        let mut last = Duration::ZERO;
        let mut frames = 1;
        loop {
            assert!(b.wait() >= last, "frame {} is faster", b.frame());
            last = b.wait();
            if !b.tick() {
                break;
            }
            frames += 1;
        }
        assert_eq!(frames, FRAMES);
    }

    #[test]
    fn the_highlight_lands_on_the_pick_only_at_the_end() {
        for slots in 1..=5 {
            for pick in 0..slots {
                let mut b = Buildup::new();
                let mut seen = Vec::new();
                loop {
                    seen.push(b.highlighted(slots, pick));
                    if !b.tick() {
                        break;
                    }
                }
                // Frame by frame it moves one slot down (wrapping)...
                for w in seen.windows(2) {
                    assert_eq!(w[1], (w[0] + 1) % slots, "{seen:?}");
                }
                // ...and its next step is the pick.
                assert_eq!((seen[FRAMES - 1] + 1) % slots, pick, "{seen:?}");
                if slots > 1 {
                    // Neither where it starts nor where it stops tells.
                    assert_ne!(seen[0], pick, "{seen:?}");
                    assert_ne!(seen[FRAMES - 1], pick);
                }
            }
        }
    }

    #[test]
    fn the_listing_is_alphabetical_and_finds_the_pick() {
        let names = [("Zoe", "c1"), ("Ann", "c2"), ("Max", "c3")];
        let (order, pick) = listing(&names);
        assert_eq!(order, vec![1, 2, 0]);
        assert_eq!(pick, 2);
    }
}
