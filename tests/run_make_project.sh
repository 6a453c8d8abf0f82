#!/usr/bin/env bash
# run_make_project.sh PELC SRCDIR -- examples/make-project builds with
# make as a C project would: `make -j2` builds and the program prints what
# whole-program compilation prints; a second `make` runs no command;
# touching one module rebuilds exactly the objects that import it, directly
# or not (its depfile, pelc -MD -MP), and relinks; deleting a module that
# is still imported makes make fail on the compile, not on a missing rule.
set -u
pelc=$1 src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-make.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL make-project: $*"; failed=1; }
cp -r "$src/examples/make-project" "$tmp/p"
cd "$tmp/p" || exit 1
rm -rf build app

# the objects a make run compiled, sorted
compiled() { grep -o -- '-c -MD -MP [^ ]*' "$1" | sed 's/.* //' | sort | tr '\n' ' '; }

make -j2 PELC="$pelc" > make1.log 2>&1 || { fail "make -j2 failed"; cat make1.log; exit 1; }
"$pelc" -I lib src/main.pel -o whole || fail "the whole-program build failed"
./app > out.sep 2>&1 || fail "app exited with status $?"
./whole > out.whole 2>&1
cmp -s out.sep out.whole || { fail "app and the whole-program build differ"; diff out.whole out.sep; }
grep -q '^total area: 12.39$' out.sep || fail "unexpected output: $(cat out.sep)"
[ "$(compiled make1.log)" = "lib/fmtutil.pel lib/shapes.pel src/main.pel src/report.pel " ] ||
    fail "the first build compiled: $(compiled make1.log)"

make PELC="$pelc" > make2.log 2>&1
grep -q "pelc\|$pelc" make2.log && { fail "a second make ran commands"; cat make2.log; }

sleep 1 # a newer mtime than the objects on any file system
touch lib/fmtutil.pel
make PELC="$pelc" > make3.log 2>&1 || { fail "make after touching fmtutil failed"; cat make3.log; }
# report imports fmtutil; main imports report: both, and fmtutil itself
[ "$(compiled make3.log)" = "lib/fmtutil.pel src/main.pel src/report.pel " ] ||
    fail "touching lib/fmtutil.pel rebuilt: $(compiled make3.log)"
grep -q -- '-o app$' make3.log || fail "app was not relinked"

sleep 1
touch lib/shapes.pel
make PELC="$pelc" > make4.log 2>&1
[ "$(compiled make4.log)" = "lib/shapes.pel src/main.pel src/report.pel " ] ||
    fail "touching lib/shapes.pel rebuilt: $(compiled make4.log)"

sleep 1
touch src/main.pel
make PELC="$pelc" > make5.log 2>&1
[ "$(compiled make5.log)" = "src/main.pel " ] || fail "touching src/main.pel rebuilt: $(compiled make5.log)"

# -MP: a deleted module is a compile error at its import, not make's
# "No rule to make target"
rm lib/fmtutil.pel
sed -i 's| lib/fmtutil.pel||' Makefile
make PELC="$pelc" > make6.log 2>&1 && fail "make succeeded with an imported module deleted"
grep -q "No rule to make target" make6.log && fail "make had no rule for the deleted module (no -MP)"
grep -q "cannot find module 'fmtutil'" make6.log || { fail "no error naming the missing module"; cat make6.log; }

[ $failed -eq 0 ] && echo "PASS make-project"
exit $failed
