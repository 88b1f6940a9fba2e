#!/usr/bin/env bash
# Quick start, step 1: installs the Debian 12 packages building and running need that are missing
# (scripts/deps.txt; the test tools are scripts/test.sh's), builds the imprenta binary alone into
# build/ (not the tests), and builds the sample book (this folder) into dist/. Each step says what
# it does and how long it took. Environment: BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
start=$SECONDS
step() { echo "setup: [$1/4] $2 (at $((SECONDS - start)) s)"; }

step 1 "Debian packages (scripts/deps.txt)"
bash scripts/install_deps.sh scripts/deps.txt

step 2 "configuring in $build/"
config=(-DCMAKE_BUILD_TYPE=Release)
# The test suite needs GoogleTest, which only scripts/test.sh installs.
dpkg-query -W -f='${Status}' libgtest-dev 2>/dev/null | grep -q 'install ok installed' ||
    config+=(-DIMPRENTA_TESTS=OFF)
if command -v ccache >/dev/null && [ "${CCACHE_DISABLE:-0}" != 1 ]; then
    config+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" "${config[@]}" >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log"; exit 1; }
rm -f "$build.configure.log"

step 3 "compiling $build/imprenta on $(nproc) cores (make's [ NN%] is the progress)"
# Only the binary: its sources, the embedded templates and the man page. Make's lines, shortened
# to the percentage and the file; warnings and errors in full.
set +e
cmake --build "$build" -j"$(nproc)" --target imprenta 2>&1 |
    sed -u -E 's|^\[ *([0-9]+)%\] Building C(XX)? object CMakeFiles/[^/]+/(.*)\.o$|setup: [\1%] \3|;
               s|^\[ *([0-9]+)%\] Linking .*executable (.*)$|setup: [\1%] linking \2|' |
    grep --line-buffered -vE '^(\[ *[0-9]+%\]|gmake|make)'
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || { echo "setup: the build failed (messages above)" >&2; exit 1; }

step 4 "building the sample book into dist/"
"./$build/imprenta" build . -o dist
echo "setup: done in $((SECONDS - start)) s. Try: ./$build/imprenta help"
