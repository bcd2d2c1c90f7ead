//! Colours by role, overridable in the config's `[theme]` table.
//!
//! The defaults use the terminal's own foreground and background and the 16 ANSI colours,
//! which every terminal palette adapts to dark and light backgrounds; the selection is
//! reversed video rather than a fixed background.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The terminal's default.
    Default,
    /// One of the 16 ANSI colours (0-15).
    Ansi(u8),
    /// 256-colour palette entry.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

const NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "dark-gray",
    "light-red",
    "light-green",
    "light-yellow",
    "light-blue",
    "light-magenta",
    "light-cyan",
    "white",
];

impl FromStr for Colour {
    type Err = String;
    fn from_str(s: &str) -> Result<Colour, String> {
        let v = s.trim().to_ascii_lowercase().replace('_', "-");
        if v == "default" || v == "reset" || v == "none" {
            return Ok(Colour::Default);
        }
        if let Some(i) = NAMES.iter().position(|n| *n == v) {
            return Ok(Colour::Ansi(i as u8));
        }
        if v == "grey" {
            return Ok(Colour::Ansi(7));
        }
        if let Some(hex) = v.strip_prefix('#')
            && hex.len() == 6
            && let Ok(n) = u32::from_str_radix(hex, 16)
        {
            return Ok(Colour::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
        }
        if let Ok(n) = v.parse::<u8>() {
            return Ok(Colour::Indexed(n));
        }
        Err(format!(
            "unknown colour `{s}` (use a name such as \"blue\" or \"light-red\", \"default\", \"#rrggbb\", or 0-255)"
        ))
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Colour::Default => f.write_str("default"),
            Colour::Ansi(i) => f.write_str(NAMES[usize::from(*i).min(15)]),
            Colour::Indexed(i) => write!(f, "{i}"),
            Colour::Rgb(r, g, b) => write!(f, "#{r:02x}{g:02x}{b:02x}"),
        }
    }
}

/// Colours by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Pane borders, and the focused pane's border.
    pub border: Colour,
    pub border_focused: Colour,
    /// Titles and headings.
    pub accent: Colour,
    pub link: Colour,
    /// Secondary text: dates, feed names, link numbers.
    pub dim: Colour,
    pub unread: Colour,
    pub starred: Colour,
    pub error: Colour,
    /// Code and preformatted text.
    pub code: Colour,
    pub quote: Colour,
    pub status_bar: Colour,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            border: Colour::Ansi(8),
            border_focused: Colour::Ansi(4),
            accent: Colour::Ansi(5),
            link: Colour::Ansi(4),
            dim: Colour::Ansi(8),
            unread: Colour::Default,
            starred: Colour::Ansi(3),
            error: Colour::Ansi(1),
            code: Colour::Ansi(6),
            quote: Colour::Ansi(2),
            status_bar: Colour::Ansi(4),
        }
    }
}

impl Theme {
    pub const ROLES: &'static [&'static str] = &[
        "border",
        "border-focused",
        "accent",
        "link",
        "dim",
        "unread",
        "starred",
        "error",
        "code",
        "quote",
        "status-bar",
    ];

    /// Sets one role; errors name the role or the colour.
    pub fn set(&mut self, role: &str, colour: &str) -> Result<(), String> {
        let c: Colour = colour.parse()?;
        let slot = match role {
            "border" => &mut self.border,
            "border-focused" => &mut self.border_focused,
            "accent" => &mut self.accent,
            "link" => &mut self.link,
            "dim" => &mut self.dim,
            "unread" => &mut self.unread,
            "starred" => &mut self.starred,
            "error" => &mut self.error,
            "code" => &mut self.code,
            "quote" => &mut self.quote,
            "status-bar" => &mut self.status_bar,
            _ => {
                return Err(format!(
                    "unknown theme role `{role}` (roles: {})",
                    Theme::ROLES.join(", ")
                ));
            }
        };
        *slot = c;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_roles() {
        assert_eq!("light-blue".parse::<Colour>(), Ok(Colour::Ansi(12)));
        assert_eq!("#ff8000".parse::<Colour>(), Ok(Colour::Rgb(255, 128, 0)));
        assert_eq!("208".parse::<Colour>(), Ok(Colour::Indexed(208)));
        assert!("blurple".parse::<Colour>().is_err());
        let mut t = Theme::default();
        t.set("link", "cyan").expect("valid");
        assert_eq!(t.link, Colour::Ansi(6));
        assert!(
            t.set("sparkles", "red")
                .unwrap_err()
                .contains("unknown theme role")
        );
        for role in Theme::ROLES {
            t.set(role, "default").expect("every role can be set");
        }
    }
}
