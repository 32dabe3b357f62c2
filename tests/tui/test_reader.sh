# The reader's check: every screen of steps 1 and 2 of every shipped lesson,
# at 80x24 and 120x40, under the default, --digits 3, --sig 2, --sig 6 and
# d, in the stepper, the quiz (each answer given, then read revealed) and the
# presenter (each reveal), drawn off-screen (tests/reader/screens) and read
# back (tests/reader/read.py) against the lesson's JSON Lines trace from the
# real binary: every number drawn must be the trace's value at the precision
# shown, the result on screen, no text cut without a mark.  Stages longer
# than CAP values are read at evenly spaced values (first and last always).
# READER_LESSONS, READER_SIZES and READER_MODES narrow it.
. "$TESTS/lib.sh"
ROOT=$(dirname "$TESTS")
: "${READER:=$ROOT/build/tests/reader/screens}"
case "$READER" in /*) ;; *) READER=$ROOT/$READER ;; esac
[ -x "$READER" ] || { bad "no $READER (make builds it)"; finish; exit 1; }
command -v python3 >/dev/null 2>&1 || { bad "python3 is not installed"; finish; exit 1; }
cd "$ROOT" || exit 1
# under the sanitizers (SANITIZE=1, several times slower) the small lessons, every option and mode
if [ "${SANITIZE:-}" = 1 ]; then : "${READER_LESSONS:=seed deep xor softmax}"; fi
: "${READER_LESSONS:=seed deep digits xor softmax iris mnist}"
: "${READER_SIZES:=80x24 120x40}"
: "${READER_MODES:=step quiz present}"
# a key whose handler says nothing shown changed (TUI_HANDLED) is not
# redrawn by the loop: every such key, in every mode, left the screen as it was
for mode in step quiz present; do
    "$READER" seed 80 24 "$mode" --keys >"$TMP/keys.$mode" 2>"$TMP/keys.err"
    rc=$?
    check "$mode: keys said handled changed nothing: $(cat "$TMP/keys.err")" test "$rc" -eq 0
    check "$mode: the keys were typed: $(cat "$TMP/keys.$mode")" grep -q '^keys: 291 typed' "$TMP/keys.$mode"
done
check "quiz: the keys a hidden value's quiz refuses are handled without a redraw: $(cat "$TMP/keys.quiz")" \
    grep -q 'typed, [1-9][0-9]* handled' "$TMP/keys.quiz"
total=0
for lesson in $READER_LESSONS; do
    title=$(sed -n 's/^title *= *//p' "lessons/$lesson.lesson")
    run "$NNTRACE" trace --format jsonl --steps 2 "$lesson"
    [ "$status" -eq 0 ] || { bad "$lesson: trace failed: $(head -1 "$TMP/err")"; continue; }
    mv "$TMP/out" "$TMP/$lesson.jsonl"
    events=$(wc -l <"$TMP/$lesson.jsonl")
    cap=400
    [ "$events" -gt 5000 ] && cap=25
    for size in $READER_SIZES; do
        cols=${size%x*} rows=${size#*x}
        for mode in $READER_MODES; do
            for opt in "" "--digits 3" "--sig 2" "--sig 6" "--d"; do
                read_opt=$opt
                [ "$opt" = "--d" ] && read_opt="--sig 3"
                # shellcheck disable=SC2086
                if ! "$READER" "$lesson" "$cols" "$rows" "$mode" --cap "$cap" $opt >"$TMP/screens" 2>"$TMP/err"; then
                    bad "$lesson $size $mode $opt: the stepper did not open: $(head -1 "$TMP/err")"
                    continue
                fi
                # shellcheck disable=SC2086
                if python3 "$TESTS/reader/read.py" "$TMP/screens" "$TMP/$lesson.jsonl" --mode "$mode" \
                        --title "$title" $read_opt >"$TMP/read"; then
                    ok
                else
                    bad "$lesson $size $mode ${opt:-default}: $(tail -1 "$TMP/read")"
                    head -5 "$TMP/read"
                fi
                total=$((total + $(sed -n 's/.* \([0-9]*\) numbers read.*/\1/p' "$TMP/read")))
                # READER_STOP=1 (tests/mutants.sh): the first difference is enough
                if [ "${READER_STOP:-0}" = 1 ] && [ "$fails" -gt 0 ]; then finish; exit 1; fi
            done
        done
    done
done
echo "  $total numbers read"
finish
