# The loss curve's training (t) stops on Ctrl-C, q and Esc while it runs: a
# 64-1024-10 network on the digits trains for about 20 s, and each key must
# end it long before that (the waits below are 3 s).
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed (scripts/deps.sh test installs it)"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"
DATA=$(cd "$TESTS/../data" && pwd)
sed "s#^layers *=.*#layers = 64 1024 10#; s#^data *=.*#data = $DATA/digits.csv#" \
    "$TESTS/../lessons/digits.lesson" >"$TMP/wide.lesson"
wait_3s() { for _ in $(seq 30); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done; return 1; }
training() { # start the stepper on the wide lesson and start training
    start 80 24
    keys "sh -c \"trap '' INT; $NNTRACE $TMP/wide.lesson; echo status=\\\$?\"" Enter
    must_see "Forward function"
    keys t
    must_see "Training the lesson"
    sleep 0.5
}
training
keys C-c
check "Ctrl-C while training: exits with 130 within 3 s" wait_3s "status=130"
training
keys q
check "q while training: exits with 0 within 3 s" wait_3s "status=0"
training
keys Escape
check "Esc while training: back to the stepper within 3 s" wait_3s "Training stopped"
check "Esc while training: the stepper is shown" wait_for "Stage 1/6"
keys q
check "then q: status 0" wait_for "status=0"
finish
