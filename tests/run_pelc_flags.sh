#!/usr/bin/env bash
# pelc's command line (spec 10): every flag does what --help says, and bad
# flags fail with a message and status 1. Usage: run_pelc_flags.sh PELC SRCDIR
set -u
PELC=$1 SRC=$2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0 passes=0
check() { # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; fails=$((fails + 1)); fi
}
cp "$SRC/examples/fib.pel" "$T/fib.pel"
sed -i 's/fib(35)/fib(20)/' "$T/fib.pel"
cd "$T"

"$PELC" --version >out.txt 2>&1; st=$?
check "--version" grep -q '^pelc [0-9]' out.txt
check "--version status" test $st -eq 0
"$PELC" --help >out.txt 2>&1
check "--help lists --emit-graph" grep -q -- '--emit-graph' out.txt

"$PELC" fib.pel; check "default output name" test -x fib
check "default output runs" test "$(./fib)" = 6765
for o in -O0 -O1 -O2 -O3; do
  rm -f p; "$PELC" $o fib.pel -o p
  check "$o" test "$(./p 2>&1)" = 6765
done
"$PELC" -c fib.pel; check "-c default name" test -s fib.o
"$PELC" -c fib.pel -o obj.o && "$PELC" obj.o -o linked
check "-c then link" test "$(./linked)" = 6765
"$PELC" -S fib.pel; check "-S writes assembly" grep -q 'pel.main.fib' fib.s
"$PELC" -S --emit-llvm fib.pel; check "--emit-llvm writes IR" grep -q '^define' fib.ll
"$PELC" --emit-llvm fib.pel -o x.ll; check "--emit-llvm -o" grep -q 'pel_rt_main' x.ll
"$PELC" --emit-graph fib.pel >g.dot; check "--emit-graph to stdout" grep -q 'digraph pel' g.dot
check "--emit-graph shows the spawn" grep -q 'spawn; join before node 2' g.dot
"$PELC" --emit-graph fib.pel -o g2.dot; check "--emit-graph -o" cmp -s g.dot g2.dot

bad() { # bad NAME ARGS... : status 1, a message naming pelc, no crash
  local name=$1; shift
  "$PELC" "$@" >out.txt 2>err.txt; local st=$?
  check "$name: status 1 (got $st)" test $st -eq 1
  check "$name: message" grep -q '^pelc: error: ' err.txt
}
bad "no arguments"
bad "unknown flag" --frobnicate fib.pel
bad "-o without a name" fib.pel -o
bad "two .pel files" fib.pel fib.pel
bad "unknown input kind" notes.txt
bad "missing file" missing.pel
mkdir dir.pel; bad "a directory" dir.pel
bad "-c without a .pel" -c

# nothing the user wrote is overwritten: -o naming the source, a module it
# imports, or an object being linked is refused before anything is written
mkdir -p mods/lib && printf 'import helper\nfn main() { println(helper.two()) }\n' > mods/app.pel
printf 'fn two() -> i64 = 2\n' > mods/lib/helper.pel
cp mods/app.pel app.keep; cp mods/lib/helper.pel helper.keep
bad "-o the source" mods/app.pel -I mods/lib -o mods/app.pel
check "-o the source: kept" cmp -s mods/app.pel app.keep
check "-o the source: says why" grep -q 'would be overwritten' err.txt
bad "-o an imported module" mods/app.pel -I mods/lib -o mods/lib/helper.pel
check "-o a module: kept" cmp -s mods/lib/helper.pel helper.keep
bad "-S -o the source" -S mods/app.pel -Imods/lib -o mods/app.pel
bad "--emit-graph -o a module" --emit-graph mods/app.pel -I mods/lib -o mods/lib/helper.pel
check "--emit-graph: kept" cmp -s mods/lib/helper.pel helper.keep
cp obj.o obj.keep
bad "link -o an input object" obj.o -o obj.o
check "link: object kept" cmp -s obj.o obj.keep
"$PELC" mods/app.pel -I mods/lib -o app2; check "-I finds the module" test "$(./app2)" = 2

# depfiles with gcc's meaning: every module, the paths as found
"$PELC" -c -MD mods/app.pel -I mods/lib -o mods/app.o
check "-MD writes OUT.d" test -f mods/app.d
check "-MD: the target and both files" grep -q '^mods/app.o: mods/app.pel' mods/app.d
check "-MD: the imported module" grep -q 'mods/lib/helper.pel' mods/app.d
check "-MD alone: no phony rules" test "$(grep -c '^mods/lib/helper.pel:' mods/app.d)" = 0
"$PELC" -c -MD -MP -MF deps.mk -MT 'obj/app.o' mods/app.pel -I mods/lib -o app3.o
check "-MF names the file" test -f deps.mk
check "-MT names the target" grep -q '^obj/app.o: mods/app.pel' deps.mk
check "-MP: an empty rule per module" grep -q '^mods/lib/helper.pel:$' deps.mk
"$PELC" -c -MD mods/app.pel -o broken.o >/dev/null 2>&1
check "no depfile when the compile fails" test ! -e broken.d
# separate compilation: a module without main, linked in any order
"$PELC" -c -I mods/lib mods/lib/helper.pel -o helper.o
check "-c a module without main" test -s helper.o
"$PELC" mods/app.o helper.o -o sep1 && "$PELC" helper.o mods/app.o -o sep2
check "link in either order" test "$(./sep1)$(./sep2)" = 22
"$PELC" mods/app.o -o lonely >/dev/null 2>err.txt
check "a missing module's object fails the link by name" grep -q 'pel.module.helper' err.txt

echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
