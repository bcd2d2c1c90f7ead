# shellcheck shell=bash
# Adapter: Byline, for the side-by-side harness in ../shared/bench (sourced by its scenario
# scripts). See BENCHMARKS.md for how to run it and the results.
#
#   BYLINE=/path/to/release/byline (default: target/release/byline of this repo)
#   BYLINE_CONCURRENCY (default 16, Byline's default): feeds fetched at once
#
# Benchmark-only setting: every benchmark feed lives on one loopback host, so the per-host
# limit (default 2) is raised to the total concurrency here. Nothing else differs from the
# defaults, except the reader does not refresh when it starts nor in the background (like
# newsboat's refresh-on-startup and auto-reload, off in its adapter).
READER_NAME=byline
BYLINE=${BYLINE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/release/byline}
BYLINE_CONCURRENCY=${BYLINE_CONCURRENCY:-16}

reader_version() { "$BYLINE" --version | head -n 1; echo "concurrency $BYLINE_CONCURRENCY (per host $BYLINE_CONCURRENCY)"; }

reader_init() {  # STATE URLS OPML
  local s=$1
  cp "$2" "$s/config/urls"
  {
    echo "# benchmark config: defaults except where noted"
    echo "concurrency = $BYLINE_CONCURRENCY"
    echo "# all benchmark feeds are on one host: raise the per-host limit (default 2)"
    echo "concurrency_per_host = $BYLINE_CONCURRENCY"
    echo "refresh_on_start = false"
    echo "refresh_interval = 0  # no background refresh (newsboat's auto-reload is off too)"
    echo "mouse = false"
    while read -r u; do printf '[[feeds]]\nurl = "%s"\n' "$u"; done <"$2"
  } >"$s/config/config.toml"
}

_by() { CMD=("$BYLINE" --config "$1/config/config.toml" --cache "$1/cache/cache.sqlite" "${@:2}"); }
reader_cmd_refresh() { _by "$1" refresh; }
reader_cmd_unread() { _by "$1" list --unread; }
reader_cmd_tui() { _by "$1"; }

# The probe's "open a feed" / "back to the feed list": Byline shows every feed's articles at
# start, with the feeds in a column (160 columns); ] shows the next feed only (feed 1, with
# 1000 articles), [ goes back to all feeds.
KEY_DOWN=Down KEY_UP=Up KEY_OPEN=']' KEY_BACK='[' KEY_QUIT=Q
READER_ENV=(BYLINE_LOG=off)
