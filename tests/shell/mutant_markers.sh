# Every mutant of tests/mutants.sh finds its line by a marker in the source
# (issue 31): " /* mutant: NAME */" at the end of a C line, " # mutant: NAME"
# of a shell line, so a mutant follows its line when code moves around it.
# Checked here, without building anything: every marker names a mutant of
# that file; every mutant of a C or shell file that changes a line (sed's
# s command) has its marker there; no two mutants share a name.  A mutant of
# a lesson or of the web page, or one that deletes a range of lines, has no
# marker and changes the whole file as before.
. "$TESTS/lib.sh"
ROOT="$TESTS/.."
M="$TESTS/mutants.sh"
# NAME FILE FIRST: FIRST is the first character of the sed expression
awk '$1 == "mutant" && NF >= 3 && $2 != "NAME" {
         name = $2; file = $3
         if (NF >= 4 && $4 != "\\") { first = substr($4, 2, 1); print name, file, first; next }
         want = 1; next }
     want { e = $1; print name, file, substr(e, 2, 1); want = 0 }' "$M" >"$TMP/mutants"
check "mutants listed (more than 200)" [ "$(lines "$TMP/mutants")" -gt 200 ]
check "fast-exp-term read with its file and expression" grep -qxF 'fast-exp-term src/train/fast.c s' "$TMP/mutants"
dups=$(awk '{ print $1 }' "$TMP/mutants" | sort | uniq -d | head -3 | tr '\n' ' ')
check "no two mutants share a name: $dups" [ -z "$dups" ]
# every marker in the tree: FILE NAME
(cd "$ROOT" && grep -rnoE 'mutant: [a-z0-9.-]+( \*/|$)' src scripts) |
    awk -F: '{ sub(/^ /, "", $4); sub(/ \*\/$/, "", $4); print $1, $4 }' | sort -u >"$TMP/markers"
check "markers found (more than 200)" [ "$(lines "$TMP/markers")" -gt 200 ]
orphans=$(awk 'NR == FNR { has[$2 " " $1] = 1; next } !(($1 " " $2) in has) { print $2 " in " $1 }' \
              "$TMP/mutants" "$TMP/markers" | head -3 | tr '\n' ';')
check "every marker names a mutant of its file: $orphans" [ -z "$orphans" ]
unmarked=$(awk 'NR == FNR { has[$1 " " $2] = 1; next }
                $2 ~ /^(src|scripts)\/.*\.(c|h|sh)$/ && $3 == "s" && !(($2 " " $1) in has) { print $1 " (" $2 ")" }' \
               "$TMP/markers" "$TMP/mutants" | head -3 | tr '\n' ';')
check "every mutant of a C or shell line has its marker: $unmarked" [ -z "$unmarked" ]
finish
