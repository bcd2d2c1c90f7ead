//! Golden structure tests of the article renderer on real article HTML: every body of the
//! fixture site (articles.json) and every content body of the conformance corpus's feeds.
//! At several widths: no raw tags or entities left, every link numbered and listed, headings
//! and list markers present, and no line longer than the width.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use byline::text::render::{Mode, render};

const WIDTHS: [usize; 4] = [20, 33, 60, 100];

/// True if an `<h1>`-`<h4>` holds some text (feeds also carry empty ones).
fn has_heading_with_text(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    (1..=4).any(|level| {
        let open = format!("<h{level}");
        let close = format!("</h{level}>");
        lower.match_indices(&open).any(|(i, _)| {
            let Some(start) = lower[i..].find('>').map(|e| i + e + 1) else {
                return false;
            };
            let end = lower[start..]
                .find(&close)
                .map_or(lower.len(), |e| start + e);
            !byline::text::html_to_line(&html[start..end]).is_empty()
        })
    })
}

/// Checks one body; returns what was checked, for the summary line.
fn check(name: &str, html: &str, base: Option<&str>) -> usize {
    let lower = html.to_ascii_lowercase();
    // what the article itself says in words (code samples may show tags and entities)
    let source_text = byline::text::html_to_text(html);
    let mut checked = 0;
    for width in WIDTHS {
        let r = render(html, base, width, Mode::Plain);
        let text = r.to_plain();
        for line in &r.lines {
            assert!(
                line.width() <= width,
                "{name} @{width}: {:?} is {} wide",
                line.text(),
                line.width()
            );
        }
        for needle in [
            "<p>", "</p>", "<a href", "</a>", "<div", "<br", "&amp;", "&nbsp;", "&#8217;",
            "&quot;", "&lt;",
        ] {
            if source_text.contains(needle) {
                continue;
            }
            assert!(
                !text.contains(needle),
                "{name} @{width}: {needle:?} left in\n{text}"
            );
        }
        assert!(
            text.chars().all(|c| c == '\n' || !c.is_control()),
            "{name} @{width}: control character in the output"
        );
        // every link has its number in the text, and the list at the end holds them all
        for (i, url) in r.links.iter().enumerate() {
            let marker = format!("[{}]", i + 1);
            assert!(
                text.contains(&marker),
                "{name} @{width}: link {marker} not in the text"
            );
            assert!(
                text.split_whitespace()
                    .collect::<String>()
                    .contains(&url.split_whitespace().collect::<String>()),
                "{name} @{width}: link {marker} {url} not listed"
            );
        }
        if lower.contains("<li") && width >= 33 {
            assert!(
                r.lines.iter().any(|l| {
                    let t = l.text();
                    let t = t.trim_start_matches("> ").trim_start();
                    t.starts_with("* ")
                        || t.split_once(". ")
                            .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
                }),
                "{name} @{width}: list markers missing\n{text}"
            );
        }
        if has_heading_with_text(html) && width >= 33 {
            assert!(
                r.lines
                    .iter()
                    .any(|l| l.text().trim_start_matches("> ").starts_with('#')),
                "{name} @{width}: headings missing\n{text}"
            );
        }
        checked += 1;
    }
    checked
}

#[test]
fn fixture_site_articles_render_cleanly() {
    let Some(dir) = std::env::var_os("BYLINE_FIXTURE_SITE") else {
        eprintln!("fixture_site_articles_render_cleanly: skipped (BYLINE_FIXTURE_SITE is not set)");
        return;
    };
    let path = std::path::PathBuf::from(dir).join("site-a/articles.json");
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("articles.json")).unwrap();
    let base = "http://127.0.0.1:8080";
    let mut n = 0;
    for a in data["articles"].as_array().unwrap() {
        let html = a["html"].as_str().unwrap().replace("{{BASE}}", base);
        let url = format!("{base}/{}/", a["slug"].as_str().unwrap());
        n += check(a["slug"].as_str().unwrap(), &html, Some(&url));
        // links inside the article are numbered: count the distinct hrefs
        let hrefs: std::collections::BTreeSet<&str> = html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        let r = render(&html, Some(&url), 80, Mode::Plain);
        assert_eq!(
            r.links.len(),
            hrefs.len(),
            "{}: every distinct link numbered",
            a["slug"]
        );
    }
    println!("rendered {n} fixture bodies cleanly");
}

#[test]
fn conformance_corpus_bodies_render_cleanly() {
    let Some(dir) = std::env::var_os("BYLINE_CONFORMANCE_DIR") else {
        eprintln!(
            "conformance_corpus_bodies_render_cleanly: skipped (BYLINE_CONFORMANCE_DIR is not set)"
        );
        return;
    };
    let feeds = std::path::PathBuf::from(dir).join("feeds");
    assert!(feeds.is_dir(), "BYLINE_CONFORMANCE_DIR has no feeds/");
    let mut bodies = 0;
    let mut checks = 0;
    let mut names: Vec<_> = std::fs::read_dir(&feeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Ok(feed) = byline::feed::parse_feed(&bytes, None, "https://conformance.test/") else {
            continue;
        };
        // the WordPress-style full bodies, a few per feed to keep the test quick
        for a in feed
            .articles
            .iter()
            .filter(|a| a.content_html.is_some())
            .take(5)
        {
            let html = a.content_html.as_deref().unwrap();
            checks += check(&format!("{name}: {}", a.title), html, a.url.as_deref());
            bodies += 1;
        }
    }
    println!(
        "rendered {bodies} conformance bodies at {} widths ({checks} renders) cleanly",
        WIDTHS.len()
    );
    assert!(bodies > 100, "expected many bodies, got {bodies}");
}
