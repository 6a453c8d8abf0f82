#!/usr/bin/env bash
# run_error.sh PELC DIR NAME
#   A program that must NOT compile: `pelc NAME.pel -o TMP` (run inside DIR)
#   must exit with status 1 (not crash, not hang), write no output file, and
#   print diagnostics on stderr that start with "NAME.pel:" (or "pelc: error:"
#   for errors about the file itself) and contain "error:".
#   If NAME.err exists, stderr must equal it exactly. Otherwise the
#   expectations come from the header comments of NAME.pel (or of NAME.expect
#   when the .pel cannot hold comments: empty or binary files, directories):
#     # expect: FRAGMENT     stderr contains FRAGMENT (case-insensitive)
#     # at: LINE:COL         stderr contains ":LINE:COL:" (the first error)
#     # also: L:C L:C ...    each of these is reported too ("all errors")
#
# run_error.sh --bad-input PELC
#   pelc on inputs that are not programs: a missing file, a directory, a
#   10 MB generated program, no arguments, an unknown flag. Each must end
#   cleanly (no signal, no hang) with a message.
#
# Exit status: 0 pass, 1 fail (with a report on stdout).
set -u

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-error.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

failed=0
fail() {
    echo "FAIL $test_name: $*"
    failed=1
}

# run_pelc TIMEOUT ARGS...: runs pelc, stdout/stderr into $tmp/stdout,
# $tmp/stderr, status into $status. 124/137 mean it was killed by timeout.
run_pelc() {
    local limit=$1
    shift
    timeout -k 5 "$limit" "$pelc" "$@" > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
    status=$?
}

show_stderr() {
    echo "  stderr was:"
    head -n 30 "$tmp/stderr" | sed 's/^/  | /'
}

# no_crash WHAT: status must not be a signal or a timeout.
no_crash() {
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        fail "$1: pelc hung (killed after timeout)"
        return 1
    fi
    if [ "$status" -ge 128 ]; then
        fail "$1: pelc crashed (signal $((status - 128)))"
        show_stderr
        return 1
    fi
    return 0
}

# ---- bad inputs ----------------------------------------------------------------
bad_input() {
    test_name=golden/bad_input
    local out=$tmp/a.out

    # 1. a file that does not exist
    run_pelc 60 "$tmp/no_such_file.pel" -o "$out"
    if no_crash "missing file"; then
        [ "$status" -eq 1 ] || fail "missing file: status $status, expected 1"
        grep -q "no_such_file.pel" "$tmp/stderr" ||
            { fail "missing file: the message does not name the file"; show_stderr; }
        grep -q "error" "$tmp/stderr" ||
            { fail "missing file: no 'error' in the message"; show_stderr; }
    fi
    [ -e "$out" ] && fail "missing file: an output file was written"
    rm -f "$out"

    # 2. a directory
    mkdir "$tmp/adir.pel"
    run_pelc 60 "$tmp/adir.pel" -o "$out"
    if no_crash "directory"; then
        [ "$status" -eq 1 ] || fail "directory: status $status, expected 1"
        grep -q "error" "$tmp/stderr" ||
            { fail "directory: no 'error' in the message"; show_stderr; }
    fi
    [ -e "$out" ] && fail "directory: an output file was written"
    rm -f "$out"

    # 3. a 10 MB program of valid code: many small functions (comments pad
    # the lines, so the lexer sees 10 MB while the back end sees fewer
    # functions); main calls the first and the last one.
    local big=$tmp/big.pel n=160000
    awk -v n=$n 'BEGIN {
        for (i = 0; i < n; i++)
            printf "fn f%d(x: i64) -> i64 = x * %d + %d - (x / 3) %% 7 # filler\n", i, i % 97 + 1, i
        printf "fn main() {\n  let a = f0(1)\n  let b = f%d(2)\n  println(a + b)\n}\n", n - 1
    }' > "$big"
    local size
    size=$(wc -c < "$big")
    if [ "$size" -lt 10000000 ]; then
        fail "generated program is only $size bytes (the test wants 10 MB)"
    fi
    run_pelc 120 "$big" -o "$out"
    if no_crash "10 MB program"; then
        case $status in
        0)
            # It compiled: then it must also run and compute the right value:
            # f0(1) = 1*1 + 0 - 0 = 1; f_last(2) = 2*(last%97+1) + last - 0.
            local last=$((n - 1))
            local expect=$((1 + 2 * (last % 97 + 1) + last))
            local got
            got=$(PEL_WORKERS=2 timeout -k 5 60 "$out" 2>&1)
            [ "$got" = "$expect" ] ||
                fail "10 MB program: printed '$got', expected '$expect'"
            ;;
        1) grep -q "error" "$tmp/stderr" ||
               { fail "10 MB program: status 1 without an error message"; show_stderr; } ;;
        *) fail "10 MB program: status $status, expected 0 or 1"; show_stderr ;;
        esac
    fi
    rm -f "$out" "$big"

    # 4. no arguments at all
    run_pelc 60
    if no_crash "no arguments"; then
        [ "$status" -eq 1 ] || [ "$status" -eq 2 ] ||
            fail "no arguments: status $status, expected 1 or 2"
        [ -s "$tmp/stderr" ] || fail "no arguments: no message on stderr"
    fi

    # 5. an unknown flag
    printf 'fn main() = println(1)\n' > "$tmp/ok.pel"
    run_pelc 60 --no-such-flag "$tmp/ok.pel" -o "$out"
    if no_crash "unknown flag"; then
        [ "$status" -eq 1 ] || [ "$status" -eq 2 ] ||
            fail "unknown flag: status $status, expected 1 or 2"
        grep -q -- "no-such-flag" "$tmp/stderr" ||
            { fail "unknown flag: the message does not name the flag"; show_stderr; }
    fi
    [ -e "$out" ] && fail "unknown flag: an output file was written"

    [ $failed -eq 0 ] && echo "PASS $test_name"
    exit $failed
}

if [ "${1:-}" = "--bad-input" ]; then
    if [ $# -ne 2 ]; then
        echo "usage: $0 --bad-input PELC" >&2
        exit 2
    fi
    pelc=$2
    bad_input
fi

# ---- one program that must not compile ---------------------------------------------
if [ $# -ne 3 ]; then
    echo "usage: $0 PELC DIR NAME  |  $0 --bad-input PELC" >&2
    exit 2
fi
pelc=$1
dir=$2
name=$3
test_name=errors/$name
cd "$dir" || { echo "FAIL $test_name: no directory $dir"; exit 1; }
if [ ! -e "$name.pel" ]; then
    echo "FAIL $test_name: no file $dir/$name.pel"
    exit 1
fi

out=$tmp/out
run_pelc 60 "$name.pel" -o "$out"
no_crash "pelc $name.pel" || exit 1
if [ "$status" -ne 1 ]; then
    fail "pelc exited with status $status, expected 1"
    show_stderr
fi
[ -e "$out" ] && fail "an output file was written for a program with errors"

if [ -f "$name.err" ]; then
    if ! cmp -s "$name.err" "$tmp/stderr"; then
        fail "stderr differs (--- expected, +++ actual)"
        diff -u -a --label "expected stderr" --label "actual stderr" \
            "$name.err" "$tmp/stderr" | head -n 60
    fi
else
    # The header: from NAME.expect, else from the first comment lines of
    # NAME.pel (only when it is a regular file).
    header=/dev/null
    if [ -f "$name.expect" ]; then
        header=$name.expect
    elif [ -f "$name.pel" ]; then
        header=$name.pel
    fi
    expect=$(sed -n '1,10{s/^# expect: *//p;}' "$header" | head -n 1)
    at=$(sed -n '1,10{s/^# at: *//p;}' "$header" | head -n 1)
    also=$(sed -n '1,10{s/^# also: *//p;}' "$header" | head -n 1)

    first=$(head -n 1 "$tmp/stderr")
    case $first in
    "$name.pel:"* | "pelc: error:"*) ;;
    *) fail "stderr does not start with '$name.pel:' or 'pelc: error:'"; show_stderr ;;
    esac
    grep -q "error:" "$tmp/stderr" || { fail "no 'error:' on stderr"; show_stderr; }
    if [ -n "$expect" ] && ! grep -qiF -- "$expect" "$tmp/stderr"; then
        fail "stderr does not contain '$expect'"
        show_stderr
    fi
    if [ -n "$at" ] && ! grep -qF -- "$name.pel:$at: error" "$tmp/stderr"; then
        fail "no error reported at $name.pel:$at"
        show_stderr
    fi
    for loc in $also; do
        grep -qF -- "$name.pel:$loc: error" "$tmp/stderr" ||
            { fail "no error reported at $name.pel:$loc (all errors must be reported)"; show_stderr; }
    done
fi

[ $failed -eq 0 ] && echo "PASS $test_name"
exit $failed
