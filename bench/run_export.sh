#!/usr/bin/env bash
# run_export.sh PELC [OUTDIR] -- the cost of calling an exported PEL
# function from C (docs/interop.md): export_call.pel's kern_fib is
# compiled with `pelc -c` and --emit-header, export_call.c (cc -O2) calls
# it 10^6 times per repetition after a first call that starts the runtime,
# at PEL_WORKERS=1 and 2, and the median ns per call is printed as a
# markdown table with the target (under 50 ns).
#
# Environment: BENCH_ROUNDS repetitions (default 7), EXPORT_CALLS calls per
# repetition (default 1000000). The report also goes to
# OUTDIR/export_report.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

bench_args export "$@"
report=$out/export_report.md
libdir=$(cd "$(dirname "$pelc")/../lib" && pwd)
incdir=$here/../runtime
[[ -f $incdir/pel.h ]] || incdir=$(cd "$(dirname "$pelc")/../include" && pwd)

"$pelc" "${pelc_flags[@]}" -c "$here/export_call.pel" -o "$out/export_call.o" \
    --emit-header "$out/export_call.h" || bench_die "pelc failed on export_call.pel"
cc -std=c11 -O2 -Wall -Wextra -Werror -I "$incdir" -I "$out" "$here/export_call.c" "$out/export_call.o" \
    "$libdir/libpelstd.a" "$libdir/libpelrt.a" -lpthread -lm -o "$out/export_call" ||
    bench_die "export_call.c did not build"

calls=${EXPORT_CALLS:-1000000}
{
    echo "| PEL_WORKERS | ns per call (median) | min | max | target |"
    echo "|---|---:|---:|---:|---|"
    for w in 1 2; do
        read -r lo med hi < <(PEL_WORKERS=$w "$out/export_call" "$calls" "$rounds") ||
            bench_die "export_call failed at PEL_WORKERS=$w"
        verdict=$(awk -v m="$med" 'BEGIN { print (m < 50 ? "< 50: PASS" : "< 50: MISS") }')
        echo "| $w | $med | $lo | $hi | $verdict |"
    done
} | tee "$report"
