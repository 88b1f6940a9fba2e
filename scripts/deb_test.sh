#!/usr/bin/env bash
# The .deb: packs it with CPack from a build folder (cmake/package.cmake) into BUILD_DIR/package/
# and checks what it holds and declares. Installing it is scripts/deb_fresh_root.sh's part (ctest
# DebFreshRoot, which takes the package this leaves): into a fresh Debian root, not this machine.
#   scripts/deb_test.sh [BUILD_DIR]     (ctest runs it as DebPackage, label "package")
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$src/build}" && pwd)"
pkg="$build/package"
fail() { echo "deb_test: $*" >&2; exit 1; }

cmake --build "$build" --target imprenta man_page_gz >/dev/null
rm -f "$pkg"/imprenta_*.deb
(cd "$build" && cpack -G DEB -B "$pkg" >"$pkg.log" 2>&1) || { cat "$pkg.log"; fail "cpack failed"; }
rm "$pkg.log"
deb="$(ls "$pkg"/imprenta_*.deb)"
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

echo "deb_test: packed and checked: ok ($deb)"
