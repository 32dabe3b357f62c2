# nntrace check: correct gradients pass on large batches (the tolerance grows
# with the loss's rounding noise) and large networks are checked on an evenly
# spaced sample of weights instead of taking hours.
. "$TESTS/lib.sh"
DATA=$(cd "$TESTS/../data" && pwd)
# digits with the whole data set as one batch: the finite differences'
# noise reached 2.6e-6 and check said FAILED for correct gradients
sed "s/^batch_size *=.*/batch_size = 1797/; s#^data *=.*#data = $DATA/digits.csv#" \
    "$TESTS/../lessons/digits.lesson" >"$TMP/batch.lesson"
run "$NNTRACE" check "$TMP/batch.lesson"
check "digits, batch of 1797: exit 0 ($(tail -1 "$TMP/out"))" [ "$status" -eq 0 ]
check "digits, batch of 1797: no FAIL line" sh -c "! grep -q FAIL '$TMP/out'"
check "digits, batch of 1797: a sample of the weights, said so" grep -q "^checked [0-9]* of 2260 weights" "$TMP/out"
# a 64-1024-10 network: 76,810 weights, sampled
sed "s/^layers *=.*/layers = 64 1024 10/; s#^data *=.*#data = $DATA/digits.csv#" \
    "$TESTS/../lessons/digits.lesson" >"$TMP/wide.lesson"
run timeout 120 "$NNTRACE" check "$TMP/wide.lesson"
check "64-1024-10: exit 0" [ "$status" -eq 0 ]
check "64-1024-10: checks a sample" grep -q "^checked [0-9]* of 76810 weights" "$TMP/out"
rows=$(grep -c '^w[0-9]' "$TMP/out")
check "64-1024-10: one row per weight checked ($rows), from every layer" \
    sh -c "[ $rows -ge 16 ] && grep -q '^w[0-9]* *x' '$TMP/out' && grep -q '^w[0-9]* *h[0-9]*->o' '$TMP/out' && grep -q '^w[0-9]* *1->h' '$TMP/out'"
# the seed: every weight, and the figure it reports
run "$NNTRACE" check
check "seed: 12 weights, ok" grep -q "over 12 weights .*: ok$" "$TMP/out"
finish
