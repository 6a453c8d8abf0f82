#!/usr/bin/env bash
# run_modules.sh PELC PEL DIR NAME
#
# A program of several modules (spec 8): DIR/NAME/ holds main.pel, the
# modules it imports (in that folder or below it), and optionally `flags`
# (pelc and pel options, e.g. "-I lib"). From inside DIR/NAME:
#  - with compile.err there: `pelc FLAGS main.pel` must fail with status 1
#    and exactly that stderr (the standard library's folder written as
#    STDLIB), and write nothing; `pel FLAGS main.pel` must
#    print the same messages under its own name;
#  - else the whole-program build runs at PEL_WORKERS=1 and 2, and `pel`
#    runs it too, and so does the separate build: each module found in
#    the depfile of `pelc -c -MD main.pel` compiled alone with -c, the
#    objects linked in reverse order; each run with exactly main.out,
#    main.err and main.status (missing: empty, empty, 0).
# Exit status: 0 pass, 1 fail (with a report on stdout).
set -u
pelc=$1 pel=$2 dir=$3 name=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-modules.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL modules/$name: $*"; failed=1; }
compare() {
    if ! cmp -s "$2" "$3"; then
        fail "$1 differs (--- expected, +++ actual)"
        diff -u -a --label "expected $1" --label "actual $1" "$2" "$3" | head -n 60
    fi
}
# messages name the standard library's folder, which depends on the build
stdlib=$(cd "$(dirname "$pelc")/../share/pel/stdlib" 2>/dev/null && pwd)
normalise() { if [ -n "$stdlib" ]; then sed -i "s|$stdlib|STDLIB|g" "$1"; fi; }
cd "$dir/$name" || { echo "FAIL modules/$name: no folder $dir/$name"; exit 1; }
flags=()
[ -f flags ] && read -r -a flags < flags

if [ -f compile.err ]; then
    before=$(find . -type f | sort | xargs md5sum)
    timeout -k 5 120 "$pelc" "${flags[@]}" main.pel -o "$tmp/app" > "$tmp/out" 2> "$tmp/err"
    st=$?
    [ $st -eq 1 ] || fail "pelc exited with status $st, expected 1"
    [ -e "$tmp/app" ] && fail "pelc wrote an output after an error"
    normalise "$tmp/err"
    compare "pelc stderr" compile.err "$tmp/err"
    [ -s "$tmp/out" ] && fail "pelc wrote to stdout"
    timeout -k 5 120 "$pel" "${flags[@]}" main.pel > "$tmp/out.jit" 2> "$tmp/err.jit" < /dev/null
    st=$?
    [ $st -eq 1 ] || fail "pel exited with status $st, expected 1"
    sed 's/^pelc: /pel: /' compile.err > "$tmp/want.jit"
    normalise "$tmp/err.jit"
    compare "pel stderr" "$tmp/want.jit" "$tmp/err.jit"
    after=$(find . -type f | sort | xargs md5sum)
    [ "$before" = "$after" ] || fail "a file of the test changed"
else
    expect_out=/dev/null expect_err=/dev/null expect_status=0
    [ -f main.out ] && expect_out=main.out
    [ -f main.err ] && expect_err=main.err
    [ -f main.status ] && expect_status=$(tr -d ' \n\r' < main.status)
    check() {
        if [ "$2" -ne "$expect_status" ]; then fail "$1: exit status $2, expected $expect_status"; fi
        compare "$1 stdout" "$expect_out" "$3"
        compare "$1 stderr" "$expect_err" "$4"
    }
    if ! timeout -k 5 120 "$pelc" "${flags[@]}" main.pel -o "$tmp/app" > "$tmp/compile.log" 2>&1; then
        fail "pelc ${flags[*]} main.pel failed"
        head -n 40 "$tmp/compile.log"
        exit 1
    fi
    for w in 1 2; do
        PEL_WORKERS=$w timeout -k 5 60 "$tmp/app" > "$tmp/out.$w" 2> "$tmp/err.$w" < /dev/null
        check "whole program, PEL_WORKERS=$w" $? "$tmp/out.$w" "$tmp/err.$w"
    done
    PEL_WORKERS=2 timeout -k 5 60 "$pel" "${flags[@]}" main.pel > "$tmp/out.jit" 2> "$tmp/err.jit" < /dev/null
    check "pel (JIT)" $? "$tmp/out.jit" "$tmp/err.jit"
    # separate compilation: main.o holds main's module only
    if ! "$pelc" "${flags[@]}" -c -MD -MF "$tmp/main.d" main.pel -o "$tmp/main.o" > "$tmp/compile.log" 2>&1; then
        fail "pelc -c main.pel failed"; head -n 40 "$tmp/compile.log"; exit 1
    fi
    objs=("$tmp/main.o")
    k=0 own=0 # own: modules of the test, not the standard library's (libpelstd.a has those)
    for dep in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$tmp/main.d"); do
        [ "$dep" = main.pel ] && continue
        k=$((k + 1))
        case $dep in */share/pel/stdlib/*) ;; *) own=$((own + 1)) ;; esac
        if ! "$pelc" "${flags[@]}" -c "$dep" -o "$tmp/m$k.o" > "$tmp/compile.log" 2>&1; then
            fail "pelc -c $dep failed"; head -n 40 "$tmp/compile.log"; exit 1
        fi
        objs=("$tmp/m$k.o" "${objs[@]}")
    done
    if [ $own -gt 0 ] && "$pelc" "$tmp/main.o" -o "$tmp/alone" > "$tmp/link.log" 2>&1; then
        fail "main.o linked without the objects of the modules it imports"
    fi
    if ! "$pelc" "${objs[@]}" -o "$tmp/sep" > "$tmp/link.log" 2>&1; then
        fail "linking ${objs[*]} failed"; head -n 40 "$tmp/link.log"; exit 1
    fi
    for w in 1 2; do
        PEL_WORKERS=$w timeout -k 5 60 "$tmp/sep" > "$tmp/out.s$w" 2> "$tmp/err.s$w" < /dev/null
        check "separately compiled, PEL_WORKERS=$w" $? "$tmp/out.s$w" "$tmp/err.s$w"
    done
fi
[ $failed -eq 0 ] && echo "PASS modules/$name"
exit $failed
