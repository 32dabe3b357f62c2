# docs/interface.tsv is the one table of options and keys: every long option
# in src/cli and every key of the help screen is in it, and the man page, the
# README and nntrace --help name every row of it.
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
# keys: the help screen's table and the interface table agree
sed -n '/static const char \*const lines/,/};/p' "$ROOT/src/tui/screen_help.c" |
    grep -o '{ "[^"]*"' | sed 's/{ "//; s/"$//' >"$TMP/help_keys"
check "the help screen lists keys" [ "$(lines "$TMP/help_keys")" -ge 10 ]
awk -F'\t' '$1 == "key" { print $3 }' "$TMP/table" | while read -r key; do
    grep -qF -- "$key" "$TMP/help_keys" || echo "help screen: $key"
    case "$key" in
        "1 .. 6") grep -qF '.BR 1 " .. " 6' "$MAN" || echo "man page: $key" ;;
        *) grep -qE "^\.B[RI]? +\"?$(printf '%s' "$key" | sed 's/[][?.+\\]/\\&/g')( |\"|$)" "$MAN" ||
               grep -qE "^\.BR? .*[ \"]$(printf '%s' "$key" | sed 's/[][?.+\\]/\\&/g')( |\"|$)" "$MAN" || echo "man page: $key" ;;
    esac
    grep -qF -- "| \`$key\` |" "$README" || echo "README: $key"
done >"$TMP/keys_missing"
check "every key on the help screen, in the man page and the README ($(tr '\n' ',' <"$TMP/keys_missing"))" [ ! -s "$TMP/keys_missing" ]
# every key on the help screen is in the table
while read -r row; do
    first=$(printf '%s' "$row" | awk '{ print $1 }')
    case "$first" in 1) first="1 .. 6" ;; esac
    awk -F'\t' -v k="$first" '$1 == "key" && $3 == k { found = 1 } END { exit !found }' "$TMP/table" ||
        echo "$first"
done <"$TMP/help_keys" >"$TMP/keys_extra"
check "every help-screen key is in the table ($(tr '\n' ',' <"$TMP/keys_extra"))" [ ! -s "$TMP/keys_extra" ]
# the man page and the README describe what the program does now
check "man page: no 'one hidden layer, sigmoid activations, quadratic loss' claim" \
    sh -c "! grep -q 'one hidden layer, sigmoid activations, quadratic loss' '$MAN'"
check "man page: the train subcommand" grep -q '^\.B nntrace train' "$MAN"
check "man page: the deep lesson" grep -q 'deep' "$MAN"
finish
