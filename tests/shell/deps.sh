# scripts/deps.sh decides what to install by what only each package installs.
# It runs here against a stand-in file tree (DEPS_ROOT), a stand-in
# pkg-config that knows only the modules listed in $TMP/pc, and a stand-in
# apt-get that records what it is asked to install.
. "$TESTS/lib.sh"
DEPS="$TESTS/../scripts/deps.sh"
mkdir -p "$TMP/bin" "$TMP/root/usr/include" "$TMP/root/usr/lib/x86_64-linux-gnu"
cat >"$TMP/bin/apt-get" <<EOS
#!/bin/sh
echo "\$*" >>"$TMP/apt.log"
EOS
cat >"$TMP/bin/pkg-config" <<EOS
#!/bin/sh
[ "\$1" = --exists ] && grep -qx "\$2" "$TMP/pc"
EOS
chmod +x "$TMP/bin/apt-get" "$TMP/bin/pkg-config"
asked() { # asked TARGET: the packages deps.sh TARGET asks apt-get for, one a line
    rm -f "$TMP/apt.log"
    PATH="$TMP/bin:$PATH" DEPS_ROOT="$TMP/root" sh "$DEPS" "$1" >/dev/null 2>&1
    [ -f "$TMP/apt.log" ] && tr ' ' '\n' <"$TMP/apt.log" | grep -v '^-' | grep -v '^install$' | sort -u
    true
}
# a machine with the reference BLAS (its cblas.h) and nothing of OpenBLAS
touch "$TMP/root/usr/include/cblas.h" "$TMP/root/usr/include/csv.h"
: >"$TMP/pc"
echo blas >>"$TMP/pc"
asked build >"$TMP/want"
check "reference BLAS only: asks for libopenblas-dev" grep -qx libopenblas-dev "$TMP/want"
check "csv.h without libcsv.so: asks for libcsv-dev" grep -qx libcsv-dev "$TMP/want"
check "no ncursesw module: asks for libncurses-dev" grep -qx libncurses-dev "$TMP/want"
check "no zlib module: asks for zlib1g-dev" grep -qx zlib1g-dev "$TMP/want"
# everything present: asks for nothing
printf 'openblas\nncursesw\nzlib\ncmocka\n' >>"$TMP/pc"
touch "$TMP/root/usr/lib/x86_64-linux-gnu/libcsv.so"
asked build >"$TMP/want"
check "all build dependencies present: asks for nothing" [ ! -s "$TMP/want" ]
# cmocka found by its module, not by a header
grep -v cmocka "$TMP/pc" >"$TMP/pc2"; mv "$TMP/pc2" "$TMP/pc"
touch "$TMP/root/usr/include/cmocka.h"
asked test >"$TMP/want"
check "cmocka.h without its module: asks for libcmocka-dev" grep -qx libcmocka-dev "$TMP/want"
check "test deps: not the build deps again" sh -c "! grep -qx libopenblas-dev '$TMP/want'"
finish
