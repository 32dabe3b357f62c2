# The stepper, driven in tmux: first screen, walking forward and back, stage
# jumps, help, quit, resizes, NO_COLOR, hostile titles, signals, no terminal.
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed (scripts/deps.sh test installs it)"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"

# --- first screen, walk to the end of stage 6 and back
start 80 24
keys "$NNTRACE; echo status=\$?" Enter
check "first screen: stage 1 title" wait_for "Forward function for a hidden layer"
check "first screen: net_h1 = 0.120000" wait_for "= 0.120000"
check "first screen: net_h1 formula" wait_for "net_h1 = w1*x1 + w3*x2 + w9*b1"
screen >"$TMP/first.txt"
check "first screen: later values not shown" sh -c "! grep -q '0.529964' '$TMP/first.txt'"
# the bottom line, built from the key table: each key with what it does
check "first screen: the keys' line" sh -c "tail -1 '$TMP/first.txt' | grep -qF '→/l next  ←/h back  ↓/↑ stage  1-6  [ ] step  d digits  v note  ? help  q quit'"
for _ in $(seq 58); do $T send-keys -t s l; done
check "end of stage 6: w12 = 0.098411" wait_for "= 0.098411"
check "end of stage 6: w11 = 0.098728 in the values so far" wait_for "0.098728"
keys l
check "past the end: says how to go on" wait_for "Press ] for step 2"
for _ in $(seq 58); do $T send-keys -t s h; done
sleep 0.5
screen >"$TMP/back.txt"
check "walking back to the start shows the first screen again" cmp -s "$TMP/first.txt" "$TMP/back.txt"

# --- jumps, help, digits, next step
keys 3
check "3: the first value of stage 3, X1's E_total" wait_for "X1: E_total = 1/2*("
keys 3
check "3 again: the stage completed, the loss 0.253395" wait_for "= 0.253395"
check "3: the quadratic-loss title" wait_for "Quadratic loss function"
keys 4 j
check "4 then j: start of stage 5" wait_for "X1: dE_total/dout_h1 ="
check "stage 5 marks the reused stage-4 terms" wait_for "stage 4's terms reused"
keys d
check "d: significant digits" wait_for "3 significant digits"
keys d
check "d again: decimals" wait_for "6 digits after the decimal point"
keys D
check "D: more digits" wait_for "8 digits after the decimal point"
keys ?
check "?: help" wait_for "nntrace: keys"
# the help screen is drawn from the key table nntrace --keys prints: every key there, none cut
screen >"$TMP/help.txt"
"$NNTRACE" --keys | while IFS='	' read -r name meaning; do
    also=$(printf '%s' "$meaning" | sed -n 's/.*(also \(.*\))$/\1/p' | tr -d ',')
    label="$name${also:+ $also}"
    grep -qF -- "$label" "$TMP/help.txt" || echo "$label"
done >"$TMP/help_missing"
check "the help screen at 80x24 shows every key of nntrace --keys ($(tr '\n' ',' <"$TMP/help_missing"))" \
    [ ! -s "$TMP/help_missing" ]
check "the help screen at 80x24 cuts no text" sh -c "! grep -q '…' '$TMP/help.txt'"
keys x
check "help closes on a key" wait_for "Stage 5/6"
keys l l
check "two values into stage 5" wait_for "value 3/14"
keys k
check "Up from the middle of stage 5: its start" wait_for "value 1/14"
check "... still stage 5" wait_for "Stage 5/6"
keys k
check "Up again: the start of stage 4" wait_for "Stage 4/6"
keys ]
check "]: step 2 computed" wait_for "step 2 of 2"
check "]: lands on stage 1 of step 2, its first value" wait_for "X1: net_h1 = w1*x1 + w3*x2 + w9*b1"
keys q
check "q exits with status 0" wait_for "status=0"
keys "printf 'ok-%s\\n' after-quit" Enter
check "the terminal is usable after q" wait_for "ok-after-quit"

# --- resizes: 120x40 -> 80x24 -> 60x15 -> 30x8 -> 120x40
start 120 40
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
for size in 80x24 60x15 120x40; do
    $T resize-window -t s -x "${size%x*}" -y "${size#*x}"
    sleep 0.4
    check "resize to $size: header" wait_for "Stage 1/6"
    check "resize to $size: formula" wait_for "net_h1 = w1*x1"
    check "resize to $size: no line longer than the window" [ "$(widest)" -le "${size%x*}" ]
done
$T resize-window -t s -x 30 -y 8
sleep 0.4
check "30x8: asks to enlarge" wait_for "enlarge"
$T resize-window -t s -x 80 -y 24
sleep 0.4
check "back to 80x24: the stepper again" wait_for "net_h1 = w1*x1"
keys q
check "quit after resizes" wait_for "status=0"

# --- NO_COLOR: the current value is still marked (reverse video)
start 80 24 NO_COLOR=1
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
$T capture-pane -p -e -t s >"$TMP/nocolor.txt"
check "NO_COLOR: reverse video marks the current value" grep -q "$(printf '\033')\[[0-9;]*7m" "$TMP/nocolor.txt"
check "NO_COLOR: no colour codes" sh -c "! grep -q \"$(printf '\033')\[[0-9;]*3[1-7]m\" '$TMP/nocolor.txt'"
keys q

# --- a title holding escape sequences is shown, not executed
cp "$TESTS/bad/ok.csv" "$TESTS/bad/ok-weights.csv" "$TMP/"
printf 'title = evil \033[2J\033]2;pwned\007 title\nlayers = 2 2 2\nlearning_rate = 0.1\ndata = ok.csv\nweights = ok-weights.csv\nnote.1 = note with \033[31mred\033[0m text\n' >"$TMP/evil.lesson"
start 80 24
keys "$NNTRACE $TMP/evil.lesson; echo status=\$?" Enter
check "escape in the title shown as ^[" wait_for "evil ^[[2J^[]2;pwned^G title"
check "escape in a note shown as ^[" wait_for "note with ^[[31mred^[[0m text"
check "the pane title was not changed" sh -c "[ \"\$($T display-message -p -t s '#{pane_title}')\" != pwned ]"
keys q
check "evil lesson: status 0" wait_for "status=0"
printf 'title = left \342\200\256right\nlayers = 2 2 2\nlearning_rate = 0.1\ndata = ok.csv\nweights = ok-weights.csv\n' >"$TMP/bidi.lesson"
start 80 24
keys "$NNTRACE $TMP/bidi.lesson; echo status=\$?" Enter
check "a bidi override in the title shown as <U+202E>" wait_for "left <U+202E>right"
keys q

# (a marker is printed with printf 'ok-%s\n' after-...: the typed line does not hold it,
# so a wait for it waits for the shell, not for the echo of the typing)
# --- signals leave the terminal usable (the wrapper shell ignores SIGINT so
# that it lives to print the status)
start 80 24
keys "sh -c \"trap '' INT; $NNTRACE; echo status=\\\$?\"" Enter
must_see "Forward function"
keys C-c
check "Ctrl-C: exit status 130" wait_for "status=130"
keys "printf 'ok-%s\\n' after-int" Enter
check "Ctrl-C: terminal usable" wait_for "ok-after-int"
# every fatal signal that can be caught: the terminal's modes back as they were
# (SIGQUIT, Ctrl-\, left it -icanon -echo -onlcr -icrnl)
for sig in TERM:15 HUP:1 QUIT:3 USR1:10 ALRM:14; do
    num=${sig#*:}; sig=${sig%:*}
    start 80 24
    keys "stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo|onlcr|icrnl)' | sort | tr '\n' ' ' >$TMP/modes.before" Enter
    keys "$NNTRACE; echo status=\$?" Enter
    must_see "Forward function"
    pid=$($T display-message -p -t s '#{pane_pid}')
    kill -$sig $(pgrep -P "$pid" -f nntrace)
    check "SIG$sig: exit status $((128 + num))" wait_for "status=$((128 + num))"
    keys "printf 'ok-%s\\n' after-$sig" Enter
    check "SIG$sig: terminal usable" wait_for "ok-after-$sig"
    keys "stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo|onlcr|icrnl)' | sort | tr '\n' ' ' >$TMP/modes.after; printf 'modes-%s\\n' saved" Enter
    must_see "modes-saved"
    check "SIG$sig: the terminal's modes as before ($(cat $TMP/modes.after 2>/dev/null))" \
        sh -c "[ -s '$TMP/modes.before' ] && cmp -s '$TMP/modes.before' '$TMP/modes.after'"
done
start 80 24
keys "$NNTRACE; echo status=\$?" Enter
must_see "Forward function"
keys 'C-\'
check "Ctrl-\\ (SIGQUIT): exit status 131" wait_for "status=131"
keys "printf 'ok-%s\\n' after-quit-key" Enter
check "Ctrl-\\: terminal usable" wait_for "ok-after-quit-key"

# --- a German locale: the stepper's numbers keep their decimal point
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
    start 80 24 LC_ALL=de_DE.UTF-8
    keys "$NNTRACE; echo status=\$?" Enter
    check "de_DE.UTF-8: 0.120000 with a point" wait_for "= 0.120000"
    check "de_DE.UTF-8: UTF-8 lines still drawn" wait_for "─ Formula, then numbers"
    keys q
    check "de_DE.UTF-8: status 0" wait_for "status=0"
else
    echo "  (de_DE.UTF-8 not generated: German stepper check skipped)"
fi

# --- --digits 0 is honoured (it used to show 6 digits)
start 80 24
keys "$NNTRACE --digits 0; echo status=\$?" Enter
# computed values to 0 decimals; a given 0.1 keeps its first digit (it is not 0)
check "--digits 0: the computed numbers without decimals, the given ones never 0" \
    wait_for "= 0.1*0.1 + 0.1*0.1 + 0.1*1"
screen >"$TMP/digits0.txt"
check "--digits 0: no 0.120000 anywhere" sh -c "! grep -q '0\.120000' '$TMP/digits0.txt'"
check "--digits 0: the result line is '= 0'" grep -q '^ *= 0$' "$TMP/digits0.txt"
keys q

# --- a non-UTF-8 locale falls back to ASCII lines
start 80 24 LC_ALL=C
keys "$NNTRACE; echo status=\$?" Enter
check "C locale: ASCII rules" wait_for "- Formula, then numbers, then result ---"
check "C locale: ASCII arrows" wait_for "0.1->+h1 net"
check "C locale: no UTF-8 on screen" sh -c "! $T capture-pane -p -t s | grep -q '[^ -~]'"
keys q
check "C locale: status 0" wait_for "status=0"

# --- Ctrl-Z suspends, fg resumes and redraws
start 80 24
keys "$NNTRACE" Enter
must_see "Forward function"
keys l l
keys C-z
check "Ctrl-Z: back at the shell" wait_for "Stopped"
keys clear Enter
sleep 0.3
keys fg Enter
check "fg: the stepper redrawn where it was" wait_for "X1: out_h1 = 1/(1 + e^(-net_h1))"
keys q
keys "printf 'ok-%s\\n' after-tstp" Enter
check "Ctrl-Z then q: terminal usable" wait_for "ok-after-tstp"

# --- no terminal: a clear error pointing to nntrace trace
run sh -c "'$NNTRACE' </dev/null >'$TMP/o' 2>'$TMP/e'; echo \$? >'$TMP/rc'"
check "stdout not a terminal: exit 2" [ "$(cat "$TMP/rc")" = 2 ]
check "stdout not a terminal: points to nntrace trace" grep -q "nntrace trace" "$TMP/e"
check "stdout not a terminal: one line" [ "$(lines "$TMP/e")" -eq 1 ]
start 80 24
keys "TERM=dumb $NNTRACE; echo status=\$?" Enter
check "TERM=dumb: points to nntrace trace" wait_for "nntrace trace"
check "TERM=dumb: exit 2" wait_for "status=2"
# the presenter's and an ASCII terminal's bottom lines, from the same table
start 100 24
keys "$NNTRACE --present --no-mouse" Enter
keys Right
check "presenter: its keys' line" wait_for "l/Right reveal, next  h/Left back  j/k stage  space play  b board  ? help  q quit"
keys q
start 100 24 LC_ALL=C TERM=vt100
keys "$NNTRACE --no-mouse" Enter
check "an ASCII terminal: the keys without arrows" wait_for "l next  h back  j/k stage  1-6  [ ] step  d digits  v note  ? help  q quit"
keys q
finish
