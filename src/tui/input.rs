//! Terminal events to messages: keys become our own `Key`, mouse wheel and clicks `Mouse`.

use ratatui::crossterm::event::{
    Event, KeyCode as CtKey, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

use super::event::{Mouse, Msg};
use crate::config::keys::{Key, KeyCode};

pub fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) if k.kind == KeyEventKind::Press => key(k).map(Msg::Key),
        Event::Mouse(m) => mouse(m).map(Msg::Mouse),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

pub fn key(k: KeyEvent) -> Option<Key> {
    let code = match k.code {
        CtKey::Char(c) => KeyCode::Char(c),
        CtKey::Enter => KeyCode::Enter,
        CtKey::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        CtKey::Tab => KeyCode::Tab,
        CtKey::BackTab => KeyCode::BackTab,
        CtKey::Esc => KeyCode::Esc,
        CtKey::Backspace => KeyCode::Backspace,
        CtKey::Delete => KeyCode::Delete,
        CtKey::Insert => KeyCode::Insert,
        CtKey::Up => KeyCode::Up,
        CtKey::Down => KeyCode::Down,
        CtKey::Left => KeyCode::Left,
        CtKey::Right => KeyCode::Right,
        CtKey::PageUp => KeyCode::PageUp,
        CtKey::PageDown => KeyCode::PageDown,
        CtKey::Home => KeyCode::Home,
        CtKey::End => KeyCode::End,
        CtKey::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let code = match code {
        KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        other => other,
    };
    Some(Key {
        code,
        ctrl,
        alt: k.modifiers.contains(KeyModifiers::ALT),
    })
}

fn mouse(m: MouseEvent) -> Option<Mouse> {
    let (column, row) = (m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollUp => Some(Mouse::ScrollUp { column, row }),
        MouseEventKind::ScrollDown => Some(Mouse::ScrollDown { column, row }),
        MouseEventKind::Down(MouseButton::Left) => Some(Mouse::Click { column, row }),
        _ => None,
    }
}
