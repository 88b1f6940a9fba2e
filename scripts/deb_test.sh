#!/usr/bin/env bash
# The .deb: packs it with CPack from a build folder (cmake/package.cmake), checks what it holds
# and declares, and, as root on a machine where no imprenta package is installed, installs it with
# dpkg, builds a small book with the installed binary from another folder, and removes it again
# (also when a step fails), so the machine is left as it was.
#   scripts/deb_test.sh [BUILD_DIR]     (ctest runs it as DebPackage, label "slow")
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$src/build}" && pwd)"
work="$(mktemp -d)"
installed=0
cleanup() {
    if [ "$installed" = 1 ]; then dpkg --purge imprenta >/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "deb_test: $*" >&2; exit 1; }

cmake --build "$build" --target imprenta man_page_gz >/dev/null
(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$(ls "$work"/pkg/imprenta_*.deb)"
echo "deb_test: built $(basename "$deb")"

contents="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/imprenta ./usr/share/man/man1/imprenta.1.gz \
         ./usr/share/bash-completion/completions/imprenta ./usr/share/zsh/vendor-completions/_imprenta; do
    grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
depends="$(dpkg-deb -f "$deb" Depends)"
echo "deb_test: Depends: $depends"
# From dpkg-shlibdeps (libraries the binary links) and the ones it opens or reads at run time.
for d in libc6 libzip4 libharfbuzz0b libicu72 libhpdf-2.3.0 libhyphen0 librsvg2-2 fonts-texgyre; do
    grep -qE "(^|, )$d( |,|$)" <<<"$depends" || fail "Depends lacks $d"
done

if [ "$(id -u)" != 0 ]; then
    echo "deb_test: not root: package checked, not installed"; exit 0
fi
if dpkg -s imprenta >/dev/null 2>&1 || [ -e /usr/bin/imprenta ]; then
    echo "deb_test: an imprenta is already installed here: not replacing it"; exit 0
fi
installed=1
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i failed"; }
version="$(/usr/bin/imprenta --version)"
echo "deb_test: installed: $version"
grep -q "$(dpkg-deb -f "$deb" Version)" <<<"$version" || fail "--version says '$version'"
man -w imprenta >/dev/null 2>&1 || [ ! -x /usr/bin/man ] || fail "man cannot find imprenta(1)"

# A small book in a folder of its own, built from yet another folder.
mkdir -p "$work/book/content" "$work/elsewhere"
cat >"$work/book/book.toml" <<'TOML'
title = "Notas de taller"
author = "Prueba de paquete"
language = "es"
TOML
printf '# El componedor\n\nEl cajista toma las letras una a una y las alinea en la regleta.\n' \
    >"$work/book/content/01-componedor.md"
printf '# La prensa\n\nCon el molde entintado, la prensa deja la página sobre el papel.\n' \
    >"$work/book/content/02-prensa.md"
(cd "$work/elsewhere" && SOURCE_DATE_EPOCH=0 /usr/bin/imprenta build -o out "$work/book") ||
    fail "the installed binary could not build the book"
ls "$work"/elsewhere/out/*.epub "$work"/elsewhere/out/*.pdf >/dev/null || fail "no EPUB/PDF written"
pdftotext "$work"/elsewhere/out/*.pdf - 2>/dev/null | grep -q "regleta" || ! command -v pdftotext >/dev/null ||
    fail "the PDF does not give its text back"

dpkg --purge imprenta >/dev/null
installed=0
[ ! -e /usr/bin/imprenta ] || fail "/usr/bin/imprenta left behind after dpkg --purge"
echo "deb_test: installed, built a book, removed: ok"
