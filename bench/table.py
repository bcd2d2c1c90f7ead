#!/usr/bin/env python3
"""BENCHMARKS.md's main table: issue 7's targets against one side-by-side run.

    python3 bench/table.py [RESULTS_DIR]     (default target/bench-results, as compare.sh writes)

Reads RESULTS_DIR/{newsboat,newsboat-rt16,byline}/summary.jsonl (the harness's rows; the last row
of a name wins), and {newsboat,byline}-buffered for the TUI rows measured with
bench/tui_probe_buffered.py, and prints a markdown table: each reader's median wall time (and
peak memory where the target names it), Byline's speed-up over each newsboat, and whether the
target is met.
"""
import json
import os
import sys

RESULTS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "target", "bench-results")


def rows(label):
    out = {}
    path = os.path.join(RESULTS, label, "summary.jsonl")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                out[r["name"]] = r
    return out


NB, NB8, BY = rows("newsboat"), rows("newsboat-rt16"), rows("byline")
NBB, BYB = rows("newsboat-buffered"), rows("byline-buffered")


def wall(rs, name):
    r = rs.get(name)
    return r["wall_s"]["median"] if r else None


def rss(rs, name):
    r = rs.get(name)
    return r["rss_mib"]["median"] if r else None


def fmt_s(s):
    if s is None:
        return "–"
    if s < 0.01:
        return f"{s * 1000:.1f} ms"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    return f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def ratio(a, b):
    return a / b if a and b else None


def verdict(ok):
    return "met" if ok else "**not met**"


# (work, scenario, target speed-up over default, over rt16) for the "× faster" rows
SPEEDUPS = [
    ("cold refresh, 100 feeds, 0 ms latency", "cold-reload-100f-0ms", 4, None),
    ("cold refresh, 500 feeds, 50 ms latency", "cold-reload-500f-50ms", 10, 4),
    ("warm refresh, 500 feeds, all 304, 50 ms", "warm-reload-500f-50ms", 15, 5),
    ("warm refresh, 500 feeds, same bodies re-sent", "warm-reload-500f-0ms-no304", 10, None),
    ("`list --unread` on 50,950 cached articles", "big-cache-unread", 100, None),
]

print("| work | newsboat (default; reload-threads 16) | Byline | Byline's speed-up | target | |")
print("|---|---|---|---|---|---|")
for work, name, t1, t8 in SPEEDUPS:
    nb, nb8, by = wall(NB, name), wall(NB8, name), wall(BY, name)
    r1, r8 = ratio(nb, by), ratio(nb8, by)
    nbs = fmt_s(nb) + (f"; {fmt_s(nb8)}" if t8 else "")
    ups = (f"{r1:.1f}×" if r1 < 100 else f"{r1:.0f}×" if r1 else "–") + (f"; {r8:.1f}×" if t8 and r8 else "")
    target = f"≥ {t1}×" + (f" / ≥ {t8}×" if t8 else "")
    ok = r1 is not None and r1 >= t1 and (t8 is None or (r8 is not None and r8 >= t8))
    extra = ""
    if name == "big-cache-unread":
        nbs += f", {rss(NB, name):.0f} MiB" if rss(NB, name) else ""
        extra = f", {rss(BY, name):.0f} MiB" if rss(BY, name) else ""
    print(f"| {work} | {nbs} | {fmt_s(by)}{extra} | {ups} | {target} | {verdict(ok)} |")

nb, by = wall(NB, "tui-startup"), wall(BY, "tui-startup")
nbm, bym = rss(NB, "tui-startup"), rss(BY, "tui-startup")
if by is not None and bym is not None and nbm is not None:
    ok = by <= 0.1 and bym < nbm / 2
    print(f"| TUI start to first drawn list, same cache | {fmt_s(nb)}, {nbm:.0f} MiB | "
          f"{fmt_s(by)}, {bym:.1f} MiB | {ratio(nb, by):.0f}× | ≤ 100 ms, < half the memory | {verdict(ok)} |")
KEYS = [("key press to redraw: move down", "tui-key-down", 0.003),
        ("key press to redraw: open a 1000-article feed", "tui-open-big-feed", 0.010)]
for probe, nbr, byr in [("the harness's tmux probe", NB, BY),
                        ("same probe, buffered, 1 ms polls", NBB, BYB)]:
    for work, name, limit in KEYS:
        nb, by = wall(nbr, name), wall(byr, name)
        if by is not None:
            print(f"| {work} ({probe}) | {fmt_s(nb)} | {fmt_s(by)} | – | ≤ {limit * 1000:.0f} ms | {verdict(by <= limit)} |")
