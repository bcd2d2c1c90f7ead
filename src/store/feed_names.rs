//! Feeds that go by the same name are told apart by the part of their URLs that differs: a
//! site's RSS and Atom feeds, or its comment feeds, all call themselves by the site's title,
//! and "The Policy Ledger" three times in a list says nothing about which is which.

use std::collections::HashMap;

use super::FeedId;
use super::feeds::FeedRow;

/// Sets `apart` on every feed whose name another feed of `feeds` also has, and clears it on
/// the others.
pub fn tell_apart(feeds: &mut [FeedRow]) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in feeds.iter().enumerate() {
        by_name.entry(f.name.as_str()).or_default().push(i);
    }
    if by_name.len() == feeds.len() {
        feeds.iter_mut().for_each(|f| f.apart = None);
        return;
    }
    let apart = Apart::new(feeds.iter().map(|f| f.url.as_str()));
    let mut labels: Vec<Option<String>> = vec![None; feeds.len()];
    for group in by_name.values().filter(|g| g.len() > 1) {
        for (i, label) in group.iter().zip(apart.labels_of(group)) {
            labels[*i] = Some(label);
        }
    }
    for (f, label) in feeds.iter_mut().zip(labels) {
        f.apart = label;
    }
}

/// What tells feeds apart, worked out once from all their URLs so that it does not change
/// with which of them happen to share a name: a feed is labelled by what its URL has that
/// the other feeds of its site do not ("feed/atom", "category/law"), or by its host if it is
/// its site's only feed.
pub struct Apart {
    /// Each URL without scheme, "www." or a password; and whole, without the password.
    plain: Vec<String>,
    whole: Vec<String>,
    site_labels: Vec<String>,
}

impl Apart {
    pub fn new<'a>(urls: impl Iterator<Item = &'a str>) -> Self {
        let whole: Vec<String> = urls.map(crate::feed::redact_url).collect();
        let plain: Vec<String> = whole.iter().map(|u| without_scheme(u)).collect();
        let mut by_host: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, p) in plain.iter().enumerate() {
            by_host.entry(host_of(p)).or_default().push(i);
        }
        let mut site_labels = vec![String::new(); plain.len()];
        for group in by_host.values() {
            let urls: Vec<&str> = group.iter().map(|i| plain[*i].as_str()).collect();
            let labels = if urls.len() == 1 {
                vec![host_of(urls[0]).to_string()]
            } else {
                differing_parts(&urls)
            };
            for (i, label) in group.iter().zip(labels) {
                site_labels[*i] = label;
            }
        }
        Apart {
            plain,
            whole,
            site_labels,
        }
    }

    /// Labels for the feeds at these indexes (they share a name): their site labels if those
    /// differ, else their URLs (without the scheme if that is not all that differs).
    pub fn labels_of(&self, group: &[usize]) -> Vec<String> {
        for candidates in [&self.site_labels, &self.plain] {
            let labels: Vec<&str> = group
                .iter()
                .map(|i| candidates.get(*i).map_or("", String::as_str))
                .collect();
            let unique = labels
                .iter()
                .enumerate()
                .all(|(k, l)| !l.is_empty() && !labels[..k].contains(l));
            if unique {
                return labels.into_iter().map(str::to_string).collect();
            }
        }
        group
            .iter()
            .map(|i| self.whole.get(*i).cloned().unwrap_or_default())
            .collect()
    }

    /// How to show feed `id`, named `name`, among `names` (every feed's id and name, in the
    /// order of the URLs this was made from).
    pub fn shown(&self, names: &[(FeedId, String)], id: FeedId, name: &str) -> String {
        let group: Vec<usize> = (0..names.len()).filter(|i| names[*i].1 == name).collect();
        let me = group.iter().position(|i| names[*i].0 == id);
        match me {
            Some(k) if group.len() > 1 => format!("{name} ({})", self.labels_of(&group)[k]),
            _ => name.to_string(),
        }
    }
}

fn host_of(plain: &str) -> &str {
    plain.split(['/', '?']).next().unwrap_or(plain)
}

/// For each URL (without scheme), the part that differs from the others: path segments they
/// all share at the start or the end are left out ("example.com/category/law/feed" and
/// "example.com/category/tech/feed" give "law" and "tech"). A URL left with nothing, or with
/// what another is left with, is given whole.
fn differing_parts(urls: &[&str]) -> Vec<String> {
    let segments: Vec<Vec<&str>> = urls.iter().map(|p| p.split('/').collect()).collect();
    let shortest = segments.iter().map(Vec::len).min().unwrap_or(0);
    // keep at least one segment of the shortest, so no URL is left with nothing
    let mut head = 0;
    while head + 1 < shortest && segments.iter().all(|s| s[head] == segments[0][head]) {
        head += 1;
    }
    let mut tail = 0;
    while head + tail + 1 < shortest
        && segments
            .iter()
            .all(|s| s[s.len() - 1 - tail] == segments[0][segments[0].len() - 1 - tail])
    {
        tail += 1;
    }
    let parts: Vec<String> = segments
        .iter()
        .map(|s| s[head..s.len() - tail].join("/"))
        .collect();
    parts
        .iter()
        .zip(urls)
        .map(|(part, url)| {
            if part.is_empty() || parts.iter().filter(|p| *p == part).count() > 1 {
                (*url).to_string()
            } else {
                part.clone()
            }
        })
        .collect()
}

/// "https://www.example.com/feed/" -> "example.com/feed".
fn without_scheme(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    match rest.split_once('?') {
        Some((path, query)) => format!("{}?{query}", path.trim_end_matches('/')),
        None => rest.trim_end_matches('/').to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(urls: &[&str]) -> Vec<String> {
        let plain: Vec<String> = urls.iter().map(|u| without_scheme(u)).collect();
        differing_parts(&plain.iter().map(String::as_str).collect::<Vec<_>>())
    }

    #[test]
    fn the_differing_path_names_each_feed() {
        assert_eq!(
            parts(&[
                "http://127.0.0.1:8080/feed/",
                "http://127.0.0.1:8080/fault/escape",
                "http://127.0.0.1:8080/fault/mutating?key=nu",
            ]),
            vec!["feed", "fault/escape", "fault/mutating?key=nu"]
        );
        assert_eq!(
            parts(&[
                "https://example.com/category/law/feed/",
                "https://www.example.com/category/tech/feed",
            ]),
            vec!["law", "tech"]
        );
        // one is a prefix of the other: the shorter keeps its one segment
        assert_eq!(
            parts(&["https://example.com/", "https://example.com/feed/atom/"]),
            vec!["example.com", "example.com/feed/atom"]
        );
    }

    #[test]
    fn labels_do_not_depend_on_which_feeds_share_a_name() {
        let urls = [
            "http://127.0.0.1:8080/feed/",
            "http://127.0.0.1:8080/fault/escape",
            "http://127.0.0.1:8080/fault/mutating?key=nu",
            "https://other.example/feed",
        ];
        let apart = Apart::new(urls.into_iter());
        assert_eq!(
            apart.labels_of(&[1, 2]),
            vec!["fault/escape", "fault/mutating?key=nu"]
        );
        assert_eq!(
            apart.labels_of(&[0, 1, 2]),
            vec!["feed", "fault/escape", "fault/mutating?key=nu"]
        );
        // a site's only feed is named by its host
        assert_eq!(apart.labels_of(&[0, 3]), vec!["feed", "other.example"]);
    }

    #[test]
    fn labels_that_would_still_be_alike_give_the_whole_url() {
        let apart = Apart::new(
            [
                "https://a.example/x/feed",
                "https://a.example/y/feed",
                "https://b.example/x/feed",
                "https://b.example/z/feed",
            ]
            .into_iter(),
        );
        assert_eq!(
            apart.labels_of(&[0, 2]),
            vec!["a.example/x/feed", "b.example/x/feed"]
        );
        // only the scheme differs
        let apart =
            Apart::new(["http://example.com/feed", "https://example.com/feed/"].into_iter());
        assert_eq!(
            apart.labels_of(&[0, 1]),
            vec!["http://example.com/feed", "https://example.com/feed/"]
        );
    }

    fn feed_row(id: i64, name: &str, url: &str) -> FeedRow {
        FeedRow::new(FeedId(id), url, name)
    }

    #[test]
    fn names_shared_are_told_apart_and_no_password_shows() {
        let mut feeds = vec![
            feed_row(1, "Ledger", "https://user:hunter2@ledger.example/feed/"),
            feed_row(2, "Ledger", "https://ledger.example/feed/atom/"),
            feed_row(3, "Other", "https://other.example/feed/"),
        ];
        tell_apart(&mut feeds);
        let shown: Vec<String> = feeds.iter().map(FeedRow::shown_name).collect();
        assert_eq!(shown, vec!["Ledger (feed)", "Ledger (feed/atom)", "Other"]);
        assert!(!shown.concat().contains("hunter2"));
        feeds[1].name = "Atom".into();
        tell_apart(&mut feeds);
        assert!(feeds.iter().all(|f| f.apart.is_none()));
    }
}
