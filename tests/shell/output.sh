# -o FILE is written whole or not at all; write errors exit 1.
. "$TESTS/lib.sh"
run "$NNTRACE" trace -o "$TMP/seed.txt"
check "-o exits 0" [ "$status" -eq 0 ]
check "-o leaves stdout empty" [ ! -s "$TMP/out" ]
"$NNTRACE" trace >"$TMP/stdout.txt"
check "-o file equals stdout" cmp -s "$TMP/seed.txt" "$TMP/stdout.txt"
check "no temporary file left" [ "$(ls -A "$TMP" | grep -c '^\.')" -eq 0 ]
# a run that fails after the file was opened (a blow-up at step 3) leaves the old file
cp "$TESTS/../data/xor.csv" "$TMP/"
printf 'layers = 2 2 1\nactivation = linear\nlearning_rate = 1e6\ndata = xor.csv\nweights = random 1\n' >"$TMP/blowup.lesson"
echo "old content" >"$TMP/keep.csv"
run "$NNTRACE" trace --format csv --steps 100 -o "$TMP/keep.csv" "$TMP/blowup.lesson"
check "a failed run: exit 1" [ "$status" -eq 1 ]
check "a failed run leaves the old file" [ "$(cat "$TMP/keep.csv")" = "old content" ]
check "a failed run leaves no temporary file" [ "$(ls -A "$TMP" | grep -c '^\.keep')" -eq 0 ]
check "a failed run: the message is the engine's, not a write failure" \
    sh -c "grep -q 'not a finite number' '$TMP/err' && ! grep -q 'keep.csv' '$TMP/err'"
run "$NNTRACE" trace -o "$TMP/no/such/dir/x.txt"
check "unwritable folder: exit 1" [ "$status" -eq 1 ]
check "unwritable folder: one line" [ "$(lines "$TMP/err")" -eq 1 ]
# a signal during a long trace -o leaves the old file, and no temporary file
for sig in INT TERM QUIT USR1 ALRM; do
    echo "old content" >"$TMP/long.csv"
    "$NNTRACE" trace "$TESTS/../lessons/digits.lesson" --steps 100000 --format csv -o "$TMP/long.csv" 2>/dev/null &
    pid=$!
    sleep 1
    kill -$sig $pid
    for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    kill -0 $pid 2>/dev/null && kill -9 $pid   # bounded: a process that ignored the signal
    wait $pid
    st=$?
    check "SIG$sig during trace -o: killed by the signal (status $st)" [ "$st" -gt 128 ]
    check "SIG$sig during trace -o: the old file is intact" [ "$(cat "$TMP/long.csv")" = "old content" ]
    check "SIG$sig during trace -o: no temporary file left" [ "$(ls -A "$TMP" | grep -c '^\.long\.csv\.')" -eq 0 ]
done

# devices and links: never replaced by a regular file
run "$NNTRACE" trace -o /dev/null
check "-o /dev/null: exit 0" [ "$status" -eq 0 ]
check "-o /dev/null: /dev/null is still a device" [ -c /dev/null ]
run "$NNTRACE" trace -o /dev/full
check "-o /dev/full: exit 1" [ "$status" -eq 1 ]
check "-o /dev/full: says the write failed" grep -q 'write failed' "$TMP/err"
check "-o /dev/full: still a device" [ -c /dev/full ]
echo old >"$TMP/target.txt"
ln -s target.txt "$TMP/link.txt"
run "$NNTRACE" trace -o "$TMP/link.txt"
check "-o through a symbolic link: the link stays a link" [ -L "$TMP/link.txt" ]
check "-o through a symbolic link: the file it points to is written" cmp -s "$TMP/target.txt" "$TMP/stdout.txt"
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/from-fifo.txt" &
run "$NNTRACE" trace -o "$TMP/fifo"
wait
check "-o a FIFO: written through" cmp -s "$TMP/from-fifo.txt" "$TMP/stdout.txt"
check "-o a FIFO: still a FIFO" [ -p "$TMP/fifo" ]
if [ -w /dev/full ]; then
    run sh -c "'$NNTRACE' trace --steps 50 >/dev/full"
    check "write to /dev/full: exit 1" [ "$status" -eq 1 ]
    check "write to /dev/full: says so" grep -q 'write failed' "$TMP/err"
fi

# output naming a descriptor already open is written through it, never reopened
echo "log line" >"$TMP/log.txt"
sh -c "'$NNTRACE' trace -o /dev/stdout >>'$TMP/log.txt'"
check "-o /dev/stdout >> log: the log keeps its first line" [ "$(head -1 "$TMP/log.txt")" = "log line" ]
check "-o /dev/stdout >> log: the trace follows it" [ "$(sed 1d "$TMP/log.txt")" = "$(cat "$TMP/stdout.txt")" ]
echo "log line" >"$TMP/log2.txt"
sh -c "'$NNTRACE' trace -o /dev/fd/3 3>>'$TMP/log2.txt'"
check "-o /dev/fd/3 3>> log: appended" [ "$(sed 1d "$TMP/log2.txt")" = "$(cat "$TMP/stdout.txt")" ]
check "-o /dev/stdout: a regular file was not put in place of the log" [ "$(head -1 "$TMP/log2.txt")" = "log line" ]

# the target's mode is kept; a dangling link is written through
echo old >"$TMP/private.txt"; chmod 600 "$TMP/private.txt"
run "$NNTRACE" trace -o "$TMP/private.txt"
check "-o keeps a 0600 target's mode" [ "$(stat -c %a "$TMP/private.txt")" = 600 ]
ln -s not-yet.txt "$TMP/dangling.txt"
run "$NNTRACE" trace -o "$TMP/dangling.txt"
check "-o a dangling link: exit 0" [ "$status" -eq 0 ]
check "-o a dangling link: still a link" [ -L "$TMP/dangling.txt" ]
check "-o a dangling link: its target written" cmp -s "$TMP/not-yet.txt" "$TMP/stdout.txt"

# a 250-byte file name (the longest the temporary name used to allow was 247)
long=$(printf 'n%.0s' $(seq 250))
run "$NNTRACE" trace -o "$TMP/$long"
check "-o a 250-byte name: exit 0 ($(head -c 80 "$TMP/err"))" [ "$status" -eq 0 ]
check "-o a 250-byte name: written" cmp -s "$TMP/$long" "$TMP/stdout.txt"

# empty names are refused before any work
run "$NNTRACE" trace -o ""
check "-o '': exit 2" [ "$status" -eq 2 ]
check "-o '': says the name is empty" grep -q "empty" "$TMP/err"
run "$NNTRACE" train "$TESTS/../lessons/xor.lesson" --epochs 1 --save-weights ""
check "--save-weights '': exit 2" [ "$status" -eq 2 ]
check "--save-weights '': nothing trained first" [ ! -s "$TMP/out" ]

# every command checks that standard output was written
if [ -w /dev/full ]; then
    for args in "check" "--help" "--version" "trace" "train $TESTS/../lessons/xor.lesson --epochs 1"; do
        # shellcheck disable=SC2086
        run sh -c "'$NNTRACE' $args >/dev/full"
        check "$args >/dev/full: exit 1 (got $status)" [ "$status" -eq 1 ]
        check "$args >/dev/full: one line" [ "$(lines "$TMP/err")" -eq 1 ]
    done
    run "$NNTRACE" train "$TESTS/../lessons/xor.lesson" --epochs 1 --save-weights /dev/full
    check "--save-weights /dev/full: exit 1" [ "$status" -eq 1 ]
    check "--save-weights /dev/full: names the file" grep -q "/dev/full" "$TMP/err"
fi

# an output is never one of the command's inputs (issue 30): refused before any work, exit 2
mkdir -p "$TMP/in"
cp "$TESTS/../data/xor.csv" "$TMP/in/xor.csv"
sed 's|^data = .*|data = xor.csv|' "$TESTS/../lessons/xor.lesson" >"$TMP/in/x.lesson"
cp "$TMP/in/x.lesson" "$TMP/in/x.keep"; cp "$TMP/in/xor.csv" "$TMP/in/xor.keep"
ln -s x.lesson "$TMP/in/link"; ln "$TMP/in/xor.csv" "$TMP/in/hard"
for case in "trace -o x.lesson x.lesson" "trace --format csv -o xor.csv x.lesson" "trace -o link x.lesson" \
            "trace -o hard x.lesson" "export -o x.lesson x.lesson" "worksheet -o xor.csv x.lesson" \
            "train --epochs 1 --save-weights xor.csv x.lesson"; do
    # shellcheck disable=SC2086
    run sh -c "cd '$TMP/in' && '$NNTRACE' $case"
    check "$case: exit 2 (got $status)" [ "$status" -eq 2 ]
    check "$case: one line saying it reads that file" sh -c "[ \$(wc -l <'$TMP/err') -eq 1 ] && grep -q 'a file this command reads' '$TMP/err'"
    check "$case: the lesson and data are unchanged" sh -c "cmp -s '$TMP/in/x.lesson' '$TMP/in/x.keep' && cmp -s '$TMP/in/xor.csv' '$TMP/in/xor.keep'"
done
check "the link is still a link" [ -L "$TMP/in/link" ]
# standard input, by name or by the file on it
run sh -c "'$NNTRACE' trace -o /dev/stdin <'$TMP/in/x.keep'"
check "-o /dev/stdin: exit 2" [ "$status" -eq 2 ]
check "-o /dev/stdin: the file on standard input is unchanged" cmp -s "$TMP/in/x.keep" "$TMP/in/x.lesson"
cp "$TMP/in/x.keep" "$TMP/in/stdin.txt"
run sh -c "'$NNTRACE' trace -o '$TMP/in/stdin.txt' <'$TMP/in/stdin.txt'"
check "-o FILE <FILE: exit 2" [ "$status" -eq 2 ]
check "-o FILE <FILE: FILE unchanged" cmp -s "$TMP/in/x.keep" "$TMP/in/stdin.txt"
# a loop of symbolic links: reported, the links left as they are
ln -s lb "$TMP/in/la"; ln -s la "$TMP/in/lb"
run "$NNTRACE" trace -o "$TMP/in/la"
check "-o a loop: exit 2 (got $status)" [ "$status" -eq 2 ]
check "-o a loop: says so" grep -q "loop of symbolic links" "$TMP/err"
check "-o a loop: the links stay links" sh -c "[ -L '$TMP/in/la' ] && [ -L '$TMP/in/lb' ]"
# still allowed: a new file beside the lesson, /dev/null with /dev/null on standard input
run sh -c "cd '$TMP/in' && '$NNTRACE' trace -o new.txt x.lesson </dev/null"
check "-o a new file beside the lesson: exit 0" sh -c "[ $status -eq 0 ] && [ -s '$TMP/in/new.txt' ]"
run sh -c "'$NNTRACE' trace -o /dev/null </dev/null"
check "-o /dev/null </dev/null: exit 0" [ "$status" -eq 0 ]

# past a file-size limit: a write error, no temporary left
echo "old content" >"$TMP/big.csv"
run sh -c "ulimit -f 64; '$NNTRACE' trace '$TESTS/../lessons/digits.lesson' --steps 3 --format csv -o '$TMP/big.csv'"
check "ulimit -f: exit 1 (got $status)" [ "$status" -eq 1 ]
check "ulimit -f: says the write to big.csv failed" grep -q "big.csv: write failed" "$TMP/err"
check "ulimit -f: the old file is intact" [ "$(cat "$TMP/big.csv")" = "old content" ]
check "ulimit -f: no temporary file left" [ "$(ls -A "$TMP" | grep -c '^\.big\.csv\.')" -eq 0 ]

# every command that writes a file goes through one output (src/cli/output.c):
# a failed write names the file, exits 1, and leaves the old content
for cmd in "worksheet seed" "export seed" "train digits --epochs 1 --save-weights" "trace seed --format latex"; do
    echo "old content" >"$TMP/small.out"
    case $cmd in *save-weights) o="" ;; *) o="-o" ;; esac
    run sh -c "ulimit -f 1; '$NNTRACE' $cmd $o '$TMP/small.out'"
    check "$cmd, 1 KB file limit: exit 1 (got $status)" [ "$status" -eq 1 ]
    check "$cmd, 1 KB file limit: one line naming the file" \
        sh -c "[ \$(wc -l <'$TMP/err') -eq 1 ] && grep -q 'small.out: write failed' '$TMP/err'"
    check "$cmd, 1 KB file limit: the old file is intact" [ "$(cat "$TMP/small.out")" = "old content" ]
    check "$cmd, 1 KB file limit: no temporary file left" [ "$(ls -A "$TMP" | grep -c '^\.small\.out\.')" -eq 0 ]
done
finish
