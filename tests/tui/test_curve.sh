# The loss curve tells the truth: its loss axis runs from 0 unless zoomed,
# and zoomed it says so (and marks the broken axis); the legend lists only
# the series the lesson has; overlapping marks of two series show as one
# mark the legend explains (no colour needed); "after epoch k" means the
# weights after k epochs, and Enter steps from exactly those weights.
# Independent numbers: the seed's reference (epoch 0) and a forward pass in
# awk from the reference's updated weights (epoch 1).
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
REF="$TESTS/data/seed_reference.csv"
e0=$(awk -F, '$4 == "E_final" { printf "%.6f", $5 }' "$REF")
e1=$(seed_e_after "$REF")

start 100 30
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
keys t
must_see "training: 40 epochs"
screen >"$TMP/seed"
check "seed: the loss axis runs from 0 (bottom label 0.0000)" grep -qE '^0\.0000 +[|│]' "$TMP/seed"
check "seed: it says so" contains "$TMP/seed" "loss axis from 0"
check "seed: the relative change over the run (-0.7%)" contains "$TMP/seed" "Quadratic loss function: -0.7% over 40 epochs"
check "seed: the legend has no held-out series (the seed has no held-out rows)" sh -c "! grep -q 'held-out' '$TMP/seed'"
check "seed: the legend lists the loss and the accuracy" grep -q '^  \* loss   o accuracy' "$TMP/seed"
check "seed: before training the loss is the reference's E_final ($e0)" contains "$TMP/seed" "before training (epoch 0): loss $e0"
keys Right
check "seed: after epoch 1 the loss is E_final at the reference's updated weights ($e1)" wait_for "after epoch 1: loss $e1"
keys z
screen >"$TMP/zoom"
check "z: the zoomed axis is marked ZOOMED, with where it starts" grep -qE 'ZOOMED: loss axis from 0\.25[0-9]+, not 0' "$TMP/zoom"
check "z: the axis is drawn broken (≈ at its foot)" grep -qE '^0\.25[0-9]+ +≈' "$TMP/zoom"
keys z
check "z again: from 0" wait_for "loss axis from 0"
keys Right
must_see "after epoch 2: loss"
l2=$(screen | sed -n 's/.*after epoch 2: loss \([0-9.]*\).*/\1/p')
keys Enter
check "Enter on epoch 2: the stepper says whose weights" wait_for "weights after epoch 2: step 1 of 1"
keys 3 Right Right
check "... and its E_final is the curve's loss after epoch 2 ($l2), not after 3" wait_for "E_final = 1/2*("
sleep 0.2
check "E_final there = $l2" sh -c "$(printf '%s' "$T") capture-pane -p -t s | grep -q '^ *= $l2\$\\|= $l2 ' "
# an edit after training applies to the trained weights: w5 was the epoch's, not the lesson's 0.1
keys e
$T send-keys -t s -l "w5=0.3"
keys Enter
check "e w5=0.3 after epoch 2: the status gives the trained w5 (not 0.1) -> 0.3" \
    sh -c "sleep 0.3; $(printf '%s' "$T") capture-pane -p -t s | grep 'w5 0\.' | grep -v 'w5 0.1 ' | grep -q '→ 0.3'"
check "... and the header still says whose weights, with the edit" wait_for "weights after epoch 2"
keys q
check "exits 0" wait_for "status=0"

# digits: training and held-out losses overlap; the shared mark is explained
start 100 30
keys "$NNTRACE digits; echo status=\$?" Enter
must_see "Forward function"
keys t
must_see "before training"
screen >"$TMP/digits"
check "digits: both losses in one cell show as # (not one hiding the other)" sh -c "sed -n '4,24p' '$TMP/digits' | grep -q '#'"
check "digits: the legend says what # and @ are" sh -c "grep -qF '# both losses' '$TMP/digits' && grep -qF '@ both accuracies' '$TMP/digits'"
check "digits: held-out series listed" contains "$TMP/digits" "+ held-out loss   o accuracy   x held-out accuracy"
keys q
check "digits: exits 0" wait_for "status=0"
# the bottom line is the curve's keys (from the key table), and each it names works
start 120 30
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
keys t
must_see "before training"
check "the curve's line: Left/Right pick an epoch  Enter step from its weights  z zoom  t/Esc back  q quit" \
    wait_for "Left/Right pick an epoch  Enter step from its weights  z zoom  t/Esc back  q quit"
keys z
check "z (named): zoomed" wait_for "ZOOMED"
keys Escape
check "Esc (named): back to the stepper" sh -c "sleep 0.5; ! $T capture-pane -p -t s | grep -q 'pick an epoch' && $T capture-pane -p -t s | grep -q 'Forward function'"
keys q
check "curve keys: exits 0" wait_for "status=0"

# a lesson that cannot train (linear XOR at eta 1e6 blows up at epoch 3): the
# curve says why, and its line names only the keys that leave it, which work
cp data/xor.csv "$TMP/"
printf 'layers = 2 2 1\nactivation = linear\nlearning_rate = 1e6\ndata = xor.csv\nweights = random 1\n' >"$TMP/blowup.lesson"
start 120 30
keys "$NNTRACE $TMP/blowup.lesson; echo status=\$?" Enter
must_see "Forward function"
keys t
check "blow-up: the curve says the loss is not finite" wait_for "not a finite number"
check "... its line: t/Esc back  q quit, nothing else" \
    sh -c "$T capture-pane -p -t s | grep -qx 't/Esc back  q quit *'"
keys t
check "t (named): back to the stepper" sh -c "sleep 0.5; ! $T capture-pane -p -t s | grep -q 'not a finite number' && $T capture-pane -p -t s | grep -q 'Forward function'"
keys q
check "blow-up curve: exits 0" wait_for "status=0"

finish
