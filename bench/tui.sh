#!/usr/bin/env bash
# The harness's TUI scenario (../shared/bench/scenarios/tui.sh) with one change: what counts as
# "feed 1 opened". The harness waits for one of feed 1's newest or oldest titles; in Byline the
# start screen already lists every feed's newest articles (feed 1's newest among them), so
# that marker is on screen before the key is pressed and "back" could never be seen. Here
# "opened" is the article list's title naming feed 1 ("◂ Feed 0001: …"), which Byline draws in
# the same frame as that feed's rows; "back" is the all-feeds list again. Everything else
# (tmux probe, keys, timings, result rows) is the harness's own, except that each launch gets
# its own tmux server (the probe is run with --runs 1, RUNS times): tmux 3.3a's server
# crashes now and then on respawn-pane while a control-mode client is attached, whatever runs
# in the pane (`sh -c 'printf x'` will do). Per-launch rows are merged: min, max, mean and n
# are exact; a median is the median of the launches' medians.
#   HARNESS=../shared/bench bench/tui.sh --reader bench/byline.sh --label byline [--runs 3]
#
# To run it (or any harness scenario) with the probe reading tmux buffered:
#   PY=$PWD/bench/python-buffered-probe bench/tui.sh ...      (see bench/tui_probe_buffered.py)
HARNESS=${HARNESS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/bench}
source "$HARNESS/lib/common.sh"
parse_common "$@"; set -- "${ARGS[@]+"${ARGS[@]}"}"
RUNS=${RUNS:-5} PROBE_ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --keys|--cycles|--poll-ms|--key-poll-ms|--settle-ms|--width|--height) PROBE_ARGS+=("$1" "$2"); shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
trap stop_server EXIT
ensure_big_state
reader_cmd_tui "$BIG_STATE"
mapfile -t MARKS < <($PY - "$BIG_CORPUS/manifest.json" <<'PYEOF'
import json, sys
feeds = json.load(open(sys.argv[1]))["feeds"]
print(feeds[1]["title"])            # feed 2: in the feed column
print("\u25c2 " + feeds[0]["title"])  # "◂ Feed 0001: …": the list shows feed 1 only
PYEOF
)
raw=$RESULTS/$LABEL/raw; mkdir -p "$raw"
log "tui probe: ${CMD[*]}"
: >"$raw/tui-launches.jsonl"
for run in $(seq 1 "$RUNS"); do
  rm -f "$BIG_STATE/tmp/tmux.sock"
  screens=(); [[ $run == 1 ]] && screens=(--screens "$raw/tui-screens")
  "${CLEAN_ENV[@]}" $PY "$BENCH_ROOT/lib/tui_probe.py" --sock "$BIG_STATE/tmp/tmux.sock" --runs 1 \
    --ready "${MARKS[0]}" --open-ready "${MARKS[1]}" "${screens[@]+"${screens[@]}"}" \
    --key-down "$KEY_DOWN" --key-up "$KEY_UP" --key-open "$KEY_OPEN" --key-back "$KEY_BACK" --key-quit "$KEY_QUIT" \
    "${PROBE_ARGS[@]+"${PROBE_ARGS[@]}"}" -- "${CMD[@]}" >>"$raw/tui-launches.jsonl"
done
$PY - "$raw/tui-launches.jsonl" "$RUNS" >"$raw/tui.jsonl" <<'PYEOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows.setdefault(r["name"], []).append(r)
def merge(stats):
    stats = [s for s in stats if s]
    if not stats:
        return None
    n = sum(s["n"] for s in stats)
    return {"median": statistics.median(s["median"] for s in stats),
            "min": min(s["min"] for s in stats), "max": max(s["max"] for s in stats),
            "mean": sum(s["mean"] * s["n"] for s in stats) / n, "n": n}
for name, rs in rows.items():
    out = dict(rs[0])
    out["wall_s"] = merge([r.get("wall_s") for r in rs])
    out["rss_mib"] = merge([r.get("rss_mib") for r in rs])
    out["runs"] = len(rs)
    out["samples"] = sum(r.get("samples", 0) for r in rs)
    out["exit_codes"] = [c for r in rs for c in r.get("exit_codes", [])]
    fo = [r["first_output_median_ms"] for r in rs if r.get("first_output_median_ms") is not None]
    if fo:
        out["first_output_median_ms"] = round(statistics.median(fo), 1)
    print(json.dumps(out))
PYEOF
$PY - "$raw/tui.jsonl" "$LABEL" "$READER_NAME" >>"$RESULTS/$LABEL/summary.jsonl" <<'PYEOF'
import datetime, json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    r.update({"label": sys.argv[2], "reader": sys.argv[3], "date": datetime.datetime.now().isoformat(timespec="seconds")})
    print(json.dumps(r))
PYEOF
tail -n 6 "$RESULTS/$LABEL/summary.jsonl" | $PY "$BENCH_ROOT/lib/report.py" --row >&2
check_home_clean "$BIG_STATE"
