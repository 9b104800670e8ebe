//! The party board as a screen: how to join, the players and their
//! progress, the reveals, the best and least matching pairs.

use super::{verdict, PartyState};
use crate::core::sanitize;
use crate::ui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// What the board shows besides the party itself.
pub struct BoardInfo {
    pub join: Vec<String>,
    pub fingerprint: String,
    pub max_players: usize,
    /// A line for the host (saved PNG, "press q again", …).
    pub status: Option<String>,
}

/// The keys of the host's board.
pub const HINTS: &str = "s save PNG · q quit";

/// The host's board.
pub fn render(f: &mut Frame, state: &PartyState, info: &BoardInfo, theme: Theme) {
    render_with(f, state, info, theme, HINTS)
}

/// The board with `hints` (its keys) on the bottom border: the host's, or
/// a guest's read-only view of it.
pub fn render_with(f: &mut Frame, state: &PartyState, info: &BoardInfo, theme: Theme, hints: &str) {
    let area = f.area();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(" mytype party ", theme.title()))
        .title_bottom(Span::styled(format!(" {hints} "), theme.dim()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let rows = Layout::vertical([
        Constraint::Length(join_height(info)),
        Constraint::Min(3),
        Constraint::Length(4),
        Constraint::Length(1),
    ])
    .split(inner);
    render_join(f, rows[0], info, theme);
    render_players(f, rows[1], state, info, theme);
    render_matches(f, rows[2], state, theme);
    // Notes quote what guests sent and packs hold: inert on the host's
    // terminal (its back-end draws whatever it is given).
    let status = info
        .status
        .as_deref()
        .or_else(|| state.last_note())
        .map(|s| sanitize::one_line(s).into_owned())
        .unwrap_or_default();
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(status, theme.info()))),
        rows[3],
    );
}

fn join_height(info: &BoardInfo) -> u16 {
    // The commands (at most 3 shown), the fingerprint, a blank line.
    info.join.len().min(3) as u16 + u16::from(!info.fingerprint.is_empty()) + 1
}

fn render_join(f: &mut Frame, area: Rect, info: &BoardInfo, theme: Theme) {
    let mut lines: Vec<Line> = info
        .join
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, cmd)| {
            Line::from(vec![
                Span::raw(if i == 0 { "Join: " } else { "      " }),
                Span::styled(cmd.clone(), theme.accent()),
            ])
        })
        .collect();
    if !info.fingerprint.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("Host key {}", info.fingerprint),
            theme.dim(),
        )));
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn render_players(f: &mut Frame, area: Rect, state: &PartyState, info: &BoardInfo, theme: Theme) {
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "Players: {} of {} connected",
            state.connected(),
            info.max_players
        ),
        theme.headline(),
    ))];
    if state.players().is_empty() {
        lines.push(Line::from(Span::styled(
            "  Nobody yet: read out the join command.",
            theme.dim(),
        )));
    }
    let width = state
        .players()
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, 20);
    let bar = 20usize;
    let room = area.height.saturating_sub(1) as usize;
    let players = state.players();
    let hidden = players.len().saturating_sub(room);
    for p in players.iter().skip(hidden) {
        let name: String = p.name.chars().take(width).collect();
        let filled = (p.rated.min(p.round) * bar)
            .checked_div(p.round)
            .unwrap_or(0);
        let mut spans = vec![
            Span::raw(format!("  {name:<width$} ")),
            Span::styled("█".repeat(filled), theme.gauge()),
            Span::styled("░".repeat(bar - filled), theme.dim()),
            Span::raw(format!(" {:>2}/{:<2}", p.rated, p.round)),
        ];
        // "my type" only while the pick the guest saw still stands, as
        // their own game says it; a pick changed since stays visible, dimmed.
        match (&p.pick, &p.reveal) {
            (Some(pick), _) => {
                spans.push(Span::styled(format!("  my type: {pick}"), theme.accent()))
            }
            (None, Some(r)) => spans.push(Span::styled(
                format!("  earlier pick: {}", r.face_name),
                theme.dim(),
            )),
            (None, None) if !p.connected => spans.push(Span::styled("  (left)", theme.dim())),
            (None, None) => {}
        }
        if p.keyless {
            spans.push(Span::styled("  no key", theme.dim()));
        }
        lines.push(Line::from(spans));
    }
    if hidden > 0 {
        lines[0]
            .spans
            .push(Span::styled(format!(" ({hidden} more above)"), theme.dim()));
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn render_matches(f: &mut Frame, area: Rect, state: &PartyState, theme: Theme) {
    let mut lines = vec![Line::from(Span::styled("Matches", theme.headline()))];
    match state.matches() {
        None => lines.push(Line::from(Span::styled(
            "  Once two players have seen their type: who matches best and least.",
            theme.dim(),
        ))),
        Some((best, least)) => {
            lines.push(Line::from(format!(
                "  Best:  {} & {}  {:+.2}  {}",
                best.a,
                best.b,
                best.overlap,
                verdict(best.overlap)
            )));
            if best != least {
                lines.push(Line::from(format!(
                    "  Least: {} & {}  {:+.2}  {}",
                    least.a,
                    least.b,
                    least.overlap,
                    verdict(least.overlap)
                )));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::super::Reveal;
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn info() -> BoardInfo {
        BoardInfo {
            join: vec!["ssh -p 2222 NAME@192.168.1.20".into()],
            fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG".into(),
            max_players: 32,
            status: None,
        }
    }

    fn screen(state: &PartyState, info: &BoardInfo) -> String {
        let mut term = Terminal::new(TestBackend::new(80, 20)).unwrap();
        term.draw(|f| render(f, state, info, Theme::plain()))
            .unwrap();
        let buf = term.backend().buffer().clone();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn empty_board() {
        insta::assert_snapshot!(screen(&PartyState::default(), &info()));
    }

    #[test]
    fn a_party_in_full_swing() {
        let mut s = PartyState::default();
        for (n, keyless) in [("ana", false), ("bo", false), ("cy", true), ("dee", false)] {
            s.joined(n, keyless);
        }
        s.progress("ana", 50, 50);
        s.progress("bo", 50, 50);
        s.progress("cy", 12, 50);
        s.progress("dee", 31, 50);
        s.revealed(
            "ana",
            Reveal {
                face_id: "c004".into(),
                face_name: "Nova Reyes".into(),
            },
            &[],
        );
        s.revealed(
            "bo",
            Reveal {
                face_id: "c002".into(),
                face_name: "Kai Moreau".into(),
            },
            &[("ana".into(), 0.71)],
        );
        s.standing("ana", Some("Nova Reyes".into()));
        s.standing("bo", Some("Kai Moreau".into()));
        s.progress("dee", 40, 50);
        s.left("dee", "connection lost");
        s.note("refused \"x y\" from 10.0.0.9: bad name".into());
        insta::assert_snapshot!(screen(&s, &info()));
    }

    #[test]
    fn my_type_only_while_the_pick_seen_still_stands() {
        let mut s = PartyState::default();
        s.joined("ana", false);
        s.progress("ana", 12, 50);
        let nova = Reveal {
            face_id: "c004".into(),
            face_name: "Nova Reyes".into(),
        };
        s.revealed("ana", nova, &[]);
        s.standing("ana", Some("Nova Reyes".into()));
        assert!(screen(&s, &info()).contains("my type: Nova Reyes"));
        // An undo below the minimum, or ratings that changed the pick.
        s.standing("ana", None);
        let board = screen(&s, &info());
        assert!(!board.contains("my type"), "{board}");
        assert!(board.contains("earlier pick: Nova Reyes"), "{board}");
    }
}
