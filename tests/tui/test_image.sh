# Image lessons (image = WxH): the stepper shows the figure's sample as a
# picture with its label (the data's) and the network's answer (the largest
# output, from the CSV trace, once the stepper has reached the outputs);
# the picture's ink is where the data's pixels are (shade characters on a
# terminal of 8 colours, two greys a cell on one of 256); i hides it.
. "$TESTS/lib.sh"
. "$TESTS/tui/tmux.sh"
ROOT=$(dirname "$TESTS")
label=$(sed -n 2p "$ROOT/data/mnist10k.csv" | awk -F, '{ print $NF }')
"$NNTRACE" trace mnist --format csv --stage 2 --sample 1 >"$TMP/csv"
answer=$(awk -F, '$4 ~ /^out_o/ { k = substr($4, 6) - 1; if (n++ == 0 || $5 > best) { best = $5; a = k } } END { print a }' "$TMP/csv")
# the rows of the picture that have ink: pixel rows with any pixel above 0, two to a cell row
inked=$(sed -n 2p "$ROOT/data/mnist10k.csv" | awk -F, '{ for (r = 0; r < 14; r++) { ink = 0
    for (p = r * 56; p < r * 56 + 56; p++) if ($(p + 1) > 0) ink = 1; printf "%d", ink } }')

start 100 32 TERM=screen        # 8 colours: shade characters
keys "$NNTRACE mnist; echo status=\$?" Enter
must_see "Forward function"
check "mnist: the picture's title gives X1's label ($label) and no answer yet" wait_for "X1: label $label, answer ?"
screen >"$TMP/s1"
got=$(awk 'NR >= 4 && NR <= 17 { line = substr($0, 1, 30); printf "%d", line ~ /[░▒▓█]/ }' "$TMP/s1")
check "the picture has ink on the cell rows where the data's pixels are ($inked, drawn $got)" [ "$got" = "$inked" ]
keys 3
check "after stage 2: the answer is the largest output, o$((answer + 1)) ($answer)" wait_for "X1: label $label, answer $answer"
keys i
check "i hides the picture" sh -c "! $(printf '%s' "$T") capture-pane -p -t s | grep -q 'X1: label'"
keys i
check "i again shows it" wait_for "X1: label $label"
keys q
check "exits 0" wait_for "status=0"

# greys where the terminal has 256 colours: each cell an upper half block, its foreground the
# grey of the upper pixel, its background the lower one's; every cell of the picture is checked
# against the data's pixels (scaled to the picture's range, 8 levels: black 16, greys, white 231)
start 100 32 TERM=screen-256color
keys "$NNTRACE mnist; echo status=\$?" Enter
must_see "Forward function"
$T capture-pane -e -p -t s >"$TMP/grey"
sed -n 2p "$ROOT/data/mnist10k.csv" >"$TMP/row"
cat >"$TMP/grey.py" <<'PY'
import re, sys
grey = [16, 234, 237, 240, 244, 248, 252, 231]
v = [int(t) for t in open(sys.argv[2]).read().split(",")[:784]]
lo, hi = min(v), max(v)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[3:17]
bad = cells = 0
for r, line in enumerate(lines):
    fg = bg = None
    col = 0
    for tok in re.findall(r"\x1b\[([0-9;]*)m|(.)", line):
        if tok[0] or tok[1] == "":
            p = tok[0].split(";")
            i = 0
            while i < len(p):
                if p[i] in ("38", "48") and i + 2 < len(p) and p[i + 1] == "5":
                    if p[i] == "38": fg = int(p[i + 2])
                    else: bg = int(p[i + 2])
                    i += 3
                    continue
                if p[i] in ("0", "39", ""): fg = None if p[i] != "" or len(p) == 1 else fg
                if p[i] in ("0", "49"): bg = None
                i += 1
            continue
        col += 1
        if 2 <= col <= 29:
            c = col - 2
            want = [round((v[(2 * r + h) * 28 + c] - lo) / (hi - lo) * 7) for h in (0, 1)]
            got = [grey.index(fg) if fg in grey else -1, grey.index(bg) if bg in grey else -1]
            cells += 1
            if tok[1] != "\u2580" or got != want:
                bad += 1
print(cells, bad)
PY
res=$(python3 "$TMP/grey.py" "$TMP/grey" "$TMP/row")
check "256 colours: all 392 cells of the picture are half blocks in the data's greys (cells, wrong: $res)" \
    [ "$res" = "392 0" ]
keys q
check "256 colours: exits 0" wait_for "status=0"

# digits: 8x8, two cells a pixel
start 100 32
keys "$NNTRACE digits; echo status=\$?" Enter
must_see "Forward function"
dlabel=$(sed -n 2p "$ROOT/data/digits.csv" | awk -F, '{ print $NF }')
check "digits: X1's label ($dlabel)" wait_for "X1: label $dlabel, answer ?"
keys q
check "digits: exits 0" wait_for "status=0"
finish
