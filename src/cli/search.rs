//! `byline search QUERY [--limit N] [--json]`: the whole cache ranked by BM25, with snippets.

use std::io::IsTerminal;

use super::list::row_json;
use super::output::{local_time, print_json, write_stdout};
use super::{Context, Failure};
use crate::search::{MATCH_END, MATCH_START};
use crate::text::sanitize_line;

pub fn run(ctx: &mut Context, query: &str, limit: usize, json: bool) -> Result<u8, Failure> {
    if crate::search::fts_query(query).is_none() {
        return Err(Failure::new(
            2,
            format!("nothing to search for in {query:?}"),
        ));
    }
    let mut hits = crate::search::search(&ctx.store, query, limit)?;
    ctx.name_feeds_as_shown(hits.iter_mut().map(|h| &mut h.row));
    if json {
        let rows: Vec<_> = hits
            .iter()
            .map(|h| {
                let mut v = row_json(&h.row);
                v["score"] = serde_json::json!((h.score * 1000.0).round() / 1000.0);
                v["snippet"] = serde_json::json!(snippet(&h.snippet, "", ""));
                v
            })
            .collect();
        print_json(&serde_json::Value::Array(rows))?;
        return Ok(0);
    }
    if hits.is_empty() {
        write_stdout("no matches\n")?;
        return Ok(0);
    }
    let styled = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let (start, end) = if styled {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let id_width = hits
        .iter()
        .map(|h| h.row.id.0.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for h in &hits {
        out.push_str(&format!(
            "{:>id_width$}  {}  {} · {}\n{:id_width$}  {}\n",
            h.row.id.0,
            sanitize_line(&h.row.title),
            sanitize_line(&h.row.feed),
            local_time(h.row.sort_time),
            "",
            snippet(&h.snippet, start, end)
        ));
    }
    write_stdout(&out)?;
    Ok(0)
}

/// The snippet as one clean line, with the matched words between `start` and `end`.
fn snippet(raw: &str, start: &str, end: &str) -> String {
    // sanitize first (it would remove the markers' control characters), then mark
    let marked = raw
        .replace(MATCH_START, "\u{e000}")
        .replace(MATCH_END, "\u{e001}");
    sanitize_line(&marked)
        .replace('\u{e000}', start)
        .replace('\u{e001}', end)
}
