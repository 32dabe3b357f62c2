# nntrace export: the numpy script runs the lesson's traced steps with
# matrices (its own arithmetic, numpy's) and agrees with nntrace's trace to
# 1e-12 for every kind of network shipped (quadratic, cross-entropy, softmax,
# two hidden layers, a standardized and an image lesson, several steps); a
# script whose trace values are changed says so and fails, so the check can
# fail; the PyTorch script is run where PyTorch is installed.
. "$TESTS/lib.sh"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3          # Debian's, with python3-numpy
if ! $PY -c 'import numpy' 2>/dev/null; then
    bad "numpy is not installed (scripts/deps.sh test installs python3-numpy)"
    finish; exit 1
fi
for case in "seed 1" "xor 3" "deep 3" "softmax 3" "iris 4" "digits 1" "mnist-ce 1"; do
    set -- $case
    run "$NNTRACE" export "$1" --steps "$2" -o "$TMP/$1.py"
    check "export $1: exit 0" [ "$status" -eq 0 ]
    $PY "$TMP/$1.py" >"$TMP/$1.out" 2>&1
    rc=$?
    check "export $1 ($2 steps): numpy agrees with the trace ($(tail -1 "$TMP/$1.out"))" \
        sh -c "[ $rc -eq 0 ] && tail -1 '$TMP/$1.out' | grep -q '^ok: equal to nntrace'"
    check "export $1: one line per step" [ "$(grep -c '^step ' "$TMP/$1.out")" -eq "$2" ]
done
# the seed's E_final as numpy computes it: the independent reference's
ref=$(awk -F, '$4 == "E_final" { printf "%.6f", $5 }' "$TESTS/data/seed_reference.csv")
check "seed: numpy's E_final is the reference's ($ref)" grep -q "^step 1: E_final = $ref," "$TMP/seed.out"
# --digits and --sig: the script prints E_final as nntrace trace does at the same precision
# (near.lesson: targets next to the outputs, an E_final of about 1e-7, where six
# decimals keep three significant digits)
printf 'x1,x2,y1,y2\n0.1,0.1,0.5518,0.5645\n0.1,0.2,0.5515,0.5647\n' >"$TMP/near.csv"
sed "s#^data *=.*#data = $TMP/near.csv#; s#^weights *= *\.\./#weights = $TESTS/../#" \
    "$TESTS/../lessons/seed.lesson" >"$TMP/near.lesson"
# (zero.lesson: a linear output of 0 against a target of 0, E_final exactly 0;
# huge.lesson: a target of 10^8, E_final 5e15, past where numbers go to exponent form)
printf 'x1,y1\n0.5,0\n' >"$TMP/z.csv"
printf 'x1,y1\n0.5,100000000\n' >"$TMP/h.csv"
printf 'from,to,value\nx1,h1,0\nh1,o1,0\n1,h1,0\n1,o1,0\n' >"$TMP/zw.csv"
printf 'layers = 1 1 1\nactivation = sigmoid linear\nlearning_rate = 0.1\ndata = z.csv\nweights = zw.csv\n' >"$TMP/zero.lesson"
printf 'layers = 1 1 1\nactivation = sigmoid linear\nlearning_rate = 0.1\ndata = h.csv\nweights = zw.csv\n' >"$TMP/huge.lesson"
for prec in "--sig 3" "--sig 1" "--digits 6" "--digits 9" "--digits 2" "--digits 0"; do
    for lesson in seed softmax "$TMP/near.lesson" "$TMP/zero.lesson" "$TMP/huge.lesson"; do
        "$NNTRACE" export $prec "$lesson" -o "$TMP/p.py" && $PY "$TMP/p.py" >"$TMP/p.out" 2>&1
        got=$(sed -n 's/^step 1: E_final = \([^,]*\),.*/\1/p' "$TMP/p.out")
        "$NNTRACE" trace $prec --stage 3 "$lesson" >"$TMP/p.txt"
        want=$(unwrap "$TMP/p.txt" | sed -n 's/^E_final = .* = \([^ ]*\)$/\1/p')
        check "export $prec $(basename "$lesson"): the script prints E_final $got, the trace $want" \
            sh -c "[ -n '$got' ] && [ '$got' = '$want' ]"
    done
done
# a changed trace value is caught: the script can fail
sed 's/^  (\([0-9.e-]*\),$/  (\1 + 1e-9,/' "$TMP/xor.py" >"$TMP/xor-bad.py"
check "the changed script differs from the export" sh -c "! cmp -s '$TMP/xor.py' '$TMP/xor-bad.py'"
$PY "$TMP/xor-bad.py" >"$TMP/bad.out" 2>&1
rc=$?
check "E_final off by 1e-9: the script says DIFFERENT and exits 1" \
    sh -c "[ $rc -eq 1 ] && grep -q '^DIFFERENT' '$TMP/bad.out'"
# relative, not absolute: the seed's dw4 (1.4e-5) moved by 1.1e-8 of itself is caught
sed -E '/^TRACE = \[/,/^   \[/{s/^(   \[.*, )([0-9.e-]+),$/\1\2 * (1 + 1.1e-8),/}' "$TMP/seed.py" >"$TMP/seed-bad.py"
check "the small gradient changed" grep -qF 'e-05 * (1 + 1.1e-8),' "$TMP/seed-bad.py"
$PY "$TMP/seed-bad.py" >"$TMP/bad.out" 2>&1
rc=$?
check "dw4 off by 1.1e-8 relative: DIFFERENT, exit 1 ($(tail -1 "$TMP/bad.out"))" \
    sh -c "[ $rc -eq 1 ] && grep -q '^DIFFERENT' '$TMP/bad.out'"
# one steps limit for export, from --steps or from the lesson (issue 30): refused at once, not run
sed 's/^steps = .*/steps = 1000000/' "$TESTS/../lessons/xor.lesson" | sed "s|^data = .*|data = $TESTS/../data/xor.csv|" >"$TMP/many.lesson"
run timeout 20 "$NNTRACE" export "$TMP/many.lesson" -o "$TMP/many.py"
check "a lesson of 1000000 steps: export says the limit, exit 2 (got $status)" \
    sh -c "[ $status -eq 2 ] && grep -q 'holds 1 to 1000 steps' '$TMP/err' && [ ! -e '$TMP/many.py' ]"
run "$NNTRACE" export "$TMP/many.lesson" --steps 2 -o "$TMP/many.py"
check "with --steps 2 it exports" [ "$status" -eq 0 ]
# the same script to standard output; bad format
run "$NNTRACE" export seed
check "export to standard output" sh -c "[ $status -eq 0 ] && cmp -s '$TMP/out' '$TMP/seed.py'"
run "$NNTRACE" export --format julia seed
check "export --format julia: exit 2, one line" sh -c "[ $status -eq 2 ] && [ \$(wc -l <'$TMP/err') -eq 1 ]"
# PyTorch
run "$NNTRACE" export --format pytorch softmax --steps 2 -o "$TMP/pt-softmax.py"
check "export --format pytorch: exit 0, a script python compiles" \
    sh -c "[ $status -eq 0 ] && $PY -m py_compile '$TMP/pt-softmax.py'"
if $PY -c 'import torch' 2>/dev/null; then
    for l in seed deep softmax; do
        "$NNTRACE" export --format pytorch "$l" --steps 2 -o "$TMP/t-$l.py"
        $PY "$TMP/t-$l.py" >"$TMP/t.out" 2>"$TMP/t.err"
        rc=$?
        check "pytorch $l: autograd agrees with the trace ($(tail -1 "$TMP/t.out"; head -c 300 "$TMP/t.err"))" \
            sh -c "[ $rc -eq 0 ] && tail -1 '$TMP/t.out' | grep -q '^ok'"
    done
else
    echo "  (PyTorch is not installed here: the PyTorch scripts are generated and compiled, not run)"
fi
finish
