# Text is never cut (issue 31): a lesson's title of 22 KB and a note of 11 KB
# (each ending in a marker; the note's first 5 KB one run of words, then live
# values all through: a writer's 4 KB or 8 KB buffer cut them) come out
# whole in every format that writes them: the text, Markdown, LaTeX, HTML
# and Graphviz traces, the matrix view in three formats, the numpy export.
. "$TESTS/lib.sh"
cd "$TMP" || exit 1
printf 'x1,x2,y1\n0.1,0.2,0\n0.3,0.4,1\n' >d.csv
{
    printf 'title = '
    for i in $(seq 2500); do printf 'Title%d ' "$i"; done
    echo 'ENDOFTITLE'
    printf 'layers = 2 2 1\nlearning_rate = 0.5\ndata = d.csv\nweights = random 1\n'
    printf 'note.1 = '
    for i in $(seq 900); do
        if [ $((i % 10)) = 0 ] && [ "$i" -gt 500 ]; then printf 'Word%d is {X1:net_h1}. ' "$i"; else printf 'Word%d. ' "$i"; fi
    done
    echo 'ENDOFNOTE'
} >long.lesson
check "the title is over 20000 bytes, the note over 11000" \
    [ "$(sed -n 1p long.lesson | wc -c)" -gt 20000 ] && [ "$(grep '^note.1' long.lesson | wc -c)" -gt 11000 ]
for f in text markdown latex html; do
    run "$NNTRACE" trace --format "$f" --steps 1 long.lesson
    check "$f: exit 0" [ "$status" -eq 0 ]
    [ "$f" = html ] && html_data "$TMP/out" >>"$TMP/out"     # the page's text is in its data
    check "$f: the whole title (its marker)" contains "$TMP/out" ENDOFTITLE
    check "$f: the whole note (its marker)" contains "$TMP/out" ENDOFNOTE
    check "$f: the note's first 5 KB run whole (to Word500)" grep -q 'Word499[^0-9]*Word500[^0-9]' "$TMP/out"
done
# the text trace: every word of the note, in order (900 words, 40 live values)
run "$NNTRACE" trace --steps 1 long.lesson
check "text: all 900 words of the note" [ "$(grep -o 'Word[0-9]*' "$TMP/out" | sort -u | wc -l)" -eq 900 ]
check "text: the live values all put in (40)" [ "$(tr '\n' ' ' <"$TMP/out" | grep -o 'is -\{0,1\}[0-9][0-9.]*\.' | wc -l)" -eq 40 ]
run "$NNTRACE" trace --format dot --stage 1 --steps 1 long.lesson
check "dot: the whole note (its marker)" contains "$TMP/out" ENDOFNOTE
# a title of 7 KB and an input column's name of 5 KB in the graph (each was cut at 4 KB)
{ printf 'title = '; for i in $(seq 900); do printf 'Title%d ' "$i"; done; echo 'ENDOFLONGTITLE'
  printf 'layers = 2 2 1\nlearning_rate = 0.5\ndata = wide.csv\nweights = random 1\n'; } >longer.lesson
{ printf 'a,'; for i in $(seq 900); do printf 'col%d' "$i"; done; printf 'END,y1\n0.1,0.2,0\n'; } >wide.csv
run "$NNTRACE" trace --format dot --steps 1 longer.lesson
check "dot: a 7 KB title whole" contains "$TMP/out" ENDOFLONGTITLE
check "dot: a 5 KB column name whole" contains "$TMP/out" col900END
for f in text markdown latex; do
    run "$NNTRACE" trace --view matrix --format "$f" --steps 1 long.lesson
    check "matrix view, $f: the whole title (its marker)" contains "$TMP/out" ENDOFTITLE
done
run "$NNTRACE" export --steps 1 long.lesson
check "export: the whole title (its marker)" contains "$TMP/out" ENDOFTITLE
run "$NNTRACE" worksheet long.lesson
check "worksheet: the whole title (its marker)" contains "$TMP/out" ENDOFTITLE
run "$NNTRACE" trace --format markdown --steps 1 longer.lesson
check "markdown: a 5 KB column name whole" contains "$TMP/out" col900END
run "$NNTRACE" trace --format latex --view matrix --steps 1 --set w1=0.5 --set w2=0.25 long.lesson
check "matrix view, latex: the edits line whole" contains "$TMP/out" "w2 = 0.25"
finish
