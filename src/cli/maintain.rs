//! Keeping the cache: `mark-read` for scripts, `vacuum` to let old articles go and compact.

use super::output::write_stdout;
use super::{Context, Failure};
use crate::store::{ArticleId, PruneScope};

/// `byline mark-read ID... | --feed NAME | --all`
pub fn mark_read(
    ctx: &mut Context,
    ids: &[i64],
    feed: Option<&str>,
    all: bool,
) -> Result<u8, Failure> {
    let changed = match (ids.is_empty(), feed, all) {
        (false, None, false) => {
            // check them all first: a typo must not leave half the list marked
            let ids: Vec<ArticleId> = ids.iter().map(|&id| ArticleId(id)).collect();
            let known = ctx.store.rows(&ids)?;
            if let Some(missing) = ids.iter().find(|id| !known.iter().any(|r| r.id == **id)) {
                return Err(Failure::new(
                    1,
                    format!(
                        "no article with id {} (see `byline list`); nothing marked",
                        missing.0
                    ),
                ));
            }
            let mut changed = 0;
            for id in ids {
                changed += ctx.store.mark_read(id)?;
            }
            changed
        }
        (true, Some(name), false) => {
            let feed = ctx.feed_named(name)?;
            ctx.store.mark_feed_read(feed)?
        }
        (true, None, true) => ctx.store.mark_all_read()?,
        _ => {
            return Err(Failure::new(
                2,
                "say which: article ids, --feed NAME, or --all (one of them)",
            ));
        }
    };
    write_stdout(&format!(
        "marked {} read\n",
        crate::text::columns::counted(changed, "article")
    ))?;
    Ok(0)
}

/// `byline vacuum [--unread] [--starred]`: retention for every feed, feeds no longer in the
/// config deleted, then the file compacted.
pub fn vacuum(ctx: &mut Context, unread: bool, starred: bool) -> Result<u8, Failure> {
    let scope = PruneScope { unread, starred };
    let before = ctx.store.size_on_disk();
    let mut pruned = 0;
    for (spec, row) in ctx.config.feeds.iter().zip(&ctx.feeds) {
        pruned += ctx.store.prune(row.id, spec.retention, scope)?;
    }
    let removed = ctx.store.remove_unsubscribed(scope)?;
    ctx.store.compact()?;
    let after = ctx.store.size_on_disk();
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    write_stdout(&format!(
        "let go of {pruned} old articles, removed {removed} feeds no longer in the config; \
         cache {:.1} MiB -> {:.1} MiB\n",
        mib(before),
        mib(after)
    ))?;
    Ok(0)
}
