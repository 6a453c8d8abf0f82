# shellcheck shell=bash
# lib.sh -- shared helpers for PEL's benchmark scripts (source it; bash 5).
#
# The machine is shared and noisy, so every benchmark script follows the
# same rules: all programs are timed in ONE run, interleaved round-robin
# (A B C, B C A, C A B, ...) rather than all runs of A then all of B, so a
# slow spell of the machine hits every program alike; results are reported
# as the median with min and max. A program is checked for the right output
# before it is timed.
#
# Typical use:
#   source "$(dirname "$0")/lib.sh"
#   bench_expect "9227465" "$out/fib_serial" 35
#   bench_add "fib(35) serial C" "$out/fib_serial" 35
#   bench_add "fib(35) PEL@2" PEL_WORKERS=2 "$out/fib35"
#   bench_run 5
#   bench_table
#   bench_ratio_header
#   bench_ratio "PEL@2 speedup" "fib(35) serial C" "fib(35) PEL@2" ">=" 1.8
#
# A command is its words as given to bench_add; leading NAME=VALUE words set
# the environment of that command only (as in the shell), without the cost
# of an extra `env` process inside the timed region.

# Decimal points and sort order must not depend on the user's locale.
export LC_ALL=C

# Registered benchmarks, in order, and their commands and measured times.
BENCH_NAMES=()
declare -A BENCH_CMD=()
declare -A BENCH_TIMES=()
# Ratio counters, for a script's exit status or summary.
BENCH_PASS=0
BENCH_MISS=0

bench_die() {
    echo "bench: $*" >&2
    exit 1
}

bench_log() {
    echo "bench: $*" >&2
}

# bench_now: the wall clock in seconds, microsecond resolution. Bash's
# EPOCHREALTIME needs no fork, so it adds nothing measurable to a run.
bench_now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        echo "$EPOCHREALTIME"
    else
        date +%s.%N
    fi
}

# bench_quote WORD...: the words as one string that eval turns back into
# the same words.
bench_quote() {
    local q
    printf -v q '%q ' "$@"
    echo "${q% }"
}

# bench_time_cmd CMDSTRING: run the quoted command once with its stdout
# discarded and print its wall time in seconds. A failing command is fatal:
# timing a crash would report a wrong speed.
bench_time_cmd() {
    local cmd=$1 t0 t1 rc=0
    t0=$EPOCHREALTIME
    eval "$cmd" >/dev/null || rc=$?
    t1=$EPOCHREALTIME
    ((rc == 0)) || bench_die "command failed (status $rc): $cmd"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}

# bench_reset: forget all registered benchmarks and ratio counters.
bench_reset() {
    BENCH_NAMES=()
    BENCH_CMD=()
    BENCH_TIMES=()
    BENCH_PASS=0
    BENCH_MISS=0
}

# bench_add NAME WORD...: register a program to time under NAME.
bench_add() {
    local name=$1
    shift
    (($# > 0)) || bench_die "bench_add $name: no command"
    [[ -z ${BENCH_CMD[$name]+x} ]] || bench_die "bench_add: duplicate name '$name'"
    BENCH_NAMES+=("$name")
    BENCH_CMD[$name]=$(bench_quote "$@")
    BENCH_TIMES[$name]=""
}

# bench_expect EXPECTED WORD...: run the command and fail unless its stdout
# is exactly EXPECTED (one line, or several joined by newlines).
bench_expect() {
    local want=$1 got rc=0
    shift
    got=$(eval "$(bench_quote "$@")") || rc=$?
    ((rc == 0)) || bench_die "$(bench_quote "$@"): exit status $rc"
    [[ $got == "$want" ]] ||
        bench_die "$(bench_quote "$@"): printed '$got', expected '$want'"
    bench_log "ok: $(bench_quote "$@") -> $got"
}

# bench_run ROUNDS: time every registered program ROUNDS times, one round
# at a time, each round starting one program later than the previous so no
# program always runs right after the same neighbour.
bench_run() {
    local rounds=$1 n=${#BENCH_NAMES[@]} r k i name t
    ((n > 0)) || bench_die "bench_run: nothing registered"
    ((rounds > 0)) || bench_die "bench_run: ROUNDS must be positive"
    for ((r = 0; r < rounds; r++)); do
        for ((k = 0; k < n; k++)); do
            i=$(((r + k) % n))
            name=${BENCH_NAMES[i]}
            t=$(bench_time_cmd "${BENCH_CMD[$name]}") || exit 1
            BENCH_TIMES[$name]+="$t "
            bench_log "round $((r + 1))/$rounds  $name  ${t}s"
        done
    done
}

# bench_record NAME SECONDS: add a time measured by other means (e.g. a
# program that reports its own kernel time) so it shows in the table.
bench_record() {
    [[ -n ${BENCH_CMD[$1]+x} ]] || {
        BENCH_NAMES+=("$1")
        BENCH_CMD[$1]=""
    }
    BENCH_TIMES[$1]+="$2 "
}

# bench_stats NAME: print "median min max" of NAME's times (the median of
# an even count is the mean of the middle two).
bench_stats() {
    local times=${BENCH_TIMES[$1]-}
    [[ -n $times ]] || bench_die "bench_stats: no times for '$1'"
    # shellcheck disable=SC2086 # word splitting of the time list is wanted
    printf '%s\n' $times | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.4f %.4f %.4f\n", m, v[1], v[NR]
        }'
}

bench_median() {
    local s
    s=$(bench_stats "$1") || exit 1
    echo "${s%% *}"
}

# bench_table: markdown table of every registered benchmark.
bench_table() {
    local name s med lo hi
    echo "| benchmark | median s | min s | max s |"
    echo "|---|---:|---:|---:|"
    for name in "${BENCH_NAMES[@]}"; do
        s=$(bench_stats "$name") || exit 1
        read -r med lo hi <<<"$s"
        echo "| $name | $med | $lo | $hi |"
    done
}

bench_ratio_header() {
    echo "| ratio | value | target | result |"
    echo "|---|---:|---|---|"
}

# bench_check VALUE OP TARGET: succeed when "VALUE OP TARGET" holds, OP one
# of <= >= < >.
bench_check() {
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
        if (op == "<=") ok = v <= t
        else if (op == ">=") ok = v >= t
        else if (op == "<") ok = v < t
        else if (op == ">") ok = v > t
        else { print "bench: bad operator " op > "/dev/stderr"; exit 2 }
        exit !ok
    }'
}

# bench_ratio_row LABEL VALUE OP TARGET: one row of the ratio table, with
# PASS or MISS, counted in BENCH_PASS / BENCH_MISS.
bench_ratio_row() {
    local label=$1 value=$2 op=$3 target=$4 verdict
    if bench_check "$value" "$op" "$target"; then
        verdict=PASS
        BENCH_PASS=$((BENCH_PASS + 1))
    else
        verdict=MISS
        BENCH_MISS=$((BENCH_MISS + 1))
    fi
    echo "| $label | $value | $op $target | $verdict |"
}

# bench_ratio LABEL NUM DEN OP TARGET: the ratio of two benchmarks' medians
# (NUM / DEN) as a row of the ratio table.
bench_ratio() {
    local label=$1 num den value
    num=$(bench_median "$2") || exit 1
    den=$(bench_median "$3") || exit 1
    value=$(awk -v a="$num" -v b="$den" 'BEGIN {
        if (b <= 0) { print "inf"; exit }
        printf "%.2f\n", a / b }')
    bench_ratio_row "$label" "$value" "$4" "$5"
}

# bench_cpu_wall WORD...: run the command once (stdout discarded, stderr
# kept in the caller's stderr) and print "wall user sys" in seconds. User
# and system time come from the kernel's rusage of the child and include
# all its threads, so CPU / wall shows how many cores were kept busy.
bench_cpu_wall() {
    local cmd out rc=0 errf
    cmd=$(bench_quote "$@")
    errf=$(mktemp) || exit 1
    # Bash's time keyword reports to the shell's stderr, after the command's
    # own stderr has gone to errf; 3 decimals is its finest precision.
    out=$( { TIMEFORMAT='%3R %3U %3S'; time eval "$cmd" >/dev/null 2>"$errf"; } 2>&1 ) || rc=$?
    cat "$errf" >&2
    rm -f "$errf"
    ((rc == 0)) || bench_die "command failed (status $rc): $cmd"
    echo "$out"
}

# bench_args NAME "$@": the scripts' arguments PELC [OUTDIR]. Sets pelc
# (absolute), out (made, absolute; default a fresh pel-bench-NAME folder
# under $TMPDIR), rounds (BENCH_ROUNDS, default 5) and the array
# pelc_flags (PELC_FLAGS).
bench_args() {
    local name=$1
    shift
    if (($# < 1 || $# > 2)); then
        echo "usage: $0 PELC [OUTDIR]" >&2
        exit 2
    fi
    pelc=$1
    [[ -x $pelc ]] || bench_die "PELC '$pelc' is not an executable file"
    pelc=$(realpath "$pelc")
    out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/pel-bench-$name.XXXXXX")}
    mkdir -p "$out"
    out=$(realpath "$out")
    rounds=${BENCH_ROUNDS:-5}
    read -r -a pelc_flags <<<"${PELC_FLAGS:-}"
}
