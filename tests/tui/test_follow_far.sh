# Follow mode under a teacher that sends what no class would: a code for
# step 1000000, and a flood of codes with 32 edits each.  The follower must
# never compute for more than a moment between two looks at the keys: it
# catches up in slices, shows only the last screen of a flood, and answers
# ? and q at once throughout.  The fake teacher listens on localhost, on a
# port the kernel chose; its codes are signed by tests/reader/screens --sign.
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"
ROOT=$(dirname "$TESTS")
: "${READER:=$ROOT/build/tests/reader/screens}"
case "$READER" in /*) ;; *) READER=$ROOT/$READER ;; esac
[ -x "$READER" ] || { bad "no $READER (make builds it)"; finish; exit 1; }

cat >"$TMP/teacher.py" <<'EOF'
import socket, sys, time
lines = [l.rstrip("\n") for l in open(sys.argv[1])]
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
srv.settimeout(20)
conn, _ = srv.accept()
conn.sendall("".join("nntrace 1 at %s\n" % l for l in lines).encode())
time.sleep(25)              # holds the connection; the test ends it
EOF
serve() { # serve FILE: a fake teacher sending FILE's codes; its port in $PORT
    rm -f "$TMP/port"                      # the last teacher's port is not this one's
    python3 "$TMP/teacher.py" "$1" >"$TMP/port" 2>&1 &
    teacher_pid=$!
    for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
    PORT=$(head -1 "$TMP/port")
}
# answers KEY TEXT: after KEY, TEXT is on the screen within a second
answers() {
    keys "$1"
    for _ in $(seq 10); do screen | grep -qF -- "$2" && return 0; sleep 0.1; done
    return 1
}

# --- a code for step 1000000 of digits (64-30-10: a minute of steps)
(cd "$ROOT" && "$READER" --sign lessons/digits.lesson digits/1000000/1/1) >"$TMP/far"
check "a signed code for step 1000000 ($(cat "$TMP/far"))" grep -q '^digits/1000000/1/1/[A-Z][A-Z]$' "$TMP/far"
serve "$TMP/far"
start 100 30
keys "$NNTRACE --follow 127.0.0.1:$PORT digits; echo status=\$?" Enter
check "the follower says it is catching up" wait_for "catching up with the teacher: step"
check "... and answers ? at once (help)" answers "?" "nntrace: keys"
check "... and ? again (back)" answers "?" "catching up with the teacher"
keys q
check "... and q at once: exit 0" sh -c 'for _ in $(seq 10); do '"$T"' capture-pane -p -t s | grep -q "status=0" && exit 0; sleep 0.1; done; exit 1'
kill "$teacher_pid" 2>/dev/null; wait "$teacher_pid" 2>/dev/null

# --- 120 codes of 32 edits each, sent at once: the last one shown, keys answered
i=1
while [ $i -le 120 ]; do
    e=1; edits=""
    while [ $e -le 32 ]; do
        edits="$edits${edits:+,}w$(( (e - 1) % 12 + 1 ))=0.$i$e"
        e=$((e + 1))
    done
    "$READER" --sign seed "seed/1/$(( i % 6 + 1 ))/1/$edits"
    i=$((i + 1))
done >"$TMP/flood"
check "120 signed codes of 32 edits" [ "$(grep -c '^seed/1/[1-6]/1/w1=.*/[A-Z][A-Z]$' "$TMP/flood")" -eq 120 ]
serve "$TMP/flood"
start 120 40
keys "$NNTRACE --follow 127.0.0.1:$PORT; echo status=\$?" Enter
# the last code (i = 120) at stage 1: its last edits of w1, w3 and w9 are the 25th, 27th
# and 21st (w(e mod 12)), 0.12025, 0.12027 and 0.12021
check "the flood: the follower shows the last code's screen (stage 1, its w1, w3, w9)" \
    wait_for "= 0.12025*0.1 + 0.12027*0.1 + 0.12021*1"
check "... with its 32 edits" wait_for "32 edits"
check "... and answers ? at once" answers "?" "nntrace: keys"
keys "?"
keys q
check "... and q: exit 0" wait_for "status=0"
kill "$teacher_pid" 2>/dev/null; wait "$teacher_pid" 2>/dev/null

# --- a teacher whose edits are longer than a code holds (511 bytes) sends no code,
# never one cut short (it sent the first 511 bytes, their check letters and all:
# the follower made other edits than the teacher's); the follower says why
start 120 40
keys "$NNTRACE --serve 0 --no-mouse; echo status=\$?" Enter
must_see "serving 127.0.0.1:"
TPORT=$(screen | sed -n 's/.*serving 127\.0\.0\.1:\([0-9]*\).*/\1/p' | head -1)
i=10
while [ $i -lt 40 ]; do                  # 30 edits of 19 bytes: about 600 bytes of code
    keys e
    $T send-keys -t s -l "w1=0.123456789012$i"
    keys Enter
    i=$((i + 1))
done
check "the teacher made 30 edits" wait_for "30 edits"
python3 - "$TPORT" >"$TMP/first" 2>&1 <<'EOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
buf, end = b"", time.time() + 3
while b"\n" not in buf and time.time() < end:
    buf += s.recv(700)
print(buf.split(b"\n")[0].decode())
EOF
check "too many edits for a code: the teacher sends 'nntrace 1 at -' ($(head -c 80 "$TMP/first"))" \
    [ "$(cat "$TMP/first")" = "nntrace 1 at -" ]
echo - >"$TMP/none"                   # the fake teacher sends "nntrace 1 at -"
serve "$TMP/none"
start 120 40
keys "$NNTRACE --follow 127.0.0.1:$PORT; echo status=\$?" Enter
check "the follower says why it does not follow" wait_for "the teacher's edits are more than a step code holds"
keys q
kill "$teacher_pid" 2>/dev/null; wait "$teacher_pid" 2>/dev/null
finish
