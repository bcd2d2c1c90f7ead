//! `byline related ID [--limit N] [--json]`: other cached stories about the same thing.

use serde_json::json;

use super::output::{local_time, print_json, rfc3339, write_stdout};
use super::{Context, Failure};
use crate::store::ArticleId;
use crate::text::sanitize_line;

pub fn run(ctx: &mut Context, id: i64, limit: usize, json: bool) -> Result<u8, Failure> {
    if ctx.store.article(ArticleId(id))?.is_none() {
        return Err(Failure::new(
            1,
            format!("no article with id {id} (see `byline list`)"),
        ));
    }
    let items = crate::related::for_article(&ctx.store, ArticleId(id), limit)?;
    if json {
        let rows: Vec<_> = items
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "title": sanitize_line(&r.title),
                    "feed": sanitize_line(&r.feed),
                    "published": rfc3339(r.published),
                    "score": r.score,
                    "reasons": r.reasons.iter().map(|x| sanitize_line(x)).collect::<Vec<_>>(),
                })
            })
            .collect();
        print_json(&serde_json::Value::Array(rows))?;
        return Ok(0);
    }
    if items.is_empty() {
        write_stdout("nothing closely related\n")?;
        return Ok(0);
    }
    let id_width = items
        .iter()
        .map(|r| r.id.0.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for r in &items {
        let date = r.published.map(local_time).unwrap_or_default();
        out.push_str(&format!(
            "{:>id_width$}  {:.2}  {}\n{:id_width$}        {} · {} · {}\n",
            r.id.0,
            r.score,
            sanitize_line(&r.title),
            "",
            sanitize_line(&r.feed),
            date,
            sanitize_line(&r.reasons.join(" · ")),
        ));
    }
    write_stdout(&out)?;
    Ok(0)
}
