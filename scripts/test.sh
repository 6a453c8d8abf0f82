#!/usr/bin/env bash
# Quick start, step 2: build PEL and run the whole test suite (ctest).
# Labels: unit, golden, errors, compiler, leak, asan, tsan (ctest -L LABEL for one slice).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
