# The bad-input corpus (tests/bad): every case exits 2 with its expected one-line
# message and writes nothing; then the same under valgrind (memory errors, leaks).
. "$TESTS/lib.sh"
cd "$TESTS/bad" || exit 1
cases=0
expect_error() { # expect_error NAME WANT-STDERR ARGS...
    name=$1; want=$2; shift 2
    cases=$((cases + 1))
    run $WRAP "$NNTRACE" "$@"
    if [ "$status" -ne 2 ]; then bad "$name: exit $status, want 2"; return; fi
    if [ -s "$TMP/out" ]; then bad "$name: wrote to standard output"; return; fi
    got=$(cat "$TMP/err")
    if [ "$got" != "$want" ]; then bad "$name: got '$got', want '$want'"; return; fi
    ok
}
corpus() {
    cases=0
    for lesson in *.lesson; do
        name=${lesson%.lesson}
        expect_error "$name" "$(cat "$name.expect")" trace "$lesson"
    done
    # cases made here, not committed
    truncate -s 2G "$TMP/huge.csv"
    printf 'layers = 2 2 2\nlearning_rate = 0.1\ndata = %s\nweights = %s/ok-weights.csv\n' \
        "$TMP/huge.csv" "$PWD" >"$TMP/huge.lesson"
    expect_error "2 GB data file" \
        "nntrace: $TMP/huge.csv:1:1: file is 2147483648 bytes; the limit is 64 MiB" trace "$TMP/huge.lesson"
    truncate -s 2G "$TMP/huge2.lesson"
    expect_error "2 GB lesson file" \
        "nntrace: $TMP/huge2.lesson:1:1: file is 2147483648 bytes; the limit is 64 MiB" trace "$TMP/huge2.lesson"
    [ -p "$TMP/fifo.csv" ] || mkfifo "$TMP/fifo.csv"
    printf 'layers = 2 2 2\nlearning_rate = 0.1\ndata = fifo.csv\nweights = %s/ok-weights.csv\n' \
        "$PWD" >"$TMP/fifo.lesson"
    expect_error "FIFO as data" "nntrace: $TMP/fifo.lesson:3:8: '$TMP/fifo.csv' is not a regular file" \
        trace "$TMP/fifo.lesson"
    { printf 'title = '; head -c 100000 /dev/zero | tr '\0' a; printf '\n'; } >"$TMP/long.lesson"
    expect_error "100 KB line" "nntrace: $TMP/long.lesson:1:65537: line longer than 65536 bytes" \
        trace "$TMP/long.lesson"
    mkdir -p "$TMP/folder.lesson"
    expect_error "a folder as the lesson" "nntrace: $TMP/folder.lesson:1:1: is a folder, not a file" \
        trace "$TMP/folder.lesson"
    expect_error "missing lesson file" \
        "nntrace: no-such.lesson:1:1: cannot open: No such file or directory" trace no-such.lesson
    run $WRAP "$NNTRACE" trace nonesuch
    cases=$((cases + 1))
    check "unknown lesson name: exit 2" [ "$status" -eq 2 ]
    check "unknown lesson name: names the folders searched" grep -qx \
        "nntrace: nonesuch: no such lesson file, and no lesson of that name in $LESSONS_DIR, .*, $TMP/lessons (lessons: .*seed.*)" "$TMP/err"
    expect_error "check on a bad lesson" "$(cat lr-word.expect)" check lr-word.lesson
    # --set arguments: one line naming the argument, exit 2, in trace and in the stepper
    expect_error "--set unknown weight" "nntrace: --set 'w13=1': no weight w13 (the network has w1..w12)" \
        trace --set w13=1
    expect_error "--set weight 0" "nntrace: --set 'w0=1': no weight w0 (the network has w1..w12)" trace --set w0=1
    expect_error "--set sample out of range" \
        "nntrace: --set 'X3.x1=1': no X3.x1 (a sample is X1..X2 of the first step's batch, then .x<i> or .y<k>)" \
        trace --set X3.x1=1
    expect_error "--set unit out of range" "nntrace: --set 'X1.y3=1': no X1.y3 (inputs x1..x2, targets y1..y2)" \
        trace --set X1.y3=1
    expect_error "--set not a number" "nntrace: --set 'w5=abc': 'abc' is not a number" trace --set w5=abc
    expect_error "--set infinity" \
        "nntrace: --set 'w5=inf': 'inf' is not allowed: NaN and infinity are not numbers a lesson can use" \
        trace --set w5=inf
    expect_error "--set overflow" "nntrace: --set 'eta=1e999': '1e999' is out of range for a double" \
        trace --set eta=1e999
    expect_error "--set eta 0" "nntrace: --set 'eta=0': the learning rate must be more than 0" trace --set eta=0
    expect_error "--set unknown name" \
        "nntrace: --set 'beta=1': beta is not a weight (w5), eta, an input (X1.x2) or a target (X1.y1)" \
        trace --set beta=1
    expect_error "--set without =" \
        "nntrace: --set 'w5': write NAME=VALUE, e.g. w5=0.3, eta=0.5, X1.x2=0.7 or X1.y1=1" --set w5
    # a file whose size lies (procfs says 0 bytes) is read to the end, not called empty
    printf 'layers = 2 2 2\nlearning_rate = 0.1\ndata = /proc/self/status\nweights = random 1\n' >"$TMP/proc.lesson"
    expect_error "procfs file as data" \
        "nntrace: /proc/self/status:1:1: no targets: the header needs a 'label' column or columns y1..y2" \
        trace "$TMP/proc.lesson"
    # a batch of 40000 through 4096 neurons: past the int-index limit of the engine
    { echo "x1,y1"; yes "1,0" | head -n 40000; } >"$TMP/rows40k.csv"
    printf 'layers = 1 4096 1\nlearning_rate = 0.1\ndata = rows40k.csv\nweights = random 1\n' >"$TMP/batchunits.lesson"
    expect_error "batch x widest layer past the limit" \
        "nntrace: $TMP/batchunits.lesson:1:10: a batch of 40000 samples through a layer of 4096 neurons is more than 134217728 values; the limit is 134217728 (set a smaller batch_size)" \
        trace "$TMP/batchunits.lesson"
    # one column used 4096 times over 10^6 rows: 32 GB asked of 4 MB; refused at the
    # limit (not under valgrind: it fills 512 MB first)
    [ -n "$WRAP" ] && return
    if [ ! -f "$TMP/wide.csv" ]; then
        { echo "a,y1"; yes "1,0" | head -n 1000000; } >"$TMP/wide.csv"
        { echo "layers = 4096 2 1"; echo "learning_rate = 0.1"; echo "data = wide.csv";
          echo "weights = random 1"; printf 'inputs ='; yes " a" | head -n 4096 | tr -d '\n'; echo; } \
            >"$TMP/wide.lesson"
    fi
    expect_error "4096 inputs from one column of 10^6 rows" \
        "nntrace: $TMP/wide.csv:16382:1: the data would hold more than 67108864 numbers (rows x (inputs + targets) = 16381 x 4097); the limit is 67108864" \
        trace "$TMP/wide.lesson"
}
export NNTRACE_LESSONS="$TMP/lessons"
LESSONS_DIR=$("$NNTRACE" --lessons-dir)
WRAP=""
corpus
echo "  $cases bad inputs"
if [ "${SANITIZE:-}" = 1 ]; then
    echo "  (the binary is built with AddressSanitizer and UBSan: the run above was checked)"
elif command -v valgrind >/dev/null 2>&1; then
    fails_before=$fails
    WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all --show-leak-kinds=definite,indirect"
    corpus
    [ "$fails" -eq "$fails_before" ] && echo "  valgrind: $cases cases, no memory error, no leak"
else
    bad "valgrind is not installed (scripts/deps.sh test installs it)"
fi
finish
