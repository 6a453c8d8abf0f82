#!/usr/bin/env bash
# run_fuzz.sh SRC BUILDDIR SECONDS_PER_HARNESS -- the libFuzzer harnesses of
# tests/fuzz, one after the other (tests/fuzz/README.md).
#
#   1. configures BUILDDIR with clang-19 and -DPEL_FUZZ=ON if it is not such
#      a build folder yet, and builds the harnesses (only them);
#   2. replays every file of tests/fuzz/crashes (named HARNESS-WHAT) through
#      its harness: each is an input that once crashed or hung it;
#   3. makes each harness's corpus once, in BUILDDIR/corpus-NAME (seeds from
#      tests/fuzz/make_corpus.sh; it grows with every run after that);
#   4. runs each harness for SECONDS with its dictionary, from an empty
#      folder (imports are looked for in the current folder), and prints
#      how many inputs it ran.
# New crashes, hangs and leaks are written to BUILDDIR/artifacts/; minimise
# one with `HARNESS -minimize_crash=1 -runs=100000 FILE`. Exits 1 if a
# harness found one or a regression input still fails.
#
# Environment: FUZZ_HARNESSES (a subset, in order), FUZZ_FLAGS (more
# libFuzzer flags), FUZZ_JOBS (build parallelism, default 2).
set -uo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 SRC BUILDDIR SECONDS_PER_HARNESS" >&2
  exit 2
fi
src=$(cd "$1" && pwd) || exit 2
mkdir -p "$2" || exit 2
build=$(cd "$2" && pwd)
secs=$3
harnesses=${FUZZ_HARNESSES:-fuzz_parse fuzz_repl_scan fuzz_numbers fuzz_check fuzz_codegen}
jobs=${FUZZ_JOBS:-2}
fuzzdir=$src/tests/fuzz

# ---- 1. configure and build -------------------------------------------------
if ! grep -q '^PEL_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  command -v clang-19 >/dev/null || { echo "run_fuzz: clang-19 not found (scripts/deps.sh)" >&2; exit 1; }
  echo "run_fuzz: configuring $build"
  cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
        -DPEL_FUZZ=ON -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; exit 1; }
fi
start=$(date +%s)
# shellcheck disable=SC2086
cmake --build "$build" -j"$jobs" --target $harnesses > "$build/build.log" 2>&1 \
  || { tail -50 "$build/build.log" >&2; echo "run_fuzz: the build failed" >&2; exit 1; }
echo "run_fuzz: harnesses built in $(($(date +%s) - start)) s"

dict_of() { [ "$1" = fuzz_numbers ] && echo "$fuzzdir/numbers.dict" || echo "$fuzzdir/pel.dict"; }
corpus_kind() { case $1 in fuzz_repl_scan) echo repl ;; fuzz_numbers) echo numbers ;; *) echo pel ;; esac; }

work=$build/fuzz-work # empty: `import x` finds no x.pel
arts=$build/artifacts
mkdir -p "$work" "$arts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
status=0

# ---- 2. regressions -----------------------------------------------------------
for f in "$fuzzdir"/crashes/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  case $name in README* | *.md) continue ;; esac
  h=${name%%-*}
  case " $harnesses " in *" $h "*) ;; *) continue ;; esac
  if (cd "$work" && "$build/bin/$h" -timeout=10 -rss_limit_mb=4096 "$f") > "$build/replay-$name.log" 2>&1; then
    echo "run_fuzz: regression $name: ok"
  else
    echo "run_fuzz: regression $name: FAILS (log: $build/replay-$name.log)"
    grep -m3 -E "ERROR|BUG|timeout|SUMMARY" "$build/replay-$name.log" | sed 's/^/    /'
    status=1
  fi
done

# ---- 3 and 4. corpus and fuzzing ------------------------------------------------
printf '%-16s %10s %8s %6s  %s\n' harness execs exec/s new result | tee "$build/fuzz-summary.txt"
for h in $harnesses; do
  corpus=$build/corpus-${h#fuzz_}
  if [ ! -d "$corpus" ]; then
    "$fuzzdir/make_corpus.sh" "$corpus.tmp" "$(corpus_kind "$h")" > /dev/null && mv "$corpus.tmp" "$corpus" \
      || { echo "run_fuzz: cannot make the corpus of $h" >&2; exit 1; }
  fi
  log=$build/fuzz-$h.log
  before=$(ls "$arts" | wc -l)
  # shellcheck disable=SC2086
  (cd "$work" && "$build/bin/$h" -dict="$(dict_of "$h")" -max_total_time="$secs" -timeout=10 \
     -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$arts/$h-" ${FUZZ_FLAGS:-} "$corpus") \
    > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  result=ok
  if [ "$rc" -ne 0 ] || [ "$(ls "$arts" | wc -l)" -ne "$before" ]; then
    result="FOUND A BUG (rc $rc; log $log; input in $arts)"
    grep -m5 -E "ERROR:|BUG:|SUMMARY|Test unit written" "$log" | sed 's/^/    /'
    status=1
  fi
  printf '%-16s %10s %8s %6s  %s\n' "$h" "${execs:-?}" "${rate:-?}" "${added:-?}" "$result" \
    | tee -a "$build/fuzz-summary.txt"
done
echo "run_fuzz: summary in $build/fuzz-summary.txt"
exit $status
