# nntrace trace --format html: one self-contained page that steps through the
# same events as the terminal stepper, tested in a real headless Chromium
# (tests/web/cdp.py drives it over the DevTools protocol): keys and buttons,
# every value against the independent seed reference, the figure's lighting,
# no request of any kind, untrusted text that stays text.
. "$TESTS/lib.sh"
CDP="python3 $TESTS/web/cdp.py"
REF="$TESTS/data/seed_reference.csv"

run "$NNTRACE" trace --format html -o "$TMP/seed.html"
check "html: exit 0" [ "$status" -eq 0 ]
check "html: one file, no reference to anything outside it (no src=, href=, url(), @import)" \
    sh -c "! grep -qiE 'src=|href=|url\\(|@import' '$TMP/seed.html'"
check "html: the only http in it is the SVG namespace" \
    sh -c "[ \"\$(grep -o 'https\\?://[^\"]*' '$TMP/seed.html' | sort -u)\" = 'http://www.w3.org/2000/svg' ]"
check "html: a Content-Security-Policy that forbids every request" \
    grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$TMP/seed.html"

# --- walk every value with the Right key; each result against the reference
{
    echo "text #where"
    i=0
    while [ $i -lt 59 ]; do
        echo "eval document.getElementById('symbol').textContent + ',' + document.getElementById('result').textContent"
        echo "key ArrowRight"
        i=$((i + 1))
    done
    echo "text #where"
    echo "shot $TMP/seed-end.png"
} >"$TMP/walk.txt"
$CDP "$TMP/seed.html" "$TMP/walk.txt" >"$TMP/walk.out" 2>"$TMP/walk.err"
check "chromium: the walk ran (${TMP##*/}/walk.err: $(head -c 200 "$TMP/walk.err"))" [ $? -eq 0 ]
check "the first screen: step 1, stage 1, value 1 of 8" \
    sh -c "head -1 '$TMP/walk.out' | grep -qF 'stage 1/6 1. Forward function for a hidden layer' && head -1 '$TMP/walk.out' | grep -qF 'value 1/8'"
check "Right walks the 59 values to the last: w12, stage 6, value 12/12" \
    sed -n 61p "$TMP/walk.out" | grep -qF "stage 6/6"
# "X1: net_h1,0.120000" -> stage,sample,symbol,value; the stage from the reference
grep -E '^(X[0-9]+: )?[A-Za-z_/0-9]+,-?[0-9]' "$TMP/walk.out" |
    sed 's/^X\([0-9]*\): /\1,/; /^[0-9]/!s/^/,/' >"$TMP/page.csv"
check "the page showed 59 values" [ "$(lines "$TMP/page.csv")" -eq 59 ]
check "every value the page shows is the reference's, rounded to 6 decimals (3 significant digits at least)" awk -F, "$SHOWN"'
    NR == FNR { if (FNR > 1) want[$3 "," $4] = $5; next }
    { k = $1 "," $2; if (!(k in want)) { print "not in the reference: " k; bad++; next }
      r = shown(want[k], 6)
      if (r != $3) { print k ": page " $3 ", reference " r; bad++ } n++ }
    END { exit (bad > 0 || n != 59) }' "$REF" "$TMP/page.csv"
check "chromium: no request beyond the page, no script error" \
    sh -c "grep -qx 'requests 0' '$TMP/walk.out' && grep -qx 'errors 0' '$TMP/walk.out'"
check "a screenshot was saved (PNG)" sh -c "head -c 8 '$TMP/seed-end.png' | od -An -c | grep -q 'P   N   G'"

# --- keys, buttons and the figure's lighting
cat >"$TMP/keys.txt" <<'EOS'
text #symbol
key ArrowRight
text #symbol
key ArrowLeft
text #symbol
key ArrowDown
text #where
text #symbol
key ArrowUp
key ArrowUp
text #where
key 5
text #where
text #formula
text #numbers
text #result
count #derivation .op.reused
eval [].map.call(document.querySelectorAll('#figure .cur'), function (n) { return n.getAttribute('data-unit') || n.getAttribute('data-weight'); }).join(' ')
eval [].map.call(document.querySelectorAll('#figure .reused'), function (n) { return n.getAttribute('data-unit'); }).join(' ')
eval [].map.call(document.querySelectorAll('#figure .edge.dep'), function (n) { return n.getAttribute('data-weight'); }).join(' ')
key 5
text #symbol
text #result
key End
text #symbol
text #result
eval document.querySelector('[data-weight=w12] text').textContent
key Home
text #symbol
eval document.querySelector('[data-weight=w12] text').textContent
click button[data-action=right]
text #symbol
click button[data-stage="3"]
text #symbol
click #list li
text #symbol
key 2
eval document.querySelector('[data-unit=h1]').textContent
eval document.querySelector('[data-unit=o1]').textContent
EOS
$CDP "$TMP/seed.html" "$TMP/keys.txt" >"$TMP/keys.out" 2>"$TMP/keys.err"
check "chromium: the keys ran ($(head -c 200 "$TMP/keys.err"))" [ $? -eq 0 ]
k() { sed -n "${1}p" "$TMP/keys.out"; }
check "Right: X1 net_h2" [ "$(k 2)" = "X1: net_h2" ]
check "Left: back to X1 net_h1" [ "$(k 3)" = "X1: net_h1" ]
check "Down: the start of stage 2" sh -c "echo '$(k 4)' | grep -qF 'stage 2/6' && [ '$(k 5)' = 'X1: net_o1' ]"
check "Up twice: from the start of stage 2 to the start of stage 1" sh -c "echo '$(k 6)' | grep -qF 'stage 1/6'"
check "5: the first value of stage 5" sh -c "echo '$(k 7)' | grep -qF 'stage 5/6' && echo '$(k 7)' | grep -qF 'value 1/14'"
check "stage 5's formula with names" [ "$(k 8)" = "dE_total/dout_o1*dout_o1/dnet_o1*w5 + dE_total/dout_o2*dout_o2/dnet_o2*w6" ]
check "stage 5's formula with numbers" [ "$(k 9)" = "(-0.448622)*0.247360*0.1 + 0.564510*0.245838*0.1" ]
check "stage 5's result 0.002781" [ "$(k 10)" = "0.002781" ]
check "stage 5: the 8 reused stage-4 terms marked in the two formulas" [ "$(k 11)" = "8" ]
check "the figure: h1 is the value being computed" [ "$(k 12)" = "h1" ]
check "the figure: o1 and o2, whose terms are reused, marked" [ "$(k 13)" = "o1 o2" ]
check "the figure: w5 and w6, its weights, lit" [ "$(k 14)" = "w5 w6" ]
check "5 again: the stage completed (its last value, dE_final/dw10)" [ "$(k 15)" = "dE_final/dw10" ]
check "End: the step's last value, w12 = 0.098411" sh -c "[ '$(k 17)' = 'w12' ] && [ '$(k 18)' = '0.098411' ]"
check "End: the figure's w12 shows the updated weight" [ "$(k 19)" = "w12 0.098411" ]
check "Home: the first value again, w12 back to 0.1" sh -c "[ '$(k 20)' = 'X1: net_h1' ] && [ '$(k 21)' = 'w12 0.1' ]"
check "the Right button" [ "$(k 22)" = "X1: net_h2" ]
check "the stage 3 button" [ "$(k 23)" = "X1: E_total" ]
check "a click on the list goes to that value" [ "$(k 24)" = "X1: E_total" ]
check "stage 2's first value: h1 shows X1's net and out; o1 its net, its out not yet computed" \
    sh -c "[ '$(k 25)' = 'h1net 0.120000out 0.529964' ] && [ '$(k 26)' = 'o1net 0.206242out ·' ]"

# --- the note's live value: "?" until its event is reached, then the reference's
E=$(awk -F, '$4 == "E_final" { printf "%.6f", $5 }' "$REF")
printf 'key 3\ntext #note\nkey ArrowRight\nkey ArrowRight\ntext #note\ntext #symbol\n' >"$TMP/note.txt"
$CDP "$TMP/seed.html" "$TMP/note.txt" >"$TMP/note.out" 2>"$TMP/note.err"
check "chromium: the note keys ran ($(head -c 200 "$TMP/note.err"))" [ $? -eq 0 ]
check "stage 3, X1's E_total: the note's E_final is ? ($(sed -n 1p "$TMP/note.out" | cut -c1-140))" \
    sh -c "sed -n 1p '$TMP/note.out' | grep -qF 'E_final, here ?, is the mean'"
check "at E_final: the note shows $E (reference)" sh -c "sed -n 3p '$TMP/note.out' | grep -qF 'E_final' && sed -n 2p '$TMP/note.out' | grep -qF 'E_final, here $E, is the mean'"

# --- untrusted text: title, notes and column names stay text
cat >"$TMP/evil.csv" <<'EOS'
<img src=x onerror=window.pwned=3>,x2,y1
0.1,0.2,1
EOS
cat >"$TMP/evil.lesson" <<'EOS'
title = </script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & more
layers = 2 2 1
learning_rate = 0.5
data = evil.csv
weights = random 1
note.1 = <b>bold?</b> ]]> <!-- --> \u2028 </SCRIPT >
EOS
run "$NNTRACE" trace --format html -o "$TMP/evil.html" "$TMP/evil.lesson"
check "hostile lesson: exit 0" [ "$status" -eq 0 ]
check "hostile lesson: no '<' of the lesson's text in the file's data, nor in its JSON once inflated" \
    sh -c "! sed -n '/id=\"nntrace-data\"/,/<\\/script>/p' '$TMP/evil.html' | sed '1d;\$d' | grep -q '<' &&
           sed -n '/id=\"nntrace-data\"/,/<\\/script>/p' '$TMP/evil.html' | sed '1d;\$d' | base64 -d | gunzip |
           grep -q 'script' &&
           ! sed -n '/id=\"nntrace-data\"/,/<\\/script>/p' '$TMP/evil.html' | sed '1d;\$d' | base64 -d | gunzip |
           grep -q '<'"
cat >"$TMP/evil.txt" <<'EOS'
eval String(window.pwned)
count img
count #title *, #note *, #setup *
text #title
text #note
eval document.querySelector('[data-unit=x1]').textContent
EOS
$CDP "$TMP/evil.html" "$TMP/evil.txt" >"$TMP/evil.out" 2>"$TMP/evil.err"
check "chromium: the hostile page ran ($(head -c 200 "$TMP/evil.err"))" [ $? -eq 0 ]
e() { sed -n "${1}p" "$TMP/evil.out"; }
check "no script of the lesson ran" [ "$(e 1)" = "undefined" ]
check "no element made from the lesson's text (no img; nothing inside the title, the note, the set-up)" sh -c "[ '$(e 2)' = 0 ] && [ '$(e 3)' = 0 ]"
check "the title shows as the text it is" \
    [ "$(e 4)" = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & more' ]
check "the note shows as text" sh -c "sed -n 5p '$TMP/evil.out' | grep -qF '<b>bold?</b> ]]> <!-- -->'"
check "a column name shows as text in the figure" sh -c "sed -n 6p '$TMP/evil.out' | grep -qF '<img src'"
check "hostile page: no request, no error" sh -c "grep -qx 'requests 0' '$TMP/evil.out' && grep -qx 'errors 0' '$TMP/evil.out'"

# --- larger lessons: the page opens and the figure summarises big layers
for name in deep digits; do
    run "$NNTRACE" trace "$name" --format html -o "$TMP/$name.html"
    check "$name: exit 0" [ "$status" -eq 0 ]
done
printf 'text #where\nkey 5\ntext #where\ncount #figure g.unit\nshot %s\n' "$TMP/digits.png" >"$TMP/big.txt"
$CDP "$TMP/digits.html" "$TMP/big.txt" >"$TMP/big.out" 2>"$TMP/big.err"
check "digits: opens, 5 goes to stage 5 ($(head -c 200 "$TMP/big.err"))" \
    sh -c "sed -n 2p '$TMP/big.out' | grep -qF 'stage 5/6'"
check "digits: 64 inputs and 30 hidden shown as 7 each, with the 10 outputs and 2 bias inputs" \
    [ "$(sed -n 3p "$TMP/big.out")" = 26 ]
# --- the targets beside the outputs; the matrix view (m): what the stage starts from (X, W, b
# as the walkthrough gives them, Y), entries "?" until reached, named in their titles, gradients
# where the walkthrough's numbering puts them (row h2, column o1: w7)
tab='function T(p){var t=document.querySelectorAll("#matrices table");for(var i=0;i<t.length;i++)if(t[i].caption.textContent.indexOf(p)===0)return t[i];return null;}'
ent() { printf '(function(){%s var c=T("%s").rows[%s].cells[%s]; return c.textContent+"|"+c.title;})()' "$tab" "$1" "$2" "$3"; }
caps='(function(){return Array.prototype.map.call(document.querySelectorAll("#matrices caption"),function(c){return c.textContent.split(" ")[0];}).join(",");})()'
grad='(function(){var t=document.querySelectorAll("#matrices table"), g=t[t.length-1]; return g.caption.textContent+"|"+g.rows[2].cells[1].textContent+"|"+g.rows[2].cells[1].title;})()'
printf '%s\n' "key 2" "text #figure text.target" "key 1" "key m" "eval $caps" "eval $(ent NET 2 1)" \
    "key 1" "eval $(ent NET 2 1)" "key 4" "key 4" "eval $grad" "key m" "count #matrices table" \
    "key m" "key 1" "eval $(ent X 2 2)" "eval $(ent W1 1 2)" "eval $(ent b1 1 1)" \
    "key 3" "eval $caps" "eval $(ent Y 2 2)" >"$TMP/mx.txt"
$CDP "$TMP/seed.html" "$TMP/mx.txt" >"$TMP/mx.out" 2>"$TMP/mx.err"
mx() { sed -n "${1}p" "$TMP/mx.out"; }
dw7=$(awk -F, '$4 == "dE_final/dw7" { printf "%.6f", $5 }' "$REF")
net=$(awk -F, '$3 == 2 && $4 == "net_h1" { printf "%.6f", $5 }' "$REF")
check "stage 2: X1's target y1 = 1 beside o1 ($(mx 1))" sh -c "[ \"\$(echo '$(mx 1)' | tr A-Z a-z)\" = 'y1 = 1' ]"
check "m: stage 1 as X, W1, b1, NET and OUT ($(mx 2))" [ "$(mx 2)" = "X,W1,b1,NET,OUT" ]
check "at X1:net_h1, the entry X2:net_h1 is not reached: ? ($(mx 3))" [ "$(mx 3)" = "?|X2:net_h1" ]
check "stage 1 completed: X2:net_h1 = $net (reference), named in its title" [ "$(mx 4)" = "$net|X2:net_h1" ]
check "stage 4: dE_final/dW of the output layer, row h2, column o1 is dE_final/dw7 = $dw7" \
    [ "$(mx 5)" = "dE_final/dW (layer 2) (3 x 2)|$dw7|dE_final/dw7" ]
check "m again hides the matrices" [ "$(mx 6)" = 0 ]
check "X's row X2, column x2 is the walkthrough's 0.2 ($(mx 7))" [ "$(mx 7)" = "0.2|X2:x2" ]
# the walkthrough's w2 = 0.2 (x1 -> h2), and the reference's w2 + eta dE_final/dw2 (eta 0.1) agrees
w2=$(awk -F, '$2 == 6 && $4 == "w2" { w = $5 } $4 == "dE_final/dw2" { g = $5 } END { printf "%.6f", w + 0.1 * g }' "$REF")
check "W1's row x1, column h2 is w2 before the step: the walkthrough's 0.2 ($w2 from the reference; $(mx 8))" \
    sh -c "[ '$(mx 8)' = '0.2|w2 (before)' ] && [ '$w2' = 0.200000 ]"
check "b1's column h1 is w9 before the step, 0.1 ($(mx 9))" [ "$(mx 9)" = "0.1|w9 (before)" ]
check "stage 3: the targets Y, then E_total ($(mx 10))" [ "$(mx 10)" = "Y,E_total" ]
check "Y's row X2, column o2 is X2's one-hot target 1 ($(mx 11))" [ "$(mx 11)" = "1|X2:y2" ]

# --- trace --view matrix --format html: the page opens with the matrix view showing
run "$NNTRACE" trace seed --view matrix --format html -o "$TMP/seedm.html"
check "--view matrix --format html: exit 0" [ "$status" -eq 0 ]
printf '%s\n' "eval $caps" "key m" "count #matrices table" >"$TMP/mxp.txt"
$CDP "$TMP/seedm.html" "$TMP/mxp.txt" >"$TMP/mxp.out" 2>"$TMP/mxp.err"
check "it opens on stage 1's matrices X, W1, b1, NET, OUT ($(sed -n 1p "$TMP/mxp.out"))" \
    [ "$(sed -n 1p "$TMP/mxp.out")" = "X,W1,b1,NET,OUT" ]
check "m hides them" [ "$(sed -n 2p "$TMP/mxp.out")" = 0 ]

# --- an image lesson: the sample as a picture, its label, the answer once the outputs are reached
ROOT=$(dirname "$TESTS")
dlabel=$(sed -n 2p "$ROOT/data/digits.csv" | awk -F, '{ print $NF }')
ink=$(sed -n 2p "$ROOT/data/digits.csv" | awk -F, '{ for (i = 1; i < NF; i++) n += $i > 0; print n }')
"$NNTRACE" trace digits --format csv --stage 2 --sample 1 >"$TMP/d.csv"
danswer=$(awk -F, '$4 ~ /^out_o/ { k = substr($4, 6) - 1; if (n++ == 0 || $5 > best) { best = $5; a = k } } END { print a }' "$TMP/d.csv")
printf 'text #image-title\ncount #image rect.px\nkey 3\ntext #image-title\n' >"$TMP/img.txt"
$CDP "$TMP/digits.html" "$TMP/img.txt" >"$TMP/img.out" 2>"$TMP/img.err"
check "digits: the picture's title, X1's label $dlabel, no answer yet ($(sed -n 1p "$TMP/img.out"))" \
    [ "$(sed -n 1p "$TMP/img.out")" = "X1: label $dlabel, answer ?" ]
check "digits: one dark square for each of X1's $ink inked pixels ($(sed -n 2p "$TMP/img.out"))" \
    [ "$(sed -n 2p "$TMP/img.out")" = "$ink" ]
check "digits: at stage 3 the answer is the largest output ($danswer)" \
    [ "$(sed -n 3p "$TMP/img.out")" = "X1: label $dlabel, answer $danswer" ]
printf 'key 5\nkey 5\ntext #where\ntext #symbol\n' >"$TMP/deep.txt"
$CDP "$TMP/deep.html" "$TMP/deep.txt" >"$TMP/deep.out" 2>"$TMP/deep.err"
check "deep: 5 twice ends stage 5 after both hidden layers, at layer 1's last bias (w21)" \
    sh -c "sed -n 1p '$TMP/deep.out' | grep -qF '(hidden layer 1)' && [ \"\$(sed -n 2p '$TMP/deep.out')\" = 'dE_final/dw21' ]"

# --- Part 2's network on real MNIST digits, one step: a page of at most 8 MB (its data
# compressed, 55 MB as JSON), which opens and shows the trace's first and last values
run "$NNTRACE" trace mnist --format html -o "$TMP/mnist.html"
check "mnist: exit 0" [ "$status" -eq 0 ]
bytes=$(wc -c <"$TMP/mnist.html")
check "mnist: one step's page is at most 8 MB ($bytes bytes)" [ "$bytes" -le 8000000 ]
"$NNTRACE" trace mnist --format csv >"$TMP/mnist.csv"
printf '%s\n' "eval document.getElementById('symbol').textContent + ',' + document.getElementById('result').textContent" \
    "key End" "eval document.getElementById('symbol').textContent + ',' + document.getElementById('result').textContent" \
    >"$TMP/mn.txt"
$CDP "$TMP/mnist.html" "$TMP/mn.txt" >"$TMP/mn.out" 2>"$TMP/mn.err"
check "chromium: the mnist page ran ($(head -c 200 "$TMP/mn.err"))" [ $? -eq 0 ]
first=$(awk -F, "$SHOWN"'NR == 2 { printf "X%s: %s,%s", $3, $4, shown($5, 6) }' "$TMP/mnist.csv")
last=$(tail -1 "$TMP/mnist.csv" | awk -F, "$SHOWN"'{ printf "%s,%s", $4, shown($5, 6) }')
check "mnist: the first value is the trace's ($first; page: $(sed -n 1p "$TMP/mn.out"))" \
    [ "$(sed -n 1p "$TMP/mn.out")" = "$first" ]
check "mnist: End shows the last, the trace's ($last; page: $(sed -n 2p "$TMP/mn.out"))" \
    [ "$(sed -n 2p "$TMP/mn.out")" = "$last" ]
check "mnist: no request, no error" sh -c "grep -qx 'requests 0' '$TMP/mn.out' && grep -qx 'errors 0' '$TMP/mn.out'"
finish
