#!/usr/bin/env bash
# The .deb in a fresh Debian 12: mmdebstrap makes a new bookworm root (variant apt: the essential
# packages and apt, nothing of this machine), apt installs the .deb inside it so that every
# Depends comes from Debian's archive, and the installed /usr/bin/imprenta, run as nobody, builds
# a copy of the sample book from another folder. Checks: --version, the man page and completions
# in place, no Recommends font pulled in; the build exits 0 with no warning (without librsvg the
# SVG banner is left out with one); the EPUB (zip, mimetype first, one page per chapter) and the
# PDF (header, pages, text back, TeX Gyre Pagella embedded, which needs fonts-texgyre) are
# byte-identical to what the build tree's binary makes of the sample book here. A Depends left
# out therefore fails: a library the binary links stops it starting, librsvg or the fonts change
# the output.
#   scripts/deb_fresh_root.sh [BUILD_DIR | FILE.deb]   (ctest DebFreshRoot, label "slow")
# Without a .deb it packs one with CPack from BUILD_DIR (default build/). Needs root, mmdebstrap
# and apt access to deb.debian.org; exits 77 (ctest: skipped) without root, mmdebstrap or the
# right to mount (a container without CAP_SYS_ADMIN).
# Everything happens in a tmpfs mounted in a mount namespace of its own: whatever way the script
# ends, the namespace goes and takes the root, its mounts and the scratch files with it; the only
# thing left on the host's disk is an empty mount point, removed on exit.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
self="$src/scripts/$(basename "$0")"
say() { echo "deb_fresh_root: $*"; }
fail() { echo "deb_fresh_root: FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# Step run by mmdebstrap inside the new root's setup (customize hook): $2 = the root.
if [ "${1:-}" = --customize ]; then
    root="$2" deb="$3" work="$4"
    say "mmdebstrap made the root ($(since "$5"))"
    t=$(now)
    cp "$deb" "$root/tmp/"
    # apt resolves the package's Depends from the archive. Of the Recommends (other scripts'
    # fonts, hyphenation dictionaries) only the dictionaries of the sample book's two languages
    # are asked for, so the Depends alone must make a working program.
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "/tmp/$(basename "$deb")" hyphen-es hyphen-en-us >"$work/apt.log" 2>&1 ||
        { tail -30 "$work/apt.log"; fail "apt-get install failed"; }
    rm "$root/tmp/$(basename "$deb")"
    say "apt installed $(grep -c '^Setting up' "$work/apt.log") packages ($(since "$t"))"
    chroot "$root" dpkg-query -W -f '${Package}\n' >"$work/installed.txt"

    t=$(now)
    chroot "$root" /usr/bin/imprenta --version >"$work/version.txt" 2>&1 ||
        { cat "$work/version.txt"; fail "the installed imprenta does not start"; }
    # The sample book in the author's home, built from a folder beside it by an ordinary user.
    mkdir -p "$root/home/autora/libro" "$root/home/autora/salida"
    cp -r "$src/book.toml" "$src/content" "$src/assets" "$root/home/autora/libro/"
    chown -R 65534:65534 "$root/home/autora"
    chroot --userspec=65534:65534 "$root" env -i HOME=/home/autora PATH=/usr/bin:/bin \
        SOURCE_DATE_EPOCH=1700000000 sh -c 'cd /home/autora/salida && imprenta build -o out ../libro' \
        >"$work/build.log" 2>&1 ||
        { cat "$work/build.log"; fail "the installed imprenta could not build the sample book"; }
    say "the installed binary built the sample book ($(since "$t")): $(tail -1 "$work/build.log")"
    exit 0
fi

# scripts/test.sh runs this beside the fuzzing and leaves its log and exit status in BUILD_DIR;
# ctest's DebFreshRoot then reports that run, so it counts in ctest's summary without a rerun.
if [ -d "${1:-}" ] && [ -f "$1/deb-fresh-root.status" ]; then
    cat "$1/deb-fresh-root.log"
    exit "$(cat "$1/deb-fresh-root.status")"
fi
if [ "$(id -u)" != 0 ]; then say "not root: skipped"; exit 77; fi
if ! command -v mmdebstrap >/dev/null; then say "mmdebstrap is not installed (apt-get install mmdebstrap): skipped"; exit 77; fi
if ! unshare --mount true 2>/dev/null; then say "no mount namespace here (a container without CAP_SYS_ADMIN?): skipped"; exit 77; fi

# Outside: an empty mount point, then the same script again in a private mount namespace, in a
# process group of its own so that an interrupt stops all of it (mmdebstrap, apt, dpkg) at once.
if [ -z "${DEB_FRESH_ROOT_SCRATCH:-}" ]; then
    scratch="$(mktemp -d)"
    trap 'rmdir "$scratch" 2>/dev/null || echo "deb_fresh_root: $scratch is not empty, left as it is" >&2' EXIT
    DEB_FRESH_ROOT_SCRATCH="$scratch" setsid unshare --mount --propagation private bash "$self" "$@" &
    inner=$!
    trap 'kill -TERM -- "-$inner" 2>/dev/null; wait "$inner"; exit 130' INT TERM
    status=0
    wait "$inner" || status=$?
    exit "$status"
fi

scratch="$DEB_FRESH_ROOT_SCRATCH"
mount -t tmpfs -o size=3g,mode=0755 deb-fresh-root "$scratch"
export TMPDIR="$scratch"
work="$scratch/work"
mkdir "$work"
start=$(now)

arg="${1:-$src/build}"
build=""
if [ -f "$arg" ]; then
    deb="$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")"
else
    build="$(cd "$arg" && pwd)"
    # DebPackage (scripts/deb_test.sh, which ctest runs first) leaves its package in package/.
    deb="$(ls -t "$build"/package/imprenta_*.deb 2>/dev/null | head -1 || true)"
    if [ -z "$deb" ] || [ "$build/imprenta" -nt "$deb" ]; then
        cmake --build "$build" --target imprenta man_page_gz >/dev/null
        (cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
            { cat "$work/cpack.log"; fail "cpack failed"; }
        deb="$(ls "$work"/pkg/imprenta_*.deb)"
    fi
fi
version="$(dpkg-deb -f "$deb" Version)"
say "$(basename "$deb"), Depends: $(dpkg-deb -f "$deb" Depends)"

# A fresh bookworm root with the sources of a Debian 12 install (point release, updates,
# security). dpkg's fsyncs are pointless in a tmpfs that is thrown away afterwards.
root="$scratch/root"
t=$(now)
mmdebstrap --variant=apt --mode=root --format=directory --dpkgopt=force-unsafe-io \
    --customize-hook="bash '$self' --customize \"\$1\" '$deb' '$work' '$t'" \
    bookworm "$root" "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" >"$work/mmdebstrap.log" 2>&1 ||
    { grep -vE '^(Get|Preparing|Unpacking|Selecting|Setting up)' "$work/mmdebstrap.log" | tail -40; fail "mmdebstrap failed"; }
grep '^deb_fresh_root' "$work/mmdebstrap.log"
say "fresh root, install and build: $(since "$t")"

# What the package put in place.
grep -qx "imprenta $version" "$work/version.txt" || fail "--version says '$(cat "$work/version.txt")', not $version"
grep -q '^\.TH IMPRENTA 1' <<<"$(zcat "$root/usr/share/man/man1/imprenta.1.gz")" || fail "no man page imprenta(1)"
[ -s "$root/usr/share/bash-completion/completions/imprenta" ] || fail "no bash completion"
[ -s "$root/usr/share/zsh/vendor-completions/_imprenta" ] || fail "no zsh completion"
for p in fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji; do
    ! grep -qx "$p" "$work/installed.txt" || fail "$p (a Recommends) was installed: the root is not minimal"
done

# What the installed binary wrote, from the copy of the sample book.
out="$root/home/autora/salida/out"
epub="$(ls "$out"/*.epub)" && pdf="$(ls "$out"/*.pdf)" || fail "no EPUB or PDF in $out"
chapters=$(grep -oE '^[0-9]+ chapters' "$work/build.log" | cut -d' ' -f1)
entries="$(unzip -Z1 "$epub")" || fail "the EPUB is not a zip"
[ "$(head -1 <<<"$entries")" = mimetype ] || fail "the EPUB's first entry is not mimetype"
grep -qE '\.opf$' <<<"$entries" || fail "the EPUB has no package document"
[ "$(grep -cE '^EPUB/text/c[0-9]+-[^/]*\.xhtml$' <<<"$entries")" = "${chapters:-none}" ] ||
    fail "the EPUB does not hold the ${chapters:-?} chapters the build reported: $entries"
[ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "the PDF has no PDF header"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
[ "${pages:-0}" -gt "$chapters" ] || fail "the PDF has ${pages:-no} pages"
grep -q "Gutenberg" <<<"$(pdftotext "$pdf" -)" || fail "the PDF does not give its text back"
# The book face comes from fonts-texgyre (a Depends): without it the text would fall back to DejaVu.
grep -q "TeXGyrePagella" <<<"$(pdffonts "$pdf")" || fail "TeX Gyre Pagella is not embedded: $(pdffonts "$pdf")"
grep -q " 0 warnings" "$work/build.log" || fail "the build warned: $(cat "$work/build.log")"

# The same EPUB and PDF as this build tree's binary makes on this machine: nothing in them
# depends on where the binary is installed or on what else the machine has.
if [ -n "$build" ] && [ -x "$build/imprenta" ]; then
    SOURCE_DATE_EPOCH=1700000000 "$build/imprenta" build -q -o "$work/here" "$src" >/dev/null
    for f in "$epub" "$pdf"; do
        cmp -s "$f" "$work/here/$(basename "$f")" ||
            fail "the fresh root's $(basename "$f") differs from the build tree's"
    done
    say "its EPUB and PDF are byte-identical to the build tree's"
fi
say "installed $(basename "$deb") in a fresh Debian 12 root, built the sample book: ok ($(since "$start") in all)"
