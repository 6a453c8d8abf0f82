#!/usr/bin/env bash
# run_ffi.sh PELC DIR NAME [PEL] -- a PEL program calling C (spec 9): DIR/NAME
# holds main.pel, the C files it calls (*.c) and main.out. The program is
# built three ways, each run at PEL_WORKERS=1 and 2 with exactly main.out
# (stdout piped, so C's and PEL's output must keep the calls' order):
# `pelc main.pel *.c`, objects (`pelc -c main.pel`, `cc -c`) linked by
# pelc, and a static library through `-L DIR -l NAME`; with PEL, also
# `pel -L DIR -l NAME main.pel` against a shared library of them, and pel
# without it fails naming the undefined C functions.
set -u
pelc=$1 dir=$2 name=$3 pel=${4:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-ffi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL ffi/$name: $*"; failed=1; }
cd "$dir/$name" || exit 1
cc=${CC:-cc}
runs() { # runs LABEL EXE
    for w in 1 2; do
        PEL_WORKERS=$w timeout -k 5 60 "$2" > "$tmp/out" 2> "$tmp/err" < /dev/null
        st=$?
        [ $st -eq 0 ] || fail "$1, PEL_WORKERS=$w: exit status $st"
        cmp -s main.out "$tmp/out" || { fail "$1, PEL_WORKERS=$w: stdout differs"; diff main.out "$tmp/out" | head -20; }
        [ -s "$tmp/err" ] && { fail "$1: stderr"; head "$tmp/err"; }
    done
}
"$pelc" main.pel *.c -o "$tmp/a1" || { fail "pelc main.pel *.c failed"; exit 1; }
runs "pelc main.pel *.c" "$tmp/a1"
objs=()
for c in *.c; do
    "$cc" -O2 -c "$c" -o "$tmp/${c%.c}.o" || { fail "cc -c $c failed"; exit 1; }
    objs+=("$tmp/${c%.c}.o")
done
"$pelc" -c main.pel -o "$tmp/main.o" && "$pelc" "$tmp/main.o" "${objs[@]}" -o "$tmp/a2" || { fail "linking objects failed"; exit 1; }
runs "objects" "$tmp/a2"
ar rcs "$tmp/libffitest.a" "${objs[@]}"
"$pelc" main.pel -L "$tmp" -l ffitest -o "$tmp/a3" || { fail "pelc -L -l failed"; exit 1; }
runs "-L DIR -l NAME" "$tmp/a3"
if [ -n "$pel" ]; then
    "$cc" -O2 -shared -fPIC *.c -o "$tmp/libffitest.so" || { fail "cc -shared failed"; exit 1; }
    for w in 1 2; do
        PEL_WORKERS=$w timeout -k 5 60 "$pel" -L "$tmp" -l ffitest main.pel > "$tmp/out" 2> "$tmp/err" < /dev/null
        cmp -s main.out "$tmp/out" || { fail "pel -l, PEL_WORKERS=$w: stdout differs"; diff main.out "$tmp/out" | head; }
    done
    "$pel" main.pel > /dev/null 2> "$tmp/err" < /dev/null && fail "pel ran without the C library"
    grep -q "undefined C functions .*twice" "$tmp/err" || fail "pel does not name the missing C functions: $(cat "$tmp/err")"
fi
"$pelc" main.pel -o "$tmp/a4" > /dev/null 2> "$tmp/link.err" && fail "linked without the C functions"
grep -q "undefined reference to .twice" "$tmp/link.err" || fail "a missing C function is not named: $(head -3 "$tmp/link.err")"
[ $failed -eq 0 ] && echo "PASS ffi/$name"
exit $failed
