#!/usr/bin/env bash
# Quick start, step 2: the whole test suite. Installs and builds first (scripts/setup.sh), runs
# the sanitizer build and the fuzz targets (unless IMPRENTA_QUICK=1), and ends with ctest's summary
# of the unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

if [ "${IMPRENTA_QUICK:-0}" != 1 ] && [ -f scripts/sanitize.sh ]; then
    bash scripts/sanitize.sh
fi
if [ "${IMPRENTA_QUICK:-0}" != 1 ] && [ -f scripts/fuzz.sh ]; then
    bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
fi

cd build
ctest --output-on-failure -j"$jobs" --timeout 900
