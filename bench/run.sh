#!/bin/sh
# make bench: every benchmark, side by side in one run.
set -e
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
now() { date +%s%N; }
echo "== stepper: time per redraw over a full walk, and to the first screen"
echo "   (targets: seed < 1 ms a redraw, digits < 5 ms, first screen < 50 ms)"
"$BUILD/bench/bench_stepper" seed digits
echo
echo "== process start and exit, for scale: 100 runs of nntrace --version"
t0=$(now)
for _ in $(seq 100); do ./nntrace --version >/dev/null; done
t1=$(now)
echo "   $(( (t1 - t0) / 100000 )) us a run"
