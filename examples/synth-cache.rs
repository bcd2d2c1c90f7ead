//! Writes a synthetic cache for benchmarks and experiments (see benches/support/mod.rs).
//!
//! cargo run --release --example synth-cache -- --articles 100000 --out /tmp/synth.sqlite

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/mod.rs"]
mod support;

fn main() {
    let mut articles = 100_000usize;
    let mut out = std::path::PathBuf::from("synth-cache.sqlite");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--articles" => {
                articles = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--articles N")
            }
            "--out" => out = args.next().expect("--out FILE").into(),
            other => panic!("unknown argument {other}"),
        }
    }
    let started = std::time::Instant::now();
    let store = support::build(&out, articles);
    println!(
        "{} articles written to {} in {:.1?}",
        store.article_count().unwrap(),
        out.display(),
        started.elapsed()
    );
}
