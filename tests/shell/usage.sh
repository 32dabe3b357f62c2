# Bad usage: one line on standard error, exit status 2, nothing on standard output.
. "$TESTS/lib.sh"
usage_error() { # usage_error DESC ARGS...
    desc=$1; shift
    run "$NNTRACE" "$@"
    check "$desc: exit 2" [ "$status" -eq 2 ]
    check "$desc: one line on stderr" [ "$(lines "$TMP/err")" -eq 1 ]
    check "$desc: starts with 'nntrace: '" grep -q '^nntrace: ' "$TMP/err"
    check "$desc: nothing on stdout" [ ! -s "$TMP/out" ]
}
usage_error "unknown option" trace --bogus
usage_error "bad --digits" trace --digits abc
usage_error "negative --digits" trace --digits -1
usage_error "too many --digits" trace --digits 18
usage_error "--digits without value" trace --digits
usage_error "bad --steps" trace --steps 0
usage_error "unknown format" trace --format pdf
usage_error "two lessons" trace a b
usage_error "missing lesson file" trace /nonexistent/x.lesson
usage_error "unknown top-level option" --frobnicate
run "$NNTRACE" --help
check "--help exits 0" [ "$status" -eq 0 ]
check "--help mentions trace" contains "$TMP/out" "nntrace trace"
run "$NNTRACE" --version
check "--version" grep -q '^nntrace [0-9]' "$TMP/out"
for sub in trace train check; do
    run "$NNTRACE" $sub --help
    check "$sub --help: exit 0" [ "$status" -eq 0 ]
    check "$sub --help: usage on stdout" grep -q "^usage: nntrace $sub" "$TMP/out"
    check "$sub --help: nothing on stderr" [ ! -s "$TMP/err" ]
done
# lessons by name from any folder (the lessons folder beside the binary), typos named
run sh -c "cd / && '$NNTRACE' trace xor"
check "trace xor from another folder: exit 0" [ "$status" -eq 0 ]
check "trace xor from another folder: the XOR lesson" grep -q "XOR" "$TMP/out"
run sh -c "cd / && '$NNTRACE' trace xro"
check "a typo: exit 2" [ "$status" -eq 2 ]
check "a typo: did you mean xor?" grep -q "did you mean xor?" "$TMP/err"
check "a typo: lists the lessons" grep -q "deep, digits, iris, mnist, mnist-ce, seed, softmax, xor" "$TMP/err"
check "a typo: one line" [ "$(lines "$TMP/err")" -eq 1 ]
# options before the subcommand are its options (issue 19)
"$NNTRACE" trace --digits 3 >"$TMP/after.txt"
run "$NNTRACE" --digits 3 trace
check "nntrace --digits 3 trace is nntrace trace --digits 3" sh -c "[ $status -eq 0 ] && cmp -s '$TMP/out' '$TMP/after.txt'"
"$NNTRACE" trace xor --format csv --steps 2 >"$TMP/after.csv"
run "$NNTRACE" --format csv --steps 2 trace xor
check "nntrace --format csv --steps 2 trace xor: the same as after it" cmp -s "$TMP/out" "$TMP/after.csv"
# the usage line's nntrace --serve [PORT] [LESSON], as printed: the port, then the lesson
# (no terminal here: it gets as far as asking for one)
for words in "--serve 7341 seed" "--serve 127.0.0.1:7341 xor" "--serve localhost:7341 seed"; do
    # shellcheck disable=SC2086
    run "$NNTRACE" $words </dev/null
    check "nntrace $words: the port and the lesson taken (not an unknown command)" \
        sh -c "! grep -q 'unknown command' '$TMP/err' && grep -q 'needs a terminal' '$TMP/err'"
done
finish
