#!/bin/bash
# Checks the shape of src/: includes flow one way (util < image < book < doc < epub, pdf < cli;
# epub and pdf never include each other) and no source file is longer than 600 lines.
# Run by ctest (ArchitectureCheck); exits non-zero and names every offence.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/src" || exit 2
max_lines=600
status=0

rank() {
    case "$1" in
    util) echo 0 ;;
    image) echo 1 ;;
    book) echo 2 ;;
    doc) echo 3 ;;
    epub | pdf) echo 4 ;;
    cli) echo 5 ;;
    *) echo -1 ;;
    esac
}

for dir in */; do
    dir=${dir%/}
    own=$(rank "$dir")
    if [ "$own" -lt 0 ]; then
        echo "src/$dir: folder not in the layer list of scripts/check_architecture.sh"
        status=1
        continue
    fi
    while IFS=: read -r file line text; do
        target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([a-z_]+)\/.*/\1/' <<<"$text")
        [ "$target" = "$dir" ] && continue
        theirs=$(rank "$target")
        [ "$theirs" -lt 0 ] && continue # not one of ours
        if [ "$theirs" -ge "$own" ]; then
            echo "src/$file:$line: $dir/ must not include $target/: ${text#"${text%%[![:space:]]*}"}"
            status=1
        fi
    done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]+/' "$dir")
done

while read -r count file; do
    [ "$file" = total ] && continue
    if [ "$count" -gt "$max_lines" ]; then
        echo "src/$file: $count lines (at most $max_lines: split it along a seam)"
        status=1
    fi
done < <(find . -type f \( -name '*.cpp' -o -name '*.h' \) -printf '%P\n' | sort | xargs wc -l)

[ $status -eq 0 ] && echo "architecture: includes flow one way, no file over $max_lines lines"
exit $status
