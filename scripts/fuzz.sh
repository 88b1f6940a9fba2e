#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang + ASan + UBSan) in build-fuzz/, replays the saved
# regressions (tests/fuzz/regressions/<target>/), then fuzzes every target for SECONDS each from a
# scratch copy of its seed corpus. Prints one summary line per target; exits non-zero on any
# finding (the input is saved under build-fuzz/fuzz-artifacts/).
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     (default 60 s, every target)
# Environment: FUZZ_SEED (libFuzzer seed, default 1; 0 = random), FUZZ_BUILD_DIR (default build-fuzz), FUZZ_JOBS (targets run side by side, default
# the number of cores), FUZZ_KEEP_CORPUS=1 (keep the grown corpora in build-fuzz/fuzz-corpus/; later
# runs start from them as well as from the seeds).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}

if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ is missing (apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for src in tests/fuzz/fuzz_*.cpp; do
        targets+=("$(basename "$src" .cpp)")
    done
fi

echo "fuzz: building ${targets[*]} in $build"
# A build folder scripts/sanitize.sh made keeps its tests (it shares this build); a new one
# builds the library and the fuzz targets only.
tests=()
[ -f "$build/CMakeCache.txt" ] || tests=(-DIMPRENTA_TESTS=OFF)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DIMPRENTA_FUZZ=ON "${tests[@]}" >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log"; exit 1; }
rm -f "$build.configure.log"
if ! cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >"$build/fuzz-build.log" 2>&1; then
    grep -E "error|Error" "$build/fuzz-build.log" | head -40
    echo "fuzz: build failed (log: $build/fuzz-build.log)" >&2
    exit 1
fi

artifacts="$root/$build/fuzz-artifacts"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"
failed=0

# Saved reproducers of past findings must pass before anything new is looked for.
for t in "${targets[@]}"; do
    dir=tests/fuzz/regressions/$t
    [ -d "$dir" ] || continue
    files=$(find "$dir" -type f ! -name '*.md5' ! -name 'README*' | sort)
    [ -n "$files" ] || continue
    for f in $files; do
        if ! TMPDIR=$scratch "$build/tests/fuzz/$t" -runs=1 "$f" >"$scratch/replay.log" 2>&1; then
            echo "fuzz: $t: regression $f fails:"
            grep -E "FUZZ CHECK FAILED|ERROR: |runtime error|SUMMARY" "$scratch/replay.log" | head -5
            failed=1
        fi
    done
done

run_target() {
    local t=$1
    local corpus=$scratch/corpus-$t log=$scratch/$t.log dict=
    mkdir -p "$corpus" "$scratch/tmp-$t"
    [ -d "tests/fuzz/corpus/$t" ] && cp -r "tests/fuzz/corpus/$t/." "$corpus/"
    # A corpus kept by an earlier FUZZ_KEEP_CORPUS=1 run picks up where that run stopped.
    [ -d "$root/$build/fuzz-corpus/$t" ] && cp -r "$root/$build/fuzz-corpus/$t/." "$corpus/"
    local short=${t#fuzz_}
    [ -f "tests/fuzz/$short.dict" ] && dict="-dict=tests/fuzz/$short.dict"
    # A fixed seed (FUZZ_SEED, default 1) makes a CI run repeatable; FUZZ_SEED=0 picks one at random.
    TMPDIR=$scratch/tmp-$t "$build/tests/fuzz/$t" "$corpus" $dict -max_total_time="$seconds" -timeout=30 \
        -seed="${FUZZ_SEED:-1}" -rss_limit_mb=2560 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$t-" >"$log" 2>&1
    local rc=$?
    local runs cov ft corp
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    if [ "$rc" -eq 0 ]; then
        printf 'fuzz: %-16s ok      %9s runs in %ss, cov %s, features %s, corpus %s\n' \
            "$t" "${runs:-?}" "$seconds" "${cov:-?}" "${ft:-?}" "${corp:-?}"
    else
        local art
        art=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
        printf 'fuzz: %-16s FAILED  %9s runs, cov %s; input: %s\n' "$t" "${runs:-?}" "${cov:-?}" \
            "${art:-none saved}"
        grep -E "FUZZ CHECK FAILED|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY" \
            "$log" | head -5 | sed 's/^/    /'
        cp "$log" "$artifacts/$t.log"
        echo "    full log: $artifacts/$t.log; replay: $build/tests/fuzz/$t <input>"
    fi
    if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
        mkdir -p "$root/$build/fuzz-corpus/$t"
        cp -r "$corpus/." "$root/$build/fuzz-corpus/$t/"
    fi
    return $rc
}

for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n 2>/dev/null || true
    done
    (
        run_target "$t"
        echo $? >"$scratch/$t.rc"
    ) &
done
wait
for t in "${targets[@]}"; do
    [ "$(cat "$scratch/$t.rc" 2>/dev/null)" = 0 ] || failed=1
done

if [ $failed -ne 0 ]; then
    echo "fuzz: FAILED (inputs in $artifacts; save a reproducer as tests/fuzz/regressions/<target>/)"
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no findings"
