#!/usr/bin/env bash
# Byline and newsboat side by side on the harness in ../shared/bench (read-only): each row of
# BENCHMARKS.md's table, run for Byline, newsboat with its defaults, and newsboat with
# reload-threads 16 (Byline's concurrency), one reader after the other, scenario by scenario,
# so the machine's drift hits all of them alike.
#
#   bench/compare.sh [--runs N]        (default 3; about 25 minutes on 2 cores)
#   READERS=by bench/compare.sh        (Byline only, to refresh its rows; nb, nb16 likewise)
#   python3 ../shared/bench/lib/report.py --compare newsboat byline   (with BENCH_RESULTS set)
#
# Needs: newsboat, hyperfine, GNU time, tmux (apt-get install newsboat hyperfine time tmux),
# and a release build (cargo build --release). Work files go under target/bench-work,
# results under target/bench-results (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=3
[[ ${1:-} == --runs ]] && RUNS=$2
export HARNESS=${HARNESS:-$(pwd)/../shared/bench}
export BENCH_WORK=${BENCH_WORK:-$(pwd)/target/bench-work}
export BENCH_RESULTS=${BENCH_RESULTS:-$(pwd)/target/bench-results}
mkdir -p "$BENCH_WORK" "$BENCH_RESULTS"
BYLINE_ADAPTER=$(pwd)/bench/byline.sh
BYLINE_TUI=$(pwd)/bench/tui.sh
BUFFERED=$(pwd)/bench/python-buffered-probe
# a cache built by an older Byline would be reused by the harness: build it afresh
rm -rf "$BENCH_WORK/state/byline/big" "$BENCH_WORK/state/byline-buffered/big"
cargo build --release --quiet
cd "$HARNESS"
nb() { NB_RELOAD_THREADS=1 "$@" --reader readers/newsboat.sh --label newsboat; }
nb16() { NB_RELOAD_THREADS=16 "$@" --reader readers/newsboat.sh --label newsboat-rt16; }
by() { "$@" --reader "$BYLINE_ADAPTER" --label byline; }
READERS=" ${READERS:-by nb nb16} "
# run "$reader" only when READERS names it
want() { [[ $READERS == *" $1 "* ]]; }
for reader in by nb nb16; do want $reader || continue; $reader scenarios/cold_reload.sh --feeds 100 --delay-ms 0 --runs "$RUNS"; done
for reader in by nb nb16; do want $reader || continue; $reader scenarios/cold_reload.sh --feeds 500 --delay-ms 50 --runs "$RUNS"; done
for reader in by nb nb16; do want $reader || continue; $reader scenarios/warm_reload.sh --feeds 500 --delay-ms 50 --runs "$RUNS"; done
for reader in by nb; do want $reader || continue; $reader scenarios/warm_reload.sh --feeds 500 --delay-ms 0 --no-304 --runs "$RUNS"; done
for reader in by nb; do want $reader || continue; $reader scenarios/big_cache.sh --runs "$RUNS"; done
# Byline's TUI row uses bench/tui.sh: the harness's scenario with a marker for "feed 1 opened"
# that suits a reader whose start screen already lists feed 1's newest articles
! want by || by "$BYLINE_TUI" --runs "$RUNS"
! want nb || nb scenarios/tui.sh --runs "$RUNS"
# The TUI rows again, both readers through the same probe reading tmux buffered and polling
# every 1 ms (bench/tui_probe_buffered.py says why: as the harness runs it, the probe's own
# reading of the screen decides the key latencies, and a 10 ms poll puts any "open" at 10 ms
# or more)
! want by || PY=$BUFFERED "$BYLINE_TUI" --reader "$BYLINE_ADAPTER" --label byline-buffered --runs "$RUNS" --poll-ms 1
! want nb || NB_RELOAD_THREADS=1 PY=$BUFFERED scenarios/tui.sh --reader readers/newsboat.sh --label newsboat-buffered --runs "$RUNS" --poll-ms 1
python3 lib/report.py --compare newsboat byline
