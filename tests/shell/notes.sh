# Notes that tell the truth.  Every shipped lesson's notes: each live value
# ({X1:out_o1}, {E_final}, {eta}) is shown in the trace as the CSV trace's
# value of step 1 rounded to 6 digits (the seed's E_final also as the
# independent reference); every number written into a note's text is one
# of the facts of its lesson, worked out here from the lesson file and its
# data (layer sizes, weight counts, batch, rows, held-out rows, eta, the
# data's range), so
# a note that states any other number fails; every command a note quotes runs.
. "$TESTS/lib.sh"
ROOT=$(dirname "$TESTS")
cd "$ROOT" || exit 1

# facts LESSON: one number per line
facts() {
    f=$1
    key() { sed -n "s/^$1 *= *//p" "$f" | head -1; }
    data="$(dirname "$f")/$(key data)"
    rows=$(($(wc -l <"$data") - 1))
    batch=$(key batch_size); [ -n "$batch" ] || batch=$rows
    steps=$(key steps); [ -n "$steps" ] || steps=1
    test_rows=$(key test_rows); [ -n "$test_rows" ] || test_rows=0
    key layers | awk -v rows="$rows" -v batch="$batch" -v eta="$(key learning_rate)" -v steps="$steps" \
        -v test_rows="$test_rows" '{
        print 0; print 1; print 2; print rows; print batch; print eta; print steps
        if (test_rows > 0) { print test_rows; print rows - test_rows }   # held out; trained on
        print NF - 1                                    # layers of weights
        W = 0
        for (l = 1; l <= NF; l++) {
            print $l
            if (l > 1) { print $(l-1) * $l; print ($(l-1) + 1) * $l; W += ($(l-1) + 1) * $l }
        }
        print W; print $NF - 1                          # weights; the largest label
        r = int(sqrt($1) + 0.5); if (r * r == $1) print r   # a square image side
    }'
    # the data range of the input columns (not label, not y1..yO)
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) skip[i] = ($i ~ /^(label|y[0-9]+)$/); next }
             { for (i = 1; i <= NF; i++) if (!skip[i]) { if (n++ == 0 || $i < lo) lo = $i; if ($i > hi) hi = $i } }
             END { print lo + 0; print hi + 0 }' "$data"
}

for f in lessons/*.lesson; do
    name=$(basename "$f" .lesson)
    grep '^note\.[1-6] = ' "$f" >"$TMP/notes"
    check "$name has notes" [ -s "$TMP/notes" ]
    facts "$f" >"$TMP/facts"
    # 1. numbers in the text (live values and quoted commands left out; number words too)
    awk -v lesson="$name" 'NR == FNR { fact[$1 + 0] = 1; next }
        BEGIN { split("zero one two three four five six seven eight nine ten eleven twelve", w, " ")
                for (i in w) word[w[i]] = i - 1 }
        { s = $0; id = substr(s, 1, 6); sub(/^note\.[1-6] = /, "", s)
          gsub(/\{[^}]*\}/, " ", s); gsub(/\x27nntrace [^\x27]*\x27/, " ", s)
          n = split(tolower(s), t, /[^a-z]+/)
          for (i = 1; i <= n; i++) if ((t[i] in word) && !(word[t[i]] in fact)) {
              print lesson " " id ": \"" t[i] "\" is no fact of the lesson"; bad = 1 }
          while (match(s, /[0-9]+(\.[0-9]+)?/)) {
              num = substr(s, RSTART, RLENGTH); before = RSTART > 1 ? substr(s, RSTART - 1, 1) : " "
              prev = tolower(substr(s, 1, RSTART - 1)); s = substr(s, RSTART + RLENGTH)
              if (before ~ /[A-Za-z_.0-9]/) continue       # part of a name: x1, h1_2, w5
              if (prev ~ /stages? $/ && num >= 1 && num <= 6) continue   # a stage, 1 to 6
              if (!((num + 0) in fact)) { print lesson " " id ": " num " is neither a live value nor a fact of the lesson"; bad = 1 }
          } }
        END { exit bad }' "$TMP/facts" "$TMP/notes" >"$TMP/numbers"
    check "$name: every number in its notes is a fact of the lesson ($(tr '\n' ';' <"$TMP/numbers"))" [ ! -s "$TMP/numbers" ]
    # 2. live values, as the CSV trace has them
    "$NNTRACE" trace "$f" --format csv >"$TMP/csv"
    "$NNTRACE" trace "$f" | tr '\n' ' ' | tr -s ' ' >"$TMP/text"
    eta=$(sed -n 's/^learning_rate *= *//p' "$f")
    live=$(grep -c '{[A-Za-z]' "$TMP/notes")
    check "$name: its notes name live values" [ "$live" -ge 1 ]
    awk -F, -v eta="$eta" 'NR == FNR { if ($1 == 1) val[$3 "|" $4] = $5; next }
        { s = $0; sub(/^note\.[1-6] = /, "", s); out = ""
          while (match(s, /\{[^}]*\}/)) {
              name = substr(s, RSTART + 1, RLENGTH - 2); out = out substr(s, 1, RSTART - 1)
              s = substr(s, RSTART + RLENGTH)
              if (name == "eta") { out = out eta; continue }
              sample = ""; if (match(name, /^X[0-9]+:/)) { sample = substr(name, 2, RLENGTH - 2); name = substr(name, RLENGTH + 1) }
              if (!((sample "|" name) in val)) { print "NO VALUE " sample "|" name; next }
              out = out sprintf("%.6f", val[sample "|" name])
          }
          gsub(/\{\{/, "{", s); print out s }' "$TMP/csv" "$TMP/notes" | tr -s ' ' >"$TMP/expected"
    check "$name: every live value is in the CSV trace" sh -c "! grep -q '^NO VALUE' '$TMP/expected'"
    n=0
    while IFS= read -r note; do
        n=$((n + 1))
        check "$name: note $n as the trace shows it: $note" contains "$TMP/text" "$note"
    done <"$TMP/expected"
    # 3. commands the notes quote run
    grep -o "'nntrace [^']*'" "$TMP/notes" | tr -d "'" | while read -r _ args; do
        # shellcheck disable=SC2086
        "$NNTRACE" $args >"$TMP/cmd.out" 2>&1 || echo "fails: nntrace $args"
        case "$args" in *xor*) grep -q '^4 of 4 right' "$TMP/cmd.out" || echo "xor's four cases do not separate";; esac
    done >"$TMP/cmds"
    check "$name: the commands its notes quote run ($(cat "$TMP/cmds"))" [ ! -s "$TMP/cmds" ]
done

# the seed's E_final in its note, against the independent reference
ref=$(awk -F, '$4 == "E_final" { printf "%.6f", $5 }' "$TESTS/data/seed_reference.csv")
"$NNTRACE" trace | tr '\n' ' ' >"$TMP/seed"
check "seed note 3 shows E_final = $ref (reference.csv)" contains "$TMP/seed" "E_final, here $ref, is the mean"
# rounded as asked
"$NNTRACE" trace --digits 3 | tr '\n' ' ' >"$TMP/seed3"
ref3=$(awk -F, '$4 == "E_final" { printf "%.3f", $5 }' "$TESTS/data/seed_reference.csv")
check "seed note 3 at --digits 3 shows $ref3" contains "$TMP/seed3" "E_final, here $ref3, is the mean"
finish
