#!/usr/bin/env bash
# run_graph_decisions.sh PELC SRCDIR -- `pelc --emit-graph` shows the
# decisions the IR took (docs/compiler.md, "The IR's facts"): the tiling of
# examples/matmul.pel, the move of an array into sort in examples/sort.pel
# and in a program of our own (a variable at its only use, a variable used
# twice that is not moved), costs on the nodes, which folds split on demand.
set -u
pelc=$1 src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-graph.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# dot NAME FILE: the DOT of FILE in $tmp/NAME.dot
dot() {
    if ! "$pelc" --emit-graph "$2" -o "$tmp/$1.dot" 2> "$tmp/$1.log"; then
        echo "FAIL $1: pelc failed"; cat "$tmp/$1.log"; failed=1
    fi
}
has() { grep -qF -- "$2" "$tmp/$1.dot" || { echo "FAIL $1: no '$2' in the graph"; failed=1; }; }
lacks() { ! grep -qF -- "$2" "$tmp/$1.dot" || { echo "FAIL $1: '$2' in the graph"; failed=1; }; }

dot matmul "$src/examples/matmul.pel"
has matmul 'line 21: tiled: rows of 8 x 8 folds'
has matmul 'line 21: fused: sum <- for <- range'

dot sort "$src/examples/sort.pel"
has sort 'line 30: move: a temporary into sort (in place when unique)'

cat > "$tmp/moves.pel" <<'PEL'
fn gen(n: i64) -> [i64] = for i in 0..n => (i * 7919) % n
fn main() {
  let xs = gen(10)
  let ys = sort(xs)
  let zs = gen(5)
  println((ys, sort(zs), zs))
}
PEL
dot moves "$tmp/moves.pel"
has moves "line 4: move: 'xs' into sort (in place when unique)"
lacks moves "'zs' into sort"
has moves 'cost: unbounded'
has moves '3: let xs = gen(10)'

# a fold of costly elements: an i64 sum splits on demand (no rounding), an
# f64 sum keeps its fixed tree
cat > "$tmp/folds.pel" <<'PEL'
fn walk(d: i64) -> i64 = if d == 0 { 1 } else { sum(for c in 0..3 => walk(d - 1)) }
fn wf(d: i64) -> f64 = if d == 0 { 1.0 } else { sum(for c in 0..3 => wf(d - 1)) }
fn main() { println((walk(4), wf(4))) }
PEL
dot folds "$tmp/folds.pel"
has folds 'line 1: fused: sum <- for <- range (costly elements, split on demand)'
has folds 'line 2: fused: sum <- for <- range (costly elements)"'

# a foldl whose steps only set their state: unique once, sets unchecked;
# a state a closure captures keeps its checks
cat > "$tmp/unique.pel" <<'PEL'
fn flip(p: [i64], k: i64) -> [i64] =
  foldl(0..(k + 1) / 2, p, fn(q, i) => { let a = q[i]; set(set(q, i, q[k - i]), k - i, a) })
fn cap(p: [i64]) -> [i64] = foldl(0..3, p, fn(q, i) => { let g = fn(j: i64) -> i64 => q[j]; set(q, i, g(i)) })
fn main() { println((flip([1, 2, 3], 2), cap([1, 2, 3]))) }
PEL
dot unique "$tmp/unique.pel"
has unique 'line 2: foldl: the state made unique once, before the loop'
has unique "line 2: move: a temporary into set (in place: unique, unchecked)"
lacks unique 'line 3: foldl: the state made unique'

if ((failed)); then exit 1; fi
echo "graph decisions: ok"
