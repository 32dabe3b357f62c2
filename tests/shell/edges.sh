# Exact at the edges (issue 29): what the traces say about a batch that wraps
# round past held-out rows, and standardizing by the training rows alone.
. "$TESTS/lib.sh"
cd "$TMP" || exit 1
printf 'x1,x2,y1\n0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,1\n0.7,0.8,0\n' >d.csv
lesson() { # lesson FILE KEY=VALUE...: a 2-2-1 lesson on d.csv
    f=$1; shift
    printf 'layers = 2 2 1\nlearning_rate = 0.5\ndata = d.csv\nweights = random 1\n' >"$f"
    for kv in "$@"; do echo "$kv" | sed 's/=/ = /' >>"$f"; done
}

# 4 rows, the last held out, batches of 2: step 2 takes rows 3 and 1 (row 4 is never trained on)
lesson w.lesson steps=2 batch_size=2 test_rows=1
run "$NNTRACE" trace w.lesson
check "text: step 1 takes rows 1..2" contains "$TMP/out" "Batch: X1..X2 are data rows 1..2."
check "text: step 2 takes rows 3 and 1, not the held-out row 4" \
    contains "$TMP/out" "Batch: X1..X2 are data rows 3 and 1 (wrapping round to row 1)."
run "$NNTRACE" trace --format markdown w.lesson
check "markdown: step 2 takes rows 3 and 1" \
    contains "$TMP/out" "Batch: X1..X2 are data rows 3 and 1 (wrapping round to row 1)."
# and the values are those rows': X2 of step 2 has row 1's inputs (0.1, 0.2)
run "$NNTRACE" trace --format jsonl w.lesson
x2=$(grep '"step":2,"stage":1,"sample":2,"kind":"net"' "$TMP/out" | head -1 |
     grep -o '"name":"x1","kind":"input","value":[^,]*' | sed 's/.*://')
check "step 2's X2 is data row 1 (x1 = 0.1, got $x2)" [ "$x2" = 0.10000000000000001 ]
# no test rows, batches of 3: step 2 takes row 4 then rows 1..2
lesson v.lesson steps=2 batch_size=3
run "$NNTRACE" trace v.lesson
check "text: rows 4 and 1..2" contains "$TMP/out" "Batch: X1..X3 are data rows 4 and 1..2 (wrapping round to row 1)."

# standardize = yes with a held-out row: mean and spread of rows 1..3 only, row 4 scaled by them
lesson s.lesson steps=1 batch_size=3 test_rows=1 standardize=yes
run "$NNTRACE" trace --format jsonl s.lesson
check "standardized lesson traces" [ "$status" -eq 0 ]
for s in 1 2 3; do
    got=$(grep "\"step\":1,\"stage\":1,\"sample\":$s,\"kind\":\"net\"" "$TMP/out" | head -1 |
          grep -o '"name":"x1","kind":"input","value":[^,]*' | sed 's/.*://')
    # worked here from the data: the training rows' x1 are 0.1 0.3 0.5
    want=$(awk -v s="$s" 'BEGIN { split("0.1 0.3 0.5", v, " "); m = (v[1] + v[2] + v[3]) / 3
        for (i = 1; i <= 3; i++) q += (v[i] - m) ^ 2; sd = sqrt(q / 3); printf "%.12f", (v[s] - m) / sd }')
    check "X$s's x1 standardized by the training rows ($want, got $got)" \
        awk -v a="$got" -v b="$want" 'BEGIN { exit !(a - b < 1e-11 && b - a < 1e-11) }'
done
# scale: every input divided as read, whether a plain pixel (51) or any other number (51.0, 1020)
printf 'x1,x2,y1\n51.0,1020,1\n51,255,0\n' >p.csv
printf 'layers = 2 2 1\nlearning_rate = 0.5\ndata = p.csv\nweights = random 1\nscale = 255\n' >p.lesson
run "$NNTRACE" trace --format jsonl p.lesson
for s in 1 2; do
    grep "\"step\":1,\"stage\":1,\"sample\":$s,\"kind\":\"net\"" "$TMP/out" | head -1 |
        grep -o '"name":"x[12]","kind":"input","value":[^,]*' | sed 's/.*://' | tr '\n' ' ' >"$TMP/x$s"
done
check "scale 255: 51.0 and 1020 are 0.2 and 4 ($(cat "$TMP/x1"))" [ "$(cat "$TMP/x1")" = "0.20000000000000001 4 " ]
check "scale 255: 51 and 255 are 0.2 and 1 ($(cat "$TMP/x2"))" [ "$(cat "$TMP/x2")" = "0.20000000000000001 1 " ]
finish
