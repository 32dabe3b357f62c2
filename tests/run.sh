#!/bin/sh
# Run every test: the cmocka unit binaries, then the shell tests that drive
# the real binary (tests/shell, tests/tui, tests/web), TEST_JOBS at a time
# (2: this machine's cores; 1 runs them one after another).  Each test's
# output is printed whole when it ends; at the end "failed: ..." and
# "N passed, N failed", with a non-zero status when anything failed.
: "${NNTRACE:=./nntrace}"
: "${UNIT_DIR:=build/tests}"
: "${TEST_JOBS:=2}"
NNTRACE=$(cd "$(dirname "$NNTRACE")" && pwd)/$(basename "$NNTRACE")
TESTS=$(cd "$(dirname "$0")" && pwd)
TEST_LOGS=$(mktemp -d)
export NNTRACE TESTS TEST_LOGS
trap 'rm -rf "$TEST_LOGS"' EXIT
# the longest first (the reader's check is most of the time), so the other
# worker takes the rest meanwhile; unit binaries and scripts otherwise in order
for t in "$TESTS"/tui/test_reader.sh "$TESTS"/shell/bad_inputs.sh \
         "$UNIT_DIR"/test_* "$TESTS"/shell/*.sh "$TESTS"/tui/test_*.sh "$TESTS"/web/test_*.sh; do
    [ -e "$t" ] || continue
    grep -qxF -- "$t" "$TEST_LOGS/list" 2>/dev/null || echo "$t" >>"$TEST_LOGS/list"
done
xargs -P "$TEST_JOBS" -I{} sh "$TESTS/run_one.sh" {} <"$TEST_LOGS/list"
passed=0
failed=0
failures=""
while IFS= read -r t; do
    name=${t#"$TESTS"/}
    if [ "$(cat "$TEST_LOGS/$(echo "$name" | tr / _).rc" 2>/dev/null)" = 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures="$failures $name"
    fi
done <"$TEST_LOGS/list"
echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
