//! A pane's border and its title, drawn cell for cell as ratatui's `Block::bordered()` draws
//! them (plain lines, the title at the top left), but touching only the border's cells: the
//! block also restyles every cell inside, which cost an eighth of each frame on a 160x48
//! screen (`cargo bench -- "reader: draw"`), with nothing to restyle.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::line;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::text::columns::printable_ascii;

/// Draws the border of `area` in `style`, with `title` on its top edge.
pub fn draw(buf: &mut Buffer, area: Rect, title: &str, style: Style) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let (left, top) = (area.left(), area.top());
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    for x in left..=right {
        buf[(x, top)].set_symbol(line::HORIZONTAL).set_style(style);
        buf[(x, bottom)]
            .set_symbol(line::HORIZONTAL)
            .set_style(style);
    }
    for y in top..=bottom {
        buf[(left, y)].set_symbol(line::VERTICAL).set_style(style);
        buf[(right, y)].set_symbol(line::VERTICAL).set_style(style);
    }
    // the block's order: where corners coincide (one row or column), the last one stays
    for (x, y, corner) in [
        (right, bottom, line::BOTTOM_RIGHT),
        (right, top, line::TOP_RIGHT),
        (left, bottom, line::BOTTOM_LEFT),
        (left, top, line::TOP_LEFT),
    ] {
        buf[(x, y)].set_symbol(corner).set_style(style);
    }
    let room = area.width.saturating_sub(2);
    if room == 0 || title.is_empty() {
        return;
    }
    if printable_ascii(title) {
        super::lines::draw_line(buf, left + 1, top, room, &Line::raw(title));
    } else {
        // anything else (a search for wide or combining characters): the block's own way
        let line = Line::from(title);
        let width = u16::try_from(line.width()).unwrap_or(u16::MAX).min(room);
        line.render(Rect::new(left + 1, top, width, 1), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};
    use ratatui::widgets::Block;

    fn by_block(area: Rect, title: &str, style: Style) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 24, 8));
        buf.set_string(0, 3, "x".repeat(24), Style::default().fg(Color::Green));
        Block::bordered()
            .title(Line::from(title.to_string()))
            .border_style(style)
            .render(area, &mut buf);
        buf
    }

    fn by_border(area: Rect, title: &str, style: Style) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 24, 8));
        buf.set_string(0, 3, "x".repeat(24), Style::default().fg(Color::Green));
        draw(&mut buf, area, title, style);
        buf
    }

    #[test]
    fn draws_exactly_what_a_bordered_block_draws() {
        let style = Style::default()
            .fg(Color::Blue)
            .add_modifier(Modifier::BOLD);
        for title in [
            " Articles (50950) ",
            "",
            " a title far longer than any of these areas ",
            " Articles · search: 日本語 (3) ",
            " cafe\u{301} e\u{200b}x ",
            " bell\u{7} ",
        ] {
            for area in [
                Rect::new(0, 0, 24, 8),
                Rect::new(2, 1, 13, 5),
                Rect::new(20, 4, 10, 10),
                Rect::new(0, 0, 1, 1),
                Rect::new(0, 0, 2, 3),
                Rect::new(0, 0, 3, 1),
                Rect::new(0, 0, 1, 4),
                Rect::new(0, 0, 0, 4),
            ] {
                assert_eq!(
                    by_border(area, title, style),
                    by_block(area, title, style),
                    "title {title:?} in {area:?}"
                );
            }
        }
    }
}
