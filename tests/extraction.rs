//! Full text for summary-only feeds, measured on the fixture site: refresh its summary feed
//! with `full_text = true` next to its full feed, then for every article compare what `show`
//! prints.
//!
//! - recall: the share of the article body's words (articles.json) that `show` prints for the
//!   extracted article; at least 98% on average.
//! - boilerplate: the words `show` prints for the extracted article beyond what it prints for
//!   the same article read from the full feed; under 2% on average.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use common::{FixtureSite, Sandbox};

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn total(m: &HashMap<String, usize>) -> usize {
    m.values().sum()
}

/// The multiset minus one occurrence of each word of `name`.
fn without(mut m: HashMap<String, usize>, name: &str) -> HashMap<String, usize> {
    for w in words(name).into_keys() {
        if let Some(n) = m.get_mut(&w) {
            *n = n.saturating_sub(1);
        }
    }
    m
}

/// Size of the multiset intersection.
fn common_words(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> usize {
    a.iter()
        .map(|(k, v)| (*v).min(*b.get(k).unwrap_or(&0)))
        .sum()
}

#[test]
fn extracted_articles_keep_the_body_and_drop_the_page() {
    let Some(site) = FixtureSite::start("extracted_articles_keep_the_body_and_drop_the_page")
    else {
        return;
    };
    let articles_json = std::path::PathBuf::from(std::env::var_os("BYLINE_FIXTURE_SITE").unwrap())
        .join("site-a/articles.json");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&articles_json).expect("articles.json"))
            .expect("JSON");

    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\nname = \"Full\"\n\n[[feeds]]\nurl = \"{}\"\nname = \"Summary\"\nfull_text = true\n",
        site.url("/feed/"),
        site.url("/feed/summary/"),
    ));
    let refresh = sandbox.byline(&["refresh", "--json"]);
    assert_eq!(refresh.code, 0, "{refresh:?}");
    let summary_report = &refresh.json()[1];
    assert_eq!(summary_report["full_text"], 36, "{summary_report}");
    assert_eq!(summary_report["full_text_failed"], 0, "{summary_report}");

    let ids_by_url = |feed: &str| -> HashMap<String, i64> {
        sandbox
            .list_feed(feed)
            .iter()
            .map(|r| {
                (
                    r["url"].as_str().unwrap().to_string(),
                    r["id"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let full_ids = ids_by_url("Full");
    let summary_ids = ids_by_url("Summary");

    let (mut recall_sum, mut boilerplate_sum, mut n) = (0.0, 0.0, 0usize);
    let mut worst = (1.0f64, String::new());
    for article in truth["articles"].as_array().unwrap() {
        let slug = article["slug"].as_str().unwrap();
        let url = site.url(&format!("/{slug}/"));
        let body_html = article["html"]
            .as_str()
            .unwrap()
            .replace("{{BASE}}", &site.base);
        let body = words(&byline::text::html_to_text(&body_html));

        let show = |id: i64| {
            sandbox
                .byline(&["show", &id.to_string(), "--width", "80"])
                .stdout
        };
        let extracted = show(summary_ids[&url]);
        assert!(
            !extracted.contains("summary only"),
            "{slug}: extraction failed:\n{extracted}"
        );
        let from_feed = show(full_ids[&url]);
        // The feed's name is in each byline and differs by design: it is not page boilerplate.
        let extracted = without(words(&extracted), "Summary");
        let from_feed = without(words(&from_feed), "Full");

        let recall = common_words(&body, &extracted) as f64 / total(&body) as f64;
        let extra = total(&extracted) - common_words(&extracted, &from_feed);
        let boilerplate = extra as f64 / total(&extracted) as f64;
        if recall < worst.0 {
            worst = (recall, slug.to_string());
        }
        recall_sum += recall;
        boilerplate_sum += boilerplate;
        n += 1;
    }
    let recall = recall_sum / n as f64;
    let boilerplate = boilerplate_sum / n as f64;
    println!(
        "full-text extraction over {n} fixture articles: recall {:.2}% of body words, boilerplate {:.2}% of printed words (lowest recall {:.2}%: {})",
        recall * 100.0,
        boilerplate * 100.0,
        worst.0 * 100.0,
        worst.1
    );
    assert_eq!(n, 36);
    assert!(recall >= 0.98, "recall {:.2}% is under 98%", recall * 100.0);
    assert!(
        boilerplate < 0.02,
        "boilerplate {:.2}% is not under 2%",
        boilerplate * 100.0
    );
}
