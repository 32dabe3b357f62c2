# Markdown, LaTeX, JSON Lines and Graphviz exports, each read back by a real
# consumer (jq, dot, pdflatex) and checked against the seed reference.
. "$TESTS/lib.sh"
REF="$TESTS/data/seed_reference.csv"

# --- JSON Lines: every line valid JSON (jq), every field, values exact
run "$NNTRACE" trace --format jsonl
check "jsonl: exit 0" [ "$status" -eq 0 ]
cp "$TMP/out" "$TMP/seed.jsonl"
check "jsonl: 59 lines" [ "$(lines "$TMP/seed.jsonl")" -eq 59 ]
check "jsonl: every line parses (jq)" jq -e . "$TMP/seed.jsonl" >/dev/null
check "jsonl: every field present in all 59 events" jq -e -s 'length == 59 and all(.[]; has("id") and has("step") and has("stage") and has("sample") and has("symbol") and has("value") and has("formula") and has("substituted") and has("operands") and has("depends_on"))' "$TMP/seed.jsonl" >/dev/null
jq -r '[.step, .stage, (.sample // ""), .symbol] | map(tostring) | join(",")' "$TMP/seed.jsonl" >"$TMP/keys"
sed 's/^[^}]*"symbol":"[^"]*","value":\([^,]*\),.*/\1/' "$TMP/seed.jsonl" >"$TMP/values"
paste -d, "$TMP/keys" "$TMP/values" >"$TMP/jsonl.csv"
awk -F, 'NR == FNR { if (FNR > 1) want[$1","$2","$3","$4] = $5; next }
         { k = $1","$2","$3","$4; if (!(k in want)) { print "extra " k; bad++ } else { d = $5 - want[k]; if (d < 0) d = -d; if (d > 1e-12) { print k; bad++ } } ; n++ }
         END { exit (bad > 0 || n != 59) }' "$REF" "$TMP/jsonl.csv"
check "jsonl: every value equals the reference to 1e-12" [ $? -eq 0 ]
"$NNTRACE" trace --format csv | tail -n +2 | cut -d, -f5 >"$TMP/csv.values"
check "jsonl: values printed exactly as the CSV (%.17g round trip)" cmp -s "$TMP/csv.values" "$TMP/values"
check "jsonl: depends_on names earlier events" sh -c "jq -e 'select(.depends_on | any(. >= 0)) | (.depends_on | max) < .id' '$TMP/seed.jsonl' | grep -q false; [ \$? -eq 1 ]"
check "jsonl: depends_on is the operands' events, and 55 of the 59 have some" sh -c \
    "jq -s -e '([.[] | ((.operands | map(.event) | map(select(. != null and . >= 0))) == .depends_on)] | all) and ([.[] | select((.depends_on | length) > 0)] | length == 55)' '$TMP/seed.jsonl' >/dev/null"
check "jsonl: stage-5 operands point at stage-4 events" sh -c \
    "jq -r 'select(.symbol == \"dE_total/dout_h1\" and .sample == 1) | .operands[0].event' '$TMP/seed.jsonl' | xargs -I{} jq -r 'select(.id == {}) | .stage' '$TMP/seed.jsonl' | grep -qx 4"

# --- Graphviz: renders with dot; shows the values after the chosen stage
run "$NNTRACE" trace --format dot -o "$TMP/seed.dot"
check "dot: exit 0" [ "$status" -eq 0 ]
check "dot: dot -Tsvg renders it" sh -c "dot -Tsvg '$TMP/seed.dot' >'$TMP/seed.svg' && grep -q '<svg' '$TMP/seed.svg'"
check "dot: after stage 6, w1 updated to 0.099993" grep -q 'w1 = 0.099993' "$TMP/seed.dot"
check "dot: after stage 6, dE/dw1 shown" grep -q 'dE/dw = 0.000071' "$TMP/seed.dot"
"$NNTRACE" trace --format dot --stage 3 >"$TMP/s3.dot"
check "dot --stage 3: weights not yet updated" grep -q 'w1 = 0.100000' "$TMP/s3.dot"
check "dot --stage 3: the loss" grep -q 'E_final = 0.253395' "$TMP/s3.dot"
check "dot --stage 3: out_o1 of X1" grep -q 'out 0.551378' "$TMP/s3.dot"
check "dot --stage 3: no gradient yet" sh -c "! grep -q 'dE/dw' '$TMP/s3.dot'"
check "dot --stage 3 renders" sh -c "dot -Tsvg '$TMP/s3.dot' >/dev/null"
check "dot --stage 3: the lesson's note for stage 3" grep -q 'The loss compares the outputs' "$TMP/s3.dot"
run "$NNTRACE" trace --format dot --stage 7
check "--stage 7: exit 2" [ "$status" -eq 2 ]
# stage 6: the weights the step computed with beside the ones it leaves, labelled
check "dot stage 6: w1 as used (0.100000) and as updated (0.099993), dE/dw the walkthrough's 0.0000712" \
    grep -q 'w1 = 0\.100000\\ndE/dw = 0\.0000712\\nupdated w1 = 0\.099993' "$TMP/seed.dot"
check "dot stage 6: neurons keep the values computed with the old weights (X1 net_h1 0.120000)" \
    grep -q 'h1 \[label="h1\\nnet 0\.120000' "$TMP/seed.dot"
# --sample K: the neurons show sample K
# the stage's note under the title, wrapped (it was one line: 1431pt wide at stage 6)
check "dot stage 6: the picture no wider than 1000pt (the note wrapped)" \
    sh -c "dot -Tsvg '$TMP/seed.dot' | grep -m1 -o 'width=\"[0-9]*pt\"' | tr -dc 0-9 | awk '{ exit !(\$1 < 1000) }'"
cat >"$TMP/note.py" <<'EOF'
import re, sys
dot = open(sys.argv[1], encoding="utf-8").read()
label = re.search(r'label="((?:[^"\\]|\\.)*)"', dot).group(1)
parts = label.split("\\n\\n", 1)
if len(parts) < 2:
    sys.exit(0)                                  # no note at this stage
lines = parts[1].split("\\n")
text = open(sys.argv[2], encoding="utf-8").read()
# the text trace prints the same note (wrapped at 78): the words must agree
words = " ".join(lines).replace('\\"', '"').replace("\\\\", "\\").split()
sys.exit(0 if all(len(l) <= 72 for l in lines) and " ".join(words) in " ".join(text.split()) else 1)
EOF
for lesson in seed xor deep softmax; do
    for stage in 1 3 6; do
        "$NNTRACE" trace --format dot --stage $stage $lesson >"$TMP/n.dot"
        "$NNTRACE" trace --stage $stage $lesson >"$TMP/n.txt"
        check "dot $lesson stage $stage: the note whole, in lines of at most 72 characters" \
            python3 "$TMP/note.py" "$TMP/n.dot" "$TMP/n.txt"
    done
done
run "$NNTRACE" trace --format dot --sample 2
check "dot --sample 2: says so, with its data row" contains "$TMP/out" 'neurons show sample X2 (data row 2)'
check "dot --sample 2: X2's net_h1 0.130000" grep -q 'h1 \[label="h1\\nnet 0\.130000' "$TMP/out"
check "dot --sample 2: X2's inputs (x2 = 0.2)" grep -q 'x2 \[label="x2\\n0\.2"' "$TMP/out"
# nodes in unit order: each layer one column, top to bottom x1, x2, ... (dot -Tplain's y falls)
run "$NNTRACE" trace iris --format dot
dot -Tplain "$TMP/out" >"$TMP/iris.plain"
check "dot iris: inputs, hidden and outputs each in unit order, top to bottom" awk '
    $1 == "node" { y[$2] = $4 }
    END { split("x1 x2 x3 x4 b1|h1 h2 h3 h4 h5 b2|o1 o2 o3", cols, "|")
          for (c in cols) { n = split(cols[c], u, " "); for (i = 2; i <= n; i++) if (!(y[u[i-1]] > y[u[i]])) exit 1 } }' \
    "$TMP/iris.plain"
run "$NNTRACE" trace digits --format dot
dot -Tplain "$TMP/out" >"$TMP/digits.plain"
check "dot digits: 64 inputs as x1..x5, '... 57 more', x63, x64" \
    sh -c "grep -q 'more0 \\[shape=plaintext, label=\"... 57 more\"\\]' '$TMP/out' && grep -q '^  x64 ' '$TMP/out' && ! grep -q '^  x6 ' '$TMP/out'"
check "dot digits: fits in 2000 pixels at 96 dpi" \
    awk '$1 == "graph" { exit !($3 * 96 <= 2000 && $4 * 96 <= 2000) }' "$TMP/digits.plain"
check "dot digits: renders" sh -c "dot -Tsvg '$TMP/out' >/dev/null"
run "$NNTRACE" trace --sample 3
check "--sample past the batch: exit 2, one line naming the batch" \
    sh -c "[ $status -eq 2 ] && [ \"\$(cat '$TMP/err')\" = 'nntrace: --sample 3: the batch has 2 samples (X1..X2)' ]"
run "$NNTRACE" trace --sample 0
check "--sample 0: exit 2" [ "$status" -eq 2 ]

# --stage S and --sample K in text, Markdown and LaTeX: that stage, that sample
run "$NNTRACE" trace --stage 4
check "text --stage 4: stage 4's heading" contains "$TMP/out" "4. Backpropagation of an output layer"
check "text --stage 4: no other stage" [ "$(grep -c '^[1-6]\. ' "$TMP/out")" -eq 1 ]
check "text --stage 4: the step's heading still" grep -q '^Step 1$' "$TMP/out"
check "text --stage 4: its values (X1 dout_o1/dnet_o1)" grep -q '^X1: dout_o1/dnet_o1 = .* = 0\.247360$' "$TMP/out"
check "text --stage 4: no value of stage 1" sh -c "! grep -q 'net_h1 = w1' '$TMP/out'"
check "text --stage 4: says what it shows" grep -q '^Shown: *stage 4 alone$' "$TMP/out"
run "$NNTRACE" trace --sample 2
unwrap "$TMP/out" >"$TMP/flat"
check "text --sample 2: X2's values" grep -q '^X2: net_h1 = .* = 0\.130000$' "$TMP/flat"
check "text --sample 2: none of X1's" sh -c "! grep -q '^X1: ' '$TMP/flat'"
check "text --sample 2: the batch's values still (E_final, w1)" \
    sh -c "grep -q '^E_final = .* = 0\.253395$' '$TMP/flat' && grep -q '^w1 = .* = 0\.099993$' '$TMP/flat'"
run "$NNTRACE" trace --format markdown --stage 5 --sample 1
check "markdown --stage 5 --sample 1: one stage heading" [ "$(grep -c '^### [1-6]\. ' "$TMP/out")" -eq 1 ]
check "markdown --stage 5 --sample 1: X1's table, not X2's" \
    sh -c "grep -q '^\*\*X1\*\*$' '$TMP/out' && ! grep -q '^\*\*X2\*\*$' '$TMP/out'"
run "$NNTRACE" trace --format latex --stage 2 --sample 2
check "latex --stage 2 --sample 2: one section" [ "$(grep -c '^\\section\*{[1-6]\. ' "$TMP/out")" -eq 1 ]
check "latex --stage 2 --sample 2: X2's out_o1 0.551502" grep -q '0\.551502' "$TMP/out"
check "latex --stage 2 --sample 2: not X1's (0.551378)" sh -c "! grep -q '0\.551378' '$TMP/out'"
# a network with two hidden layers: one "Step" heading, each note once
run "$NNTRACE" trace deep
check "deep: one 'Step 1' heading for two hidden layers" [ "$(grep -c '^Step 1$' "$TMP/out")" -eq 1 ]
run "$NNTRACE" trace deep --format markdown
check "deep markdown: stage 1's note once, not per layer" [ "$(grep -c '^> ' "$TMP/out")" -eq 6 ]

# --- Markdown: titles, per-sample tables, the published numbers
run "$NNTRACE" trace --format markdown
md="$TMP/out"
check "markdown: exit 0" [ "$status" -eq 0 ]
check "markdown: six stage headings" [ "$(grep -c '^### [1-6]\. ' "$md")" -eq 6 ]
check "markdown: per-sample tables" [ "$(grep -c '^\*\*X1\*\*$' "$md")" -eq 5 ]
check "markdown: net_h1 row" grep -qF '| `net_h1` | `w1*x1 + w3*x2 + w9*b1` | `0.1*0.1 + 0.1*0.1 + 0.1*1` | 0.120000 |' "$md"
check "markdown: E_final 0.253395" grep -q '^| `E_final` | .* | 0.253395 |$' "$md"
check "markdown: w1 0.099993" grep -q '^| `w1` | .* | 0.099993 |$' "$md"
check "markdown: every table row has 4 cells" sh -c "grep '^| \`' '$md' | sed 's/\\\\|//g' | awk -F'|' 'NF != 6 { bad = 1 } END { exit bad }'"

# --- LaTeX: structure always; compiled by pdflatex when installed
run "$NNTRACE" trace --format latex -o "$TMP/seed.tex"
tex="$TMP/seed.tex"
check "latex: exit 0" [ "$status" -eq 0 ]
check "latex: standalone article" grep -q '^\\documentclass' "$tex"
check "latex: begins and ends the document" sh -c "grep -q '^\\\\begin{document}' '$tex' && tail -1 '$tex' | grep -q '^\\\\end{document}'"
check "latex: one section per stage" [ "$(grep -c '^\\section\*{[1-6]\. ' "$tex")" -eq 6 ]
# one align* per stage and sample, its values lined up on "=": stages 1, 2 two
# samples each; 3, 4, 5 two samples and the batch; 6 the batch
check "latex: one align* per stage and sample (14)" [ "$(grep -c '^\\begin{align\*}' "$tex")" -eq 14 ]
check "latex: balanced align*" [ "$(grep -c '^\\begin{align\*}' "$tex")" -eq "$(grep -c '^\\end{align\*}' "$tex")" ]
check "latex: E_final 0.253395" grep -q '&= 0.253395$' "$tex"
# the walkthrough's net_h1 = w1*x1 + w3*x2 + w9*b1 (weights numbered from the inputs, biases last)
check "latex: net_h1 typeset with cdot and subscripts" grep -qF \
    '\mathit{net}_{h1} &= w_{1} \cdot x_{1} + w_{3} \cdot x_{2} + w_{9} \cdot b_{1} \\' "$tex"
check "latex: E_final as a fraction of the mean" grep -qF \
    'E_{\mathrm{final}} &= \frac{1}{2} \cdot \Bigl(\left.E_{\mathrm{total}}\right|_{X_{1}} + \left.E_{\mathrm{total}}\right|_{X_{2}}\Bigr)' "$tex"
# the template's structure typeset (the walkthrough's sigmoid; tanh, its slope
# and the cross-entropy as the lesson notes write them): fractions, powers of
# e in braces, functions upright
check "latex: the sigmoid as a fraction with e to the power" grep -qF \
    '\mathit{out}_{h1} &= \frac{1}{1 + e^{-\mathit{net}_{h1}}} \\' "$tex"
"$NNTRACE" trace --format latex deep >"$TMP/deep.tex"
check "latex: tanh upright, its operand unbracketed" grep -qF \
    '\mathit{out}_{h1_1} &= \tanh(\mathit{net}_{h1_1}) \\' "$TMP/deep.tex"
check "latex: tanh's slope squared" grep -qF \
    '&= 1 - \mathit{out}_{h2_1}^2 \\' "$TMP/deep.tex"
check "latex: the cross-entropy with ln upright" grep -qF \
    'E_{\mathrm{total}} &= y_{1} \cdot \ln(1 + e^{-\mathit{net}_{o1}}) + (1 - y_{1}) \cdot \ln(1 + e^{\mathit{net}_{o1}}) \\' "$TMP/deep.tex"
# a hostile title and note: every LaTeX special, Markdown markup, an escape sequence
cp "$TESTS/bad/ok.csv" "$TESTS/bad/ok-weights.csv" "$TMP/"
printf 'title = 100%% $money$ & #1 {x} a_b ^c ~d \\e | *f* [g](h) <i> \033[31m\nlayers = 2 2 2\nlearning_rate = 0.1\ndata = ok.csv\nweights = ok-weights.csv\nnote.2 = note: 50%% & \\textbf{{no} $x$ {E_final}\n' >"$TMP/evil.lesson"
"$NNTRACE" trace --format latex "$TMP/evil.lesson" >"$TMP/evil.tex"
check "latex: the note escaped, {{ a brace, its live value filled in" grep -qF 'note: 50\% \& \textbackslash{}textbf\{no\} \$x\$ 0.253395}' "$TMP/evil.tex"
check "latex: specials escaped in the title" grep -qF '100\% \$money\$ \& \#1 \{x\} a\_b \textasciicircum{}c \textasciitilde{}d \textbackslash{}e \textbar{} *f* [g](h) \textless{}i\textgreater{} \textasciicircum{}[[31m' "$TMP/evil.tex"
if command -v pdflatex >/dev/null 2>&1; then
    for f in seed evil; do
        (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error "$f.tex" >"$f.pdflog" 2>&1)
        check "latex: pdflatex compiles $f.tex" [ -s "$TMP/$f.pdf" ]
    done
    "$NNTRACE" trace --format latex --steps 2 iris >"$TMP/iris.tex" 2>/dev/null || \
        "$NNTRACE" trace --format latex --steps 2 "$(dirname "$TESTS")/lessons/iris.lesson" >"$TMP/iris.tex"
    (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error iris.tex >iris.pdflog 2>&1)
    check "latex: pdflatex compiles two steps of iris" [ -s "$TMP/iris.pdf" ]
else
    echo "  (pdflatex not installed: compile checks skipped; scripts/deps.sh test installs texlive-latex-base)"
fi
run "$NNTRACE" trace --format markdown "$TMP/evil.lesson"
check "markdown: title escaped" grep -qF '100% \$money\$ \& \#1 \{x\} a\_b ^c \~d \\e \| \*f\* \[g\]\(h\) \<i\> ^\[\[31m' "$TMP/out"
check "markdown: no raw escape byte" sh -c "! grep -q \"$(printf '\033')\" '$TMP/out'"
run "$NNTRACE" trace --format jsonl "$TMP/evil.lesson"
check "jsonl: valid with a hostile lesson" jq -e . "$TMP/out" >/dev/null
run "$NNTRACE" trace --format dot "$TMP/evil.lesson"
check "dot: hostile title renders" sh -c "dot -Tsvg '$TMP/out' >/dev/null"
check "dot: no raw escape byte" sh -c "! grep -q \"$(printf '\033')\" '$TMP/out'"
run "$NNTRACE" trace "$TMP/evil.lesson"
check "text: escape shown as ^[" grep -qF '^[[31m' "$TMP/out"
check "text: no raw escape byte" sh -c "! grep -q \"$(printf '\033')\" '$TMP/out'"
# deep (2-3-3-1): hidden layer 2 reuses stage 4; hidden layer 1 reuses the layer above, in every writer
for f in text markdown latex; do
    run "$NNTRACE" trace deep --format $f
    awk '/Backpropagation of a hidden layer \(hidden layer 1\)/ { on = 1; next } on && /[Rr]eused/ { print; exit }' \
        "$TMP/out" >"$TMP/reuse1"
    awk '/Backpropagation of a hidden layer \(hidden layer 2\)/ { on = 1; next } on && /[Rr]eused/ { print; exit }' \
        "$TMP/out" >"$TMP/reuse2"
    check "deep, $f: hidden layer 1 reuses the layer above" grep -q "layer above" "$TMP/reuse1"
    check "deep, $f: hidden layer 2 reuses stage 4" grep -q "stage 4" "$TMP/reuse2"
done
# typed events in JSON Lines: each event's kind, layer, unit and weight, and each operand's
# kind, agree with what its symbol and name say (the test reads the names; the program does not)
for lesson in seed deep iris; do
    "$NNTRACE" trace --format jsonl "$lesson" >"$TMP/typed.jsonl"
    L=$(case $lesson in deep) echo 3 ;; *) echo 2 ;; esac)
    check "$lesson: every event typed as its symbol says" jq -e -s --argjson L "$L" '
        def unitnum: capture("(?<u>[0-9]+)$").u | tonumber;
        length > 20 and all(.[];
          (.symbol | test("^net_")) as $net | (.symbol | test("^out_")) as $out |
          if $net then .kind == "net" and .unit == (.symbol | unitnum)
          elif $out then .kind == "out" and .unit == (.symbol | unitnum)
          elif .symbol == "E_total" then .kind == "loss" and .layer == $L and .unit == null
          elif .symbol == "E_final" then .kind == "loss_batch" and .layer == $L and .sample == null
          elif (.symbol | test("^dE_total/dout_")) then .kind == "dE_dout" and .unit == (.symbol | unitnum)
          elif (.symbol | test("^dE_total/dnet_")) then .kind == "dE_dnet" and .layer == $L
          elif (.symbol | test("^dout_")) then .kind == "dout_dnet" and .unit == (.symbol | unitnum)
          elif (.symbol | test("^dE_final/dw")) then .kind == "gradient" and .weight == (.symbol | unitnum) and .unit == null
          elif (.symbol | test("^w[0-9]+$")) then .kind == "update" and .weight == (.symbol | unitnum)
          else false end)' "$TMP/typed.jsonl" >/dev/null
    check "$lesson: the output layer's values have layer L, the first hidden layer's 1" jq -e -s --argjson L "$L" '
        all(.[] | select(.symbol | test("^(net|out)_o")); .layer == $L) and
        all(.[] | select(.symbol | test("^(net|out)_h(1_)?[0-9]+$")); .layer == 1)' "$TMP/typed.jsonl" >/dev/null
    check "$lesson: every operand typed as its name says" jq -e -s '
        def nm: .name | sub("^X[0-9]+:"; "");
        all(.[].operands[];
          (nm) as $n |
          if ($n | test("^w[0-9]+$")) then .kind == "weight" and .weight == ($n[1:] | tonumber)
          elif ($n | test("^x[0-9]+$")) then .kind == "input" and .event == null
          elif ($n | test("^y[0-9]+$")) then .kind == "target" and .event == null
          elif ($n | test("^b[0-9]+$")) then .kind == "bias_input" and .event == null
          elif $n == "eta" then .kind == "learning_rate" and .event == null
          else .kind == "value" and .event != null end)' "$TMP/typed.jsonl" >/dev/null
done
finish
