//! The Articles pane: a feed filter line, then one row per article (unread and starred
//! marks, date, feed, title). Only the visible rows are drawn (and loaded).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::app::{App, Overlay};
use super::super::layout::{Pane, inner};
use super::super::style::Palette;
use super::{border, lines, short_date};
use crate::text::columns::{counted, pad, truncate, wrap};
use crate::text::sanitize_line;

pub fn draw(frame: &mut Frame, r: Rect, app: &App, p: &Palette) {
    let focused = app.focus == Pane::List;
    let count = match (&app.list.shown.search, app.list.loaded) {
        (Some(q), true) => format!(
            " Articles · search: {} ({}) ",
            truncate(&sanitize_line(q), 30),
            app.list.ids.len()
        ),
        (None, true) if !app.list.complete => format!(" Articles ({}+) ", app.list.ids.len()),
        (None, true) => format!(" Articles ({}) ", app.list.ids.len()),
        (_, false) => " Articles ".to_string(),
    };
    border(frame, r, &count, focused, p);
    let area = inner(r);
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::with_capacity(usize::from(area.height));
    lines.push(filter_line(app, p, width));
    if app.list.loaded && app.list.ids.is_empty() {
        for (text, style) in why_empty(app, p) {
            for line in wrap(&text, width) {
                lines.push(Line::styled(line, style));
            }
        }
    }
    let show_feed = app.list.shown.feed.is_none() && width >= 50;
    let rows = usize::from(area.height).saturating_sub(1);
    for (offset, id) in app
        .list
        .ids
        .iter()
        .skip(app.list.top)
        .take(rows)
        .enumerate()
    {
        let index = app.list.top + offset;
        let selected = index == app.list.selected;
        let unread = !app.list.read.get(index).copied().unwrap_or(true);
        let mut spans: Vec<Span> = Vec::new();
        let row = app.list.rows.get(id);
        let starred = row.is_some_and(|r| r.starred);
        // a blank mark has no colour: on the selected (reversed) row it would be a coloured block
        spans.push(if unread {
            Span::styled("●", p.fg(p.theme.unread))
        } else {
            Span::raw(" ")
        });
        spans.push(if starred {
            Span::styled("★ ", p.fg(p.theme.starred))
        } else {
            Span::raw("  ")
        });
        let Some(row) = row else {
            spans.push(Span::styled("…", p.dim()));
            lines.push(Line::from(spans));
            continue;
        };
        let mut date = short_date(row.sort_time).unwrap_or_else(|| "      ".into());
        let mut used = 3 + date.width() + 1;
        date.push(' ');
        spans.push(Span::styled(date, p.dim()));
        if show_feed {
            let feed_w = (width / 5).clamp(8, 18);
            let mut feed = pad(&truncate(&sanitize_line(&row.feed), feed_w), feed_w);
            used += feed_w + 1;
            feed.push(' ');
            spans.push(Span::styled(feed, p.fg(p.theme.accent)));
        }
        let title = sanitize_line(&row.title);
        let title = if title.is_empty() {
            "(untitled)".to_string()
        } else {
            title
        };
        let title_style = if unread {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        spans.push(Span::styled(
            truncate(&title, width.saturating_sub(used)),
            title_style,
        ));
        let mut line = Line::from(spans);
        if selected {
            line = pad_line(line, width).style(p.selected());
        }
        lines.push(line);
    }
    lines::draw(frame.buffer_mut(), area, &lines);
}

/// What an empty list says: why it is empty, and what to do.
fn why_empty(app: &App, p: &Palette) -> Vec<(String, Style)> {
    let shown = &app.list.shown;
    if shown.text.is_some() || shown.search.is_some() {
        return vec![("nothing matches".into(), p.dim())];
    }
    if app.refresh.running {
        return vec![("no articles yet: refreshing…".into(), p.dim())];
    }
    let feed = shown
        .feed
        .and_then(|id| app.feeds.iter().find(|f| f.id == id));
    match feed {
        // a feed that failed says why, rather than looking merely empty
        Some(f) => match &f.last_error {
            Some(error) => vec![
                ("no articles: the last refresh failed".into(), p.dim()),
                (sanitize_line(error), p.fg(p.theme.error)),
                ("r refreshes every feed, R this one".into(), p.dim()),
            ],
            None if f.last_refresh.is_none() => {
                vec![(
                    "no articles yet: press R to refresh this feed".into(),
                    p.dim(),
                )]
            }
            None => vec![("this feed has no articles".into(), p.dim())],
        },
        None if shown.feed.is_some() => vec![("nothing matches".into(), p.dim())],
        None => {
            // offline, or every feed failing: say so, as each failing feed would
            let failing: Vec<String> = app
                .feeds
                .iter()
                .filter_map(|f| {
                    let error = f.last_error.as_deref()?;
                    Some(sanitize_line(&format!("{}: {error}", f.shown_name())))
                })
                .collect();
            if failing.is_empty() {
                return vec![("no articles yet: press r to refresh".into(), p.dim())];
            }
            let mut lines = vec![("no articles: the last refresh failed".into(), p.dim())];
            lines.extend(
                failing
                    .iter()
                    .take(3)
                    .map(|e| (e.clone(), p.fg(p.theme.error))),
            );
            if failing.len() > 3 {
                lines.push((format!("and {} more feeds", failing.len() - 3), p.dim()));
            }
            lines.push(("r refreshes every feed".into(), p.dim()));
            lines
        }
    }
}

/// The first line: which feed is shown (`[` `]` switch), or the filter being typed.
fn filter_line(app: &App, p: &Palette, width: usize) -> Line<'static> {
    let typing = match &app.overlay {
        Overlay::Filter(text) => Some(("/ ", text)),
        Overlay::Search(text) => Some(("search: ", text)),
        _ => None,
    };
    if let Some((prompt, text)) = typing {
        return Line::from(vec![
            Span::styled(prompt, p.fg(p.theme.accent)),
            Span::raw(truncate(
                &sanitize_line(text),
                width.saturating_sub(prompt.len() + 2),
            )),
            Span::styled("▏", p.fg(p.theme.accent)),
        ]);
    }
    if app.list.shown.search.is_some() {
        // a search ranks only the newest matches: say so when there were more
        let window = crate::store::SEARCH_WINDOW;
        let text = if app.list.ids.len() as i64 >= window {
            format!("best of the newest {window} matches · q: back")
        } else {
            "best matches first · q or Esc: back to all".to_string()
        };
        return Line::styled(truncate(&text, width), p.dim());
    }
    let feed = match app.list.shown.feed {
        // says what it counts: a bare "(1000)" read as articles, though it counted feeds
        None => {
            let feeds = counted(app.feeds.len(), "feed");
            format!("All feeds ({feeds}, {} unread)", app.all_unread())
        }
        Some(id) => app.feeds.iter().find(|f| f.id == id).map_or_else(
            || "?".into(),
            |f| {
                format!(
                    "{} ({} unread)",
                    sanitize_line(&f.shown_name()),
                    f.unread_count
                )
            },
        ),
    };
    let mut text = format!("◂ {feed} ▸");
    if let Some(t) = &app.list.shown.text {
        text.push_str(&format!("  / {}", sanitize_line(t)));
    }
    Line::styled(truncate(&text, width), p.dim())
}

/// Pads a line with spaces to `width`, so a selection bar spans the pane.
fn pad_line(mut line: Line<'static>, width: usize) -> Line<'static> {
    let w = line.width();
    if w < width {
        line.spans.push(Span::raw(" ".repeat(width - w)));
    }
    line
}
