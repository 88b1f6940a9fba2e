#!/usr/bin/env bash
# Times imprenta on image-heavy books, cold (--no-cache) and warm (cached images), beside the
# decode floor: the reference decoders' time for the same images (dwebp, djpeg; PNG as zlib
# inflate), spread over the cores, plus the warm build.
#
#   bench/images.sh [N_BANNERS=24]
#
# Books: a generated one (bench/gen_images.py: N essays, each with a WebP 2464x1856, JPEG
# 3000x2000 or PNG 2000x1500 banner), and the Crónica (../shared/cronica, Spanish edition, 23
# WebP banners) when it is there. Environment as bench/run.sh: IMPRENTA, BENCH_WORK,
# BENCH_REPEAT. Needs dwebp and cwebp (webp), djpeg and cjpeg (libjpeg-turbo-progs).
set -euo pipefail

N=${1:-24}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$ROOT/build-bench
IMPRENTA=${IMPRENTA:-$BUILD/imprenta}
WORK=${BENCH_WORK:-$BUILD/bench-work}
REPEAT=${BENCH_REPEAT:-3}
CORES=$(nproc)

for tool in dwebp cwebp djpeg cjpeg /usr/bin/time; do
    command -v "$tool" >/dev/null ||
        { echo "images.sh: $tool is missing: apt-get install -y webp libjpeg-turbo-progs time" >&2; exit 2; }
done
[[ -x $IMPRENTA ]] || { echo "images.sh: no binary at $IMPRENTA (run bench/run.sh first or set IMPRENTA)" >&2; exit 2; }
mkdir -p "$WORK"

# best WALL_VAR CPU_VAR CMD...: fastest wall time of REPEAT runs (nanosecond clock) and its CPU.
best() {
    local wv=$1 cv=$2 k t0 t1 w c bw='' bc=''
    shift 2
    for ((k = 0; k < REPEAT; k++)); do
        t0=$(date +%s%N)
        /usr/bin/time -f '%U %S' -o "$WORK/time.img" "$@" >"$WORK/log.img" 2>&1 ||
            { echo "images.sh: '$*' failed:" >&2; tail -5 "$WORK/log.img" >&2; exit 1; }
        t1=$(date +%s%N)
        w=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
        c=$(awk '{printf "%.2f", $1 + $2}' "$WORK/time.img")
        if [[ -z $bw ]] || awk -v a="$w" -v b="$bw" 'BEGIN {exit !(a < b)}'; then bw=$w bc=$c; fi
    done
    printf -v "$wv" '%s' "$bw"
    printf -v "$cv" '%s' "$bc"
}

# The reference decoders over every banner of a folder, one after another (CPU = the floor).
decode_all() {
    local f
    for f in "$@"; do
        case $f in
        *.webp) dwebp -quiet "$f" -ppm -o /dev/null ;;
        *.jpg | *.jpeg) djpeg "$f" >/dev/null ;;
        *.png) python3 -c 'import sys, zlib, struct
d = open(sys.argv[1], "rb").read(); i = 8; z = b""
while i < len(d):
    n, = struct.unpack(">I", d[i:i + 4]); k = d[i + 4:i + 8]
    if k == b"IDAT": z += d[i + 8:i + 8 + n]
    i += 12 + n
zlib.decompress(z)' "$f" ;;
        esac
    done
}

export -f decode_all # run under /usr/bin/time through bash -c

# bench_book LABEL BOOK OUT [build args...]: cold and warm builds and the floor of its banners.
bench_book() {
    local label=$1 book=$2 out=$3 cache=$WORK/cache-img-$1
    shift 3
    local banners
    mapfile -t banners < <(find "$book" -type f \( -name '*.webp' -o -name '*.jpg' -o -name '*.jpeg' -o -name '*.png' \) | sort)
    rm -rf "$cache"
    best cold_w cold_c "$IMPRENTA" build "$book" -o "$out" -q --no-cache "$@"
    "$IMPRENTA" build "$book" -o "$out" -q --cache-dir "$cache" "$@" >/dev/null 2>&1
    best warm_w warm_c "$IMPRENTA" build "$book" -o "$out" -q --cache-dir "$cache" "$@"
    best dec_w dec_c bash -c 'decode_all "$@"' decode_all "${banners[@]}"
    local floor target verdict
    floor=$(awk -v d="$dec_c" -v n="$CORES" -v w="$warm_w" 'BEGIN {printf "%.2f", d / n + w}')
    target=$(awk -v f="$floor" 'BEGIN {printf "%.2f", f * 1.5}')
    verdict=$(awk -v c="$cold_w" -v t="$target" 'BEGIN {print (c <= t) ? "met" : "MISSED"}')
    printf '| %-34s | %7s | %6s | %7s | %6s | %9s | %6s | %s\n' "$label (${#banners[@]} images)" \
        "$cold_w" "$cold_c" "$warm_w" "$warm_c" "$dec_c" "$floor" \
        "cold <= 1.5 x floor = $target s: $verdict"
    LAST_COLD=$cold_w
}

echo "command:   bench/images.sh $N (fastest of $REPEAT runs; load $(cut -d' ' -f1-3 /proc/loadavg), $CORES cores)"
GEN_SUM=$(sha256sum "$HERE/gen_images.py" | cut -c1-16)
IMG_BOOK=$WORK/images-$N
if [[ $(cat "$IMG_BOOK/.generated-by" 2>/dev/null) != "$GEN_SUM" ]]; then
    rm -rf "$IMG_BOOK"
    echo "generating $IMG_BOOK (once)..." >&2
    python3 "$HERE/gen_images.py" "$N" "$IMG_BOOK" 2>"$WORK/log.gen-images"
    echo "$GEN_SUM" >"$IMG_BOOK/.generated-by"
fi
printf '| %-34s | %7s | %6s | %7s | %6s | %9s | %6s | %s\n' "book" "cold s" "CPU s" \
    "warm s" "CPU s" "decode s" "floor" "target"
printf '| %-34s | %7s | %6s | %7s | %6s | %9s | %6s | %s\n' "----" "------" "-----" \
    "------" "-----" "--------" "-----" "------"
bench_book "generated banners" "$IMG_BOOK" "$WORK/out-images"

CRONICA=$ROOT/../shared/cronica
if [[ -d $CRONICA ]]; then
    rm -rf "$WORK/cronica"
    cp -r "$CRONICA" "$WORK/cronica"
    chmod -R u+w "$WORK/cronica"
    cp "$ROOT/tests/fixtures/cronica/book.toml" "$WORK/cronica/"
    bench_book "Crónica, Spanish edition" "$WORK/cronica" "$WORK/out-cronica" --lang es
    echo "  Crónica Spanish edition cold < 3 s: ${LAST_COLD} s:" \
        "$(awk -v c="$LAST_COLD" 'BEGIN {print (c < 3) ? "met" : "MISSED"}')"
fi
echo "  (decode s: CPU time of dwebp/djpeg/zlib over every image once; floor = decode s / $CORES cores + warm wall)"
