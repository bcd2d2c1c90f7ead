//! Lines drawn as ratatui's `Paragraph` draws them unwrapped and left-aligned (one per row,
//! cut at the right edge, control characters dropped), with a fast path for ASCII text.
//!
//! Why not `Paragraph`: every frame redraws every pane, and `Paragraph` splits each span into
//! grapheme clusters and measures each one. That was half the time of a frame on a 160x48
//! screen (`cargo bench -- "reader: draw"`). Most of what the reader draws (titles, dates,
//! counts, borders' titles) is ASCII, where each byte is one cell.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use unicode_segmentation::UnicodeSegmentation;

/// Draws `lines` into `area`, the first on its top row; what does not fit is left out.
pub fn draw(buf: &mut Buffer, area: Rect, lines: &[Line]) {
    let area = area.intersection(buf.area);
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        draw_line(buf, area.left(), y, area.width, line);
    }
}

/// Draws one line at (`x`, `y`), at most `width` cells of it; `y` is a row of the buffer.
pub(super) fn draw_line(buf: &mut Buffer, x: u16, y: u16, width: u16, line: &Line) {
    let right = x.saturating_add(width).min(buf.area.right());
    let mut x = x;
    for span in &line.spans {
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        // ASCII runs go byte to cell; a title cut with "…" is ASCII up to its last character.
        // The last ASCII byte before anything else is left to the segmenter: a combining
        // mark after it joins its cell.
        let ascii = text
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(text.len());
        let fast = if ascii == text.len() {
            ascii
        } else {
            ascii.saturating_sub(1)
        };
        let (head, rest) = text.split_at(fast);
        if !draw_ascii(buf, &mut x, y, right, head, style) {
            return;
        }
        for grapheme in rest.graphemes(true) {
            if grapheme.contains(char::is_control) {
                continue;
            }
            let w = grapheme.cell_width();
            if w == 0 {
                continue;
            }
            // the first grapheme that does not fit ends the line, wide or not
            if x.saturating_add(w) > right {
                return;
            }
            buf[(x, y)].set_symbol(grapheme).set_style(style);
            x += w;
        }
    }
}

/// Draws ASCII `text` from `x` on, one cell a byte, controls left out; false if it reached
/// `right` with text left over (the line ends there).
fn draw_ascii(buf: &mut Buffer, x: &mut u16, y: u16, right: u16, text: &str, style: Style) -> bool {
    if text.is_empty() {
        return true;
    }
    if *x >= right {
        return false;
    }
    let row = buf.index_of(*x, y);
    let mut cells = buf.content[row..row + usize::from(right - *x)].iter_mut();
    // a control character is no cell: Paragraph drops it too
    for byte in text.bytes().filter(|b| !b.is_ascii_control()) {
        let Some(cell) = cells.next() else {
            return false;
        };
        // a space on a cell that already shows one (most of a padded row, on a screen
        // cleared for the frame) needs only its style: making the symbol costs more
        if byte != b' ' || cell.symbol() != " " {
            cell.set_char(char::from(byte));
        }
        cell.set_style(style);
        *x += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::Span;
    use ratatui::widgets::{Paragraph, Widget};

    /// Lines that cover what the fast path must get right: ASCII with controls, wide and
    /// combining characters, emoji sequences, a wide character at the edge, styles on the
    /// line and on spans, empty spans, more lines than rows.
    fn awkward_lines() -> Vec<Line<'static>> {
        vec![
            Line::from("plain ascii that is longer than the area is wide, by a lot"),
            Line::from(vec![
                Span::styled("●", Style::default().fg(Color::Blue)),
                Span::raw("  "),
                Span::styled("Jun 01 ", Style::default().fg(Color::DarkGray)),
                Span::styled("Bold title", Style::default().add_modifier(Modifier::BOLD)),
            ])
            .style(Style::default().add_modifier(Modifier::REVERSED)),
            Line::from("tab\there, bell\u{7}, cr\r\nlf, esc\u{1b}[31m, del\u{7f}"),
            Line::from("日本語のタイトル 日本語のタイトル 日本語のタイトル 日本語"),
            Line::from("x日本語のタイトル 日本語のタイトル 日本語のタイトル 日本"),
            Line::from("a title cut short…"),
            Line::from("cafe\u{301} nai\u{308}ve 👩‍👩‍👧 🇮🇳 Ångström Kraków ﾊﾟ e\u{200b}x"),
            Line::from(vec![
                Span::raw(""),
                Span::styled("", Style::default().red()),
                Span::raw("after empty spans"),
            ]),
            Line::from(vec![
                Span::raw("a".repeat(20)),
                Span::styled("界", Style::default().green()),
                Span::raw("never drawn"),
            ]),
            Line::from(""),
            Line::from("one more line than the area has rows"),
        ]
    }

    /// A buffer with something drawn already on some rows, for the lines to overwrite.
    fn drawn_on() -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 12));
        for y in [1, 2, 7] {
            buf.set_string(0, y, "#".repeat(30), Style::default().fg(Color::Green));
        }
        buf
    }

    fn by_paragraph(area: Rect, lines: Vec<Line<'static>>) -> Buffer {
        let mut buf = drawn_on();
        Paragraph::new(lines).render(area, &mut buf);
        buf
    }

    fn by_lines(area: Rect, lines: &[Line<'static>]) -> Buffer {
        let mut buf = drawn_on();
        draw(&mut buf, area, lines);
        buf
    }

    #[test]
    fn draws_exactly_what_paragraph_draws() {
        let lines = awkward_lines();
        // odd and even widths (a wide character lands on the edge in one of them), an offset
        // area, and one that runs past the buffer
        for area in [
            Rect::new(0, 0, 21, 9),
            Rect::new(0, 0, 22, 9),
            Rect::new(3, 1, 17, 8),
            Rect::new(20, 5, 20, 20),
            Rect::new(0, 0, 1, 3),
            Rect::new(0, 0, 0, 3),
        ] {
            assert_eq!(
                by_lines(area, &lines),
                by_paragraph(area, lines.clone()),
                "area {area:?}"
            );
        }
    }

    #[test]
    fn a_line_is_cut_at_the_width_it_is_given() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        draw_line(&mut buf, 2, 0, 4, &Line::from("abcdefgh"));
        assert_eq!(buf, Buffer::with_lines(["  abcd    "]));
    }
}
