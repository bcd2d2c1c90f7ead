//! Pixels: the panes drawn on ratatui's TestBackend at 120x40 and 40x12.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

use super::draw;
use crate::config::keys::{Key, KeyCode};
use crate::config::theme::Theme;
use crate::store::ArticleId;
use crate::tui::app::App;
use crate::tui::app::tests::{article, loaded};
use crate::tui::event::Msg;
use crate::tui::style::Palette;

fn screen(app: &App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    let palette = Palette::new(Theme::default(), true);
    terminal.draw(|f| draw(f, app, &palette)).expect("draw");
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Opens article 1 and delivers its rendered page.
fn with_article_open(mut app: App) -> App {
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    app.update(Msg::ArticleLoaded(article(1)));
    let w = app.article_width();
    let page =
        crate::text::page::article_page(&article(1), usize::from(w), crate::text::Mode::Styled);
    app.update(Msg::Rendered {
        id: ArticleId(1),
        width: w,
        rendered: Arc::new(page),
    });
    app
}

#[test]
fn wide_layout_shows_three_titled_panes() {
    let app = with_article_open(loaded(60));
    let buf = screen(&app, 120, 40);
    let t = text(&buf);
    let first = t.lines().next().unwrap_or_default();
    assert!(first.contains("Articles (60)"), "{t}");
    assert!(first.contains("Article "), "{t}");
    assert!(t.contains("Related"), "{t}");
    assert!(t.contains("All feeds (2 feeds, 9 unread)"), "{t}");
    assert!(t.contains("Article 2"), "list rows: {t}");
    assert!(t.contains("Paragraph 0 of article 1."), "article body: {t}");
    assert!(t.contains("By A. Writer"), "article header: {t}");
    assert!(t.contains("finding related stories"), "{t}");
    let status = t.lines().last().unwrap_or_default();
    assert!(status.contains("? help"), "key hints: {status}");
    // side by side: the article starts right of the list on the first row
    let list_right = first.find("Article ").unwrap_or(0);
    assert!(list_right > 30);
}

#[test]
fn the_selected_row_is_reversed_and_unread_rows_are_bold() {
    let app = loaded(10);
    let buf = screen(&app, 120, 40);
    // row 2 (inside the border, after the feed line) is the first article, selected
    let y = 2;
    let x = 5;
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let t = text(&buf);
    let second = t.lines().nth(3).unwrap_or_default();
    assert!(second.contains("Article 2"), "{t}");
    let title_x = second
        .find("Article 2")
        .map(|b| second[..b].chars().count())
        .unwrap_or(0) as u16;
    assert!(
        buf[(title_x, 3)].modifier.contains(Modifier::BOLD),
        "article 2 is unread"
    );
}

#[test]
fn styled_article_cells_are_bold_italic_and_headings() {
    let mut app = loaded(3);
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    let mut a = (*article(1)).clone();
    a.content_html = Some(
        "<h2>Section head</h2><p>Plain <strong>boldword</strong> and <em>italicword</em> and <a href='/x'>linkword</a>.</p>".into(),
    );
    let a = Arc::new(a);
    app.update(Msg::ArticleLoaded(a.clone()));
    let w = app.article_width();
    let page = crate::text::page::article_page(&a, usize::from(w), crate::text::Mode::Styled);
    app.update(Msg::Rendered {
        id: ArticleId(1),
        width: w,
        rendered: Arc::new(page),
    });
    let buf = screen(&app, 120, 40);
    let t = text(&buf);
    let find = |word: &str| -> (u16, u16) {
        for (y, line) in t.lines().enumerate() {
            if let Some(b) = line.find(word) {
                return (line[..b].chars().count() as u16, y as u16);
            }
        }
        panic!("{word} not on screen:\n{t}");
    };
    let (x, y) = find("boldword");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    assert!(!buf[(x, y)].modifier.contains(Modifier::ITALIC));
    let (x, y) = find("italicword");
    assert!(buf[(x, y)].modifier.contains(Modifier::ITALIC));
    let (x, y) = find("Section head");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    assert_eq!(
        buf[(x, y)].fg,
        ratatui::style::Color::Magenta,
        "headings take the accent colour"
    );
    let (x, y) = find("linkword");
    assert!(buf[(x, y)].modifier.contains(Modifier::UNDERLINED));
    assert_eq!(buf[(x, y)].fg, ratatui::style::Color::Blue);
    let (x, y) = find("Plain");
    assert!(buf[(x, y)].modifier.is_empty(), "plain text is plain");
    // the link's number follows it, dim
    let (x, y) = find("[1]");
    assert_eq!(buf[(x, y)].fg, ratatui::style::Color::DarkGray);
}

#[test]
fn no_color_keeps_modifiers_and_drops_colours() {
    let app = with_article_open(loaded(3));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    let palette = Palette::new(Theme::default(), false);
    terminal.draw(|f| draw(f, &app, &palette)).expect("draw");
    let buf = terminal.backend().buffer();
    for y in 0..40 {
        for x in 0..120 {
            assert_eq!(
                buf[(x, y)].fg,
                ratatui::style::Color::Reset,
                "colour at {x},{y}"
            );
        }
    }
}

#[test]
fn narrow_terminal_shows_one_pane_and_the_tabs() {
    let mut app = loaded(30);
    app.update(Msg::Resize {
        width: 40,
        height: 12,
    });
    let t = text(&screen(&app, 40, 12));
    let lines: Vec<&str> = t.lines().collect();
    assert!(
        lines[0].contains("Articles")
            && lines[0].contains("Article")
            && lines[0].contains("Related"),
        "{t}"
    );
    assert!(lines[1].contains("Articles (30)"), "{t}");
    assert!(t.contains("Article 1"), "{t}");
    assert!(
        !t.contains("Select an article"),
        "the article pane is not shown: {t}"
    );
    assert!(lines[11].trim_start().len() > 3, "status line: {t}");
    let mut app = with_article_open(app);
    app.update(Msg::Resize {
        width: 40,
        height: 12,
    });
    let t = text(&screen(&app, 40, 12));
    assert!(
        t.lines().nth(1).unwrap_or_default().contains("Article"),
        "{t}"
    );
    assert!(t.contains("Article 1"), "{t}");
}

#[test]
fn help_overlay_lists_the_bindings_in_force() {
    let mut app = loaded(3);
    app.update(Msg::Key(Key::plain(KeyCode::Char('?'))));
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("Help: keys"), "{t}");
    assert!(t.contains("refresh all feeds"), "{t}");
    assert!(t.contains("j Down") || t.contains("Down j"), "{t}");
    let t = text(&screen(&app, 40, 12));
    assert!(t.contains("Help"), "help fits a small terminal too: {t}");
}

#[test]
fn very_wide_terminals_show_the_feeds_column() {
    let mut app = loaded(20);
    app.update(Msg::Resize {
        width: 160,
        height: 48,
    });
    let t = text(&screen(&app, 160, 48));
    let first = t.lines().next().unwrap_or_default();
    assert!(first.starts_with("┌ Feeds"), "{t}");
    assert!(
        t.contains("All feeds") && t.contains("One") && t.contains("Two"),
        "{t}"
    );
    let t120 = text(&screen(&loaded(20), 120, 40));
    assert!(!t120.contains("┌ Feeds"), "{t120}");
}

#[test]
fn an_empty_list_says_whether_a_refresh_is_coming() {
    use crate::config::keys::KeyMap;
    let mut app = App::new(KeyMap::default(), true, 120, 40);
    let seq = crate::tui::app::tests::ids_seq(&app.start(false)).expect("start loads the list");
    app.update(Msg::FeedsLoaded(Vec::new(), 0));
    app.update(Msg::IdsLoaded {
        seq,
        ids: Vec::new(),
        complete: true,
        rows: Vec::new(),
    });
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("no articles yet: press r to refresh"), "{t}");
    app.refresh.running = true;
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("no articles yet: refreshing…"), "{t}");
    // offline: the refresh failed, and the list says how
    app.refresh.running = false;
    let mut offline = crate::tui::app::tests::feed(1, "MediaNama");
    offline.last_error = Some("could not connect: name resolution failed".into());
    app.update(Msg::FeedsLoaded(vec![offline], 0));
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("no articles: the last refresh failed"), "{t}");
    // wrapped, not cut, in the list's 46 columns
    assert!(
        t.contains("│MediaNama: could not connect: name resolution ") && t.contains("│failed "),
        "{t}"
    );
}

#[test]
fn blank_marks_on_the_selected_row_have_no_colour() {
    // a read, unstarred article selected: its mark cells are reversed blanks with the default
    // colour, not blocks of the unread and star colours
    let mut app = loaded(3);
    app.list.read[0] = true;
    let buf = screen(&app, 120, 40);
    let (list_x, y) = (1..120u16)
        .find_map(|x| (buf[(x, 2)].modifier.contains(Modifier::REVERSED)).then_some((x, 2)))
        .expect("a selected row");
    for x in list_x..list_x + 3 {
        assert_eq!(buf[(x, y)].symbol(), " ");
        assert_eq!(buf[(x, y)].fg, ratatui::style::Color::Reset, "cell {x}");
    }
}

#[test]
fn links_are_osc8_hyperlinks_only_when_the_config_says_so() {
    let mut linked = (*article(1)).clone();
    linked.content_html = Some(
        "<p>Read the <a href=\"https://ex.test/report\">full report</a> first.</p>".repeat(20),
    );
    let linked = Arc::new(linked);
    let open = |hyperlinks: bool| {
        let mut app = loaded(10);
        app.hyperlinks = hyperlinks;
        app.update(Msg::Key(Key::plain(KeyCode::Enter)));
        app.update(Msg::ArticleLoaded(linked.clone()));
        let w = app.article_width();
        let page =
            crate::text::page::article_page(&linked, usize::from(w), crate::text::Mode::Styled);
        app.update(Msg::Rendered {
            id: ArticleId(1),
            width: w,
            rendered: Arc::new(page),
        });
        screen(&app, 120, 40)
    };
    let on = text(&open(true));
    assert!(
        on.contains("\x1b]8;;https://ex.test/report\x1b\\full report\x1b]8;;\x1b\\"),
        "{on}"
    );
    let off = text(&open(false));
    assert!(!off.contains("\x1b]8"), "{off}");
    assert!(off.contains("full report"), "{off}");
}

#[test]
fn another_feed_shows_whole_when_its_list_arrives() {
    use crate::store::FeedId;
    use crate::tui::app::tests::{asked_rows, row};
    use crate::tui::event::Job;
    let mut app = loaded(60);
    let jobs = app.update(Msg::Key(Key::plain(KeyCode::Char(']'))));
    // until feed One's list arrives, the pane goes on naming the list it shows
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("◂ All feeds (2 feeds, 10 unread) ▸"), "{t}");
    assert!(!t.contains("◂ One"), "{t}");
    let (seq, rows) = jobs
        .iter()
        .find_map(|j| match j {
            Job::LoadIds { seq, filter, rows } if filter.limit.is_some() => {
                assert_eq!(filter.feed, Some(FeedId(1)));
                Some((*seq, *rows))
            }
            _ => None,
        })
        .expect("the first screenful is asked for");
    assert_eq!(rows, app.list_height(), "with the rows on screen");
    // the first screenful comes with its rows: drawn in one frame, nothing left to load
    let ids: Vec<(ArticleId, bool)> = (100..400).map(|i| (ArticleId(i), false)).collect();
    let first: Vec<_> = (100..100 + rows as i64)
        .map(|i| row(i, 1, &format!("Feed one story {i}"), false))
        .collect();
    let jobs = app.update(Msg::IdsLoaded {
        seq,
        ids,
        complete: false,
        rows: first,
    });
    let asked = asked_rows(&jobs);
    assert!(
        asked.iter().all(|id| id.0 >= 100 + rows as i64),
        "only rows below the screen are asked for: {asked:?}"
    );
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("◂ One"), "{t}");
    assert!(t.contains("Feed one story 100"), "{t}");
    assert!(!t.contains("Article 1 "), "{t}");
}

#[test]
fn short_dates_read_as_chronos_month_and_day() {
    use chrono::{Local, TimeZone};
    // a day apart over two years, and the ends of a day
    let days = (0..730).map(|d| 1_767_225_600 + d * 86_400);
    for t in days.chain([0, 86_399, 1_780_000_000]) {
        let expected = Local
            .timestamp_opt(t, 0)
            .single()
            .map(|d| d.format("%b %d").to_string());
        assert_eq!(super::short_date(t), expected, "at {t}");
    }
}

#[test]
fn a_search_says_when_it_ranked_only_the_newest_matches() {
    use crate::tui::app::tests::row;
    use crate::tui::event::Job;
    let searched = |matches: i64| {
        let mut app = loaded(20);
        app.update(Msg::Key(Key::plain(KeyCode::Char('S'))));
        app.update(Msg::Key(Key::plain(KeyCode::Char('x'))));
        let jobs = app.update(Msg::Key(Key::plain(KeyCode::Enter)));
        let seq = jobs
            .iter()
            .find_map(|j| match j {
                Job::LoadIds { seq, filter, .. } if filter.search.is_some() => Some(*seq),
                _ => None,
            })
            .expect("the search is run");
        let ids: Vec<(ArticleId, bool)> = (1..=matches).map(|i| (ArticleId(i), false)).collect();
        let rows = (1..=matches.min(40))
            .map(|i| row(i, 1, &format!("Match {i}"), false))
            .collect();
        app.update(Msg::IdsLoaded {
            seq,
            ids,
            complete: true,
            rows,
        });
        text(&screen(&app, 120, 40))
    };
    let few = searched(3);
    assert!(few.contains("best matches first"), "{few}");
    let many = searched(crate::store::SEARCH_WINDOW);
    assert!(many.contains("best of the newest 5000 matches"), "{many}");
}

#[test]
fn all_feeds_label_says_what_it_counts() {
    let mut app = loaded(60);
    app.feeds.truncate(1);
    app.feeds[0].unread_count = 7;
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("◂ All feeds (1 feed, 7 unread) ▸"), "{t}");
    // unread copies of stories listed from another feed are counted once
    let feeds = app.feeds.clone();
    app.update(Msg::FeedsLoaded(feeds, 3));
    let t = text(&screen(&app, 120, 40));
    assert!(t.contains("◂ All feeds (1 feed, 4 unread) ▸"), "{t}");
    assert!(t.contains(" 1 feed · 4 unread"), "the status bar: {t}");
}

#[test]
fn an_empty_feed_says_why_it_is_empty() {
    use crate::tui::app::tests::feed;
    let mut app = loaded(6);
    let mut failing = feed(1, "Failing");
    failing.last_refresh = Some(1_700_000_000);
    failing.last_error = Some("server said 500 Internal Server Error".into());
    let new = feed(2, "New");
    let mut empty = feed(3, "Empty");
    empty.last_refresh = Some(1_700_000_000);
    app.update(Msg::FeedsLoaded(vec![failing, new, empty], 0));
    let t = an_empty_list_after(&mut app, &[Key::plain(KeyCode::Char(']'))]);
    assert!(t.contains("◂ Failing (5 unread) ▸"), "{t}");
    assert!(t.contains("no articles: the last refresh failed"), "{t}");
    assert!(t.contains("server said 500 Internal Server Error"), "{t}");
    assert!(!t.contains("nothing matches"), "{t}");
    let t = an_empty_list_after(&mut app, &[Key::plain(KeyCode::Char(']'))]);
    assert!(
        t.contains("no articles yet: press R to refresh this feed"),
        "{t}"
    );
    let t = an_empty_list_after(&mut app, &[Key::plain(KeyCode::Char(']'))]);
    assert!(t.contains("this feed has no articles"), "{t}");
    // a filter that matches nothing says so
    let t = an_empty_list_after(
        &mut app,
        &[
            Key::plain(KeyCode::Char('/')),
            Key::plain(KeyCode::Char('z')),
            Key::plain(KeyCode::Enter),
        ],
    );
    assert!(t.contains("nothing matches"), "{t}");
    assert!(!t.contains("this feed has no articles"), "{t}");
}

/// The screen after these keys, once the list they ask for arrives empty.
fn an_empty_list_after(app: &mut App, keys: &[Key]) -> String {
    let mut seq = None;
    for key in keys {
        seq = crate::tui::app::tests::ids_seq(&app.update(Msg::Key(*key))).or(seq);
    }
    app.update(Msg::IdsLoaded {
        seq: seq.expect("the keys ask for a list"),
        ids: Vec::new(),
        complete: true,
        rows: Vec::new(),
    });
    text(&screen(app, 120, 40))
}

#[test]
fn feeds_of_the_same_name_are_told_apart() {
    use crate::tui::app::tests::feed;
    let mut app = loaded(6);
    let mut rss = feed(1, "Ledger");
    rss.apart = Some("feed".into());
    let mut atom = feed(2, "Ledger");
    atom.apart = Some("feed/atom".into());
    app.update(Msg::FeedsLoaded(vec![rss, atom], 0));
    app.update(Msg::Resize {
        width: 160,
        height: 40,
    });
    let t = text(&screen(&app, 160, 40));
    assert!(t.contains("Ledger (feed) "), "the feeds pane: {t}");
    assert!(t.contains("Ledger (feed/atom) "), "the feeds pane: {t}");
    let t = an_empty_list_after(&mut app, &[Key::plain(KeyCode::Char(']'))]);
    assert!(t.contains("◂ Ledger (feed) (5 unread) ▸"), "{t}");
}
