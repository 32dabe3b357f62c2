# nntrace train: accuracy on digits, determinism, saved weights read back,
# bad options, a blow-up that names where it happened.
. "$TESTS/lib.sh"
ROOT=$(dirname "$TESTS")
cd "$ROOT" || exit 1
run "$NNTRACE" train digits --epochs 20
check "train digits: exit 0" [ "$status" -eq 0 ]
check "train digits: 20 epoch lines and epoch 0" [ "$(lines "$TMP/out")" -eq 21 ]
acc=$(grep '^epoch' "$TMP/out" | tail -1 | sed 's/.*held-out acc *\([0-9.]*\)%.*/\1/')
echo "  digits 64-30-10, 20 epochs: held-out accuracy $acc%"
check "train digits: held-out accuracy above 90%" awk -v a="$acc" 'BEGIN { exit !(a > 90) }'
first=$(sed -n 1p "$TMP/out" | sed 's/.* loss \([0-9.]*\) .*/\1/')
last=$(grep '^epoch' "$TMP/out" | tail -1 | sed 's/.* loss \([0-9.]*\) .*/\1/')
check "train digits: the loss falls" awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < a / 2) }'
# real MNIST (docs/mnist.md): both lessons reach 92% held out in 10 epochs; the held-out rows
# are the last 2,000 (test_rows): the saved weights, run here in awk on those rows, give the
# accuracy nntrace printed
cat >"$TMP/acc.awk" <<'AWK'
# held-out accuracy of saved 784-30-10 weights on the last 2000 rows of mnist10k.csv
BEGIN { FS = "," }
FNR == 1 { next }
NR == FNR {
    split($1, a, ""); from = $1; to = $2
    f = (from == "1") ? 0 : substr(from, 2) + 0          # 0: the bias
    t = substr(to, 2) + 0
    if (substr(to, 1, 1) == "h") W1[f, t] = $3; else W2[(from == "1") ? 0 : substr(from, 2) + 0, t] = $3
    next
}
FNR > 8001 {
    for (j = 1; j <= 30; j++) {
        z = W1[0, j]
        for (i = 1; i <= 784; i++) if ($i != 0) z += W1[i, j] * ($i / 255)
        h[j] = 1 / (1 + exp(-z))
    }
    best = -1e9
    for (k = 1; k <= 10; k++) {
        z = W2[0, k]
        for (j = 1; j <= 30; j++) z += W2[j, k] * h[j]
        if (z > best) { best = z; guess = k - 1 }
    }
    n++; right += guess == $785
}
END { printf "%.1f\n", 100 * right / n }
AWK
for l in mnist mnist-ce; do
    run "$NNTRACE" train $l --save-weights "$TMP/$l.csv"
    acc=$(grep '^epoch    10' "$TMP/out" | sed 's/.*held-out acc *\([0-9.]*\)%.*/\1/')
    echo "  $l 784-30-10, 10 epochs: held-out accuracy $acc%"
    check "train $l: exit 0" [ "$status" -eq 0 ]
    check "train $l: at least 92% held out after 10 epochs ($acc%)" awk -v a="$acc" 'BEGIN { exit !(a >= 92) }'
    mine=$(awk -f "$TMP/acc.awk" "$TMP/$l.csv" data/mnist10k.csv)
    check "train $l: the weights give $acc% on the last 2,000 rows, computed here ($mine%)" [ "$mine" = "$acc" ]
done
"$NNTRACE" train iris --epochs 5 --seed 7 >"$TMP/a"
"$NNTRACE" train iris --epochs 5 --seed 7 >"$TMP/b"
"$NNTRACE" train iris --epochs 5 --seed 8 >"$TMP/c"
check "same seed, same numbers" cmp -s "$TMP/a" "$TMP/b"
check "another seed, other numbers" sh -c "! cmp -s '$TMP/a' '$TMP/c'"
# saved weights: a lesson that loads them starts where training ended
run "$NNTRACE" train xor --epochs 500 --save-weights "$TMP/xor-trained.csv"
check "save-weights: exit 0" [ "$status" -eq 0 ]
check "save-weights: header" [ "$(head -1 "$TMP/xor-trained.csv")" = "from,to,value" ]
final=$(grep '^epoch' "$TMP/out" | tail -1 | sed 's/.* loss \([0-9.]*\).*/\1/')
cp data/xor.csv "$TMP/"
printf 'layers = 2 2 1\nlearning_rate = 2\ndata = xor.csv\nweights = xor-trained.csv\n' >"$TMP/resume.lesson"
run "$NNTRACE" trace "$TMP/resume.lesson"
check "saved weights load in a lesson" [ "$status" -eq 0 ]
unwrap "$TMP/out" >"$TMP/flat"
check "the loss at the saved weights is the last epoch's ($final)" grep -q "^E_final = .* = $final$" "$TMP/flat"
run "$NNTRACE" train xor --epochs 3 --save-weights "$TMP/no/such/dir/w.csv"
check "save-weights to a missing folder: exit 1" [ "$status" -eq 1 ]
# bad options
for bad_args in "--epochs 0" "--epochs x" "--lr -1" "--test-split 0.95" "--batch-size 0" "--bogus 1"; do
    run "$NNTRACE" train $bad_args xor
    check "train $bad_args: exit 2" [ "$status" -eq 2 ]
    check "train $bad_args: one line" [ "$(lines "$TMP/err")" -eq 1 ]
done
run "$NNTRACE" train xor --batch-size 5
check "batch larger than the data: exit 2" [ "$status" -eq 2 ]
# a blow-up stops with exit 1 and names where it happened
printf 'layers = 2 2 1\nactivation = linear\nlearning_rate = 1e6\ndata = xor.csv\nweights = random 1\n' >"$TMP/blowup.lesson"
run "$NNTRACE" train "$TMP/blowup.lesson" --epochs 100
check "blow-up: exit 1" [ "$status" -eq 1 ]
# the loss overflows at epoch 3 while every value is still finite: training stops there, in one
# line (it printed "loss inf" and "loss -nan" and went on to a NaN at epoch 5)
check "blow-up: one line, the epoch whose loss is not finite ($(cat "$TMP/err"))" sh -c "[ \$(wc -l <'$TMP/err') -eq 1 ] &&
    grep -qx \"nntrace: epoch 3: the loss is inf, not a finite number (try a smaller learning rate); the weights are epoch 2's, the last whose loss was finite\" '$TMP/err'"
check "blow-up: no epoch line with a loss that is not a number" sh -c "! grep -qiE 'loss +-?(inf|nan)' '$TMP/out'"
run "$NNTRACE" train "$TMP/blowup.lesson" --epochs 100 --save-weights "$TMP/blowup-w.csv"
check "blow-up --save-weights: exit 1, saying where the weights went" \
    sh -c "[ $status -eq 1 ] && grep -q \"the last whose loss was finite (saved to $TMP/blowup-w.csv)\$\" '$TMP/err'"
if [ -w /dev/full ]; then
    run "$NNTRACE" train "$TMP/blowup.lesson" --epochs 100 --save-weights /dev/full
    check "blow-up --save-weights /dev/full: the write's failure and why training stopped, exit 1" \
        sh -c "[ $status -eq 1 ] && grep -q '^nntrace: /dev/full: write failed' '$TMP/err' &&
               grep -q '^nntrace: epoch 3: the loss is inf' '$TMP/err'"
fi
"$NNTRACE" train "$TMP/blowup.lesson" --epochs 2 --save-weights "$TMP/epoch2-w.csv" >/dev/null
check "blow-up --save-weights: the weights are epoch 2's (train --epochs 2 saves the same file)" \
    cmp -s "$TMP/blowup-w.csv" "$TMP/epoch2-w.csv"
# a value that is not finite inside a step (an update overflowing at step 1, whose loss was finite)
printf 'layers = 2 2 1\nactivation = linear\nlearning_rate = 1e308\ndata = xor.csv\nweights = random 1\n' >"$TMP/value.lesson"
run "$NNTRACE" train "$TMP/value.lesson" --epochs 100
check "a value not finite: names epoch, step, stage and symbol" grep -Eq "^nntrace: epoch [0-9]+, step [0-9]+, stage [1-6]: (X[0-9]+'s )?[a-zA-Z_/0-9]+ = -?(inf|nan) is not a finite number \(try a smaller learning rate\); the weights are epoch 0's, the last whose loss was finite$" "$TMP/err"
run "$NNTRACE" trace "$TMP/blowup.lesson" --steps 100
check "trace blow-up: exit 1" [ "$status" -eq 1 ]
check "trace blow-up: names step, stage and symbol" grep -q "step [0-9]*, stage [1-6]: .* is not a finite number" "$TMP/err"
# an update that overflows is met where it happens, as trace (the engine alone, checking every
# value) meets it: the same step, stage and symbol (one batch of every row a step)
printf 'layers = 2 2 1\nactivation = linear\nlearning_rate = 1e308\ndata = xor.csv\nweights = random 1\n' >"$TMP/over.lesson"
run "$NNTRACE" trace "$TMP/over.lesson" --steps 100
sed -n 's/^nntrace: \(step .*\)$/\1/p' "$TMP/err" >"$TMP/over.trace"
run "$NNTRACE" train "$TMP/over.lesson" --epochs 100 --test-split 0
sed -n 's/^nntrace: epoch [0-9]*, \(step .*\); the weights are .*$/\1/p' "$TMP/err" >"$TMP/over.train"
check "an overflowing update: train stops where trace does ($(cat "$TMP/over.train") / $(cat "$TMP/over.trace"))" \
    sh -c "[ -s '$TMP/over.trace' ] && cmp -s '$TMP/over.trace' '$TMP/over.train'"
# a huge loss is printed in exponent form, its line as wide as the others (a loss 9 columns at most)
run "$NNTRACE" train mnist-ce --lr 1e300 --epochs 1
check "a huge loss: its epoch line as wide as epoch 0's (+2)" \
    [ "$(awk 'NR == 1 { w = length } { if (length > m) m = length } END { print m - w }' "$TMP/out")" -le 2 ]
check "a huge loss: in exponent form" grep -Eq '^epoch +1 .* loss [0-9.]+e\+[0-9]+ ' "$TMP/out"
# defaults: a 60-row lesson without batch_size trains (the held-out fifth is not in the batch)
head -61 "$TESTS/../data/iris.csv" >"$TMP/iris60.csv"
printf 'layers = 4 5 3\nlearning_rate = 0.5\ndata = iris60.csv\nlabel = label\nweights = random 1\n' >"$TMP/iris60.lesson"
run "$NNTRACE" train "$TMP/iris60.lesson" --epochs 2
check "60 rows, no batch_size, defaults: exit 0 ($(head -c 100 "$TMP/err"))" [ "$status" -eq 0 ]
check "60 rows: held-out figures" grep -q "held-out loss" "$TMP/out"
# a split that holds out no row prints no held-out figures (it printed nan)
printf 'x1,y1\n0,0\n1,1\n0.5,1\n' >"$TMP/three.csv"
printf 'layers = 1 2 1\nlearning_rate = 0.5\ndata = three.csv\nweights = random 1\n' >"$TMP/three.lesson"
run "$NNTRACE" train "$TMP/three.lesson" --test-split 0.25 --epochs 1
check "3 rows, --test-split 0.25: exit 0" [ "$status" -eq 0 ]
check "3 rows, --test-split 0.25: no nan" sh -c "! grep -qi nan '$TMP/out'"
check "3 rows, --test-split 0.25: no held-out column" sh -c "! grep -q held-out '$TMP/out'"
# a readable stride, --verbose for every epoch, and every case of a small data set at the end
run "$NNTRACE" train xor --epochs 2000 --save-weights "$TMP/xor2000.csv"
check "xor, 2000 epochs: 21 epoch lines (0, 100, ..., 2000)" \
    sh -c "[ \$(grep -c '^epoch' '$TMP/out') -eq 21 ] && grep -q '^epoch   100 ' '$TMP/out' && grep -q '^epoch  2000 ' '$TMP/out'"
check "xor: a table of the four cases" [ "$(grep -c '^  row  [1-4]: x1=' "$TMP/out")" -eq 4 ]
check "xor: all four right after 2000 epochs" grep -q '^4 of 4 right$' "$TMP/out"
# each output recomputed here from the saved weights (sigmoid 2-2-1)
awk -F, 'NR == FNR { if (FNR > 1) w[$1 "-" $2] = $3; next }
    function s(z) { return 1 / (1 + exp(-z)) }
    FNR > 1 { h1 = s(w["x1-h1"] * $1 + w["x2-h1"] * $2 + w["1-h1"]); h2 = s(w["x1-h2"] * $1 + w["x2-h2"] * $2 + w["1-h2"])
              printf "%.4f\n", s(w["h1-o1"] * h1 + w["h2-o1"] * h2 + w["1-o1"]) }' \
    "$TMP/xor2000.csv" data/xor.csv >"$TMP/want.out"
sed -n 's/^  row  [1-4]: .*output \([0-9.]*\) .*/\1/p' "$TMP/out" >"$TMP/got.out"
check "xor: each output is the saved network's, recomputed here" cmp -s "$TMP/want.out" "$TMP/got.out"
run "$NNTRACE" train xor --epochs 2000 --verbose
check "--verbose: all 2001 epoch lines" [ "$(grep -c '^epoch' "$TMP/out")" -eq 2001 ]
# OpenBLAS is opened when training starts, never by a run that only traces (with it come
# libgfortran and libquadmath, whose printf hooks slow every printf); the loader's own log says
LD_DEBUG=files "$NNTRACE" trace seed --format csv >/dev/null 2>"$TMP/ld.trace"
LD_DEBUG=files "$NNTRACE" train xor --epochs 1 >/dev/null 2>"$TMP/ld.train"
check "trace: OpenBLAS and libquadmath not loaded" sh -c "! grep -qE 'libopenblas|libquadmath' '$TMP/ld.trace'"
check "train: OpenBLAS loaded (the log is read: $(grep -c 'file=' "$TMP/ld.train") files)" grep -q 'libopenblas' "$TMP/ld.train"
finish
