//! Schema migrations, keyed on `PRAGMA user_version`. Each runs in one transaction; a cache
//! from a newer Byline (a higher version than we know) is refused, never touched.

use rusqlite::Connection;

/// Migration N takes the schema from version N to N+1.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: feeds, articles, full-text index, counts kept by triggers
    r#"
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    name          TEXT,              -- chosen in the config
    title         TEXT,              -- what the feed calls itself
    site_url      TEXT,
    subscribed    INTEGER NOT NULL DEFAULT 1,
    full_text     INTEGER NOT NULL DEFAULT 0,  -- fetch article pages during refresh
    etag          TEXT,
    last_modified TEXT,
    last_refresh  INTEGER,           -- unix seconds of the last attempt
    last_success  INTEGER,
    last_error    TEXT,
    article_count INTEGER NOT NULL DEFAULT 0,
    unread_count  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    -- Small columns first: SQLite reads a row's columns in order, and one behind a long body
    -- costs a walk along that body's overflow pages (the list reads only these).
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,      -- entry id, else link, else hash of title and date
    url          TEXT,
    title        TEXT NOT NULL,
    author       TEXT,
    published    INTEGER,
    updated      INTEGER,
    first_seen   INTEGER NOT NULL,
    sort_time    INTEGER NOT NULL,   -- published, else updated, else first_seen
    read         INTEGER NOT NULL DEFAULT 0,
    starred      INTEGER NOT NULL DEFAULT 0,
    hash         INTEGER NOT NULL,   -- of the fields below: unchanged entries cost no write
    url_key      TEXT,               -- the URL normalised, to find links between articles
    full_status  TEXT,               -- NULL: never tried; 'ok'; else why it failed
    full_fetched_at INTEGER,
    categories   TEXT NOT NULL DEFAULT '[]',  -- JSON array
    terms        TEXT NOT NULL DEFAULT '',    -- its most frequent words, for related stories
    summary_html TEXT,
    content_html TEXT,
    text         TEXT NOT NULL DEFAULT '',    -- plain text of the body, for search
    full_html    TEXT,               -- the article extracted from its web page
    UNIQUE (feed_id, key)
);

-- The list: covering indexes (id, feed and read flag without touching the table), so a
-- 100,000-article list loads in tens of milliseconds.
CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC, feed_id, read);
CREATE INDEX articles_by_feed_time ON articles (feed_id, sort_time DESC, id DESC, read);
CREATE INDEX articles_unread_by_time ON articles (sort_time DESC, id DESC, feed_id) WHERE read = 0;

CREATE INDEX articles_by_url_key ON articles (url_key);

-- Links from an article's body to other pages (normalised URLs): "linked from this article".
CREATE TABLE article_links (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url_key    TEXT NOT NULL,
    PRIMARY KEY (article_id, url_key)
) WITHOUT ROWID;
CREATE INDEX article_links_by_url ON article_links (url_key);

-- Categories and tags, with how many articles carry each (rare ones say more).
CREATE TABLE categories (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL UNIQUE,       -- lower case, for matching
    name TEXT NOT NULL,              -- as first seen, for showing
    df   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE article_categories (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    PRIMARY KEY (article_id, category_id)
) WITHOUT ROWID;
CREATE INDEX article_categories_by_category ON article_categories (category_id);
CREATE TRIGGER article_categories_ai AFTER INSERT ON article_categories BEGIN
    UPDATE categories SET df = df + 1 WHERE id = new.category_id;
END;
CREATE TRIGGER article_categories_ad AFTER DELETE ON article_categories BEGIN
    UPDATE categories SET df = df - 1 WHERE id = old.category_id;
END;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Document frequency of each (stemmed) term over a sample of recent articles, rebuilt after
-- each refresh: what makes a word distinctive, for related stories. (fts5vocab can count
-- documents too, but in time proportional to the count: too slow for common words.)
CREATE TABLE term_stats (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- The search index is written by the store itself, one statement per feed refresh: FTS5
-- flushes its buffer at every statement that writes to it, and a trigger would make that
-- one flush (and one tiny index segment) per article.
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    UPDATE feeds SET article_count = article_count + 1,
                     unread_count = unread_count + (new.read = 0)
     WHERE id = new.feed_id;
END;

CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
         VALUES ('delete', old.id, old.title, old.text);
    UPDATE feeds SET article_count = article_count - 1,
                     unread_count = unread_count - (old.read = 0)
     WHERE id = old.feed_id;
END;

CREATE TRIGGER articles_au_read AFTER UPDATE OF read ON articles
WHEN old.read <> new.read BEGIN
    UPDATE feeds SET unread_count = unread_count + (new.read = 0) - (old.read = 0)
     WHERE id = new.feed_id;
END;
"#,
    // 1 -> 2: `list` without touching the table (whose rows carry whole articles): an index
    // holding every column it shows; the unread index also carries the read flag, so the
    // unread list's ids come from it alone.
    r#"
CREATE INDEX articles_list ON articles (sort_time DESC, id DESC, feed_id, read, starred,
    title, url, author, published, updated, categories);
DROP INDEX articles_unread_by_time;
CREATE INDEX articles_unread_by_time ON articles (sort_time DESC, id DESC, feed_id, read)
    WHERE read = 0;
-- The search index merges its segments 16 at a time rather than 4: a refresh rewrites the
-- index less often (a cold refresh of 17,000 articles takes 15% less time), and searches
-- measured no slower.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
"#,
    // 2 -> 3: articles deleted by retention, remembered while their feed still carries them,
    // so the next refresh does not bring them back as new.
    r#"
CREATE TABLE pruned (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
"#,
    // 3 -> 4: the same story in several feeds (the same normalised URL) is listed once across
    // feeds, and reading one copy reads them all. A copy points at its group's original: the
    // first article stored, unless that had only a summary and a later one the whole story
    // (`takes_the_place_of` in articles.rs); a feed's own articles are never copies of each
    // other.
    r#"
CREATE TABLE copies (
    article_id  INTEGER PRIMARY KEY,   -- a copy, hidden from lists across feeds
    original_id INTEGER NOT NULL       -- the first stored of its group, in another feed
);
CREATE INDEX copies_by_original ON copies (original_id);

-- The copies already in the cache: every article of a URL group that is in another feed
-- than the group's first.
INSERT INTO copies (article_id, original_id)
SELECT a.id, g.first FROM articles a
  JOIN (SELECT url_key, min(id) AS first FROM articles WHERE url_key IS NOT NULL
         GROUP BY url_key HAVING count(*) > 1) g ON g.url_key = a.url_key
  JOIN articles o ON o.id = g.first
 WHERE a.id <> g.first AND a.feed_id <> o.feed_id;

-- A copy gone: forget it. (An article is a copy or an original, never both.)
CREATE TRIGGER copies_ad AFTER DELETE ON articles BEGIN
    DELETE FROM copies WHERE article_id = old.id;
END;

-- An original gone: its oldest copy takes its place, and the other copies in that copy's own
-- feed stop being copies (a feed's own articles are never copies of each other).
CREATE TRIGGER copies_ad_original AFTER DELETE ON articles
WHEN EXISTS (SELECT 1 FROM copies WHERE original_id = old.id) BEGIN
    DELETE FROM copies WHERE original_id = old.id
       AND article_id <> (SELECT min(article_id) FROM copies WHERE original_id = old.id)
       AND (SELECT feed_id FROM articles WHERE id = article_id)
         = (SELECT feed_id FROM articles
             WHERE id = (SELECT min(article_id) FROM copies WHERE original_id = old.id));
    UPDATE copies SET original_id = (SELECT min(article_id) FROM copies WHERE original_id = old.id)
     WHERE original_id = old.id
       AND article_id <> (SELECT min(article_id) FROM copies WHERE original_id = old.id);
    DELETE FROM copies WHERE original_id = old.id;
END;

-- Reading (or unreading) one copy does the same to the others. (The UPDATE inside does not
-- fire this trigger again: recursive triggers are off. The count triggers do fire.)
CREATE TRIGGER copies_au_read AFTER UPDATE OF read ON articles
WHEN old.read <> new.read
 AND EXISTS (SELECT 1 FROM copies WHERE article_id = new.id OR original_id = new.id) BEGIN
    UPDATE articles SET read = new.read
     WHERE read <> new.read AND id IN (
         SELECT article_id FROM copies WHERE original_id =
             COALESCE((SELECT original_id FROM copies WHERE article_id = new.id), new.id)
         UNION ALL
         SELECT COALESCE((SELECT original_id FROM copies WHERE article_id = new.id), new.id));
END;

-- A story read in one feed is read in all (the trigger above takes it from the original to
-- its copies).
UPDATE articles SET read = 1 WHERE read = 0 AND id IN (
    SELECT c.original_id FROM copies c JOIN articles a ON a.id = c.article_id WHERE a.read = 1
    UNION ALL
    SELECT c.article_id FROM copies c JOIN articles o ON o.id = c.original_id WHERE o.read = 1);
"#,
];

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub enum MigrateOutcome {
    UpToDate,
    Migrated {
        from: i64,
        to: i64,
    },
    /// Written by a newer Byline: leave it alone.
    TooNew {
        found: i64,
    },
}

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<MigrateOutcome> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Ok(MigrateOutcome::TooNew { found: version });
    }
    if version == SCHEMA_VERSION {
        return Ok(MigrateOutcome::UpToDate);
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock.
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(MigrateOutcome::Migrated {
        from: version,
        to: SCHEMA_VERSION,
    })
}
