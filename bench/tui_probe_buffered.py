#!/usr/bin/env python3
"""The harness's TUI probe (../shared/bench/lib/tui_probe.py), run unchanged except for how it
reads tmux: through a buffered pipe.

    tui_probe_buffered.py PROBE_PY [the probe's own arguments...]

Why: the probe opens its tmux control-mode client with `bufsize=0`, and Python reads lines
from an unbuffered pipe one byte per read(2). A screen capture then costs the probe about
0.7 µs per byte of screen, before any reader's latency: measured here on a 160x48 pane,
`capture-pane -p -e` of Byline's start screen (13.0 KB with its colours) takes 11.0 ms
(median of 50) unbuffered and 2.0 ms buffered; 48 lines of 160 digits (7.6 KB, no colours)
5.9 ms unbuffered; an empty pane 0.3 ms. After a key the probe captures at once, waits a
poll, and captures again, so a screen's size decides the key latency it reports. Reading
buffered changes nothing else: the reader thread still takes each line as tmux sends it.
"""
import importlib.util
import subprocess
import sys

if len(sys.argv) < 2:
    sys.exit(__doc__)
probe_path = sys.argv.pop(1)
spec = importlib.util.spec_from_file_location("tui_probe", probe_path)
probe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(probe)

_Popen = subprocess.Popen


class BufferedControlClient(_Popen):
    """subprocess.Popen, with a buffered pipe for tmux's control-mode client (`-C`)."""

    def __init__(self, args, *rest, **kwargs):
        if isinstance(args, (list, tuple)) and "-C" in args:
            kwargs["bufsize"] = -1
        super().__init__(args, *rest, **kwargs)


probe.subprocess.Popen = BufferedControlClient
probe.main()
