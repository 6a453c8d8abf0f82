#!/usr/bin/env bash
# make_corpus.sh OUTDIR [pel|repl|numbers] -- a seed corpus for the fuzzers.
#
#   pel      (default; fuzz_parse, fuzz_check, fuzz_codegen) every .pel and
#            .pel.in file of the repository (tests/, examples/, stdlib/,
#            bench/), plus GEN_COUNT (default 200) programs of
#            gen_programs.py with seed GEN_SEED (default 1)
#   repl     (fuzz_repl_scan) the REPL scripts of tests/repl whole and each
#            of their lines alone, plus the .pel files as for pel
#   numbers  (fuzz_numbers) texts for parse_i64/parse_f64, and doubles'
#            bits with a digit count for fixed()
#
# Files are named by the SHA-1 of their content, so duplicates collapse.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [pel|repl|numbers]" >&2; exit 2; }
out=$1
kind=${2:-pel}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
mkdir -p "$out"

add_file() { # add_file FILE: a copy named by its hash
  local h
  h=$(sha1sum < "$1" | cut -c1-40)
  [ -e "$out/$h" ] || cp "$1" "$out/$h"
}
add_text() { # add_text TEXT (printf escapes allowed)
  local tmp
  tmp=$(mktemp)
  printf -- "$1" > "$tmp"
  add_file "$tmp"
  rm -f "$tmp"
}

pel_sources() {
  # not tests/fuzz: its crashes are replayed on their own (run_fuzz.sh)
  find "$src/tests" "$src/examples" "$src/stdlib" "$src/bench" \
    \( -name 'build*' -o -path "$src/tests/fuzz" \) -prune -o \
    \( -type f \( -name '*.pel' -o -name '*.pel.in' \) -print \) | sort
}

case $kind in
pel|repl)
  n=0
  while IFS= read -r f; do add_file "$f"; n=$((n + 1)); done < <(pel_sources)
  gen=$(mktemp -d)
  python3 "$here/gen_programs.py" "${GEN_SEED:-1}" "${GEN_COUNT:-200}" "$gen"
  for f in "$gen"/*.pel; do add_file "$f"; done
  rm -rf "$gen"
  if [ "$kind" = repl ]; then
    tmp=$(mktemp)
    for f in "$src"/tests/repl/*.in; do
      add_file "$f"
      while IFS= read -r line || [ -n "$line" ]; do
        printf '%s\n' "$line" > "$tmp"
        add_file "$tmp"
      done < "$f"
    done
    rm -f "$tmp"
  fi
  ;;
numbers)
  for t in '0' '42' ' -17 ' '+5' '-0' '9223372036854775807' '-9223372036854775808' \
           '9223372036854775808' '-9223372036854775809' '00012' '1_000' '0x10' '--1' '+-1' \
           '\t 12\n' '\v7\f' '1 2' '' ' ' '-' '+' '3.25' '-0.5' '1e3' '1E-3' '.5' '5.' '.' \
           'inf' '-Infinity' 'NaN' 'nan(1)' '0x1p3' '1e309' '-1e309' '4.9e-324' '2.5e-324' \
           '1.7976931348623157e308' '2.2250738585072014e-308' '0.1' '2.675' '1e21' '1e22' \
           '123456789012345678901234567890' '1e' '1e+' 'e5' '1.5e3\n' '12\00034'; do
    add_text "$t"
  done
  # 8 bytes of a double (little endian), then the digit count's byte
  for t in '\x00\x00\x00\x00\x00\x00\xe0\x3f\x03' '\x66\x66\x66\x66\x66\x66\x05\x40\x03' \
           '\x00\x00\x00\x00\x00\x00\xf0\x7f\x05' '\x00\x00\x00\x00\x00\x00\xf8\x7f\x00' \
           '\xff\xff\xff\xff\xff\xff\xef\x7f\x15' '\x01\x00\x00\x00\x00\x00\x00\x00\x16' \
           '\x00\x00\x00\x00\x00\x00\x00\x80\x01' '\x9a\x99\x99\x99\x99\x99\xb9\x3f\x17'; do
    add_text "$t"
  done
  ;;
*)
  echo "$0: unknown corpus kind '$kind' (pel, repl or numbers)" >&2
  exit 2
  ;;
esac
echo "make_corpus: $(ls "$out" | wc -l) files in $out ($kind)"
