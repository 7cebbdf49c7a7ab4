#!/usr/bin/env python3
"""Renders screens with ANSI colours (what the pictures test writes, or
`tmux capture-pane -p -e`) to PNGs.

    REGSCOPE_SCREENSHOTS=/tmp/shots cargo test --test it tui::pictures
    python3 screenshots/render.py /tmp/shots/*.ans --out screenshots/

The first command also writes screenshots/screens.sha256, the hash of each
screen's text, which the same test checks when run without the variable:
a screen that changed fails it until its picture is made again.

Needs Pillow and a monospace TTF (DejaVu Sans Mono by default).
"""
import argparse
import pathlib
import re

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
FOREGROUND = (220, 223, 228)
BACKGROUND = (30, 33, 39)
# The 16 ANSI colours (One Dark-ish), then the xterm 256-colour cube.
BASE = [
    (40, 44, 52), (224, 108, 117), (152, 195, 121), (229, 192, 123),
    (97, 175, 239), (198, 120, 221), (86, 182, 194), (171, 178, 191),
    (92, 99, 112), (240, 130, 140), (170, 215, 140), (240, 210, 140),
    (120, 190, 250), (215, 145, 235), (110, 200, 210), (230, 233, 238),
]
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_256(n):
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


def apply(params, style):
    codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            style.update(fg=None, bg=None, bold=False, reverse=False)
        elif c == 1:
            style["bold"] = True
        elif c == 22:
            style["bold"] = False
        elif c == 7:
            style["reverse"] = True
        elif c == 27:
            style["reverse"] = False
        elif 30 <= c <= 37:
            style["fg"] = BASE[c - 30]
        elif 90 <= c <= 97:
            style["fg"] = BASE[c - 90 + 8]
        elif 40 <= c <= 47:
            style["bg"] = BASE[c - 40]
        elif 100 <= c <= 107:
            style["bg"] = BASE[c - 100 + 8]
        elif c == 39:
            style["fg"] = None
        elif c == 49:
            style["bg"] = None
        elif c in (38, 48) and i + 1 < len(codes):
            key = "fg" if c == 38 else "bg"
            if codes[i + 1] == 5 and i + 2 < len(codes):
                style[key] = colour_256(codes[i + 2])
                i += 2
            elif codes[i + 1] == 2 and i + 4 < len(codes):
                style[key] = tuple(codes[i + 2:i + 5])
                i += 4
        i += 1


# Box-drawing characters are drawn as lines: font glyphs leave gaps
# between rows. Each maps to the arms it has: up, down, left, right.
BOX = {
    "│": "ud", "─": "lr", "╭": "dr", "╮": "dl", "╰": "ur", "╯": "ul",
    "┌": "dr", "┐": "dl", "└": "ur", "┘": "ul",
}


def box(draw, ch, x, y, w, h, fg):
    cx, cy = x + w // 2, y + h // 2
    arms = BOX[ch]
    if "u" in arms:
        draw.line([cx, y, cx, cy], fill=fg)
    if "d" in arms:
        draw.line([cx, cy, cx, y + h - 1], fill=fg)
    if "l" in arms:
        draw.line([x, cy, cx, cy], fill=fg)
    if "r" in arms:
        draw.line([cx, cy, x + w - 1, cy], fill=fg)


def render(text, out, size=15):
    font = ImageFont.truetype(FONT, size)
    bold = ImageFont.truetype(BOLD, size)
    left, top, right, bottom = font.getbbox("M")
    cell_w = round(font.getlength("M"))
    cell_h = round(size * 1.25)
    lines = text.rstrip("\n").split("\n")
    width = max(len(SGR.sub("", line)) for line in lines)
    pad = 12
    image = Image.new("RGB", (width * cell_w + 2 * pad, len(lines) * cell_h + 2 * pad), BACKGROUND)
    draw = ImageDraw.Draw(image)
    style = dict(fg=None, bg=None, bold=False, reverse=False)
    for row, line in enumerate(lines):
        col = 0
        pos = 0
        while pos < len(line):
            match = SGR.match(line, pos)
            if match:
                apply(match.group(1), style)
                pos = match.end()
                continue
            if line[pos] == "\x1b":  # another escape: skip its introducer
                pos += 1
                continue
            ch = line[pos]
            fg = style["fg"] or FOREGROUND
            bg = style["bg"]
            if style["reverse"]:
                fg, bg = bg or BACKGROUND, fg
            x = pad + col * cell_w
            y = pad + row * cell_h
            if bg:
                draw.rectangle([x, y, x + cell_w - 1, y + cell_h - 1], fill=bg)
            if ch in BOX:
                box(draw, ch, x, y, cell_w, cell_h, fg)
            elif ch != " ":
                draw.text((x, y + (cell_h - size) // 2 - top // 2), ch, font=bold if style["bold"] else font, fill=fg)
            col += 1
            pos += 1
    image = image.quantize(colors=64)
    image.save(out, optimize=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("captures", nargs="+")
    parser.add_argument("--out", default=".")
    args = parser.parse_args()
    for capture in args.captures:
        path = pathlib.Path(capture)
        out = pathlib.Path(args.out) / (path.stem + ".png")
        render(path.read_text(encoding="utf-8", errors="replace"), out)
        print(out)


if __name__ == "__main__":
    main()
