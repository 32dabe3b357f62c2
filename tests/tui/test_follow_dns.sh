# --follow HOST with a name that takes seconds to look up (a name server that
# does not answer): the stepper's keys answer at once meanwhile, the lookup
# is shown, a name that resolves late is followed, one that never resolves is
# said, and q quits at once with a lookup still running.  The slow lookups
# come from an LD_PRELOAD shim (slow_dns.c) built here.
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
cc -shared -fPIC -O2 -o "$TMP/slow_dns.so" "$TESTS/tui/slow_dns.c" -ldl 2>"$TMP/cc.err"
check "the shim builds ($(head -c 200 "$TMP/cc.err"))" [ -s "$TMP/slow_dns.so" ]
TEACH="tmux -L $SOCK-teach"
cleanup() { $TEACH kill-server 2>/dev/null; $T kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
$TEACH -f /dev/null new-session -d -x 100 -y 30 -s s "env PS1='$ ' sh"
$TEACH set-option -g status off >/dev/null 2>&1
sleep 0.2
$TEACH send-keys -t s "$NNTRACE --serve 0" Enter
for _ in $(seq 50); do $TEACH capture-pane -p -t s | grep -q ': 0 following' && break; sleep 0.1; done
PORT=$($TEACH capture-pane -p -t s | sed -n 's/.*serving 127\.0\.0\.1:\([0-9][0-9]*\): .*/\1/p' | head -1)
check "the teacher serves (port '$PORT')" [ "${PORT:-0}" -gt 0 ]
[ -n "$PORT" ] || { finish; exit 1; }
ms() { date +%s%3N; }
# answered KEY TEXT: send KEY, then how many ms until TEXT is on the screen (9999: never, in 5 s)
answered() {
    t0=$(ms); $T send-keys -t s "$1"
    for _ in $(seq 250); do screen | grep -qF -- "$2" && { echo $(($(ms) - t0)); return; }; sleep 0.02; done
    echo 9999
}
PRELOAD="env LD_PRELOAD=$TMP/slow_dns.so ASAN_OPTIONS=verify_asan_link_order=0"

# a name found after 2.5 s
start 100 30
keys "$PRELOAD $NNTRACE --follow slow-teacher.invalid:$PORT --no-mouse; echo status=\$?" Enter
check "the lookup is shown while it runs" wait_for "looking up slow-teacher.invalid"
took=$(answered Right "value 2/8")
check "a key answers during the lookup ($took ms; it waited for the lookup: 2500)" [ "$took" -lt 1000 ]
check "... while still looking up" wait_for "looking up slow-teacher.invalid"
keys f
check "the name found, the teacher is followed" wait_for "following slow-teacher.invalid:$PORT"
check "... and the teacher counts the follower" \
    sh -c "for i in \$(seq 50); do $TEACH capture-pane -p -t s | grep -q ': 1 following' && exit 0; sleep 0.1; done; exit 1"
keys q
check "q quits, exit 0" wait_for "status=0"

# a name never found: said, keys answer, q quits at once while a lookup runs
start 100 30
keys "$PRELOAD $NNTRACE --follow slow.invalid:$PORT --no-mouse; echo status=\$?" Enter
check "the second lookup is shown" wait_for "looking up slow.invalid"
took=$(answered Right "value 2/8")
check "a key answers during it ($took ms)" [ "$took" -lt 1000 ]
check "a name not found is said, and retried" wait_for "cannot find slow.invalid; retrying"
check "... and looked up again" wait_for "looking up slow.invalid"
took=$(answered q "status=0")
check "q quits while a lookup runs ($took ms), exit 0" [ "$took" -lt 1000 ]
finish
