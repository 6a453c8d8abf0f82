#!/usr/bin/env bash
# run_fixed_printf.sh PELC PEL SRCDIR [N] -- fixed(x, d) against C's
# printf("%.*f") on N (default 100000) random doubles and digit counts
# (spec 7: correctly rounded from the exact binary value). The cases come
# from tests/fixed_cases.c; tests/fixed_printf.pel formats them, compiled
# with pelc and run at 1 and 2 workers, and once through pel.
set -u
pelc=$1 pel=$2 src=$3 n=${4:-100000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-fixed.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/cases" "$src/tests/fixed_cases.c" -lm || { echo "FAIL: cannot build fixed_cases.c"; exit 1; }
"$tmp/cases" 20261201 "$n" "$tmp/cases.txt" "$tmp/want.txt" || { echo "FAIL: fixed_cases"; exit 1; }
"$pelc" "$src/tests/fixed_printf.pel" -o "$tmp/fixed" || { echo "FAIL: pelc"; exit 1; }
failed=0
check() { # NAME: compares $tmp/got.txt with the reference
    if ! cmp -s "$tmp/want.txt" "$tmp/got.txt"; then
        echo "FAIL $1: fixed() differs from printf; first differences (printf, then PEL):"
        diff "$tmp/want.txt" "$tmp/got.txt" | head -6
        failed=1
    fi
}
for w in 1 2; do
    PEL_WORKERS=$w "$tmp/fixed" "$tmp/cases.txt" > "$tmp/got.txt" || { echo "FAIL: exit status at $w workers"; failed=1; }
    check "pelc, PEL_WORKERS=$w"
done
PEL_WORKERS=2 "$pel" "$src/tests/fixed_printf.pel" "$tmp/cases.txt" > "$tmp/got.txt" || { echo "FAIL: pel"; failed=1; }
check "pel"
if ((failed)); then exit 1; fi
echo "fixed() = printf on $n cases: ok"
