# -o FILE is written whole or not at all; write errors exit 1.
. "$TESTS/lib.sh"
run "$NNTRACE" trace -o "$TMP/seed.txt"
check "-o exits 0" [ "$status" -eq 0 ]
check "-o leaves stdout empty" [ ! -s "$TMP/out" ]
"$NNTRACE" trace >"$TMP/stdout.txt"
check "-o file equals stdout" cmp -s "$TMP/seed.txt" "$TMP/stdout.txt"
check "no temporary file left" [ "$(ls -A "$TMP" | grep -c '^\.')" -eq 0 ]
echo "old content" >"$TMP/keep.csv"
run "$NNTRACE" trace --format csv --digits 99 -o "$TMP/keep.csv"
check "usage error leaves the old file" [ "$(cat "$TMP/keep.csv")" = "old content" ]
run "$NNTRACE" trace -o "$TMP/no/such/dir/x.txt"
check "unwritable folder: exit 1" [ "$status" -eq 1 ]
check "unwritable folder: one line" [ "$(lines "$TMP/err")" -eq 1 ]
# a signal during a long trace -o leaves the old file, and no temporary file
for sig in INT TERM; do
    echo "old content" >"$TMP/long.csv"
    "$NNTRACE" trace digits --steps 100000 --format csv -o "$TMP/long.csv" 2>/dev/null &
    pid=$!
    sleep 1
    kill -$sig $pid
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
finish
