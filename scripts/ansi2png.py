#!/usr/bin/env python3
"""Render a terminal screen captured with `tmux capture-pane -e -p` (text with SGR escape
codes) to a PNG, in DejaVu Sans Mono, with a dark terminal palette.

usage: ansi2png.py CAPTURE.txt OUT.png [--cols N] [--rows N]
Needs Pillow (pip install pillow).
"""
import argparse
import re

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
PALETTE = [
    (0x1e, 0x1e, 0x2e), (0xf3, 0x8b, 0xa8), (0xa6, 0xe3, 0xa1), (0xf9, 0xe2, 0xaf),
    (0x89, 0xb4, 0xfa), (0xcb, 0xa6, 0xf7), (0x94, 0xe2, 0xd5), (0xba, 0xc2, 0xde),
    (0x6c, 0x70, 0x86), (0xf3, 0x8b, 0xa8), (0xa6, 0xe3, 0xa1), (0xf9, 0xe2, 0xaf),
    (0x89, 0xb4, 0xfa), (0xf5, 0xc2, 0xe7), (0x94, 0xe2, 0xd5), (0xff, 0xff, 0xff),
]
DEFAULT_FG = (0xcd, 0xd6, 0xf4)
DEFAULT_BG = (0x11, 0x11, 0x1b)
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


class Pen:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = self.strike = False

    def apply(self, params):
        codes = [int(p) if p else 0 for p in re.split("[;:]", params)] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 9:
                self.strike = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif c == 29:
                self.strike = False
            elif 30 <= c <= 37:
                self.fg = PALETTE[c - 30]
            elif 90 <= c <= 97:
                self.fg = PALETTE[c - 90 + 8]
            elif 40 <= c <= 47:
                self.bg = PALETTE[c - 40]
            elif 100 <= c <= 107:
                self.bg = PALETTE[c - 100 + 8]
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = xterm256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = tuple(codes[i + 2:i + 5])
                    i += 4
                else:
                    colour = None
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def colours(self):
        fg = self.fg or DEFAULT_FG
        bg = self.bg or DEFAULT_BG
        if self.dim:
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        if self.reverse:
            fg, bg = bg, fg
        return fg, bg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("out")
    ap.add_argument("--cols", type=int, default=0)
    ap.add_argument("--rows", type=int, default=0)
    ap.add_argument("--size", type=int, default=16)
    args = ap.parse_args()
    text = open(args.capture, encoding="utf-8", errors="replace").read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    fonts = {
        (False, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", args.size),
        (True, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", args.size),
        (False, True): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Oblique.ttf", args.size),
        (True, True): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-BoldOblique.ttf", args.size),
    }
    cw = int(round(fonts[(False, False)].getlength("M")))
    ch = int(args.size * 1.3)
    cols = args.cols or max(len(SGR.sub("", l)) for l in lines)
    rows = args.rows or len(lines)
    pad = 12
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    pen = Pen()
    for y, line in enumerate(lines[:rows]):
        x = 0
        pos = 0
        for m in list(SGR.finditer(line)) + [None]:
            end = m.start() if m else len(line)
            for c in line[pos:end]:
                fg, bg = pen.colours()
                px, py = pad + x * cw, pad + y * ch
                wide = 2 if ord(c) >= 0x1100 and (0x1100 <= ord(c) <= 0x115F or 0x2E80 <= ord(c) <= 0xA4CF or 0xAC00 <= ord(c) <= 0xD7A3 or 0xF900 <= ord(c) <= 0xFAFF or 0xFF00 <= ord(c) <= 0xFF60 or 0x1F300 <= ord(c) <= 0x1FAFF) else 1
                draw.rectangle([px, py, px + cw * wide, py + ch], fill=bg)
                if c != " ":
                    draw.text((px, py + 2), c, font=fonts[(pen.bold, pen.italic)], fill=fg)
                if pen.underline:
                    draw.line([px, py + ch - 3, px + cw * wide, py + ch - 3], fill=fg)
                if pen.strike:
                    draw.line([px, py + ch // 2, px + cw * wide, py + ch // 2], fill=fg)
                x += wide
            if m:
                pen.apply(m.group(1))
                pos = m.end()
    img.save(args.out)


if __name__ == "__main__":
    main()
