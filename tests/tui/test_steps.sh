# Walking many steps in the stepper: `]` and `[` hundreds of times (the
# recording used to be reallocated under a pointer: a crash), and a lesson of
# 10^6 steps opens as fast and as small as one of 1 step.
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed (scripts/deps.sh test installs it)"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"
LESSONS="$TESTS/../lessons"
wait_long() { # wait_long TEXT: as wait_for, for up to 60 s (a step of digits under ASan is slow)
    for _ in $(seq 600); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
    return 1
}

walk() { # walk LESSON NAME: 200 x ] then 200 x [
    start 80 24
    keys "$NNTRACE $1; echo status=\$?; stty -a | grep -o -- '-*icanon'" Enter
    must_see "Forward function"
    for _ in $(seq 200); do $T send-keys -t s ']'; done
    check "$2: 200 x ]: step 201" wait_long "step 201 of 201"
    for _ in $(seq 200); do $T send-keys -t s '['; done
    check "$2: 200 x [: back at step 1" wait_long " step 1 of "
    keys ']' ']' ']'
    check "$2: ] again after [: step 4" wait_for "step 4 of "
    keys q
    check "$2: q exits with status 0" wait_for "status=0"
    check "$2: terminal back in canonical mode" sh -c "screen_out=\$($T capture-pane -p -t s); echo \"\$screen_out\" | grep -qx icanon"
}
walk "" seed
walk "$LESSONS/digits.lesson" digits

# the same value after walking away and back: step 3's first value, twice
start 80 24
keys "$NNTRACE" Enter
must_see "Forward function"
keys ']' ']'
screen | sed 1d >"$TMP/step3a.txt"
for _ in $(seq 40); do $T send-keys -t s ']'; done
must_see "step 43 of 43"
for _ in $(seq 40); do $T send-keys -t s '['; done
check "back from step 43 to step 3" wait_for "step 3 of 43"
screen | sed 1d >"$TMP/step3b.txt"
check "step 3 recomputed: the same screen" cmp -s "$TMP/step3a.txt" "$TMP/step3b.txt"
keys q

# a million steps: the first screen comes and memory is that of one step
for steps in 1 1000000; do
    sed 's/^steps *=.*//; s#^data *=.*#data = seed.csv#; s#^weights *=.*#weights = seed-weights.csv#' \
        "$LESSONS/seed.lesson" >"$TMP/s$steps.lesson"
    echo "steps = $steps" >>"$TMP/s$steps.lesson"
done
cp "$LESSONS/../data/seed.csv" "$LESSONS/../data/seed-weights.csv" "$TMP/"
rss_of() { # rss_of LESSON: resident kB of the stepper on its first screen, in $TMP/rss
    start 80 24
    keys "$NNTRACE $1" Enter
    must_see "Forward function"
    pid=$($T display-message -p -t s '#{pane_pid}')
    awk '/^VmRSS/ { print $2 }' /proc/"$(pgrep -P "$pid" -f nntrace)"/status >"$TMP/rss"
    keys q
}
rss_of "$TMP/s1.lesson"; one=$(cat "$TMP/rss")
rss_of "$TMP/s1000000.lesson"; million=$(cat "$TMP/rss")
check "10^6 steps: first screen" [ -n "$million" ]
check "10^6 steps: resident memory ${million} kB, within 4 MB of 1 step's ${one} kB" \
    [ "${million:-999999}" -le $(( ${one:-0} + 4096 )) ]
finish
