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
if [ "${IMPRENTA_QUICK:-0}" != 1 ] && [ -f scripts/fuzz.sh ]; then
    bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
fi

cd "$build"
ctest --output-on-failure -j"$jobs" --timeout 900
