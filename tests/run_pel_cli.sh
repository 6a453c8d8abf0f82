#!/usr/bin/env bash
# pel's command line (spec 10): `pel prog.pel args...`, `pel -e`, a
# `#!/usr/bin/env pel` script, and bad invocations (status 1 and a message,
# never a crash or a hang). Usage: run_pel_cli.sh PEL
set -u
PEL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d); trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
cd "$T"
fails=0 passes=0
check() { # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; fails=$((fails + 1)); fi
}
# run ARGS...: stdout in out.txt, stderr in err.txt, status in $st
run() { timeout -k 5 60 "$PEL" "$@" > out.txt 2> err.txt < /dev/null; st=$?; }
is() { [ "$(cat "$1")" = "$2" ]; }
# The outcome of a bad invocation: a clean status 1 and a message.
bad() { # bad NAME PATTERN ARGS...
  local name=$1 pat=$2; shift 2
  run "$@"
  check "$name: status 1 (got $st)" test "$st" -eq 1
  check "$name: message matching '$pat'" grep -q -- "$pat" err.txt
}

# ---- PEL_STATS counts heap values --------------------------------------------
cat > stats.pel <<'PEL'
fn main() {
  let xs = fill(3, 0)
  let ys = for i in 0..2 => str(i)
  println((len(xs), len(ys)))
}
PEL
PEL_STATS=1 PEL_WORKERS=1 timeout -k 5 60 "$PEL" stats.pel > out.txt 2> err.txt; st=$?
check "stats: status 0" test "$st" -eq 0
check "stats: an allocs column" grep -q 'allocs$' err.txt
# fill's array, the for's array, its two strings (and the tuple's none)
check "stats: 4 heap values" grep -Eq '^pel: stats:  total .* 4$' err.txt

# A helper that sets an element of its parameter, and a loop (self tail
# call) that does, take the caller's array over when the caller is done
# with it (ir/moves.c, param_owned): 1000 steps each update the same two
# arrays in place, where a borrowed parameter would copy each step.
cat > owned.pel <<'PEL'
fn inc0(xs: [i64]) -> [i64] = set(xs, 0, xs[0] + 1)
fn bump(xs: [i64], i: i64) -> [i64] =
  if i == len(xs) { xs } else { bump(set(xs, i, xs[i] + 1), i + 1) }
fn main() {
  let r = iterate(1000, fill(10, 0), fn(xs) => inc0(xs))
  let s = iterate(1000, fill(10, 0), fn(xs) => bump(xs, 0))
  println(r[0] + s[9])
}
PEL
PEL_STATS=1 PEL_WORKERS=1 timeout -k 5 60 "$PEL" owned.pel > out.txt 2> err.txt; st=$?
check "owned params: status 0" test "$st" -eq 0
check "owned params: output" is out.txt 2000
check "owned params: 2 heap values in 2000 updates" grep -Eq '^pel: stats:  total .* 2$' err.txt

# A fold whose state is a tuple (array, seed) extends the array in place
# whether the step is a lambda projecting st.0 at st's last use
# (IrFact.take_field) or a named function that takes st apart (it owns
# st, and the fold hands the state over): 3 pushes of 1000 each grow 3
# arrays (a few reallocations), where a copy per step would be 3000.
cat > tuplestate.pel <<'PEL'
fn next(x: i64) -> i64 = (x * 1103515245 + 12345) % 2147483648
fn step(st: ([i64], i64), i: i64) -> ([i64], i64) {
  let (ys, x) = st
  (push(ys, next(x)), next(x))
}
type S = { xs: [i64], seed: i64 }
fn main() {
  let e: [i64] = []
  let (a, _) = foldl(0..1000, (e, 1), fn(st, i) => {
    let x = next(st.1)
    (push(st.0, x), x)
  })
  let (b, _) = foldl(0..1000, (e, 1), step)
  let c = foldl(0..1000, S { xs: e, seed: 1 }, fn(s, i) => {
    let x = next(s.seed)
    S { xs: push(s.xs, x), seed: x }
  })
  println((sum(a) == sum(b), sum(b) == sum(c.xs), len(a) + len(b) + len(c.xs), a[999] == c.xs[999]))
}
PEL
PEL_STATS=1 PEL_WORKERS=1 timeout -k 5 60 "$PEL" tuplestate.pel > out.txt 2> err.txt; st=$?
check "tuple state: status 0" test "$st" -eq 0
check "tuple state: output" is out.txt '(true, true, 3000, true)'
allocs=$(sed -nE 's/^pel: stats:  total .* ([0-9]+)$/\1/p' err.txt)
check "tuple state: in place (under 100 heap values, not 3000)" test "${allocs:-99999}" -lt 100

# ---- pel -e ----------------------------------------------------------------
run -e 'sum(1..101)';             check "-e sum" is out.txt 5050
check "-e status 0" test "$st" -eq 0
run -e '"a\tb"';                  check "-e quotes strings" is out.txt '"a\tb"'
run -e '[(1, 2.5)]';              check "-e tuple array" is out.txt '[(1, 2.5)]'
run -e 'println("raw")';          check "-e prints nothing for ()" is out.txt raw
run -e 'let x = 6; x * 7';        check "-e statements" is out.txt 42
run -e 'fn f() -> i64 = 1';       check "-e definition prints nothing" is out.txt ''
check "-e definition status 0" test "$st" -eq 0
run -e 'args()' one 'two words';  check "-e args()" is out.txt '["one", "two words"]'
run -e '1 / 0'
check "-e runtime error status" test "$st" -eq 1
check "-e runtime error message" is err.txt '<repl>:1:3: runtime error: division by zero'
run -e '1 +'
check "-e compile error status" test "$st" -eq 1
check "-e compile error names <repl>" grep -q '^<repl>:1:4: error:' err.txt
run -e 'x'
check "-e unknown name" grep -q "unknown name 'x'" err.txt
run -O0 -e '2 * 21';              check "-O0 -e" is out.txt 42

# ---- pel prog.pel args... -----------------------------------------------------
cat > prog.pel <<'PEL'
fn main() -> i64 {
  let a = args()
  println(a)
  len(a)
}
PEL
run prog.pel x -e --help
check "args() after the program, flags included" is out.txt '["x", "-e", "--help"]'
check "main's result is the exit status" test "$st" -eq 3
printf 'fn main() {\n  println("out")\n  println(1 / (len(args()) - 1))\n}\n' > fail.pel
run fail.pel z
check "runtime error status" test "$st" -eq 1
check "output before the error is kept" is out.txt out
check "runtime error location" is err.txt 'fail.pel:3:13: runtime error: division by zero'

# ---- a script with #!/usr/bin/env pel ------------------------------------------
mkdir bin
ln -s "$PEL" bin/pel
printf '#!/usr/bin/env pel\nfn main() = println("hello from " + str(len(args())) + " args")\n' > hello
chmod +x hello
PATH="$T/bin:$PATH" timeout -k 5 60 ./hello a b c > out.txt 2> err.txt; st=$?
check "shebang script runs (status $st)" test "$st" -eq 0
check "shebang script output" is out.txt 'hello from 3 args'

# ---- bad invocations -------------------------------------------------------------
bad "missing file" "no_such.pel: No such file" no_such.pel
mkdir adir.pel
bad "directory" "is a directory" adir.pel
head -c 4096 /dev/urandom > garbage.pel
printf '\0' >> garbage.pel
bad "binary file" "source files are UTF-8 text" garbage.pel
printf 'fn main() {\n  let x = \n}\n' > syntax.pel
bad "syntax error" "^syntax.pel:3:1: error:" syntax.pel
bad "unknown option" "unknown option '-q'" -q
bad "-e without an expression" "'-e' needs an expression" -e
bad "-O9" "unknown option '-O9'" -O9 prog.pel
run --help
check "--help status 0" test "$st" -eq 0
check "--help shows -e" grep -q -- "-e 'EXPR'" out.txt
run --version
check "--version" grep -q '^pel [0-9]' out.txt

# ---- signals to a scripted session: SIGINT to pel alone, a crashing child ------------
# (the terminal case, where Ctrl-C reaches pel and the child, is repl/terminal's)
mkfifo in.fifo
timeout -k 5 60 "$PEL" < in.fifo > sess.txt 2>&1 &
sess=$!
exec 3> in.fifo
echo 'fn spin(n: i64) -> i64 = if n < 0 { n } else { spin(n + 1) }' >&3
# evaluation_child [OLD]: waits until the session has a child (the
# evaluation) other than OLD, an interrupted one that may not be reaped yet.
# (pel is timeout's child; looked for on every try, since on a loaded
# machine timeout may not have started it yet when this begins)
evaluation_child() {
  local p c
  for _ in $(seq 400); do
    p=$(pgrep -P "$sess" -x pel || true)
    if [ -n "$p" ]; then
      c=$(pgrep -P "$p" 2>/dev/null | grep -vx "${1:-none}" | head -1) && [ -n "$c" ] && { echo "$c"; return; }
    fi
    sleep 0.05
  done
}
echo 'spin(0)' >&3
c=$(evaluation_child)
check "an evaluation runs in a child process" test -n "$c"
kill -INT "$(pgrep -P "$sess" -x pel)"
echo 'spin(1)' >&3
c2=$(evaluation_child "$c")
check "after SIGINT, a new evaluation starts" test -n "$c2" -a "$c2" != "$c"
[ -n "$c2" ] && kill -SEGV "$c2"
echo '1 + 1' >&3
exec 3>&-
wait "$sess"; st=$?
check "SIGINT interrupts the evaluation" grep -qx 'interrupted' sess.txt
if grep -q AddressSanitizer sess.txt; then # a sanitizer's handler turns the crash into a status
  check "a crashing evaluation is reported" grep -q '^pel: error: the evaluation ended with status' sess.txt
else
  check "a crashing evaluation is reported" grep -q '^pel: error: the evaluation crashed (Segmentation fault)' sess.txt
fi
check "the session goes on after both" grep -qx '2 : i64' sess.txt
check "and ends with status 1 (inputs failed)" test "$st" -eq 1

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
