#!/bin/sh
# One test for tests/run.sh: runs it with its output kept in TEST_LOGS, its
# status beside it, and prints the output whole (one test's lines together).
t=$1
name=${t#"$TESTS"/}
log=$TEST_LOGS/$(echo "$name" | tr / _)
case "$t" in
    *.sh) sh "$t" >"$log" 2>&1 ;;
    *)    "$t" >"$log" 2>&1 ;;
esac
echo $? >"$log.rc"
if command -v flock >/dev/null 2>&1; then
    flock "$TEST_LOGS/print.lock" sh -c 'echo "== $1"; cat "$2"' sh "$name" "$log"
else
    echo "== $name"; cat "$log"
fi
exit 0
