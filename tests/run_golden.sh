#!/usr/bin/env bash
# run_golden.sh PELC DIR NAME [PEL]
#
# End-to-end test of one program: compile DIR/NAME.pel with PELC (from inside
# DIR, with the bare file name, so runtime errors print "NAME.pel:LINE:COL"),
# run it with 1 and with 2 workers, and compare stdout, stderr and the exit
# status byte for byte with NAME.out, NAME.err and NAME.status (a missing
# .out/.err means "empty", a missing .status means 0). The two runs must also
# agree with each other: that is the determinism guarantee of spec 1.2.
# If PEL (the JIT tool) is given and executable, `pel NAME.pel` must give the
# same results too.
#
# Exit status: 0 pass, 1 fail (with a report on stdout).
set -u

if [ $# -lt 3 ]; then
    echo "usage: $0 PELC DIR NAME [PEL]" >&2
    exit 2
fi
pelc=$1
dir=$2
name=$3
pel=${4:-}
run_timeout=60

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

failed=0
fail() {
    echo "FAIL golden/$name: $*"
    failed=1
}

cd "$dir" || { echo "FAIL golden/$name: no directory $dir"; exit 1; }
if [ ! -f "$name.pel" ]; then
    echo "FAIL golden/$name: no file $dir/$name.pel"
    exit 1
fi

expect_out=/dev/null
expect_err=/dev/null
expect_status=0
[ -f "$name.out" ] && expect_out=$name.out
[ -f "$name.err" ] && expect_err=$name.err
if [ -f "$name.status" ]; then
    expect_status=$(tr -d ' \n\r' < "$name.status")
fi

# compare LABEL EXPECTED ACTUAL: exact bytes; diff -u shows where they differ
# (-a so that outputs holding NUL bytes are still shown as text).
compare() {
    if ! cmp -s "$2" "$3"; then
        fail "$1 differs (--- expected, +++ actual)"
        diff -u -a --label "expected $1" --label "actual $1" "$2" "$3" | head -n 60
    fi
}

# check_run LABEL STATUS OUTFILE ERRFILE: against the expected files.
check_run() {
    local label=$1 status=$2 out=$3 err=$4
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        fail "$label: timed out after ${run_timeout}s (a hang is a failure)"
        return
    fi
    if [ "$status" -ne "$expect_status" ]; then
        fail "$label: exit status $status, expected $expect_status"
        if [ "$status" -ge 128 ]; then
            echo "  (killed by signal $((status - 128)): a crash)"
        fi
    fi
    compare "$label stdout" "$expect_out" "$out"
    compare "$label stderr" "$expect_err" "$err"
}

# ---- compile ------------------------------------------------------------
exe=$tmp/$name
timeout -k 5 120 "$pelc" "$name.pel" -o "$exe" > "$tmp/compile.log" 2>&1
cstatus=$?
if [ $cstatus -ne 0 ] || [ ! -x "$exe" ]; then
    fail "pelc $name.pel exited with status $cstatus"
    head -n 40 "$tmp/compile.log"
    exit 1
fi

# ---- run with 1 and 2 workers ----------------------------------------------
# GOLDEN_WORKERS narrows the runs (the tsan label runs PEL_WORKERS=2 only)
for workers in ${GOLDEN_WORKERS:-1 2}; do
    PEL_WORKERS=$workers timeout -k 5 $run_timeout "$exe" \
        > "$tmp/out.$workers" 2> "$tmp/err.$workers" < /dev/null
    echo $? > "$tmp/status.$workers"
    check_run "PEL_WORKERS=$workers" "$(cat "$tmp/status.$workers")" \
        "$tmp/out.$workers" "$tmp/err.$workers"
done
# Redundant while both runs match the expected files, but it names the
# real problem (nondeterminism) when the expected files are wrong or missing.
for f in out err status; do
    [ -f "$tmp/$f.1" ] && [ -f "$tmp/$f.2" ] || continue
    if ! cmp -s "$tmp/$f.1" "$tmp/$f.2"; then
        fail "nondeterministic: $f differs between PEL_WORKERS=1 and PEL_WORKERS=2"
    fi
done

# ---- the JIT, when there is one -----------------------------------------
if [ -n "$pel" ] && [ -x "$pel" ]; then
    PEL_WORKERS=2 timeout -k 5 $run_timeout "$pel" "$name.pel" \
        > "$tmp/out.jit" 2> "$tmp/err.jit" < /dev/null
    check_run "pel (JIT)" $? "$tmp/out.jit" "$tmp/err.jit"
fi

if [ $failed -eq 0 ]; then
    echo "PASS golden/$name"
fi
exit $failed
