//! A synthetic cache for benchmarks: N articles in 100-article feeds, written through the
//! real store (so the FTS index, term lists, links and categories are what a refresh makes).
//!
//! Articles are made from a deterministic generator: 40 topics, each with its own 60-word
//! vocabulary and 6 categories, over a 3,000-word general vocabulary drawn with a Zipf
//! distribution (so common words are common), 250-600 words each, with links to earlier
//! articles of the same topic and general categories ("Policy") on half of them.
//!
//! `cargo run --release --example synth-cache -- --articles 100000 --out cache.sqlite`
//! writes one; the benchmarks build (and keep) theirs under target/.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod screen;

use std::path::Path;

use byline::config::FeedSpec;
use byline::feed::NewArticle;
use byline::store::{FeedMeta, Store};

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SYLLABLES: &[&str] = &[
    "ra", "ko", "mi", "ten", "sar", "lo", "vi", "den", "pa", "tri", "gan", "mor", "sel", "ul",
    "bra", "ne", "qui", "dor", "fa", "zen", "ti", "mal", "cor", "hu", "ex", "pol", "vas", "gre",
    "lin", "tor",
];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
        .collect()
}

pub struct Corpus {
    general: Vec<String>,
    zipf: Vec<f64>,
    topics: Vec<(Vec<String>, Vec<String>)>,
}

impl Corpus {
    pub fn new(seed: u64) -> Corpus {
        let mut rng = Rng::new(seed);
        let general: Vec<String> = (0..3000).map(|_| word(&mut rng)).collect();
        let mut zipf = Vec::with_capacity(general.len());
        let mut sum = 0.0;
        for i in 0..general.len() {
            sum += 1.0 / (i as f64 + 1.0);
            zipf.push(sum);
        }
        for z in &mut zipf {
            *z /= sum;
        }
        let topics = (0..40)
            .map(|t| {
                let words = (0..60).map(|_| word(&mut rng)).collect();
                let cats = (0..6).map(|c| format!("Topic {t} tag {c}")).collect();
                (words, cats)
            })
            .collect();
        Corpus {
            general,
            zipf,
            topics,
        }
    }

    fn general_word(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self
            .zipf
            .partition_point(|z| *z < u)
            .min(self.general.len() - 1);
        &self.general[i]
    }

    /// Article `n` (0-based): its topic is n % 40.
    pub fn article(&self, n: usize, base: &str) -> NewArticle {
        let mut rng = Rng::new(n as u64 + 7);
        let (vocab, cats) = &self.topics[n % self.topics.len()];
        let words = 250 + rng.below(350) as usize;
        let mut html = String::with_capacity(words * 8);
        let mut title = String::new();
        for i in 0..8 {
            let w = if i % 2 == 0 {
                &vocab[rng.below(vocab.len() as u64) as usize]
            } else {
                self.general_word(&mut rng)
            };
            title.push_str(w);
            title.push(' ');
        }
        html.push_str("<p>");
        for i in 0..words {
            let w = if rng.below(5) == 0 {
                vocab[rng.below(vocab.len() as u64) as usize].as_str()
            } else {
                self.general_word(&mut rng)
            };
            html.push_str(w);
            html.push(if i % 40 == 39 { '.' } else { ' ' });
            if i % 120 == 119 {
                html.push_str("</p><p>");
            }
            if i == 60 && n >= 40 {
                // a link to an earlier article of the same topic
                let earlier = n - 40 * (1 + rng.below((n / 40) as u64).min(20) as usize);
                html.push_str(&format!("<a href=\"{base}/a/{earlier}/\">see also</a> "));
            }
        }
        html.push_str("</p>");
        let mut categories: Vec<String> = (0..2)
            .map(|_| cats[rng.below(cats.len() as u64) as usize].clone())
            .collect();
        if rng.below(2) == 0 {
            categories.push("Policy".into());
        }
        categories.dedup();
        NewArticle {
            key: format!("{base}/?p={n}"),
            url: Some(format!("{base}/a/{n}/")),
            title: title.trim().to_string(),
            author: Some(format!("Writer {}", rng.below(50))),
            published: Some(1_700_000_000 + n as i64 * 600),
            updated: None,
            categories,
            summary_html: None,
            content_html: Some(html),
        }
    }
}

/// Writes a cache of `articles` synthetic articles at `path` (replacing what is there).
pub fn build(path: &Path, articles: usize) -> Store {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(path.with_extension("sqlite-wal"));
    let _ = std::fs::remove_file(path.with_extension("sqlite-shm"));
    let mut store = Store::open(path).expect("open synthetic cache");
    let per_feed = 100;
    let feeds = articles.div_ceil(per_feed);
    let specs: Vec<FeedSpec> = (0..feeds)
        .map(|f| FeedSpec {
            name: Some(format!("Feed {f:04}")),
            ..FeedSpec::new(format!("http://127.0.0.1:9/feed/{f}"))
        })
        .collect();
    let rows = store.sync_feeds(&specs).expect("feeds");
    let corpus = Corpus::new(1);
    for (f, row) in rows.iter().enumerate() {
        let batch: Vec<NewArticle> = (f * per_feed..((f + 1) * per_feed).min(articles))
            .map(|n| corpus.article(n, "https://synth.test"))
            .collect();
        store
            .upsert_feed(row.id, &FeedMeta::default(), &batch)
            .expect("upsert");
    }
    store.rebuild_term_stats().expect("term stats");
    store
}

/// The cache at `path` if it holds `articles`, else a new one.
pub fn cached(path: &Path, articles: usize) -> Store {
    if path.exists()
        && let Ok(store) = Store::open(path)
        && store.article_count().ok() == Some(articles as i64)
    {
        return store;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("bench dir");
    }
    build(path, articles)
}
