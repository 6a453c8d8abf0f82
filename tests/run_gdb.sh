#!/usr/bin/env bash
# run_gdb.sh PELC -- pelc -g: gdb stops at a breakpoint on a .pel line at
# 1 and 2 workers, and the backtrace shows .pel frames down to main's; at
# -O0 `info args`, `info locals` and `print` show parameters and lets,
# also in parallel loop bodies and lambdas; the JIT's code (pel) too;
# -g -O2 builds and runs. Skipped (passes) when gdb is not installed.
set -u
pelc=$1
command -v gdb > /dev/null || { echo "SKIP gdb: not installed"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-gdb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL gdb: $*"; failed=1; }
cat > "$tmp/walk.pel" <<'PEL'
fn depth(n: i64) -> i64 {
  if n == 0 {
    0
  } else {
    1 + depth(n - 1)
  }
}

fn main() {
  let xs = for i in 0..4 => depth(i * 3)
  println(xs)
}
PEL
cd "$tmp" || exit 1
"$pelc" -g -O0 walk.pel -o walk0 || { fail "pelc -g -O0 failed"; exit 1; }
for w in 1 2; do
    PEL_WORKERS=$w timeout -k 5 60 gdb -q -batch -ex 'break walk.pel:5' -ex run -ex bt ./walk0 > gdb.$w 2>&1
    grep -q 'Breakpoint 1 at .*walk.pel, line 5' gdb.$w || fail "workers=$w: no breakpoint on walk.pel:5: $(head -5 gdb.$w)"
    grep -q 'hit Breakpoint 1' gdb.$w || fail "workers=$w: the breakpoint was not hit"
    grep -q '^#0 .* at \(\./\)\?walk.pel:5' gdb.$w || fail "workers=$w: frame 0 is not walk.pel:5: $(grep '^#0' gdb.$w)"
    grep -q 'main .* at \(\./\)\?walk.pel:1[01]' gdb.$w || fail "workers=$w: no frame of main at walk.pel:10-11"
done
# deeper down a recursion that spawns, the sequential clone runs: its
# frames show their parameter too
cat > fib.pel <<'PEL'
fn fib(n: i64) -> i64 {
  if n < 2 {
    n
  } else {
    fib(n - 1) + fib(n - 2)
  }
}
fn main() { println(fib(20)) }
PEL
"$pelc" -g -O0 fib.pel -o fib0 || fail "pelc -g -O0 fib.pel failed"
PEL_WORKERS=1 timeout -k 5 60 gdb -q -batch -ex 'break fib.pel:5' -ex run -ex 'continue 300' -ex 'bt 3' ./fib0 > seq 2>&1
grep -q '^#0 .*fib\.seq (n=[0-9]*) at \(\./\)\?fib.pel:5' seq || fail "no sequential clone frame with n: $(grep '^#' seq | head -3)"
cat > area.pel <<'PEL'
fn area(w: i64, h: i64) -> i64 {
  let a = w * h
  let half = f64(a) / 2.0
  let big = a > 10
  if big { a } else { 0 }
}
fn main() { println(area(3, 5)) }
PEL
"$pelc" -g -O0 area.pel -o area || fail "pelc -g -O0 area.pel failed"
PEL_WORKERS=1 timeout -k 5 60 gdb -q -batch -ex 'break area.pel:5' -ex run -ex 'info args' -ex 'info locals' \
    -ex 'print a * 2' ./area > vars 2>&1
for want in 'pel.main.area (w=3, h=5) at area.pel:5' '^a = 15$' '^half = 7.5$' '^big = true$' '^\$1 = 30$'; do
    grep -q "$want" vars || fail "gdb: no '$want': $(grep -v '^\[' vars | tail -8)"
done
# in a parallel loop's body: its variable, its lets and the captured
# parameter; in a lambda: its parameter
cat > body.pel <<'PEL'
fn scale(xs: [i64], k: i64) -> [i64] =
  for x in xs => {
    let y = x * k
    y + 1
  }

fn main() = {
  let out = scale([1, 2, 3, 4], 10)
  let f = fn(a: f64) => a * 2.0
  println(out)
  println(map([1.5, 2.5], f))
}
PEL
"$pelc" -g -O0 body.pel -o body || fail "pelc -g -O0 body.pel failed"
PEL_WORKERS=1 timeout -k 5 60 gdb -q -batch -ex 'break body.pel:4' -ex 'break body.pel:9' -ex run -ex 'info locals' \
    -ex 'delete 1' -ex continue -ex 'info args' ./body > body.out 2>&1
for want in '^k = 10$' '^x = 1$' '^y = 10$' 'lambda[0-9]* (a=1.5) at body.pel:9' '^a = 1.5$'; do
    grep -q "$want" body.out || fail "loop body / lambda: no '$want': $(grep -v '^\[' body.out | tail -8)"
done
# from inside an export fn called from C, across the stack switch to main
cat > kern.pel <<'PEL'
fn twice(n: i64) -> i64 {
  2 * n
}
export fn kern_twice(n: i64) -> i64 = twice(n)
PEL
printf '#include <stdint.h>\n#include <stdio.h>\nint64_t kern_twice(int64_t);\nint main(void) { printf("%%lld\\n", (long long)kern_twice(21)); return 0; }\n' > cmain.c
libdir=$(cd "$(dirname "$pelc")/../lib" && pwd)
if "$pelc" -g -O0 -c kern.pel -o kern.o && cc -g cmain.c kern.o "$libdir/libpelstd.a" "$libdir/libpelrt.a" -lpthread -lm \
       ${PEL_EXTRA_CFLAGS:-} -o cmain; then
    PEL_WORKERS=1 timeout -k 5 60 gdb -q -batch -ex 'break kern.pel:2' -ex run -ex bt ./cmain > export.bt 2>&1
    grep -q '^#0 .*twice .* at \(\./\)\?kern.pel:2' export.bt || fail "no stop in kern.pel:2 under C: $(grep '^#' export.bt | head -3)"
    grep -q '^#[0-9]* .* main ' export.bt || fail "the backtrace does not reach C's main: $(grep '^#' export.bt)"
else
    fail "the C program calling an export fn did not build"
fi
# pel's JIT registers its code with gdb: a crash (abort from an extern
# fn) shows .pel frames by default, and with pel -g a pending breakpoint
# on a .pel line stops in JIT'd code with the locals visible
pel=$(dirname "$pelc")/pel
cat > crash.pel <<'PEL'
extern fn abort()

fn boom(n: i64) -> i64 = {
  let m = n * 2
  abort()
  m + 1
}

fn walk(n: i64) -> i64 =
  if n == 0 { boom(n) } else { walk(n - 1) + 1 }

fn main() = println(walk(3))
PEL
for w in 1 2; do
    PEL_WORKERS=$w timeout -k 5 60 gdb -q -batch -ex run -ex bt --args "$pel" crash.pel > jit.$w 2>&1
    grep -q 'SIGABRT' jit.$w || fail "pel workers=$w: no SIGABRT under gdb: $(tail -3 jit.$w)"
    grep -q '^#[0-9]* .*boom .* at crash.pel:5' jit.$w || fail "pel workers=$w: no boom frame at crash.pel:5: $(grep '^#' jit.$w)"
    grep -q '^#[0-9]* .*walk .* at crash.pel:10' jit.$w || fail "pel workers=$w: no walk frame at crash.pel:10"
    grep -q '^#[0-9]* .*main .* at crash.pel:12' jit.$w || fail "pel workers=$w: no main frame at crash.pel:12"
done
PEL_WORKERS=2 timeout -k 5 60 gdb -q -batch -ex 'set breakpoint pending on' -ex 'break area.pel:5' -ex run \
    -ex 'info locals' -ex bt --args "$pel" -g -O0 area.pel > jit.g 2>&1
for want in 'hit Breakpoint 1.*area (w=3, h=5) at area.pel:5' '^a = 15$' '^big = true$' '^#[0-9]* .*main () at area.pel:7'; do
    grep -q "$want" jit.g || fail "pel -g: no '$want': $(grep -v '^\[' jit.g | tail -8)"
done
"$pelc" -g -O2 walk.pel -o walk2 || fail "pelc -g -O2 failed"
[ "$(./walk2)" = "[0, 3, 6, 9]" ] || fail "-g -O2 printed $(./walk2)"
[ $failed -eq 0 ] && echo "PASS gdb"
exit $failed
