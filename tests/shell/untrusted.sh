# Untrusted text (title, notes, column names holding escape sequences, carriage
# returns, bytes that are not UTF-8, Markdown pipes, LaTeX specials) never
# reaches any output raw.
. "$TESTS/lib.sh"
ESC=$(printf '\033')
CR=$(printf '\r')
printf '"col|one\033]2;owned\007","two\r$%%_{}\\","bad\377\376",label\n0.1,0.2,0.3,0\n0.4,0.5,0.6,1\n' >"$TMP/evil.csv"
printf 'title = T\033[2J | *x* $\\alpha$ 100%% #1 ~ ^ _ {a}\nlayers = 3 2 2\nlearning_rate = 0.5\ndata = evil.csv\nweights = random 1\nnote.1 = N\033[31m | <b> & %% \\\\ end\n' >"$TMP/evil.lesson"
for f in text csv markdown latex jsonl dot; do
    run "$NNTRACE" trace --format $f "$TMP/evil.lesson"
    cp "$TMP/out" "$TMP/out.$f"
    check "$f: exit 0" [ "$status" -eq 0 ]
    check "$f: no raw ESC byte" sh -c "! grep -q '$ESC' '$TMP/out.$f'"
done
for f in text markdown latex dot; do
    check "$f: no raw carriage return" sh -c "! grep -q '$CR' '$TMP/out.$f'"
    check "$f: no byte that is not UTF-8" sh -c "iconv -f UTF-8 -t UTF-8 '$TMP/out.$f' >/dev/null 2>&1"
done
check "text: ESC shown as ^[" grep -qF 'T^[[2J' "$TMP/out.text"
check "markdown: title pipes and stars escaped" grep -qF 'T^\[\[2J \| \*x\* \$\\alpha\$' "$TMP/out.markdown"
check "markdown: column names escaped in the data table" grep -qF 'col\|one^\[\]2;owned^G' "$TMP/out.markdown"
check "markdown: a carriage return shown as ^M" grep -qF 'two^M\$%\_\{\}\\' "$TMP/out.markdown"
check "markdown: bad bytes shown as \\xFF" grep -qF 'bad\\xFF\\xFE' "$TMP/out.markdown"
check "jsonl: every line is JSON" jq -e . "$TMP/out.jsonl" >/dev/null
check "csv: parses as CSV, every row 7 fields" sh -c "awk -F, 'NR > 1 && NF < 7 { bad = 1 } END { exit bad }' '$TMP/out.csv'"
check "csv: has the step's rows (an empty file would pass the check above)" [ "$(lines "$TMP/out.csv")" -gt 40 ]
check "dot: renders" sh -c "dot -Tsvg '$TMP/out.dot' >/dev/null"
check "dot: the bad bytes shown as \\xFF" grep -qF 'bad\\xFF\\xFE' "$TMP/out.dot"
if command -v pdflatex >/dev/null 2>&1; then
    (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error out.latex >evil.pdflog 2>&1)
    check "latex: compiles with every special in the title and note" [ -s "$TMP/out.pdf" ]
fi
# a title that is not UTF-8 is refused with its place, not echoed raw
printf 'title = caf\351 \033[2J\nlayers = 3 2 2\nlearning_rate = 0.5\ndata = evil.csv\nweights = random 1\n' >"$TMP/latin1.lesson"
run "$NNTRACE" trace "$TMP/latin1.lesson"
check "a Latin-1 title: exit 2" [ "$status" -eq 2 ]
check "a Latin-1 title: no raw ESC in the message" sh -c "! grep -q '$ESC' '$TMP/err'"

# long untrusted text is kept whole (and valid UTF-8, escapes intact)
cp "$TMP/evil.csv" "$TMP/long.csv"
{ printf 'title = '; i=0; while [ $i -lt 3000 ]; do printf 'é'; i=$((i + 1)); done; printf '\n'
  printf 'layers = 3 2 2\nlearning_rate = 0.5\ndata = long.csv\nweights = random 1\n'
  printf 'note.6 = '; i=0; while [ $i -lt 3000 ]; do printf '\\"'; i=$((i + 1)); done; printf '\n'; } >"$TMP/long.lesson"
{ printf 'title = '; i=0; while [ $i -lt 5000 ]; do printf '\\'; i=$((i + 1)); done; printf '\n'
  printf 'layers = 3 2 2\nlearning_rate = 0.5\ndata = long.csv\nweights = random 1\n'; } >"$TMP/backslash.lesson"
for f in text markdown latex dot; do
    run "$NNTRACE" trace --format $f "$TMP/long.lesson"
    cp "$TMP/out" "$TMP/long.$f"
    check "long title, $f: valid UTF-8 (no character cut in half)" sh -c "iconv -f UTF-8 -t UTF-8 '$TMP/long.$f' >/dev/null 2>&1"
done
check "long title, text: all 3000 characters kept" [ "$(head -1 "$TMP/long.text" | grep -o 'é' | wc -l)" -eq 3000 ]
check "long note with quotes, dot: renders (no \\ cut from its quote)" sh -c "dot -Tsvg '$TMP/long.dot' >/dev/null 2>&1"
run "$NNTRACE" trace --format dot "$TMP/backslash.lesson"
cp "$TMP/out" "$TMP/bs.dot"
check "5000 backslashes, dot: renders" sh -c "dot -Tsvg '$TMP/bs.dot' >/dev/null 2>&1"
run "$NNTRACE" trace --format latex "$TMP/backslash.lesson"
cp "$TMP/out" "$TMP/bs.tex"
check "5000 backslashes, latex: no \\textbackslash cut short" sh -c "! grep -q 'textbacks[^l]' '$TMP/bs.tex' && ! grep -q 'textbacks\$' '$TMP/bs.tex'"
if command -v pdflatex >/dev/null 2>&1; then
    (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error bs.tex >bs.pdflog 2>&1)
    check "5000 backslashes, latex: compiles" [ -s "$TMP/bs.pdf" ]
fi

# notes whose math would not compile are left as text: a double subscript or
# superscript, a script with nothing in it (each once failed the handout)
{ printf 'layers = 3 2 2\nlearning_rate = 0.5\ndata = long.csv\nweights = random 1\n'
  printf 'note.1 = the value out_h2_1 here, and a_b_c\n'
  printf 'note.2 = see x^a^b here\n'
  printf 'note.3 = a typo x^^2 here\n'
  printf 'note.4 = and x_1^ here, and x^\n'
  printf 'note.5 = mixed out_h1^2_3 end\n'
  printf 'note.6 = fine: e^(-z) and x_1^2 and (a+b)^2\n'; } >"$TMP/scripts.lesson"
run "$NNTRACE" trace --format latex -o "$TMP/scripts.tex" "$TMP/scripts.lesson"
check "notes with odd scripts, latex: exit 0" [ "$status" -eq 0 ]
check "out_h2_1: one subscript, h2_1" grep -qF '$\mathit{out}_{\mathrm{h2\_1}}$' "$TMP/scripts.tex"
check "x^a^b: left as text" grep -qF 'see x\textasciicircum{}a\textasciicircum{}b here' "$TMP/scripts.tex"
check "e^(-z), x_1^2, (a+b)^2: still math" grep -qF '$e^{-z}$ and $x_{\mathrm{1}}^{2}$ and $(a+b)^{2}$' "$TMP/scripts.tex"
if command -v pdflatex >/dev/null 2>&1; then
    (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error scripts.tex >scripts.pdflog 2>&1)
    check "notes with odd scripts, latex: compiles ($(grep -m1 '^!' "$TMP/scripts.log" 2>/dev/null))" [ -s "$TMP/scripts.pdf" ]
else
    bad "pdflatex is not installed (scripts/deps.sh test installs it)"
fi

# bidi controls, line separators and C1 controls are shown, never written raw
RLO=$(printf '\342\200\256'); LSEP=$(printf '\342\200\250'); NEL=$(printf '\302\205'); CSI=$(printf '\302\233')
printf 'title = abc\342\200\256def\342\200\250ghi\302\205jkl\302\233x\nlayers = 3 2 2\nlearning_rate = 0.5\ndata = long.csv\nweights = random 1\nnote.1 = n\342\201\247o\n' >"$TMP/bidi.lesson"
for f in text markdown dot latex jsonl; do
    run "$NNTRACE" trace --format $f "$TMP/bidi.lesson"
    cp "$TMP/out" "$TMP/bidi.$f"
    check "bidi, $f: exit 0" [ "$status" -eq 0 ]
    for c in "$RLO" "$LSEP" "$NEL" "$CSI" "$(printf '\342\201\247')"; do
        check "bidi, $f: no raw $(printf %s "$c" | od -An -tx1 | tr -d ' ')" sh -c "! grep -qF '$c' '$TMP/bidi.$f'"
    done
done
check "bidi, text: U+202E shown as <U+202E>" grep -qF 'abc<U+202E>def<U+2028>ghi\x85jkl\x9Bx' "$TMP/bidi.text"
# every invisible format character (Default_Ignorable, Bidi_Control), of 2, 3 and 4 bytes:
# U+061C (the Arabic letter mark), U+200B, U+FEFF, a tag U+E0041; in every format
printf 'title = p\330\234q\342\200\213r\357\273\277s\363\240\201\201t\nlayers = 3 2 2\nlearning_rate = 0.5\ndata = long.csv\nweights = random 1\n' >"$TMP/ignorable.lesson"
for f in text markdown dot latex jsonl html; do
    run "$NNTRACE" trace --format $f "$TMP/ignorable.lesson"
    [ "$f" = html ] && html_data "$TMP/out" >>"$TMP/out"     # the page's text is in its data
    for c in '\330\234' '\342\200\213' '\357\273\277' '\363\240\201\201'; do
        check "invisible, $f: no raw $c" sh -c "! grep -qF \"\$(printf '$c')\" '$TMP/out'"
    done
done
run "$NNTRACE" trace "$TMP/ignorable.lesson"
check "invisible, text: each shown by its code point" grep -qF 'p<U+061C>q<U+200B>r<U+FEFF>s<U+E0041>t' "$TMP/out"
finish
