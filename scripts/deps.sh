#!/usr/bin/env bash
# Installs the Debian 12 packages PEL needs to build and test, if any is missing.
set -euo pipefail
PKGS=(cmake make pkg-config gcc g++ llvm-19-dev clang-19 re2c bison libcmocka-dev
      libtbb-dev libedit-dev valgrind libomp-19-dev python3-matplotlib time gdb
      libclang-rt-19-dev) # libFuzzer and the sanitizer runtimes of clang-19 (tests/fuzz)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
