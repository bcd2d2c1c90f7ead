//! Theme colours and article styles as ratatui styles. With `NO_COLOR`, colours go and
//! bold, italic, underline and reverse stay.

use ratatui::style::{Color, Modifier, Style};

use crate::config::theme::{Colour, Theme};
use crate::text::render;

#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub theme: Theme,
    pub colour: bool,
}

impl Palette {
    pub fn new(theme: Theme, colour: bool) -> Palette {
        Palette { theme, colour }
    }

    /// `NO_COLOR` set to anything non-empty turns colours off (https://no-color.org).
    pub fn from_env(theme: Theme) -> Palette {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Palette::new(theme, !no_color)
    }

    pub fn fg(&self, c: Colour) -> Style {
        if self.colour {
            Style::default().fg(colour(c))
        } else {
            Style::default()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.theme.border_focused)
                .add_modifier(Modifier::BOLD)
        } else {
            self.fg(self.theme.border)
        }
    }

    pub fn dim(&self) -> Style {
        if self.colour {
            self.fg(self.theme.dim)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    /// An article span's look.
    pub fn article(&self, s: &render::Style) -> Style {
        let mut style = Style::default();
        if s.bold || s.heading > 0 {
            style = style.add_modifier(Modifier::BOLD);
        }
        if s.italic {
            style = style.add_modifier(Modifier::ITALIC);
        }
        if s.strike {
            style = style.add_modifier(Modifier::CROSSED_OUT);
        }
        if s.link.is_some() {
            style = style
                .patch(self.fg(self.theme.link))
                .add_modifier(Modifier::UNDERLINED);
        } else if s.heading > 0 {
            style = style.patch(self.fg(self.theme.accent));
        } else if s.code {
            style = style.patch(self.fg(self.theme.code));
        } else if s.quote {
            style = style.patch(self.fg(self.theme.quote));
        }
        if s.dim {
            style = style.patch(self.dim());
        }
        style
    }
}

pub fn colour(c: Colour) -> Color {
    match c {
        Colour::Default => Color::Reset,
        Colour::Ansi(i) => match i {
            0 => Color::Black,
            1 => Color::Red,
            2 => Color::Green,
            3 => Color::Yellow,
            4 => Color::Blue,
            5 => Color::Magenta,
            6 => Color::Cyan,
            7 => Color::Gray,
            8 => Color::DarkGray,
            9 => Color::LightRed,
            10 => Color::LightGreen,
            11 => Color::LightYellow,
            12 => Color::LightBlue,
            13 => Color::LightMagenta,
            14 => Color::LightCyan,
            _ => Color::White,
        },
        Colour::Indexed(i) => Color::Indexed(i),
        Colour::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}
