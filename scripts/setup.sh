#!/usr/bin/env bash
# Quick start, step 1: installs the Debian 12 packages that are missing (scripts/deps.txt),
# builds imprenta into build/, and builds the sample book (this folder) into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in $(grep -v '^#' scripts/deps.txt); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" 2>&1 | grep -E 'error|warning|Error' || true
test -x build/imprenta
./build/imprenta build . -o dist
