# Image lessons (image = WxH): the stepper shows the figure's sample as a
# picture with its label (the data's) and the network's answer (the largest
# output, from the CSV trace, once the stepper has reached the outputs);
# the picture's ink is where the data's pixels are; i hides it.
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
ROOT=$(dirname "$TESTS")
label=$(sed -n 2p "$ROOT/data/mnist10k.csv" | awk -F, '{ print $NF }')
"$NNTRACE" trace mnist --format csv --stage 2 --sample 1 >"$TMP/csv"
answer=$(awk -F, '$4 ~ /^out_o/ { k = substr($4, 6) - 1; if (n++ == 0 || $5 > best) { best = $5; a = k } } END { print a }' "$TMP/csv")
# the rows of the picture that have ink: pixel rows with any pixel above 0, two to a cell row
inked=$(sed -n 2p "$ROOT/data/mnist10k.csv" | awk -F, '{ for (r = 0; r < 14; r++) { ink = 0
    for (p = r * 56; p < r * 56 + 56; p++) if ($(p + 1) > 0) ink = 1; printf "%d", ink } }')

start 100 32
keys "$NNTRACE mnist; echo status=\$?" Enter
wait_for "Forward function" >/dev/null
check "mnist: the picture's title gives X1's label ($label) and no answer yet" wait_for "X1: label $label, answer ?"
screen >"$TMP/s1"
got=$(awk 'NR >= 4 && NR <= 17 { line = substr($0, 1, 30); printf "%d", line ~ /[░▒▓█]/ }' "$TMP/s1")
check "the picture has ink on the cell rows where the data's pixels are ($inked, drawn $got)" [ "$got" = "$inked" ]
keys 3
check "after stage 2: the answer is the largest output, o$((answer + 1)) ($answer)" wait_for "X1: label $label, answer $answer"
keys i
check "i hides the picture" sh -c "! $(printf '%s' "$T") capture-pane -p -t s | grep -q 'X1: label'"
keys i
check "i again shows it" wait_for "X1: label $label"
keys q
check "exits 0" wait_for "status=0"

# digits: 8x8, two cells a pixel
start 100 32
keys "$NNTRACE digits; echo status=\$?" Enter
wait_for "Forward function" >/dev/null
dlabel=$(sed -n 2p "$ROOT/data/digits.csv" | awk -F, '{ print $NF }')
check "digits: X1's label ($dlabel)" wait_for "X1: label $dlabel, answer ?"
keys q
check "digits: exits 0" wait_for "status=0"
finish
