# The text derivation of the seed lesson reads like the walkthrough and shows
# its published numbers, correctly rounded.
. "$TESTS/lib.sh"
run "$NNTRACE" trace
check "trace exits 0" [ "$status" -eq 0 ]
t="$TMP/flat"
unwrap "$TMP/out" >"$t"
for title in "1. Forward function for a hidden layer" "2. Forward function for an output layer" \
             "3. Quadratic loss function" "4. Backpropagation of an output layer" \
             "5. Backpropagation of a hidden layer" \
             "6. Adjustment of weights and biases - gradient descent"; do
    check "stage title '$title'" contains "$t" "$title"
done
check "net_h1 line as the issue gives it" contains "$t" \
    "X1: net_h1 = w1*x1 + w3*x2 + w9*b1 = 0.1*0.1 + 0.1*0.1 + 0.1*1 = 0.120000"
check "out_h1 0.529964" contains "$t" "X1: out_h1 = 1/(1 + e^(-net_h1)) = 1/(1 + e^(-0.120000)) = 0.529964"
check "net_o1 0.206242" contains "$t" "X1: net_o1 = w5*out_h1 + w7*out_h2 + w11*b3"
check "net_o1 value" grep -q "X1: net_o1 = .* = 0.206242$" "$t"
check "E_final 0.253395" grep -q "^E_final = .* = 0.253395$" "$t"
check "dE_final/dw5 0.006911" grep -q "^dE_final/dw5 = .* = 0.006911$" "$t"
# six decimals keep three significant digits: the walkthrough's own 0.0000712 and 0.0000143
check "dE_final/dw1 0.0000712, as the walkthrough gives it" grep -q "^dE_final/dw1 = .* = 0.0000712$" "$t"
check "dE_final/dw4 0.0000143, as the walkthrough gives it" grep -q "^dE_final/dw4 = .* = 0.0000143$" "$t"
check "w1 rounded to 0.099993 (the article truncates to 0.099992)" grep -q "^w1 = w1 - eta\*dE_final/dw1 = 0.1 - 0.1\*0.0000712 = 0.099993$" "$t"
check "the header says the rule" contains "$t" "rounded to 6 decimals (at least 3 significant digits)"
check "w12 0.098411" grep -q "^w12 = .* = 0.098411$" "$t"
check "stage 5 marks the reused stage-4 terms" contains "$t" "Reused from stage 4"
# --digits changes the rounding
run "$NNTRACE" trace --digits 3
unwrap "$TMP/out" >"$t"
check "--digits 3: E_final 0.253" grep -q "^E_final = .* = 0.253$" "$t"
# --sig N: N significant digits, whatever the size
run "$NNTRACE" trace --sig 3
unwrap "$TMP/out" >"$t"
check "--sig 3: E_final 0.253" grep -q "^E_final = .* = 0.253$" "$t"
check "--sig 3: dw4 0.0000143, w1 0.1000 (0.099993 to three significant digits)" \
    sh -c "grep -q '^dE_final/dw4 = .* = 0.0000143$' '$t' && grep -q '^w1 = .* = 0.1000$' '$t'"
check "--sig 3: said in the header" contains "$t" "rounded to 3 significant digits"
run "$NNTRACE" trace --sig 0
check "--sig 0: exit 2, one line" sh -c "[ $status -eq 2 ] && [ \$(wc -l <'$TMP/err') -eq 1 ] && grep -q -- '--sig' '$TMP/err'"
run "$NNTRACE" trace --digits 12
unwrap "$TMP/out" >"$t"
check "--digits 12: w1" grep -q "^w1 = .* = 0.099992876082$" "$t"
# --steps 2 traces a second step starting from the updated weights
run "$NNTRACE" trace --steps 2 --format csv
check "--steps 2 has 2*59 rows" [ "$(lines "$TMP/out")" -eq 119 ]
check "step 2 has its net_h1" grep -q '^2,1,1,net_h1,' "$TMP/out"
# step 2's net_h1 recomputed here from step 1's updated w1, w3, w9 (x1 = x2 = 0.1)
check "step 2 starts from step 1's updated weights (net_h1 = w1'*0.1 + w3'*0.1 + w9')" \
    awk -F, '$1 == 1 && $2 == 6 { w[$4] = $5 } $1 == 2 && $2 == 1 && $3 == 1 && $4 == "net_h1" { got = $5 }
        END { want = w["w1"] * 0.1 + w["w3"] * 0.1 + w["w9"]; d = got - want; if (d < 0) d = -d
              if (want == 0 || d > 1e-15 || (want - 0.12 < 1e-9 && 0.12 - want < 1e-9)) exit 1 }' "$TMP/out"
# formulas as the lessons' notes write them: cross-entropy from the net input
# (note.3 of deep.lesson), a sum of 64 inputs shortened to four terms, "...", the last
run "$NNTRACE" trace deep
unwrap "$TMP/out" >"$t"
check "cross-entropy: E_total = y1*ln(1 + e^(-net_o1)) + (1 - y1)*ln(1 + e^(net_o1))" \
    grep -qF 'X1: E_total = y1*ln(1 + e^(-net_o1)) + (1 - y1)*ln(1 + e^(net_o1)) = ' "$t"
check "a negative number in a function's own brackets is not bracketed twice: tanh(-0.940267)" \
    grep -qF 'X1: out_h1_1 = tanh(net_h1_1) = tanh(-0.940267) = ' "$t"
run "$NNTRACE" trace digits
unwrap "$TMP/out" >"$t"
check "a long sum elided: net_h1 = w1*x1 + ... four terms, '...', w1009*x64, bias" \
    grep -qE '^X1: net_h1 = w1\*x1 \+ w[0-9]+\*x2 \+ w[0-9]+\*x3 \+ w[0-9]+\*x4 \+ \.\.\. \+ w[0-9]+\*x64 \+ w[0-9]+\*b1 = ' "$t"

run "$NNTRACE" trace xor
check "a negative number after a minus keeps its brackets: e^(-(-0.882183))" \
    contains "$TMP/out" "X1: out_h1 = 1/(1 + e^(-net_h1)) = 1/(1 + e^(-(-0.882183))) = 0.292726"

# The text trace fits 80 columns: a longer derivation goes on under its
# first "=", a part broken before a "+" (or after a ",", before a "*").
for name in $(ls "$TESTS/../lessons" | sed -n 's/\.lesson$//p'); do
    run "$NNTRACE" trace "$name"
    check "$name: no line of the text trace is over 80 characters (the title included)" \
        python3 -c 'import sys; sys.exit(any(len(l) > 80 for l in open(sys.argv[1], encoding="utf-8").read().split("\n")))' "$TMP/out"
    check "$name: no line ends in a space" sh -c "! grep -q ' \$' '$TMP/out'"
done
run "$NNTRACE" trace
check "a derivation too long for 80 columns: each part under the first '='" awk '
    /^dE_final\/dw5 = 1\/2\*\(X1:/ { at = NR }
    at && NR == at + 2 && /^             = 1\/2\*\(\(-0\.448622\)/ { ok++ }
    at && NR == at + 3 && /^             = 0\.006911$/ { ok++ }
    at && NR == at + 1 && /^                 \+ X2:dE_total/ { ok++ }
    END { exit ok == 3 ? 0 : 1 }' "$TMP/out"
check "a short derivation stays on one line" \
    contains "$TMP/out" "X1: net_h1 = w1*x1 + w3*x2 + w9*b1 = 0.1*0.1 + 0.1*0.1 + 0.1*1 = 0.120000"
# numbers a person typed are written whole: scale = 100 is "divided by 100" (was
# "1e+02"), an input of 0.00001 / 100 as 0.0000001, .3 as 0.3
printf 'x1,x2,y1\n0.00001,2000,1\n' >"$TMP/typed.csv"
printf 'layers = 2 1 1\nlearning_rate = .3\ndata = typed.csv\nweights = random 1\nscale = 100\nnote.1 = eta is {eta}\n' >"$TMP/typed.lesson"
run "$NNTRACE" trace "$TMP/typed.lesson"
check "scale = 100: the header says divided by 100" grep -q "^Inputs: *the data's numbers divided by 100\$" "$TMP/out"
check "learning_rate = .3: {eta} in a note is 0.3" grep -qx 'eta is 0\.3' "$TMP/out"
check "an input of 0.00001 / 100: 0.0000001 in the data" grep -qF 'row 1: x = (0.0000001, 20), target y = (1)' "$TMP/out"
check "... and in the formula" grep -qF '= (-0.832741)*0.0000001 + (-0.817321)*20 + ' "$TMP/out"
finish
