#!/usr/bin/env bash
# run_codegen_ir.sh PELC -- what codegen must (not) emit, read off
# `pelc -S --emit-llvm` (docs/compiler.md, "Ownership" and "Tiled folds"):
#  - reading variables, elements and fields in a loop touches no count;
#  - sort and map take over an array only a temporary refers to (in place
#    when it is unique), or a let-bound variable at its only use, and
#    borrow any other variable's;
#  - a map whose element is a sum or product over a range of simple code
#    gets a tile loop (and a map of such maps a row tile); one whose fold
#    calls a function, or whose range depends on the map's variable, does
#    not.
set -u
pelc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-own.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# ir NAME SOURCE: compiles SOURCE, leaves the IR in $tmp/NAME.ll
ir() {
    printf '%s\n' "$2" > "$tmp/$1.pel"
    if ! "$pelc" -S --emit-llvm "$tmp/$1.pel" -o "$tmp/$1.ll" 2> "$tmp/$1.log"; then
        echo "FAIL $1: pelc failed"; cat "$tmp/$1.log"; failed=1
    fi
}
has() { grep -q "$2" "$tmp/$1.ll" || { echo "FAIL $1: no '$2' in the IR"; failed=1; }; }
lacks() { ! grep -q "$2" "$tmp/$1.ll" || { echo "FAIL $1: '$2' in the IR"; failed=1; }; }

ir borrow_loop '
fn dot(a: [[f64]], b: [[f64]], i: i64, j: i64) -> f64 = sum(for t in 0..len(b) => a[i][t] * b[t][j])
fn main() {
  let a = for i in 0..4 => for j in 0..4 => f64(i + j)
  println(dot(a, a, 1, 2))
}'
lacks borrow_loop 'call void @pel_rt_retain'

ir sort_temp '
fn gen(n: i64) -> [i64] = for i in 0..n => n - i
fn main() = println(sort(gen(5)))'
has sort_temp '@pel_rt_sort_i64_owned'

ir sort_var '
fn main() {
  let xs = [3, 1, 2]
  println(sort(xs))
  println(xs)
}'
has sort_var '@pel_rt_sort_i64('
lacks sort_var '@pel_rt_sort_i64_owned'

ir map_temp '
fn gen(n: i64) -> [i64] = for i in 0..n => n - i
fn main() = println(map(gen(5), fn(x) => f64(x) * 0.5))'
has map_temp '@pel_rt_unique'

ir map_var '
fn main() {
  let xs = [3, 1, 2]
  println(map(xs, fn(x) => x + 1))
  println(xs)
}'
lacks map_var '@pel_rt_unique'

# a let-bound array at its only use is handed over (cg_move.c) ...
ir moved '
fn gen(n: i64) -> [i64] = for i in 0..n => n - i
fn main() {
  let xs = gen(5)
  let ys = sort(xs)
  let zs = for y in ys => y * 2
  println(zs)
}'
has moved '@pel_rt_sort_i64_owned'
has moved '@pel_rt_unique'

# ... but not from inside a lambda or one branch of an if, nor a variable
# used twice
ir not_moved '
fn gen(n: i64) -> [i64] = for i in 0..n => n - i
fn main() {
  let xs = gen(5)
  let f = fn(k: i64) => sort(xs)[k]
  println(f(0))
  let zs = gen(4)
  println(sort(zs))
  println(zs)
  println(f(1))
}'
lacks not_moved '@pel_rt_sort_i64_owned'

# the last use in one branch of an if moves; the other branch releases
ir moved_in_branch '
fn gen(n: i64) -> [i64] = for i in 0..n => n - i
fn main() {
  let ys = gen(3)
  println(if len(ys) > 2 { sort(ys) } else { [] })
}'
has moved_in_branch '@pel_rt_sort_i64_owned'

# tile_in FN NAME: the loop functions of PEL function FN with a tile loop
tile_in() { awk -v fn="@pel.$1.loop" '/^define/ { cur = index($0, fn) > 0 } cur && /tile\.body/ { n++ } END { print n + 0 }' "$tmp/$2.ll"; }
tiled() { [ "$(tile_in "$1" "$2")" -gt 0 ] || { echo "FAIL $2: no tile loop in $1"; failed=1; }; }
untiled() { [ "$(tile_in "$1" "$2")" -eq 0 ] || { echo "FAIL $2: a tile loop in $1"; failed=1; }; }

ir tile_matmul '
fn mm(a: [[f64]], b: [[f64]]) -> [[f64]] = for i in 0..len(a) => for j in 0..len(b[0]) => sum(for t in 0..len(b) => a[i][t] * b[t][j])
fn main() = println(mm([[1.0]], [[2.0]]))'
tiled mm tile_matmul
grep -q 'tile.bail' "$tmp/tile_matmul.ll" || { echo "FAIL tile_matmul: no row tile"; failed=1; }

ir tile_call '
fn w(t: i64) -> f64 = f64(t)
fn f(n: i64) -> [f64] = for j in 0..n => sum(for t in 0..n => w(t) * f64(j))
fn main() = println(f(3))'
untiled f tile_call

ir tile_dependent '
fn f(n: i64) -> [i64] = for j in 0..n => sum(for t in 0..j => t)
fn main() = println(f(3))'
untiled f tile_dependent

# an if in the fold (its branches are blocks `{ e }`) is simple code too
ir tile_if '
fn f(n: i64, xs: [i64]) -> [i64] = for j in 0..n => sum(for t in 0..n => if xs[t] > j { xs[t] - j } else { j })
fn main() = println(f(3, [1, 5, 2]))'
tiled f tile_if

[ $failed -eq 0 ] && echo "PASS codegen IR"
exit $failed
