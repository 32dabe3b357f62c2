# --set NAME=VALUE gives exactly what editing the lesson's files gives: the
# same trace in every format, apart from one header line naming the edit.
# Each lesson is first copied with its data and starting weights as files
# (the weights read exactly from the trace's JSON Lines, their edges from
# nntrace check), then edited with sed, independently of the program's --set.
. "$TESTS/lib.sh"
ROOT=$(dirname "$TESTS")
command -v jq >/dev/null 2>&1 || { bad "jq is not installed"; finish; exit 1; }

# make_lesson NAME DIR: lesson NAME in DIR as l.lesson, data.csv, weights.csv
make_lesson() {
    name=$1; dir=$2
    mkdir -p "$dir"
    src="$ROOT/lessons/$name.lesson"
    data=$(sed -n 's/^data = //p' "$src")
    sed -e 's|^data = .*|data = data.csv|' -e 's|^weights = .*|weights = weights.csv|' -e '/^init = /d' \
        "$src" >"$dir/l.lesson"
    # a label column becomes one-hot targets y1..yO, so that a target can be edited
    awk -F, -v O="$(sed -n 's/^layers = //p' "$src" | awk '{ print $NF }')" '
        NR == 1 { lab = 0; for (i = 1; i <= NF; i++) if ($i == "label") lab = i
                  if (!lab) { print; next }
                  h = ""; for (i = 1; i < lab; i++) h = h $i ","; for (k = 1; k <= O; k++) h = h "y" k (k < O ? "," : "")
                  print h; next }
        !lab { print; next }
        { r = ""; for (i = 1; i < lab; i++) r = r $i ","; for (k = 1; k <= O; k++) r = r ($lab == k - 1 ? 1 : 0) (k < O ? "," : "")
          print r }' "$(dirname "$src")/$data" >"$dir/data.csv"
    "$NNTRACE" trace "$src" --format jsonl |
        jq -r 'select(.step == 1) | .operands[] | select(.kind == "weight") | "\(.weight) \(.value)"' |
        sort -n -u >"$TMP/values"
    "$NNTRACE" check "$src" | awk 'NR > 1 { sub(/^w/, "", $1); split($2, e, "->"); print $1, e[1], e[2] }' >"$TMP/edges"
    { echo "from,to,value"
      awk 'NR == FNR { v[$1] = $2; next } ($1 in v) { print $2 "," $3 "," v[$1] }' "$TMP/values" "$TMP/edges"; } \
        >"$dir/weights.csv"
}

# same LESSON SET EDIT-COMMAND WHAT: --set SET on the copy against the copy edited by EDIT-COMMAND
same() {
    lesson=$1; set=$2; edit=$3; what=$4
    rm -rf "$TMP/a" "$TMP/e"
    make_lesson "$lesson" "$TMP/a"
    cp -r "$TMP/a" "$TMP/e"
    (cd "$TMP/e" && sh -c "$edit")
    : >"$TMP/diffs"
    for f in text csv markdown latex jsonl dot; do
        "$NNTRACE" trace "$TMP/a/l.lesson" --set "$set" --format $f >"$TMP/set.$f" 2>&1
        "$NNTRACE" trace "$TMP/e/l.lesson" --format $f >"$TMP/edited.$f" 2>&1
        grep -v -e '^Edited:' -e '^- \*\*Edited:\*\*' -e '^\\item\[Edited\]' -e '^// edited:' "$TMP/set.$f" |
            cmp -s - "$TMP/edited.$f" || echo "$f" >>"$TMP/diffs"
    done
    check "$lesson: --set $set equals editing $what, in every format ($(tr '\n' ' ' <"$TMP/diffs"))" [ ! -s "$TMP/diffs" ]
    "$NNTRACE" trace "$TMP/a/l.lesson" --format text >"$TMP/plain.text"
    check "$lesson: --set $set changes the trace" sh -c "! cmp -s '$TMP/plain.text' '$TMP/edited.text'"
    check "$lesson: --set $set: text trace one line longer, naming the edit" sh -c \
        "[ \$(wc -l <'$TMP/set.text') -eq \$((\$(wc -l <'$TMP/edited.text') + 1)) ] && grep -q '^Edited:   $(echo "$set" | sed 's/=.*//') = ' '$TMP/set.text'"
}

# seed: w5 is h1 -> o1; sample X2 of step 1 is data row 2 (file line 3)
same seed w5=0.3 "sed -i 's/^h1,o1,.*/h1,o1,0.3/' weights.csv" "the weights file"
same seed eta=0.5 "sed -i 's/^learning_rate = .*/learning_rate = 0.5/' l.lesson" "the lesson's learning_rate"
same seed X2.x2=0.5 "awk -F, -v OFS=, 'NR == 3 { \$2 = 0.5 } { print }' data.csv >d && mv d data.csv" "the data file"
same seed X1.y1=0.25 "awk -F, -v OFS=, 'NR == 2 { \$3 = 0.25 } { print }' data.csv >d && mv d data.csv" "a target in the data file"
# xor: w3 is x2 -> h1; batch = all 4 rows
same xor w3=-2.5 "sed -i 's/^x2,h1,.*/x2,h1,-2.5/' weights.csv" "the weights file"
same xor X3.x1=0.5 "awk -F, -v OFS=, 'NR == 4 { \$1 = 0.5 } { print }' data.csv >d && mv d data.csv" "the data file"
same xor X4.y1=0.25 "awk -F, -v OFS=, 'NR == 5 { \$3 = 0.25 } { print }' data.csv >d && mv d data.csv" "a target"
same xor eta=1 "sed -i 's/^learning_rate = .*/learning_rate = 1/' l.lesson" "the learning_rate"
# deep: w25 is the bias into o1
same deep w25=0.75 "sed -i 's/^1,o1,.*/1,o1,0.75/' weights.csv" "the weights file"
same deep X2.x2=0.3 "awk -F, -v OFS=, 'NR == 3 { \$2 = 0.3 } { print }' data.csv >d && mv d data.csv" "the data file"
same deep X1.y1=0.9 "awk -F, -v OFS=, 'NR == 2 { \$3 = 0.9 } { print }' data.csv >d && mv d data.csv" "a target"
# a standardized lesson: an input is edited as read, then the column is scaled again
run "$NNTRACE" trace iris --set X1.x1=7.5 --format csv
check "iris (standardized): --set X1.x1 runs" [ "$status" -eq 0 ]
# a value that overflows is named: step, stage, sample, symbol, value (issue 30); the seed's notes
# name live values, so a second engine computes them first: its failure is named as well
run "$NNTRACE" trace --set X1.y1=1e308
check "target 1e308: exit 1 (got $status)" [ "$status" -eq 1 ]
check "target 1e308: names stage 3, X1's E_total, inf ($(cat "$TMP/err"))" \
    grep -qx "nntrace: step 1, stage 3: X1's E_total = inf is not a finite number (an input, target or weight is too large)" "$TMP/err"
finish
