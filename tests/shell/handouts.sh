# Handouts (LaTeX and Markdown): page 1 shows the network as a figure, the
# starting weights and the batch; the end, every weight before and after
# and E_final before and after (checked here against the reference and an
# independent forward pass in awk); LaTeX compiles with no overfull box on
# seed, xor, iris and deep, lines up each stage on "=", sets notes' math;
# large lessons come in the summary form (iris < 10 pages, digits < 25).
. "$TESTS/lib.sh"
REF="$TESTS/data/seed_reference.csv"

# --- LaTeX, the seed: page 1
run "$NNTRACE" trace --format latex -o "$TMP/seed.tex"
tex="$TMP/seed.tex"
page1="$TMP/page1.tex"
sed -n '1,/^\\clearpage/p' "$tex" >"$page1"
check "latex page 1 ends with \\clearpage, before stage 1" \
    sh -c "grep -q '^\\\\clearpage' '$tex' && ! grep -q '^\\\\section\\*{1\\.' '$page1'"
check "page 1: the network as a TikZ picture" grep -q '^\\begin{tikzpicture}' "$page1"
check "page 1: the figure's 6 units and 2 bias inputs" [ "$(grep -c '^\\node\[\(unit\|bias\)\]' "$page1")" -eq 8 ]
check "page 1: 12 lines, each labelled with its starting weight (w8 = 0.2)" \
    sh -c "[ \$(grep -c '^\\\\draw\\[->' '$page1') -eq 12 ] && grep -qF '{\$w_{8} = 0.2\$}' '$page1'"
check "page 1: the table of starting weights (w12 from 1 to o2 = 0.1)" grep -qF '$w_{12}$ ($1 \to o_{2}$) & $0.1$' "$page1"
check "page 1: the batch with its targets (X2: row 2, 0.1, 0.2, targets 0, 1)" \
    grep -qF '$X_{2}$ & 2 & $0.1$ & $0.2$ & $0$ & $1$' "$page1"
# --- the end: before and after
after="$TMP/after.tex"
sed -n '/^\\section\*{Before and after}/,$p' "$tex" >"$after"
check "latex: a 'Before and after' section after stage 6" \
    sh -c "[ -s '$after' ] && [ \$(grep -n 'section\\*{Before' '$tex' | cut -d: -f1) -gt \$(grep -n 'section\\*{6\\.' '$tex' | cut -d: -f1) ]"
check "before and after: every weight, 12 rows" [ "$(grep -c '^\$w_{[0-9]*}\$ & ' "$after")" -eq 12 ]
# every updated weight as the reference has it (stage 6), rounded to 6 decimals
awk -F, 'NR > 1 && $2 == 6 { printf "%s %.6f\n", $4, $5 }' "$REF" | sort >"$TMP/want.w"
sed -n 's/^\$w_{\([0-9]*\)}\$ & .* & \$[-0-9.]*\$ & \$\([-0-9.]*\)\$ & .*/w\1 \2/p' "$after" | sort >"$TMP/got.w"
check "before and after: each 'after' is the reference's updated weight" cmp -s "$TMP/want.w" "$TMP/got.w"
# E_final after the step, computed here from the reference's updated weights
# (w1..w12 as the walkthrough numbers them) on the two samples
ef=$(seed_e_after "$REF")
check "E_final before (0.253395, the reference's) and after ($ef, recomputed here)" \
    grep -qF "\$E_{\\mathrm{final}}\$ of the batch of step 1: \$0.253395\$ with the starting weights, \$$ef\$" "$after"
check "E_final went down" awk -v e="$ef" 'BEGIN { exit !(e < 0.253395) }'
# --- the math: aligned, sized, notes typeset
check "latex: no raw e^( anywhere (superscripts in braces)" sh -c "! grep -q 'e^(' '$tex'"
check "latex: the sigmoid note's 1/(1 + e^(-z)) set as math" grep -qF '$1/(1 + e^{-z})$' "$tex"
check "latex: the update note's w = w - eta * dE_final/dw set as math" \
    grep -qF '$w = w - \eta  \cdot  \mathit{dE}_{\mathrm{final}}/\mathit{dw}$' "$tex"
check "latex: brackets around fractions sized (\\Bigl(, \\Bigr))" grep -qF '\frac{1}{2} \cdot \Bigl(' "$tex"
# stage 5's terms reused from stage 4, marked as the stepper marks them: in X1's
# dE_total/dout_h1 both names and both numbers of each output's product
sed -n '/^\\section\*{5\./,/^\\section\*{6\./p' "$tex" >"$TMP/s5"
check "latex: stage 5 says which terms it reuses, in math, marked" \
    grep -qF 'Reused from stage 4, marked \colorbox{reusedbg}{like this}: $\partial E_{\mathrm{total}}/\partial \mathit{out}_{ok}$' "$TMP/s5"
check "latex: X1's dE_total/dout_h1 marks dE_total/dout_o1 and dout_o1/dnet_o1 (names), w5 not" \
    grep -qF '&= \reused{\frac{\partial E_{\mathrm{total}}}{\partial \mathit{out}_{o1}}} \cdot \reused{\frac{\partial \mathit{out}_{o1}}{\partial \mathit{net}_{o1}}} \cdot w_{5} +' "$TMP/s5"
check "latex: ... and their numbers, as stage 4 gave them (-0.448622, 0.247360)" \
    grep -qF '&= \reused{(-0.448622)} \cdot \reused{0.247360} \cdot 0.1 +' "$TMP/s5"
check "latex: nothing marked outside stage 5" [ "$(grep -c 'reused{' "$tex")" -eq "$(grep -c 'reused{' "$TMP/s5")" ]
# 52 weights: as many rows as a table holds; no second table with its header alone
printf 'layers = 2 1 16 1\nlearning_rate = 0.5\ndata = %s/../data/xor.csv\nweights = random 1\n' "$TESTS" >"$TMP/w52.lesson"
"$NNTRACE" trace --format latex "$TMP/w52.lesson" >"$TMP/w52.tex"
check "latex: 52 weights, before and after in one table, none left holding its header alone" \
    sh -c "[ \$(grep -c 'begin{tabular}{llrrr}' '$TMP/w52.tex') -eq 1 ] && ! grep -A1 '^\\\\hline\$' '$TMP/w52.tex' | grep -q 'end{tabular}'"
check "latex: the figure's labels in black at footnotesize" grep -qF 'lbl/.style={fill=white, text=black, inner sep=1pt, font=\footnotesize}' "$tex"
run "$NNTRACE" trace deep --format latex
check "deep latex: cross-entropy's e^(-net) as a superscript" sh -c "grep -qF 'e^{-' '$TMP/out' && ! grep -q 'e^(' '$TMP/out'"

# --- compiled: no overfull box; pages
if command -v pdflatex >/dev/null 2>&1; then
    for name in seed xor iris deep digits; do
        "$NNTRACE" trace "$name" --format latex -o "$TMP/$name.tex"
        (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error "$name.tex" >"$name.pdflog" 2>&1)
        check "latex $name: compiles" [ -s "$TMP/$name.pdf" ]
        check "latex $name: one run is the final document, no warning ($(grep -m1 Warning "$TMP/$name.log"))" \
            sh -c "! grep -q 'Warning' '$TMP/$name.log'"
        pages=$(sed -n 's/^Output written on .* (\([0-9]*\) page.*/\1/p' "$TMP/$name.log")
        eval "pages_$name=\${pages:-999}"
        [ "$name" = digits ] && continue
        check "latex $name: no overfull box ($(grep -c Overfull "$TMP/$name.log"))" \
            sh -c "! grep -q 'Overfull' '$TMP/$name.log'"
    done
    check "iris in the summary form: under 10 pages ($pages_iris)" [ "$pages_iris" -lt 10 ]
    check "digits in the summary form: under 25 pages ($pages_digits)" [ "$pages_digits" -lt 25 ]
    check "seed: before and after on the last page, after stage 6 (8 pages, none nearly empty: $pages_seed)" \
        [ "$pages_seed" -eq 8 ]
    check "seed stays in full: every value worked (59 results)" \
        [ "$(grep -cE '^  &= -?[0-9]+\.[0-9]+( \\\\\[6pt\])?$' "$TMP/seed.tex")" -eq 59 ]
    check "iris says which sample is worked in full" grep -q 'Sample \$X_{1}\$ worked in full' "$TMP/iris.tex"
    check "iris: every sample's values in tables" [ "$(grep -c '^Every sample, the same values' "$TMP/iris.tex")" -eq 5 ]
    check "digits: the 20 weights that moved most, last" grep -q 'The 20 of the 2260 weights that moved most' "$TMP/digits.tex"
else
    echo "  (pdflatex not installed: compile checks skipped; scripts/deps.sh test installs it)"
fi

# --- Markdown: the figure as inline SVG (pandoc's HTML keeps raw HTML), the end
run "$NNTRACE" trace --format markdown
md="$TMP/out"
sed -n '/^<svg/,/^<\/svg>$/p' "$md" >"$TMP/fig.svg"
check "markdown: an inline SVG figure before stage 1" \
    sh -c "[ -s '$TMP/fig.svg' ] && [ \$(grep -n '^<svg' '$md' | cut -d: -f1) -lt \$(grep -n '^### 1\\.' '$md' | cut -d: -f1) ]"
check "markdown: the SVG is well-formed XML" python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$TMP/fig.svg"
check "markdown: no blank line inside the SVG (a raw HTML block)" sh -c "! grep -q '^\$' '$TMP/fig.svg'"
check "markdown: 6 units, 2 bias inputs, 12 labelled lines" \
    sh -c "[ \$(grep -c '<circle' '$TMP/fig.svg') -eq 6 ] && [ \$(grep -c '<rect' '$TMP/fig.svg') -eq 2 ] && [ \$(grep -c '>w[0-9]* = ' '$TMP/fig.svg') -eq 12 ]"
check "markdown: before and after, w1 0.1 -> 0.099993, a change of -0.1*0.0000712" grep -qF '| w1 | x1 | h1 | 0.1 | 0.099993 | -0.00000712 |' "$md"
# the weights that moved most: the first row is the largest change in the JSON Lines events
"$NNTRACE" trace digits --format jsonl | jq -r 'select(.kind == "update") | [.symbol, ((.value - .operands[0].value) | fabs)] | @tsv' |
    sort -t"$(printf '\t')" -k2,2 -g -r | head -3 | cut -f1 >"$TMP/most"
"$NNTRACE" trace digits --format markdown | sed -n '/moved most/,$p' | grep '^| w[0-9]' | head -3 | cut -d' ' -f2 >"$TMP/most.md"
check "digits: the weights that moved most, largest first, as the events say" cmp -s "$TMP/most" "$TMP/most.md"
# an image lesson's Markdown: after stage 2, each sample of the batch as a picture with its
# label (the data's) and the network's answer (the largest output, from the CSV trace)
ROOT=$(dirname "$TESTS")
"$NNTRACE" trace digits --format markdown >"$TMP/digits.md"
"$NNTRACE" trace digits --format csv --stage 2 >"$TMP/d2.csv"
awk -F, 'NR == FNR { if (FNR > 1 && FNR <= 21) label[FNR - 1] = $NF; next }
         $4 ~ /^out_o/ { s = $3; k = substr($4, 6) - 1; if (!(s in best) || $5 > best[s]) { best[s] = $5; a[s] = k } }
         END { for (s = 1; s <= 20; s++) printf "X%d: label %d, answer %d\n", s, label[s], a[s] }' \
    "$ROOT/data/digits.csv" "$TMP/d2.csv" >"$TMP/want.pic"
grep -o '<title>X[^<]*</title>' "$TMP/digits.md" | sed 's/<[/]*title>//g' >"$TMP/got.pic"
check "digits markdown: 20 pictures, each with its label and the network's answer" cmp -s "$TMP/want.pic" "$TMP/got.pic"
ink=$(sed -n 2p "$ROOT/data/digits.csv" | awk -F, '{ for (i = 1; i < NF; i++) n += $i > 0; print n }')
got=$(grep -m1 '<title>X1:' "$TMP/digits.md" | grep -o '<rect x=' | wc -l)
check "digits markdown: X1's picture has a square for each of its $ink inked pixels ($got)" [ "$got" -eq "$ink" ]
check "seed markdown: no pictures (its inputs are no image)" sh -c "! grep -q '<title>X1' '$md'"
check "markdown: E_final before and after" grep -qF "E_final of the batch of step 1: 0.253395 with the starting weights, $ef with" "$md"
finish
