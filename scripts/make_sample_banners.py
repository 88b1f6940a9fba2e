#!/usr/bin/env python3
"""Regenerates the sample book's raster images (banners, inline figure, cover).

Standard library only: pixels are drawn into a bytearray and written as PNG with zlib + struct.
The JPEG and WebP banners are encoded from a temporary PPM/PNG with `cjpeg` (libjpeg-turbo-progs)
and `cwebp` (webp). Everything is deterministic: the same script gives the same bytes.
The SVG banner (assets/banners/ebook.svg) is hand-written and not touched here.

Usage: python3 scripts/make_sample_banners.py [book-folder]   (default: the repository root)
"""

import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def hex_rgb(s):
    s = s.lstrip("#")
    return tuple(int(s[i:i + 2], 16) for i in (0, 2, 4))


def lerp(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


class Canvas:
    """An RGBA pixel buffer with a few drawing primitives (solid fills are fast, blends per pixel)."""

    def __init__(self, w, h, color=(0, 0, 0), alpha=255):
        self.w, self.h = w, h
        self.buf = bytearray(bytes((*color, alpha)) * (w * h))

    # -- fills ---------------------------------------------------------------
    def gradient(self, c0, c1, ax=0.0, ay=1.0):
        """Linear gradient from c0 to c1 along the direction (ax, ay) in unit-square coordinates."""
        c0, c1 = hex_rgb(c0), hex_rgb(c1)
        lo = min(0, ax) + min(0, ay)
        hi = max(0, ax) + max(0, ay)
        palette = [bytes((*lerp(c0, c1, i / 255), 255)) for i in range(256)]
        xs = [ax * (x + 0.5) / self.w for x in range(self.w)]
        for y in range(self.h):
            fy = ay * (y + 0.5) / self.h
            row = b"".join(palette[int(255 * (fx + fy - lo) / (hi - lo))] for fx in xs)
            o = y * self.w * 4
            self.buf[o:o + self.w * 4] = row

    def _blend(self, i, color, a):
        """Composites `color` with coverage a (0..1) over pixel index i ("over" operator)."""
        if a <= 0:
            return
        b = self.buf
        o = i * 4
        if a >= 1:
            b[o], b[o + 1], b[o + 2], b[o + 3] = color[0], color[1], color[2], 255
            return
        da = b[o + 3] / 255
        oa = a + da * (1 - a)
        for k in range(3):
            b[o + k] = int(round((color[k] * a + b[o + k] * da * (1 - a)) / oa))
        b[o + 3] = int(round(oa * 255))

    def rect(self, x0, y0, x1, y1, color, alpha=1.0):
        color = hex_rgb(color) if isinstance(color, str) else color
        x0, x1 = max(0, int(round(x0))), min(self.w, int(round(x1)))
        y0, y1 = max(0, int(round(y0))), min(self.h, int(round(y1)))
        if x1 <= x0 or y1 <= y0:
            return
        if alpha >= 1:
            row = bytes((*color, 255)) * (x1 - x0)
            for y in range(y0, y1):
                o = (y * self.w + x0) * 4
                self.buf[o:o + len(row)] = row
            return
        for y in range(y0, y1):
            for x in range(x0, x1):
                self._blend(y * self.w + x, color, alpha)

    def ring(self, cx, cy, r_out, r_in, color, alpha=1.0):
        """An anti-aliased annulus (a disc when r_in is 0)."""
        color = hex_rgb(color) if isinstance(color, str) else color
        for y in range(max(0, int(cy - r_out - 2)), min(self.h, int(cy + r_out + 2))):
            dy = y + 0.5 - cy
            if abs(dy) > r_out + 1:
                continue
            ho = math.sqrt(max(0.0, (r_out + 1) ** 2 - dy * dy))
            hi = math.sqrt((r_in - 1) ** 2 - dy * dy) if r_in > 1 and abs(dy) < r_in - 1 else -1
            # An opaque disc's inside is one span [sa, sb): only its edge needs per-pixel coverage.
            sa = sb = 0
            if r_in <= 0 and alpha >= 1 and abs(dy) < r_out - 1:
                hs = math.sqrt((r_out - 1) ** 2 - dy * dy)
                sa, sb = int(math.ceil(cx - hs)), int(math.floor(cx + hs - 1))
                if sb > sa:
                    self.rect(sa, y, sb, y + 1, color)
                else:
                    sa = sb = 0
            for x in range(max(0, int(cx - ho)), min(self.w, int(cx + ho) + 1)):
                if sa <= x < sb:
                    continue
                dx = x + 0.5 - cx
                if hi >= 0 and abs(dx) < hi:
                    continue
                d = math.hypot(dx, dy)
                cov = min(1.0, max(0.0, r_out - d + 0.5))
                if r_in > 0:
                    cov *= min(1.0, max(0.0, d - r_in + 0.5))
                self._blend(y * self.w + x, color, cov * alpha)

    # -- output --------------------------------------------------------------
    def rgb_bytes(self):
        out = bytearray(self.w * self.h * 3)
        for k in range(3):
            out[k::3] = self.buf[k::4]
        return bytes(out)

    def write_png(self, path, alpha=False):
        channels = 4 if alpha else 3
        data = bytes(self.buf) if alpha else self.rgb_bytes()
        stride = self.w * channels
        raw = b"".join(b"\x00" + data[y * stride:(y + 1) * stride] for y in range(self.h))

        def chunk(kind, body):
            return (struct.pack(">I", len(body)) + kind + body +
                    struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

        ihdr = struct.pack(">IIBBBBB", self.w, self.h, 8, 6 if alpha else 2, 0, 0, 0)
        png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
               chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
        with open(path, "wb") as f:
            f.write(png)

    def write_ppm(self, path):
        with open(path, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (self.w, self.h))
            f.write(self.rgb_bytes())


# A 5x7 bitmap alphabet, just the letters the cover spells.
GLYPHS = {
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "B": ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "I": ["11111", "00100", "00100", "00100", "00100", "00100", "11111"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "N": ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "P": ["11110", "10001", "10001", "11110", "10000", "10000", "10000"],
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "T": ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
    "V": ["10001", "10001", "10001", "10001", "10001", "01010", "00100"],
    " ": ["00000"] * 7,
}
ACUTE = ["00010", "00100"]  # drawn above a letter: Ó


def text_width(text, cell):
    return (len(text) * 6 - 1) * cell


def draw_sort(c, x, y, size, body, face, gap):
    """One piece of type seen from above: a body with a raised, slightly lighter face."""
    c.rect(x, y, x + size - gap, y + size - gap, body)
    inset = max(1, size // 6)
    c.rect(x + inset, y + inset, x + size - gap - inset, y + size - gap - inset, face)


def draw_text(c, text, x, y, cell, body, face, accents=()):
    """Sets `text` as a grid of type sorts; `accents` lists indices of letters that take an acute."""
    for i, ch in enumerate(text):
        gx = x + i * 6 * cell
        for r, bits in enumerate(GLYPHS[ch]):
            for k, bit in enumerate(bits):
                if bit == "1":
                    draw_sort(c, gx + k * cell, y + r * cell, cell, body, face, max(1, cell // 10))
        if i in accents:
            for r, bits in enumerate(ACUTE):
                for k, bit in enumerate(bits):
                    if bit == "1":
                        draw_sort(c, gx + k * cell, y - (2 - r) * cell - cell // 2, cell, body,
                                  face, max(1, cell // 10))


# -- the images ------------------------------------------------------------------


def banner_tipos():
    """Three lines of type in a composing stick, on warm paper."""
    c = Canvas(1200, 400)
    c.gradient("#f4ead4", "#dcc69c", 0.6, 1.0)
    ink, ink_face = hex_rgb("#2c2724"), hex_rgb("#4a423c")
    red, red_face = hex_rgb("#a83a28"), hex_rgb("#c8553f")
    c.ring(1040, 60, 120, 116, "#a83a28", 0.8)
    c.ring(1040, 60, 96, 94, "#a83a28", 0.5)
    # The composing stick: a long metal rail behind the lines.
    c.rect(70, 318, 1130, 334, "#8d7d6a")
    c.rect(70, 66, 86, 334, "#8d7d6a")
    widths = [3, 5, 2, 4, 1, 6, 3, 2, 5, 4, 2, 3, 6, 1, 4, 5, 2, 3, 4, 2, 6, 3, 1, 5, 2]
    y = 84
    for line in range(3):
        x = 104
        for i, w in enumerate(widths[line * 3:] + widths[:line * 3]):
            bw = 18 + w * 12
            if x + bw > 1110:
                break
            accent = (i * 7 + line * 3) % 11 == 4
            body, face = (red, red_face) if accent else (ink, ink_face)
            c.rect(x + 6, y + 6, x + bw + 6, y + 70 + 6, (0, 0, 0), 0.18)  # shadow
            c.rect(x, y, x + bw, y + 70, body)
            c.rect(x + 7, y + 7, x + bw - 7, y + 28, face)  # the raised letter face
            c.rect(x, y + 52, x + bw, y + 56, "#15110f")  # the nick
            x += bw + 6
        y += 80
    return c


def banner_prensa():
    """A hand press, abstracted: pillars, beam, the screw's wheel and sheets of printed lines."""
    c = Canvas(1200, 400)
    c.gradient("#172442", "#6a2134", 1.0, 0.45)
    c.ring(860, 170, 220, 0, "#d9a441", 0.12)
    for r in (200, 160, 120):
        c.ring(860, 170, r, r - 5, "#e8c57a", 0.55)
    c.ring(860, 170, 34, 0, "#e8c57a")
    c.rect(620, 150, 1100, 190, "#e8c57a", 0.9)  # the bar that turns the screw
    c.rect(160, 40, 200, 400, "#0f1830")
    c.rect(560, 40, 600, 400, "#0f1830")
    c.rect(140, 40, 620, 84, "#0f1830")
    c.rect(200, 120, 560, 140, "#2b3b63")
    c.rect(240, 140, 520, 210, "#c9ced8")  # the platen
    c.rect(240, 204, 520, 210, "#8e97a8")
    # A freshly printed sheet: lines of text as bars.
    c.rect(230, 250, 530, 380, "#f3efe6")
    for i in range(9):
        y = 262 + i * 13
        w = 270 if i % 4 != 3 else 150
        c.rect(245, y, 245 + w, y + 6, "#3a3a44")
    c.rect(245, 262, 262, 282, "#a83a28")  # a red initial
    return c


def banner_justificar():
    """Ragged against justified: two columns of text bars, one hyphen in red."""
    c = Canvas(1200, 400)
    c.gradient("#fbf9f4", "#ece6da", 0.0, 1.0)
    grey, dark, red = hex_rgb("#b9b2a6"), hex_rgb("#3b3631"), hex_rgb("#c0432d")
    ragged = [392, 350, 410, 301, 388, 365, 240]
    for i, w in enumerate(ragged):
        y = 70 + i * 40
        c.rect(90, y, 90 + w, y + 16, grey)
    for x in (660, 1110):
        c.rect(x - 1, 40, x + 1, 360, "#e2a497")  # the measure's margins
    words = [[70, 120, 40, 95, 85], [110, 60, 130, 75], [50, 90, 140, 60, 70],
             [95, 150, 80, 80], [60, 60, 110, 90, 75], [130, 85, 120], [90, 140]]
    for i, line in enumerate(words):
        y = 70 + i * 40
        last = i == len(words) - 1
        total = sum(line)
        gap = 16 if last else (450 - total) / (len(line) - 1)
        x = 660
        for j, w in enumerate(line):
            c.rect(x, y, x + w, y + 16, dark)
            x += w + gap
        if i == 2:
            c.rect(1114, y + 5, 1134, y + 11, red)  # the hyphen hanging in the margin
    c.ring(600, 200, 14, 0, red)
    return c


def figura_caja():
    """A type case seen from above, on a transparent background (the PNG keeps its alpha)."""
    c = Canvas(900, 560, (255, 255, 255), 0)
    c.rect(46, 46, 874, 534, (0, 0, 0), 0.22)  # soft shadow, semi-transparent
    c.rect(30, 30, 860, 520, "#7a4b2a")
    wood = [hex_rgb(s) for s in ("#c68e5c", "#bd8451", "#cf9866", "#b67c4b")]
    # Upper case: a regular grid; lower case: boxes sized by how often a letter is used.
    for r in range(3):
        for k in range(14):
            x, y = 44 + k * (808 / 14), 44 + r * 50
            c.rect(x, y, x + 808 / 14 - 6, y + 42, wood[(r + k) % 4])
    c.rect(30, 196, 860, 206, "#5c371e")
    rows = [[1, 1, 2, 1, 1, 3, 1, 1, 2, 1], [2, 1, 3, 3, 1, 2, 1, 1], [1, 2, 1, 4, 2, 1, 1],
            [1, 1, 3, 1, 1, 2, 2, 1, 1]]
    y = 218
    for r, row in enumerate(rows):
        unit = (802 + 8) / sum(row) - 8  # a span of n units also swallows n-1 gaps
        x = 44
        for k, span in enumerate(row):
            w = unit * span + 8 * (span - 1)
            c.rect(x, y, x + w, y + 66, wood[(r * 3 + k) % 4])
            if span >= 3:  # the busy boxes hold a few sorts
                for s in range(3):
                    c.rect(x + 14 + s * 22, y + 20, x + 30 + s * 22, y + 46, "#4d4d52")
            x += w + 8
        y += 76
    return c


def cover():
    """The cover: the title set in big type sorts, rules, and a row of ornaments."""
    c = Canvas(1600, 2400)
    c.gradient("#221d1a", "#3a2f29", 0.15, 1.0)
    paper, paper_face = hex_rgb("#efe4cc"), hex_rgb("#fbf4e4")
    red, red_face = hex_rgb("#b0402c"), hex_rgb("#cf5a43")
    # Double rules framing the page.
    for inset, width in ((90, 10), (118, 3)):
        c.rect(inset, inset, 1600 - inset, inset + width, paper)
        c.rect(inset, 2400 - inset - width, 1600 - inset, 2400 - inset, paper)
        c.rect(inset, inset, inset + width, 2400 - inset, paper)
        c.rect(1600 - inset - width, inset, 1600 - inset, 2400 - inset, paper)
    cell = 30
    for text, y, accents in (("TIPOS", 520, ()), ("MOVILES", 860, (1,))):
        x = (1600 - text_width(text, cell)) // 2
        draw_text(c, text, x, y, cell, paper, paper_face, accents)
    # A red rule and the subtitle in small sorts.
    c.rect(300, 1180, 1300, 1192, red)
    small = 8
    sub = "NOTAS SOBRE LA IMPRENTA"
    draw_text(c, sub, (1600 - text_width(sub, small)) // 2, 1260, small, paper, paper_face)
    # An ornament: a wheel of sorts like a printer's flower.
    for i in range(12):
        a = 2 * math.pi * i / 12
        x, y = 800 + 260 * math.cos(a), 1760 + 260 * math.sin(a)
        body, face = (red, red_face) if i % 3 == 0 else (paper, paper_face)
        draw_sort(c, x - 28, y - 28, 56, body, face, 4)
    c.ring(800, 1760, 150, 142, paper)
    c.ring(800, 1760, 60, 0, red)
    c.ring(800, 1760, 36, 0, red_face)
    return c


def encode(tool, args, src, dst):
    if shutil.which(tool) is None:
        sys.exit(f"{tool} not found: install it (Debian: libjpeg-turbo-progs for cjpeg, webp for cwebp)")
    subprocess.run([tool, *args, "-o" if tool == "cwebp" else "-outfile", dst, src], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    assets = os.path.join(root, "assets")
    banners = os.path.join(assets, "banners")
    figuras = os.path.join(assets, "figuras")
    os.makedirs(banners, exist_ok=True)
    os.makedirs(figuras, exist_ok=True)

    banner_tipos().write_png(os.path.join(banners, "tipos.png"))
    figura_caja().write_png(os.path.join(figuras, "caja-de-tipos.png"), alpha=True)
    cover().write_png(os.path.join(assets, "cover.png"))
    with tempfile.TemporaryDirectory() as tmp:
        ppm = os.path.join(tmp, "prensa.ppm")
        banner_prensa().write_ppm(ppm)
        encode("cjpeg", ["-quality", "88", "-optimize"], ppm, os.path.join(banners, "prensa.jpg"))
        png = os.path.join(tmp, "justificar.png")
        banner_justificar().write_png(png)
        encode("cwebp", ["-quiet", "-q", "85", "-m", "6", "-metadata", "none"], png,
               os.path.join(banners, "justificar.webp"))


if __name__ == "__main__":
    main()
