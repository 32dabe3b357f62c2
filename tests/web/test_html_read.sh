# The web page read as a reader reads it (issue 28): every value of a step is
# walked in a real headless Chromium, and at each the page's whole visible
# text is taken; every decimal number in it must be a value of the trace
# (an event's value or one of its operands, from the JSON Lines trace of the
# same lesson) correctly rounded to the decimals it shows.  Integers (step,
# stage, counts) are not read.  Under the default and --digits 3.
. "$TESTS/lib.sh"
CDP="python3 $TESTS/web/cdp.py"
command -v chromium >/dev/null 2>&1 || { bad "chromium is not installed (scripts/deps.sh test installs it)"; finish; exit 1; }

cat >"$TMP/read.py" <<'EOF'
import json, re, sys
from decimal import Decimal, ROUND_HALF_EVEN
trace, page = sys.argv[1], sys.argv[2]
exact = set()
for line in open(trace):
    ev = json.loads(line)
    exact.add(ev["value"])
    for op in ev.get("operands", []):
        if op.get("value") is not None:
            exact.add(op["value"])
exact = sorted(exact)
def shows(token):
    """Whether some exact trace value, rounded to token's decimals, is token."""
    if "e" in token.lower():
        mant, exp = token.lower().split("e")
        d = len(mant.split(".")[1]) if "." in mant else 0
        return any(("%.*e" % (d, v)).replace("e-0", "e-").replace("e+0", "e+") ==
                   token.lower().replace("e-0", "e-").replace("e+0", "e+") for v in exact)
    d = len(token.split(".")[1])
    q = Decimal(1).scaleb(-d)
    want = Decimal(token)
    for v in exact:
        r = Decimal(v).quantize(q, rounding=ROUND_HALF_EVEN)
        if r == want or (r == 0 and want == 0):
            return True
        # a given value written without padding zeros ("0.1" for 0.1 at 6 digits)
        if Decimal(repr(v)) == want:
            return True
    return False
screens = [json.loads(l) for l in open(page) if l.startswith('"')]
bad, read = [], 0
for n, text in enumerate(screens):
    for token in re.findall(r"(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?(?![\w.])", text):
        read += 1
        # "e^(-0.120000)": a minus before a number may be the formula's own
        if not shows(token) and not (token.startswith("-") and shows(token[1:])):
            bad.append("screen %d: %s" % (n + 1, token))
print("%d screens, %d numbers read, %d not the trace's" % (len(screens), read, len(bad)))
for b in bad[:10]:
    print("  " + b)
sys.exit(0 if screens and read > 0 and not bad else 1)
EOF

for run in "seed" "seed --digits 3" "xor" "deep"; do
    set -- $run
    lesson=$1; shift
    "$NNTRACE" trace --format jsonl "$@" "$lesson" >"$TMP/t.jsonl"
    "$NNTRACE" trace --format html "$@" -o "$TMP/page.html" "$lesson"
    n=$(jq -s '[.[] | select(.step == 1)] | length' "$TMP/t.jsonl")
    {
        i=0
        while [ $i -lt "$n" ]; do
            echo "eval JSON.stringify(document.body.innerText)"
            echo "key ArrowRight"
            i=$((i + 1))
        done
    } >"$TMP/walk.txt"
    $CDP "$TMP/page.html" "$TMP/walk.txt" >"$TMP/walk.out" 2>"$TMP/walk.err"
    check "$run: chromium walked the $n values ($(head -c 200 "$TMP/walk.err"))" [ $? -eq 0 ]
    python3 "$TMP/read.py" "$TMP/t.jsonl" "$TMP/walk.out" >"$TMP/read.out" 2>&1
    st=$?
    echo "  $run: $(head -1 "$TMP/read.out")"
    check "$run: every number on the page is the trace's ($(sed -n 2,4p "$TMP/read.out" | tr '\n' ' '))" [ "$st" -eq 0 ]
done
finish
