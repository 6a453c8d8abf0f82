#!/usr/bin/env bash
# run_repl.sh PEL DIR NAME
#
# A scripted REPL session: `pel < NAME.in` (stdin not a terminal, so no
# prompts), run inside DIR so that `:load file.pel` finds its files, with
# PEL_WORKERS=2 and NO_COLOR. stdout and stderr go to one stream, in the
# order they were written, which must equal NAME.out byte for byte; the
# exit status must equal NAME.status (absent: 0). The numbers of a `:time`
# line are replaced by N before comparing (they are wall times).
#
# Exit status: 0 pass, 1 fail (with a report on stdout).
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 PEL DIR NAME" >&2
    exit 2
fi
pel=$1 dir=$2 name=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-repl.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1

expect_status=0
[ -f "$name.status" ] && expect_status=$(tr -d ' \n\r' < "$name.status")

PEL_WORKERS=2 NO_COLOR=1 PEL_HISTORY=$tmp/history timeout -k 5 120 "$pel" < "$name.in" > "$tmp/raw" 2>&1
status=$?
sed -E 's/^time: [0-9.]+ ms \(compile [0-9.]+ ms\)/time: N ms (compile N ms)/' "$tmp/raw" > "$tmp/out"

failed=0
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "FAIL repl/$name: timed out (a hang is a failure)"
    failed=1
elif [ "$status" -ne "$expect_status" ]; then
    echo "FAIL repl/$name: exit status $status, expected $expect_status"
    failed=1
fi
if ! cmp -s "$name.out" "$tmp/out"; then
    echo "FAIL repl/$name: output differs (--- expected, +++ actual)"
    diff -u -a --label expected --label actual "$name.out" "$tmp/out" | head -n 80
    failed=1
fi
[ $failed -eq 0 ] && echo "PASS repl/$name"
exit $failed
