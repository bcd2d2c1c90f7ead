//! The reader's state and the one place it changes: `App::update(msg)`, which is pure (no
//! I/O, no terminal) and returns the jobs it wants run. Drawing only reads this state.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use super::event::{Job, Mouse, Msg};
use super::layout::{self, Pane};
use crate::config::keys::{Action, Key, KeyCode, KeyMap};
use crate::refresh::{FeedReport, Status};
use crate::related::Related;
use crate::store::{Article, ArticleId, ArticleRow, FeedId, FeedRow, ListFilter};
use crate::text::Rendered;

/// Rows loaded around the visible part of the list.
const ROW_MARGIN: usize = 100;
/// Rendered articles kept, per (article, width).
const RENDER_CACHE: usize = 32;
/// Articles listed before the whole list has loaded (more than any screen shows).
pub const FIRST_SCREENFUL: usize = 300;
/// Related stories shown.
pub const RELATED_LIMIT: usize = 8;

#[derive(Debug, Default)]
pub struct ListState {
    pub ids: Vec<ArticleId>,
    /// Read flags, parallel to `ids`: next/previous unread need no query.
    pub read: Vec<bool>,
    pub rows: HashMap<ArticleId, ArticleRow>,
    requested: HashSet<ArticleId>,
    pub selected: usize,
    /// First visible row.
    pub top: usize,
    pub filter: ListFilter,
    /// The filter the loaded ids answer: until a new filter's list arrives, the pane goes on
    /// naming the list it shows.
    pub shown: ListFilter,
    /// Which `LoadIds` request the list is waiting for.
    seq: u64,
    /// Until the first answer, the list says "loading".
    pub loaded: bool,
    /// False while only the first screenful is loaded.
    pub complete: bool,
}

impl ListState {
    pub fn selected_id(&self) -> Option<ArticleId> {
        self.ids.get(self.selected).copied()
    }

    pub fn selected_row(&self) -> Option<&ArticleRow> {
        self.selected_id().and_then(|id| self.rows.get(&id))
    }
}

#[derive(Debug, Default)]
pub struct Reader {
    /// The article asked for (may still be loading).
    pub id: Option<ArticleId>,
    pub article: Option<Arc<Article>>,
    pub rendered: Option<Arc<Rendered>>,
    pub scroll: usize,
    /// A full-text fetch is under way for this article.
    pub fetching: bool,
}

#[derive(Debug, Default)]
pub struct RelatedPane {
    pub for_id: Option<ArticleId>,
    pub items: Vec<Related>,
    pub selected: usize,
    pub loading: bool,
}

#[derive(Debug, Default)]
pub struct RefreshState {
    pub running: bool,
    pub done: usize,
    pub total: usize,
    pub new: usize,
    /// Feeds whose last refresh failed: (name, error).
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// Typing a list filter.
    Filter(String),
    /// Typing a search of the whole cache.
    Search(String),
}

pub struct App {
    pub list: ListState,
    pub feeds: Vec<FeedRow>,
    /// Unread articles counted by their feeds but not listed across feeds (copies).
    pub hidden_unread: i64,
    /// Cursor in the Feeds pane: 0 is "All feeds", then the feeds in order.
    pub feeds_cursor: usize,
    pub reader: Reader,
    pub related: RelatedPane,
    /// Articles opened through the Related pane, to go back along.
    pub trail: Vec<ArticleId>,
    pub focus: Pane,
    pub overlay: Overlay,
    /// Digits typed before an action (`3 o` opens link 3).
    pub count: Option<u32>,
    pub width: u16,
    pub height: u16,
    pub refresh: RefreshState,
    /// A line for the status bar, and whether it is an error.
    pub message: Option<(String, bool)>,
    pub keys: KeyMap,
    pub mouse: bool,
    /// Links in the article pane are OSC 8 hyperlinks (config `hyperlinks`).
    pub hyperlinks: bool,
    pub quit: bool,
    render_cache: HashMap<(ArticleId, u16), Arc<Rendered>>,
    render_order: VecDeque<(ArticleId, u16)>,
}

impl App {
    pub fn new(keys: KeyMap, mouse: bool, width: u16, height: u16) -> App {
        App {
            list: ListState::default(),
            feeds: Vec::new(),
            hidden_unread: 0,
            feeds_cursor: 0,
            reader: Reader::default(),
            related: RelatedPane::default(),
            trail: Vec::new(),
            focus: Pane::List,
            overlay: Overlay::None,
            count: None,
            width,
            height,
            refresh: RefreshState::default(),
            message: None,
            keys,
            mouse,
            hyperlinks: false,
            quit: false,
            render_cache: HashMap::new(),
            render_order: VecDeque::new(),
        }
    }

    /// The jobs to run at start: feeds and the list (and a refresh, if the config asks). The
    /// list comes twice under one request number: its first screenful at once, then whole.
    pub fn start(&mut self, refresh: bool) -> Vec<Job> {
        let mut jobs = vec![Job::LoadFeeds];
        jobs.extend(self.reload_ids_screenful_first());
        if refresh {
            jobs.push(Job::Refresh(None));
        }
        jobs
    }

    /// Unread articles across feeds, each story once.
    pub fn all_unread(&self) -> i64 {
        let counted: i64 = self.feeds.iter().map(|f| f.unread_count).sum();
        (counted - self.hidden_unread).max(0)
    }

    pub fn areas(&self) -> layout::Areas {
        layout::areas(self.width, self.height, self.focus)
    }

    /// Rows of list the screen shows.
    pub fn list_height(&self) -> usize {
        let areas = layout::areas(self.width, self.height, Pane::List);
        areas.list.map_or(1, |r| {
            usize::from(layout::inner(r).height)
                .saturating_sub(1)
                .max(1)
        })
    }

    /// Columns the article is laid out in.
    pub fn article_width(&self) -> u16 {
        let areas = layout::areas(self.width, self.height, Pane::Article);
        areas
            .article
            .map_or(20, |r| layout::inner(r).width.saturating_sub(1).max(20))
    }

    pub fn article_height(&self) -> usize {
        let areas = layout::areas(self.width, self.height, Pane::Article);
        areas
            .article
            .map_or(1, |r| usize::from(layout::inner(r).height).max(1))
    }

    /// Changes state for one message and returns the I/O it needs.
    pub fn update(&mut self, msg: Msg) -> Vec<Job> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Resize { width, height } => {
                self.width = width;
                self.height = height;
                let mut jobs = self.clamp_list();
                jobs.extend(self.rerender());
                jobs
            }
            Msg::IdsLoaded {
                seq,
                ids,
                complete,
                rows,
            } => {
                let jobs = self.on_ids(seq, ids, rows);
                if seq == self.list.seq {
                    self.list.complete = complete;
                }
                jobs
            }
            Msg::RowsLoaded(rows) => {
                for row in rows {
                    self.list.requested.remove(&row.id);
                    self.list.rows.insert(row.id, row);
                }
                Vec::new()
            }
            Msg::FeedsLoaded(feeds, hidden_unread) => {
                self.feeds = feeds;
                self.hidden_unread = hidden_unread;
                self.feeds_cursor = self.feeds_cursor.min(self.feeds.len());
                if let Some(f) = self.list.filter.feed
                    && !self.feeds.iter().any(|x| x.id == f)
                {
                    self.list.filter.feed = None;
                    return vec![self.reload_ids()];
                }
                Vec::new()
            }
            Msg::ArticleLoaded(article) => self.on_article(article),
            Msg::Rendered {
                id,
                width,
                rendered,
            } => {
                self.cache_render(id, width, rendered.clone());
                if self.reader.id == Some(id) && width == self.article_width() {
                    self.reader.rendered = Some(rendered);
                    self.clamp_scroll();
                }
                Vec::new()
            }
            Msg::RelatedLoaded { id, items } => {
                if self.related.for_id == Some(id) {
                    self.related.items = items;
                    self.related.selected = 0;
                    self.related.loading = false;
                }
                Vec::new()
            }
            Msg::RefreshStarted { total } => {
                self.refresh = RefreshState {
                    running: true,
                    total,
                    ..RefreshState::default()
                };
                Vec::new()
            }
            Msg::FeedRefreshed(report) => self.on_feed_refreshed(report),
            Msg::RefreshFinished => {
                self.refresh.running = false;
                let errors = self.refresh.errors.len();
                self.message = Some(if errors == 0 {
                    (format!("refreshed: {} new", self.refresh.new), false)
                } else {
                    (
                        format!(
                            "refreshed: {} new, {} failed",
                            self.refresh.new,
                            crate::text::columns::counted(errors, "feed")
                        ),
                        true,
                    )
                });
                // what the refresh wrote (through its own connection) shows as a change to
                // the cache: one reload of list and feeds, for it and anything cron wrote
                vec![Job::CheckCache]
            }
            // a refresh is writing: its own messages reload what it changes
            Msg::Tick if self.refresh.running => Vec::new(),
            Msg::Tick => vec![Job::RefreshDue, Job::CheckCache],
            Msg::CacheChanged | Msg::MarkedRead => vec![self.reload_ids(), Job::LoadFeeds],
            Msg::Error(e) => {
                self.message = Some((e, true));
                Vec::new()
            }
            Msg::Info(i) => {
                self.message = Some((i, false));
                Vec::new()
            }
        }
    }

    fn on_key(&mut self, key: Key) -> Vec<Job> {
        if let Overlay::Filter(text) = &self.overlay {
            return self.on_filter_key(key, text.clone());
        }
        if let Overlay::Search(text) = &self.overlay {
            return self.on_search_key(key, text.clone());
        }
        if self.overlay == Overlay::Help {
            // any key closes help
            self.overlay = Overlay::None;
            return Vec::new();
        }
        if let KeyCode::Char(c) = key.code
            && !key.ctrl
            && !key.alt
            && let Some(d) = c.to_digit(10)
            && (d > 0 || self.count.is_some())
        {
            self.count = Some(
                self.count
                    .unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(d)
                    .min(9999),
            );
            return Vec::new();
        }
        let count = self.count.take();
        match self.keys.action(&key) {
            Some(action) => {
                self.message = None;
                self.on_action(action, count)
            }
            None => Vec::new(),
        }
    }

    fn on_filter_key(&mut self, key: Key, mut text: String) -> Vec<Job> {
        match key.code {
            KeyCode::Esc => {
                self.overlay = Overlay::None;
                self.list.filter.text = None;
                return vec![self.reload_ids()];
            }
            KeyCode::Enter => {
                self.overlay = Overlay::None;
                return Vec::new();
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !key.ctrl && !key.alt => text.push(c),
            _ => return Vec::new(),
        }
        self.list.filter.text = Some(text.clone()).filter(|t| !t.is_empty());
        self.overlay = Overlay::Filter(text);
        vec![self.reload_ids()]
    }

    /// Typing a search: nothing changes until Enter (a search ranks the whole cache).
    fn on_search_key(&mut self, key: Key, mut text: String) -> Vec<Job> {
        match key.code {
            KeyCode::Esc => {
                self.overlay = Overlay::None;
                return Vec::new();
            }
            KeyCode::Enter => {
                self.overlay = Overlay::None;
                if crate::search::fts_query(&text).is_none() {
                    self.message = Some(("nothing to search for".into(), true));
                    return Vec::new();
                }
                self.list.filter.search = Some(text);
                self.list.selected = 0;
                self.list.top = 0;
                return vec![self.reload_ids()];
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !key.ctrl && !key.alt => text.push(c),
            _ => {}
        }
        self.overlay = Overlay::Search(text);
        Vec::new()
    }

    fn on_action(&mut self, action: Action, count: Option<u32>) -> Vec<Job> {
        let n = count.unwrap_or(1) as usize;
        match action {
            Action::Down => self.move_by(n as isize),
            Action::Up => self.move_by(-(n as isize)),
            Action::PageDown => self.page(1),
            Action::PageUp => self.page(-1),
            Action::First => self.move_to(0),
            Action::Last => self.move_to(usize::MAX),
            Action::Open => self.open_focused(),
            Action::NextPane | Action::PrevPane => {
                let panes = self.areas().panes();
                let at = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
                let next = if action == Action::NextPane {
                    (at + 1) % panes.len()
                } else {
                    (at + panes.len() - 1) % panes.len()
                };
                self.focus = panes[next];
                self.rerender()
            }
            Action::PaneLeft => {
                let feeds_shown = self.areas().feeds.is_some() || self.areas().tabs.is_some();
                self.focus = match self.focus {
                    Pane::Article | Pane::Related => Pane::List,
                    Pane::List if feeds_shown => Pane::Feeds,
                    other => other,
                };
                Vec::new()
            }
            Action::PaneRight => {
                self.focus = match self.focus {
                    Pane::Feeds => Pane::List,
                    Pane::List => Pane::Article,
                    other => other,
                };
                self.rerender()
            }
            Action::Back => {
                match self.focus {
                    Pane::Feeds => self.quit = true,
                    Pane::List => {
                        // back out of a search, then a filter, then quit
                        if self.list.filter.search.is_some() {
                            self.list.filter.search = None;
                            self.list.selected = 0;
                            self.list.top = 0;
                            return vec![self.reload_ids()];
                        }
                        if self.list.filter.text.is_some() {
                            self.list.filter.text = None;
                            return vec![self.reload_ids()];
                        }
                        self.quit = true;
                    }
                    Pane::Article | Pane::Related => self.focus = Pane::List,
                }
                Vec::new()
            }
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::Refresh => {
                if self.refresh.running {
                    self.message = Some(("a refresh is already running".into(), false));
                    Vec::new()
                } else {
                    vec![Job::Refresh(None)]
                }
            }
            Action::RefreshFeed => match self.current_feed() {
                Some(feed) if !self.refresh.running => vec![Job::Refresh(Some(feed))],
                Some(_) => {
                    self.message = Some(("a refresh is already running".into(), false));
                    Vec::new()
                }
                None => Vec::new(),
            },
            Action::NextUnread => self.jump_unread(true),
            Action::PrevUnread => self.jump_unread(false),
            Action::ToggleRead => {
                let Some(id) = self.current_article() else {
                    return Vec::new();
                };
                let read = !self.is_read(id);
                self.set_read_locally(id, read);
                vec![Job::SetRead { id, read }]
            }
            Action::ToggleStar => {
                let Some(id) = self.current_article() else {
                    return Vec::new();
                };
                let starred = !self
                    .list
                    .rows
                    .get(&id)
                    .map(|r| r.starred)
                    .unwrap_or_else(|| self.reader.article.as_ref().is_some_and(|a| a.row.starred));
                if let Some(row) = self.list.rows.get_mut(&id) {
                    row.starred = starred;
                }
                self.message = Some((if starred { "starred" } else { "unstarred" }.into(), false));
                vec![Job::SetStarred { id, starred }]
            }
            Action::MarkFeedRead => {
                let Some(feed) = self.current_feed() else {
                    return Vec::new();
                };
                for (i, id) in self.list.ids.iter().enumerate() {
                    if self.list.rows.get(id).is_some_and(|r| r.feed_id == feed) {
                        self.list.read[i] = true;
                    }
                }
                for row in self.list.rows.values_mut() {
                    if row.feed_id == feed {
                        row.read = true;
                    }
                }
                let mut name = String::new();
                if let Some(f) = self.feeds.iter_mut().find(|f| f.id == feed) {
                    f.unread_count = 0;
                    name = f.shown_name();
                }
                self.message = Some((format!("marked {name} read"), false));
                // the cache follows in steps; the list and counts reload when it is done
                // (`Msg::MarkedRead`)
                vec![Job::MarkFeedRead(feed)]
            }
            Action::MarkAllRead => {
                self.list.read.iter_mut().for_each(|r| *r = true);
                self.list.rows.values_mut().for_each(|r| r.read = true);
                self.feeds.iter_mut().for_each(|f| f.unread_count = 0);
                self.message = Some(("marked everything read".into(), false));
                vec![Job::MarkAllRead]
            }
            Action::OpenInBrowser => {
                let url = match count {
                    Some(n) => match self
                        .reader
                        .rendered
                        .as_ref()
                        .and_then(|r| r.links.get(n as usize - 1))
                    {
                        Some(u) => Some(u.clone()),
                        None => {
                            self.message = Some((format!("this article has no link {n}"), true));
                            return Vec::new();
                        }
                    },
                    None => self.current_url(),
                };
                match url {
                    Some(u) => {
                        self.message = Some((format!("opening {u}"), false));
                        vec![Job::OpenUrl(u)]
                    }
                    None => Vec::new(),
                }
            }
            Action::CopyLink => match self.current_url() {
                Some(u) => {
                    self.message = Some((format!("copied {u}"), false));
                    vec![Job::Copy(u)]
                }
                None => Vec::new(),
            },
            Action::Filter => {
                self.focus = Pane::List;
                self.overlay = Overlay::Filter(self.list.filter.text.clone().unwrap_or_default());
                Vec::new()
            }
            Action::Search => {
                self.focus = Pane::List;
                self.overlay = Overlay::Search(self.list.filter.search.clone().unwrap_or_default());
                Vec::new()
            }
            Action::NextFeed | Action::PrevFeed => {
                let ids: Vec<Option<FeedId>> = std::iter::once(None)
                    .chain(self.feeds.iter().map(|f| Some(f.id)))
                    .collect();
                let at = ids
                    .iter()
                    .position(|f| *f == self.list.filter.feed)
                    .unwrap_or(0);
                let next = if action == Action::NextFeed {
                    (at + 1) % ids.len()
                } else {
                    (at + ids.len() - 1) % ids.len()
                };
                self.feeds_cursor = next;
                self.show_feed(ids[next])
            }
            Action::History => match self.trail.pop() {
                Some(id) => self.open(id, false),
                None => {
                    self.message = Some(("no earlier article".into(), false));
                    Vec::new()
                }
            },
            Action::Help => {
                self.overlay = Overlay::Help;
                Vec::new()
            }
        }
    }

    /// Moves the selection (list, related) or scrolls (article).
    fn move_by(&mut self, delta: isize) -> Vec<Job> {
        match self.focus {
            Pane::Feeds => {
                let target = (self.feeds_cursor as isize + delta).max(0) as usize;
                self.move_to(target)
            }
            Pane::List => {
                let target = (self.list.selected as isize + delta).max(0) as usize;
                self.move_to(target)
            }
            Pane::Article => {
                self.reader.scroll = (self.reader.scroll as isize + delta).max(0) as usize;
                self.clamp_scroll();
                Vec::new()
            }
            Pane::Related => {
                let len = self.related.items.len();
                if len > 0 {
                    self.related.selected = (self.related.selected as isize + delta)
                        .clamp(0, len as isize - 1)
                        as usize;
                }
                Vec::new()
            }
        }
    }

    fn move_to(&mut self, index: usize) -> Vec<Job> {
        match self.focus {
            Pane::Feeds => {
                self.feeds_cursor = index.min(self.feeds.len());
                Vec::new()
            }
            Pane::List => {
                if self.list.ids.is_empty() {
                    return Vec::new();
                }
                self.list.selected = index.min(self.list.ids.len() - 1);
                self.clamp_list()
            }
            Pane::Article => {
                self.reader.scroll = index;
                self.clamp_scroll();
                Vec::new()
            }
            Pane::Related => {
                if !self.related.items.is_empty() {
                    self.related.selected = index.min(self.related.items.len() - 1);
                }
                Vec::new()
            }
        }
    }

    fn page(&mut self, direction: isize) -> Vec<Job> {
        let step = match self.focus {
            Pane::Article => self.article_height().saturating_sub(2).max(1),
            _ => self.list_height().saturating_sub(1).max(1),
        } as isize;
        self.move_by(step * direction)
    }

    /// Keeps the selection on screen, and asks for the rows that came into view.
    fn clamp_list(&mut self) -> Vec<Job> {
        let h = self.list_height();
        let len = self.list.ids.len();
        if len == 0 {
            self.list.selected = 0;
            self.list.top = 0;
            return Vec::new();
        }
        self.list.selected = self.list.selected.min(len - 1);
        if self.list.selected < self.list.top {
            self.list.top = self.list.selected;
        } else if self.list.selected >= self.list.top + h {
            self.list.top = self.list.selected + 1 - h;
        }
        self.list.top = self.list.top.min(len.saturating_sub(h));
        self.request_rows()
    }

    fn request_rows(&mut self) -> Vec<Job> {
        let h = self.list_height();
        let from = self.list.top.saturating_sub(ROW_MARGIN);
        let to = (self.list.top + h + ROW_MARGIN).min(self.list.ids.len());
        let missing: Vec<ArticleId> = self.list.ids[from..to]
            .iter()
            .filter(|id| !self.list.rows.contains_key(id) && !self.list.requested.contains(id))
            .copied()
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        self.list.requested.extend(missing.iter().copied());
        vec![Job::LoadRows(missing)]
    }

    fn clamp_scroll(&mut self) {
        let lines = self.reader.rendered.as_ref().map_or(0, |r| r.lines.len());
        let max = lines.saturating_sub(self.article_height().saturating_sub(1).max(1));
        self.reader.scroll = self.reader.scroll.min(max);
    }

    fn reload_ids(&mut self) -> Job {
        self.list.seq += 1;
        Job::LoadIds {
            seq: self.list.seq,
            filter: self.list.filter.clone(),
            rows: 0,
        }
    }

    /// The list's first screenful (with the rows on screen), then all of it: a long list
    /// shows without waiting for its tail, and shows whole.
    fn reload_ids_screenful_first(&mut self) -> [Job; 2] {
        let full = self.reload_ids();
        let mut first = full.clone();
        if let Job::LoadIds { filter, rows, .. } = &mut first {
            filter.limit = Some(FIRST_SCREENFUL);
            *rows = self.list_height();
        }
        [first, full]
    }

    fn on_ids(&mut self, seq: u64, ids: Vec<(ArticleId, bool)>, rows: Vec<ArticleRow>) -> Vec<Job> {
        if seq != self.list.seq {
            return Vec::new(); // an answer to a filter the user has since changed
        }
        self.list.shown = self.list.filter.clone();
        let fresh: HashSet<ArticleId> = rows.iter().map(|r| r.id).collect();
        for row in rows {
            self.list.rows.insert(row.id, row);
        }
        let keep = self.list.selected_id();
        let top_id = self.list.ids.get(self.list.top).copied();
        let old_selected = self.list.selected;
        self.list.ids = ids.iter().map(|(id, _)| *id).collect();
        self.list.read = ids.iter().map(|(_, r)| *r).collect();
        self.list.loaded = true;
        // Keep the selection on the same article as rows arrive above. A view scrolled down
        // stays steady; a view at the top stays there, so what just arrived is seen.
        let at_top = self.list.top == 0;
        if let Some(keep) = keep {
            match self.list.ids.iter().position(|id| *id == keep) {
                Some(i) => {
                    let shift = i as isize - old_selected as isize;
                    self.list.selected = i;
                    if !at_top {
                        self.list.top = (self.list.top as isize + shift).max(0) as usize;
                    }
                }
                None => self.list.selected = old_selected,
            }
        } else if let Some(top) = top_id
            && !at_top
            && let Some(i) = self.list.ids.iter().position(|id| *id == top)
        {
            self.list.top = i;
        }
        // Cached rows may be stale (read state changed elsewhere): refresh those in view.
        self.list.requested.clear();
        let h = self.list_height();
        let visible: Vec<ArticleId> = self
            .list
            .ids
            .iter()
            .skip(self.list.top)
            .take(h)
            .copied()
            .collect();
        let mut jobs = self.clamp_list();
        let stale: Vec<ArticleId> = visible
            .into_iter()
            .filter(|id| self.list.rows.contains_key(id) && !fresh.contains(id))
            .collect();
        if !stale.is_empty() {
            jobs.push(Job::LoadRows(stale));
        }
        jobs
    }

    fn on_article(&mut self, article: Arc<Article>) -> Vec<Job> {
        if self.reader.id != Some(article.row.id) {
            return Vec::new();
        }
        let id = article.row.id;
        let width = self.article_width();
        let mut jobs = Vec::new();
        let changed = self
            .reader
            .article
            .as_ref()
            .is_some_and(|a| a.body_html() != article.body_html());
        if changed {
            // new body (the full text arrived): drop renders of the old one
            self.render_cache.retain(|(a, _), _| *a != id);
            self.render_order.retain(|(a, _)| *a != id);
        }
        self.reader.fetching = false;
        if article.needs_full_text()
            && let Some(url) = article.row.url.clone()
        {
            self.reader.fetching = true;
            jobs.push(Job::FetchFullText { id, url });
        }
        match self.render_cache.get(&(id, width)) {
            Some(r) => self.reader.rendered = Some(r.clone()),
            None => jobs.push(Job::Render {
                article: article.clone(),
                width,
            }),
        }
        self.reader.article = Some(article);
        jobs
    }

    fn rerender(&mut self) -> Vec<Job> {
        let Some(article) = self.reader.article.clone() else {
            return Vec::new();
        };
        let width = self.article_width();
        if self
            .reader
            .rendered
            .as_ref()
            .is_some_and(|r| r.width == usize::from(width))
        {
            return Vec::new();
        }
        match self.render_cache.get(&(article.row.id, width)) {
            Some(r) => {
                self.reader.rendered = Some(r.clone());
                self.clamp_scroll();
                Vec::new()
            }
            None => vec![Job::Render { article, width }],
        }
    }

    fn cache_render(&mut self, id: ArticleId, width: u16, rendered: Arc<Rendered>) {
        if self.render_cache.insert((id, width), rendered).is_none() {
            self.render_order.push_back((id, width));
        }
        while self.render_order.len() > RENDER_CACHE {
            if let Some(old) = self.render_order.pop_front() {
                self.render_cache.remove(&old);
            }
        }
    }

    /// Shows one feed's articles (None: all feeds) from the top.
    fn show_feed(&mut self, feed: Option<FeedId>) -> Vec<Job> {
        self.list.filter.feed = feed;
        self.list.selected = 0;
        self.list.top = 0;
        self.reload_ids_screenful_first().into()
    }

    fn open_focused(&mut self) -> Vec<Job> {
        match self.focus {
            Pane::Feeds => {
                let feed = self
                    .feeds_cursor
                    .checked_sub(1)
                    .and_then(|i| self.feeds.get(i))
                    .map(|f| f.id);
                self.focus = Pane::List;
                self.show_feed(feed)
            }
            Pane::List => match self.list.selected_id() {
                Some(id) => {
                    let jobs = self.open(id, false);
                    self.trail.clear();
                    jobs
                }
                None => Vec::new(),
            },
            Pane::Related => match self.related.items.get(self.related.selected) {
                Some(item) => {
                    let id = item.id;
                    self.open(id, true)
                }
                None => Vec::new(),
            },
            Pane::Article => Vec::new(),
        }
    }

    /// Opens an article: loads it, marks it read, asks for its related stories.
    fn open(&mut self, id: ArticleId, from_related: bool) -> Vec<Job> {
        if from_related && let Some(current) = self.reader.id {
            self.trail.push(current);
        }
        self.reader = Reader {
            id: Some(id),
            ..Reader::default()
        };
        self.related = RelatedPane {
            for_id: Some(id),
            loading: true,
            ..RelatedPane::default()
        };
        self.focus = Pane::Article;
        if let Some(i) = self.list.ids.iter().position(|x| *x == id) {
            self.list.selected = i;
        }
        let mut jobs = self.clamp_list();
        jobs.extend([Job::LoadArticle(id), Job::LoadRelated(id)]);
        if !self.is_read(id) {
            self.set_read_locally(id, true);
            jobs.push(Job::SetRead { id, read: true });
        }
        jobs
    }

    fn jump_unread(&mut self, forward: bool) -> Vec<Job> {
        let from = self.list.selected;
        // From the list, the selected article itself comes first when it is unread and not
        // the one already open.
        let here = forward
            && self.reader.id != self.list.selected_id()
            && self.list.read.get(from) == Some(&false);
        let found = if here {
            Some(from)
        } else if forward {
            (from + 1..self.list.read.len()).find(|i| !self.list.read[*i])
        } else {
            (0..from.min(self.list.read.len()))
                .rev()
                .find(|i| !self.list.read[*i])
        };
        match found {
            Some(i) => {
                let id = self.list.ids[i];
                self.trail.clear();
                self.open(id, false)
            }
            None => {
                self.message = Some(("no more unread articles".into(), false));
                Vec::new()
            }
        }
    }

    fn on_feed_refreshed(&mut self, report: FeedReport) -> Vec<Job> {
        self.refresh.done += 1;
        self.refresh.new += report.new;
        // named as the feeds pane names it, so feeds of the same name are told apart
        let name = self
            .feeds
            .iter()
            .find(|f| f.id == report.feed_id && f.name == report.name)
            .map_or_else(|| report.name.clone(), FeedRow::shown_name);
        self.refresh.errors.retain(|(n, _)| *n != name);
        if report.status == Status::Error {
            self.refresh
                .errors
                .push((name, report.error.clone().unwrap_or_default()));
        }
        if report.new > 0 || report.updated > 0 || report.full_text > 0 {
            // new articles appear; the selection stays on its article
            vec![self.reload_ids(), Job::LoadFeeds]
        } else {
            Vec::new()
        }
    }

    fn on_mouse(&mut self, m: Mouse) -> Vec<Job> {
        if !self.mouse {
            return Vec::new();
        }
        let areas = self.areas();
        let (column, row) = match m {
            Mouse::ScrollUp { column, row }
            | Mouse::ScrollDown { column, row }
            | Mouse::Click { column, row } => (column, row),
        };
        let Some(pane) = areas.pane_at(column, row) else {
            return Vec::new();
        };
        match m {
            Mouse::ScrollUp { .. } | Mouse::ScrollDown { .. } => {
                let before = self.focus;
                self.focus = pane;
                let delta = if matches!(m, Mouse::ScrollUp { .. }) {
                    -3
                } else {
                    3
                };
                let jobs = match pane {
                    Pane::List => {
                        // the wheel scrolls the view; the selection follows only if it would leave it
                        let len = self.list.ids.len();
                        let h = self.list_height();
                        self.list.top = (self.list.top as isize + delta)
                            .clamp(0, len.saturating_sub(h) as isize)
                            as usize;
                        self.list.selected = self.list.selected.clamp(
                            self.list.top,
                            (self.list.top + h)
                                .saturating_sub(1)
                                .min(len.saturating_sub(1)),
                        );
                        self.request_rows()
                    }
                    _ => self.move_by(delta),
                };
                self.focus = before;
                jobs
            }
            Mouse::Click { row, .. } => {
                self.focus = pane;
                let Some(r) = areas.of(pane) else {
                    return Vec::new();
                };
                let inner = layout::inner(r);
                match pane {
                    Pane::Feeds => {
                        if row >= inner.y {
                            let index = usize::from(row - inner.y);
                            if index <= self.feeds.len() {
                                self.feeds_cursor = index;
                                return self.open_focused();
                            }
                        }
                        Vec::new()
                    }
                    Pane::List => {
                        // the first inner line is the column header
                        if row > inner.y && row < inner.y + inner.height {
                            let index = self.list.top + usize::from(row - inner.y - 1);
                            if index < self.list.ids.len() {
                                self.list.selected = index;
                            }
                        }
                        self.clamp_list()
                    }
                    Pane::Related => {
                        if row >= inner.y {
                            let index = usize::from(row - inner.y) / 2;
                            if index < self.related.items.len() {
                                self.related.selected = index;
                            }
                        }
                        Vec::new()
                    }
                    Pane::Article => Vec::new(),
                }
            }
        }
    }

    /// The article the user means: the open one when the article pane has focus, else the
    /// selected one in the list.
    pub fn current_article(&self) -> Option<ArticleId> {
        match self.focus {
            Pane::Feeds => None,
            Pane::Article => self.reader.id.or(self.list.selected_id()),
            Pane::Related => self
                .related
                .items
                .get(self.related.selected)
                .map(|r| r.id)
                .or(self.reader.id),
            Pane::List => self.list.selected_id(),
        }
    }

    fn current_url(&self) -> Option<String> {
        let id = self.current_article()?;
        if let Some(a) = self.reader.article.as_ref().filter(|a| a.row.id == id) {
            return a.row.url.clone();
        }
        self.list.rows.get(&id).and_then(|r| r.url.clone())
    }

    fn current_feed(&self) -> Option<FeedId> {
        if self.focus == Pane::Feeds {
            return self
                .feeds_cursor
                .checked_sub(1)
                .and_then(|i| self.feeds.get(i))
                .map(|f| f.id);
        }
        if let Some(f) = self.list.filter.feed {
            return Some(f);
        }
        let id = self.current_article()?;
        if let Some(a) = self.reader.article.as_ref().filter(|a| a.row.id == id) {
            return Some(a.row.feed_id);
        }
        self.list.rows.get(&id).map(|r| r.feed_id)
    }

    fn is_read(&self, id: ArticleId) -> bool {
        match self.list.ids.iter().position(|x| *x == id) {
            Some(i) => self.list.read[i],
            None => self
                .reader
                .article
                .as_ref()
                .is_some_and(|a| a.row.id == id && a.row.read),
        }
    }

    fn set_read_locally(&mut self, id: ArticleId, read: bool) {
        let was_read = self.is_read(id);
        if let Some(i) = self.list.ids.iter().position(|x| *x == id) {
            self.list.read[i] = read;
        }
        let feed = match self.list.rows.get_mut(&id) {
            Some(row) => {
                row.read = read;
                Some(row.feed_id)
            }
            None => self
                .reader
                .article
                .as_ref()
                .filter(|a| a.row.id == id)
                .map(|a| a.row.feed_id),
        };
        // keep the unread counts in the status bar true without asking the database
        if was_read != read
            && let Some(f) = self.feeds.iter_mut().find(|f| Some(f.id) == feed)
        {
            f.unread_count = (f.unread_count + if read { -1 } else { 1 }).max(0);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
