use super::*;
use proptest::prelude::*;

const ARTICLE: &str = r#"<p>The <strong>Board</strong> said <em>nothing</em> about <a href="/rules/">the rules</a>.</p>
<h2 class="wp-block-heading">What changes</h2>
<ul><li>First point</li><li>Second point</li></ul>
<ol><li>One</li><li>Two</li></ol>
<blockquote class="wp-block-quote"><p>Consent must be free.</p><cite>A lawyer</cite></blockquote>
<pre>let x  =  1;
    indented</pre>
<figure class="wp-block-image"><img src="/a.png" alt="A chart of fines"><figcaption>Fines by year</figcaption></figure>
<table><tr><th>Year</th><th>Fines</th></tr><tr><td>2025</td><td>&#8377;12 crore</td></tr></table>
<p>Again <a href="https://ex.test/rules/">the same rules</a> and <a href="https://other.test/">another</a>.</p>
<p>&nbsp;</p>
<div class="sharedaddy"><h3>Share this:</h3><a href="https://twitter.com/share">Twitter</a></div>
<p>The post <a href="https://ex.test/a/">A</a> appeared first on <a href="https://ex.test/">Ex</a>.</p>"#;

fn styled(width: usize) -> Rendered {
    render(
        ARTICLE,
        Some("https://ex.test/news/a/"),
        width,
        Mode::Styled,
    )
}

fn line_with<'a>(r: &'a Rendered, needle: &str) -> &'a Line {
    r.lines
        .iter()
        .find(|l| l.text().contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{}", r.to_plain()))
}

fn style_of(r: &Rendered, needle: &str) -> Style {
    for line in &r.lines {
        for span in &line.spans {
            if span.text.contains(needle) {
                return span.style;
            }
        }
    }
    panic!("no span with {needle:?} in\n{}", r.to_plain());
}

#[test]
fn inline_styles_and_headings() {
    let r = styled(80);
    assert!(style_of(&r, "Board").bold);
    assert!(style_of(&r, "nothing").italic);
    assert_eq!(style_of(&r, "What changes").heading, 2);
    assert!(
        !line_with(&r, "What changes").text().contains('#'),
        "styled headings need no #"
    );
    let plain = render(ARTICLE, None, 80, Mode::Plain).to_plain();
    assert!(plain.contains("## What changes"), "{plain}");
}

#[test]
fn lists_quotes_pre_tables_and_images() {
    let r = styled(80);
    assert!(line_with(&r, "First point").text().starts_with("* "));
    assert!(line_with(&r, "Two").text().starts_with("2. "));
    assert!(style_of(&r, "Consent must be free.").quote);
    assert!(
        line_with(&r, "A lawyer")
            .text()
            .contains("\u{2014} A lawyer")
    );
    assert_eq!(line_with(&r, "indented").text(), "    indented");
    assert!(line_with(&r, "let x").text().contains("let x  =  1;"));
    assert!(style_of(&r, "let x").code);
    let table_row = line_with(&r, "2025").text();
    assert!(
        table_row.contains('│') && table_row.contains("\u{20b9}12 crore"),
        "{table_row}"
    );
    assert!(
        line_with(&r, "[image: A chart of fines]")
            .spans
            .iter()
            .any(|s| s.style.dim)
    );
    let caption = line_with(&r, "Fines by year");
    assert!(
        !caption.text().contains("[image"),
        "caption on its own line"
    );
    assert!(style_of(&r, "Fines by year").italic);
}

#[test]
fn list_items_wrap_under_their_text() {
    let html =
        "<ul><li>a list item long enough that it has to wrap onto a second line here</li></ul>";
    let r = render(html, None, 30, Mode::Styled);
    assert!(r.lines.len() > 1);
    assert!(r.lines[0].text().starts_with("* a"));
    for line in &r.lines[1..] {
        let t = line.text();
        assert!(t.starts_with("  ") && !t.starts_with("   "), "{t:?}");
    }
}

#[test]
fn links_are_numbered_and_listed() {
    let r = styled(80);
    assert_eq!(
        r.links,
        vec![
            "https://ex.test/rules/".to_string(),
            "https://other.test/".to_string()
        ],
        "relative links resolved; the same URL keeps its number"
    );
    assert!(line_with(&r, "the rules").text().contains("the rules[1]"));
    assert!(
        line_with(&r, "the same rules")
            .text()
            .contains("the same rules[1]")
    );
    assert!(line_with(&r, "another").text().contains("another[2]"));
    assert_eq!(style_of(&r, "the rules").link, Some(1));
    let marker = r
        .lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.text == "[2]")
        .expect("marker span");
    assert!(marker.style.dim && marker.style.link.is_none());
    let text = r.to_plain();
    assert!(
        text.contains("Links:\n[1] https://ex.test/rules/\n[2] https://other.test/"),
        "{text}"
    );
}

#[test]
fn wordpress_clutter_is_gone() {
    let text = styled(80).to_plain();
    for gone in ["appeared first on", "Share this", "Twitter", "twitter.com"] {
        assert!(!text.contains(gone), "{gone:?} left in\n{text}");
    }
    assert!(!text.contains("\n\n\n"), "no runs of blank lines:\n{text}");
    assert!(!text.starts_with('\n') && !text.ends_with("\n\n"));
}

#[test]
fn no_markup_or_entities_survive() {
    let text = styled(60).to_plain();
    assert!(
        !text.contains('<') && !text.contains("&#") && !text.contains("&nbsp;"),
        "{text}"
    );
}

#[test]
fn every_width_from_20_fits_including_wide_and_combining_text() {
    let html = format!(
        "{ARTICLE}<p>中文新闻标题很长很长很长，需要正确换行。😀👩‍💻 नमस्ते दुनिया, यह एक लंबा वाक्य है। e\u{301}\u{301} https://example.com/a/very/long/path/that/does/not/fit/anywhere/at/all</p>"
    );
    for width in [20, 21, 33, 40, 57, 80, 120] {
        let r = render(&html, None, width, Mode::Styled);
        for line in &r.lines {
            assert!(
                line.width() <= width,
                "width {width}: {:?} is {} wide",
                line.text(),
                line.width()
            );
        }
        let joined: String = r.to_plain().split_whitespace().collect();
        assert!(joined.contains("需要正确换行"), "CJK kept at {width}");
        assert!(joined.contains("नमस्ते"), "Devanagari kept whole at {width}");
    }
}

#[test]
fn hostile_text_cannot_reach_the_terminal() {
    let html = "<p>a\u{1b}]52;c;ZXZpbA==\u{7}b &#27;[2J c \u{9b}31m d <a href=\"javascript:&#27;[31m\">x</a></p>";
    let r = render(html, None, 40, Mode::Styled);
    let text = r.to_plain();
    assert!(
        text.chars().all(|c| c == '\n' || !c.is_control()),
        "{text:?}"
    );
    assert!(r.links.iter().all(|l| !l.chars().any(char::is_control)));
    // Styled output holds only the escape codes we put there.
    let ansi = r.to_ansi();
    for seq in ansi.split('\u{1b}').skip(1) {
        assert!(seq.starts_with('[') && seq.contains('m'), "{seq:?}");
        let params = &seq[1..seq.find('m').unwrap_or(0)];
        assert!(
            params.chars().all(|c| c.is_ascii_digit() || c == ';'),
            "{seq:?}"
        );
    }
}

#[test]
fn empty_and_plain_inputs() {
    assert!(render("", None, 40, Mode::Styled).lines.is_empty());
    let r = render("just words, no markup", None, 40, Mode::Plain);
    assert_eq!(r.to_plain(), "just words, no markup\n");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn never_panics_and_always_fits(
        parts in proptest::collection::vec(prop_oneof![
            Just("<p>".to_string()), Just("</p>".to_string()), Just("<b>".to_string()),
            Just("<table><tr><td>".to_string()), Just("</td></tr></table>".to_string()),
            Just("<a href='/x'>".to_string()), Just("</a>".to_string()), Just("<li>".to_string()),
            Just("<pre>".to_string()), Just("&amp;".to_string()), Just("<h1>".to_string()),
            "[a-z ]{0,30}", "\\PC{0,10}",
        ], 0..30),
        width in 20usize..100,
    ) {
        let html = parts.concat();
        let r = render(&html, Some("https://ex.test/"), width, Mode::Styled);
        for line in &r.lines {
            prop_assert!(line.width() <= width);
            prop_assert!(line.text().chars().all(|c| !c.is_control()));
        }
    }
}

#[test]
fn long_lines_never_split_a_cluster() {
    // a word wider than the line, made of clusters: e + combining accents, a ZWJ emoji, a conjunct
    let word = "e\u{301}\u{302}".repeat(15) + "👩\u{200d}💻" + &"क्ष".repeat(12);
    let r = render(&format!("<pre>{word}</pre>"), None, 20, Mode::Plain);
    for line in &r.lines {
        let t = line.text();
        assert!(line.width() <= 20, "{t:?}");
        let first = t.chars().next().unwrap_or('a');
        assert!(
            first.width().unwrap_or(0) > 0,
            "line starts inside a cluster: {t:?}"
        );
        assert!(
            !t.ends_with('\u{200d}') && !t.ends_with('\u{94d}'),
            "line ends inside a cluster: {t:?}"
        );
    }
    let joined: String = r.lines.iter().map(Line::text).collect();
    assert_eq!(joined, word);
}
