#!/usr/bin/env bash
# run_leak.sh PELC DIR NAME
#
# Leak check of one golden program: compile DIR/NAME.pel, run it once with 2
# workers under valgrind's memcheck, and fail on any memory error, or on a
# block definitely or indirectly lost when the program ends normally.
# Programs that stop with a runtime error (NAME.status not 0) exit without
# unwinding the failing tasks, so what those held is not freed (as with
# Rust's panic=abort; docs/language.md, "Memory"): for them only memory
# errors count. stdout must still equal NAME.out.
#
# Exit status: 0 pass, 1 fail (with valgrind's report on stdout).
set -u
pelc=$1 dir=$2 name=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-leak.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1

expect_status=0
[ -f "$name.status" ] && expect_status=$(tr -d ' \n\r' < "$name.status")
expect_out=/dev/null
[ -f "$name.out" ] && expect_out=$name.out

if ! timeout -k 5 120 "$pelc" "$name.pel" -o "$tmp/$name" > "$tmp/compile.log" 2>&1; then
    echo "FAIL leak/$name: pelc failed"
    head -n 40 "$tmp/compile.log"
    exit 1
fi

kinds=definite,indirect
[ "$expect_status" = 0 ] || kinds=none
PEL_WORKERS=2 timeout -k 5 600 valgrind -q --error-exitcode=77 --leak-check=full \
    --errors-for-leak-kinds=$kinds --show-leak-kinds=definite,indirect \
    "$tmp/$name" > "$tmp/out" 2> "$tmp/err" < /dev/null
status=$?

failed=0
if [ "$status" -eq 77 ]; then
    echo "FAIL leak/$name: valgrind found leaks or memory errors"
    grep '^==' "$tmp/err" | head -n 80
    failed=1
elif [ "$status" -ne "$expect_status" ]; then
    echo "FAIL leak/$name: exit status $status under valgrind, expected $expect_status"
    tail -n 20 "$tmp/err"
    failed=1
fi
if ! cmp -s "$expect_out" "$tmp/out"; then
    echo "FAIL leak/$name: stdout under valgrind differs from $name.out"
    diff -u -a "$expect_out" "$tmp/out" | head -n 30
    failed=1
fi
[ $failed -eq 0 ] && echo "PASS leak/$name"
exit $failed
