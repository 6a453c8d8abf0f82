#!/usr/bin/env bash
# run_repl.sh PATH/TO/pel — how long the REPL takes to answer.
#
# Measured (issue 4's targets in brackets):
#   - from starting `pel` with "1 + 2" piped in to the line "3 : i64" on its
#     stdout [< 50 ms];
#   - the same for a one-line function definition and a call of it,
#     "fn f(x: i64) -> i64 = x * 2" then "f(21)", to "42 : i64" [< 100 ms];
#   - for reference: `pel --version` (loading pel and LLVM, no work), and one
#     more input typed into a session that is already running (the latency
#     a user sees at the prompt).
# Times stop when the result line has been read, not when pel exits. A
# small Python driver (standard library only) spawns pel and reads its
# output; runs are interleaved round-robin and reported as median, min and
# max, like the other benchmark scripts (lib.sh).
#
# BENCH_ROUNDS (default 21) runs of each. The exit status is non-zero if
# pel prints a wrong result; a missed target shows as MISS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -ge 1 ]] || bench_die "usage: $0 PATH/TO/pel"
pel=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -x $pel ]] || bench_die "$pel is not an executable"
rounds=${BENCH_ROUNDS:-21}

times=$(python3 - "$pel" "$rounds" <<'PY'
import os, subprocess, sys, time

pel, rounds = sys.argv[1], int(sys.argv[2])
env = dict(os.environ, PEL_HISTORY=os.devnull)

def until(args, stdin_text, want):
    """Seconds from spawning pel to reading the line `want`."""
    t0 = time.perf_counter()
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    p.stdin.write(stdin_text.encode())
    p.stdin.close()
    line = p.stdout.readline().decode().rstrip("\n")
    t1 = time.perf_counter()
    rest = p.stdout.read()
    err = p.stderr.read()
    if p.wait() != 0 or line != want:
        sys.exit(f"bench: {args} printed {line!r} (then {rest!r}, {err!r}), expected {want!r}")
    return t1 - t0

def warm_session():
    """Seconds from writing one more input to a running session to its result."""
    p = subprocess.Popen([pel], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, bufsize=0)
    p.stdin.write(b"fn f(x: i64) -> i64 = x * 2\nf(1)\n")
    if p.stdout.readline() != b"2 : i64\n":
        sys.exit("bench: the session did not start")
    t0 = time.perf_counter()
    p.stdin.write(b"f(21) + 1\n")
    line = p.stdout.readline()
    t1 = time.perf_counter()
    p.stdin.close()
    p.wait()
    if line != b"43 : i64\n":
        sys.exit(f"bench: warm session printed {line!r}")
    return t1 - t0

cases = [
    ("1 + 2, start to result", lambda: until([pel], "1 + 2\n", "3 : i64")),
    ("fn + call, start to result",
     lambda: until([pel], "fn f(x: i64) -> i64 = x * 2\nf(21)\n", "42 : i64")),
    ("pel --version (start-up only)", lambda: until([pel, "--version"], "", "pel 0.1.0 (LLVM 19)")),
    ("one more input in a running session", warm_session),
]
for r in range(rounds):
    for k in range(len(cases)):
        name, run = cases[(r + k) % len(cases)]
        print(f"{name}\t{run():.6f}", flush=True)
PY
) || exit 1

while IFS=$'\t' read -r name t; do
    bench_record "$name" "$t"
done <<<"$times"

echo "## pel REPL latency ($rounds runs each, $(nproc) CPUs)"
echo
bench_table
echo
bench_ratio_header
bench_ratio_row "1 + 2, start to result (ms)" \
    "$(awk -v s="$(bench_median "1 + 2, start to result")" 'BEGIN { printf "%.1f", s * 1000 }')" "<" 50
bench_ratio_row "fn + call, start to result (ms)" \
    "$(awk -v s="$(bench_median "fn + call, start to result")" 'BEGIN { printf "%.1f", s * 1000 }')" "<" 100
