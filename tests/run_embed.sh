#!/usr/bin/env bash
# run_embed.sh PELC INCLUDE_DIR LIB_DIR DIR NAME [CFLAGS] -- C calling PEL (spec 9):
# DIR/NAME holds kernel.pel (export fns), main.c and main.out. The header
# from `pelc --emit-header` (alone, or with -c) must compile with -Wall -Werror in C and C++;
# main.c, linked with kernel.o and the PEL libraries, must print exactly
# main.out at PEL_WORKERS=1 and 2 (stdout piped: C's and PEL's output in
# call order), and leak nothing under valgrind when there is one. With
# fail.args: `main ARGS` must end in exactly fail.err (PEL's located
# runtime error), status 1, the output before it kept. With clash: a C
# object defining the exported name it holds must fail the link.
set -u
pelc=$1 inc=$2 libdir=$3 dir=$4 name=$5
extra=${6:-} # the sanitizers, when the runtime was built with them
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-embed.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL embed/$name: $*"; failed=1; }
cd "$dir/$name" || exit 1
cc=${CC:-cc}
libs=("$libdir/libpelstd.a" "$libdir/libpelrt.a" -lpthread -lm $extra)
# the header with the object in one compile, and alone: the same text
"$pelc" -c kernel.pel -o "$tmp/kernel.o" --emit-header "$tmp/kernel.h" ||
    { fail "pelc -c kernel.pel --emit-header failed"; exit 1; }
mkdir "$tmp/alone"
"$pelc" --emit-header "$tmp/alone/kernel.h" kernel.pel || { fail "pelc --emit-header failed"; exit 1; }
cmp -s "$tmp/kernel.h" "$tmp/alone/kernel.h" || fail "the header written with -c differs from the header alone"
"$cc" -std=c11 -Wall -Wextra -Werror -I "$inc" -I "$tmp" main.c "$tmp/kernel.o" "${libs[@]}" -o "$tmp/main" ||
    { fail "main.c did not compile against the header"; exit 1; }
printf '#include "kernel.h"\nint main(void) { return 0; }\n' > "$tmp/t.cc"
c++ -Wall -Wextra -Werror -I "$inc" -I "$tmp" "$tmp/t.cc" "$tmp/kernel.o" "${libs[@]}" -o "$tmp/cpp" && "$tmp/cpp" ||
    fail "the header does not work from C++"
for w in 1 2; do
    PEL_WORKERS=$w timeout -k 5 60 "$tmp/main" > "$tmp/out" 2> "$tmp/err"
    st=$?
    [ $st -eq 0 ] || fail "PEL_WORKERS=$w: status $st: $(head -3 "$tmp/err")"
    cmp -s main.out "$tmp/out" || { fail "PEL_WORKERS=$w: stdout differs"; diff main.out "$tmp/out" | head; }
done
if [ -z "$extra" ] && command -v valgrind > /dev/null; then
    PEL_WORKERS=2 valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 "$tmp/main" \
        > /dev/null 2> "$tmp/vg" || fail "valgrind: $(head -5 "$tmp/vg")"
fi
if [ -f fail.args ]; then
    read -r -a fargs < fail.args
    PEL_WORKERS=2 timeout -k 5 60 "$tmp/main" "${fargs[@]}" > "$tmp/out" 2> "$tmp/err"
    st=$?
    [ $st -eq 1 ] || fail "a runtime error in an exported call gave status $st"
    cmp -s fail.err "$tmp/err" || fail "the runtime error differs: $(cat "$tmp/err")"
    head -n -1 main.out | cmp -s - <(head -n -1 "$tmp/out") || fail "the output before the error was lost"
fi
if [ -f clash ]; then
    sym=$(cat clash)
    printf '#include <stdint.h>\nint64_t %s(int64_t n) { return n; }\n' "$sym" > "$tmp/clash.c"
    "$cc" -c "$tmp/clash.c" -o "$tmp/clash.o"
    "$cc" -I "$inc" -I "$tmp" main.c "$tmp/kernel.o" "$tmp/clash.o" "${libs[@]}" -o "$tmp/clash" 2> "$tmp/clash.err" &&
        fail "an exported name defined again in C linked silently"
    grep -q "multiple definition of .$sym" "$tmp/clash.err" || fail "the clash is not named: $(head -3 "$tmp/clash.err")"
fi
[ $failed -eq 0 ] && echo "PASS embed/$name"
exit $failed
