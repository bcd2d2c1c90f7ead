//! The Article pane: the rendered article (header, body, numbered links), scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::app::App;
use super::super::layout::{Pane, inner};
use super::super::style::Palette;
use super::block;

pub fn draw(frame: &mut Frame, r: Rect, app: &App, p: &Palette) {
    let focused = app.focus == Pane::Article;
    let area = inner(r);
    let height = usize::from(area.height);
    let mut title = String::from(" Article ");
    let mut lines: Vec<Line> = Vec::with_capacity(height);
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
            for line in rendered.lines.iter().skip(app.reader.scroll).take(height) {
                lines.push(Line::from(
                    line.spans
                        .iter()
                        .map(|s| Span::styled(s.text.clone(), p.article(&s.style)))
                        .collect::<Vec<_>>(),
                ));
            }
        }
    }
    frame.render_widget(block(Line::from(title), focused, p), r);
    frame.render_widget(Paragraph::new(lines), area);
}
