//! `App::update` on fixture state: no terminal, no database.

use super::*;
use crate::refresh::Status;
use crate::store::{FeedRow, FullText};

pub(crate) fn row(id: i64, feed: i64, title: &str, read: bool) -> ArticleRow {
    ArticleRow {
        id: ArticleId(id),
        feed_id: FeedId(feed),
        feed: format!("Feed {feed}"),
        title: title.into(),
        url: Some(format!("https://ex.test/{id}/")),
        author: Some("A. Writer".into()),
        published: Some(1_780_000_000 - id * 3600),
        updated: None,
        sort_time: 1_780_000_000 - id * 3600,
        categories: vec!["Policy".into()],
        read,
        starred: false,
    }
}

pub(crate) fn feed(id: i64, name: &str) -> FeedRow {
    FeedRow {
        article_count: 10,
        unread_count: 5,
        ..FeedRow::new(FeedId(id), format!("https://ex.test/feed{id}"), name)
    }
}

/// The list asked for as request `seq`: the `new` ids above the `n` articles of `loaded(n)`.
fn arrive_above(app: &mut App, seq: u64, new: &[i64], n: i64) {
    let mut ids: Vec<(ArticleId, bool)> = new.iter().map(|i| (ArticleId(*i), false)).collect();
    ids.extend((1..=n).map(|i| (ArticleId(i), i % 3 == 0)));
    app.update(Msg::IdsLoaded {
        seq,
        ids,
        complete: true,
        rows: Vec::new(),
    });
}

/// The request number of the list these jobs ask for, if they ask for one.
pub(crate) fn ids_seq(jobs: &[Job]) -> Option<u64> {
    jobs.iter().find_map(|j| match j {
        Job::LoadIds { seq, .. } => Some(*seq),
        _ => None,
    })
}

pub(crate) fn article(id: i64) -> Arc<Article> {
    let body: String = (0..80)
        .map(|i| format!("<p>Paragraph {i} of article {id}.</p>"))
        .collect();
    Arc::new(Article {
        row: row(id, 1, &format!("Article {id}"), false),
        summary_html: None,
        content_html: Some(body),
        text: "x ".repeat(100),
        full_html: None,
        full_text: FullText::InFeed,
    })
}

fn key(c: char) -> Msg {
    Msg::Key(Key::plain(KeyCode::Char(c)))
}

fn named(code: KeyCode) -> Msg {
    Msg::Key(Key::plain(code))
}

/// The articles whose rows `jobs` ask for.
pub(crate) fn asked_rows(jobs: &[Job]) -> Vec<ArticleId> {
    jobs.iter()
        .flat_map(|j| match j {
            Job::LoadRows(ids) => ids.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// An app at 120x40 whose list holds articles 1..=n (every third one read).
pub(crate) fn loaded(n: i64) -> App {
    let mut app = App::new(KeyMap::default(), true, 120, 40);
    let jobs = app.start(false);
    let seq = ids_seq(&jobs).expect("start loads the list");
    assert_eq!(
        jobs.iter()
            .filter(|j| matches!(j, Job::LoadIds { seq: s, .. } if *s == seq))
            .count(),
        2,
        "the first screenful, then the whole list, under one request number"
    );
    app.update(Msg::FeedsLoaded(vec![feed(1, "One"), feed(2, "Two")], 0));
    let ids = (1..=n).map(|i| (ArticleId(i), i % 3 == 0)).collect();
    let jobs = app.update(Msg::IdsLoaded {
        seq,
        ids,
        complete: true,
        rows: Vec::new(),
    });
    let wanted = asked_rows(&jobs);
    assert!(!wanted.is_empty(), "the visible rows are asked for");
    let rows = wanted
        .iter()
        .map(|id| {
            row(
                id.0,
                1 + id.0 % 2,
                &format!("Article {}", id.0),
                id.0 % 3 == 0,
            )
        })
        .collect();
    app.update(Msg::RowsLoaded(rows));
    app
}

#[test]
fn start_loads_feeds_and_list_and_refreshes_if_asked() {
    let mut app = App::new(KeyMap::default(), true, 120, 40);
    let jobs = app.start(true);
    assert!(jobs.contains(&Job::LoadFeeds));
    assert!(jobs.iter().any(|j| matches!(j, Job::LoadIds { .. })));
    assert!(jobs.contains(&Job::Refresh(None)));
    let mut app = App::new(KeyMap::default(), true, 120, 40);
    assert!(!app.start(false).contains(&Job::Refresh(None)));
}

#[test]
fn navigation_moves_and_scrolls_the_list() {
    let mut app = loaded(500);
    assert_eq!(app.list.selected, 0);
    app.update(key('j'));
    app.update(named(KeyCode::Down));
    assert_eq!(app.list.selected, 2);
    app.update(key('k'));
    assert_eq!(app.list.selected, 1);
    app.update(key('G'));
    assert_eq!(app.list.selected, 499);
    assert!(app.list.top > 400, "the view follows the selection");
    // rows far down the list are asked for when they come into view
    let jobs = app.update(key('g'));
    assert_eq!(app.list.selected, 0);
    assert_eq!(app.list.top, 0);
    assert!(jobs.is_empty() || jobs.iter().all(|j| matches!(j, Job::LoadRows(_))));
    let h = app.list_height();
    app.update(named(KeyCode::PageDown));
    assert_eq!(app.list.selected, h - 1);
    // a count repeats a move
    app.update(key('g'));
    app.update(key('5'));
    app.update(key('j'));
    assert_eq!(app.list.selected, 5);
}

#[test]
fn opening_loads_marks_read_and_asks_for_related() {
    let mut app = loaded(20);
    let jobs = app.update(named(KeyCode::Enter));
    let id = ArticleId(1);
    assert!(jobs.contains(&Job::LoadArticle(id)));
    assert!(jobs.contains(&Job::LoadRelated(id)));
    assert!(jobs.contains(&Job::SetRead { id, read: true }));
    assert_eq!(app.focus, Pane::Article);
    assert!(app.list.read[0] && app.list.rows[&id].read);
    assert_eq!(
        app.feeds[1].unread_count, 4,
        "article 1 is in feed 2, whose count drops"
    );

    let jobs = app.update(Msg::ArticleLoaded(article(1)));
    let width = app.article_width();
    assert!(
        jobs.iter()
            .any(|j| matches!(j, Job::Render { width: w, .. } if *w == width))
    );
    let rendered = Arc::new(crate::text::page::article_page(
        &article(1),
        usize::from(width),
        crate::text::Mode::Styled,
    ));
    app.update(Msg::Rendered {
        id,
        width,
        rendered,
    });
    assert!(app.reader.rendered.is_some());
    // j and space scroll the article now
    app.update(key('j'));
    assert_eq!(app.reader.scroll, 1);
    app.update(named(KeyCode::Char(' ')));
    assert!(app.reader.scroll > 1);
    // q goes back to the list, a second q quits
    app.update(key('q'));
    assert_eq!(app.focus, Pane::List);
    assert!(!app.quit);
    app.update(key('q'));
    assert!(app.quit);
}

#[test]
fn stale_answers_are_dropped() {
    let mut app = loaded(20);
    app.update(named(KeyCode::Enter));
    app.update(key('q'));
    app.update(key('j'));
    app.update(named(KeyCode::Enter)); // now article 2
    let jobs = app.update(Msg::ArticleLoaded(article(1)));
    assert!(jobs.is_empty(), "the answer for article 1 came too late");
    assert!(app.reader.article.is_none());
    let rendered = Arc::new(Rendered::default());
    app.update(Msg::Rendered {
        id: ArticleId(1),
        width: app.article_width(),
        rendered,
    });
    assert!(app.reader.rendered.is_none());
    // an old filter's ids are ignored too
    let before = app.list.ids.clone();
    app.update(Msg::IdsLoaded {
        seq: 0,
        ids: vec![(ArticleId(99), false)],
        complete: true,
        rows: Vec::new(),
    });
    assert_eq!(app.list.ids, before);
}

#[test]
fn toggles_read_and_star_with_their_jobs() {
    let mut app = loaded(20);
    let jobs = app.update(key('m'));
    assert_eq!(
        jobs,
        vec![Job::SetRead {
            id: ArticleId(1),
            read: true
        }]
    );
    assert!(app.list.read[0]);
    let jobs = app.update(key('m'));
    assert_eq!(
        jobs,
        vec![Job::SetRead {
            id: ArticleId(1),
            read: false
        }]
    );
    let jobs = app.update(key('s'));
    assert_eq!(
        jobs,
        vec![Job::SetStarred {
            id: ArticleId(1),
            starred: true
        }]
    );
    assert!(app.list.rows[&ArticleId(1)].starred);
    let jobs = app.update(key('A'));
    assert!(
        jobs.contains(&Job::MarkFeedRead(FeedId(2))),
        "article 1 is in feed 2: {jobs:?}"
    );
}

#[test]
fn next_unread_skips_read_articles() {
    let mut app = loaded(20);
    // articles 3, 6, 9... are read; 1 is unread and selected
    app.update(key('n'));
    assert_eq!(app.reader.id, Some(ArticleId(1)));
    app.update(key('n'));
    assert_eq!(app.reader.id, Some(ArticleId(2)));
    app.update(key('n'));
    assert_eq!(app.reader.id, Some(ArticleId(4)), "3 is read");
    // opening read them: nothing unread before 4 now
    app.update(key('p'));
    assert_eq!(app.reader.id, Some(ArticleId(4)));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, _)| m.contains("no more unread"))
    );
    // mark 2 unread again from the list: p finds it
    app.update(key('q'));
    app.update(key('k'));
    app.update(key('k'));
    assert_eq!(app.list.selected_id(), Some(ArticleId(2)));
    app.update(key('m'));
    app.update(key('G'));
    app.update(key('p'));
    assert_eq!(
        app.reader.id,
        Some(ArticleId(19)),
        "the unread article before 20"
    );
    app.update(key('q'));
    app.update(key('g'));
    app.update(key('j'));
    app.update(key('j'));
    app.update(key('p'));
    assert_eq!(app.reader.id, Some(ArticleId(2)));
}

#[test]
fn pane_focus_cycles() {
    let mut app = loaded(5);
    assert_eq!(app.focus, Pane::List);
    app.update(named(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Article);
    app.update(named(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Related);
    app.update(named(KeyCode::BackTab));
    assert_eq!(app.focus, Pane::Article);
    app.update(key('h'));
    assert_eq!(app.focus, Pane::List);
    app.update(key('l'));
    assert_eq!(app.focus, Pane::Article);
}

#[test]
fn filter_typing_reloads_the_list_and_esc_clears_it() {
    let mut app = loaded(20);
    app.update(key('/'));
    assert_eq!(app.overlay, Overlay::Filter(String::new()));
    app.update(key('u'));
    let jobs = app.update(key('p'));
    assert!(
        jobs.iter().any(
            |j| matches!(j, Job::LoadIds { filter, .. } if filter.text.as_deref() == Some("up"))
        ),
        "{jobs:?}"
    );
    // keys are text while typing: q does not quit
    app.update(key('q'));
    assert!(!app.quit);
    app.update(named(KeyCode::Backspace));
    app.update(named(KeyCode::Enter));
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.list.filter.text.as_deref(), Some("up"));
    app.update(named(KeyCode::Esc)); // back, from the list, clears the filter first
    assert_eq!(app.list.filter.text, None);
    assert!(!app.quit);
}

#[test]
fn feeds_cycle_as_filters() {
    let mut app = loaded(5);
    let jobs = app.update(key(']'));
    assert!(
        jobs.iter()
            .any(|j| matches!(j, Job::LoadIds { filter, .. } if filter.feed == Some(FeedId(1))))
    );
    app.update(key(']'));
    assert_eq!(app.list.filter.feed, Some(FeedId(2)));
    app.update(key(']'));
    assert_eq!(app.list.filter.feed, None);
    app.update(key('['));
    assert_eq!(app.list.filter.feed, Some(FeedId(2)));
}

#[test]
fn refresh_messages_arrive_while_the_user_scrolls() {
    let mut app = loaded(50);
    let jobs = app.update(key('r'));
    assert_eq!(jobs, vec![Job::Refresh(None)]);
    app.update(Msg::RefreshStarted { total: 3 });
    app.update(key('j'));
    app.update(key('j'));
    let selected_id = app.list.selected_id();
    assert_eq!(
        app.update(key('r')),
        Vec::<Job>::new(),
        "one refresh at a time"
    );
    let report = FeedReport {
        feed_id: FeedId(1),
        name: "One".into(),
        url: "https://ex.test/feed1".into(),
        status: Status::Ok,
        new: 2,
        updated: 0,
        full_text: 0,
        full_text_failed: 0,
        error: None,
        warning: None,
        elapsed: std::time::Duration::ZERO,
    };
    let jobs = app.update(Msg::FeedRefreshed(report.clone()));
    assert_eq!(app.refresh.done, 1);
    let seq = ids_seq(&jobs).expect("new articles reload the list");
    // two new articles arrive at the top: the selection stays on its article
    arrive_above(&mut app, seq, &[1001, 1002], 50);
    assert_eq!(app.list.selected_id(), selected_id);
    assert_eq!(app.list.selected, 4);
    assert_eq!(app.list.top, 0, "a view at the top shows what arrived");
    app.update(key('j'));
    assert_eq!(app.list.selected, 5);
    app.update(Msg::FeedRefreshed(FeedReport {
        status: Status::Error,
        error: Some("server said 500".into()),
        new: 0,
        name: "Two".into(),
        ..report
    }));
    app.update(Msg::RefreshFinished);
    assert!(!app.refresh.running);
    assert_eq!(
        app.refresh.errors,
        vec![("Two".to_string(), "server said 500".to_string())]
    );
    assert_eq!(
        app.message,
        Some(("refreshed: 2 new, 1 feed failed".to_string(), true))
    );
}

#[test]
fn links_open_by_number_and_the_related_trail_goes_back() {
    let mut app = loaded(10);
    app.update(named(KeyCode::Enter));
    app.update(Msg::ArticleLoaded(article(1)));
    let rendered = Rendered {
        links: vec!["https://a.test/".into(), "https://b.test/".into()],
        width: usize::from(app.article_width()),
        ..Default::default()
    };
    app.update(Msg::Rendered {
        id: ArticleId(1),
        width: app.article_width(),
        rendered: Arc::new(rendered),
    });
    app.update(key('2'));
    assert_eq!(
        app.update(key('o')),
        vec![Job::OpenUrl("https://b.test/".into())]
    );
    assert_eq!(
        app.update(key('o')),
        vec![Job::OpenUrl("https://ex.test/1/".into())]
    );
    app.update(key('9'));
    assert!(app.update(key('o')).is_empty());
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, err)| *err && m.contains("no link 9"))
    );
    assert_eq!(
        app.update(key('y')),
        vec![Job::Copy("https://ex.test/1/".into())]
    );

    let related = |id: i64| Related {
        id: ArticleId(id),
        title: format!("Article {id}"),
        feed: "One".into(),
        published: None,
        score: 1.0,
        reasons: vec!["shares: Policy".into()],
    };
    app.update(Msg::RelatedLoaded {
        id: ArticleId(1),
        items: vec![related(7), related(8)],
    });
    app.update(named(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Related);
    app.update(key('j'));
    let jobs = app.update(named(KeyCode::Enter));
    assert!(jobs.contains(&Job::LoadArticle(ArticleId(8))));
    assert_eq!(app.trail, vec![ArticleId(1)]);
    let jobs = app.update(named(KeyCode::Backspace));
    assert!(jobs.contains(&Job::LoadArticle(ArticleId(1))));
    assert!(app.trail.is_empty());
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_it_and_a_click_selects() {
    let mut app = loaded(200);
    let areas = app.areas();
    let list = areas.list.expect("wide layout");
    app.update(Msg::Mouse(Mouse::ScrollDown {
        column: list.x + 2,
        row: list.y + 3,
    }));
    assert_eq!(app.list.top, 3);
    assert_eq!(app.focus, Pane::List);
    app.update(Msg::Mouse(Mouse::Click {
        column: list.x + 2,
        row: list.y + 5,
    }));
    assert_eq!(
        app.list.selected,
        app.list.top + 3,
        "row 5 is the 4th article (border, header)"
    );
    app.mouse = false;
    let before = app.list.top;
    app.update(Msg::Mouse(Mouse::ScrollDown {
        column: list.x + 2,
        row: list.y + 3,
    }));
    assert_eq!(app.list.top, before, "mouse off in the config");
}

#[test]
fn resize_reflows_and_re_renders() {
    let mut app = loaded(10);
    app.update(named(KeyCode::Enter));
    app.update(Msg::ArticleLoaded(article(1)));
    let w = app.article_width();
    app.update(Msg::Rendered {
        id: ArticleId(1),
        width: w,
        rendered: Arc::new(crate::text::page::article_page(
            &article(1),
            usize::from(w),
            crate::text::Mode::Styled,
        )),
    });
    let jobs = app.update(Msg::Resize {
        width: 40,
        height: 12,
    });
    let new_w = app.article_width();
    assert_ne!(new_w, w);
    assert!(
        jobs.iter()
            .any(|j| matches!(j, Job::Render { width, .. } if *width == new_w))
    );
    // back to the old width: the cached render is used, no job
    let jobs = app.update(Msg::Resize {
        width: 120,
        height: 40,
    });
    assert!(
        !jobs.iter().any(|j| matches!(j, Job::Render { .. })),
        "{jobs:?}"
    );
    assert_eq!(
        app.reader.rendered.as_ref().map(|r| r.width),
        Some(usize::from(w))
    );
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut app = loaded(3);
    app.update(key('?'));
    assert_eq!(app.overlay, Overlay::Help);
    app.update(key('j'));
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.list.selected, 0, "the key only closed help");
}

#[test]
fn search_runs_on_enter_and_back_leaves_it() {
    let mut app = loaded(20);
    app.update(key('S'));
    assert_eq!(app.overlay, Overlay::Search(String::new()));
    for c in "upi cap".chars() {
        assert!(app.update(key(c)).is_empty(), "typing runs nothing yet");
    }
    let jobs = app.update(named(KeyCode::Enter));
    assert!(
        jobs.iter().any(|j| matches!(j, Job::LoadIds { filter, .. } if filter.search.as_deref() == Some("upi cap"))),
        "{jobs:?}"
    );
    assert_eq!(app.overlay, Overlay::None);
    let jobs = app.update(key('q'));
    assert!(
        jobs.iter()
            .any(|j| matches!(j, Job::LoadIds { filter, .. } if filter.search.is_none()))
    );
    assert!(!app.quit, "q first leaves the search");
    // an empty search is refused
    app.update(key('S'));
    app.update(key('('));
    assert!(app.update(named(KeyCode::Enter)).is_empty());
    assert!(
        app.message
            .as_ref()
            .is_some_and(|(m, e)| *e && m.contains("nothing to search"))
    );
}

#[test]
fn the_feeds_pane_picks_a_feed() {
    let mut app = loaded(20);
    app.update(Msg::Resize {
        width: 160,
        height: 48,
    });
    app.update(key('h'));
    assert_eq!(app.focus, Pane::Feeds, "a column on wide terminals");
    app.update(key('j'));
    app.update(key('j'));
    assert_eq!(app.feeds_cursor, 2);
    let jobs = app.update(named(KeyCode::Enter));
    assert!(
        jobs.iter()
            .any(|j| matches!(j, Job::LoadIds { filter, .. } if filter.feed == Some(FeedId(2))))
    );
    assert_eq!(app.focus, Pane::List);
    // Tab goes through the feeds too, on this layout
    let mut seen = vec![app.focus];
    for _ in 0..3 {
        app.update(named(KeyCode::Tab));
        seen.push(app.focus);
    }
    assert_eq!(
        seen,
        vec![Pane::List, Pane::Article, Pane::Related, Pane::Feeds]
    );
    // not at 120 columns
    app.update(Msg::Resize {
        width: 120,
        height: 40,
    });
    app.focus = Pane::List;
    app.update(key('h'));
    assert_eq!(app.focus, Pane::List);
}

#[test]
fn ticks_look_for_due_feeds_unless_a_refresh_runs_and_outside_changes_reload() {
    let mut app = loaded(10);
    assert_eq!(
        app.update(Msg::Tick),
        vec![Job::RefreshDue, Job::CheckCache]
    );
    app.update(Msg::RefreshStarted { total: 1 });
    assert_eq!(app.update(Msg::Tick), Vec::<Job>::new());
    assert_eq!(app.update(Msg::RefreshFinished), vec![Job::CheckCache]);
    let jobs = app.update(Msg::CacheChanged);
    assert!(
        jobs.iter().any(|j| matches!(j, Job::LoadIds { .. })),
        "{jobs:?}"
    );
    assert!(jobs.contains(&Job::LoadFeeds), "{jobs:?}");
}

#[test]
fn mark_all_read_marks_what_is_shown_at_once() {
    let mut app = loaded(10);
    assert!(app.list.read.iter().any(|r| !r));
    assert!(app.feeds.iter().all(|f| f.unread_count > 0));
    let jobs = app.update(key('C'));
    // the cache follows in steps (the database thread): nothing to reload until it is done
    assert_eq!(jobs, vec![Job::MarkAllRead]);
    assert!(app.list.read.iter().all(|r| *r));
    assert!(app.list.rows.values().all(|r| r.read));
    assert!(app.feeds.iter().all(|f| f.unread_count == 0));
    let jobs = app.update(Msg::MarkedRead);
    assert!(
        jobs.iter().any(|j| matches!(j, Job::LoadIds { .. })) && jobs.contains(&Job::LoadFeeds),
        "{jobs:?}"
    );
}

#[test]
fn a_list_scrolled_down_stays_steady_as_articles_arrive_above() {
    let mut app = loaded(200);
    app.update(key('G'));
    app.update(key('k'));
    let (top, selected_id) = (app.list.top, app.list.selected_id());
    assert!(top > 100, "{top}");
    let jobs = app.update(Msg::CacheChanged);
    let seq = ids_seq(&jobs).expect("a change reloads the list");
    arrive_above(&mut app, seq, &[1001], 200);
    assert_eq!(app.list.selected_id(), selected_id);
    assert_eq!(app.list.top, top + 1, "the rows in view did not move");
}
