# Live values in the stepper's note: a value the note names shows as "(not computed yet)"
# until the stepper reaches it (as in the stage's table), then as the
# independent reference has it, rounded to the digits shown; the edit of a
# weight changes it.
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
ROOT=$(dirname "$TESTS")
ref=$(awk -F, '$4 == "E_final" { printf "%.6f", $5 }' "$TESTS/data/seed_reference.csv")
ref3=$(awk -F, '$4 == "E_final" { printf "%.3f", $5 }' "$TESTS/data/seed_reference.csv")   # 3 significant
ref8=$(awk -F, '$4 == "E_final" { printf "%.8f", $5 }' "$TESTS/data/seed_reference.csv")
note() { screen | tr '\n' ' ' | tr -s ' '; }   # the pane as one line (the note wraps)

start 100 30
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
keys 3
must_see "value 1/3"
note >"$TMP/s1"
check "stage 3, value 1: the note says E_final is not computed yet (no ? as prose)" \
    contains "$TMP/s1" "E_final, here (not computed yet), is the mean"
keys Right Right
must_see "value 3/3"
note >"$TMP/s3"
check "stage 3, E_final reached: the note shows $ref (reference.csv)" contains "$TMP/s3" "E_final, here $ref, is the mean"
keys D
note >"$TMP/s4"
check "D (8 digits) rounds the note's value too: $ref8" contains "$TMP/s4" "E_final, here $ref8, is the mean"
keys d
note >"$TMP/s5"
check "d (3 significant digits): $ref3" contains "$TMP/s5" "E_final, here $ref3, is the mean"
keys d
keys Down Down Down
note >"$TMP/s6"
check "stage 6: the note shows eta as given (0.1)" contains "$TMP/s6" "with eta = 0.1."
keys q
check "exits 0" wait_for "status=0"
finish
