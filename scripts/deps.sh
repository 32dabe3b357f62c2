#!/bin/sh
# Install the Debian packages nntrace needs, the first time they are missing.
#   scripts/deps.sh build   compiler and libraries (ncursesw, libcsv, OpenBLAS)
#   scripts/deps.sh test    the above, plus cmocka, tmux and the tools the tests drive
#                           (jq, dot, pdflatex, and chromium for the web page)
#   scripts/deps.sh PKG...  any other packages (by name), e.g. for benchmarks
#
# Each dependency is found by something only its own package installs: a
# pkg-config module (openblas, ncursesw, cmocka) or a file no other package
# ships (libcsv.so).  A header such as cblas.h is never proof: Debian's
# reference BLAS ships one too.  DEPS_ROOT (default empty) prefixes the file
# paths looked at, so that tests/shell/deps.sh can run this against a
# stand-in tree with a stand-in apt-get and pkg-config on PATH.
set -eu
root=${DEPS_ROOT:-}
want=""
need() { # need PACKAGE TEST-COMMAND...
    pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then want="$want $pkg"; fi
}
has_pc() { pkg-config --exists "$1"; }
has_file() { for f in "$@"; do [ -f "$root$f" ] && return 0; done; return 1; }
has_lib() { for d in /usr/lib /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64; do
                [ -e "$root$d/$1" ] && return 0; done; return 1; }
build_deps() {
    need make command -v make
    need gcc command -v cc
    need pkg-config command -v pkg-config
    need libncurses-dev has_pc ncursesw
    need libcsv-dev has_lib libcsv.so
    need zlib1g-dev has_pc zlib # mutant: deps-forgets-zlib
    need libopenblas-dev has_pc openblas # mutant: deps-trusts-cblas-h
}
case "${1:-build}" in
    build) build_deps ;;
    test)  build_deps
           need libcmocka-dev has_pc cmocka
           need tmux command -v tmux
           need valgrind command -v valgrind
           need jq command -v jq
           need graphviz command -v dot
           need texlive-latex-base command -v pdflatex
           need lmodern has_file /usr/share/texmf/tex/latex/lm/lmodern.sty
           need texlive-pictures has_file /usr/share/texlive/texmf-dist/tex/latex/pgf/frontendlayer/tikz.sty
           need python3 command -v python3
           need python3-numpy has_file /usr/lib/python3/dist-packages/numpy/__init__.py
           need chromium command -v chromium
           need man-db command -v man
           need locales has_file /usr/share/i18n/locales/de_DE ;;
    *)     for pkg in "$@"; do
               need "$pkg" sh -c "dpkg-query -W -f='\${Status}' '$pkg' 2>/dev/null | grep -q 'ok installed'"
           done ;;
esac
# a German locale (decimal comma) for the locale-independence tests
german() {
    if [ "${1:-build}" = test ] && ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' &&
       [ -f "$root/usr/share/i18n/locales/de_DE" ] && [ "$(id -u)" -eq 0 ]; then
        localedef -i de_DE -f UTF-8 de_DE.UTF-8 >/dev/null 2>&1 || true
    fi
}
if [ -z "$want" ]; then german "${1:-build}"; exit 0; fi
echo "nntrace: installing missing Debian packages:$want" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$sudo apt-get install -y -q $want >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null 2>&1 || true
    $sudo apt-get install -y -q $want
}
german "${1:-build}"
