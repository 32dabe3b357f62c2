# The matrix view (nntrace trace --view matrix): every entry of every
# matrix of the seed's step is the independent reference's value at the
# place the walkthrough's numbering puts it (NET_H row X2 column h1 is
# X2:net_h1; dE_final/dW2 row h2 column o1 is dE_final/dw7; ...); larger
# matrices are given by their shape; Markdown the same in code blocks.
. "$TESTS/lib.sh"
REF="$TESTS/data/seed_reference.csv"
run "$NNTRACE" trace --view matrix
check "matrix view: exit 0" [ "$status" -eq 0 ]
cp "$TMP/out" "$TMP/m.txt"
# block NAME: the numbers of the matrix whose line starts "NAME = ", as "row col value" lines
block() {
    awk -v name="$1 = " 'index($0, name) == 1 { on = 1; getline; n = split($0, cols, " "); next }
        on && NF == 0 { on = 0; exit }
        on { r = NF > n ? $1 : "-"; for (c = 1; c <= n; c++) print r, cols[c], $(NF - n + c) }' "$TMP/m.txt"
}
# want KIND: the reference's values as "row col value", rounded to 6 decimals
ref() { awk -F, -v sym="$1" 'NR > 1 && $4 ~ sym { printf "%s\n", $0 }' "$REF"; }
per_sample() {   # per_sample PREFIX: the reference's PREFIX<unit> values as "X<s> <unit> value"
    awk -F, -v p="$1" "$SHOWN"'NR > 1 && index($4, p) == 1 && $3 != "" { u = substr($4, length(p) + 1)
        if (u ~ /^[a-z][0-9]+$/) printf "X%s %s %s\n", $3, u, shown($5, 6) }' "$REF" | sort
}
for pair in "NET_H net_" "OUT_H out_" "NET_O net_" "OUT_O out_"; do
    set -- $pair
    case $1 in *_H) want=h;; *) want=o;; esac
    block "$1" | sort >"$TMP/got"
    per_sample "$2" | awk -v w="$want" 'substr($2, 1, 1) == w' >"$TMP/want"
    check "$1: each entry (row Xs, column unit) is the reference's Xs:$2<unit>" cmp -s "$TMP/got" "$TMP/want"
done
# weights and gradients: row = from unit, column = to unit, as the walkthrough numbers w1..w12
# (x1->h1 w1, x1->h2 w2, x2->h1 w3, x2->h2 w4; h1->o1 w5, h1->o2 w6, h2->o1 w7, h2->o2 w8)
printf 'x1 h1 1\nx1 h2 2\nx2 h1 3\nx2 h2 4\n' >"$TMP/map1"
printf 'h1 o1 5\nh1 o2 6\nh2 o1 7\nh2 o2 8\n' >"$TMP/map2"
for pair in "dE_final/dW1 map1 dE_final/dw" "dE_final/dW2 map2 dE_final/dw" "W1 map1 w" "W2 map2 w"; do
    set -- $pair
    block "$1" >"$TMP/blk"
    if [ "$1" = W1 ] || [ "$1" = W2 ]; then   # stage 6's: the weights the step leaves
        awk -v name="$1 = $1 - eta" 'index($0, name) == 1 { on = 1; getline; n = split($0, cols, " "); next }
            on && NF == 0 { exit } on { for (c = 1; c <= n; c++) print $1, cols[c], $(1 + c) }' "$TMP/m.txt" >"$TMP/blk"
    fi
    awk -F'[ ,]' -v sym="$3" "$SHOWN"'FILENAME == ARGV[1] { w[$1 " " $2] = $3; next }
        FILENAME == ARGV[2] { if (FNR > 1 && $4 ~ ("^" sym "[0-9]+$") && $4 !~ /^dE_total/) {
                                  k = substr($4, length(sym) + 1); v[k] = shown($5, 6) } next }
        { if (v[w[$1 " " $2]] != $3) { print "entry " $1 " " $2 ": " $3 ", reference " sym w[$1 " " $2] " " v[w[$1 " " $2]]; bad = 1 } ; n++ }
        END { if (n != 4) { print n " entries"; bad = 1 } exit bad }' "$TMP/$2" "$REF" "$TMP/blk" >"$TMP/why"
    check "$1: each entry (row from, column to) is the reference's $3<m> ($(cat "$TMP/why"))" [ ! -s "$TMP/why" ]
done
check "E_final as the reference has it" grep -q "^E_final = the mean of E_total = 0.253395$" "$TMP/m.txt"
check "each matrix says which values its entries are" grep -q "^NET_H = X W1 + b1 .*entries X1:net_h1 .. X2:net_h2$" "$TMP/m.txt"
# a large lesson: shapes, not numbers
run "$NNTRACE" trace mnist --view matrix
check "mnist: NET_H is 20 x 30, too large to print" grep -q "^NET_H = X W1 + b1 (b1 added to every row) (20 x 30): entries X1:net_h1 .. X20:net_h30; too large" "$TMP/out"
check "mnist: W1 is 784 x 30" grep -q "^W1 = .* (784 x 30)" "$TMP/out"
run "$NNTRACE" trace --view matrix --format markdown
head='**NET\_H = X W1 \+ b1'
grep -A4 -F "$head" "$TMP/out" >"$TMP/netmd"
check "markdown: each matrix's line in bold, its numbers in a code block" \
    sh -c "grep -qF '$head' '$TMP/netmd' && grep -q '^X1 *0.120000 *0.130000' '$TMP/netmd' && grep -q '^\`\`\`' '$TMP/netmd'"
run "$NNTRACE" trace --view matrix --format latex
check "latex: a table per matrix, NET_H's row X1 as the reference" grep -q '^X1 & \$0.120000\$ & \$0.130000\$' "$TMP/out"
if command -v pdflatex >/dev/null 2>&1; then
    cp "$TMP/out" "$TMP/mx.tex"
    (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error mx.tex >/dev/null 2>&1)
    check "latex: the matrix view compiles, no overfull box" sh -c "[ -s '$TMP/mx.pdf' ] && ! grep -q Overfull '$TMP/mx.log'"
fi
run "$NNTRACE" trace --view matrix --format csv
check "--view matrix --format csv: exit 2, one line" sh -c "[ $status -eq 2 ] && [ \$(wc -l <'$TMP/err') -eq 1 ]"
run "$NNTRACE" trace --view table
check "--view table: exit 2" [ "$status" -eq 2 ]
finish
