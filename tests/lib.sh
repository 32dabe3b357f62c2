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
# unwrap FILE: a text trace with each derivation back on one line.  The
# writer breaks a derivation longer than 80 columns into lines that start,
# after spaces, with "= " (the next part), "+ " (the next term) or "*" (the
# next factor); this joins them to the line they continue.
unwrap() {
    awk '/^ +(= |\+ )/ { sub(/^ +/, ""); line = line " " $0; next }
         /^ +\*/ { sub(/^ +/, ""); line = line $0; next }
         { if (NR > 1) print line; line = $0 }
         END { if (NR > 0) print line }' "$1"
}
finish() {
    printf '  %d checks, %d failed\n' "$checks" "$fails"
    [ "$fails" -eq 0 ]
}
