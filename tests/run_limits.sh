#!/usr/bin/env bash
# run_limits.sh PELC -- inputs at the sizes issue lists as limits: each
# compiles and runs, or gets a clear error, within a time a user would
# wait (timeout), and never crashes:
#   10^5 functions in a file (a chain of calls), compiled at -O2 and run
#   a 10^6-element array literal
#   10^5 lets in one block, through --emit-graph (linear: it was quadratic)
#   10^4 nested blocks and 10^5 nested parentheses: a located error
#   a task tree of 10^7 leaves (fib-shaped), at 1 and 2 workers
#   types: 10^5 aliases, 10^5 constructors of one variant (linear lookups);
#   a chain of 10^5 aliases, of 10^4 records through arrays, a cycle of
#   2*10^4 records: a located error (the resolution and the code
#   generator's per-type helpers recurse along such chains); a chain of
#   499 types, the most allowed, compiles and runs
#   a match of 2*10^4 integer arms (at -O0: LLVM's -O2 is quadratic in
#   the cases of one switch, docs/reliability.md)
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
def prog(name, lines, main="fn main() = println(1)"):
    with open(name, "w") as f:
        f.write("\n".join(lines) + "\n" + main + "\n")
n = 100000
prog("aliases.pel", ["type T%d = (i64, f64)" % i for i in range(n)] + ["fn f(x: T%d) -> f64 = x.1" % (n - 1)],
     "fn main() = println(f((1, 2.5)))")
prog("ctors.pel", ["type C = " + " | ".join("K%d" % i for i in range(n))] +
     ["fn g(c: C) -> i64 = match c { K7 => 7, _ => 0 }"], "fn main() = println(g(K7))")
prog("alias_chain.pel", ["type T%d = (T%d, i64)" % (i, i + 1) for i in range(n)] + ["type T%d = i64" % n])
prog("record_chain.pel", ["type R%d = { a: [R%d] }" % (i, i + 1) for i in range(10000)] + ["type R10000 = { v: i64 }"],
     "fn main() = {\n  let r = R0 { a: [] }\n  println(r == r)\n}")
prog("record_cycle.pel", ["type R%d = { a: R%d }" % (i, (i + 1) % 20000) for i in range(20000)])
prog("deep_types.pel", ["type V%d = A%d(V%d) | B%d" % (i, i, i + 1, i) for i in range(499)] + ["type V499 = Z(f64)"],
     "fn main() = {\n  let v = A0(A1(B2))\n  println(v == v)\n  println(v)\n}")
prog("arms.pel", ["fn f(x: i64) -> i64 = match x {"] + ["  %d => %d" % (i, 2 * i) for i in range(20000)] +
     ["  _ => -1", "}"], "fn main() = println(f(19999) + f(20000))")
PY

ok "10^5 type aliases (pelc)" 60 "" "$pelc" aliases.pel -o aliases
[ -x aliases ] && ok "10^5 type aliases (run)" 30 2.5 ./aliases
ok "10^5 constructors (pelc)" 60 "" "$pelc" ctors.pel -o ctors
[ -x ctors ] && ok "10^5 constructors (run)" 30 7 ./ctors
refused "a chain of 10^5 aliases" 60 "alias_chain.pel:.*error: type alias .* more than 1000 other aliases" \
    "$pelc" alias_chain.pel -o alias_chain
refused "a chain of 10^4 records" 60 "record_chain.pel:.*error: type .* is nested too deeply" \
    "$pelc" record_chain.pel -o record_chain
refused "a cycle of 2*10^4 records" 60 "record_cycle.pel:1:6: error: recursive type 'R0' has no finite value" \
    "$pelc" record_cycle.pel -o record_cycle
ok "a chain of 499 types (pelc)" 120 "" "$pelc" deep_types.pel -o deep_types
[ -x deep_types ] && ok "a chain of 499 types (run)" 30 "$(printf 'true\nA0(A1(B2))')" ./deep_types
ok "2*10^4 match arms (pelc -O0)" 60 "" "$pelc" -O0 arms.pel -o arms
[ -x arms ] && ok "2*10^4 match arms (run)" 30 39997 ./arms

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
