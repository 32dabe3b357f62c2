# docs/teaching.md, run as written: every command of the plan, and what the
# plan says each shows.
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"
PLAN=$(dirname "$TESTS")/docs/teaching.md

# --- before class: the indented commands of the plan, in a scratch folder
mkdir -p "$TMP/class"
sed -n '/^## Before class/,/^## In class/p' "$PLAN" | grep '^    nntrace' | sed 's/ *#.*//; s/^ *//' >"$TMP/commands"
check "the plan has its before-class commands" [ "$(wc -l <"$TMP/commands")" -ge 5 ]
while read -r cmd; do
    case "$cmd" in
        *"| dot "*) command -v dot >/dev/null 2>&1 || continue ;;
    esac
    (cd "$TMP/class" && PATH="$(dirname "$NNTRACE"):$PATH" sh -c "$cmd") >"$TMP/cmd.out" 2>&1
    check "before class: '$cmd' runs" [ $? -eq 0 ]
done <"$TMP/commands"
md="$TMP/class/backprop-handout.md"
check "the Markdown handout's weights table, with w12 from 1 to o2" grep -q '^| w12 | 1 | o2 | 0.1 |$' "$md"
check "... and its data table, with X2 = (0.1, 0.2) and targets (0, 1)" grep -q '^| 2 | 0.1 | 0.2 | (0, 1), label 1 |$' "$md"
check "the CSV has the step's 59 values" [ "$(($(wc -l <"$TMP/class/seed.csv") - 1))" -eq 59 ]
if command -v dot >/dev/null 2>&1; then
    check "forward.svg drawn" grep -q '<svg' "$TMP/class/forward.svg"
fi
if command -v pdflatex >/dev/null 2>&1; then
    pages=$(sed -n 's/.*backprop-handout.pdf, \([0-9]*\) pages.*/\1/p' "$PLAN")
    (cd "$TMP/class" && pdflatex -interaction=nonstopmode -halt-on-error backprop-handout.tex >/dev/null 2>&1)
    check "the handout compiles to the $pages pages the plan says" grep -q "Output written on backprop-handout.pdf ($pages pages" \
        "$TMP/class/backprop-handout.log"
    check "one pdflatex run is the final document: no warning (no 'Rerun LaTeX')" \
        sh -c "! grep -q 'Warning' '$TMP/class/backprop-handout.log'"
fi

# --- in class: the presenter's board, then the keys of the table
start 80 24
keys "$NNTRACE --present --no-mouse; echo status=\$?" Enter
check "0-5: the board shows the network with w12 on its line" wait_for "b4 ─w12   0.1─▶"
check "0-5: ... X1 = (0.1, 0.1) with targets (1, 0)" wait_for "X1:  x = (0.1, 0.1)   target y = (1, 0)"
check "0-5: ... X2 = (0.1, 0.2) with targets (0, 1)" wait_for "X2:  x = (0.1, 0.2)   target y = (0, 1)"
keys Right
check "5-12: net_h1 = w1*x1 + w3*x2 + w9*b1" wait_for "X1: net_h1 = w1*x1 + w3*x2 + w9*b1"
keys Right Right
check "5-12: ... = 0.12, revealed on the third Right" wait_for "= 0.1*0.1 + 0.1*0.1 + 0.1*1"
keys q
must_see "status=0"
start 80 24
keys "$NNTRACE --no-mouse; echo status=\$?" Enter
must_see "Forward function"
keys 3 3
check "12-17: 3, 3: E_final = 0.253395" wait_for "= 0.253395"
keys 4
for _ in $(seq 30); do screen | grep -q "^dE_final/dw5 =" && break; keys Right; done
check "17-27: 4, then Right: dE_final/dw5 = 0.006911" sh -c "$T capture-pane -p -t s | grep -A3 '^dE_final/dw5 =' | grep -q '= 0.006911'"
keys 5
check "27-35: 5: stage 4's terms marked reused" wait_for "stage 4's terms reused"
keys 6
check "35-40: 6: w1 = 0.1 - 0.1*0.000071" wait_for "= 0.1 - 0.1*0.000071"
check "35-40: ... = 0.099993" wait_for "= 0.099993"
keys ] 3 3
check "35-40: ], 3, 3: step 2's E_final = 0.253330, lower" wait_for "= 0.253330"
keys q
must_see "status=0"
# 40-45: predict what w5 = 0.3 changes
start 80 24
keys "$NNTRACE --no-mouse; echo status=\$?" Enter
must_see "Forward function"
# typed exactly as the plan prints it: p, w5=0.3, Enter (the prompt opens empty), m, Enter
keys p
$T send-keys -t s -l "w5=0.3"
keys Enter m Enter
check "40-45: p, w5=0.3, Enter, m, Enter: the prediction is counted, changes not reached still to come" \
    wait_for "Prediction w5=0.3: "
check "40-45: ... nothing counted as missed before it is reached" wait_for "still to come"
keys q
check "the stepper exits 0" wait_for "status=0"
finish
