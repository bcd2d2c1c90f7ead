//! The Related pane: other stories about the same thing, each with why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::layout::{Pane, inner};
use super::super::style::Palette;
use super::{border, lines, short_date};
use crate::text::columns::{pad, truncate};
use crate::text::sanitize_line;

pub fn draw(frame: &mut Frame, r: Rect, app: &App, p: &Palette) {
    let focused = app.focus == Pane::Related;
    let mut title = String::from(" Related ");
    if !app.trail.is_empty() {
        title.push_str(&format!("· {} back (Backspace) ", app.trail.len()));
    }
    border(frame, r, &title, focused, p);
    let area = inner(r);
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    if app.related.for_id.is_none() {
        lines.push(Line::styled(
            "Related stories show here when you open an article.",
            p.dim(),
        ));
    } else if app.related.loading {
        lines.push(Line::styled("finding related stories…", p.dim()));
    } else if app.related.items.is_empty() {
        lines.push(Line::styled("nothing closely related", p.dim()));
    }
    // two lines per story; keep the selected one in view
    let per_screen = (usize::from(area.height) / 2).max(1);
    let first = app.related.selected.saturating_sub(per_screen - 1);
    for (i, item) in app
        .related
        .items
        .iter()
        .enumerate()
        .skip(first)
        .take(per_screen)
    {
        let selected = i == app.related.selected;
        let title = truncate(&sanitize_line(&item.title), width.saturating_sub(2));
        let mut head = Line::from(vec![
            Span::styled("› ", p.fg(p.theme.accent)),
            Span::styled(title, Style::default().add_modifier(Modifier::BOLD)),
        ]);
        if selected && focused {
            head = Line::from(vec![Span::raw(pad(&head.to_string(), width))]).style(p.selected());
        }
        lines.push(head);
        let date = item.published.and_then(short_date).unwrap_or_default();
        let detail = format!(
            "  {} · {} · {}",
            sanitize_line(&item.feed),
            date,
            sanitize_line(&item.reasons.join(" · "))
        );
        lines.push(Line::styled(truncate(&detail, width), p.dim()));
    }
    lines::draw(frame.buffer_mut(), area, &lines);
}
