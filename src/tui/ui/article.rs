//! The Article pane: the rendered article (header, body, numbered links), scrolled. Links are
//! also OSC 8 hyperlinks when the config allows, so terminals that support them make the
//! link text clickable.

use std::num::NonZeroU16;

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::app::App;
use super::super::layout::{Pane, inner};
use super::super::style::Palette;
use super::{border, lines};

/// A link's text on one row of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkSegment {
    x: u16,
    y: u16,
    width: u16,
    url: String,
}

pub fn draw(frame: &mut Frame, r: Rect, app: &App, p: &Palette) {
    let focused = app.focus == Pane::Article;
    let area = inner(r);
    let height = usize::from(area.height);
    let mut title = String::from(" Article ");
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    let mut links: Vec<LinkSegment> = Vec::new();
    match (&app.reader.id, &app.reader.rendered) {
        (None, _) => {
            lines.push(Line::styled("Select an article and press Enter.", p.dim()));
        }
        (Some(_), None) => lines.push(Line::styled("loading…", p.dim())),
        (Some(_), Some(rendered)) => {
            let total = rendered.lines.len();
            if total > height && height > 0 {
                let end = (app.reader.scroll + height).min(total);
                title = format!(" Article {}% ", end * 100 / total.max(1));
            }
            if app.reader.fetching {
                title.push_str("· fetching full text… ");
            }
            let visible = rendered.lines.iter().skip(app.reader.scroll).take(height);
            for (row, line) in visible.enumerate() {
                if app.hyperlinks {
                    let y = area.y.saturating_add(row as u16);
                    link_segments(line, &rendered.links, area, y, &mut links);
                }
                lines.push(Line::from(
                    line.spans
                        .iter()
                        .map(|s| Span::styled(s.text.clone(), p.article(&s.style)))
                        .collect::<Vec<_>>(),
                ));
            }
        }
    }
    border(frame, r, &title, focused, p);
    lines::draw(frame.buffer_mut(), area, &lines);
    for link in &links {
        hyperlink(frame.buffer_mut(), link);
    }
}

/// Where a rendered line's links fall on row `y`: adjacent spans of one link make one segment.
fn link_segments(
    line: &crate::text::render::Line,
    urls: &[String],
    area: Rect,
    y: u16,
    out: &mut Vec<LinkSegment>,
) {
    let mut x = usize::from(area.x);
    let right = usize::from(area.x) + usize::from(area.width);
    let mut open: Option<(u16, usize, u16)> = None; // (number, start x, width)
    let close = |open: &mut Option<(u16, usize, u16)>, out: &mut Vec<LinkSegment>| {
        if let Some((n, start, width)) = open.take()
            && let Some(url) = urls
                .get(usize::from(n).wrapping_sub(1))
                .filter(|u| safe_url(u))
            && width > 0
        {
            out.push(LinkSegment {
                x: start as u16,
                y,
                width,
                url: url.clone(),
            });
        }
    };
    for span in &line.spans {
        let w = span.text.width();
        let fits = (x + w).min(right).saturating_sub(x) as u16;
        match (span.style.link, &mut open) {
            (Some(n), Some((m, _, width))) if *m == n => *width += fits,
            (Some(n), _) => {
                close(&mut open, out);
                open = Some((n, x, fits));
            }
            (None, _) => close(&mut open, out),
        }
        x += w;
    }
    close(&mut open, out);
}

/// Only plain web and mail URLs, printable ASCII (the url crate's form), of a sane length:
/// nothing from a feed can end the escape sequence early.
fn safe_url(url: &str) -> bool {
    let scheme_ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| url.starts_with(s));
    scheme_ok && url.len() <= 2048 && url.bytes().all(|b| b.is_ascii_graphic())
}

/// Makes the segment's cells one OSC 8 hyperlink: its first cell prints the whole text inside
/// the escape sequence, with a forced width so the buffer's diff knows what it covers.
fn hyperlink(buf: &mut Buffer, link: &LinkSegment) {
    let area = buf.area;
    let end = link.x.saturating_add(link.width).min(area.x + area.width);
    if link.y >= area.y + area.height || link.x >= end {
        return;
    }
    let mut text = String::new();
    let mut x = link.x;
    while x < end {
        let symbol = buf[(x, link.y)].symbol();
        text.push_str(symbol);
        // a wide character covers the next cell too
        x += (symbol.width() as u16).max(1);
    }
    let Some(width) = NonZeroU16::new(end - link.x) else {
        return;
    };
    let first = &mut buf[(link.x, link.y)];
    first.set_symbol(&format!("\x1b]8;;{}\x1b\\{text}\x1b]8;;\x1b\\", link.url));
    first.set_diff_option(CellDiffOption::ForcedWidth(width));
    for x in link.x + 1..end {
        buf[(x, link.y)].set_diff_option(CellDiffOption::Skip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::render::{Line as RLine, Span as RSpan, Style as RStyle};

    fn span(text: &str, link: Option<u16>) -> RSpan {
        RSpan {
            text: text.into(),
            style: RStyle {
                link,
                ..Default::default()
            },
        }
    }

    #[test]
    fn segments_join_a_links_spans_and_skip_unsafe_urls() {
        let line = RLine {
            spans: vec![
                span("See ", None),
                span("the ", Some(1)),
                span("report", Some(1)),
                span(" [1] and ", None),
                span("this", Some(2)),
                span(" or ", None),
                span("that", Some(3)),
            ],
        };
        let urls = vec![
            "https://ex.test/report".to_string(),
            "https://ex.test/\x1b]evil".to_string(),
            "javascript:alert(1)".to_string(),
        ];
        let mut out = Vec::new();
        link_segments(&line, &urls, Rect::new(10, 0, 60, 5), 3, &mut out);
        assert_eq!(
            out,
            [LinkSegment {
                x: 14,
                y: 3,
                width: 10,
                url: "https://ex.test/report".into()
            }]
        );
    }

    #[test]
    fn a_segment_becomes_one_hyperlinked_cell_of_its_width() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 2));
        buf.set_string(2, 1, "the réport 日本", ratatui::style::Style::default());
        let link = LinkSegment {
            x: 6,
            y: 1,
            width: 10,
            url: "https://ex.test/r".into(),
        };
        hyperlink(&mut buf, &link);
        assert_eq!(
            buf[(6, 1)].symbol(),
            "\x1b]8;;https://ex.test/r\x1b\\réport 日本\x1b]8;;\x1b\\"
        );
        assert_eq!(buf[(2, 1)].symbol(), "t", "cells before it untouched");
        // drawn, the link is one write covering 10 columns; the rest of the row follows it
        let drawn: Vec<u16> = Buffer::empty(buf.area)
            .diff(&buf)
            .iter()
            .filter(|(_, y, _)| *y == 1)
            .map(|(x, _, _)| *x)
            .collect();
        assert_eq!(drawn, [2, 3, 4, 6], "{drawn:?}");
    }
}
