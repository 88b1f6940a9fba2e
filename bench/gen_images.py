#!/usr/bin/env python3
"""Writes an image-heavy book for bench/run.sh: N short essays, each opening with a large banner.

    python3 bench/gen_images.py N OUT_DIR

Banners rotate through three formats at sizes real books carry: WebP 2464x1856 (what
"Cronica de la IA Moderna" ships, quality 80), JPEG 3000x2000 (a camera photo, quality 90)
and PNG 2000x1500 (a photograph saved losslessly). The pixels are photograph-like (smooth
shapes, texture and noise) so the codecs do realistic work. Encoding goes through cwebp and
cjpeg (Debian: webp, libjpeg-turbo-progs); PNG is written here with zlib. Deterministic: a
seeded PRNG per image, no clock. Nothing is committed: run.sh generates the book in its
scratch folder.
"""
import os
import random
import struct
import subprocess
import sys
import zlib

SIZES = {"webp": (2464, 1856), "jpg": (3000, 2000), "png": (2000, 1500)}
FORMATS = ["webp", "jpg", "png"]


def pixels(w, h, seed):
    """w*h*3 bytes of RGB: smooth colour fields at 1/4 scale (blobs over a gradient), blown up,
    with texture XORed into the low bits from a noise row that shifts with every line."""
    rnd = random.Random(seed)
    sw, sh = w // 4, h // 4
    blobs = [(rnd.randrange(sw), rnd.randrange(sh), rnd.randrange(sw // 8, sw // 3),
              [rnd.randrange(256) for _ in range(3)]) for _ in range(6)]
    base = [rnd.randrange(256) for _ in range(3)]
    small = []
    for y in range(sh):
        row = bytearray(sw * 3)
        for x in range(sw):
            c = [base[0] + x * 64 // sw, base[1] + y * 64 // sh, base[2]]
            for bx, by, br, bc in blobs:
                d = abs(bx - x) + abs(by - y)
                if d < br:
                    t = (br - d) * 256 // br
                    c = [(c[k] * (256 - t) + bc[k] * t) >> 8 for k in range(3)]
            row[x * 3:x * 3 + 3] = bytes(v & 255 for v in c)
        small.append(bytes(row))
    noise = bytes(rnd.randrange(0, 24) for _ in range(w * 3 + 4096))
    out = []
    for y in range(h):
        src = small[min(sh - 1, y // 4)]
        wide = b"".join(src[x * 3:x * 3 + 3] * 4 for x in range(sw)).ljust(w * 3, b"\x80")
        shift = (y * 37 * 3) % 4096
        n = int.from_bytes(noise[shift:shift + w * 3], "big")
        out.append((int.from_bytes(wide, "big") ^ n).to_bytes(w * 3, "big"))
    return b"".join(out)


def ppm(w, h, data):
    return b"P6\n%d %d\n255\n" % (w, h) + data


def png(w, h, data):
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + data[y * w * 3:(y + 1) * w * 3] for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def banner(path, fmt, seed):
    w, h = SIZES[fmt]
    data = pixels(w, h, seed)
    if fmt == "png":
        with open(path, "wb") as f:
            f.write(png(w, h, data))
        return
    tmp = path + ".ppm"
    with open(tmp, "wb") as f:
        f.write(ppm(w, h, data))
    if fmt == "webp":
        subprocess.run(["cwebp", "-quiet", "-q", "80", tmp, "-o", path], check=True)
    else:
        with open(path, "wb") as f:
            subprocess.run(["cjpeg", "-quality", "90", tmp], stdout=f, check=True)
    os.remove(tmp)


ESSAY = """---
title: "Capítulo {n}: la imagen y la página"
weight: {n}
image: banners/{name}
imageAlt: "Ilustración del capítulo {n}"
---

La imprenta de tipos móviles cambió la manera de leer, y cada capítulo de este libro abre con
una imagen grande, como las portadas de los ensayos que sus autores publican en la web.

## Lo que pesa una imagen

Una fotografía de cámara pesa más que todo el texto de un capítulo. El libro electrónico la
recibe reducida al tamaño de una pantalla, y el libro impreso al de su caja de texto.

Cada imagen se decodifica una sola vez por compilación, sea cual sea el número de formatos.
"""


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    n, out = int(sys.argv[1]), sys.argv[2]
    content, banners = os.path.join(out, "content"), os.path.join(out, "assets", "banners")
    os.makedirs(content, exist_ok=True)
    os.makedirs(banners, exist_ok=True)
    for i in range(1, n + 1):
        fmt = FORMATS[(i - 1) % 3]
        name = "%02d.%s" % (i, fmt)
        banner(os.path.join(banners, name), fmt, 1000 + i)
        with open(os.path.join(content, "%02d.md" % i), "w", encoding="utf-8") as f:
            f.write(ESSAY.format(n=i, name=name))
    with open(os.path.join(out, "book.toml"), "w", encoding="utf-8") as f:
        f.write('title = "Libro de imágenes grandes"\nauthor = "Generador de imprenta"\n'
                'language = "es"\nidentifier = "urn:uuid:4a1d2c3e-5f60-4718-9a2b-c3d4e5f60718"\n'
                'date = "2026"\n')
    print("%s: %d essays, %d banners" % (out, n, n), file=sys.stderr)


if __name__ == "__main__":
    main()
