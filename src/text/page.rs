//! A whole article as the reader shows it: header (title, byline, date, feed, link), a note
//! when only the summary could be had, then the body with its numbered links.

use chrono::{Local, TimeZone};

use super::render::{Line, Mode, Rendered, Span, Style, render};
use super::sanitize_line;
use crate::store::{Article, FullText};

/// "2026-06-16 16:10" in local time.
pub fn local_time(t: i64) -> String {
    use chrono::{Datelike, Timelike};
    // Written out by hand: `format` parses its pattern on every call, and `list` calls this
    // once per article.
    match Local.timestamp_opt(t, 0).single() {
        Some(d) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute()
        ),
        None => "-".into(),
    }
}

/// The whole article as the reader shows it: a header (title, byline, date, feed, link), a
/// blank line, then the body with its numbered links.
pub fn article_page(article: &Article, width: usize, mode: Mode) -> Rendered {
    let r = &article.row;
    let mut header = String::new();
    let title = sanitize_line(&r.title);
    header.push_str(&format!(
        "<h1>{}</h1>",
        html_escape::encode_text(if title.is_empty() {
            "(untitled)"
        } else {
            &title
        })
    ));
    let mut byline = Vec::new();
    if let Some(a) = r
        .author
        .as_deref()
        .map(sanitize_line)
        .filter(|a| !a.is_empty())
    {
        byline.push(format!("By {a}"));
    }
    if let Some(t) = r.published.or(r.updated) {
        byline.push(local_time(t));
    }
    byline.push(sanitize_line(&r.feed));
    let head = render(&header, None, width, mode);
    let mut lines = head.lines;
    let dim = Style {
        dim: true,
        ..Style::default()
    };
    for text in [
        Some(byline.join(" \u{b7} ")),
        r.url.as_deref().map(sanitize_line),
    ]
    .into_iter()
    .flatten()
    {
        let wrapped = render(
            &format!("<p>{}</p>", html_escape::encode_text(&text)),
            None,
            width,
            Mode::Plain,
        );
        for line in wrapped.lines {
            lines.push(Line {
                spans: vec![Span {
                    text: line.text(),
                    style: dim,
                }],
            });
        }
    }
    if let FullText::Failed(why) = &article.full_text {
        let note = format!("summary only: the full article could not be fetched ({why})");
        let wrapped = render(
            &format!("<p>{}</p>", html_escape::encode_text(&sanitize_line(&note))),
            None,
            width,
            Mode::Plain,
        );
        for line in wrapped.lines {
            lines.push(Line {
                spans: vec![Span {
                    text: line.text(),
                    style: dim,
                }],
            });
        }
    }
    lines.push(Line::default());
    let body = render(article.body_html(), r.url.as_deref(), width, mode);
    if body.lines.is_empty() {
        lines.push(Line {
            spans: vec![Span {
                text: "(this article has no text in the feed)".into(),
                style: dim,
            }],
        });
    }
    lines.extend(body.lines);
    Rendered {
        width,
        lines,
        links: body.links,
    }
}
