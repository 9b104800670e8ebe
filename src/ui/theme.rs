//! Styles, with colour only when `NO_COLOR` is unset or empty.

use crate::core::rating::Rating;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub fn plain() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn border(&self) -> Style {
        self.dim()
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn headline(&self) -> Style {
        self.fg(Color::LightMagenta)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn info(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn gauge(&self) -> Style {
        self.fg(Color::Magenta)
    }

    /// A rating button; the highlighted one is reversed (works without colour).
    pub fn button(&self, rating: Rating, selected: bool) -> Style {
        let base = self.fg(match rating {
            Rating::Type => Color::LightMagenta,
            Rating::SlightlyLike => Color::Magenta,
            // The default colour: white would vanish on a light background.
            Rating::Normal => Color::Reset,
            Rating::SlightlyWeak => Color::Blue,
            Rating::VeryWeak => Color::DarkGray,
        });
        if selected {
            base.add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            base
        }
    }
}
