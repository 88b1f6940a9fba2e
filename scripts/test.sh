#!/usr/bin/env bash
# Quick start, step 2: the whole test suite. Runs scripts/setup.sh (packages, binary, sample
# book), installs the test tools (scripts/deps-test.txt), builds the unit and integration tests,
# runs the sanitizer build and the fuzz targets (unless IMPRENTA_QUICK=1), and ends with ctest's
# summary of the unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
jobs=$(nproc)
bash scripts/setup.sh

echo "test: Debian packages for the tests (scripts/deps-test.txt)"
bash scripts/install_deps.sh scripts/deps-test.txt
echo "test: building the tests in $build/"
cmake -S . -B "$build" -DIMPRENTA_TESTS=ON >/dev/null
if ! cmake --build "$build" -j"$jobs" >"$build/test-build.log" 2>&1; then
    grep -E -A3 'error|Error' "$build/test-build.log" | head -60
    echo "test: the build failed (log: $build/test-build.log)" >&2
    exit 1
fi
grep -E -A3 'warning' "$build/test-build.log" || true

if [ "${IMPRENTA_QUICK:-0}" != 1 ] && [ -f scripts/sanitize.sh ]; then
    bash scripts/sanitize.sh
fi
# The .deb in a fresh Debian root (scripts/deb_fresh_root.sh: ~45 s, mostly dpkg on one core)
# runs beside the fuzzing, which lasts a fixed time however busy the cores are, so it adds no
# wall time; its log and exit status are left in the build folder for ctest's DebFreshRoot to
# report (and removed when this script ends, so that a later ctest runs it afresh).
fresh_root="" fresh_log="$(cd "$build" && pwd)/deb-fresh-root.log"
fresh_status_file="$(cd "$build" && pwd)/deb-fresh-root.status"
rm -f "$fresh_status_file"
stop_fresh_root() {
    [ -z "$fresh_root" ] || kill -TERM "$fresh_root" 2>/dev/null || true
    rm -f "$fresh_status_file"
}
trap stop_fresh_root EXIT
if [ "${IMPRENTA_QUICK:-0}" != 1 ] && [ -f scripts/fuzz.sh ]; then
    if [ "$(id -u)" = 0 ] && command -v mmdebstrap >/dev/null; then
        bash scripts/deb_fresh_root.sh "$build" >"$fresh_log" 2>&1 &
        fresh_root=$!
    fi
    bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
fi
if [ -n "$fresh_root" ]; then
    fresh_status=0
    wait "$fresh_root" || fresh_status=$?
    fresh_root=""
    echo "$fresh_status" >"$fresh_status_file"
fi

cd "$build"
ctest --output-on-failure -j"$jobs" --timeout 900
