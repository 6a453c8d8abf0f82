#!/usr/bin/env bash
# run_install.sh BUILD_DIR -- `cmake --install` gives a prefix that builds
# PEL programs of several modules (one from the standard library) through
# its pelc, whole and separately, and through its pel; copied elsewhere,
# the prefix still does (it finds its runtime and stdlib relative to
# itself); its pkg-config file names the compiler and libraries, its CMake
# package builds a program and a library with pel_add_executable and
# pel_add_library, and its man pages are there.
set -u
build=$1
# the sanitizers, when the runtime was built with them
PEL_EXTRA_CFLAGS=${2:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pel-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL install: $*"; failed=1; }

cmake --install "$build" --prefix "$tmp/p" > "$tmp/install.log" 2>&1 || { fail "cmake --install failed"; cat "$tmp/install.log"; exit 1; }
for f in bin/pelc bin/pel lib/libpelrt.a lib/libpelstd.a share/pel/stdlib/stats.pel share/pel/stdlib/text.pel \
         lib/pkgconfig/pel.pc lib/cmake/PEL/PELConfig.cmake share/man/man1/pelc.1 share/man/man1/pel.1; do
    [ -e "$tmp/p/$f" ] || fail "the install has no $f"
done
grep -q '^\.TH PELC 1' "$tmp/p/share/man/man1/pelc.1" || fail "pelc.1 is no man page"

mkdir -p "$tmp/src/lib"
cat > "$tmp/src/lib/geometry.pel" <<'PEL'
# the area of a rectangle
fn area(w: i64, h: i64) -> i64 = w * h
PEL
cat > "$tmp/src/main.pel" <<'PEL'
import geometry
import text
fn main() { println(text.pad_left(str(geometry.area(6, 7)), 5, ".")) }
PEL
want="...42"

# build PREFIX LABEL: whole program, separately, and through pel
build_with() {
    local p=$1 label=$2
    (cd "$tmp/src" && "$p/bin/pelc" -I lib main.pel -o "$tmp/whole") || { fail "$label: pelc (whole program) failed"; return; }
    [ "$("$tmp/whole")" = "$want" ] || fail "$label: the whole-program build printed '$("$tmp/whole")'"
    (cd "$tmp/src" && "$p/bin/pelc" -I lib -c main.pel -o "$tmp/main.o" &&
        "$p/bin/pelc" -c lib/geometry.pel -o "$tmp/geometry.o" &&
        "$p/bin/pelc" "$tmp/geometry.o" "$tmp/main.o" -o "$tmp/sep") || { fail "$label: the separate build failed"; return; }
    [ "$("$tmp/sep")" = "$want" ] || fail "$label: the separate build printed '$("$tmp/sep")'"
    [ "$(cd "$tmp/src" && "$p/bin/pel" -I lib main.pel)" = "$want" ] || fail "$label: pel printed something else"
}
build_with "$tmp/p" "installed"

mv "$tmp/p" "$tmp/moved"
build_with "$tmp/moved" "relocated"

# the libraries in Debian's multiarch folder, as a /usr install puts them
arch=$(gcc -print-multiarch 2>/dev/null)
if [ -n "$arch" ]; then
    cp -r "$tmp/moved" "$tmp/multi"
    mkdir -p "$tmp/multi/lib/$arch"
    mv "$tmp/multi/lib/"*.a "$tmp/multi/lib/$arch/"
    build_with "$tmp/multi" "multiarch lib/$arch"
    rm -rf "$tmp/multi"
fi

# pkg-config, from the relocated prefix
export PKG_CONFIG_PATH="$tmp/moved/lib/pkgconfig"
pelc_pc=$(pkg-config --variable=pelc pel) || fail "pkg-config knows no pel"
[ -x "$pelc_pc" ] || fail "pkg-config's pelc ($pelc_pc) is not the installed one"
libs=$(pkg-config --libs pel)
case $libs in *-lpelrt*) ;; *) fail "pkg-config --libs gives no -lpelrt: $libs" ;; esac
libdir=$(pkg-config --variable=libdir pel)
[ -f "$libdir/libpelrt.a" ] || fail "pkg-config's libdir ($libdir) has no libpelrt.a"

# a C program calling an export fn, built with the installed pel.h and pel.pc
cat > "$tmp/src/kern.pel" <<'PEL'
export fn twice_sum(n: i64) -> i64 = 2 * sum(for i in 0..n => i)
PEL
cat > "$tmp/src/prog.c" <<'C'
#include <stdio.h>
#include "kern.h"
int main(void) { printf("%lld\n", (long long)twice_sum(10)); return 0; }
C
if (cd "$tmp/src" && "$pelc_pc" -c kern.pel -o kern.o && "$pelc_pc" --emit-header kern.h kern.pel &&
    cc -std=c11 -Wall -Werror prog.c kern.o $(pkg-config --cflags --libs pel) -o prog $PEL_EXTRA_CFLAGS); then
    [ "$("$tmp/src/prog")" = 90 ] || fail "the C program printed '$("$tmp/src/prog")'"
else
    fail "a C program did not build with pkg-config --cflags --libs pel"
fi
[ -f "$(pkg-config --variable=includedir pel)/pel.h" ] || fail "the install has no pel.h"

# examples/c-embed (make + pkg-config) and examples/ffi, with the install
src_root=$(cd "$(dirname "$0")/.." && pwd)
cp -r "$src_root/examples/c-embed" "$tmp/c-embed"
if make -s -C "$tmp/c-embed" CC="cc $PEL_EXTRA_CFLAGS" > "$tmp/embed.log" 2>&1; then
    # its arrays go both ways: a C array in, a PEL array back (freed by C)
    for w in 1 2; do
        got=$(PEL_WORKERS=$w "$tmp/c-embed/main" | tr '\n' '|')
        [ "$got" = "mean 49.950, stddev 28.868|in [25, 50): 250000|" ] ||
            fail "examples/c-embed at PEL_WORKERS=$w printed '$got'"
    done
else
    fail "examples/c-embed did not build"; cat "$tmp/embed.log"
fi
(cd "$src_root/examples/ffi" && "$pelc_pc" main.pel vec3.c -o "$tmp/vectors") || fail "examples/ffi did not build"
[ "$("$tmp/vectors" | tail -2 | head -1)" = "[C] the first has length 10.642" ] || fail "examples/ffi printed $("$tmp/vectors")"

# the CMake package
mkdir -p "$tmp/cm"
cp -r "$tmp/src/lib" "$tmp/cm/lib"
cp "$tmp/src/main.pel" "$tmp/cm/main.pel"
cat > "$tmp/cm/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(demo NONE)
find_package(PEL 0.1 REQUIRED)
pel_add_library(geometry lib/geometry.pel)
pel_add_executable(app main.pel LIBRARIES geometry)
CMAKE
if cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$tmp/moved" > "$tmp/cmake.log" 2>&1 &&
   cmake --build "$tmp/cm/build" > "$tmp/cmake-build.log" 2>&1; then
    [ "$("$tmp/cm/build/app")" = "$want" ] || fail "the CMake-built app printed '$("$tmp/cm/build/app")'"
    sleep 1
    sed -i 's/w \* h/h * w/' "$tmp/cm/lib/geometry.pel"
    cmake --build "$tmp/cm/build" > "$tmp/cmake-rebuild.log" 2>&1 || fail "the CMake rebuild failed"
    grep -q "pelc -c main.pel" "$tmp/cmake-rebuild.log" || fail "changing a module did not rebuild its importer"
    [ "$("$tmp/cm/build/app")" = "$want" ] || fail "the rebuilt app printed something else"
else
    fail "the CMake package did not build the demo"
    cat "$tmp/cmake.log" "$tmp/cmake-build.log" 2>/dev/null | tail -30
fi

[ $failed -eq 0 ] && echo "PASS install"
exit $failed
