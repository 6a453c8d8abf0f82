#!/usr/bin/env bash
# run_structures.sh PELC [OUTDIR] -- the benchmarks of PEL 0.2's data
# structures: a tree of variant boxes and an array updated in place.
#
# Tree sum: builds tree.pel.in (a complete binary tree of 2^depth - 1 nodes, built by
# a recursion whose two subtrees are independent, then summed by match
# recursion) with PELC, and the same recursion in serial C (tree_serial.c:
# malloc'd nodes, build, sum, free), into OUTDIR (default: a fresh temporary
# folder). Checks that every program prints the sum of 1 .. 2^depth - 1,
# then times PEL@1, PEL@2 and serial C in one interleaved run (see lib.sh)
# and prints a markdown table and the target ratios.
#
# Sieve: sieve.pel.in (the sieve of Eratosthenes to N with foldl and set)
# against the same loops in C (sieve_serial.c), both printing the number
# of primes <= N; PEL@1 / serial C is judged.
#
# Environment:
#   TREE_DEPTH    depth of the tree (default 23: 8,388,607 nodes)
#   SIEVE_N       the sieve's N (default 10^7)
#   BENCH_ROUNDS  rounds of the interleaved run (default 5)
#   PELC_FLAGS    extra flags for PELC (default none: pelc's -O2)
# The report also goes to OUTDIR/structures_report.md. Exit status 0 even when a
# target is missed (the report says MISS); non-zero when something fails
# to build, prints a wrong value or crashes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

bench_args structures "$@"
depth=${TREE_DEPTH:-23}
if ! [[ $depth =~ ^[0-9]+$ ]] || ((depth < 1 || depth > 30)); then
    bench_die "TREE_DEPTH must be an integer in 1..30, not '$depth'"
fi
sieve_n=${SIEVE_N:-10000000}
if ! [[ $sieve_n =~ ^[0-9]+$ ]] || ((sieve_n < 2 || sieve_n > 1000000000)); then
    bench_die "SIEVE_N must be an integer in 2..10^9, not '$sieve_n'"
fi
report=$out/structures_report.md
: >"$report"

# say LINE...: a report line, to stdout and the report file.
say() {
    printf '%s\n' "$@" | tee -a "$report"
}

bench_log "building into $out"
clang-19 -std=c11 -O2 -Wall -Wextra "$here/tree_serial.c" -o "$out/tree_serial"
sed "s/@DEPTH@/$depth/g" "$here/tree.pel.in" >"$out/tree.pel"
! grep -q '@[A-Z]*@' "$out/tree.pel" ||
    bench_die "tree.pel.in: placeholder left in $out/tree.pel"
"$pelc" "${pelc_flags[@]}" "$out/tree.pel" -o "$out/tree" ||
    bench_die "$pelc failed on $out/tree.pel"

clang-19 -std=c11 -O2 -Wall -Wextra "$here/sieve_serial.c" -o "$out/sieve_serial"
sed "s/@N@/$sieve_n/g" "$here/sieve.pel.in" >"$out/sieve.pel"
"$pelc" "${pelc_flags[@]}" "$out/sieve.pel" -o "$out/sieve" ||
    bench_die "$pelc failed on $out/sieve.pel"
primes=$("$out/sieve_serial" "$sieve_n")
bench_expect "$primes" PEL_WORKERS=1 "$out/sieve"
bench_expect "$primes" PEL_WORKERS=2 "$out/sieve"

# The keys are 1 .. n with n = 2^depth - 1: their sum is n (n + 1) / 2.
nodes=$(((1 << depth) - 1))
want=$((nodes * (nodes + 1) / 2))
bench_expect "$want" "$out/tree_serial" "$depth"
bench_expect "$want" PEL_WORKERS=1 "$out/tree"
bench_expect "$want" PEL_WORKERS=2 "$out/tree"

bench_add "tree($depth) serial C" "$out/tree_serial" "$depth"
bench_add "tree($depth) PEL@1" PEL_WORKERS=1 "$out/tree"
bench_add "tree($depth) PEL@2" PEL_WORKERS=2 "$out/tree"
bench_add "sieve($sieve_n) serial C" "$out/sieve_serial" "$sieve_n"
bench_add "sieve($sieve_n) PEL@1" PEL_WORKERS=1 "$out/sieve"
bench_log "timing $rounds interleaved rounds"
bench_run "$rounds"

say "## tree sum (depth $depth: $nodes nodes) and sieve (N = $sieve_n; $rounds rounds, interleaved; $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ))" ""
bench_table | tee -a "$report"
say ""
bench_ratio_header | tee -a "$report"
rows=$(
    bench_ratio "PEL@1 / PEL@2 (depth $depth)" "tree($depth) PEL@1" "tree($depth) PEL@2" ">=" 1.7
    bench_ratio "PEL@1 / serial C (depth $depth)" "tree($depth) PEL@1" "tree($depth) serial C" "<=" 1.5
    bench_ratio "PEL@1 / serial C (sieve $sieve_n)" "sieve($sieve_n) PEL@1" "sieve($sieve_n) serial C" "<=" 2.0
)
say "$rows" ""
bench_log "report: $report"
