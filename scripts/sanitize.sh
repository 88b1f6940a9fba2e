#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer and runs the unit tests and
# the integration tests that feed the binary hostile or unusual input, so any memory error, leak or
# undefined behaviour fails the run. Exits non-zero on any failure.
#
# The build is shared with scripts/fuzz.sh: with clang (the default when installed) it is build-fuzz/
# configured with IMPRENTA_FUZZ=ON and the tests, so the suite pays for one sanitizer build, not two.
# Without clang (or with SANITIZE_GCC=1) it is a gcc build in build-asan/ (IMPRENTA_SANITIZE=ON).
#
# Usage: scripts/sanitize.sh [ctest -R regex]
#   default: every unit test plus the integration suites in SANITIZE_INTEGRATION below;
#   SANITIZE_ALL=1 runs the whole integration suite.
# Environment: SANITIZE_BUILD_DIR overrides the build folder.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

# The hostile-input suite is what sanitizers are for; Cli covers argument handling. The other
# integration suites build the same few good books again and again (and spend their time in java
# for epubcheck), which the plain ctest run of scripts/test.sh already covers.
SANITIZE_INTEGRATION=${SANITIZE_INTEGRATION:-'^(BadInput|Cli)'}

if command -v clang++ >/dev/null && [ "${SANITIZE_GCC:-0}" != 1 ]; then
    build=${SANITIZE_BUILD_DIR:-build-fuzz}
    config=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DIMPRENTA_FUZZ=ON)
else
    build=${SANITIZE_BUILD_DIR:-build-asan}
    config=(-DIMPRENTA_SANITIZE=ON)
fi

echo "sanitize: building $build (ASan + UBSan)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${config[@]}" \
    -DIMPRENTA_TESTS=ON >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
rm -f "$build.configure.log"
if ! cmake --build "$build" -j"$jobs" >"$build/sanitize-build.log" 2>&1; then
    grep -E "error|Error" "$build/sanitize-build.log" | head -40
    echo "sanitize: build failed (log: $build/sanitize-build.log)" >&2
    exit 1
fi

# LeakSanitizer needs ptrace-like access some sandboxes deny; use it wherever it works.
leaks=1
probe=$(ASAN_OPTIONS=detect_leaks=1 "$build/imprenta" --version 2>&1 >/dev/null)
if echo "$probe" | grep -q "LeakSanitizer has encountered a fatal error\|does not work under ptrace"; then
    echo "sanitize: LeakSanitizer does not work here; running without leak detection"
    leaks=0
fi
export ASAN_OPTIONS="detect_leaks=$leaks:abort_on_error=0:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp:print_suppressions=0"
[ -f scripts/lsan.supp ] || unset LSAN_OPTIONS

cd "$build"
status=0
if [ $# -gt 0 ]; then
    ctest --output-on-failure -j"$jobs" --timeout 900 -R "$1" || status=1
elif [ "${SANITIZE_ALL:-0}" = 1 ]; then
    ctest --output-on-failure -j"$jobs" --timeout 900 || status=1
else
    ctest --output-on-failure -j"$jobs" --timeout 900 -L unit || status=1
    ctest --output-on-failure -j"$jobs" --timeout 900 -L integration -R "$SANITIZE_INTEGRATION" ||
        status=1
fi
if [ $status -ne 0 ]; then
    echo "sanitize: FAILED" >&2
    exit 1
fi
echo "sanitize: ok (ASan + UBSan, leak detection $([ $leaks = 1 ] && echo on || echo off))"
