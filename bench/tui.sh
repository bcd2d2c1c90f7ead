#!/usr/bin/env bash
# The harness's TUI scenario (../shared/bench/scenarios/tui.sh) with one change: what counts as
# "feed 1 opened". The harness waits for one of feed 1's newest or oldest titles; in Byline the
# start screen already lists every feed's newest articles (feed 1's newest among them), so
# that marker is on screen before the key is pressed and "back" could never be seen. Here
# "opened" is the article list's title naming feed 1 ("◂ Feed 0001: …"), which Byline draws in
# the same frame as that feed's rows; "back" is the all-feeds list again. Everything else
# (tmux probe, keys, timings, result rows) is the harness's own.
#   HARNESS=../shared/bench bench/tui.sh --reader bench/byline.sh --label byline [--runs 3]
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
rm -f "$BIG_STATE/tmp/tmux.sock"
log "tui probe: ${CMD[*]}"
"${CLEAN_ENV[@]}" $PY "$BENCH_ROOT/lib/tui_probe.py" --sock "$BIG_STATE/tmp/tmux.sock" --runs "$RUNS" \
  --ready "${MARKS[0]}" --open-ready "${MARKS[1]}" --screens "$raw/tui-screens" \
  --key-down "$KEY_DOWN" --key-up "$KEY_UP" --key-open "$KEY_OPEN" --key-back "$KEY_BACK" --key-quit "$KEY_QUIT" \
  "${PROBE_ARGS[@]+"${PROBE_ARGS[@]}"}" -- "${CMD[@]}" >"$raw/tui.jsonl"
$PY - "$raw/tui.jsonl" "$LABEL" "$READER_NAME" >>"$RESULTS/$LABEL/summary.jsonl" <<'PYEOF'
import datetime, json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    r.update({"label": sys.argv[2], "reader": sys.argv[3], "date": datetime.datetime.now().isoformat(timespec="seconds")})
    print(json.dumps(r))
PYEOF
tail -n 6 "$RESULTS/$LABEL/summary.jsonl" | $PY "$BENCH_ROOT/lib/report.py" --row >&2
check_home_clean "$BIG_STATE"
