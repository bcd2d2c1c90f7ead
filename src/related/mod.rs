//! Related stories: what else in the cache is about the same thing, and why.
//!
//! 1. Candidates. BM25 through the FTS5 index, querying with the article's most distinctive
//!    words (tf-idf over the words stored for it at refresh time; the most distinctive are
//!    repeated, since FTS5's bm25() sums over the query's phrases; when even the best of them
//!    are common, among the articles stored about the same time only), plus articles sharing a
//!    rare category or tag, articles it links to or that link to it, and the same page in
//!    other feeds.
//! 2. Similarity. Each candidate is a tf-idf vector of its stored words (idf from term
//!    statistics refreshed after each refresh) and a rarity-weighted vector of its categories
//!    and tags. Pairwise cosine ranks the pool; then each article's vector is expanded with
//!    its nearest neighbour in the pool (pseudo-relevance feedback, the classic Rocchio
//!    step), and the score of a pair is the sum of both directions, so relatedness is
//!    symmetric and an article that only resembles the query by chance does not win.
//!    Links add a little: a link confirms a likeness.
//! 3. Confidence. If even the best candidate's plain cosine is tiny, nothing is closely
//!    related, and the list is empty ("nothing closely related") rather than noise.
//!
//! Every signal is kept so the reason can be shown: shared categories, shared distinctive
//! words, links, the same story in other feeds. The same story in several feeds (same URL,
//! or near-identical title) is one result naming its feeds.

pub mod terms;

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

use crate::store::{ArticleId, ArticleRow, Result, Store};

/// Below this plain similarity to its best candidate, nothing is closely related.
pub const CONFIDENCE: f64 = 0.07;
/// Words of the article the BM25 query uses.
const QUERY_TERMS: usize = 24;
/// The BM25 query's words may match at most this share of the cache (or MIN_MATCH_BUDGET).
const MATCH_BUDGET: f64 = 0.015;
const MIN_MATCH_BUDGET: f64 = 1000.0;
/// When even the article's two most distinctive words are common (their documents add up to
/// more than this many match budgets), the BM25 query looks only at the articles stored
/// around it, as many as it can afford: its time then stays bounded whatever the cache holds.
const SCAN_BUDGETS: f64 = 4.0;
/// Candidates the BM25 query brings back.
const TEXT_CANDIDATES: usize = 40;
/// Categories on more than this many articles are not used to find candidates (they are
/// still compared, with little weight).
const CANDIDATE_CATEGORY_DF: i64 = 300;
/// Weight of categories and tags against text, when the article has any.
const CATEGORY_WEIGHT: f64 = 0.3;
/// Neighbours each article's vector is expanded with.
const NEIGHBOURS: usize = 2;
/// Added when one article links to the other.
const LINK_BONUS: f64 = 0.1;

/// One related story, with the reasons it is related.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Related {
    pub id: ArticleId,
    pub title: String,
    pub feed: String,
    pub published: Option<i64>,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// The ids around `id` that make up `share` (0 to 1) of `span`, the cache's lowest and
/// highest ids: where the BM25 query looks when it cannot afford the whole cache. Ids follow
/// the order articles were stored in, so these are the stories stored about the same time.
fn window_around(id: i64, (first, last): (i64, i64), share: f64) -> RangeInclusive<i64> {
    let span = (last - first + 1).max(1);
    let width = ((span as f64 * share).ceil() as i64).clamp(1, span);
    let start = (id - width / 2).clamp(first, last - width + 1);
    start..=start + width - 1
}

/// A sparse vector: (term id, weight), sorted by term id, unit length.
type Vector = Vec<(u32, f64)>;

/// An article of the pool, as vectors.
struct Item {
    row: ArticleRow,
    url_key: Option<String>,
    words: Vector,
    categories: Vector,
    /// words kept for the reason: term id -> word as written
    vocabulary: HashMap<u32, String>,
}

/// The articles most related to `id`, best first, at most `limit`.
pub fn for_article(store: &Store, id: ArticleId, limit: usize) -> Result<Vec<Related>> {
    let Some(me) = store.related_inputs(id)? else {
        return Ok(Vec::new());
    };
    let mut stats = store.term_stats()?;
    if stats.sample == 0 && store.indexed_count()? > 0 {
        // not computed yet (the refresh that stores articles computes them): do it now
        stats = std::sync::Arc::new(store.compute_term_stats()?);
    }
    let sample = stats.sample.max(1) as f64;
    let idf = |stem: &str| -> f64 {
        let df = f64::from(stats.df.get(stem).copied().unwrap_or(0)).max(0.5);
        (1.0 + sample / df).ln()
    };

    // 1. Candidates.
    let my_terms = terms::parse(&me.terms);
    let mut pool: Vec<ArticleId> = Vec::new();
    let total_articles = store.indexed_count()?.max(1) as f64;
    let mut stems = Stems::default();
    let mut weighted: Vec<(&str, f64, f64)> = my_terms
        .iter()
        .map(|(w, tf)| {
            let stem = stems.get(w);
            // documents holding the word, estimated for the whole cache from the sample
            let df = f64::from(stats.df.get(&stem).copied().unwrap_or(1)) * total_articles / sample;
            (w.as_str(), (1.0 + f64::from(*tf).ln()) * idf(&stem), df)
        })
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1));
    // FTS5 scores every document a query matches: keep the query to the distinctive words
    // whose documents add up to a bounded number, so a big cache stays fast.
    let budget = (total_articles * MATCH_BUDGET).max(MIN_MATCH_BUDGET);
    let mut matched = 0.0;
    let mut kept = 0;
    weighted.retain(|(_, _, df)| {
        let keep = kept < QUERY_TERMS && (kept < 2 || matched + df <= budget);
        if keep {
            kept += 1;
            matched += df;
        }
        keep
    });
    if let Some(top) = weighted.first().map(|(_, w, _)| *w) {
        let query = weighted
            .iter()
            .flat_map(|(w, weight, _)| {
                let reps = (1 + (2.0 * weight / top).floor() as usize).min(3);
                std::iter::repeat_n(format!("\"{w}\""), reps)
            })
            .collect::<Vec<_>>()
            .join(" OR ");
        let affordable = SCAN_BUDGETS * budget;
        let within = if matched <= affordable {
            i64::MIN..=i64::MAX
        } else {
            window_around(id.0, store.id_span()?, affordable / matched)
        };
        tracing::debug!(
            article = id.0,
            ?within,
            matched,
            budget,
            "related: words to look for"
        );
        pool.extend(
            store
                .fts_matches(&query, within, TEXT_CANDIDATES)?
                .into_iter()
                .map(|(a, _)| a),
        );
    }
    let rare: Vec<i64> = me
        .categories
        .iter()
        .filter(|(_, _, df)| (2..=CANDIDATE_CATEGORY_DF).contains(df))
        .map(|(c, _, _)| *c)
        .collect();
    pool.extend(
        store
            .sharing_category_ids(id, &rare)?
            .into_iter()
            .map(|(a, _)| a),
    );
    let (links_to, linked_from) = store.linked(id, me.url_key.as_deref())?;
    pool.extend(links_to.iter().chain(&linked_from).copied());
    let same_url: HashSet<ArticleId> = match &me.url_key {
        Some(key) => store.same_url(id, key)?.into_iter().collect(),
        None => HashSet::new(),
    };
    pool.extend(same_url.iter().copied());
    let mut seen = HashSet::from([id]);
    pool.retain(|a| seen.insert(*a));

    // 2. Vectors for the article and its pool.
    let total = total_articles;
    let mut ids = vec![id];
    ids.extend(&pool);
    let candidates = store.candidates(&ids[1..])?;
    let mut categories: HashMap<ArticleId, Vec<(i64, String, i64)>> = HashMap::new();
    for (a, cid, name, df) in store.categories_of(&ids)? {
        categories.entry(a).or_default().push((cid, name, df));
    }
    let mut vectors = Vectors {
        idf: &idf,
        total,
        interner: HashMap::new(),
        stems,
    };
    let mut items: Vec<Item> = Vec::with_capacity(ids.len());
    items.push(vectors.item(
        me.row.clone(),
        me.url_key.clone(),
        &me.terms,
        categories.get(&id),
    ));
    for c in candidates {
        let cats = categories.get(&c.row.id);
        items.push(vectors.item(c.row, c.url_key, &c.terms, cats));
    }
    let has_categories = !items[0].categories.is_empty();
    let wc = if has_categories { CATEGORY_WEIGHT } else { 0.0 };
    let n = items.len();
    if n < 2 {
        return Ok(Vec::new());
    }
    // plain similarity of every pair of the pool
    let mut plain = vec![vec![0.0f64; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let s = (1.0 - wc) * dot(&items[a].words, &items[b].words)
                + wc * dot(&items[a].categories, &items[b].categories);
            plain[a][b] = s;
            plain[b][a] = s;
        }
    }
    // 3. Confidence: is anything closely related at all?
    let best_plain = (1..n).map(|b| plain[0][b]).fold(0.0, f64::max);
    if best_plain < CONFIDENCE
        && same_url.is_empty()
        && links_to.is_empty()
        && linked_from.is_empty()
    {
        return Ok(Vec::new());
    }
    // Each article expanded with its nearest neighbours in the pool, weighted by likeness to
    // it (the classic Rocchio step). A candidate's neighbour is never the article itself:
    // that would make any candidate look related to it.
    let expanded: Vec<(Vector, Vector)> = (0..n)
        .map(|a| {
            let mut near: Vec<usize> = (0..n).filter(|b| *b != a && (a == 0 || *b != 0)).collect();
            near.sort_by(|x, y| plain[a][*y].total_cmp(&plain[a][*x]));
            near.truncate(NEIGHBOURS);
            let top = near.first().map_or(0.0, |b| plain[a][*b]);
            let mut words = items[a].words.clone();
            let mut cats = items[a].categories.clone();
            for b in near {
                let w = if top > 0.0 { plain[a][b] / top } else { 0.0 };
                words = add(&words, &scaled(&items[b].words, w));
                cats = add(&cats, &scaled(&items[b].categories, w));
            }
            (unit(words), unit(cats))
        })
        .collect();
    let directed = |a: usize, b: usize| -> f64 {
        (1.0 - wc) * dot(&expanded[a].0, &items[b].words)
            + wc * dot(&expanded[a].1, &items[b].categories)
    };
    let links_to: HashSet<ArticleId> = links_to.into_iter().collect();
    let linked_from: HashSet<ArticleId> = linked_from.into_iter().collect();
    let my_title = title_words(&items[0].row.title);

    let mut same_story: Vec<usize> = Vec::new();
    let mut scored: Vec<(f64, usize)> = Vec::new();
    for (b, c) in items.iter().enumerate().skip(1) {
        if same_url.contains(&c.row.id) || jaccard(&my_title, &title_words(&c.row.title)) >= 0.8 {
            same_story.push(b);
            continue;
        }
        let mut score = (directed(0, b) + directed(b, 0)) / 2.0;
        if links_to.contains(&c.row.id) || linked_from.contains(&c.row.id) {
            score += LINK_BONUS;
        }
        scored.push((score, b));
    }
    scored.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(items[y.1].row.sort_time.cmp(&items[x.1].row.sort_time))
    });

    let mut out: Vec<Related> = Vec::new();
    let me_row = &items[0].row;
    let other_feeds: Vec<String> = same_story
        .iter()
        .map(|b| items[*b].row.feed.clone())
        .filter(|f| *f != me_row.feed)
        .fold(Vec::new(), |mut v, f| {
            if !v.contains(&f) {
                v.push(f);
            }
            v
        });
    if let (Some(first), false) = (same_story.first(), other_feeds.is_empty()) {
        let r = &items[*first].row;
        out.push(Related {
            id: r.id,
            title: r.title.clone(),
            feed: r.feed.clone(),
            published: r.published.or(r.updated),
            score: 1.0,
            reasons: vec![format!("same story in {}", join_names(&other_feeds))],
        });
    }
    // the same story from several feeds is one result
    let first_grouped = out.len();
    let mut groups: Vec<(HashSet<String>, Option<String>)> = Vec::new();
    for (score, b) in scored {
        if out.len() >= limit {
            break;
        }
        let c = &items[b];
        let words = title_words(&c.row.title);
        let key = c.url_key.clone();
        if let Some(i) = groups
            .iter()
            .position(|(w, k)| (key.is_some() && *k == key) || jaccard(w, &words) >= 0.8)
        {
            if let Some(r) = out.get_mut(first_grouped + i)
                && r.feed != c.row.feed
                && !r.reasons.iter().any(|x| x.ends_with(&c.row.feed))
            {
                r.reasons.push(format!("also in {}", c.row.feed));
            }
            continue;
        }
        groups.push((words, key));
        let mut why = reasons(&items[0], c, &expanded[0].0);
        if links_to.contains(&c.row.id) {
            why.push("linked from this article".into());
        }
        if linked_from.contains(&c.row.id) {
            why.push("links to this article".into());
        }
        out.push(Related {
            id: c.row.id,
            title: c.row.title.clone(),
            feed: c.row.feed.clone(),
            published: c.row.published.or(c.row.updated),
            score: (score.min(1.0) * 1000.0).round() / 1000.0,
            reasons: why,
        });
    }
    Ok(out)
}

/// Builds the articles' vectors in one id space (words and categories).
struct Vectors<'a, F: Fn(&str) -> f64> {
    idf: &'a F,
    /// Articles in the cache, for the rarity of categories.
    total: f64,
    interner: HashMap<String, u32>,
    stems: Stems,
}

impl<F: Fn(&str) -> f64> Vectors<'_, F> {
    fn id(&mut self, key: String) -> u32 {
        let next = self.interner.len() as u32;
        *self.interner.entry(key).or_insert(next)
    }

    fn item(
        &mut self,
        row: ArticleRow,
        url_key: Option<String>,
        stored: &str,
        categories: Option<&Vec<(i64, String, i64)>>,
    ) -> Item {
        // counts per stem ("state" and "states" are one term), then tf-idf weights
        let mut counts: HashMap<u32, (u32, String)> = HashMap::new();
        let mut vocabulary = HashMap::new();
        for (word, tf) in terms::parse(stored) {
            let stem = self.stems.get(&word);
            let tid = self.id(stem.clone());
            counts.entry(tid).or_insert((0, stem)).0 += tf;
            vocabulary.entry(tid).or_insert(word);
        }
        let words: HashMap<u32, f64> = counts
            .into_iter()
            .map(|(tid, (tf, stem))| (tid, (1.0 + f64::from(tf).ln()) * (self.idf)(&stem)))
            .collect();
        let mut cats: HashMap<u32, f64> = HashMap::new();
        for (_, name, df) in categories.map(Vec::as_slice).unwrap_or(&[]) {
            if *df < 2 {
                continue; // on no other article: says nothing about relatedness
            }
            let tid = self.id(category_key(name));
            cats.insert(tid, (1.0 + self.total / *df as f64).ln());
            vocabulary.entry(tid).or_insert_with(|| name.clone());
        }
        Item {
            row,
            url_key,
            words: unit(words.into_iter().collect()),
            categories: unit(cats.into_iter().collect()),
            vocabulary,
        }
    }
}

/// Porter stems, each computed once per ranking (the same words recur across candidates).
#[derive(Default)]
struct Stems(HashMap<String, String>);

impl Stems {
    fn get(&mut self, word: &str) -> String {
        if let Some(s) = self.0.get(word) {
            return s.clone();
        }
        let s = porter_stemmer::stem(word);
        self.0.insert(word.to_string(), s.clone());
        s
    }
}

/// Categories live in the same id space as words, marked so "privacy" the tag and
/// "privacy" the word stay apart.
fn category_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() + 1);
    key.push('\u{1}');
    key.push_str(&name.to_lowercase());
    key
}

/// Sorted by term id and scaled to unit length.
fn unit(mut v: Vector) -> Vector {
    v.sort_unstable_by_key(|(t, _)| *t);
    let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

fn scaled(v: &Vector, k: f64) -> Vector {
    v.iter().map(|(t, w)| (*t, w * k)).collect()
}

fn add(a: &Vector, b: &Vector) -> Vector {
    let mut out: HashMap<u32, f64> = a.iter().copied().collect();
    for (t, w) in b {
        *out.entry(*t).or_insert(0.0) += w;
    }
    out.into_iter().collect()
}

fn dot(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// What the two share: their rarest common categories, else their most distinctive common
/// words.
fn reasons(me: &Item, other: &Item, my_query: &Vector) -> Vec<String> {
    let shared = |mine: &Vector, theirs: &Vector| -> Vec<(u32, f64)> {
        let theirs: HashSet<u32> = theirs.iter().map(|(t, _)| *t).collect();
        let mut v: Vec<(u32, f64)> = mine
            .iter()
            .filter(|(t, _)| theirs.contains(t))
            .copied()
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v
    };
    let cats = shared(&me.categories, &other.categories);
    if !cats.is_empty() {
        let names: Vec<&str> = cats
            .iter()
            .take(3)
            .filter_map(|(t, _)| me.vocabulary.get(t).map(String::as_str))
            .collect();
        return vec![format!("shares: {}", names.join(", "))];
    }
    let words = shared(my_query, &other.words);
    let names: Vec<&str> = words
        .iter()
        .filter(|(t, _)| me.words.iter().any(|(m, _)| m == t))
        .take(3)
        .filter_map(|(t, _)| me.vocabulary.get(t).map(String::as_str))
        .collect();
    if names.is_empty() {
        vec!["similar text".into()]
    } else {
        vec![format!("about: {}", names.join(", "))]
    }
}

fn title_words(title: &str) -> HashSet<String> {
    terms::words(title).collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count() as f64;
    inter / (a.len() as f64 + b.len() as f64 - inter)
}

/// "A", "A and B", "A, B and C".
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests;
