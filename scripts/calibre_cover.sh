#!/usr/bin/env bash
# The Kindle route: calibre's AZW3 conversion must show the cover once. Without the EPUB 2
# <guide> cover reference it adds a cover page of its own before the book's: two covers. Builds
# the sample book (its own cover) and a book without one (the drawn cover), converts each EPUB to
# AZW3 with ebook-convert, reads the cover back with ebook-meta, converts the AZW3 back to EPUB
# and counts the pages before the first page of text that show only an image: exactly one (two
# when the guide is taken out of the OPF). Exits 77 (ctest: skipped) when calibre is not there.
#   scripts/calibre_cover.sh            (IMPRENTA=path/to/imprenta; default build/imprenta)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v ebook-convert >/dev/null 2>&1 || ! command -v ebook-meta >/dev/null 2>&1; then
    echo "calibre_cover.sh: calibre is not installed (apt-get install calibre); skipped" >&2
    exit 77
fi
export QT_QPA_PLATFORM=offscreen
bin="${IMPRENTA:-$here/build/imprenta}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$bin" build -q --format epub -o "$work/sample" "$here"
mkdir -p "$work/plain/content"
printf 'title = "Cartas desde Salamanca"\nauthor = "Ana Prieto"\nlanguage = "es"\n' \
    >"$work/plain/book.toml"
printf '# La llegada\n\nLlegamos a la ciudad con un mapa viejo y poca prisa.\n' \
    >"$work/plain/content/01-llegada.md"
"$bin" build -q --format epub -o "$work/plain/out" "$work/plain"

status=0
for epub in "$work"/sample/*.epub "$work"/plain/out/*.epub; do
    name="$(basename "$epub" .epub)"
    ebook-convert "$epub" "$work/$name.azw3" >"$work/$name.log" 2>&1 ||
        { cat "$work/$name.log"; echo "calibre_cover.sh: $name: conversion failed" >&2; exit 1; }
    ebook-meta "$work/$name.azw3" --get-cover="$work/$name-cover" >/dev/null
    [ -s "$work/$name-cover" ] || { echo "$name.azw3: no cover"; status=1; continue; }
    ebook-convert "$work/$name.azw3" "$work/$name-back.epub" >>"$work/$name.log" 2>&1
    covers="$(python3 - "$work/$name-back.epub" <<'PY'
import re, sys, zipfile, posixpath
z = zipfile.ZipFile(sys.argv[1])
container = z.read("META-INF/container.xml").decode()
opf_path = re.search(r'full-path="([^"]+)"', container).group(1)
opf = z.read(opf_path).decode()
base = posixpath.dirname(opf_path)
items = {m.group(1): m.group(2) for m in re.finditer(r'<item\b[^>]*\bid="([^"]+)"[^>]*\bhref="([^"]+)"', opf)}
items.update({m.group(2): m.group(1) for m in re.finditer(r'<item\b[^>]*\bhref="([^"]+)"[^>]*\bid="([^"]+)"', opf)})
count = 0  # pages showing only an image before the first page with text: the covers
for idref in re.findall(r'<itemref\b[^>]*\bidref="([^"]+)"', opf):
    page = z.read(posixpath.join(base, items[idref])).decode("utf-8", "replace")
    body = re.sub(r"(?s)^.*?<body[^>]*>", "", page)
    if re.sub(r"(?s)<[^>]+>", "", body).strip():
        break
    count += bool(re.search(r"<(img|image)\b", body))
print(count)
PY
)"
    echo "$name.azw3: cover read back by ebook-meta; $covers cover page(s)"
    [ "$covers" = 1 ] || status=1
done
exit $status
