//! The three vocabularies of the reader: `Msg` (everything that enters the loop), `Job` (I/O
//! that `App::update` asks for), and the owned data jobs answer with.

use std::sync::Arc;

use crate::config::keys::Key;
use crate::refresh::FeedReport;
use crate::related::Related;
use crate::store::{Article, ArticleId, ArticleRow, FeedId, FeedRow, ListFilter};
use crate::text::Rendered;

/// A mouse event, already mapped away from the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mouse {
    ScrollUp { column: u16, row: u16 },
    ScrollDown { column: u16, row: u16 },
    Click { column: u16, row: u16 },
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(Key),
    Mouse(Mouse),
    Resize {
        width: u16,
        height: u16,
    },
    /// The ids (and read flags) of the list for a filter; `seq` says which request it answers.
    IdsLoaded {
        seq: u64,
        ids: Vec<(ArticleId, bool)>,
        /// False for the first screenful, loaded before the whole list.
        complete: bool,
        /// The rows of the list's first `rows` ids (see `Job::LoadIds`), so the list is drawn
        /// whole in the frame that shows it.
        rows: Vec<ArticleRow>,
    },
    RowsLoaded(Vec<ArticleRow>),
    /// The feeds, and how many unread articles lists across feeds leave out as copies of a
    /// story in another feed (`Store::hidden_unread`).
    FeedsLoaded(Vec<FeedRow>, i64),
    ArticleLoaded(Arc<Article>),
    Rendered {
        id: ArticleId,
        width: u16,
        rendered: Arc<Rendered>,
    },
    RelatedLoaded {
        id: ArticleId,
        items: Vec<Related>,
    },
    RefreshStarted {
        total: usize,
    },
    FeedRefreshed(FeedReport),
    RefreshFinished,
    /// Every few seconds: time to look for feeds due a refresh and for changes to the cache
    /// made by another process (`byline refresh` from cron).
    Tick,
    /// Another process changed the cache: reload what is shown.
    CacheChanged,
    /// Marking a feed, or everything, read is done (it goes in steps): reload what is shown.
    MarkedRead,
    /// Something went wrong off the UI thread; shown in the status bar.
    Error(String),
    /// A message for the status bar.
    Info(String),
}

/// I/O the reader asks for. Each answers (if at all) with a `Msg`.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    LoadFeeds,
    LoadIds {
        seq: u64,
        filter: ListFilter,
        /// How many of the first ids come with their rows.
        rows: usize,
    },
    LoadRows(Vec<ArticleId>),
    LoadArticle(ArticleId),
    Render {
        article: Arc<Article>,
        width: u16,
    },
    LoadRelated(ArticleId),
    SetRead {
        id: ArticleId,
        read: bool,
    },
    SetStarred {
        id: ArticleId,
        starred: bool,
    },
    MarkFeedRead(FeedId),
    MarkAllRead,
    /// All feeds, or one.
    Refresh(Option<FeedId>),
    /// The feeds whose refresh interval has passed (quietly nothing when none has).
    RefreshDue,
    /// Has another process written to the cache, or changed the config file, since the last
    /// look? (Both looked at on the database thread.)
    CheckCache,
    FetchFullText {
        id: ArticleId,
        url: String,
    },
    OpenUrl(String),
    /// Put text on the clipboard through the terminal (OSC 52).
    Copy(String),
}

impl Job {
    /// Its name, for the trace log.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::LoadFeeds => "load feeds",
            Job::LoadIds { filter, .. } if filter.limit.is_some() => "load first ids",
            Job::LoadIds { .. } => "load ids",
            Job::LoadRows(_) => "load rows",
            Job::LoadArticle(_) => "load article",
            Job::Render { .. } => "render",
            Job::LoadRelated(_) => "related",
            Job::SetRead { .. } => "set read",
            Job::SetStarred { .. } => "set starred",
            Job::MarkFeedRead(_) => "mark feed read",
            Job::MarkAllRead => "mark all read",
            Job::Refresh(_) => "refresh",
            Job::RefreshDue => "refresh due",
            Job::CheckCache => "check cache",
            Job::FetchFullText { .. } => "full text",
            Job::OpenUrl(_) => "open url",
            Job::Copy(_) => "copy",
        }
    }
}
