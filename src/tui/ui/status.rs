//! The status bar: refresh progress or the last message on the left, key hints on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::app::App;
use super::super::style::Palette;
use super::lines;
use crate::config::keys::Action;
use crate::text::columns::{counted, truncate};
use crate::text::sanitize_line;

pub fn draw(frame: &mut Frame, r: Rect, app: &App, p: &Palette) {
    let width = usize::from(r.width);
    let key = |a: Action| {
        app.keys
            .keys_of(a)
            .first()
            .map_or_else(|| "?".into(), |k| k.to_string())
    };
    let hints = format!(
        " {} help · {} refresh · {} back · {} quit ",
        key(Action::Help),
        key(Action::Refresh),
        key(Action::Back),
        key(Action::Quit)
    );
    let (left, style) = if app.refresh.running {
        (
            format!(" refreshing {}/{}", app.refresh.done, app.refresh.total),
            p.fg(p.theme.status_bar).add_modifier(Modifier::BOLD),
        )
    } else if let Some((text, is_error)) = &app.message {
        let style = if *is_error {
            p.fg(p.theme.error)
        } else {
            p.fg(p.theme.status_bar)
        };
        (format!(" {}", sanitize_line(text)), style)
    } else if let Some((feed, error)) = app.refresh.errors.first() {
        let more = app.refresh.errors.len() - 1;
        let extra = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        (
            format!(" {}: {}{extra}", sanitize_line(feed), sanitize_line(error)),
            p.fg(p.theme.error),
        )
    } else {
        let feeds = counted(app.feeds.len(), "feed");
        (format!(" {feeds} · {} unread", app.all_unread()), p.dim())
    };
    let hints = if width >= left.width() + hints.width() + 2 {
        hints
    } else {
        String::new()
    };
    let left = truncate(&left, width.saturating_sub(hints.width()));
    let gap = width.saturating_sub(left.width() + hints.width());
    let line = Line::from(vec![
        Span::styled(left, style),
        Span::raw(" ".repeat(gap)),
        Span::styled(hints, p.dim()),
    ]);
    lines::draw(frame.buffer_mut(), r, &[line]);
}
