#!/bin/sh
# make bench: every benchmark, side by side in one run.  Figures are ratios
# measured in the same run; the machines are shared, so absolute numbers move.
set -e
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SECS=${BENCH_SECONDS:-3}
PY=/usr/bin/python3
rate() { sed 's/ samples.*//'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "== 1. training throughput: 784-90-10, sigmoid, quadratic, batch 20, one core, ${SECS} s each"
# nntrace train's BLAS path, with OpenBLAS as the machine runs it (as numpy below, the
# OPENBLAS_CORETYPE pin is lifted for this command only)
nn=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$BUILD/bench/bench_train" fast "$SECS")
nn_rate=$(echo "$nn" | rate)
loops=$("$BUILD/bench/bench_train" nosink "$SECS")
# numpy on OpenBLAS, one thread; the machine's OPENBLAS_CORETYPE pin is lifted for this command
# only (it slows a current OpenBLAS), as a user's numpy would run
np_rate=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 $PY bench/numpy_train.py --train "$SECS" | rate)
fann_rate=$("$BUILD/bench/fann_train" "$SECS" | rate)
ceiling=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 $PY bench/numpy_train.py --ceiling "$SECS")
printf '   nntrace train  %10.0f samples/s   %s (BLAS path)\n' "$nn_rate" "$(echo "$nn" | sed 's/.*samples\/s //; s/ (.*//')"
printf '   nntrace engine %10.0f samples/s   %s (readable loops, what traces use)\n' "$(echo "$loops" | rate)" \
    "$(echo "$loops" | sed 's/.*samples\/s //; s/ (.*//')"
printf '   numpy+OpenBLAS %10.0f samples/s\n' "$np_rate"
printf '   FANN (double)  %10.0f samples/s\n' "$fann_rate"
echo "   one-core ceiling (numpy 2000x2000 matrix product): $ceiling"
echo "   nntrace / numpy = $(ratio "$nn_rate" "$np_rate")   nntrace / FANN = $(ratio "$nn_rate" "$fann_rate")   (targets 2 and 3)"
echo
echo "== 2. instrumentation cost, same training"
nosink=$("$BUILD/bench/bench_train" nosink "$SECS" | rate)
notrace=$("$BUILD/bench/bench_train_notrace" nosink "$SECS" | rate)
sink=$("$BUILD/bench/bench_train" sink "$SECS" | rate)
printf '   built without instrumentation %10.0f samples/s\n' "$notrace"
printf '   instrumented, no sink         %10.0f samples/s   (cost %s%%, target <= 5%%)\n' "$nosink" \
    "$(awk -v a="$nosink" -v b="$notrace" 'BEGIN { printf "%.1f", (b / a - 1) * 100 }')"
printf '   a do-nothing sink attached    %10.0f samples/s   (every value formatted as an event: %sx slower)\n' \
    "$sink" "$(ratio "$nosink" "$sink")"
echo
echo "== 3. trace throughput and memory"
steps=$(( (1797 + 19) / 20 ))
t0=$(date +%s%N)
./nntrace trace digits --steps "$steps" --format csv -o "$BUILD/digits-epoch.csv"
t1=$(date +%s%N)
events=$(( $(wc -l <"$BUILD/digits-epoch.csv") - 1 ))
echo "   one epoch of digits ($steps steps) as CSV: $events events in $(( (t1 - t0) / 1000000 )) ms," \
     "$(awk -v e="$events" -v ns="$((t1 - t0))" 'BEGIN { printf "%.0f", e / (ns / 1e9) }') events/s"
rm -f "$BUILD/digits-epoch.csv"
for n in 10 1000; do
    kb=$( { /usr/bin/time -f %M ./nntrace trace digits --steps $n --format csv >/dev/null; } 2>&1 | tail -1)
    echo "   peak resident memory, trace digits --steps $n: ${kb} KB"
done
echo
echo "== 4. stepper: time per redraw over a full walk, and to the first screen"
echo "   (targets: seed < 1 ms a redraw, digits < 5 ms at 120x40, first screen < 50 ms;"
echo "    a 784-30-10 network on real MNIST digits: first screen < 200 ms, after loading the data;"
echo "    an edit recomputed and drawn: seed < 10 ms, digits < 100 ms)"
mnist=$(cd .. && pwd)/shared/datasets/mnist10k.csv
set -- seed digits
if [ -r "$mnist" ]; then
    printf 'title = MNIST 784-30-10 (bench)\nlayers = 784 30 10\ninputs = p0..p783\ndata = %s\nlearning_rate = 0.1\nweights = random 1\nbatch_size = 20\n' \
        "$mnist" >"$BUILD/mnist-bench.lesson"
    set -- "$@" "$BUILD/mnist-bench.lesson"
fi
"$BUILD/bench/bench_stepper" "$@"
