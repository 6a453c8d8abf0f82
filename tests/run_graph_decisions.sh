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
has matmul 'line 21: tiled: rows of 4 x 8 folds'
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

if ((failed)); then exit 1; fi
echo "graph decisions: ok"
