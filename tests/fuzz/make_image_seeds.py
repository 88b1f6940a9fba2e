#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_image: tiny PNG, JPEG, WebP, GIF and SVG files of every flavour
the decoders branch on (colour types, interlacing, progressive/grey JPEG, EXIF orientation, lossy/
lossless/alpha/animated WebP, static/animated GIF). Standard library plus cjpeg and cwebp/img2webp.
Deterministic: the same tools give the same bytes.

Usage: python3 tests/fuzz/make_image_seeds.py [out-dir]  (default tests/fuzz/corpus/fuzz_image)
"""

import os
import struct
import subprocess
import sys
import tempfile
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w, h, color_type, rows, bit_depth=8, interlace=0, extra=b""):
    raw = b"".join(b"\x00" + r for r in rows)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, interlace)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def rgb_pixels(w, h):
    return [[((x * 40) % 256, (y * 60) % 256, ((x + y) * 25) % 256) for x in range(w)] for y in range(h)]


def ppm(w, h):
    px = rgb_pixels(w, h)
    return b"P6\n%d %d\n255\n" % (w, h) + bytes(c for row in px for p in row for c in p)


def gif(w, h, frames, loop=False):
    """Uncompressed-LZW GIF: a clear code before every pixel keeps the code width fixed."""
    palette = bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])  # 4 colours, 2 bits
    out = b"GIF89a" + struct.pack("<HHBBB", w, h, 0x81, 0, 0) + palette
    if loop:
        out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    for f, pixels in enumerate(frames):
        out += b"\x21\xf9\x04\x04" + struct.pack("<H", 10) + b"\x00\x00"  # delay, no transparency
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, w, h, 0)
        min_code = 2
        clear, end, width = 4, 5, 3
        bits, nbits, data = 0, 0, bytearray()

        def emit(code):
            nonlocal bits, nbits
            bits |= code << nbits
            nbits += width
            while nbits >= 8:
                data.append(bits & 0xFF)
                bits >>= 8
                nbits -= 8

        for p in pixels:
            emit(clear)
            emit(p)
        emit(end)
        if nbits:
            data.append(bits & 0xFF)
        out += bytes([min_code])
        for i in range(0, len(data), 255):
            block = data[i:i + 255]
            out += bytes([len(block)]) + bytes(block)
        out += b"\x00"
    return out + b"\x3b"


def exif_orientation_app1(orientation):
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">H", 1) + struct.pack(">HHII", 0x0112, 3, 1, orientation << 16) + b"\x00\x00\x00\x00"
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "fuzz_image")
    os.makedirs(out, exist_ok=True)

    def put(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    w, h = 5, 4
    px = rgb_pixels(w, h)
    put("rgb.png", png(w, h, 2, [bytes(c for p in row for c in p) for row in px]))
    put("rgba.png", png(w, h, 6, [bytes(c for x, p in enumerate(row) for c in p + (x * 60 % 256,)) for row in px]))
    put("gray.png", png(w, h, 0, [bytes((x * 50) % 256 for x in range(w)) for _ in range(h)]))
    put("gray-alpha.png", png(w, h, 4, [bytes(v for x in range(w) for v in ((x * 50) % 256, 200)) for _ in range(h)]))
    put("gray-1bit.png", png(8, 2, 0, [b"\xa5", b"\x5a"], bit_depth=1))
    put("gray-16bit.png", png(2, 2, 0, [b"\x12\x34\xff\xff", b"\x00\x00\x80\x00"], bit_depth=16))
    plte = chunk(b"PLTE", bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])) + chunk(b"tRNS", b"\x00\x80")
    put("palette.png", png(4, 2, 3, [bytes([0, 1, 2, 3]), bytes([3, 2, 1, 0])], extra=plte))
    put("interlaced.png", png(1, 1, 2, [b"\x10\x20\x30"], interlace=1))

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.ppm")
        with open(src, "wb") as f:
            f.write(ppm(16, 8))
        base = run(["cjpeg", "-quality", "50", src])
        put("baseline.jpg", base)
        put("progressive.jpg", run(["cjpeg", "-quality", "50", "-progressive", src]))
        put("gray.jpg", run(["cjpeg", "-quality", "50", "-grayscale", src]))
        put("exif-6.jpg", base[:2] + exif_orientation_app1(6) + base[2:])

        pngfile = os.path.join(tmp, "in.png")
        with open(pngfile, "wb") as f:
            f.write(png(w, h, 6, [bytes(c for p in row for c in p + (128,)) for row in px]))
        lossy = os.path.join(tmp, "lossy.webp")
        run(["cwebp", "-quiet", "-q", "40", pngfile, "-o", lossy])
        put("lossy-alpha.webp", open(lossy, "rb").read())
        lossless = os.path.join(tmp, "lossless.webp")
        run(["cwebp", "-quiet", "-lossless", pngfile, "-o", lossless])
        put("lossless.webp", open(lossless, "rb").read())
        opaque = os.path.join(tmp, "opaque.webp")
        run(["cwebp", "-quiet", "-q", "40", src, "-o", opaque])
        put("lossy.webp", open(opaque, "rb").read())
        anim = os.path.join(tmp, "anim.webp")
        second = os.path.join(tmp, "second.png")
        with open(second, "wb") as f:
            f.write(png(w, h, 2, [bytes(255 - c for p in row for c in p) for row in px]))
        run(["img2webp", "-q", "40", "-lossy", pngfile, "-d", "100", second, "-o", anim])
        put("animated.webp", open(anim, "rb").read())

    put("static.gif", gif(3, 2, [[0, 1, 2, 3, 2, 1]]))
    put("animated.gif", gif(2, 2, [[0, 1, 2, 3], [3, 2, 1, 0]], loop=True))
    put("sized.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#369"/></svg>')
    put("viewbox.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 5"><a xlink:href="#x"><circle id="x" cx="5" cy="2" r="2"/></a></svg>')
    put("bare.svg", b'<svg><g><path d="M0 0L1 1"/></g></svg>')
    put("unsafe.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" onload="x()"><script>x()</script><image href="http://e/x.png"/></svg>')


if __name__ == "__main__":
    main()
