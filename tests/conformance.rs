//! Parses every feed of the conformance corpus (real feeds from other projects' test suites)
//! and compares with what Python's feedparser made of them (`expected.json`): the same
//! accept/reject decision, the same number of entries, and the same titles after whitespace
//! normalisation. Prints the agreement figure; fails under 97% or on any panic.
//!
//! The corpus lives outside the repository: set BYLINE_CONFORMANCE_DIR (`.ci/run` sets it to
//! ../shared/conformance). Unset, the test says it was skipped; set to a missing folder, it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use byline::feed::parse_feed;

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BYLINE_CONFORMANCE_DIR")?;
    let dir = PathBuf::from(dir);
    assert!(
        dir.join("expected.json").is_file() && dir.join("feeds").is_dir(),
        "BYLINE_CONFORMANCE_DIR={} has no expected.json and feeds/",
        dir.display()
    );
    Some(dir)
}

fn norm(s: Option<&str>) -> String {
    s.unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn conformance_corpus_agrees_with_feedparser() {
    let Some(dir) = corpus_dir() else {
        eprintln!("conformance test skipped: BYLINE_CONFORMANCE_DIR is not set");
        return;
    };
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json"),
    )
    .expect("expected.json is JSON");
    let files = expected["files"].as_object().expect("files object");
    let mut agree = 0usize;
    let mut disagreements = Vec::new();
    for (name, exp) in files {
        let bytes = std::fs::read(dir.join("feeds").join(name)).expect("read feed");
        let url = format!("https://conformance.test/feeds/{name}");
        let result = std::panic::catch_unwind(|| parse_feed(&bytes, None, &url));
        let result = match result {
            Ok(r) => r,
            Err(_) => {
                disagreements.push(format!("{name}: PANIC"));
                continue;
            }
        };
        let exp_count = exp["entry_count"].as_u64().unwrap_or(0) as usize;
        let exp_accept = exp["format"].as_str().is_some_and(|f| !f.is_empty()) || exp_count > 0;
        let verdict = match (&result, exp_accept) {
            (Err(e), true) => Some(format!(
                "rejected ({e}), feedparser read {exp_count} entries"
            )),
            (Ok(f), false) => Some(format!(
                "accepted with {} entries, feedparser rejected",
                f.articles.len()
            )),
            (Err(_), false) => None,
            (Ok(f), true) => {
                if f.articles.len() != exp_count {
                    Some(format!(
                        "{} entries, feedparser {}",
                        f.articles.len(),
                        exp_count
                    ))
                } else {
                    let exp_entries = exp["entries"].as_array().expect("entries");
                    f.articles.iter().zip(exp_entries).find_map(|(a, e)| {
                        let want = norm(e["title"].as_str());
                        let got = norm(Some(&a.title));
                        (want != got).then(|| format!("title {got:?} != {want:?}"))
                    })
                }
            }
        };
        match verdict {
            None => agree += 1,
            Some(why) => disagreements.push(format!("{name}: {why}")),
        }
    }
    let total = files.len();
    let share = agree as f64 / total as f64;
    for d in &disagreements {
        println!("disagree  {d}");
    }
    println!(
        "conformance: {agree}/{total} files agree with feedparser ({:.1}%)",
        share * 100.0
    );
    assert!(
        !disagreements.iter().any(|d| d.ends_with("PANIC")),
        "the parser panicked"
    );
    assert!(
        share >= 0.97,
        "agreement {:.1}% is under 97%",
        share * 100.0
    );
}
