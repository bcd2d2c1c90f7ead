#!/usr/bin/env bash
# Screenshots of the real reader on the fixture site, for the README: starts the fixture
# site, runs `byline` in a private tmux server, sends keys, captures the pane with its
# colours (`capture-pane -e`) and renders each capture to a PNG (scripts/ansi2png.py).
#
# usage: scripts/screenshots.sh [OUT_DIR]      (default: screenshots/)
# needs: cargo, tmux, python3 with Pillow, ../shared/fixture-site (or FIXTURE_SITE=...)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-screenshots}"
site="${FIXTURE_SITE:-../shared/fixture-site}"
mkdir -p "$out"
cargo build --release --quiet
bin="$(pwd)/target/release/byline"
work="$(mktemp -d)"
sock="byline-shots-$$"
socks=()
cleanup() { for s in "${socks[@]}"; do tmux -L "$s" kill-server 2>/dev/null || true; done; [[ -n "${fx:-}" ]] && kill "$fx" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 "$site/serve.py" --port 0 --quiet > "$work/url" 2> "$work/server.log" & fx=$!
until [[ -s "$work/url" ]]; do sleep 0.1; done
base="$(head -1 "$work/url")"
cat > "$work/config.toml" <<TOML
refresh_on_start = false
[[feeds]]
url = "${base}feed/"
[[feeds]]
url = "${base}feed/summary/"
name = "Ledger summaries"
full_text = true
TOML
export HOME="$work" BYLINE_LOG_FILE="$work/byline.log"
"$bin" --config "$work/config.toml" --cache "$work/cache.sqlite" refresh > /dev/null

shot() { # name cols rows
  sleep 0.8
  tmux -L "$tsock" capture-pane -e -p -t 0 > "$work/$1.txt"
  python3 scripts/ansi2png.py "$work/$1.txt" "$out/$1.png" --cols "$2" --rows "$3"
  echo "wrote $out/$1.png"
}
start() { # cols rows
  # a fresh tmux server for each size: tmux 3.3a sometimes crashes when a server is killed
  # and another started on the same socket at once
  [[ -n "${tsock:-}" ]] && tmux -L "$tsock" kill-server 2>/dev/null || true
  tsock="$sock-$1x$2"; socks+=("$tsock")
  tmux -L "$tsock" -f /dev/null new-session -d -x "$1" -y "$2" \
    "TERM=xterm-256color $bin --config $work/config.toml --cache $work/cache.sqlite"
  sleep 1
}
keys() { tmux -L "$tsock" send-keys -t 0 "$@"; }

start 150 42
keys j j Enter
shot reader-wide 150 42
keys '?'
shot help 150 42
keys x
start 60 24
keys Enter
shot narrow-article 60 24
keys Tab
shot narrow-related 60 24
