//! The help overlay: every action with the keys bound to it now.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::app::App;
use super::super::style::Palette;
use crate::config::keys::Action;
use crate::text::columns::{pad, truncate};

pub fn draw(frame: &mut Frame, screen: Rect, app: &App, p: &Palette) {
    let rows: Vec<(String, &str)> = Action::ALL
        .iter()
        .map(|a| {
            let keys: Vec<String> = app
                .keys
                .keys_of(*a)
                .iter()
                .map(ToString::to_string)
                .collect();
            (keys.join(" "), a.describe())
        })
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let key_w = rows
        .iter()
        .map(|(k, _)| unicode_width::UnicodeWidthStr::width(k.as_str()))
        .max()
        .unwrap_or(4)
        .min(20);
    let width = screen.width.min(76);
    let height = screen.height.min(rows.len() as u16 + 4);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    let inner_w = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::styled(
        truncate("Digits before o open link N · any key closes this", inner_w),
        p.dim(),
    ));
    for (keys, what) in rows {
        lines.push(Line::from(vec![
            Span::styled(pad(&truncate(&keys, key_w), key_w), p.fg(p.theme.accent)),
            Span::raw("  "),
            Span::raw(truncate(what, inner_w.saturating_sub(key_w + 2))),
        ]));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Help: keys ")
                .border_style(p.border(true)),
        ),
        area,
    );
}
