//! Hostile feeds: the fixture site's escape-sequence routes carry OSC 52 clipboard writes,
//! screen clears, OSC 8 links, DCS, 8-bit C1 controls, BEL, backspace and CR overwrites.
//! Nothing of it may reach stdout, from any command.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{FixtureSite, Run, Sandbox};

/// No ESC, no C1 control (U+0080-U+009F, UTF-8 C2 80-9F), no C0 control but newline and tab.
fn assert_clean(what: &str, run: &Run) {
    let bytes = &run.raw_stdout;
    for (i, b) in bytes.iter().enumerate() {
        let bad_c0 = *b < 0x20 && *b != b'\n' && *b != b'\t';
        let bad_c1 = *b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n));
        assert!(
            !(bad_c0 || *b == 0x7F || bad_c1),
            "{what}: control byte {b:#04x} at {i} in stdout:\n{}",
            run.stdout
        );
    }
    let text = String::from_utf8(bytes.clone()).expect("stdout is UTF-8");
    assert!(
        !text.contains(['\u{202e}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}']),
        "{what}: bidi override in stdout"
    );
}

#[test]
fn escape_sequences_never_reach_stdout() {
    let Some(site) = FixtureSite::start("escape_sequences_never_reach_stdout") else {
        return;
    };
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\n\n[[feeds]]\nurl = \"{}\"\n",
        site.url("/fault/escape-wellformed"),
        site.url("/fault/escape"),
    ));
    let refresh = sandbox.byline(&["refresh"]);
    assert_clean("refresh", &refresh);
    assert_clean("refresh --json", &sandbox.byline(&["refresh", "--json"]));
    let list = sandbox.byline(&["list", "--json"]);
    assert_clean("list --json", &list);
    assert_clean("list", &sandbox.byline(&["list"]));
    assert_clean("feeds", &sandbox.byline(&["feeds"]));
    assert_clean("feeds --json", &sandbox.byline(&["feeds", "--json"]));
    let rows = list.json();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 6, "the hostile items were read: {refresh:?}");
    for row in rows {
        let id = row["id"].as_i64().unwrap().to_string();
        for width in ["20", "80"] {
            let show = sandbox.byline(&["show", &id, "--width", width]);
            assert_eq!(show.code, 0, "{show:?}");
            assert_clean(&format!("show {id}"), &show);
            // the whole sequence goes, not only its ESC
            for debris in ["]52;", "[2J", "[3J", "]8;;", "]0;", "[6n"] {
                assert!(
                    !show.stdout.contains(debris),
                    "show {id}: {debris:?} left in\n{}",
                    show.stdout
                );
            }
        }
    }
    // JSON escapes would hide a control character as \u001b: the values themselves are clean.
    for row in rows {
        for field in ["title", "author", "feed"] {
            if let Some(s) = row[field].as_str() {
                assert!(!s.chars().any(char::is_control), "{field} {s:?}");
            }
        }
    }
}
