//! Times `byline::search::search` for each query on the command line, on the synthetic
//! 100,000-article cache that `cargo bench` builds (target/bench-cache/synth-100000.sqlite):
//!
//!   cargo run --release --example search-timings -- privacy 'data protection' '"data protection"' 'lol*'
//!
//! It prints the mean time of ten calls and the number of results (at most 20) per query.
#![allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    let path = std::path::Path::new("target/bench-cache/synth-100000.sqlite");
    assert!(
        path.exists(),
        "{} is missing: run `cargo bench --bench byline` once to build it",
        path.display()
    );
    let store = byline::store::Store::open(path).unwrap();
    for q in std::env::args().skip(1) {
        let t = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..10 {
            n = byline::search::search(&store, &q, 20).unwrap().len();
        }
        println!("{q:?}: {:?} per call, {n} results", t.elapsed() / 10);
    }
}
