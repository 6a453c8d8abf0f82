#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build PEL, compile and run
# examples/fib.pel.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
build/bin/pelc examples/fib.pel -o build/fib
echo "build/bin/pelc examples/fib.pel -o build/fib && build/fib"
build/fib
