//! Micro-benchmarks: parse, render, store upsert, the list query, related stories, search
//! and the reader's frame.
//!
//! `cargo bench` runs them on a synthetic cache of 100,000 articles (built once under
//! target/bench-cache/, a minute or two; see benches/support/mod.rs). `cargo test --benches` (CI)
//! runs each once on a 2,000-article cache, as a smoke test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::hint::black_box;
use std::path::PathBuf;

use byline::store::{ArticleId, FeedMeta, ListFilter, Store};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn big_cache() -> (Store, usize) {
    let n = if benchmarking() { 100_000 } else { 2_000 };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-cache");
    let path = dir.join(format!("synth-{n}.sqlite"));
    let started = std::time::Instant::now();
    let store = support::cached(&path, n);
    eprintln!(
        "synthetic cache of {n} articles ready in {:.1?}",
        started.elapsed()
    );
    (store, n)
}

fn feed_xml(items: usize) -> String {
    let corpus = support::Corpus::new(3);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Bench</title><link>https://b.test/</link>",
    );
    for n in 0..items {
        let a = corpus.article(n, "https://b.test");
        xml.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">{}</guid><dc:creator><![CDATA[{}]]></dc:creator><pubDate>Tue, 16 Jun 2026 10:40:00 +0000</pubDate>{}<description><![CDATA[summary &#8230;]]></description><content:encoded><![CDATA[{}]]></content:encoded></item>",
            a.title,
            a.url.as_deref().unwrap_or(""),
            a.key,
            a.author.as_deref().unwrap_or(""),
            a.categories.iter().map(|c| format!("<category><![CDATA[{c}]]></category>")).collect::<String>(),
            a.content_html.as_deref().unwrap_or(""),
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

fn parse_and_render(c: &mut Criterion) {
    let xml = feed_xml(50);
    c.bench_function("parse a 50-item feed", |b| {
        b.iter(|| {
            byline::feed::parse_feed(black_box(xml.as_bytes()), None, "https://b.test/feed/")
                .unwrap()
        })
    });
    let html = support::Corpus::new(3)
        .article(7, "https://b.test")
        .content_html
        .unwrap();
    c.bench_function("render an article at 80 columns", |b| {
        b.iter(|| {
            byline::text::render(
                black_box(&html),
                Some("https://b.test/a/7/"),
                80,
                byline::text::Mode::Styled,
            )
        })
    });
}

fn store(c: &mut Criterion) {
    let corpus = support::Corpus::new(5);
    let batch: Vec<_> = (0..50)
        .map(|n| corpus.article(n, "https://s.test"))
        .collect();
    let spec = byline::config::FeedSpec::new("https://s.test/feed");
    c.bench_function("store: upsert 50 new articles", |b| {
        b.iter_batched(
            || {
                let mut s = Store::open_in_memory().unwrap();
                let id = s.sync_feeds(std::slice::from_ref(&spec)).unwrap()[0].id;
                (s, id)
            },
            |(mut s, id)| s.upsert_feed(id, &FeedMeta::default(), &batch).unwrap(),
            BatchSize::PerIteration,
        )
    });
    // The refresh's one serial part, the writer alone: entries prepared beforehand (as the
    // parse workers do), written to an empty cache.
    c.bench_function("store: write 50 prepared new articles", |b| {
        b.iter_batched(
            || {
                let mut s = Store::open_in_memory().unwrap();
                let id = s.sync_feeds(std::slice::from_ref(&spec)).unwrap()[0].id;
                let prepared = byline::store::prepare::prepare_feed(None, &spec.url, batch.clone());
                (s, id, prepared)
            },
            |(mut s, id, prepared)| {
                s.upsert_prepared(id, &FeedMeta::default(), prepared)
                    .unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    // As a refresh does it: entries prepared against the cache file (unchanged ones are
    // recognised by their hash and not derived again), then the write.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let mut s = Store::open(&path).unwrap();
    let id = s.sync_feeds(std::slice::from_ref(&spec)).unwrap()[0].id;
    s.upsert_feed(id, &FeedMeta::default(), &batch).unwrap();
    c.bench_function("store: refresh 50 unchanged articles", |b| {
        b.iter(|| {
            let prepared = byline::store::prepare::prepare_feed(
                Some(&path),
                &spec.url,
                black_box(batch.clone()),
            );
            s.upsert_prepared(id, &FeedMeta::default(), prepared)
                .unwrap()
        })
    });
}

fn big(c: &mut Criterion) {
    let (store, n) = big_cache();
    let mut group = c.benchmark_group(format!("{n} articles"));
    group.bench_function("list ids, newest first (the whole list)", |b| {
        b.iter(|| store.list_ids(&ListFilter::default()).unwrap())
    });
    group.bench_function("list ids, unread only", |b| {
        b.iter(|| {
            store
                .list_ids(&ListFilter {
                    unread_only: true,
                    ..Default::default()
                })
                .unwrap()
        })
    });
    let ids: Vec<ArticleId> = (0..20)
        .map(|k| ArticleId(1 + (k * 4973 % n) as i64))
        .collect();
    let mut k = 0;
    group.bench_function("related stories of one article", |b| {
        b.iter(|| {
            k = (k + 1) % ids.len();
            byline::related::for_article(&store, ids[k], 8).unwrap()
        })
    });
    // queries made of words the synthetic corpus holds, common and rare
    let corpus_words: Vec<String> = {
        let a = support::Corpus::new(1).article(12, "https://synth.test");
        a.title.split(' ').map(str::to_string).collect()
    };
    let queries = [
        corpus_words[0].clone(),
        format!("{} {}", corpus_words[0], corpus_words[2]),
        format!("\"{} {}\"", corpus_words[0], corpus_words[1]),
        format!("{}*", &corpus_words[2][..3.min(corpus_words[2].len())]),
    ];
    let mut q = 0;
    group.bench_function("search, 20 best with snippets", |b| {
        b.iter(|| {
            q = (q + 1) % queries.len();
            byline::search::search(&store, &queries[q], 20).unwrap()
        })
    });
    // the reader's search: every ranked id (of the newest matches), its rows loaded later
    group.bench_function("search in the reader, the ranked ids", |b| {
        b.iter(|| {
            q = (q + 1) % queries.len();
            let filter = ListFilter {
                search: Some(queries[q].clone()),
                ..Default::default()
            };
            store.list_ids(&filter).unwrap()
        })
    });
    group.finish();
}

/// The reader's frame after a move in the list (see benches/support/screen.rs).
fn reader_frame(c: &mut Criterion) {
    let mut screen = support::screen::Screen::new();
    c.bench_function("reader: draw the frame after a move (160x48)", |b| {
        b.iter(|| screen.move_and_draw())
    });
}

criterion_group!(benches, parse_and_render, store, big, reader_frame);
criterion_main!(benches);
