# Step codes: every screen shows one; nntrace --at CODE opens exactly that
# screen (lesson, step, stage, value, edits); a mistyped code, or one for a
# lesson of the same name with other numbers, is refused, never shown.
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
ROOT=$(dirname "$TESTS")
code_on_screen() { screen | head -1 | grep -o '[a-z]*/[0-9]*/[0-9]/[0-9]*[^ ]*/[A-Z][A-Z]' | tail -1; }

# --- the teacher's screen: stage 5, value 3, after an edit
start 100 30
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
keys 5 Right Right
must_see "value 3/14"
code=$(code_on_screen)
check "the screen shows its code (seed/1/5/3/..)" sh -c "echo '$code' | grep -qE '^seed/1/5/3/[A-Z]{2}\$'"
screen | sed -n '1,26p' >"$TMP/teacher"
keys q
start 100 30
keys "$NNTRACE --at $code; echo status=\$?" Enter
must_see "value 3/14"
screen | sed -n '1,26p' >"$TMP/student"
check "--at $code opens the same screen, row for row" cmp -s "$TMP/teacher" "$TMP/student"
keys q
check "--at: exits 0" wait_for "status=0"

# --- with an edit made in the stepper: the code carries it
start 100 30
keys "$NNTRACE" Enter
must_see "Forward function"
keys e
keys C-u "w5=0.3" Enter
keys 4 Right
must_see "value 2/"
code2=$(code_on_screen)
check "an edit is in the code (…/w5=0.3/..)" sh -c "echo '$code2' | grep -qE '^seed/1/4/2/w5=0\\.3/[A-Z]{2}\$'"
screen | sed -n '2,26p' >"$TMP/teacher2"
keys q
start 100 30
keys "$NNTRACE --at '$code2'" Enter
must_see "value 2/"
screen | sed -n '2,26p' >"$TMP/student2"
check "--at with the edit: the same screen below the title row (w5 = 0.3 throughout)" \
    cmp -s "$TMP/teacher2" "$TMP/student2"
keys q

# --- another lesson, found by its name
start 100 30
keys "$NNTRACE $ROOT/lessons/iris.lesson" Enter
must_see "Forward function"
keys 2 Right
code3=$(code_on_screen)
check "a shipped lesson's code names it (iris/1/2/2/..)" sh -c "echo '$code3' | grep -qE '^iris/1/2/2/[A-Z]{2}\$'"
keys q
run "$NNTRACE" --at "$code3" </dev/null
check "--at $code3 finds the lesson iris (no terminal: exit 2 with the stepper's message, not the code's)" \
    grep -q 'needs a terminal' "$TMP/err"

# --- refused: every one-character mistake and swap of the seed code
body=${code%/*}; letters=${code##*/}
n=0; refused=0
i=1
while [ $i -le ${#code} ] && [ $i -le 40 ]; do
    c=$(printf '%s' "$code" | cut -c$i)
    for r in 1 7 X; do
        [ "$r" = "$c" ] && continue
        [ "$c" = / ] && continue
        bad=$(printf '%s' "$code" | sed "s/./$r/$i")
        n=$((n + 1))
        "$NNTRACE" --at "$bad" </dev/null >/dev/null 2>"$TMP/e"
        # refused: exit 2 before any terminal is looked for (a code that passed would
        # reach the stepper and be told there is no terminal)
        if [ $? -eq 2 ] && ! grep -q 'needs a terminal' "$TMP/e"; then refused=$((refused + 1)); fi
    done
    i=$((i + 1))
done
check "each of the $n one-character changes of $code refused ($refused)" [ "$refused" -eq "$n" ]
swapped=$(printf '%s' "$code" | sed 's|/1/5/3/|/1/3/5/|')
run "$NNTRACE" --at "$swapped"
check "stage and value swapped: refused" sh -c "[ $status -eq 2 ] && grep -q 'check letters do not match' '$TMP/err'"
run "$NNTRACE" --at "$(echo "$code" | tr 'A-Z' 'a-z')" </dev/null
check "check letters in lower case are read as upper case" grep -q 'needs a terminal' "$TMP/err"
# the same name, other numbers
mkdir -p "$TMP/other"
sed 's/^weights = .*/weights = random 3/' "$ROOT/lessons/seed.lesson" >"$TMP/other/seed.lesson"
cp "$ROOT/data/seed.csv" "$TMP/other/" 2>/dev/null; cp "$ROOT/data/seed.csv" "$TMP/" 2>/dev/null
sed -i "s|^data = .*|data = $ROOT/data/seed.csv|" "$TMP/other/seed.lesson"
run "$NNTRACE" --at "$code" "$TMP/other/seed.lesson"
check "a lesson called seed with other weights: refused, saying so" \
    sh -c "[ $status -eq 2 ] && grep -q 'other numbers than the teacher' '$TMP/err'"
run "$NNTRACE" --at "seed/1/5"
check "a code cut short: exit 2" [ "$status" -eq 2 ]
# every field checked against the lesson, with no terminal needed to be told:
# a value past its stage (9223372036854775807 once wrapped round and opened a
# screen), a step past int (4294967297 was read as 1)
# (its check letters are right: signed by the reader's helper, as the stepper would)
: "${READER:=$ROOT/build/tests/reader/screens}"
case "$READER" in /*) ;; *) READER=$ROOT/$READER ;; esac
code=$("$READER" --sign seed seed/1/2/9223372036854775807)
run "$NNTRACE" --at "$code" </dev/null
check "a value past the stage's last: exit 2, saying so ($(cat "$TMP/err"))" \
    sh -c "[ $status -eq 2 ] && grep -q 'stage 2 of step 1 has no value 9223372036854775807' '$TMP/err'"
for bad in seed/4294967297/2/1/AA seed/1/4294967298/1/AA seed/1/2/99999999999999999999/AA seed//2/1/AA; do
    run "$NNTRACE" --at "$bad" </dev/null
    check "--at $bad: refused as a code (exit 2, not the terminal's message)" \
        sh -c "[ $status -eq 2 ] && grep -q 'must be numbers' '$TMP/err'"
done
# --- a lesson whose name is 100 characters: the code names it whole (it was cut at 63)
LONG=$(printf 'lesson%094d' 0 | tr 0 a)
sed "s#^data *= *\.\./#data = $ROOT/#; s#^weights *= *\.\./#weights = $ROOT/#" "$ROOT/lessons/seed.lesson" >"$TMP/$LONG.lesson"
start 250 30
keys "cd '$TMP' && $NNTRACE $LONG.lesson; echo status=\$?" Enter
must_see "Forward function"
keys 2 Right
long_code=$(screen | head -1 | grep -o "$LONG/1/2/2/[A-Z][A-Z]" | tail -1)
check "a 100-character lesson name whole in the code ($(screen | head -1 | cut -c120-250))" [ -n "$long_code" ]
keys q
start 250 30
keys "cd '$TMP' && $NNTRACE --at '$long_code' $LONG.lesson; echo status=\$?" Enter
check "--at that code opens its screen" wait_for "value 2/"
keys q
finish
