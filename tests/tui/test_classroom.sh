# Presenter, autoplay and quiz modes, driven in tmux.
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"

# --- presenter: the result in block digits, the formula, the note
start 80 24
keys "$NNTRACE --present; echo status=\$?" Enter
check "present: opens on the board, before stage 1" wait_for "before stage 1"
check "present: the board shows the batch" wait_for "X2:  x = (0.1, 0.2)   target y = (0, 1)"
check "present: the board shows the last weight on its line" wait_for "b4 ─w12   0.1─▶"
check "present: the board shows no computed value" sh -c "! $T capture-pane -p -t s | grep -q '0.120000'"
keys Right
check "present: stage title" wait_for "Stage 1 of 6:  Forward function for a hidden layer"
check "present: the formula" wait_for "w1*x1 + w3*x2 + w9*b1"
check "present: the numbers wait for a key" sh -c "! $T capture-pane -p -t s | grep -q '0.1\*0.1 + 0.1\*0.1'"
keys Right
check "present: Right reveals the numbers" wait_for "= 0.1*0.1 + 0.1*0.1 + 0.1*1"
check "present: ... but not the result yet" sh -c "! $T capture-pane -p -t s | grep -q '0.120000'"
keys 3 3
check "present: 3 twice shows the loss formula" wait_for "1/2*(X1:E_total + X2:E_total)"
keys Right Right
sleep 0.3
screen >"$TMP/present.txt"
# 0.253395 in 3x5 block digits, one cell per character at 80x24: the top row of each glyph
check "present: block digits of 0.253395" grep -q '███     ███ ███ ███ ███ ███ ███' "$TMP/present.txt"
check "present: no small-print table" sh -c "! grep -q 'so far' '$TMP/present.txt'"
keys q
check "present: q exits 0" wait_for "status=0"

# --- autoplay: values advance by themselves, space pauses
start 80 24
keys "$NNTRACE --play 0.2; echo status=\$?" Enter
check "play: starts on stage 1" wait_for "Forward function for a hidden layer"
check "play: reaches stage 2 by itself" wait_for "Stage 2/6"
keys " "
check "play: space pauses" wait_for "Paused"
screen >"$TMP/p1.txt"; sleep 1; screen >"$TMP/p2.txt"
check "play: paused means no change" cmp -s "$TMP/p1.txt" "$TMP/p2.txt"
keys q
check "play: q exits 0" wait_for "status=0"
run "$NNTRACE" --play 0 </dev/null
check "play: --play 0 is a usage error" [ "$status" -eq 2 ]

# --- quiz: a right answer, a wrong one with its hint, then the answer; the score
start 80 24
keys "$NNTRACE --quiz --digits 3; echo status=\$?" Enter
check "quiz: asks for net_h1" wait_for "? your answer: _"
check "quiz: the value is hidden" sh -c "! $T capture-pane -p -t s | grep -q '0.120'"
keys 0 . 1 2 Enter
check "quiz: 0.12 is right at 3 digits" wait_for "Right: 0.120."
keys Enter
check "quiz: net_h2 is not a question, shown" wait_for "= 0.130"
keys Enter
check "quiz: out_h1, the first of its kind, asked" wait_for "? your answer: _"
keys 0 , 5 3 Enter
check "quiz: 0,53 is right (within 3 significant figures)" wait_for "Right: 0.530."
for _ in 1 2 3; do keys Enter; done
check "quiz: X2 net_h1 asked" wait_for "X2: net_h1 = w1*x1 + w3*x2 + w9*b1"
keys 0 . 5 Enter
check "quiz: a wrong answer gives the numbers as a hint" wait_for "Hint: the numbers are in"
check "quiz: the hint is the substituted formula" wait_for "= 0.1*0.1 + 0.1*0.2 + 0.1*1"
keys 0 , 1 , 3 Enter
check "quiz: a malformed answer is not read as a number (no hint spent)" wait_for "'0,1,3' is not a number: try again."
keys 0 , 9 Enter
check "quiz: a decimal comma reads as a point; a second wrong answer reveals it" wait_for "Not 0.900: the answer is 0.130"
keys q
check "quiz: prints the score" wait_for "nntrace quiz: 2 of 3 answered right"
check "quiz: exits 0" wait_for "status=0"
# --- the loss curve: t trains the lesson, plots it, and steps into an epoch
start 80 24
keys "$NNTRACE $(dirname "$TESTS")/lessons/iris.lesson; echo status=\$?" Enter
must_see "Forward function"
keys t
check "t: the training view" wait_for "training: 40 epochs, tracing off"
check "t: labelled axes" sh -c "$T capture-pane -p -t s | grep -q 'epoch 0' && $T capture-pane -p -t s | grep -q '100%' && $T capture-pane -p -t s | grep -q '^loss'"
check "t: epoch 0 numbers" wait_for "before training (epoch 0): loss"
keys Right Right
check "t: Right picks epoch 2" wait_for "epoch 2: loss"
last=$(screen | grep 'epoch 2: loss' | sed 's/.*accuracy \([0-9.]*\)%.*/\1/')
keys Enter
check "Enter: the stepper from the weights after epoch 2" wait_for "weights after epoch 2: step 1 of 1"
keys t G
check "the last epoch: held-out accuracy shown" wait_for "epoch 40: loss"
keys Escape
keys q
check "curve: q exits 0" wait_for "status=0"
finish
