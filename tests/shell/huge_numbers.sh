# Numbers of any size are printed whole in every format (1e300 used to be
# cut to the first 63 characters of its digits).  The CSV's %.17g value is
# the reference; the other writers must show the same number.
. "$TESTS/lib.sh"
cat >"$TMP/huge.csv" <<'EOS'
x1,x2,y1,y2
1e300,0.1,0.01,0.99
0.1,-1e300,0.01,0.99
EOS
printf 'title = huge\nlayers = 2 2 2\nlearning_rate = 0.1\ndata = huge.csv\nweights = random 1\n' >"$TMP/huge.lesson"
for f in csv text markdown latex dot jsonl; do
    for d in 6 17; do
        run "$NNTRACE" trace "$TMP/huge.lesson" --format $f --digits $d
        check "$f --digits $d: exit 0" [ "$status" -eq 0 ]
        if [ $f = text ]; then unwrap "$TMP/out" >"$TMP/$f-$d"; else cp "$TMP/out" "$TMP/$f-$d"; fi
        check "$f --digits $d: no run of 30 digits (a cut fixed-point number)" \
            sh -c "! grep -qE '[0-9]{30}' '$TMP/$f-$d'"
    done
done
# X1's net_h1 and X2's net_h1, as the CSV has them
grep '^1,1,[12],net_h1,' "$TMP/csv-17" | cut -d, -f5 >"$TMP/want"
check "the CSV has both nets, near -8e299 and -5e299" [ "$(grep -c 'e+299' "$TMP/want")" -eq 2 ]
# the text trace's result column, read back as numbers
grep '^X[12]: net_h1 = ' "$TMP/text-17" | sed 's/.* = //' >"$TMP/got"
check "text: two nets" [ "$(lines "$TMP/got")" -eq 2 ]
check "text --digits 17: the nets equal the CSV's to 1e-15" \
    awk 'NR == FNR { w[FNR] = $1; next } { d = $1 - w[FNR]; if (d < 0) d = -d; if (w[FNR] == 0 || d > 1e-15 * (w[FNR] < 0 ? -w[FNR] : w[FNR])) exit 1 }' \
    "$TMP/want" "$TMP/got"
grep '^X[12]: net_h1 = ' "$TMP/text-6" | sed 's/.* = //' >"$TMP/got6"
check "text --digits 6: exponent form, 6 decimals" [ "$(grep -cx -- '-[0-9]\.[0-9]\{6\}e+299' "$TMP/got6")" -eq 2 ]
check "markdown: the result in exponent form" grep -q -- '| -8\.32741434465670708e+299 |' "$TMP/markdown-17"
check "jsonl: the value as JSON" grep -q -- '"value":-8\.3274143446567071e+299' "$TMP/jsonl-17"
check "latex: the value whole" grep -q -- '-8\.32741434465670708e+299' "$TMP/latex-17"
# the substituted formula keeps the given 1e300 whole
check "csv substituted: the input whole" grep -q '1\.00000000000000005e+300' "$TMP/csv-17"
finish
