//! Where each pane goes, as a pure function of the terminal size and the focused pane. Both
//! drawing and mouse handling use it, so a click lands where the pane was drawn.

use ratatui::layout::Rect;

/// Terminals at least this wide show the panes side by side.
pub const WIDE: u16 = 100;
/// ... and at least this wide, the feeds as a column on the left.
pub const WITH_FEEDS: u16 = 150;
const FEEDS_WIDTH: u16 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Feeds,
    List,
    Article,
    Related,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [Pane::Feeds, Pane::List, Pane::Article, Pane::Related];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Feeds => "Feeds",
            Pane::List => "Articles",
            Pane::Article => "Article",
            Pane::Related => "Related",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub feeds: Option<Rect>,
    pub list: Option<Rect>,
    pub article: Option<Rect>,
    pub related: Option<Rect>,
    /// Narrow terminals: a line naming the panes, the focused one marked.
    pub tabs: Option<Rect>,
    pub status: Rect,
}

impl Areas {
    pub fn of(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::Feeds => self.feeds,
            Pane::List => self.list,
            Pane::Article => self.article,
            Pane::Related => self.related,
        }
    }

    /// The panes this layout can show (narrow layouts show one at a time).
    pub fn panes(&self) -> Vec<Pane> {
        if self.tabs.is_some() {
            return Pane::ORDER.to_vec();
        }
        Pane::ORDER
            .into_iter()
            .filter(|p| self.of(*p).is_some())
            .collect()
    }

    /// The pane under a screen position.
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        Pane::ORDER.into_iter().find(|p| {
            self.of(*p).is_some_and(|r| {
                column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
            })
        })
    }
}

pub fn is_wide(width: u16) -> bool {
    width >= WIDE
}

pub fn areas(width: u16, height: u16, focus: Pane) -> Areas {
    let height = height.max(3);
    let status = Rect::new(0, height - 1, width, 1);
    let body_h = height - 1;
    if is_wide(width) {
        let feeds_w = if width >= WITH_FEEDS { FEEDS_WIDTH } else { 0 };
        let rest = width - feeds_w;
        let list_w = (rest * 2 / 5).clamp(32, 70);
        let right_w = rest - list_w;
        let related_h = (body_h * 35 / 100).max(6).min(body_h.saturating_sub(6));
        let article_h = body_h - related_h;
        Areas {
            feeds: (feeds_w > 0).then(|| Rect::new(0, 0, feeds_w, body_h)),
            list: Some(Rect::new(feeds_w, 0, list_w, body_h)),
            article: Some(Rect::new(feeds_w + list_w, 0, right_w, article_h)),
            related: Some(Rect::new(feeds_w + list_w, article_h, right_w, related_h)),
            tabs: None,
            status,
        }
    } else {
        let pane = Rect::new(0, 1, width, body_h.saturating_sub(1));
        let mut areas = Areas {
            tabs: Some(Rect::new(0, 0, width, 1)),
            status,
            ..Areas::default()
        };
        match focus {
            Pane::Feeds => areas.feeds = Some(pane),
            Pane::List => areas.list = Some(pane),
            Pane::Article => areas.article = Some(pane),
            Pane::Related => areas.related = Some(pane),
        }
        areas
    }
}

/// The inside of a bordered pane.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}
