# The call graph between source files has no circle (issue 31): for every
# object of the library, the functions it defines and the ones it calls
# (nm), joined into file -> file edges; the transitive closure must hold no
# pair of files that reach each other.  The modules' order (engine -> text
# -> lesson -> trace/train -> tui -> cli) follows from it; this also holds
# inside a module: a screen calls nav.c, nav.c calls no screen.
. "$TESTS/lib.sh"
OBJ=${UNIT_DIR:-build/tests}
case "$OBJ" in /*) ;; *) OBJ="$TESTS/../$OBJ" ;; esac
OBJ=${OBJ%/tests}/src
check "objects to read in $OBJ" test -f "$OBJ/engine/engine.o"
for o in "$OBJ"/*/*.o; do
    f=${o#"$OBJ"/}
    nm "$o" | awk -v f="${f%.o}" '$2 ~ /^[TDRB]$/ { print "D", f, $3 } $1 == "U" { print "U", f, $2 }'
done >"$TMP/syms"
check "nm read the symbols" grep -q '^D engine/engine nn_step$' "$TMP/syms"
awk '$1 == "D" { def[$3] = $2; next }
     { use[++n] = $2 " " $3 }
     END { for (q = 1; q <= n; q++) { split(use[q], u, " ")
               if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]], u[2] } }' "$TMP/syms" |
    sort -u >"$TMP/edges"
check "edges found (tui/tui calls tui/nav)" grep -q '^tui/tui tui/nav ' "$TMP/edges"
# Warshall's closure over the files; a pair reaching each other is a circle
awk '{ if (!($1 in id)) { id[$1] = ++n; name[n] = $1 }
       if (!($2 in id)) { id[$2] = ++n; name[n] = $2 }
       r[id[$1], id[$2]] = 1; why[id[$1], id[$2]] = $3 }
     END { for (k = 1; k <= n; k++) for (i = 1; i <= n; i++) if (r[i, k])
               for (j = 1; j <= n; j++) if (r[k, j]) r[i, j] = 1
           for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[i, j] && r[j, i])
               print name[i] " <-> " name[j] (why[i, j] != "" ? " (" why[i, j] ", " why[j, i] ")" : "") }' \
    "$TMP/edges" >"$TMP/circles"
check "no call circle between files: $(head -3 "$TMP/circles" | tr '\n' ';')" test ! -s "$TMP/circles"
finish
