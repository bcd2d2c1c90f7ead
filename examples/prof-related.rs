#![allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    let store = byline::store::Store::open(std::path::Path::new(
        "target/bench-cache/synth-100000.sqlite",
    ))
    .unwrap();
    let what = std::env::args().nth(1).unwrap_or_default();
    let t = std::time::Instant::now();
    for k in 0..30i64 {
        let id = byline::store::ArticleId(1 + (k * 4973) % 100_000);
        if what == "search" {
            byline::search::search(&store, "rakomi tenlo", 20).unwrap();
        } else if what == "ids" {
            store.list_ids(&Default::default()).unwrap();
        } else {
            byline::related::for_article(&store, id, 8).unwrap();
        }
    }
    println!("{:?} per call", t.elapsed() / 30);
}
