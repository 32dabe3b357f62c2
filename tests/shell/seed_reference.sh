# Every row of the independent seed reference reproduced to 1e-12 by
# `nntrace trace --format csv`, keyed by step, stage, sample and symbol.
. "$TESTS/lib.sh"
run "$NNTRACE" trace --format csv
check "trace --format csv exits 0" [ "$status" -eq 0 ]
check "the header starts with the spec's columns" \
    [ "$(head -1 "$TMP/out" | cut -d, -f1-5)" = "step,stage,sample,symbol,value" ]
awk -F, -v tol=1e-12 '
    NR == FNR { if (FNR > 1) want[$1 "," $2 "," $3 "," $4] = $5; next }
    FNR > 1 { key = $1 "," $2 "," $3 "," $4; got[key] = $5; n++ }
    END {
        bad = 0; max = 0
        for (k in want) {
            if (!(k in got)) { print "  missing row " k; bad++; continue }
            d = got[k] - want[k]; if (d < 0) d = -d
            if (d > max) max = d
            if (d > tol) { print "  " k ": " got[k] " vs reference " want[k]; bad++ }
        }
        if (n != length(want)) { print "  " n " rows, reference has " length(want); bad++ }
        printf "  %d reference rows, max |diff| %g\n", length(want), max
        exit bad > 0
    }' "$TESTS/data/seed_reference.csv" "$TMP/out"
check "every reference row within 1e-12" [ $? -eq 0 ]
# every value reads back to the same double: %.17g
check "values printed with 17 significant digits" \
    grep -q '^1,6,,w1,0.099992876082266424,' "$TMP/out"
finish
