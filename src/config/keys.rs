//! Key bindings as data: actions named in kebab-case, keys written as people write them
//! ("j", "G", "Enter", "S-Tab", "C-d", "PageDown"), defaults, and the config's overrides.
//!
//! This module knows nothing of the terminal library; the TUI maps its key events to [`Key`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// What the user wants. The config names these in kebab-case (`next-unread`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Down,
    Up,
    First,
    Last,
    PageDown,
    PageUp,
    Open,
    NextPane,
    PrevPane,
    PaneLeft,
    PaneRight,
    Back,
    Quit,
    Refresh,
    RefreshFeed,
    NextUnread,
    PrevUnread,
    ToggleRead,
    ToggleStar,
    MarkFeedRead,
    MarkAllRead,
    OpenInBrowser,
    CopyLink,
    Filter,
    Search,
    NextFeed,
    PrevFeed,
    History,
    Help,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::Down,
        Action::Up,
        Action::First,
        Action::Last,
        Action::PageDown,
        Action::PageUp,
        Action::Open,
        Action::NextPane,
        Action::PrevPane,
        Action::PaneLeft,
        Action::PaneRight,
        Action::Back,
        Action::Quit,
        Action::Refresh,
        Action::RefreshFeed,
        Action::NextUnread,
        Action::PrevUnread,
        Action::ToggleRead,
        Action::ToggleStar,
        Action::MarkFeedRead,
        Action::MarkAllRead,
        Action::OpenInBrowser,
        Action::CopyLink,
        Action::Filter,
        Action::Search,
        Action::NextFeed,
        Action::PrevFeed,
        Action::History,
        Action::Help,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Down => "down",
            Action::Up => "up",
            Action::First => "first",
            Action::Last => "last",
            Action::PageDown => "page-down",
            Action::PageUp => "page-up",
            Action::Open => "open",
            Action::NextPane => "next-pane",
            Action::PrevPane => "prev-pane",
            Action::PaneLeft => "pane-left",
            Action::PaneRight => "pane-right",
            Action::Back => "back",
            Action::Quit => "quit",
            Action::Refresh => "refresh",
            Action::RefreshFeed => "refresh-feed",
            Action::NextUnread => "next-unread",
            Action::PrevUnread => "prev-unread",
            Action::ToggleRead => "toggle-read",
            Action::ToggleStar => "toggle-star",
            Action::MarkFeedRead => "mark-feed-read",
            Action::MarkAllRead => "mark-all-read",
            Action::OpenInBrowser => "open-in-browser",
            Action::CopyLink => "copy-link",
            Action::Filter => "filter",
            Action::Search => "search",
            Action::NextFeed => "next-feed",
            Action::PrevFeed => "prev-feed",
            Action::History => "history-back",
            Action::Help => "help",
        }
    }

    /// What the help overlay says it does.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Down => "move down / scroll down",
            Action::Up => "move up / scroll up",
            Action::First => "go to the first item / top",
            Action::Last => "go to the last item / bottom",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Open => "open the selected article",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::PaneLeft => "pane to the left",
            Action::PaneRight => "pane to the right",
            Action::Back => "back (close a pane or overlay; quit from the list)",
            Action::Quit => "quit",
            Action::Refresh => "refresh all feeds (in the background)",
            Action::RefreshFeed => "refresh the selected article's feed",
            Action::NextUnread => "open the next unread article",
            Action::PrevUnread => "open the previous unread article",
            Action::ToggleRead => "mark read / unread",
            Action::ToggleStar => "star / unstar",
            Action::MarkFeedRead => "mark the whole feed read",
            Action::MarkAllRead => "mark every article of every feed read",
            Action::OpenInBrowser => "open in the browser (N then this: open link N)",
            Action::CopyLink => "copy the link (OSC 52)",
            Action::Filter => "filter the list by text",
            Action::Search => "search the whole cache",
            Action::NextFeed => "show the next feed only",
            Action::PrevFeed => "show the previous feed only",
            Action::History => "back along the trail of opened articles",
            Action::Help => "this help",
        }
    }

    /// The keys bound when the config says nothing.
    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::First => &["g", "Home"],
            Action::Last => &["G", "End"],
            Action::PageDown => &["PageDown", "Space", "C-d"],
            Action::PageUp => &["PageUp", "C-u"],
            Action::Open => &["Enter"],
            Action::NextPane => &["Tab"],
            Action::PrevPane => &["S-Tab"],
            Action::PaneLeft => &["h", "Left"],
            Action::PaneRight => &["l", "Right"],
            Action::Back => &["q", "Esc"],
            Action::Quit => &["Q", "C-c"],
            Action::Refresh => &["r"],
            Action::RefreshFeed => &["R"],
            Action::NextUnread => &["n"],
            Action::PrevUnread => &["p"],
            Action::ToggleRead => &["m"],
            Action::ToggleStar => &["s"],
            Action::MarkFeedRead => &["A"],
            Action::MarkAllRead => &["C"],
            Action::OpenInBrowser => &["o"],
            Action::CopyLink => &["y"],
            Action::Filter => &["/"],
            Action::Search => &["S"],
            Action::NextFeed => &["]"],
            Action::PrevFeed => &["["],
            Action::History => &["Backspace", "u"],
            Action::Help => &["?", "F1"],
        }
    }
}

impl FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Action, String> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| format!("unknown action `{s}`"))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A key without modifiers' noise: a character (case is the shift) or a named key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Tab,
    BackTab,
    Esc,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    F(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }
}

impl FromStr for Key {
    type Err = String;
    fn from_str(s: &str) -> Result<Key, String> {
        let unknown = || format!("unknown key `{s}`");
        let mut rest = s;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        // "C-x", "Ctrl-x", "A-x", "Alt-x", "S-Tab" (a lone "-" is the minus key)
        while rest.len() > 2 {
            let Some((m, tail)) = rest.split_once('-') else {
                break;
            };
            match m.to_ascii_lowercase().as_str() {
                "c" | "ctrl" | "control" => ctrl = true,
                "a" | "alt" | "m" | "meta" => alt = true,
                "s" | "shift" => shift = true,
                _ => break,
            }
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "cr" => KeyCode::Enter,
                "tab" if shift => {
                    shift = false;
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "esc" | "escape" => KeyCode::Esc,
                "space" => KeyCode::Char(' '),
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => return Err(unknown()),
                },
                _ => return Err(unknown()),
            },
        };
        if shift {
            // Shift only means something for named keys we know (S-Tab); "S-j" is "J".
            match code {
                KeyCode::Char(c) => {
                    return Ok(Key {
                        code: KeyCode::Char(c.to_ascii_uppercase()),
                        ctrl,
                        alt,
                    });
                }
                _ => {
                    return Err(format!(
                        "unknown key `{s}` (shift works with letters and Tab)"
                    ));
                }
            }
        }
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("A-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
        }
    }
}

/// The bindings in force: each key does one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    by_key: BTreeMap<Key, Action>,
}

impl Default for KeyMap {
    fn default() -> Self {
        let mut by_key = BTreeMap::new();
        for action in Action::ALL {
            for k in action.default_keys() {
                // the defaults are written above and tested: they parse and never collide
                if let Ok(key) = k.parse::<Key>() {
                    by_key.insert(key, *action);
                }
            }
        }
        KeyMap { by_key }
    }
}

impl KeyMap {
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.by_key.get(key).copied()
    }

    /// Keys of an action, in a stable order, for the help overlay.
    pub fn keys_of(&self, action: Action) -> Vec<Key> {
        self.by_key
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// The defaults with `overrides` applied: an action named in the config gets exactly the
    /// keys given there (an empty list unbinds it). Errors start with the action's name,
    /// except a key bound twice, which names both actions.
    pub fn with_overrides(overrides: &[(String, Vec<String>)]) -> Result<KeyMap, String> {
        let mut map = KeyMap::default();
        let mut set_by_config: BTreeMap<Key, Action> = BTreeMap::new();
        for (name, keys) in overrides {
            let action: Action = name.parse().map_err(|e| format!("{name}: {e}"))?;
            map.by_key.retain(|_, a| *a != action);
            for k in keys {
                let key: Key = k.parse().map_err(|e| format!("{name}: {e}"))?;
                if let Some(other) = set_by_config.insert(key, action)
                    && other != action
                {
                    return Err(format!(
                        "key `{k}` is bound twice: to `{other}` and to `{name}`"
                    ));
                }
            }
        }
        // A key the config gives to one action leaves the default action it had.
        for (key, action) in set_by_config {
            map.by_key.insert(key, action);
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_never_collide() {
        let mut seen = std::collections::HashMap::new();
        for action in Action::ALL {
            assert_eq!(action.name().parse::<Action>(), Ok(*action));
            for k in action.default_keys() {
                let key: Key = k.parse().unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(key.to_string().parse::<Key>(), Ok(key), "{k} round-trips");
                if let Some(other) = seen.insert(key, *action) {
                    panic!("{k} bound to {other} and {action}");
                }
            }
        }
        let map = KeyMap::default();
        assert_eq!(
            map.action(&Key::plain(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            map.action(&Key::plain(KeyCode::BackTab)),
            Some(Action::PrevPane)
        );
    }

    #[test]
    fn keys_parse_as_written() {
        assert_eq!(
            "C-d".parse::<Key>(),
            Ok(Key {
                code: KeyCode::Char('d'),
                ctrl: true,
                alt: false
            })
        );
        assert_eq!("S-Tab".parse::<Key>(), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!("S-j".parse::<Key>(), Ok(Key::plain(KeyCode::Char('J'))));
        assert_eq!("-".parse::<Key>(), Ok(Key::plain(KeyCode::Char('-'))));
        assert_eq!("F5".parse::<Key>(), Ok(Key::plain(KeyCode::F(5))));
        assert!("Hyper-x".parse::<Key>().is_err());
        assert!("F99".parse::<Key>().is_err());
        assert!("jj".parse::<Key>().is_err());
    }

    #[test]
    fn overrides_replace_and_errors_name_the_problem() {
        let map = KeyMap::with_overrides(&[
            ("down".into(), vec!["J".into()]),
            ("refresh".into(), vec!["j".into()]),
        ])
        .expect("valid");
        assert_eq!(
            map.action(&Key::plain(KeyCode::Char('J'))),
            Some(Action::Down)
        );
        assert_eq!(
            map.action(&Key::plain(KeyCode::Char('j'))),
            Some(Action::Refresh)
        );
        assert_eq!(
            map.action(&Key::plain(KeyCode::Down)),
            None,
            "down now has only J"
        );
        assert_eq!(
            KeyMap::with_overrides(&[("fly".into(), vec!["f".into()])]),
            Err("fly: unknown action `fly`".into())
        );
        assert_eq!(
            KeyMap::with_overrides(&[("down".into(), vec!["Hyper-x".into()])]),
            Err("down: unknown key `Hyper-x`".into())
        );
        assert_eq!(
            KeyMap::with_overrides(&[
                ("down".into(), vec!["x".into()]),
                ("up".into(), vec!["x".into()])
            ]),
            Err("key `x` is bound twice: to `down` and to `up`".into())
        );
    }
}
