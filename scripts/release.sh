#!/usr/bin/env bash
# The release steps of docs/release-workflow.yml as a plain script: check the book, build the
# EPUB and the PDF named for the release, and verify SHA256SUMS.
#   scripts/release.sh [BOOK_DIR] [OUT_DIR] [VERSION]
# VERSION defaults to book.toml's `version`, else to the git tag (v1.2.0 -> 1.2.0) in $GITHUB_REF_NAME.
# IMPRENTA names the binary (default: build/imprenta of this repository, else imprenta on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
book="${1:-.}"
out="${2:-$book/dist}"
version="${3:-}"
if [ -z "$version" ] && [ -n "${GITHUB_REF_NAME:-}" ]; then version="${GITHUB_REF_NAME#v}"; fi
imprenta="${IMPRENTA:-}"
if [ -z "$imprenta" ]; then
    if [ -x "$here/build/imprenta" ]; then imprenta="$here/build/imprenta"; else imprenta=imprenta; fi
fi
# Same inputs, same bytes: the release's date is the last commit's when there is one.
if [ -z "${SOURCE_DATE_EPOCH:-}" ] && git -C "$book" rev-parse HEAD >/dev/null 2>&1; then
    SOURCE_DATE_EPOCH="$(git -C "$book" log -1 --format=%ct)"
    export SOURCE_DATE_EPOCH
fi

echo "== imprenta check $book"
"$imprenta" check "$book"
echo "== imprenta build $book -o $out ${version:+--release-version $version}"
"$imprenta" build "$book" -o "$out" ${version:+--release-version "$version"}
if [ ! -f "$out/SHA256SUMS" ]; then
    echo "release.sh: no SHA256SUMS in $out: set version in book.toml or pass a VERSION" >&2
    exit 1
fi
echo "== sha256sum -c"
(cd "$out" && sha256sum -c SHA256SUMS)
echo "== release files"
(cd "$out" && cut -d' ' -f3- SHA256SUMS && echo SHA256SUMS)
