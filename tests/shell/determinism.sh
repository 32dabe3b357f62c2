# The same input gives byte-identical output, run after run and in any locale.
. "$TESTS/lib.sh"
"$NNTRACE" trace --steps 3 >"$TMP/a.txt"
"$NNTRACE" trace --steps 3 >"$TMP/b.txt"
check "text twice, identical" cmp -s "$TMP/a.txt" "$TMP/b.txt"
"$NNTRACE" trace --steps 3 --format csv >"$TMP/a.csv"
"$NNTRACE" trace --steps 3 --format csv >"$TMP/b.csv"
check "csv twice, identical" cmp -s "$TMP/a.csv" "$TMP/b.csv"
loc=$(locale -a 2>/dev/null | grep -i -m1 '^de_DE\.utf-\?8$')
if [ -n "$loc" ]; then
    check "the German locale really uses a decimal comma" sh -c "LC_ALL=$loc /usr/bin/printf '%.1f' 0,5 | grep -q '0,5'"
    for f in text csv markdown latex jsonl dot; do
        LC_ALL=C "$NNTRACE" trace --steps 3 --format $f iris >"$TMP/c.$f" 2>/dev/null || \
            LC_ALL=C "$NNTRACE" trace --steps 3 --format $f "$(dirname "$TESTS")/lessons/iris.lesson" >"$TMP/c.$f"
        LC_ALL=$loc "$NNTRACE" trace --steps 3 --format $f "$(dirname "$TESTS")/lessons/iris.lesson" >"$TMP/de.$f"
        check "$f under $loc identical to C, byte for byte" cmp -s "$TMP/c.$f" "$TMP/de.$f"
    done
    LC_ALL=$loc "$NNTRACE" train "$(dirname "$TESTS")/lessons/iris.lesson" --epochs 3 >"$TMP/de.train"
    LC_ALL=C "$NNTRACE" train "$(dirname "$TESTS")/lessons/iris.lesson" --epochs 3 >"$TMP/c.train"
    check "train under $loc identical to C" cmp -s "$TMP/c.train" "$TMP/de.train"
    LC_ALL=$loc "$NNTRACE" trace --steps 1 "$(dirname "$TESTS")/lessons/iris.lesson" --format csv | grep -q ',0\.' 
    check "numbers keep their decimal point under $loc" [ $? -eq 0 ]
else
    echo "  (skipped the de_DE.UTF-8 comparison: locale not generated on this machine)"
fi
finish
