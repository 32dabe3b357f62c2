# Shared helpers for the shell tests.  Source it; call finish at the end.
# NNTRACE is the binary under test (an absolute path), TESTS the tests folder.
set -u
checks=0
fails=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok()   { checks=$((checks + 1)); }
# STOP_AT_FIRST=1 (tests/mutants.sh: a mutant needs one failure) ends the script at its first
bad()  { checks=$((checks + 1)); fails=$((fails + 1)); printf '  FAIL: %s\n' "$*"
         if [ "${STOP_AT_FIRST:-0}" = 1 ]; then finish; exit 1; fi; }
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
    desc=$1; shift
    if "$@"; then ok; else bad "$desc"; fi
}
# run CMD...: runs it, keeping stdout in $TMP/out, stderr in $TMP/err, status in $status
run() {
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    status=$?
    set -e 2>/dev/null; set +e
}
contains() { grep -qF -- "$2" "$1"; }
lines() { wc -l <"$1" | tr -d ' '; }
# the JSON a web page (trace --format html) holds: its data element's base64, inflated
html_data() { sed -n '/id="nntrace-data"/,/<\/script>/p' "$1" | sed '1d;$d' | base64 -d | gunzip; }
# unwrap FILE: a text trace with each derivation back on one line.  The
# writer breaks a derivation longer than 80 columns into lines that start,
# after spaces, with "= " (the next part), "+ " (the next term) or "*" (the
# next factor); this joins them to the line they continue.
unwrap() {
    awk '/^ +(= |\+ )/ { sub(/^ +/, ""); line = line " " $0; next }
         /^ +\*/ { sub(/^ +/, ""); line = line $0; next }
         { if (NR > 1) print line; line = $0 }
         END { if (NR > 0) print line }' "$1"
}
# seed_e_after REF: E_final of the seed's two samples at the reference's
# updated weights (its stage-6 rows, w1..w12 as the walkthrough numbers
# them), computed here in awk: an independent forward pass.
seed_e_after() {
    awk -F, 'NR > 1 && $2 == 6 { w[substr($4, 2)] = $5 }
    function s(z) { return 1 / (1 + exp(-z)) }
    END { split("0.1 0.1 1 0|0.1 0.2 0 1", rows, "|"); e = 0
          for (r = 1; r <= 2; r++) { split(rows[r], v, " ")
              h1 = s(w[1]*v[1] + w[3]*v[2] + w[9]); h2 = s(w[2]*v[1] + w[4]*v[2] + w[10])
              o1 = s(w[5]*h1 + w[7]*h2 + w[11]); o2 = s(w[6]*h1 + w[8]*h2 + w[12])
              e += 0.5 * ((o1 - v[3])^2 + (o2 - v[4])^2) }
          printf "%.6f", e / 2 }' "$1"
}
# SHOWN: an awk function, the documented rule for a computed value written
# at d decimals (docs/formats.md, Numbers), written here from the rule and
# not from the program: d decimals, but a value that is not zero keeps at
# least min(3, d) significant digits; "-0.000" reads "0.000".  Use as
# awk "$SHOWN"' { print shown($1, 6) }'.
SHOWN='function shown(v, d,   a, l, e, least, s) {
    least = d < 3 ? d : 3; a = v < 0 ? -v : v
    if (v != 0 && least > 0 && a < 1) {
        l = log(a) / log(10); e = int(l); if (e > l) e--
        if (d + e + 1 < least) return sprintf("%." (least - 1 - e) "f", v)
    }
    s = sprintf("%." d "f", v); if (s ~ /^-0\.?0*$/) s = substr(s, 2)
    return s
}
'
finish() {
    printf '  %d checks, %d failed\n' "$checks" "$fails"
    [ "$fails" -eq 0 ]
}
