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
    LC_ALL=$loc "$NNTRACE" trace --steps 3 >"$TMP/de.txt"
    LC_ALL=$loc "$NNTRACE" trace --steps 3 --format csv >"$TMP/de.csv"
    check "text under $loc identical to C" cmp -s "$TMP/a.txt" "$TMP/de.txt"
    check "csv under $loc identical to C" cmp -s "$TMP/a.csv" "$TMP/de.csv"
else
    echo "  (skipped the de_DE.UTF-8 comparison: locale not generated on this machine)"
fi
finish
