//! Draws N frames of the reader after moves in the list, on the benchmark harness's screen
//! (benches/support/screen.rs), and prints the time a frame took. For counting a frame's
//! instructions, which this noisy machine's timings cannot settle:
//!
//!   cargo build --release --example reader-frames
//!   valgrind --tool=callgrind target/release/examples/reader-frames 0
//!   valgrind --tool=callgrind target/release/examples/reader-frames 300
//!
//! (the difference of the two "Collected" counts, over 300, is a frame's instructions)
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/mod.rs"]
mod support;

fn main() {
    let frames: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let mut screen = support::screen::Screen::new();
    let started = std::time::Instant::now();
    for _ in 0..frames {
        screen.move_and_draw();
    }
    if frames > 0 {
        eprintln!(
            "{:.1} µs a frame over {frames} frames",
            started.elapsed().as_secs_f64() * 1e6 / f64::from(frames)
        );
    }
}
