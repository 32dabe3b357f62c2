# tmux helpers for the stepper tests: source after tests/lib.sh.
SOCK="nntrace-test-$$"
n_start=0
T="tmux -L $SOCK-0"
cleanup() { $T kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
export LC_ALL=C.UTF-8
screen() { $T capture-pane -p -t s 2>/dev/null; }
# wait_for TEXT: poll the pane until TEXT appears (5 s at most)
wait_for() {
    for _ in $(seq 50); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
# must_see TEXT: wait_for, a failure when TEXT never shows (what follows reads that screen)
must_see() { wait_for "$1" || bad "never on the screen: $1"; }
keys() { $T send-keys -t s "$@" 2>/dev/null; sleep 0.15; }
start() { # start W H [ENV=...]: a fresh tmux server with a shell, ready for commands
    w=$1; h=$2; shift 2
    $T kill-server 2>/dev/null
    n_start=$((n_start + 1))
    T="tmux -L $SOCK-$n_start"
    $T -f /dev/null new-session -d -x "$w" -y "$h" -s s "env PS1='$ ' $* sh"
    $T set-option -g status off >/dev/null 2>&1
    sleep 0.2
}
# the widest line of the pane, in characters
widest() { screen | sed 's/./x/g' | awk '{ if (length > m) m = length } END { print m + 0 }'; }

