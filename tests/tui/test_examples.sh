# Every example command printed in the README (its indented blocks) and in
# the man page's EXAMPLES, and every complete command written inline in
# README.md and docs/*.md, run exactly as printed in a scratch folder with
# nntrace installed (make install, as the README says) and its bin folder
# first on PATH; what each one's comment says it does is
# checked.  Commands that open the stepper run in tmux.  docs/teaching.md's
# plan has its own test (test_teaching.sh).
. "$TESTS/lib.sh"
command -v tmux >/dev/null 2>&1 || { bad "tmux is not installed"; finish; exit 1; }
. "$TESTS/tui/tmux.sh"
ROOT=$(dirname "$TESTS")
EX="$TMP/ex"
mkdir -p "$EX"
make -s -C "$ROOT" install DESTDIR="$TMP/dest" SANITIZE="${SANITIZE:-}" >/dev/null 2>"$TMP/install.err"
check "make install ($(head -c 200 "$TMP/install.err"))" [ $? -eq 0 ]
BIN=$(dirname "$(find "$TMP/dest" -name nntrace -type f | head -1)")
check "the installed binary is the one under test" cmp -s "$BIN/nntrace" "$NNTRACE"

# the printed commands: README's indented lines that start with nntrace, the
# man page's EXAMPLES (roff's \- made -), and inline `nntrace ...` commands
# with no placeholder in them (no capitals, no [optional] part, no "...";
# "nntrace 1 at ..." is a line of the follow protocol, not a command; "nntrace
# train --test-split" names an option, its value left to the sentence)
sed -n 's/^    \(nntrace.*\)/\1/p' "$ROOT/README.md" | sed 's/ *# .*//' >"$TMP/readme"
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$ROOT/docs/nntrace.1" | grep '^nntrace' |
    sed 's/\\-/-/g; s/  .*//' >"$TMP/man"
grep -ohE '`nntrace [^`]*`' "$ROOT/README.md" "$ROOT"/docs/*.md | tr -d '`' |
    grep -vE '[][A-Z]|\||\.\.\.|^nntrace [0-9]' | grep -vxF 'nntrace train --test-split' | sort -u >"$TMP/inline"
check "the README has its examples" [ "$(lines "$TMP/readme")" -ge 20 ]
check "the man page has its examples" [ "$(lines "$TMP/man")" -ge 8 ]
check "the docs have inline commands" [ "$(lines "$TMP/inline")" -ge 10 ]
sort -u "$TMP/readme" "$TMP/man" "$TMP/inline" >"$TMP/all"

# a command is interactive when it opens the stepper: no subcommand, and
# not one of the options that print and exit
interactive() {
    case "$1" in
        "nntrace --keys"|"nntrace --lessons-dir"|"nntrace --help"|"nntrace --version") return 1 ;;
        "nntrace"|"nntrace "[a-z]*" "*|"nntrace "[a-z]*) ;;
        *) return 0 ;;
    esac
    word=$(echo "$1" | awk '{ print $2 }')
    case "$word" in trace|train|check|worksheet|export) return 1 ;; esac
    return 0
}

# --- the commands that print: each runs, exit 0, and says what it is said to
: >"$TMP/ran"
while read -r cmd; do
    interactive "$cmd" && continue
    (cd "$EX" && PATH="$BIN:$PATH" sh -c "$cmd") >"$TMP/cmd.out" 2>"$TMP/cmd.err" </dev/null
    st=$?
    check "'$cmd': exit 0 (got $st: $(head -c 200 "$TMP/cmd.err"))" [ "$st" -eq 0 ]
    key=$(echo "$cmd" | tr -c 'A-Za-z0-9\n' '_')
    cp "$TMP/cmd.out" "$TMP/out.$key"
    echo "$cmd" >>"$TMP/ran"
done <"$TMP/all"
out() { cat "$TMP/out.$(echo "$1" | tr -c 'A-Za-z0-9\n' '_')"; }
ran() { grep -qxF -- "$1" "$TMP/ran"; }

out "nntrace trace" >"$TMP/trace.txt"
check "'nntrace trace': the seed's derivation, its first value as the README shows it" \
    grep -qxF 'X1: net_h1 = w1*x1 + w3*x2 + w9*b1 = 0.1*0.1 + 0.1*0.1 + 0.1*1 = 0.120000' "$TMP/trace.txt"
check "trace --format csv -o seed.csv: the 59 values, each the reference's (1e-12), each printed to the last bit" \
    python3 - "$EX/seed.csv" "$TESTS/data/seed_reference.csv" <<'EOF'
import csv, sys
def values(path):
    return {(r["step"], r["stage"], r["sample"], r["symbol"]): r["value"] for r in csv.DictReader(open(path))}
got, ref = values(sys.argv[1]), values(sys.argv[2])
near = got.keys() == ref.keys() and all(abs(float(got[k]) - float(ref[k])) <= 1e-12 for k in ref)
exact = all(v == "%.17g" % float(v) for v in got.values())    # reads back to the same double
sys.exit(0 if len(got) == 59 and near and exact else 1)
EOF
out "nntrace trace --set w5=0.3 --set eta=0.5" >"$TMP/set.txt"
check "trace --set w5=0.3 --set eta=0.5: says what was changed" grep -qF 'w5 = 0.3 (was 0.1); eta = 0.5 (was 0.1)' "$TMP/set.txt"
check "trace --set w5=0.3 --set eta=0.5: w5's update starts from 0.3 at rate 0.5" \
    grep -q '^w5 = w5 - eta\*dE_final/dw5 = 0\.3 - 0\.5\*' "$TMP/set.txt"
out "nntrace trace --digits 3 --steps 2 xor" >"$TMP/x.txt"
check "trace --digits 3 --steps 2 xor: two steps" sh -c "grep -qx 'Step 2' '$TMP/x.txt' && ! grep -qx 'Step 3' '$TMP/x.txt'"
check "trace --digits 3 --steps 2 xor: results at three decimals, more only to keep three significant digits (0.0207)" \
    sh -c "grep -qE '= -?[0-9]+\\.[0-9]{3}\$' '$TMP/x.txt' && grep -qE '= 0\\.0[1-9][0-9]{2}\$' '$TMP/x.txt' &&
           ! grep -E '= -?[0-9]+\\.[0-9]{4,}\$' '$TMP/x.txt' | grep -vqE '= -?0\\.0*[1-9][0-9]{2}\$'"
out "nntrace check iris" >"$TMP/check.txt"
check "check iris: every gradient beside its finite difference, within the limit" \
    sh -c "grep -q '^max relative error' '$TMP/check.txt' && ! grep -qi 'exceed\\|FAIL' '$TMP/check.txt'"
acc=$(out "nntrace train digits --epochs 20" | sed -n 's/.*epoch *20 .*held-out acc *\([0-9.]*\)%.*/\1/p')
check "train digits --epochs 20: about 92% held out (got $acc%)" \
    awk -v a="$acc" 'BEGIN { exit !(a != "" && a >= 89 && a <= 95) }'
check "train xor --epochs 2000 --save-weights xor.csv: the weights saved, one per line" \
    sh -c "[ \"\$(head -1 '$EX/xor.csv')\" = from,to,value ] && [ \$(sed 1d '$EX/xor.csv' | grep -cE '^[a-z0-9]+,[a-z0-9]+,-?[0-9]') -eq 9 ]"
check "trace --format markdown -o handout.md: a Markdown table of the weights" grep -q '^| w12 |' "$EX/handout.md"
check "trace --format latex -o handout.tex && pdflatex handout.tex: the PDF" [ -s "$EX/handout.pdf" ]
check "the man page's seed.tex && pdflatex seed.tex: the PDF" [ -s "$EX/seed.pdf" ]
check "trace --format dot --stage 6 | dot -Tsvg > network.svg: an SVG" grep -q '<svg' "$EX/network.svg"
check "the man page's --stage 3 | dot -Tsvg > net.svg: an SVG" grep -q '<svg' "$EX/net.svg"
check "trace --format jsonl -o seed.jsonl: every line JSON, 59 values" \
    sh -c "[ \$(jq -r .symbol '$EX/seed.jsonl' | wc -l) -eq 59 ]"
check "trace --format html -o lesson.html: one web page" grep -qi '^<!doctype html>' "$EX/lesson.html"
check "worksheet --sheets 30 --blank 4,5 -o sheets.tex: 30 sheets and the key" \
    sh -c "grep -qF 'section*{Sheet 30}' '$EX/sheets.tex' && ! grep -qF 'section*{Sheet 31}' '$EX/sheets.tex' && grep -qF 'section*{Answer key}' '$EX/sheets.tex'"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3          # Debian's, with python3-numpy
check "export --format numpy mnist -o part2.py: the script checks itself against the trace ($(tail -1 "$TMP/py.out" 2>/dev/null))" \
    sh -c "cd '$EX' && $PY part2.py >'$TMP/py.out' 2>&1"
check "nntrace --keys: the key table" sh -c "'$NNTRACE' --keys | grep -q '^?'"

# --- the commands that open the stepper, in tmux, typed as printed
start 120 40
keys "cd '$EX' && export PATH='$BIN':\$PATH" Enter
opens() { # opens CMD TEXT: the command typed as printed shows TEXT; q ends it with status 0
    keys "$1; echo status=\$?" Enter
    check "'$1': shows '$2'" wait_for "$2"
    keys q
    check "'$1': q ends it, status 0" wait_for "status=0"
    keys clear Enter
}
while read -r cmd; do
    interactive "$cmd" || continue
    case "$cmd" in
        nntrace) opens "$cmd" "Seed: the 2-2-2 network" ;;
        "nntrace iris") opens "$cmd" "Iris" ;;
        "nntrace xor") opens "$cmd" "XOR" ;;
        "nntrace --present"|"nntrace --present iris")   # the board, then Right reveals
            keys "$cmd; echo status=\$?" Enter
            check "'$cmd': opens on the board" wait_for "The network, its weights and the batch"
            keys Right Right Right
            check "'$cmd': the result in large block digits" wait_for "██████"
            keys q
            check "'$cmd': q ends it, status 0" wait_for "status=0"
            keys clear Enter ;;
        "nntrace --quiz --present")
            keys "$cmd; echo status=\$?" Enter
            check "'$cmd': opens on the board" wait_for "The network, its weights and the batch"
            keys Right
            check "'$cmd': Right: the first question" wait_for "Question 1 of "
            keys q
            check "'$cmd': q ends it, status 0" wait_for "status=0"
            keys clear Enter ;;
        "nntrace --quiz --digits 3") opens "$cmd" "type a number, Enter to answer" ;;
        "nntrace --at seed/1/5/3/MX") opens "$cmd" "seed/1/5/3/MX" ;;
        "nntrace --serve") opens "$cmd" "serving 127.0.0.1:7341" ;;
        "nntrace --follow teacher-pc:7341") opens "$cmd" "cannot find teacher-pc; retrying" ;;
        "nntrace --play 2")
            keys "$cmd; echo status=\$?" Enter
            check "'$cmd': opens on value 1" wait_for "value 1/8"
            check "'$cmd': one value every 2 seconds (value 2 within 3 s)" sh -c '
                for _ in $(seq 30); do '"$T"' capture-pane -p -t s | grep -qF "value 2/8" && exit 0; sleep 0.1; done; exit 1'
            keys Space
            sleep 2.5
            check "'$cmd': space pauses (still value 2 after 2.5 s)" wait_for "value 2/8"
            keys q
            check "'$cmd': q ends it, status 0" wait_for "status=0"
            keys clear Enter ;;
        # listens on every interface: a test server listens on localhost only
        "nntrace --serve 0.0.0.0:7341") ;;
        *) bad "an interactive command this test does not know: '$cmd' (add what it shows)" ;;
    esac
done <"$TMP/all"

# --- README: "man ./docs/nntrace.1 has every option"
if command -v man >/dev/null 2>&1; then
    (cd "$ROOT" && MANPAGER=cat MANWIDTH=100 man ./docs/nntrace.1) >"$TMP/man.txt" 2>/dev/null
    check "man ./docs/nntrace.1: shows the page" grep -q 'EXAMPLES' "$TMP/man.txt"
    "$NNTRACE" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$TMP/opts"
    : >"$TMP/noman"
    while read -r o; do grep -qF -- "$o" "$TMP/man.txt" || echo "$o" >>"$TMP/noman"; done <"$TMP/opts"
    check "man ./docs/nntrace.1: every option of --help ($(tr '\n' ' ' <"$TMP/noman"))" [ ! -s "$TMP/noman" ]
else
    bad "man is not installed (scripts/deps.sh test installs man-db)"
fi
finish
