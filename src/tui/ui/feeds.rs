//! The Feeds pane: "All feeds" then every feed with its unread count; the shown one marked,
//! failing ones flagged.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::app::App;
use super::super::layout::{Pane, inner};
use super::super::style::Palette;
use super::{border, lines};
use crate::text::columns::{pad, truncate};
use crate::text::sanitize_line;

pub fn draw(frame: &mut Frame, r: Rect, app: &App, p: &Palette) {
    let focused = app.focus == Pane::Feeds;
    border(frame, r, " Feeds ", focused, p);
    let area = inner(r);
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    if width == 0 || height == 0 {
        return;
    }
    let total_unread = app.all_unread();
    // keep the cursor in view; only the rows on screen are built (a cache can hold thousands
    // of feeds, and this runs at every key press)
    let first = app.feeds_cursor.saturating_sub(height.saturating_sub(1));
    let end = (first + height).min(app.feeds.len() + 1);
    let rows = (first..end).map(|i| match i.checked_sub(1).and_then(|f| app.feeds.get(f)) {
        None => (
            i,
            "All feeds".to_string(),
            total_unread,
            app.list.shown.feed.is_none(),
            false,
        ),
        Some(f) => (
            i,
            sanitize_line(&f.shown_name()),
            f.unread_count,
            app.list.shown.feed == Some(f.id),
            f.last_error.is_some(),
        ),
    });
    let mut lines = Vec::with_capacity(height);
    for (i, name, unread, shown, failing) in rows {
        let count = if unread > 0 {
            format!(" {unread}")
        } else {
            String::new()
        };
        let mark = if failing {
            "!"
        } else if shown {
            "▸"
        } else {
            " "
        };
        let name_w = width.saturating_sub(count.width() + 2);
        let mut style = Style::default();
        if shown {
            style = style.add_modifier(Modifier::BOLD);
        }
        let mark_style = if failing {
            p.fg(p.theme.error)
        } else {
            p.fg(p.theme.accent)
        };
        let mut line = Line::from(vec![
            Span::styled(mark, mark_style),
            Span::raw(" "),
            Span::styled(pad(&truncate(&name, name_w), name_w), style),
            Span::styled(count, p.dim()),
        ]);
        if focused && i == app.feeds_cursor {
            line = line.style(p.selected());
        }
        lines.push(line);
    }
    lines::draw(frame.buffer_mut(), area, &lines);
}
