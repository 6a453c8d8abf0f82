#!/usr/bin/env bash
# run_warnings.sh PELC PEL -- warnings (docs/reliability.md): an unused let
# or a function main never reaches is a located warning with a hint,
# through pelc and pel alike, and the
# program still builds and runs; `_x` and a use silence it; after an error
# there is none (a misspelt use would make its let look unused); -w hides
# warnings, -Werror makes them errors (status 1, no output file); the
# REPL shows none (a session's lets are unused by most inputs).
set -u
pelc=$1 pel=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-warn.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0
fail() { echo "FAIL warnings: $*"; failed=1; }
cat > w.pel <<'PEL'
fn main() = {
  let a = 1
  let _b = 2
  let (p, q) = (3, 4)
  println(p)
}
PEL
want='w.pel:2:7: warning: unused variable '"'a'"'
  2 |   let a = 1
    |       ^
hint: remove the let if its value is not needed, or name it '"'_a'"'
w.pel:4:11: warning: unused variable '"'q'"'
  4 |   let (p, q) = (3, 4)
    |           ^
hint: remove the let if its value is not needed, or name it '"'_q'"''
NO_COLOR=1 "$pelc" w.pel -o w 2> err; st=$?
[ $st -eq 0 ] || fail "pelc: status $st with only warnings"
[ "$(cat err)" = "$want" ] || fail "pelc: stderr was:
$(cat err)"
[ "$(./w)" = 3 ] || fail "the program printed '$(./w)'"
NO_COLOR=1 "$pel" w.pel > out 2> err
[ "$(cat out)" = 3 ] || fail "pel printed '$(cat out)'"
[ "$(cat err)" = "$want" ] || fail "pel: stderr was:
$(cat err)"
"$pelc" -w w.pel -o w2 2> err || fail "pelc -w failed"
[ -s err ] && fail "pelc -w printed: $(cat err)"
NO_COLOR=1 "$pelc" -Werror w.pel -o w3 2> err; st=$?
[ $st -eq 1 ] || fail "pelc -Werror: status $st"
[ -e w3 ] && fail "pelc -Werror wrote w3"
grep -q "^w.pel:2:7: error: unused variable 'a'" err || fail "pelc -Werror: $(head -2 err)"
"$pel" -Werror w.pel > /dev/null 2>&1 && fail "pel -Werror ran the program"
printf 'fn main() = {\n  let total = 10\n  println(totl)\n}\n' > e.pel
NO_COLOR=1 "$pelc" e.pel -o e 2> err
grep -q warning err && fail "a warning after an error: $(cat err)"
grep -q "did you mean 'total'" err || fail "no did-you-mean for totl: $(cat err)"
# a function of the program's file that main never reaches; not one of a
# library module, nor '_kept'
printf 'fn used(x: i64) -> i64 = x + 1\nfn unused(x: i64) -> i64 = x * 2\nfn _kept() -> i64 = 1\nfn main() = println(used(1))\n' > f.pel
NO_COLOR=1 "$pelc" f.pel -o f 2> err || fail "pelc f.pel failed"
[ "$(grep -c warning err)" = 1 ] || fail "unused functions: $(cat err)"
grep -q "^f.pel:2:4: warning: function 'unused' is never called" err || fail "no warning for 'unused': $(cat err)"
printf 'let x = 5\n1 + 1\nx\n' | NO_COLOR=1 "$pel" > out 2>&1
grep -q warning out && fail "the REPL warned: $(cat out)"
[ $failed -eq 0 ] && echo "PASS warnings"
exit $failed
