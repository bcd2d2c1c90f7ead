#![allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    let store = byline::store::Store::open(std::path::Path::new(
        "target/bench-cache/synth-100000.sqlite",
    ))
    .unwrap();
    for q in std::env::args().skip(1) {
        let t = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..10 {
            n = byline::search::search(&store, &q, 20).unwrap().len();
        }
        println!("{q:?}: {:?} per call, {n} hits", t.elapsed() / 10);
    }
}
