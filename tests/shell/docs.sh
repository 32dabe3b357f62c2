# docs/interface.tsv is the one table of options and keys: every long option
# in src/cli is in it, its key rows are the stepper's key table (nntrace
# --keys), and the man page, the README and nntrace --help name every row.
. "$TESTS/lib.sh"
ROOT="$TESTS/.."
TABLE="$ROOT/docs/interface.tsv"
MAN="$ROOT/docs/nntrace.1"
README="$ROOT/README.md"
grep -v '^#' "$TABLE" >"$TMP/table"
check "the table has options and keys" [ "$(grep -c '^option' "$TMP/table")" -ge 15 ]
# every long option of the program is in the table, for its command
for pair in step:cmd_step.c trace:cmd_trace.c train:cmd_train.c worksheet:cmd_worksheet.c export:cmd_export.c check:cmd_check.c; do
    cmd=${pair%%:*}; file=${pair#*:}
    grep -o '{ "[a-z-]*", *[a-z_]*_argument' "$ROOT/src/cli/$file" | sed 's/{ "\([a-z-]*\)".*/--\1/' |
    while read -r opt; do
        if [ "$opt" = --help ]; then
            grep -q "^option	all	--help	" "$TMP/table" || echo "$cmd $opt"
        else
            grep -q "^option	$cmd	$opt	" "$TMP/table" || echo "$cmd $opt"
        fi
    done >>"$TMP/missing"
done
check "every long option in src/cli is in docs/interface.tsv ($(tr '\n' ' ' <"$TMP/missing" 2>/dev/null))" [ ! -s "$TMP/missing" ]
# ... and every row is in the man page, the README and the usage
"$NNTRACE" --help >"$TMP/usage"
awk -F'\t' '$1 == "option" { print $3 }' "$TMP/table" | sort -u | while read -r opt; do
    manopt=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$manopt" "$MAN" || echo "man page: $opt"
    grep -q -- "$opt" "$README" || echo "README: $opt"
    grep -q -- "$opt" "$TMP/usage" || echo "nntrace --help: $opt"
done >"$TMP/undocumented"
check "every option in the man page, README and --help ($(tr '\n' ',' <"$TMP/undocumented"))" [ ! -s "$TMP/undocumented" ]
# keys: one table (src/tui/keys.c) that nntrace --keys prints; the interface
# table's key rows and the README's are that output, row for row, meaning
# and all, and the man page names every key
run "$NNTRACE" --keys
check "nntrace --keys: exit 0" [ "$status" -eq 0 ]
cp "$TMP/out" "$TMP/keys"
check "nntrace --keys lists keys" [ "$(lines "$TMP/keys")" -ge 20 ]
awk -F'\t' '$1 == "key" { print $3 "\t" $4 }' "$TMP/table" >"$TMP/table_keys"
check "docs/interface.tsv's key rows are nntrace --keys ($(diff "$TMP/keys" "$TMP/table_keys" | head -3 | tr '\n' ' '))" \
    cmp -s "$TMP/keys" "$TMP/table_keys"
sed -n '/^| key | what |$/,/^$/p' "$README" | sed -n 's/^| `\(.*\)` | \(.*\) |$/\1\t\2/p' >"$TMP/readme_keys"
check "the README's key rows are nntrace --keys ($(diff "$TMP/keys" "$TMP/readme_keys" | head -3 | tr '\n' ' '))" \
    cmp -s "$TMP/keys" "$TMP/readme_keys"
cut -f1 "$TMP/keys" | while read -r key; do
    case "$key" in
        "1 .. 6") grep -qF '.BR 1 " .. " 6' "$MAN" || echo "man page: $key" ;;
        -) grep -qxF '.B \-' "$MAN" || echo "man page: $key" ;;
        *) grep -qE "^\.B[RI]? +\"?$(printf '%s' "$key" | sed 's/[][?.+\\]/\\&/g')( |\"|$)" "$MAN" ||
               grep -qE "^\.BR? .*[ \"]$(printf '%s' "$key" | sed 's/[][?.+\\]/\\&/g')( |\"|$)" "$MAN" || echo "man page: $key" ;;
    esac
done >"$TMP/keys_missing"
check "every key in the man page ($(tr '\n' ',' <"$TMP/keys_missing"))" [ ! -s "$TMP/keys_missing" ]
# the man page and the README describe what the program does now
check "man page: no 'one hidden layer, sigmoid activations, quadratic loss' claim" \
    sh -c "! grep -q 'one hidden layer, sigmoid activations, quadratic loss' '$MAN'"
check "man page: the train subcommand" grep -q '^\.B nntrace train' "$MAN"
check "man page: the deep lesson" grep -q 'deep' "$MAN"

# the lists the program can give: every shipped lesson named where lessons are
# listed, every activation and loss the loader accepts where they are listed
FORMATS="$ROOT/docs/formats.md"
: >"$TMP/lists"
tr '\n' ' ' <"$MAN" | sed 's/.*name of a shipped lesson:\(.*\)\.B trace.*/\1/' >"$TMP/man_lessons"
"$NNTRACE" --help | tr '\n' ' ' | sed 's/.*name of an installed one (\([^)]*\)).*/\1/' >"$TMP/help_lessons"
for f in "$ROOT"/lessons/*.lesson; do
    name=$(basename "$f" .lesson)
    grep -qw -- "$name" "$TMP/man_lessons" || echo "man page's lessons: $name" >>"$TMP/lists"
    grep -qw -- "$name" "$TMP/help_lessons" || echo "--help's lessons: $name" >>"$TMP/lists"
done
printf 'layers = 2 2 1\nlearning_rate = 1\ndata = d.csv\nweights = random 1\nactivation = nosuch\n' >"$TMP/act.lesson"
printf 'x1,x2,y1\n1,2,1\n' >"$TMP/d.csv"
"$NNTRACE" trace "$TMP/act.lesson" 2>&1 | sed -n 's/.*is not one of \(.*\)/\1/p' | tr -d ',' >"$TMP/acts"
check "the loader lists its activations ($(cat "$TMP/acts"))" [ "$(wc -w <"$TMP/acts")" -ge 5 ]
grep '^| `activation`' "$FORMATS" >"$TMP/act_row"
sed -n '/^the result\. Networks have/,/^\.PP/p' "$MAN" >"$TMP/man_acts"
for a in $(cat "$TMP/acts"); do
    grep -q -- "\`$a\`" "$TMP/act_row" || echo "formats.md's activation row: $a" >>"$TMP/lists"
    grep -qw -- "$a" "$TMP/man_acts" || echo "man page's activations: $a" >>"$TMP/lists"
done
check "every lesson, activation listed where the docs list them ($(tr '\n' ';' <"$TMP/lists"))" [ ! -s "$TMP/lists" ]
check "formats.md's loss row: no clamp (there is none)" sh -c "! grep '^| \`loss\`' '$FORMATS' | grep -q clamped"
check "formats.md's CSV symbols: dE_total/dnet_o<k> (the cross-entropy's)" grep -qF '`dE_total/dnet_o<k>`' "$FORMATS"
finish
