# The stepper's matrix view (m): the current stage as Part 2's matrices, the
# numbers up to the value at hand ("?" after it), a cursor that starts on the
# value at hand and names the entry under it; every named entry's number is
# checked against the independent reference; m returns; the quiz refuses it
# (it shows every value).
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
REF="$TESTS/data/seed_reference.csv"
# cursor_ref: the cursor line's value equals the reference's value of the
# entry it names ("X2:net_h1" is sample 2's net_h1; "w5" step 1's w5)
cursor_ref() {
    line=$(screen | grep -m1 '^ Cursor: ') || return 1
    name=${line##*: }; name=${line%% = *}; name=${name##*: }
    val=${line##* = }; val=${val%% *}
    case $name in
        X*:*) smp=${name%%:*}; smp=${smp#X}; sym=${name#*:} ;;
        *) smp=; sym=$name ;;
    esac
    want=$(awk -F, -v s="$smp" -v y="$sym" '$1 == 1 && $3 == s && $4 == y { printf "%.6f", $5 }' "$REF")
    [ -n "$want" ] && [ "$val" = "$want" ]
}
start 100 34
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
keys Right m
check "m: the matrix view of stage 1" wait_for "the matrix view: step 1, stage 1"
check "the value at hand named" wait_for "The value at hand is X1:net_h2."
check "the cursor starts on it, as entry (X1, h2) of NET_H" wait_for "Cursor: NET_H, row X1, column h2: X1:net_h2 = "
check "its number is the reference's" cursor_ref
check "NET_H's row X1 as the reference: 0.120000 0.130000" sh -c "$(printf '%s' "$T") capture-pane -p -t s | grep -qE '^ X1 +0\.120000 +0\.130000'"
check "NET_H's row X2 not reached yet: ? ?" sh -c "$(printf '%s' "$T") capture-pane -p -t s | grep -qE '^ X2 +\? +\?$'"
keys Down
check "Down: row X2, not reached yet" wait_for "Cursor: NET_H, row X2, column h2: X2:net_h2 = ? (not reached yet)"
keys Up Up
check "Up across the edge: b1's entry for h2" wait_for "Cursor: b1, row 1, column h2: w10 (before) = 0.100000"
keys m
check "m again: back to the stepper" wait_for "Formula, then numbers"
keys 4 m
check "stage 4's matrices: dE_final/dW2" wait_for "dE_final/dW2 = "
keys m 6 End m
check "stage 6 at its end: the cursor on the last update, w12" wait_for "Cursor: b2, row 1, column o2: w12 = "
check "w12 as the reference" cursor_ref
keys Left
check "Left: w11" wait_for ": w11 = "
check "w11 as the reference" cursor_ref
keys Up
check "Up into W2: row h2, column o1" wait_for "Cursor: W2, row h2, column o1: "
check "that entry's number is the reference's" cursor_ref
keys BTab
check "Shift-Tab: the matrix before, b1" wait_for "Cursor: b1, row 1, column h1: w9 = "
check "w9 as the reference" cursor_ref
keys m 3 3 m
check "stage 3: E_total's entry and E_final" wait_for "E_final = the mean of E_total = "
keys Up Up
check "E_total of X1 (entry named, reference number)" cursor_ref
keys m q
check "exits 0" wait_for "status=0"
start 100 34
keys "$NNTRACE --quiz; echo status=\$?" Enter
must_see "Forward function"
keys m
sleep 0.3
check "quiz: m shows no matrices" sh -c "! $(printf '%s' "$T") capture-pane -p -t s | grep -q 'the matrix view'"
keys q
# the bottom line is the view's keys (from the key table), and Esc, which it names, leaves
start 100 34
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
keys m
check "the matrix view's line: Arrows move the cursor  Tab next matrix  m or Esc back  q quit" \
    wait_for "Arrows move the cursor  Tab next matrix  m or Esc back  q quit"
keys Escape
check "Esc (named): back to the stepper" sh -c "sleep 0.5; ! $T capture-pane -p -t s | grep -q 'the matrix view' && $T capture-pane -p -t s | grep -q 'Forward function'"
keys q
check "matrix keys: exits 0" wait_for "status=0"

finish
