//! The end of a party (`mytype serve`), with the host's live board in a
//! terminal of its own (tmux) and guests joined with the real OpenSSH
//! client: the host's `q q` tells guests still playing that the party is
//! over and what was saved, and leaves the party's summary in the host's
//! scrollback, with a replay command that works as printed.

use crate::e2e_support::*;
use crate::serve_e2e::{assert_parting, free_port, levels, need_tools, Party};

#[test]
fn the_host_ends_the_party_guests_are_told_and_the_host_keeps_a_summary() {
    let test = "the_host_ends_the_party_guests_are_told_and_the_host_keeps_a_summary";
    if !need_tools(test) {
        return;
    }
    let party = Party::new();
    let port = free_port();
    let profiles = party.path("profiles");
    let tmux = Tmux::new();
    party.start(&tmux, port, "", &["ana", "bo"]);
    for (i, key) in ["2", "4"].iter().enumerate() {
        tmux.keys("ana", &[key]);
        tmux.wait_for("ana", &format!("{} / 50 rated", i + 1), false);
    }
    tmux.wait_for("host", " 2/50", false);

    // The host ends the party while both still play.
    tmux.keys("host", &["q"]);
    tmux.wait_for("host", "2 players will be disconnected", false);
    tmux.keys("host", &["q"]);

    // Each guest: their terminal back, why it ended, what was saved and
    // the command that comes back.
    let back = |name: &str, saved: &str| {
        format!("{saved} for profile {name}; run `ssh -p {port} {name}@127.0.0.1` to")
    };
    assert_parting(
        &tmux,
        "ana",
        &[
            "The host ended the party. Thanks for playing!",
            &back("ana", "Saved 2 of 50 ratings"),
        ],
    );
    assert_parting(
        &tmux,
        "bo",
        &[
            "The host ended the party. Thanks for playing!",
            &back("bo", "No ratings yet"),
        ],
    );
    assert_eq!(levels(&party, "ana"), vec![2, 4]);

    // The host: the main screen back, the summary in the scrollback.
    assert_eq!(tmux.exit_code("host"), 0);
    assert_eq!(tmux.format("host", "alternate_on"), "0");
    let host = tmux.scrollback_joined("host");
    let summary = host
        .split("mytype serve: the party is over after ")
        .nth(1)
        .unwrap_or_else(|| panic!("no summary on the host's terminal:\n{host}"));
    assert!(summary.contains("; 2 guests joined:\n"), "{host}");
    assert!(
        summary.contains("\n  ana  2 faces rated, no pick yet (a pick needs 10 ratings)\n"),
        "{host}"
    );
    assert!(summary.contains("\n  bo   nothing rated\n"), "{host}");
    let replay = summary
        .lines()
        .find_map(|l| l.split("; to replay one: ").nth(1))
        .unwrap_or_else(|| panic!("no replay command:\n{host}"));
    assert_eq!(
        replay.trim_end(),
        format!("{} --profiles-dir {} replay ana", BIN, profiles.display())
    );

    // The command works as printed.
    tmux.start("replay", replay.trim_end());
    tmux.wait_for("replay", mytype::ui::strings::REPLAY_TITLE, false);
    tmux.keys("replay", &["q"]);
    assert_eq!(tmux.exit_code("replay"), 0);
}
