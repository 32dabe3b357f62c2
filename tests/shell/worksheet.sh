# nntrace worksheet: N sheets with the lesson's network and their own
# starting weights and inputs (one decimal), the chosen stages blank, then
# an answer key; compiles with pdflatex; the same seed, the same sheets.
# One answer is recomputed here from the sheet's own numbers.
. "$TESTS/lib.sh"
run "$NNTRACE" worksheet --sheets 3 --blank 2,4 --seed 7 -o "$TMP/ws.tex"
check "worksheet: exit 0" [ "$status" -eq 0 ]
ws="$TMP/ws.tex"
check "3 sheets, each headed 'Sheet k'" [ "$(grep -c '^\\section\*{Sheet [123]}$' "$ws")" -eq 3 ]
check "an 'Answer key' after the sheets, with a part per sheet" \
    sh -c "sed -n '/^\\\\section\\*{Answer key}/,\$p' '$ws' | grep -c '^\\\\subsection\\*{Sheet [123]}\$' | grep -qx 3"
check "one document" sh -c "[ \$(grep -c '^\\\\begin{document}' '$ws') -eq 1 ] && tail -1 '$ws' | grep -q '^\\\\end{document}'"
# sheet k's part of the file, and its answers
part() { awk -v k="$2" -v key="$3" '
    /^\\section\*{Answer key}/ { inkey = 1 }
    /^\\(sub)?section\*{Sheet [0-9]+}$/ { n = $0; gsub(/[^0-9]/, "", n); on = (n == k && inkey == key) }
    /^\\section\*{Answer key}/ { on = 0 }
    on' "$1"; }
part "$ws" 1 0 >"$TMP/s1"; part "$ws" 2 0 >"$TMP/s2"; part "$ws" 1 1 >"$TMP/k1"
check "sheet 1 and its answers found" sh -c "[ -s '$TMP/s1' ] && [ -s '$TMP/k1' ]"
# the starting weights: one decimal each, not 0, and different on each sheet
sed -n '/^\\subsection\*{Weights before step 1}/,/^\\end{tabular}/p' "$TMP/s1" |
    grep -o '\$) & \$[^$]*\$' | sed 's/^\$) & \$//; s/\$$//' >"$TMP/w1"
sed -n '/^\\subsection\*{Weights before step 1}/,/^\\end{tabular}/p' "$TMP/s2" |
    grep -o '\$) & \$[^$]*\$' | sed 's/^\$) & \$//; s/\$$//' >"$TMP/w2"
check "sheet 1 lists its 12 weights" [ "$(lines "$TMP/w1")" -eq 12 ]
check "every weight has one decimal, from -0.9 to 0.9, never 0" sh -c "! grep -vxE -- '-?0\\.[1-9]' '$TMP/w1' '$TMP/w2'"
check "sheet 2's weights are not sheet 1's" sh -c "! cmp -s '$TMP/w1' '$TMP/w2'"
# blanks: stage 2 and 4 values blank on the sheet, worked in the key; stage 1 worked on the sheet
# a result line, without the key's "(rounded from ...)"
results() { sed -n "/section\\*{$2\\./,/section\\*{/p" "$1" | sed 's/ \\qquad\\text{\\footnotesize (rounded from [-0-9.]*)}//' |
    grep -cE '^  &= -?[0-9]+\.[0-9]{4,}( \\\\\[6pt\])?$'; }
check "sheet 1: a blank for each value of stages 2 and 4 (as many as the key's results there)" \
    [ "$(grep -c 'underline{\\hspace{6cm}}' "$TMP/s1")" -eq $(($(results "$TMP/k1" 2) + $(results "$TMP/k1" 4))) ]
check "sheet 1, stage 2: no result given" sh -c "! sed -n '/section\\*{2\\./,/section\\*{3\\./p' '$TMP/s1' | grep -qE '^  &= -?[0-9]+\\.[0-9]{4}'"
check "sheet 1, stage 1: worked (results given)" sh -c "sed -n '/section\\*{1\\./,/section\\*{2\\./p' '$TMP/s1' | grep -qE '^  &= -?[0-9]+\\.[0-9]{4}'"
check "the key, stage 2: results given" sh -c "sed -n '/section\\*{2\\./,/section\\*{3\\./p' '$TMP/k1' | grep -qE '^  &= -?[0-9]+\\.[0-9]{4}'"
# X1's net_o1 in the key, recomputed from sheet 1's own weights and batch here:
# net_h = w*x + w*x + w (sigmoid), then net_o1 = w5*out_h1 + w7*out_h2 + w11
x=$(grep '^\$X_{1}\$ & ' "$TMP/s1" | sed 's/\$//g; s/\\\\.*//' | awk -F' & ' '{ print $3, $4 }')
want=$(echo "$x $(tr '\n' ' ' <"$TMP/w1")" | awk '{ x1 = $1; x2 = $2; for (m = 1; m <= 12; m++) w[m] = $(m + 2)
    h1 = 1 / (1 + exp(-(w[1]*x1 + w[3]*x2 + w[9]))); h2 = 1 / (1 + exp(-(w[2]*x1 + w[4]*x2 + w[10])))
    printf "%.4f", w[5]*h1 + w[7]*h2 + w[11] }')
got=$(sed -n '/section\*{2\./,/section\*{3\./p' "$TMP/k1" | grep -A2 'X_{1}\\colon\\ \\mathit{net}_{o1}' | tail -1 | sed 's/^  &= //; s/ .*//')
check "the key's X1 net_o1 ($got) is sheet 1's numbers worked out ($want)" [ -n "$want" ] && [ "$got" = "$want" ]
# the rule on the sheet, and the key's "rounded from": each answer with four digits more,
# which rounds to the answer (a student working from the sheet's rounded numbers can
# see a last digit that differs for that reason, and only then)
check "the sheet says to carry full values and that the key shows what it rounds from" \
    sh -c "grep -q 'carry your calculator' '$TMP/s1' && grep -q 'the value it was rounded from' '$TMP/s1'"
grep -oE '^  &= -?[0-9.]+ \\qquad\\text\{\\footnotesize \(rounded from -?[0-9.]+\)' "$TMP/k1" |
    sed -E 's/^  &= (-?[0-9.]+) .*rounded from (-?[0-9.]+)\)$/\1 \2/' >"$TMP/pairs"
check "the key: every answer with what it rounds from ($(wc -l <"$TMP/pairs") of them), no answer without" \
    sh -c "[ \$(wc -l <'$TMP/pairs') -gt 20 ] && ! grep -qE '^  &= -?[0-9.]+( \\\\\\\\\\[6pt\\])?\$' '$TMP/k1'"
check "the key: each 'rounded from' has four digits more and rounds to its answer" \
    awk '{ split($1, a, "."); split($2, b, "."); d = length(a[2]); if (length(b[2]) != d + 4) exit 1
           if (sprintf("%.*f", d, $2) != $1 && sprintf("%.*f", d, $2) != "-" $1) exit 1 } END { exit NR == 0 }' "$TMP/pairs"
# the same on the seed's own sheet, whose small gradients keep three significant
# digits (0.000538): four decimals more than each shows, not four more than --digits
"$NNTRACE" worksheet seed >"$TMP/seedws.tex"
grep -oE '^  &= -?[0-9.]+ \\qquad\\text\{\\footnotesize \(rounded from -?[0-9.]+\)' "$TMP/seedws.tex" |
    sed -E 's/^  &= (-?[0-9.]+) .*rounded from (-?[0-9.]+)\)$/\1 \2/' >"$TMP/seedpairs"
check "the seed's key: some answers with three significant digits ($(grep -c '^-\{0,1\}0\.000' "$TMP/seedpairs"))" \
    grep -q '^-\{0,1\}0\.000[1-9]' "$TMP/seedpairs"
check "the seed's key: each 'rounded from' four decimals longer than its answer, rounding to it" \
    awk '{ split($1, a, "."); split($2, b, "."); d = length(a[2]); if (length(b[2]) != d + 4) exit 1
           if (sprintf("%.*f", d, $2) != $1 && sprintf("%.*f", d, $2) != "-" $1) exit 1 } END { exit NR == 0 }' "$TMP/seedpairs"
want8=$(echo "$x $(tr '\n' ' ' <"$TMP/w1")" | awk '{ x1 = $1; x2 = $2; for (m = 1; m <= 12; m++) w[m] = $(m + 2)
    h1 = 1 / (1 + exp(-(w[1]*x1 + w[3]*x2 + w[9]))); h2 = 1 / (1 + exp(-(w[2]*x1 + w[4]*x2 + w[10])))
    printf "%.8f", w[5]*h1 + w[7]*h2 + w[11] }')
got8=$(sed -n '/section\*{2\./,/section\*{3\./p' "$TMP/k1" | grep -A2 'X_{1}\\colon\\ \\mathit{net}_{o1}' | tail -1 | sed 's/.*rounded from //; s/).*//')
check "the key's X1 net_o1 rounds from $got8, the sheet's numbers worked out to 8 decimals ($want8)" [ "$got8" = "$want8" ]
# --sig 3: three significant digits everywhere, said on the sheet
run "$NNTRACE" worksheet --sig 3 -o "$TMP/sig.tex"
check "--sig 3: the sheet says so, the key's values have 3 significant digits and 7 in brackets" \
    sh -c "grep -q 'rounded to 3 significant digits' '$TMP/sig.tex' && grep -qE '^  &= 0\.[1-9][0-9]{2} .*rounded from 0\.[1-9][0-9]{6}\)' '$TMP/sig.tex'"
# compiles; deterministic
if command -v pdflatex >/dev/null 2>&1; then
    (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error ws.tex >ws.pdflog 2>&1)
    check "pdflatex compiles the worksheets" [ -s "$TMP/ws.pdf" ]
    check "no overfull box" sh -c "! grep -q Overfull '$TMP/ws.log'"
    check "one run is the final document: no warning" sh -c "! grep -q Warning '$TMP/ws.log'"
fi
"$NNTRACE" worksheet --sheets 3 --blank 2,4 --seed 7 >"$TMP/again.tex"
check "the same seed gives the same sheets, byte for byte" cmp -s "$ws" "$TMP/again.tex"
"$NNTRACE" worksheet --sheets 3 --blank 2,4 --seed 8 >"$TMP/other.tex"
check "another seed, other sheets" sh -c "! cmp -s '$ws' '$TMP/other.tex'"
run "$NNTRACE" worksheet xor --sheets 2
check "xor: worksheets too" [ "$status" -eq 0 ]
# refused
run "$NNTRACE" worksheet --sheets 0
check "--sheets 0: exit 2" [ "$status" -eq 2 ]
run "$NNTRACE" worksheet --blank 7
check "--blank 7: exit 2, one line" sh -c "[ $status -eq 2 ] && [ \$(wc -l <'$TMP/err') -eq 1 ]"
run "$NNTRACE" worksheet --blank 3-1
check "--blank 3-1: exit 2" [ "$status" -eq 2 ]
run "$NNTRACE" worksheet digits
check "digits (2260 weights): refused, exit 2, saying why" \
    sh -c "[ $status -eq 2 ] && grep -q 'at most 50 weights' '$TMP/err'"
finish
