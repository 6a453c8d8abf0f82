#!/usr/bin/env bash
# run_limits.sh PELC -- inputs at the sizes issue lists as limits: each
# compiles and runs, or gets a clear error, within a time a user would
# wait (timeout), and never crashes:
#   10^5 functions in a file (a chain of calls), compiled at -O2 and run
#   a 10^6-element array literal
#   10^5 lets in one block, through --emit-graph (linear: it was quadratic)
#   10^4 nested blocks and 10^5 nested parentheses: a located error
#   a task tree of 10^7 leaves (fib-shaped), at 1 and 2 workers
set -u
pelc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-limits.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0
fail() { echo "FAIL limits: $*"; failed=1; }

# ok NAME SECONDS EXPECTED-STDOUT COMMAND...: runs within SECONDS, status 0
ok() {
    local name=$1 secs=$2 want=$3
    shift 3
    local start=$SECONDS
    timeout -k 5 "$secs" "$@" > out 2> err
    local st=$?
    [ $st -eq 0 ] || { fail "$name: status $st after $((SECONDS - start)) s: $(head -c 300 err)"; return; }
    [ -z "$want" ] || [ "$(cat out)" = "$want" ] || fail "$name: printed '$(head -c 200 out)', want '$want'"
}

# refused NAME SECONDS PATTERN COMMAND...: status 1 within SECONDS, stderr matching PATTERN
refused() {
    local name=$1 secs=$2 pat=$3
    shift 3
    timeout -k 5 "$secs" "$@" > out 2> err
    local st=$?
    [ $st -eq 1 ] || fail "$name: status $st, want 1 (a clear error): $(head -c 300 err)"
    grep -q -- "$pat" err || fail "$name: stderr has no '$pat': $(head -c 300 err)"
}

python3 - <<'PY'
n = 100000
with open("fns.pel", "w") as f:
    for i in range(n):
        f.write("fn f%d(x: i64) -> i64 = if x == 0 { %d } else { f%d(x - 1) + 1 }\n" % (i, i, max(i - 1, 0)))
    f.write("fn main() = println(f%d(50))\n" % (n - 1))
with open("lit.pel", "w") as f:
    f.write("fn main() = {\n  let xs = [" + ", ".join(str(i) for i in range(1000000)) + "]\n  println(sum(xs))\n}\n")
with open("lets.pel", "w") as f:
    f.write("fn main() = {\n")
    for i in range(100000):
        f.write("  let a%d = %d\n" % (i, i))
    f.write("  println(a0 + a99999)\n}\n")
with open("blocks.pel", "w") as f:
    f.write("fn main() = {\n  let x = " + "{ " * 10000 + "1" + " }" * 10000 + "\n  println(x)\n}\n")
with open("parens.pel", "w") as f:
    f.write("fn main() = println(" + "(" * 100000 + "1" + ")" * 100000 + ")\n")
with open("tree.pel", "w") as f:
    f.write("fn leaves(n: i64) -> i64 = if n < 2 { 1 } else { leaves(n - 1) + leaves(n - 2) }\n"
            "fn main() = println(leaves(34))\n")
PY

ok "10^5 functions (pelc)" 300 "" "$pelc" fns.pel -o fns
[ -x fns ] && ok "10^5 functions (run)" 60 99999 ./fns
ok "10^6-element literal (pelc)" 120 "" "$pelc" lit.pel -o lit
[ -x lit ] && ok "10^6-element literal (run)" 60 499999500000 ./lit
ok "10^5 lets --emit-graph" 60 "" "$pelc" --emit-graph lets.pel -o lets.dot
refused "10^4 nested blocks" 60 "blocks.pel:2:.*error: .*nested too deeply" "$pelc" blocks.pel -o blocks
refused "10^5 nested parentheses" 60 "parens.pel:1:.*error: .*nested too deeply" "$pelc" parens.pel -o parens
# leaves(34) = fib(35) = 9227465 leaves: about 10^7 tasks spawned
ok "task tree (pelc)" 120 "" "$pelc" tree.pel -o tree
for w in 1 2; do
    [ -x tree ] && ok "10^7-leaf task tree, workers=$w" 120 9227465 env PEL_WORKERS=$w ./tree
done
[ $failed -eq 0 ] && echo "PASS limits"
exit $failed
