# The stepper's matrix view (m): the current stage as Part 2's matrices,
# the value at hand named as an entry, numbers as the independent
# reference has them; m returns; the quiz refuses it (it shows every value).
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
start 100 34
keys "$NNTRACE; echo status=\$?" Enter
wait_for "Forward function" >/dev/null
keys Right m
check "m: the matrix view of stage 1" wait_for "the matrix view: step 1, stage 1"
check "the value at hand, X1:net_h2, named as its entry" wait_for "X1:net_h2, is the entry in row X1, column h2"
check "NET_H's row X1 as the reference: 0.120000 0.130000" sh -c "$(printf '%s' "$T") capture-pane -p -t s | grep -qE '^ X1 +0\.120000 +0\.130000'"
keys m
check "m again: back to the stepper" wait_for "Formula, then numbers"
keys 4 m
check "stage 4's matrices: dE_final/dW2" wait_for "dE_final/dW2 = "
keys m q
check "exits 0" wait_for "status=0"
start 100 34
keys "$NNTRACE --quiz; echo status=\$?" Enter
wait_for "Forward function" >/dev/null
keys m
sleep 0.3
check "quiz: m shows no matrices" sh -c "! $(printf '%s' "$T") capture-pane -p -t s | grep -q 'the matrix view'"
keys q
finish
