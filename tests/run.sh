#!/bin/sh
# Run every test: the cmocka unit binaries, then the shell tests that drive
# the real binary (tests/shell, tests/tui).  Ends with "N passed, N failed"
# and a non-zero status when anything failed.
: "${NNTRACE:=./nntrace}"
: "${UNIT_DIR:=build/tests}"
NNTRACE=$(cd "$(dirname "$NNTRACE")" && pwd)/$(basename "$NNTRACE")
TESTS=$(cd "$(dirname "$0")" && pwd)
export NNTRACE TESTS
passed=0
failed=0
failures=""
for t in "$UNIT_DIR"/test_* "$TESTS"/shell/*.sh "$TESTS"/tui/test_*.sh "$TESTS"/web/test_*.sh; do
    [ -e "$t" ] || continue
    name=${t#"$TESTS"/}
    echo "== $name"
    case "$t" in
        *.sh) sh "$t" ;;
        *)    "$t" ;;
    esac
    if [ $? -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures="$failures $name"
    fi
done
echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
