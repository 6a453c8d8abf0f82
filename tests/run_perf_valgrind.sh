#!/usr/bin/env bash
# run_perf_valgrind.sh PELC -- pelc -g: the tools people profile and check
# C with show .pel lines too. valgrind's report of an uninitialised value
# (read by an extern C function, used by PEL code) names the .pel lines of
# the PEL frames down to main; `perf report --sort srcline` attributes the
# samples of a hot PEL function to its .pel lines. Each part is skipped
# (passes) when its tool is missing or, for perf, not permitted here.
set -u
pelc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-prof.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0
fail() { echo "FAIL perf/valgrind: $*"; failed=1; }

if command -v valgrind > /dev/null; then
    cat > junk.c <<'C'
#include <stdint.h>
#include <stdlib.h>
int64_t junk(int64_t n) {
    int64_t *p = malloc(sizeof *p * (size_t)n);
    int64_t v = p[n - 1]; /* never written: valgrind tracks it */
    free(p);
    return v;
}
C
    cat > uninit.pel <<'PEL'
extern fn junk(n: i64) -> i64

fn check(n: i64) -> i64 = {
  let v = junk(n)
  if v > 0 { 1 } else { 0 }
}

fn main() = println(check(4) * 0)
PEL
    "$pelc" -g -O0 uninit.pel junk.c -o uninit || fail "pelc -g uninit.pel junk.c failed"
    for w in 1 2; do
        PEL_WORKERS=$w timeout -k 5 120 valgrind -q ./uninit > vg.out 2> vg.$w
        [ "$(cat vg.out)" = 0 ] || fail "workers=$w: under valgrind the program printed '$(cat vg.out)'"
        for want in 'depends on uninitialised value' 'at 0x[0-9A-F]*: .*check (uninit.pel:5)' \
                    'by 0x[0-9A-F]*: .*main (uninit.pel:8)'; do
            grep -q "$want" vg.$w || fail "workers=$w: valgrind has no '$want': $(head -8 vg.$w)"
        done
    done
else
    echo "SKIP valgrind: not installed"
fi

cat > hot.pel <<'PEL'
fn collatz(n: i64) -> i64 =
  if n == 1 { 0 } else { if n % 2 == 0 { 1 + collatz(n / 2) } else { 1 + collatz(3 * n + 1) } }

fn main() = {
  let xs = for i in 1..1000000 => collatz(i)
  println(maximum(xs))
}
PEL
"$pelc" -g -O2 hot.pel -o hot || fail "pelc -g -O2 hot.pel failed"
if command -v perf > /dev/null && perf record -q -o perf.data ./hot > hot.out 2> perf.err; then
    [ "$(cat hot.out)" = 524 ] || fail "under perf the program printed '$(cat hot.out)'"
    perf report -i perf.data --stdio --no-children --sort sym,srcline > report 2> /dev/null
    grep -q 'collatz *hot.pel:[12]$' report || fail "perf report has no collatz line at hot.pel:1-2: $(grep '%' report | head -5)"
else
    echo "SKIP perf: not installed or not permitted ($(head -1 perf.err 2> /dev/null))"
fi
[ $failed -eq 0 ] && echo "PASS perf/valgrind"
exit $failed
