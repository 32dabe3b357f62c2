# The quiz names the mistake: a wrong answer that is what a known mistake
# gives (computed here from the independent seed reference, not taken from
# the program) is named with the term concerned; --quiz=KIND chooses the
# questions; relative tolerance; the score per kind at the end; --quiz with
# --present asks the room.  Driven in tmux.
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
REF="$TESTS/data/seed_reference.csv"
ref() { awk -F, -v k="$1" 'NR > 1 && ($3 "," $4) == k { printf "%.17g", $5 }' "$REF"; }
out1=$(ref "1,out_o1")
# the wrong answers, from the reference values
at_out=$(awk -v o="$out1" 'BEGIN { s = 1 / (1 + exp(-o)); printf "%.6f", s * (1 - s) }')
flipped=$(awk -v d="$(ref "1,dE_total/dout_o1")" 'BEGIN { printf "%.6f", -d }')
no_slope=$(awk -v a="$(ref "1,dE_total/dout_o1")" -v b="$(ref "2,dE_total/dout_o1")" \
    -v h="$(ref "1,out_h1")" -v i="$(ref "2,out_h1")" 'BEGIN { printf "%.6f", (a * h + b * i) / 2 }')
summed=$(awk -v g="$(ref ",dE_final/dw5")" 'BEGIN { printf "%.6f", 2 * g }')

# --- --quiz=backward: the first question is X1's dE_total/dout_o1 (stage 4)
start 100 30
keys "$NNTRACE --quiz=backward --digits 6; echo status=\$?" Enter
must_see "? your answer"
n=0
while ! screen | grep -qF "? your answer" && [ $n -lt 40 ]; do keys Enter; n=$((n + 1)); done
check "--quiz=backward: no forward or loss value asked; the first question is in stage 4" \
    sh -c "$T capture-pane -p -t s | grep -q 'Stage 4' && $T capture-pane -p -t s | grep -qF 'X1: dE_total/dout_o1'"
keys $(echo "$flipped" | sed 's/./& /g') Enter
check "the sign flipped ($flipped): named" wait_for "the sign is flipped"
keys $(ref "1,dE_total/dout_o1" | cut -c1-9 | sed 's/./& /g') Enter
check "the right answer (to the tolerance) after it: right at the second try" \
    wait_for "Right at the second try: -0.448622"
keys Enter
n=0
while ! screen | grep -qF "? your answer" && [ $n -lt 10 ]; do keys Enter; n=$((n + 1)); done
check "the next question: X1's dout_o1/dnet_o1" sh -c "$T capture-pane -p -t s | grep -qF 'X1: dout_o1/dnet_o1'"
keys $(echo "$at_out" | sed 's/./& /g') Enter
check "the sigmoid's slope at the wrong point ($at_out): named" wait_for "slope at the wrong point"
keys 0 . 2 4 7 3 6 Enter
check "0.24736: right (it reads as 0.247360)" wait_for "Right at the second try: 0.247360"
# on to the first gradient, dE_final/dw5
n=0
while ! screen | grep -qF "dE_final/dw5 = " && [ $n -lt 40 ]; do
    if screen | grep -qF "? your answer"; then keys 1 Enter 1 Enter; fi
    keys Enter; n=$((n + 1))
done
check "dE_final/dw5 asked" wait_for "? your answer"
keys $(echo "$no_slope" | sed 's/./& /g') Enter
check "the slope left out ($no_slope): named, with the term" wait_for "you left out X1:dout_o1/dnet_o1 = 0.247360"
keys $(echo "$summed" | sed 's/./& /g') Enter
check "then the sum instead of the mean ($summed): named, and the answer given" \
    wait_for "that is the sum over the batch"
check "... with the answer" wait_for "The answer: 0.006911"
keys q
# asked: X1's two (right at the second try), X2's two (1, 1: wrong), dE_final/dw5 (wrong):
# the score counts first tries, the retries apart
check "the score per kind at the end: first tries, retries apart" \
    wait_for "backward  0 of 5, 2 more at the second try"
check "the mistakes made, counted" wait_for "mistake: the sign of (out - target) flipped (1)"
check "... the slope left out too" wait_for "mistake: the activation's slope left out (1)"
check "quiz exits 0" wait_for "status=0"

# --- forward: the bias forgotten; another sample's value
start 100 30
keys "$NNTRACE --quiz=forward --digits 6; echo status=\$?" Enter
check "--quiz=forward: net_h1 asked first" wait_for "? your answer"
keys 0 . 0 2 Enter
check "the bias forgotten (0.02): named with its weight" wait_for "you forgot the bias, + w9*1 with w9 = 0.1"
keys 0 . 1 2 Enter
check "right at the second try" wait_for "Right at the second try: 0.120000"
n=0
while ! screen | grep -qF "X2: net_h1 = w1" && [ $n -lt 20 ]; do
    if screen | grep -qF "? your answer"; then keys 9 Enter 9 Enter; fi
    keys Enter; n=$((n + 1))
done
must_see "? your answer"
keys 0 . 1 2 Enter
check "X1's value for X2's question: named" wait_for "that is X1's net_h1; this question is X2's"
keys q
check "forward only: no backward line in the score" sh -c "sleep 0.5; ! $T capture-pane -p -t s | grep -q 'backward '"
run "$NNTRACE" --quiz=sideways
check "--quiz=sideways: exit 2" [ "$status" -eq 2 ]
run "$NNTRACE" --quiz --tolerance 2
check "--tolerance 2: exit 2" [ "$status" -eq 2 ]

# --- --quiz=update: opens on its first question (no Enters), and the old weight is not right
old_w1=0.1
new_w1=$(printf '%.6f' "$(ref ",w1")")
start 100 30
keys "$NNTRACE --quiz=update --digits 6; echo status=\$?" Enter
check "--quiz=update opens on its first question, w1 (stage 6)" \
    sh -c "sleep 0.5; $T capture-pane -p -t s | grep -q 'Stage 6' && $T capture-pane -p -t s | grep -qF '? your answer'"
keys 0 . 1 Enter
check "the old weight ($old_w1) for w1 = $new_w1: not right, named" wait_for "that is the weight as it was"
keys $(echo "$new_w1" | sed 's/./& /g') Enter
check "then $new_w1: right at the second try" wait_for "Right at the second try: $new_w1"
keys Enter
must_see "? your answer"
flip=$(awk -v w="$(ref ",w2")" -v g="$(ref ",dE_final/dw2")" 'BEGIN { printf "%.6f", 0.2 + 0.1 * g }')
keys $(echo "$flip" | sed 's/./& /g') Enter
check "the update's sign flipped ($flip): named as the update's, not the error's" \
    wait_for "the update's sign is flipped"
keys k
check "k at w2's question (to w1, answered): on to the question still open, w2" \
    sh -c "sleep 0.3; $T capture-pane -p -t s | grep -qF 'value 2/' && $T capture-pane -p -t s | grep -qF '? your answer'"
keys q
check "quiz=update exits 0" wait_for "status=0"

# --- --digits 3: a value that shows as 0.000 is asked in significant digits; 0.000 is not right
start 100 30
keys "$NNTRACE --quiz=backward --digits 3; echo status=\$?" Enter
must_see "? your answer"
keys j
check "j in the quiz (a question open): on to stage 5's first question" \
    sh -c "sleep 0.3; $T capture-pane -p -t s | grep -q 'Stage 5' && $T capture-pane -p -t s | grep -qF '? your answer'"
n=0
while ! screen | grep -qF "dE_final/dw1 = " && [ $n -lt 40 ]; do
    if screen | grep -qF "? your answer"; then keys 1 Enter 1 Enter; fi
    keys Enter; n=$((n + 1))
done
check "dE_final/dw1 asked" wait_for "? your answer"
keys 0 . 0 0 0 Enter
check "0.000 for dE_final/dw1 = $(ref ",dE_final/dw1" | cut -c1-8): not right" \
    sh -c "sleep 0.3; ! $T capture-pane -p -t s | grep -q 'Right'"
dw1=$(awk -v g="$(ref ",dE_final/dw1")" 'BEGIN { printf "%.3g", g }')
keys $(echo "$dw1" | sed 's/./& /g') Enter
check "$dw1 (3 significant digits): right" wait_for "Right at the second try"
keys q
check "digits 3 quiz exits 0" wait_for "status=0"

# --- --quiz --present: the presenter asks the room; only questions wait
start 100 30
keys "$NNTRACE --quiz --present; echo status=\$?" Enter
must_see "Right: stage 1"
keys Right
check "present + quiz: the first value is a question for the room" wait_for "Question 1 of"
keys Right Right Right
check "... revealed by the teacher, then a value that is no question is shown whole (net_h2)" \
    sh -c "$T capture-pane -p -t s | grep -q 'net_h2' && ! $T capture-pane -p -t s | grep -q 'Question' &&
           ! $T capture-pane -p -t s | grep -q 'Right: the numbers'"
keys q
check "present + quiz: exits 0" wait_for "status=0"
# --- the bottom lines come from the key table: while an answer is typed they
# name the keys that still work, and not l (which the answer swallows); once
# the value is shown, l next.  Each named key is tried.
start 150 30
keys "$NNTRACE --quiz=forward --digits 6; echo status=\$?" Enter
must_see "? your answer"
check "typing: the bottom line names h back, j/k stage, [ ] step, q quit" \
    sh -c "$T capture-pane -p -t s | grep -F 'Enter to answer' | grep -q 'h back.*stage.*step.*q quit'"
check "typing: it does not name l" sh -c "! $T capture-pane -p -t s | grep -F 'Enter to answer' | grep -q 'l next'"
keys l
check "l while typing: swallowed, net_h1 still asked" sh -c "sleep 0.3; $T capture-pane -p -t s | grep -qF 'X1: net_h1 = ' && $T capture-pane -p -t s | grep -qF '? your answer'"
keys 0 . 1 2 Enter
check "answered: the line names l next" wait_for "l next"
keys l
check "l (named): on to the next question" wait_for "X1: net_h2 = "
keys h
check "h while typing (named): back to net_h1, shown" sh -c "sleep 0.3; $T capture-pane -p -t s | grep -qF 'X1: net_h1 = ' && ! $T capture-pane -p -t s | grep -qF '? your answer'"
keys q
check "bottom lines quiz: exits 0" wait_for "status=0"

finish
