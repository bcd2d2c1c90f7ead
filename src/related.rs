//! Related stories: what else in the cache is about the same thing, and why.
//!
//! This first version ranks by shared categories, newest first; the reason names them.

use crate::store::{ArticleId, Result, Store};

/// One related story, with the reason it is related.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Related {
    pub id: ArticleId,
    pub title: String,
    pub feed: String,
    pub published: Option<i64>,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// The articles most related to `id`, best first.
pub fn for_article(store: &Store, id: ArticleId, limit: usize) -> Result<Vec<Related>> {
    let Some(article) = store.article(id)? else {
        return Ok(Vec::new());
    };
    let found = store.sharing_categories(id, limit)?;
    Ok(found
        .into_iter()
        .map(|(row, shared)| Related {
            id: row.id,
            title: row.title,
            feed: row.feed,
            published: row.published.or(row.updated),
            score: shared.len() as f64 / article.row.categories.len().max(1) as f64,
            reasons: vec![format!("shares: {}", shared.join(", "))],
        })
        .collect())
}
