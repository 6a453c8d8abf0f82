#!/usr/bin/env bash
# run_tile_diff.sh PELC [SEEDS] -- tiled folds against their untiled twins.
# For each seed, tile_diff.py writes a program of tiled folds and its twin
# that is never tiled; both are compiled and run at PEL_WORKERS=1 and 2, and
# stdout, stderr (the file name aside) and exit status must be identical:
# the same bits and the same first runtime error.
set -u
pelc=$1
seeds=${2:-40}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-tile.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0 errors=0
for s in $(seq 1 "$seeds"); do
    for v in tiled twin; do
        python3 "$here/tile_diff.py" "$s" "$v" > "$tmp/$v.pel"
        if ! "$pelc" "$tmp/$v.pel" -o "$tmp/$v" 2> "$tmp/$v.log"; then
            echo "FAIL seed $s: pelc failed on the $v program"; cat "$tmp/$v.log"; failed=1; continue 2
        fi
    done
    for w in 1 2; do
        for v in tiled twin; do
            PEL_WORKERS=$w "$tmp/$v" > "$tmp/$v.out" 2>&1
            echo "status $?" >> "$tmp/$v.out"
            sed -i "s|^$tmp/$v.pel:|X.pel:|" "$tmp/$v.out"
        done
        if ! cmp -s "$tmp/tiled.out" "$tmp/twin.out"; then
            echo "FAIL seed $s, PEL_WORKERS=$w: tiled and untiled differ"
            diff "$tmp/tiled.out" "$tmp/twin.out" | head -5 | cut -c1-300
            cp "$tmp/tiled.pel" "${TMPDIR:-/tmp}/pel-tile-fail-$s.pel"
            failed=1
        fi
    done
    grep -q "runtime error" "$tmp/tiled.out" && errors=$((errors + 1))
done
# the generator must keep producing both kinds of ending
[ "$errors" -gt 0 ] && [ "$errors" -lt "$seeds" ] || { echo "FAIL: $errors of $seeds programs failed at run time"; failed=1; }
[ $failed -eq 0 ] && echo "PASS $seeds seeds ($errors end in a runtime error)"
exit $failed
