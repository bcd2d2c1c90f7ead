//! Article HTML to styled lines at a width: what `show` prints and the article pane draws.
//!
//! html2text lays the text out (wrapping, lists, tables, blockquotes, `<pre>`); a decorator of
//! our own numbers the links (`[3]` after the link text, the same number for the same URL),
//! turns images into `[image: alt text]`, and marks headings through a CSS sentinel colour
//! (html2text gives headings no annotation of their own). The result holds no markup and no
//! control character, and no line wider than the width.

use std::cell::RefCell;
use std::rc::Rc;

use html2text::render::{TaggedLine, TextDecorator};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::clutter;
use super::sanitize::sanitize;

/// How a span of text looks. The TUI maps this to colours; `show` to ANSI or nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
    /// 1-6 for `<h1>`-`<h6>`, else 0.
    pub heading: u8,
    /// Inside a blockquote.
    pub quote: bool,
    /// Link text, with the link's number.
    pub link: Option<u16>,
    /// The `[N]` after a link, an image placeholder, or the list of links: secondary text.
    pub dim: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| s.text.width()).sum()
    }

    fn plain(text: impl Into<String>, style: Style) -> Line {
        Line {
            spans: vec![Span {
                text: text.into(),
                style,
            }],
        }
    }
}

/// An article laid out at one width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub width: usize,
    pub lines: Vec<Line>,
    /// Link N is `links[N - 1]`, resolved against the article's URL.
    pub links: Vec<String>,
}

impl Rendered {
    /// The text without styles, one `\n` per line.
    pub fn to_plain(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(line.text().trim_end());
            out.push('\n');
        }
        out
    }

    /// The text with ANSI styles, for a terminal.
    pub fn to_ansi(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            for span in &line.spans {
                let codes = sgr(&span.style);
                if codes.is_empty() {
                    out.push_str(&span.text);
                } else {
                    out.push_str(&format!("\x1b[{codes}m{}\x1b[0m", span.text));
                }
            }
            out.push('\n');
        }
        out
    }
}

fn sgr(style: &Style) -> String {
    let mut codes: Vec<&str> = Vec::new();
    if style.bold || style.heading > 0 {
        codes.push("1");
    }
    if style.italic || style.quote {
        codes.push("3");
    }
    if style.strike {
        codes.push("9");
    }
    if style.dim {
        codes.push("2");
    }
    if style.link.is_some() {
        codes.push("4");
        codes.push("34");
    } else if style.heading > 0 {
        codes.push("35");
    } else if style.code {
        codes.push("36");
    }
    codes.join(";")
}

/// Plain output marks what styles would show: `## ` before headings, `> ` before quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Plain,
    Styled,
}

/// ASCII only: html2text sizes the quote prefix in bytes.
const QUOTE_PREFIX: &str = "> ";

/// Renders article HTML at `width` columns (at least 20). Relative links and image sources
/// are resolved against `base_url`.
pub fn render(html: &str, base_url: Option<&str>, width: usize, mode: Mode) -> Rendered {
    let width = width.max(20);
    let cleaned = clutter::remove(&sanitize(&control_refs_to_chars(html)));
    let links = Rc::new(RefCell::new(Vec::<String>::new()));
    let decorator = Decorator {
        links: links.clone(),
        stack: Vec::new(),
        base: base_url.and_then(|u| url::Url::parse(u).ok()),
        mode,
    };
    let mut css = String::new();
    for level in 1..=6 {
        css.push_str(&format!("h{level} {{ color: #0101{level:02x}; }}\n"));
    }
    let config = html2text::config::with_decorator(decorator)
        .add_agent_css(&css)
        .map(|c| {
            c.allow_width_overflow()
                .unicode_strikeout(false)
                .empty_img_mode(html2text::config::ImageRenderMode::ShowAlways)
        });
    let tagged = config.and_then(|c| c.lines_from_read(cleaned.as_bytes(), width));
    let lines = match tagged {
        Ok(tagged) => convert(tagged),
        // html2text fails only on pathological input: fall back to words, never to nothing.
        Err(e) => {
            tracing::warn!("html2text failed ({e}); showing plain text");
            super::plain::html_to_text(&cleaned)
                .lines()
                .map(|l| Line::plain(l, Style::default()))
                .collect()
        }
    };
    let links = links.borrow().clone();
    let mut lines = tidy(lines);
    keep_clusters_whole(&mut lines);
    let mut lines = fit(lines, width);
    if !links.is_empty() {
        lines.push(Line::default());
        lines.push(Line::plain(
            "Links:",
            Style {
                bold: true,
                ..Style::default()
            },
        ));
        let dim = Style {
            dim: true,
            ..Style::default()
        };
        for (i, url) in links.iter().enumerate() {
            lines.extend(fit(
                vec![Line::plain(format!("[{}] {}", i + 1, url), dim)],
                width,
            ));
        }
    }
    Rendered {
        width,
        lines,
        links,
    }
}

/// `&#27;` and friends: html2text would decode them and then drop the lone control
/// character, leaving the rest of an escape sequence (`]52;c;...`) on screen. Decoded here,
/// the sanitizer removes each whole sequence.
fn control_refs_to_chars(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("&#") {
        return html.into();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (after, 10),
        };
        let len = digits
            .bytes()
            .take(8)
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        let code = u32::from_str_radix(&digits[..len], radix).ok();
        let control = code
            .and_then(char::from_u32)
            .filter(|c| c.is_control() && *c != '\n' && *c != '\t');
        match control {
            Some(c) => {
                out.push(c);
                let consumed = (after.len() - digits.len()) + len;
                let consumed = consumed + usize::from(after[consumed..].starts_with(';'));
                rest = &after[consumed..];
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Our annotations on html2text's spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Mark {
    #[default]
    None,
    Link(u16),
    Image,
    Em,
    Strong,
    Strike,
    Code,
    Pre,
    Heading(u8),
    Sup,
}

#[derive(Clone)]
struct Decorator {
    /// Shared with sub-block decorators (table cells, list items) so numbering is global.
    links: Rc<RefCell<Vec<String>>>,
    /// Numbers of the links being decorated (links do not nest, but be safe).
    stack: Vec<u16>,
    base: Option<url::Url>,
    mode: Mode,
}

impl Decorator {
    fn resolve(&self, href: &str) -> String {
        let href = href.trim();
        match &self.base {
            Some(base) => base
                .join(href)
                .map_or_else(|_| href.to_string(), |u| u.to_string()),
            None => href.to_string(),
        }
    }
}

impl TextDecorator for Decorator {
    type Annotation = Mark;

    fn decorate_link_start(&mut self, url: &str) -> (String, Mark) {
        let url = sanitize(&self.resolve(url)).replace(['\n', '\t'], "");
        let mut links = self.links.borrow_mut();
        let n = match links.iter().position(|l| *l == url) {
            Some(i) => i + 1,
            None => {
                links.push(url);
                links.len()
            }
        };
        let n = u16::try_from(n).unwrap_or(u16::MAX);
        self.stack.push(n);
        (String::new(), Mark::Link(n))
    }

    fn decorate_link_end(&mut self) -> String {
        match self.stack.pop() {
            Some(n) => format!("[{n}]"),
            None => String::new(),
        }
    }

    fn decorate_em_start(&self) -> (String, Mark) {
        (String::new(), Mark::Em)
    }

    fn decorate_em_end(&self) -> String {
        String::new()
    }

    fn decorate_strong_start(&self) -> (String, Mark) {
        (String::new(), Mark::Strong)
    }

    fn decorate_strong_end(&self) -> String {
        String::new()
    }

    fn decorate_strikeout_start(&self) -> (String, Mark) {
        (String::new(), Mark::Strike)
    }

    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }

    fn decorate_code_start(&self) -> (String, Mark) {
        (String::new(), Mark::Code)
    }

    fn decorate_code_end(&self) -> String {
        String::new()
    }

    fn decorate_preformat_first(&self) -> Mark {
        Mark::Pre
    }

    fn decorate_preformat_cont(&self) -> Mark {
        Mark::Pre
    }

    fn decorate_image(&mut self, _src: &str, title: &str) -> (String, Mark) {
        let alt = crate::text::sanitize_line(title);
        let text = if alt.is_empty() {
            "[image]".to_string()
        } else {
            format!("[image: {alt}]")
        };
        (text, Mark::Image)
    }

    fn header_prefix(&self, level: usize) -> String {
        match self.mode {
            Mode::Plain => "#".repeat(level) + " ",
            Mode::Styled => String::new(),
        }
    }

    fn quote_prefix(&self) -> String {
        QUOTE_PREFIX.into()
    }

    fn unordered_item_prefix(&self) -> String {
        // ASCII: html2text indents continuation lines by the prefix's length in bytes.
        "* ".into()
    }

    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }

    fn make_subblock_decorator(&self) -> Self {
        self.clone()
    }

    fn push_colour(&mut self, colour: html2text::Colour) -> Option<Mark> {
        // the heading sentinel set in the agent CSS
        if colour.r == 1 && colour.g == 1 && (1..=6).contains(&colour.b) {
            Some(Mark::Heading(colour.b))
        } else {
            Some(Mark::None)
        }
    }

    fn pop_colour(&mut self) -> bool {
        true
    }

    fn push_bgcolour(&mut self, _: html2text::Colour) -> Option<Mark> {
        None
    }

    fn pop_bgcolour(&mut self) -> bool {
        false
    }

    fn decorate_superscript_start(&self) -> (String, Mark) {
        (String::new(), Mark::Sup)
    }

    fn decorate_superscript_end(&self) -> String {
        String::new()
    }

    fn finalise(&mut self, _urls: Vec<String>) -> Vec<TaggedLine<Mark>> {
        Vec::new()
    }
}

fn convert(tagged: Vec<TaggedLine<Vec<Mark>>>) -> Vec<Line> {
    tagged
        .into_iter()
        .map(|tl| {
            let mut spans: Vec<Span> = Vec::new();
            for ts in tl.tagged_strings() {
                let mut style = Style::default();
                for mark in &ts.tag {
                    match mark {
                        Mark::Link(n) => style.link = Some(*n),
                        Mark::Image => style.dim = true,
                        Mark::Em => style.italic = true,
                        Mark::Strong => style.bold = true,
                        Mark::Strike => style.strike = true,
                        Mark::Code | Mark::Pre => style.code = true,
                        Mark::Heading(l) => style.heading = *l,
                        Mark::None | Mark::Sup => {}
                    }
                }
                let text = sanitize(&ts.s).replace('\n', " ");
                if text.is_empty() {
                    continue;
                }
                // Split the `[N]` marker off the link text so it can look different.
                if let Some(n) = style.link {
                    let marker = format!("[{n}]");
                    if let Some(head) = text.strip_suffix(&marker) {
                        if !head.is_empty() {
                            push(&mut spans, head.to_string(), style);
                        }
                        push(
                            &mut spans,
                            marker,
                            Style {
                                link: None,
                                dim: true,
                                ..style
                            },
                        );
                        continue;
                    }
                }
                push(&mut spans, text, style);
            }
            let mut line = Line { spans };
            if line.text().starts_with(QUOTE_PREFIX) {
                for s in &mut line.spans {
                    s.style.quote = true;
                }
            }
            line
        })
        .collect()
}

fn push(spans: &mut Vec<Span>, text: String, style: Style) {
    match spans.last_mut() {
        Some(last) if last.style == style => last.text.push_str(&text),
        _ => spans.push(Span { text, style }),
    }
}

/// Drops trailing spaces, leading and trailing blank lines, and runs of blank lines.
fn tidy(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for mut line in lines {
        if let Some(last) = line.spans.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        line.spans.retain(|s| !s.text.is_empty());
        let blank = line.text().trim().is_empty();
        if blank && out.last().is_none_or(|l| l.spans.is_empty()) {
            continue;
        }
        if blank {
            line.spans.clear();
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.spans.is_empty()) {
        out.pop();
    }
    out
}

/// The columns `c` adds after `prev`, measured as a string is measured: a variation
/// selector-16 turns a one-column symbol (❤) into a two-column emoji.
fn char_width(prev: Option<char>, c: char) -> usize {
    let alone = c.width().unwrap_or(0);
    match prev {
        Some(p) if alone == 0 => {
            let mut pair = String::with_capacity(8);
            pair.push(p);
            pair.push(c);
            pair.width().saturating_sub(p.width().unwrap_or(0))
        }
        _ => alone,
    }
}

/// Joiners that glue the next character into one cluster: ZWJ and the Indic viramas.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\u{200D}'
            | '\u{094D}'
            | '\u{09CD}'
            | '\u{0A4D}'
            | '\u{0ACD}'
            | '\u{0B4D}'
            | '\u{0BCD}'
            | '\u{0C4D}'
            | '\u{0CCD}'
            | '\u{0D4D}'
    )
}

/// html2text breaks words wider than the line between characters, which can split a cluster
/// (e + accent, an emoji ZWJ sequence, an Indic conjunct). Move combining marks that start a
/// line back to the line before, and a cluster cut at a joiner down to the next line.
fn keep_clusters_whole(lines: &mut [Line]) {
    for i in 0..lines.len().saturating_sub(1) {
        let (head, tail) = lines.split_at_mut(i + 1);
        let (this, next) = (&mut head[i], &mut tail[0]);
        if this.spans.is_empty() || next.spans.is_empty() {
            continue;
        }
        // combining marks at the start of `next`
        let first = &mut next.spans[0];
        let marks: String = first
            .text
            .chars()
            .take_while(|c| c.width() == Some(0))
            .collect();
        if !marks.is_empty() {
            first.text.drain(..marks.len());
            if let Some(last) = this.spans.last_mut() {
                last.text.push_str(&marks);
            }
            next.spans.retain(|s| !s.text.is_empty());
        }
        // a cluster left open at the end of `this`
        let Some(last) = this.spans.last_mut() else {
            continue;
        };
        if !last.text.chars().next_back().is_some_and(is_joiner) {
            continue;
        }
        let mut cut = last.text.len();
        for (at, c) in last.text.char_indices().rev() {
            cut = at;
            if c.width().unwrap_or(0) > 0
                && !last.text[..at].chars().next_back().is_some_and(is_joiner)
            {
                break;
            }
        }
        let moved = last.text.split_off(cut);
        if let Some(first) = next.spans.first_mut() {
            first.text.insert_str(0, &moved);
        }
        this.spans.retain(|s| !s.text.is_empty());
    }
}

/// Splits any line wider than `width` (a table too wide to lay out, a long URL). A cluster
/// (a base character with its combining marks, joiners or virama) is never split: the line
/// breaks before it.
fn fit(lines: Vec<Line>, width: usize) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let mut current = Line::default();
        let mut used = 0;
        let mut prev_w = 1;
        for span in line.spans {
            let mut piece = String::new();
            // where the cluster being built starts in `piece`, and its width so far
            let mut cluster_start = 0;
            let mut cluster_w = 0;
            let mut prev: Option<char> = None;
            for c in span.text.chars() {
                let w = char_width(prev, c);
                prev = Some(c);
                let starts_cluster = w > 0 && prev_w > 0;
                prev_w = w;
                if starts_cluster {
                    cluster_start = piece.len();
                    cluster_w = 0;
                }
                if used + w > width {
                    let carry = if starts_cluster || cluster_start == 0 {
                        String::new()
                    } else {
                        piece.split_off(cluster_start)
                    };
                    if !piece.is_empty() {
                        current.spans.push(Span {
                            text: std::mem::take(&mut piece),
                            style: span.style,
                        });
                    }
                    out.push(std::mem::take(&mut current));
                    used = if carry.is_empty() { 0 } else { cluster_w };
                    piece = carry;
                    cluster_start = 0;
                }
                piece.push(c);
                used += w;
                cluster_w += w;
            }
            if !piece.is_empty() {
                current.spans.push(Span {
                    text: piece,
                    style: span.style,
                });
            }
        }
        if !current.spans.is_empty() {
            out.push(current);
        }
    }
    out
}

#[cfg(test)]
mod tests;
