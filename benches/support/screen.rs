//! The reader's screen as the benchmark harness shows it (160x48: 1,000 feeds, 50,000
//! articles, their titles from the synthetic corpus, some non-ASCII), drawn whole as in the
//! terminal: ratatui's render, its diff against the last frame, and the escape codes for the
//! change, written to a sink. For the frame benchmark and `examples/reader-frames.rs`.

use byline::config::keys::{Key, KeyCode, KeyMap};
use byline::store::{ArticleId, ArticleRow, FeedId, FeedRow};
use byline::tui::app::App;
use byline::tui::event::{Job, Msg};
use byline::tui::style::Palette;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

pub struct Screen {
    app: App,
    terminal: Terminal<CrosstermBackend<std::io::Sink>>,
    palette: Palette,
    down: bool,
}

impl Screen {
    /// The screen with its first frame drawn.
    pub fn new() -> Screen {
        let (w, h) = (160, 48);
        let mut app = App::new(KeyMap::default(), false, w, h);
        let seq = app
            .start(false)
            .iter()
            .find_map(|j| match j {
                Job::LoadIds { seq, .. } => Some(*seq),
                _ => None,
            })
            .unwrap();
        let feeds = (1..=1000)
            .map(|i| FeedRow {
                article_count: 50,
                unread_count: 50 - i % 7,
                ..FeedRow::new(
                    FeedId(i),
                    format!("http://127.0.0.1/feed-{i}.xml"),
                    format!("Feed {i:04}: Wandering Kitchen"),
                )
            })
            .collect();
        app.update(Msg::FeedsLoaded(feeds, 0));
        let n = 50_000;
        let ids = (1..=n).map(|i| (ArticleId(i), i % 3 == 0)).collect();
        let jobs = app.update(Msg::IdsLoaded {
            seq,
            ids,
            complete: true,
            rows: Vec::new(),
        });
        let corpus = super::Corpus::new(5);
        let rows = jobs
            .iter()
            .flat_map(|j| match j {
                Job::LoadRows(ids) => ids.clone(),
                _ => Vec::new(),
            })
            .map(|id| ArticleRow {
                id,
                feed_id: FeedId(1 + id.0 % 1000),
                feed: format!("Feed {:04}: Busy Notes", 1 + id.0 % 1000),
                title: corpus.article(id.0 as usize, "https://synth.test").title,
                url: None,
                author: None,
                published: Some(1_780_000_000 - id.0 * 60),
                updated: None,
                sort_time: 1_780_000_000 - id.0 * 60,
                categories: Vec::new(),
                read: id.0 % 3 == 0,
                starred: id.0 % 11 == 0,
            })
            .collect::<Vec<_>>();
        assert!(rows.len() > 40, "a screenful of rows is asked for");
        app.update(Msg::RowsLoaded(rows));
        let palette = Palette::new(Default::default(), true);
        let area = Rect::new(0, 0, w, h);
        let terminal = Terminal::with_options(
            CrosstermBackend::new(std::io::sink()),
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )
        .unwrap();
        let mut screen = Screen {
            app,
            terminal,
            palette,
            down: true,
        };
        screen.draw();
        screen
    }

    /// A move down, or up after a move down (so the rows on screen stay loaded), and its frame.
    pub fn move_and_draw(&mut self) {
        let code = if self.down {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        self.down = !self.down;
        self.app.update(Msg::Key(Key::plain(code)));
        self.draw();
    }

    fn draw(&mut self) {
        let (app, palette) = (&self.app, &self.palette);
        self.terminal
            .draw(|f| byline::tui::ui::draw(f, app, palette))
            .unwrap();
    }
}
