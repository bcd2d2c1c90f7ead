//! Drawing: pure functions of `App` (and the palette). One file per pane.

mod article;
mod border;
mod feeds;
mod help;
mod lines;
mod list;
mod related;
mod status;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::{App, Overlay};
use super::layout::Pane;
use super::style::Palette;

pub fn draw(frame: &mut Frame, app: &App, palette: &Palette) {
    let areas = app.areas();
    if let Some(r) = areas.tabs {
        tabs(frame, r, app, palette);
    }
    if let Some(r) = areas.feeds {
        feeds::draw(frame, r, app, palette);
    }
    if let Some(r) = areas.list {
        list::draw(frame, r, app, palette);
    }
    if let Some(r) = areas.article {
        article::draw(frame, r, app, palette);
    }
    if let Some(r) = areas.related {
        related::draw(frame, r, app, palette);
    }
    status::draw(frame, areas.status, app, palette);
    if app.overlay == Overlay::Help {
        help::draw(frame, frame.area(), app, palette);
    }
}

/// Narrow terminals show one pane at a time; this line names them all.
fn tabs(frame: &mut Frame, r: Rect, app: &App, p: &Palette) {
    // compact below 60 columns, so the four names fit 40
    let roomy = r.width >= 60;
    let mut spans = Vec::new();
    for (i, pane) in Pane::ORDER.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(if roomy { " │ " } else { "│" }, p.dim()));
        }
        let style = if *pane == app.focus {
            p.border(true)
                .add_modifier(ratatui::style::Modifier::REVERSED)
        } else {
            Style::default()
        };
        let name = if roomy {
            format!(" {} ", pane.title())
        } else {
            pane.title().to_string()
        };
        spans.push(Span::styled(name, style));
    }
    if roomy {
        spans.push(Span::styled("  Tab: next pane", p.dim()));
    }
    lines::draw(frame.buffer_mut(), r, &[Line::from(spans)]);
}

/// "Jun 01" in local time, as chrono's `%b %d` (English month names, as chrono has no
/// others), without its formatter: the list dates every row of every frame, and the
/// formatter wrote out the UTC offset each time whether the format used it or not.
fn short_date(timestamp: i64) -> Option<String> {
    use chrono::{Datelike, Local, TimeZone};
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let d = Local.timestamp_opt(timestamp, 0).single()?;
    let month = MONTHS.get(d.month0() as usize)?;
    // (written out by hand: `format!` cost more than the rest of this)
    let day = d.day();
    let mut out = String::with_capacity(7);
    out.push_str(month);
    out.push(' ');
    out.push(char::from(b'0' + (day / 10) as u8));
    out.push(char::from(b'0' + (day % 10) as u8));
    Some(out)
}

/// Pane border with its title; the focused one stands out.
fn border(frame: &mut Frame, r: Rect, title: &str, focused: bool, p: &Palette) {
    border::draw(frame.buffer_mut(), r, title, p.border(focused));
}

#[cfg(test)]
mod tests;
