#!/usr/bin/env bash
# Times imprenta (and pandoc, pandoc + WeasyPrint, Typst when installed) on generated books.
#
#   bench/run.sh [N_EPUB=200] [N_PDF=40] [N_BIG=1000]
#
# Environment: BENCH_WORK (scratch folder, default build-bench/bench-work), IMPRENTA (binary to
# time; by default build-bench/imprenta, first brought up to date as a Release build), PANDOC_FROM (gfm | markdown,
# default gfm), BENCH_SKIP_PANDOC=1 (no pandoc rows), BENCH_REPEAT=K (run each command K times,
# default 3, and keep the fastest run: the least disturbed by other load). Not a test: nothing here is run by ctest.
# BENCH_SKIP_IMAGES=1: no image-heavy rows (bench/images.sh, run at the end).
# BENCH_SKIP_INCREMENTAL=1: no one-essay-edit rows (bench/incremental.sh, run at the end).
# Typst rows (the 40-essay book converted by bench/md_to_typst.py, untimed, then compiled) when a
# `typst` CLI is on PATH, or else when the npm package @myriaddreamin/typst-ts-node-compiler (a
# native Typst compiler; not a Debian package) is installed under TYPST_TS_NODE_MODULES (default
# /opt/typst-ts/node_modules) and node is there; bench/README.md says how to install it.
# shellcheck disable=SC2154 # T_*, C_*, M_* are set through printf -v in measure()
set -euo pipefail

N_EPUB=${1:-200}
N_PDF=${2:-40}
N_BIG=${3:-1000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$ROOT/build-bench
IMPRENTA=${IMPRENTA:-$BUILD/imprenta}
WORK=${BENCH_WORK:-$BUILD/bench-work}
PANDOC_FROM=${PANDOC_FROM:-gfm}
REPEAT=${BENCH_REPEAT:-3}
TIME=/usr/bin/time

if [[ ! -x $TIME ]]; then
    echo "run.sh: /usr/bin/time is missing: apt-get install -y time" >&2
    exit 2
fi
if [[ $IMPRENTA == "$BUILD/imprenta" ]]; then
    # Brings the Release binary up to date; a tree that does not build right now (someone is
    # mid-edit) falls back to the binary already there.
    echo "building $IMPRENTA (Release)..." >&2
    mkdir -p "$BUILD"
    if ! { cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DIMPRENTA_TESTS=OFF &&
        make -C "$BUILD" -j"$(nproc)" imprenta; } >"$BUILD/bench-build.log" 2>&1; then
        [[ -x $IMPRENTA ]] || { echo "run.sh: build failed, see $BUILD/bench-build.log" >&2; exit 1; }
        echo "run.sh: build failed (see $BUILD/bench-build.log); timing the existing binary" >&2
    fi
fi

# ---- header ------------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)
echo "command:   bench/run.sh $N_EPUB $N_PDF $N_BIG"
echo "date:      $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine:   nproc=$(nproc), CPU: ${cpu:-unknown}, RAM: $mem, $(uname -sr)"
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (wall times are only comparable on an idle machine)"
echo "imprenta:  $("$IMPRENTA" --version 2>&1 | head -1) ($IMPRENTA)" \
     "git $(git -C "$(dirname "$IMPRENTA")" describe --always --dirty 2>/dev/null || echo '?') (the checkout the binary sits in)" \
     "IMPRENTA_THREADS=${IMPRENTA_THREADS:-unset}"
have_pandoc=0
have_weasy=0
if [[ -z ${BENCH_SKIP_PANDOC:-} ]] && command -v pandoc >/dev/null; then
    have_pandoc=1
    echo "pandoc:    $(pandoc --version | head -1), -f $PANDOC_FROM"
    if command -v weasyprint >/dev/null; then
        have_weasy=1
        echo "weasyprint: $(weasyprint --version 2>&1 | head -1)"
    fi
else
    echo "pandoc:    not installed (or BENCH_SKIP_PANDOC): no comparison rows"
fi
# typst_kind: cli (a typst binary), ts (the npm compiler, timed by bench/typst_compile.js) or none.
typst_kind=none
TYPST_TS=${TYPST_TS_NODE_MODULES:-/opt/typst-ts/node_modules}
if ! command -v pandoc >/dev/null; then
    echo "typst:     no pandoc to read the book for bench/md_to_typst.py: no Typst row"
elif command -v typst >/dev/null; then
    typst_kind=cli
    typst_version=$(typst --version 2>&1 | head -1)
    echo "typst:     $typst_version ($(command -v typst))"
elif command -v node >/dev/null && [[ -d $TYPST_TS/@myriaddreamin/typst-ts-node-compiler ]] &&
    typst_version=$(TYPST_TS_NODE_MODULES=$TYPST_TS node "$HERE/typst_compile.js" --version 2>&1); then
    typst_kind=ts
    echo "typst:     $typst_version in $TYPST_TS, node $(node --version)"
else
    echo "typst:     not installed (no typst CLI; no npm compiler in $TYPST_TS, see bench/README.md): no Typst row"
fi
echo

# ---- corpora -----------------------------------------------------------------------------------
mkdir -p "$WORK"
GEN_SUM=$(sha256sum "$HERE/gen_book.py" | cut -c1-16)
book() { # book N -> folder; regenerated only when gen_book.py changed (it is deterministic)
    local dir=$WORK/book-$1
    if [[ $(cat "$dir/.generated-by" 2>/dev/null) != "$GEN_SUM" ]]; then
        rm -rf "$dir"
        python3 "$HERE/gen_book.py" "$1" "$dir" 2>"$WORK/log.gen-$1" ||
            { echo "run.sh: gen_book.py failed, see $WORK/log.gen-$1" >&2; exit 1; }
        echo "$GEN_SUM" >"$dir/.generated-by"
    fi
    echo "$dir"
}
B_EPUB=$(book "$N_EPUB")
B_PDF=$(book "$N_PDF")
B_BIG=$(book "$N_BIG")
mb() { du -sb "$1/content" | awk '{printf "%.1f MB", $1 / 1e6}'; }
echo "corpora:   $N_EPUB essays ($(mb "$B_EPUB")), $N_PDF essays ($(mb "$B_PDF")), $N_BIG essays ($(mb "$B_BIG")) of Markdown in $WORK"
echo

# ---- measuring ---------------------------------------------------------------------------------
# measure NAME CMD...: runs CMD under /usr/bin/time, sets T_<NAME> (wall s), C_<NAME> (user+sys
# CPU s) and M_<NAME> (peak RSS KB). SHOW replaces the command line in the listing.
CMDS=()
SHOW=
measure() {
    local name=$1
    shift
    local tf=$WORK/time.$name log=$WORK/log.$name best_t='' best_c='' best_m='' k
    CMDS+=("$name: ${SHOW:-$*}")
    SHOW=
    for ((k = 0; k < REPEAT; k++)); do
        # Wall time from the nanosecond clock: /usr/bin/time's %e has 10 ms steps, 8% of a
        # 130 ms build. /usr/bin/time still gives peak RSS and CPU.
        local t0 t1
        t0=$(date +%s%N)
        if ! "$TIME" -f '%e %M %U %S' -o "$tf" "$@" >"$log" 2>&1; then
            echo "run.sh: '$*' failed, see $log" >&2
            tail -5 "$log" >&2
            exit 1
        fi
        t1=$(date +%s%N)
        read -r _ m u s <"$tf"
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
        if [[ -z $best_t ]] || awk -v a="$t" -v b="$best_t" 'BEGIN {exit !(a < b)}'; then
            best_t=$t
            best_m=$m
            best_c=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')
        fi
    done
    printf -v "T_$name" '%s' "$best_t"
    printf -v "C_$name" '%s' "$best_c"
    printf -v "M_$name" '%s' "$best_m"
}
imp() { # imp BOOK FORMAT OUT [cache args]
    local b=$1 f=$2 o=$3
    shift 3
    "$IMPRENTA" build "$b" -o "$o" --format "$f" -q "$@"
}
run_imprenta() { # run_imprenta NAME BOOK FORMAT: an uncached run, then a run with a warm cache
    local name=$1 b=$2 f=$3 cache=$WORK/cache-$1
    rm -rf "$cache" "$WORK/out-$name"
    measure "$name" "$IMPRENTA" build "$b" -o "$WORK/out-$name" --format "$f" -q --no-cache
    imp "$b" "$f" "$WORK/out-$name" --cache-dir "$cache" >/dev/null 2>&1 # fills the cache
    measure "${name}_c" "$IMPRENTA" build "$b" -o "$WORK/out-$name" --format "$f" -q \
        --cache-dir "$cache"
}

# Warm-up: page cache, dynamic loader, fonts.
imp "$B_PDF" epub,pdf "$WORK/out-warmup" --no-cache >/dev/null 2>&1

run_imprenta epub "$B_EPUB" epub
run_imprenta pdf "$B_PDF" pdf
run_imprenta both "$B_EPUB" epub,pdf
rm -rf "$WORK/out-big"
measure big "$IMPRENTA" build "$B_BIG" -o "$WORK/out-big" --format epub,pdf -q --no-cache

if ((have_pandoc)); then
    essays_epub=("$B_EPUB"/content/*.md) # generated names sort in reading order
    SHOW="pandoc -f $PANDOC_FROM --resource-path=$B_EPUB/assets -o $WORK/pandoc.epub --metadata title=X $B_EPUB/content/*.md (${#essays_epub[@]} files, sorted)"
    measure pandoc_epub pandoc -f "$PANDOC_FROM" --resource-path="$B_EPUB/assets" \
        -o "$WORK/pandoc.epub" --metadata title=X "${essays_epub[@]}"
    if ((have_weasy)); then
        essays_pdf=("$B_PDF"/content/*.md)
        SHOW="pandoc -f $PANDOC_FROM --pdf-engine=weasyprint --resource-path=$B_PDF/assets -o $WORK/pandoc.pdf --metadata title=X $B_PDF/content/*.md (${#essays_pdf[@]} files, sorted)"
        measure pandoc_pdf pandoc -f "$PANDOC_FROM" --pdf-engine=weasyprint \
            --resource-path="$B_PDF/assets" -o "$WORK/pandoc.pdf" --metadata title=X \
            "${essays_pdf[@]}"
    fi
fi
if [[ $typst_kind != none ]]; then
    # The conversion is not timed: Typst's row is its compile of the same 40 essays. It is redone
    # only when the book or the converter changed.
    typ=$WORK/typst-book-$N_PDF.typ
    typ_key="$GEN_SUM $(sha256sum "$HERE/md_to_typst.py" | cut -c1-16)"
    if [[ $(cat "$typ.key" 2>/dev/null) != "$typ_key" ]]; then
        python3 "$HERE/md_to_typst.py" "$B_PDF" "$typ" 2>"$WORK/log.md_to_typst" ||
            { echo "run.sh: md_to_typst.py failed, see $WORK/log.md_to_typst" >&2; exit 1; }
        echo "$typ_key" >"$typ.key"
    fi
    rm -f "$WORK/typst.times"
    if [[ $typst_kind == cli ]]; then
        SHOW="typst compile --root $WORK $typ $WORK/typst.pdf (from bench/md_to_typst.py $B_PDF)"
        measure typst_pdf typst compile --root "$WORK" "$typ" "$WORK/typst.pdf"
    else
        SHOW="node bench/typst_compile.js $typ $WORK/typst.pdf --root $WORK (from bench/md_to_typst.py $B_PDF)"
        measure typst_pdf env TYPST_TS_NODE_MODULES="$TYPST_TS" node "$HERE/typst_compile.js" \
            "$typ" "$WORK/typst.pdf" --root "$WORK" --times "$WORK/typst.times"
    fi
fi

# ---- report ------------------------------------------------------------------------------------
rss() { awk -v k="$1" 'BEGIN {printf "%.0f MB", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1f", a / b; else print "inf"}'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" \
    'BEGIN {ok = (op == ">=") ? v >= t : (op == "<=") ? v <= t : v < t; print ok ? "met" : "MISSED"}'; }
row() { printf '| %-44s | %8s | %7s | %8s | %s\n' "$1" "$2" "$3" "$4" "$5"; }
r() { row "$1" "$(eval echo "\$T_$2")" "$(eval echo "\$C_$2")" "$(rss "$(eval echo "\$M_$2")")" "${3:-}"; }

pages=$(pdfinfo "$WORK"/out-pdf/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
row "run" "wall s" "CPU s" "peak RSS" "notes"
row "--------------------------------------------" "--------" "-------" "--------" "-----"
r "imprenta EPUB, $N_EPUB essays, --no-cache" epub
r "imprenta EPUB, $N_EPUB essays, cached images" epub_c
r "imprenta PDF, $N_PDF essays, --no-cache" pdf "${pages:-?} pages"
r "imprenta PDF, $N_PDF essays, cached images" pdf_c
r "imprenta EPUB+PDF, $N_EPUB essays, --no-cache" both
r "imprenta EPUB+PDF, $N_EPUB essays, cached" both_c
big_ratio=$(ratio "$T_big" "$T_both")
r "imprenta EPUB+PDF, $N_BIG essays, --no-cache" big \
    "${big_ratio}x the wall time of $N_EPUB ($(ratio "$C_big" "$C_both")x CPU)"
if ((have_pandoc)); then
    r_epub=$(ratio "$T_pandoc_epub" "$T_epub")
    r "pandoc EPUB, $N_EPUB essays" pandoc_epub \
        "imprenta ${r_epub}x faster (wall), $(ratio "$C_pandoc_epub" "$C_epub")x less CPU"
    if ((have_weasy)); then
        r_pdf=$(ratio "$T_pandoc_pdf" "$T_pdf")
        r "pandoc + WeasyPrint PDF, $N_PDF essays" pandoc_pdf \
            "imprenta ${r_pdf}x faster (wall), $(ratio "$C_pandoc_pdf" "$C_pdf")x less CPU"
    fi
fi
if [[ $typst_kind == ts ]]; then
    # The verdict's figure: typst_compile.js's own clock, from loading the compiler to the PDF
    # written, as a typst CLI run would count; node's start is left out (the fastest run).
    read -r T_typst_in C_typst_in _ < <(sort -n "$WORK/typst.times" | head -1)
    # shellcheck disable=SC2034 # read by r() through eval
    M_typst_in=$M_typst_pdf
    typst_pages=$(pdfinfo "$WORK/typst.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
    r_typst=$(ratio "$T_typst_in" "$T_pdf")
    c_typst=$(ratio "$C_typst_in" "$C_pdf")
    r "${typst_version%% (*} PDF, $N_PDF essays (in-process)" typst_in \
        "imprenta ${r_typst}x faster (wall), ${c_typst}x less CPU; ${typst_pages:-?} pages"
    r "  the same, whole node process" typst_pdf \
        "imprenta $(ratio "$T_typst_pdf" "$T_pdf")x faster (wall), $(ratio "$C_typst_pdf" "$C_pdf")x less CPU"
elif [[ $typst_kind == cli ]]; then
    typst_pages=$(pdfinfo "$WORK/typst.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
    r_typst=$(ratio "$T_typst_pdf" "$T_pdf")
    c_typst=$(ratio "$C_typst_pdf" "$C_pdf")
    r "typst compile PDF, $N_PDF essays" typst_pdf \
        "imprenta ${r_typst}x faster (wall), ${c_typst}x less CPU; ${typst_pages:-?} pages"
else
    row "typst PDF, $N_PDF essays" "-" "-" "-" "typst: not installed (see bench/README.md)"
fi
python3 "$HERE/typo_counts.py" --label "typography of the PDF, $N_PDF essays:" "$WORK"/out-pdf/*.pdf ||
    echo "typography: not counted (bench/typo_counts.py failed)"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); each row is the fastest of $REPEAT run(s)"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN {exit !(l > n)}'; then
    echo "WARNING: the machine was busy: wall times and ratios are inflated by other load;"
    echo "         the CPU column (user+sys) is the steadier measure."
fi
echo
echo "targets (verdict on wall time; the CPU figure is in brackets):"
target() { printf '  %-56s %-22s %s\n' "$1" "$2" "$3"; }
if ((have_pandoc)); then
    target "EPUB of $N_EPUB essays >= 50x faster than pandoc" \
        "${r_epub}x ($(ratio "$C_pandoc_epub" "$C_epub")x CPU)" "$(verdict "$r_epub" '>=' 50)"
    if ((have_weasy)); then
        target "PDF of $N_PDF essays >= 100x faster than pandoc+WeasyPrint" \
            "${r_pdf}x ($(ratio "$C_pandoc_pdf" "$C_pdf")x CPU)" "$(verdict "$r_pdf" '>=' 100)"
    fi
fi
if [[ $typst_kind != none ]]; then
    target "PDF of $N_PDF essays >= 12x faster than Typst" \
        "${r_typst}x (${c_typst}x CPU)" "$(verdict "$r_typst" '>=' 12)"
else
    target "PDF of $N_PDF essays >= 12x faster than Typst" "-" "not measured: typst not installed"
fi
both_mb=$(awk -v k="$M_both" 'BEGIN {printf "%.0f", k / 1024}')
target "peak RSS of EPUB+PDF for $N_EPUB essays < 300 MB" "${both_mb} MB" \
    "$(verdict "$both_mb" '<' 300)"
target "EPUB+PDF of $N_BIG essays <= 5.5x the time of $N_EPUB" \
    "${big_ratio}x ($(ratio "$C_big" "$C_both")x CPU)" "$(verdict "$big_ratio" '<=' 5.5)"
echo
echo "commands (logs in $WORK/log.*):"
printf '  %s\n' "${CMDS[@]}"

# ---- one-essay edits under watch ---------------------------------------------------------------
if [[ -z ${BENCH_SKIP_INCREMENTAL:-} ]]; then
    echo
    IMPRENTA=$IMPRENTA BENCH_WORK=$WORK bash "$HERE/incremental.sh" "$N_EPUB" "$N_PDF" ||
        echo "run.sh: the incremental part failed (see above)" >&2
fi

# ---- image-heavy books -------------------------------------------------------------------------
if [[ -z ${BENCH_SKIP_IMAGES:-} ]]; then
    echo
    IMPRENTA=$IMPRENTA BENCH_WORK=$WORK BENCH_REPEAT=$REPEAT bash "$HERE/images.sh" ||
        echo "run.sh: the image-heavy part failed (see above)" >&2
fi
