//! The article renderer on any HTML at any width: it never panics, no line is wider than the
//! width, and no line or link holds a control character.
#![no_main]

use byline::text::render::{Mode, render};
use libfuzzer_sys::fuzz_target;

fn clean(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

fuzz_target!(|data: &[u8]| {
    let Some((w, rest)) = data.split_first() else {
        return;
    };
    let width = 20 + usize::from(*w) % 120;
    let html = String::from_utf8_lossy(rest);
    let mode = if w % 2 == 0 { Mode::Styled } else { Mode::Plain };
    let r = render(&html, Some("https://fuzz.test/a/"), width, mode);
    for line in &r.lines {
        assert!(line.width() <= width, "line wider than {width}: {:?}", line.text());
        assert!(clean(&line.text()), "{:?}", line.text());
    }
    assert!(r.links.iter().all(|l| clean(l)));
});
