#!/usr/bin/env bash
# run_fib.sh PELC [OUTDIR] -- the fib benchmark and the idle-workers check.
#
# Builds fib.pel.in (fib 35 and 40) with PELC and the C, OpenMP and oneTBB
# references into OUTDIR (default: a fresh temporary folder), checks every
# program prints the right value, then times them all in one interleaved
# run (see lib.sh) and prints a markdown table and the target ratios. Then
# checks that an idle PEL worker sleeps: a sequential PEL program at
# PEL_WORKERS=2 must use about one core (CPU time / wall time <= 1.1).
#
# Environment:
#   BENCH_ROUNDS  rounds of the interleaved run (default 5)
#   PELC_FLAGS    extra flags for PELC (default none: pelc's -O2)
#   IDLE_COUNT    loop count of idle.pel (default: calibrated to ~2.5 s)
#   IDLE_ROUNDS   runs of the idle check (default 3; the median is judged)
#   BENCH_SKIP_IDLE=1 / BENCH_SKIP_FIB=1  skip one half
# The report also goes to OUTDIR/fib_report.md. Exit status 0 even when a
# target is missed (the report says MISS); non-zero when something fails
# to build, prints a wrong value or crashes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

bench_args fib "$@"
report=$out/fib_report.md
: >"$report"

# say LINE...: a report line, to stdout and the report file.
say() {
    printf '%s\n' "$@" | tee -a "$report"
}

# build_pel TEMPLATE PLACEHOLDER VALUE NAME: instantiate a .pel template
# in OUTDIR and compile it to OUTDIR/NAME.
build_pel() {
    local tmpl=$1 ph=$2 value=$3 name=$4
    sed "s/@$ph@/$value/g" "$here/$tmpl" >"$out/$name.pel"
    ! grep -q '@[A-Z]*@' "$out/$name.pel" ||
        bench_die "$tmpl: placeholder left in $out/$name.pel"
    # stdout to stderr: calibrate_idle's caller captures stdout.
    "$pelc" "${pelc_flags[@]}" "$out/$name.pel" -o "$out/$name" >&2 ||
        bench_die "$pelc failed on $out/$name.pel"
}

fib_bench() {
    bench_log "building into $out"
    clang-19 -std=c11 -O2 -Wall -Wextra "$here/fib_serial.c" -o "$out/fib_serial"
    gcc -std=c11 -O2 -Wall -Wextra -fopenmp "$here/fib_omp.c" -o "$out/fib_omp"
    g++ -O2 -Wall -Wextra "$here/fib_tbb.cpp" -o "$out/fib_tbb" -ltbb
    build_pel fib.pel.in N 35 fib35
    build_pel fib.pel.in N 40 fib40

    local f35=9227465 f40=102334155
    bench_expect $f40 "$out/fib_serial" 40
    bench_expect $f40 PEL_WORKERS=1 "$out/fib40"
    bench_expect $f40 PEL_WORKERS=2 "$out/fib40"
    bench_expect $f35 PEL_WORKERS=2 "$out/fib35"
    bench_expect $f35 OMP_NUM_THREADS=2 "$out/fib_omp" 35
    bench_expect $f35 "$out/fib_tbb" 35 2

    bench_add "fib(40) serial C" "$out/fib_serial" 40
    bench_add "fib(40) PEL@1" PEL_WORKERS=1 "$out/fib40"
    bench_add "fib(40) PEL@2" PEL_WORKERS=2 "$out/fib40"
    bench_add "fib(35) PEL@2" PEL_WORKERS=2 "$out/fib35"
    bench_add "fib(35) OpenMP@2" OMP_NUM_THREADS=2 "$out/fib_omp" 35
    bench_add "fib(35) TBB@2" "$out/fib_tbb" 35 2
    bench_log "timing $rounds interleaved rounds (OpenMP@2 alone takes ~25 s a round)"
    bench_run "$rounds"

    say "## fib ($rounds rounds, interleaved; $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ))" ""
    bench_table | tee -a "$report"
    say ""
    bench_ratio_header | tee -a "$report"
    local rows
    rows=$(
        bench_ratio "PEL@1 / serial C (fib 40)" "fib(40) PEL@1" "fib(40) serial C" "<=" 2.0
        bench_ratio "PEL@1 / PEL@2 (fib 40)" "fib(40) PEL@1" "fib(40) PEL@2" ">=" 1.8
        bench_ratio "OpenMP@2 / PEL@2 (fib 35)" "fib(35) OpenMP@2" "fib(35) PEL@2" ">=" 20
        bench_ratio "TBB@2 / PEL@2 (fib 35)" "fib(35) TBB@2" "fib(35) PEL@2" ">=" 20
    )
    say "$rows" ""
}

# calibrate_idle: a loop count that makes idle.pel run about 2.5 s, found
# by timing PEL's own build (LLVM may fuse several loop steps into one, so
# C's speed is no guide). Prints the count.
calibrate_idle() {
    local count=100000000 t
    while :; do
        build_pel idle.pel.in COUNT "$count" idle_cal
        t=$(bench_time_cmd "PEL_WORKERS=1 $(bench_quote "$out/idle_cal")") || exit 1
        # Below 0.2 s startup dominates; scale up until the timing means
        # something, then extrapolate linearly.
        if awk -v t="$t" 'BEGIN { exit !(t >= 0.2) }' || ((count >= 100000000000000)); then
            break
        fi
        count=$((count * 10))
    done
    awk -v c="$count" -v t="$t" 'BEGIN { printf "%.0f\n", c * 2.5 / (t > 0 ? t : 1e-3) }'
}

idle_check() {
    local count idle_rounds=${IDLE_ROUNDS:-3} want r wall user sys
    clang-19 -std=c11 -O2 -Wall -Wextra "$here/idle_serial.c" -o "$out/idle_serial"
    count=${IDLE_COUNT:-$(calibrate_idle)}
    bench_log "idle check: loop count $count"
    build_pel idle.pel.in COUNT "$count" idle
    want=$("$out/idle_serial" "$count")
    bench_expect "$want" PEL_WORKERS=2 "$out/idle"

    say "## idle workers sleep (sequential PEL program, count $count)" ""
    say "| run | wall s | user s | sys s | CPU / wall |" "|---|---:|---:|---:|---:|"
    local ratios="" ratio cw
    for ((r = 1; r <= idle_rounds; r++)); do
        # The serial C twin is the control: on a quiet machine its ratio is
        # 1.00, so PEL's excess over it is PEL's doing.
        cw=$(bench_cpu_wall "$out/idle_serial" "$count")
        read -r wall user sys <<<"$cw"
        ratio=$(awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f\n", (u + s) / w }')
        say "| serial C (control) $r | $wall | $user | $sys | $ratio |"
        cw=$(bench_cpu_wall PEL_WORKERS=2 "$out/idle")
        read -r wall user sys <<<"$cw"
        ratio=$(awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f\n", (u + s) / w }')
        say "| PEL@2 $r | $wall | $user | $sys | $ratio |"
        ratios+="$ratio "
        if awk -v w="$wall" 'BEGIN { exit !(w < 1.0) }'; then
            bench_log "warning: idle.pel ran only ${wall}s; set IDLE_COUNT higher for a meaningful check"
        fi
    done
    local med
    # shellcheck disable=SC2086 # word splitting of the list is wanted
    med=$(printf '%s\n' $ratios | sort -g | awk '{ v[NR] = $1 } END {
        printf "%.2f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    say ""
    bench_ratio_header | tee -a "$report"
    say "$(bench_ratio_row "CPU / wall, PEL@2 sequential (median of $idle_rounds)" "$med" "<=" 1.1)" ""
}

[[ ${BENCH_SKIP_FIB:-0} == 1 ]] || fib_bench
[[ ${BENCH_SKIP_IDLE:-0} == 1 ]] || idle_check
bench_log "report: $report"
