#!/usr/bin/env bash
# Builds PEL with AddressSanitizer + UBSan into $2 and runs its unit and
# golden tests there. Leak checking is the job of the "leak" label, so
# LeakSanitizer is off here (LLVM keeps some memory until exit by design).
set -euo pipefail
src=$1 dir=$2
cmake -S "$src" -B "$dir" -DPEL_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" -j"$(nproc)" >/dev/null
cd "$dir"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98
ctest -LE 'asan|tsan' -j"$(nproc)" --output-on-failure
