# The stepper's figure holds still and lights what each value comes from,
# driven in tmux.  The stepper runs in the C locale, so every character is
# one byte and one column (ASCII lines: "->", "+", "|").
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"
LESSONS=$(dirname "$TESTS")/lessons

# The fixed parts of one screen, one per line: every line arrow ("A row col"),
# every weight label on a line ("W row col [name]"), every panel rule's title
# ("R row col").  names=0 leaves the labels' names out (a window that scrolls
# changes which weights stand there, not where they stand).
skeleton() { # skeleton FILE NAMES
    awk -v names="$2" '{
        line = $0
        if (index(line, "->") > 0) {
            for (c = 1; c < length(line); c++)
                if (substr(line, c, 2) == "->") print "A", NR, c
            s = line; off = 0
            while (match(s, /-w[0-9]+/)) {
                print "W", NR, off + RSTART, (names ? substr(s, RSTART + 1, RLENGTH - 1) : "")
                off += RSTART + RLENGTH - 1; s = substr(s, RSTART + RLENGTH)
            }
        }
        s = line; off = 0
        while (match(s, /- [A-Z]/)) {
            at = off + RSTART
            if (at == 1 || substr(line, at - 1, 1) == "-" || substr(line, at - 1, 1) == " ") print "R", NR, at
            off += RSTART + 2; s = substr(s, RSTART + 3)
        }
    }' "$1"
}

# Walk every value of step 1; the skeleton of each screen against the one before.
walk() { # walk LESSON W H NAMES
    lesson=$1; w=$2; h=$3; names=$4
    n=$(( $("$NNTRACE" trace "$LESSONS/$lesson.lesson" --format csv | wc -l) - 1 ))
    start "$w" "$h" LC_ALL=C
    keys "$NNTRACE --no-mouse $LESSONS/$lesson.lesson; echo status=\$?" Enter
    must_see "Forward function"
    screen >"$TMP/prev"
    skeleton "$TMP/prev" "$names" | { [ "$names" = 2 ] && grep '^R' || cat; } >"$TMP/sk0"
    moved=0; arrows=$(skeleton "$TMP/prev" 1 | grep -c '^A'); i=1
    while [ "$i" -lt "$n" ]; do
        $T send-keys -t s l
        for _ in $(seq 100); do            # until the screen shows the next value (2 s at most)
            screen >"$TMP/cur"
            cmp -s "$TMP/cur" "$TMP/prev" || break
            sleep 0.02
        done
        skeleton "$TMP/cur" "$names" | { [ "$names" = 2 ] && grep '^R' || cat; } >"$TMP/sk1"
        if ! cmp -s "$TMP/sk0" "$TMP/sk1"; then
            moved=$((moved + 1))
            [ "$moved" -eq 1 ] && { echo "  first move at value $((i + 1)):"; diff "$TMP/sk0" "$TMP/sk1" | head -6; }
        fi
        mv "$TMP/cur" "$TMP/prev"; mv "$TMP/sk1" "$TMP/sk0"
        i=$((i + 1))
    done
    keys q
    must_see "status=0"
    walked=$i
}

for size in "80 24" "120 40"; do
    for lesson in seed xor deep iris; do
        names=1
        [ "$lesson" = iris ] && [ "$size" = "80 24" ] && names=0   # iris scrolls at 80x24
        [ "$lesson" = deep ] && names=2     # deep's layers scroll (every line keeping its labels): the rules stay
        walk "$lesson" ${size% *} ${size#* } "$names"
        what=$([ "$names" = 1 ] && echo "no line, label or rule moves" || { [ "$names" = 2 ] && echo "no rule moves; the layers' window scrolls"; } || echo "no line or rule moves; only windows scroll")
        check "$lesson at ${size% *}x${size#* }: $walked values walked, $what" [ "$moved" -eq 0 ]
        check "$lesson at ${size% *}x${size#* }: the figure has its lines ($arrows)" [ "$arrows" -ge 6 ]
    done
done

# --- lighting: read the attributes (capture-pane -e) of each character
# attrs FILE: for each line of the pane, the same line with every character
# replaced by its cue: R reverse (the current value), B underline and bold
# (a reused term), U underline (an operand), . none.
attrs() {
    awk 'BEGIN { esc = sprintf("%c", 27) }
    {
        out = ""; line = $0
        while (length(line) > 0) {
            if (substr(line, 1, 2) == esc "[") {
                end = index(line, "m"); params = substr(line, 3, end - 3); line = substr(line, end + 1)
                np = split(params, p, ";"); if (np == 0) { p[1] = 0; np = 1 }
                for (k = 1; k <= np; k++) {
                    v = p[k] + 0
                    if (v == 38 || v == 48) { k += (p[k + 1] == 5 ? 2 : 4); continue }
                    if (v == 0) { bold = 0; ul = 0; rev = 0 }
                    else if (v == 1) bold = 1; else if (v == 22) bold = 0
                    else if (v == 4) ul = 1; else if (v == 24) ul = 0
                    else if (v == 7) rev = 1; else if (v == 27) rev = 0
                }
                continue
            }
            out = out (rev ? "R" : (ul && bold) ? "B" : ul ? "U" : ".")
            line = substr(line, 2)
        }
        print out
    }' "$1"
}
# cue TEXT [OFFSET]: the cue of the character OFFSET (0) into the first TEXT on the pane
cue() {
    row=$(grep -nF -- "$1" "$TMP/plain" | head -1 | cut -d: -f1)
    [ -n "$row" ] || { echo "none"; return; }
    col=$(sed -n "${row}p" "$TMP/plain" | awk -v t="$1" -v o="${2:-0}" '{ print index($0, t) + o }')
    sed -n "${row}p" "$TMP/cues" | cut -c"$col"
}
look() { $T capture-pane -p -e -t s >"$TMP/esc"; screen >"$TMP/plain"; attrs "$TMP/esc" >"$TMP/cues"; }

for env in "TERM=xterm-256color" "NO_COLOR=1"; do
    start 80 24 LC_ALL=C $env
    keys "$NNTRACE --no-mouse; echo status=\$?" Enter
    must_see "Forward function"
    look
    # X1: net_h1 = w1*x1 + w3*x2 + w9*b1
    check "$env: net_h1: w1 on its line is lit as an operand" [ "$(cue "-w1 " 1)" = U ]
    check "$env: net_h1: w3 lit" [ "$(cue "-w3 " 1)" = U ]
    check "$env: net_h1: w9 lit" [ "$(cue "-w9 " 1)" = U ]
    check "$env: net_h1: w2 (into h2) not lit" [ "$(cue "-w2 " 1)" = . ]
    check "$env: net_h1: w5 (into o1) not lit" [ "$(cue "-w5 " 1)" = . ]
    check "$env: net_h1: the input x1 lit" [ "$(cue "x1  0.1")" = U ]
    check "$env: net_h1: the value being computed, in h1's box, in reverse video" [ "$(cue "+h1 net 0.120000" 8)" = R ]
    check "$env: net_h1: h2's box not lit" [ "$(cue "+h2 net" 1)" = . ]
    # stage 5, X1: dE_total/dout_h1 = dE_total/dout_o1*dout_o1/dnet_o1*w5 + ...: o1's terms reused
    keys 5
    must_see "X1: dE_total/dout_h1 ="
    look
    check "$env: stage 5: w5 lit" [ "$(cue "-w5 " 1)" = U ]
    check "$env: stage 5: w6 lit" [ "$(cue "-w6 " 1)" = U ]
    check "$env: stage 5: w1 not lit" [ "$(cue "-w1 " 1)" = . ]
    check "$env: stage 5: o1's stage-4 terms marked reused (underline and bold) on its box" [ "$(cue "+o1 net" 1)" = B ]
    check "$env: stage 5: the current value's unit h1 in reverse video" [ "$(cue "+h1 net" 1)" = R ]
    check "$env: stage 5: the reused term in the formula too" [ "$(cue "X1: dE_total/dout_h1 = dE_total/dout_o1" 23)" = B ]
    # stage 2, X1: out_o1 = 1/(1 + e^(-net_o1)): the recorded dependencies, in the stage's table
    keys 2 l l
    must_see "X1: out_o1 = 1/(1 + e^(-net_o1))"
    look
    check "$env: stage 2 so far: net_o1, which out_o1 is computed from, lit" [ "$(cue " X1 net_o1 " 1)" = U ]
    check "$env: stage 2 so far: net_o2 not lit" [ "$(cue " X1 net_o2 " 1)" = . ]
    keys q
    must_see "status=0"
done
finish
