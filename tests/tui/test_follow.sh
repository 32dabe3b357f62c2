# Follow mode: a teacher serves on localhost, followers in their own tmux
# servers move with it; a follower breaks away with a navigation key and
# snaps back with f; edits travel with the screen; nothing a follower sends
# changes the teacher's screen; 60 more followers at once; one that stops
# reading is dropped without slowing the teacher; a lost teacher is shown and
# found again.  Every wait is bounded.
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
ROOT=$(dirname "$TESTS")
TEACH="tmux -L $SOCK-teach"
F1="tmux -L $SOCK-f1"; F2="tmux -L $SOCK-f2"; F3="tmux -L $SOCK-f3"
stall_pid=
cleanup() { for X in "$TEACH" "$F1" "$F2" "$F3"; do $X kill-server 2>/dev/null; done
            [ -n "$stall_pid" ] && kill "$stall_pid" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
open() { $1 -f /dev/null new-session -d -x 100 -y 30 -s s "env PS1='$ ' sh"; $1 set-option -g status off >/dev/null 2>&1; }
on() { $1 capture-pane -p -t s 2>/dev/null; }
waitx() { # waitx TMUX TEXT: until TEXT is on that screen (5 s at most)
    for _ in $(seq 50); do on "$1" | grep -qF -- "$2" && return 0; sleep 0.1; done; return 1; }
must_seex() { waitx "$1" "$2" || bad "never on $1's screen: $2"; }
waitlong() { # waitlong TMUX TEXT: the same, 30 s at most (2400 moves under a sanitizer)
    for _ in $(seq 300); do on "$1" | grep -qF -- "$2" && return 0; sleep 0.1; done; return 1; }
code_of() { on "$1" | head -1 | grep -o '[a-z]*/[0-9]*/[0-9]/[0-9]*[^ ]*/[A-Z][A-Z]' | tail -1; }
for X in "$TEACH" "$F1" "$F2" "$F3"; do open "$X"; done
sleep 0.3
# port 0: the kernel picks a free one, and the status line names it
$TEACH send-keys -t s "$NNTRACE --serve 0; echo status=\$?" Enter
check "the teacher serves on localhost, on a port the kernel chose" waitx "$TEACH" ": 0 following"
PORT=$(on "$TEACH" | sed -n 's/.*serving 127\.0\.0\.1:\([0-9][0-9]*\): .*/\1/p' | head -1)
check "... and shows it (port '$PORT')" [ "${PORT:-0}" -gt 0 ]
[ -n "$PORT" ] || { finish; exit 1; }
for X in "$F1" "$F2" "$F3"; do $X send-keys -t s "$NNTRACE --follow 127.0.0.1:$PORT; echo status=\$?" Enter; done
check "three followers connected" waitx "$TEACH" "3 following"
check "a follower says it follows" waitx "$F1" "following 127.0.0.1:$PORT"
# the teacher moves: every follower moves too
$TEACH send-keys -t s 5 Right Right
must_seex "$TEACH" "value 3/14"
teacher=$(code_of "$TEACH")
for X in "$F1" "$F2" "$F3"; do must_seex "$X" "value 3/14"; done
check "every follower shows the teacher's screen ($teacher)" \
    sh -c "[ '$(code_of "$F1")' = '$teacher' ] && [ '$(code_of "$F2")' = '$teacher' ] && [ '$(code_of "$F3")' = '$teacher' ]"
# an edit travels with the screen
$TEACH send-keys -t s e
$TEACH send-keys -t s C-u "w5=0.3" Enter
sleep 0.3
must_seex "$F2" "w5=0.3"
check "the teacher's edit reaches the followers (their code carries w5=0.3)" \
    sh -c "code_f2=\$($F2 capture-pane -p -t s | head -1); echo \"\$code_f2\" | grep -q 'w5=0.3'"
# a follower breaks away, the others follow, f snaps back
$F1 send-keys -t s Right
check "a navigation key breaks away" waitx "$F1" "on your own (f follows"
$TEACH send-keys -t s Down
sleep 0.5
teacher=$(code_of "$TEACH")
must_seex "$F2" "$teacher"
check "the others follow the teacher's next move ($teacher)" [ "$(code_of "$F2")" = "$teacher" ]
check "the one on its own stays where it went" [ "$(code_of "$F1")" != "$teacher" ]
$F1 send-keys -t s f
must_seex "$F1" "$teacher"
check "f: back on the teacher's screen" [ "$(code_of "$F1")" = "$teacher" ]
# read-only, 60 more followers, a reader that stalls
cat >"$TMP/clients.py" <<'EOS'
import socket, sys, time
port, what = int(sys.argv[1]), sys.argv[2]
deadline = time.time() + 10
def chunks(s):             # what comes, until the end or the deadline
    while time.time() < deadline:
        try:
            chunk = s.recv(600)
        except socket.timeout:
            continue
        if not chunk:
            return
        yield chunk
def line(s):
    buf = b""
    for chunk in chunks(s):
        buf += chunk
        if b"\n" in buf:
            break
    return buf.split(b"\n")[0].decode()
if what == "write":        # a follower that sends: garbage, a forged screen, a flood
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    line(s)
    for _ in range(200):
        s.sendall(b"nntrace 1 at seed/1/6/1/XX\n" + b"x" * 900 + b"\n")
    time.sleep(0.5)
    print("sent")
elif what == "many":       # 60 followers, each gets the screen, then the next one
    socks = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(60)]
    first = [line(s) for s in socks]
    print(sum(l.startswith("nntrace 1 at ") for l in first))
    sys.stdout.flush()
    sys.stdin.readline()   # the test moves the teacher, then says so
    second = [line(s) for s in socks]
    print(sum(l.startswith("nntrace 1 at ") and l != first[0] for l in second))
elif what == "half":       # a follower that closes its sending side and still reads
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    first = line(s)
    s.shutdown(socket.SHUT_WR)
    print("half-closed" if first.startswith("nntrace 1 at ") else "no first line")
    sys.stdout.flush()
    buf, got = b"", []
    for chunk in chunks(s):
        buf += chunk
        *whole, buf = buf.split(b"\n")
        got += [l.decode() for l in whole if l]
        if len(set(got)) >= 5:
            break
    print(len(set(got)))   # the screens it was sent after closing its side
elif what == "stall":      # a follower that never reads
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect(("127.0.0.1", port))
    print("connected")
    sys.stdout.flush()
    time.sleep(45)         # longer than any wait below: only a drop can end it sooner
EOS
before=$(code_of "$TEACH")
python3 "$TMP/clients.py" $PORT write >"$TMP/write.out" 2>&1
sleep 0.3
check "what a follower sends changes nothing on the teacher's screen" \
    sh -c "grep -q sent '$TMP/write.out' && [ '$(code_of "$TEACH")' = '$before' ]"
mkfifo "$TMP/go"
(python3 "$TMP/clients.py" $PORT many <"$TMP/go" >"$TMP/many.out" 2>&1 &)
exec 9>"$TMP/go"
for _ in $(seq 50); do [ -s "$TMP/many.out" ] && break; sleep 0.1; done
check "60 more followers each got the teacher's screen on connecting" [ "$(sed -n 1p "$TMP/many.out")" = 60 ]
check "the teacher holds 63 followers" waitx "$TEACH" "63 following"
$TEACH send-keys -t s Right
sleep 0.3
echo go >&9
exec 9>&-
for _ in $(seq 50); do [ "$(lines "$TMP/many.out")" -ge 2 ] && break; sleep 0.1; done
check "... and all 60 got its next screen" [ "$(sed -n 2p "$TMP/many.out")" = 60 ]
check "they are gone again (3 following)" waitx "$TEACH" "3 following"
# a follower that closes its sending side still reads: counted, and sent every screen
(python3 "$TMP/clients.py" $PORT half >"$TMP/half.out" 2>&1 &)
for _ in $(seq 50); do [ -s "$TMP/half.out" ] && break; sleep 0.1; done
check "a half-closed follower got the screen, then closed its side" grep -qx half-closed "$TMP/half.out"
check "... and is counted (4 following)" waitx "$TEACH" "4 following"
for _ in 1 2 3 4 5; do $TEACH send-keys -t s Right; sleep 0.2; done
for _ in $(seq 50); do [ "$(lines "$TMP/half.out")" -ge 2 ] && break; sleep 0.1; done
check "... and gets the teacher's next screens (5 more: $(sed -n 2p "$TMP/half.out"))" [ "$(sed -n 2p "$TMP/half.out")" = 5 ]
check "... and once it has closed whole, it is not counted (3 following)" waitx "$TEACH" "3 following"
# a follower that stops reading: dropped, and the teacher keeps moving
$TEACH send-keys -t s q
check "the teacher quits to come back" waitx "$TEACH" "status=0"
$TEACH send-keys -t s clear Enter "$NNTRACE --serve $PORT; echo status=\$?" Enter
check "the teacher serves again on the same port" waitx "$TEACH" "serving 127.0.0.1:$PORT"
check "the followers find the teacher again after it came back" waitx "$TEACH" "3 following"
check "... and show that they lost it meanwhile, or follow again" waitx "$F3" "following 127.0.0.1:$PORT"
python3 "$TMP/clients.py" $PORT stall >"$TMP/stall.out" 2>&1 &
stall_pid=$!
check "a fourth follower that will stop reading" waitx "$TEACH" "4 following"
$TEACH send-keys -t s -N 1200 Right Left
$TEACH send-keys -t s 6
check "a follower that stops reading is dropped (3 following again)" waitlong "$TEACH" "3 following"
check "the teacher went on: at stage 6 after 2400 moves" waitlong "$TEACH" "Stage 6/6"
check "... and the followers with it" waitlong "$F3" "Stage 6/6"
# the teacher gone: shown, and the keyboard still works
$TEACH send-keys -t s q
check "the teacher quits: exit 0" waitx "$TEACH" "status=0"
check "a follower shows the lost teacher" waitx "$F2" "lost the teacher"
$F2 send-keys -t s q
check "and still takes keys (q quits, exit 0)" waitx "$F2" "status=0"
# bad usage
run "$NNTRACE" --serve $PORT --follow localhost
check "--serve with --follow: exit 2" [ "$status" -eq 2 ]
run "$NNTRACE" --follow "host:port"
check "--follow host:port (no number): exit 2" [ "$status" -eq 2 ]
finish
