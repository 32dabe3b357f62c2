# Shared helpers for the shell tests.  Source it; call finish at the end.
# NNTRACE is the binary under test (an absolute path), TESTS the tests folder.
set -u
checks=0
fails=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok()   { checks=$((checks + 1)); }
bad()  { checks=$((checks + 1)); fails=$((fails + 1)); printf '  FAIL: %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
    desc=$1; shift
    if "$@"; then ok; else bad "$desc"; fi
}
# run CMD...: runs it, keeping stdout in $TMP/out, stderr in $TMP/err, status in $status
run() {
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    status=$?
    set -e 2>/dev/null; set +e
}
contains() { grep -qF -- "$2" "$1"; }
lines() { wc -l <"$1" | tr -d ' '; }
finish() {
    printf '  %d checks, %d failed\n' "$checks" "$fails"
    [ "$fails" -eq 0 ]
}
