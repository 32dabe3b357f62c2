#!/bin/sh
# Mutation check: each mutant below is a deliberate breakage of the source,
# one that a test once missed or that a test exists to catch.  For each, a
# copy of the tree (with its build folder, so only the changed file is
# rebuilt) is broken, built, and tested: first the tests named as the ones
# that should catch it, then, if they do not, the whole suite.  The script
# fails unless every mutant is caught.  Run from the repository root after
# a build (CI runs it after make test):  sh tests/mutants.sh
# A mutant finds its line by a marker at the line's end in the source,
# " /* mutant: NAME */" (C) or " # mutant: NAME" (shell), and its sed
# expression is applied to that line alone, with the markers taken off first;
# so code may move around it freely (tests/shell/mutant_markers.sh checks
# that markers and mutants match).  One without a marker (a lesson, the web
# page, a range of lines) applies to the whole file.
# The mutants are dealt round to MUTANT_JOBS workers (2: this machine's
# cores), each with its own copy; ONLY="NAME ..." runs the named ones.
set -u
ROOT=$(pwd)
: "${MUTANT_JOBS:=2}"
if [ -z "${MUTANT_SHARD:-}" ]; then
    LOGS=$(mktemp -d)
    trap 'rm -rf "$LOGS"' EXIT
    i=0
    while [ "$i" -lt "$MUTANT_JOBS" ]; do
        MUTANT_SHARD=$i sh "$0" >"$LOGS/$i" 2>&1 &
        i=$((i + 1))
    done
    wait
    cat "$LOGS"/*
    done_workers=$(cat "$LOGS"/* | grep -c '^worker done$')
    [ "$done_workers" -eq "$MUTANT_JOBS" ] || { echo "mutants: only $done_workers of $MUTANT_JOBS workers finished"; exit 1; }
    caught=$(grep -c ': caught by' "$LOGS"/* | awk -F: '{ n += $NF } END { print n + 0 }')
    missed=$(grep -c ': NOT CAUGHT' "$LOGS"/* | awk -F: '{ n += $NF } END { print n + 0 }')
    broken=$(grep -c '^mutant .*: \(the change did not apply\|does not build\|no test\)' "$LOGS"/* |
             awk -F: '{ n += $NF } END { print n + 0 }')
    echo "mutants: $caught caught, $missed not caught, $broken broken"
    [ "$missed" -eq 0 ] && [ "$broken" -eq 0 ] && [ "$caught" -gt 0 ]
    exit
fi
UNIT_BINS=$(for t in tests/unit/test_*.c; do t=${t#tests/unit/}; printf 'build/tests/%s ' "${t%.c}"; done)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
seq_no=0

# the markers a marked line carries: " /* mutant: NAME */" in C, " # mutant: NAME" in shell
MARKS_OFF='s% */\* mutant: [a-z0-9.-]* \*/%%g; s% *# mutant: [a-z0-9.-]*$%%'

# mutant NAME FILE SED-EXPRESSION TESTS...: TESTS are unit binaries (test_x) or scripts (shell/x.sh)
mutant() {
    name=$1; file=$2; expr=$3; shift 3
    if [ -n "${ONLY:-}" ] && ! echo " $ONLY " | grep -q " $name "; then return; fi
    seq_no=$((seq_no + 1))                     # this worker's share: every MUTANT_JOBS-th
    [ $((seq_no % MUTANT_JOBS)) -eq "$MUTANT_SHARD" ] || return
    started=$(date +%s)
    rm -rf "$WORK/m"
    mkdir -p "$WORK/m"
    tar -C "$ROOT" --exclude=./.git --exclude=./build-san --exclude=./build-fuzz -cf - . | tar -C "$WORK/m" -xf -
    # the line(s) marked "mutant: NAME" in the source, markers dropped first so the
    # expression sees the line as written; a mutant without a marker (a lesson, the
    # web page, a change over several lines) applies to the whole file
    at="\%mutant: $name\( \*/\|\$\)%"
    if grep -q "mutant: $name\( \*/\|\$\)" "$WORK/m/$file"; then
        sed -e "$at{" -e "$MARKS_OFF" -e '}' "$ROOT/$file" >"$WORK/unchanged"
        sed -i -e "$at{" -e "$MARKS_OFF" -e "$expr" -e '}' "$WORK/m/$file"
    else
        cp "$ROOT/$file" "$WORK/unchanged"
        sed -i "$expr" "$WORK/m/$file"
    fi
    if cmp -s "$WORK/unchanged" "$WORK/m/$file"; then
        echo "mutant $name: the change did not apply to $file (its marked line changed: update tests/mutants.sh)"
        return
    fi
    touch "$WORK/m/$file"
    if ! (cd "$WORK/m" && make -j2 NO_DEPS=1 nntrace $UNIT_BINS build/tests/reader/screens >"$WORK/build.log" 2>&1); then
        echo "mutant $name: does not build (see below)"
        tail -5 "$WORK/build.log"
        return
    fi
    # the reader's check stops at its first difference here (a mutant needs one)
    export NNTRACE="$WORK/m/nntrace" TESTS="$WORK/m/tests" READER_STOP=1 STOP_AT_FIRST=1
    for t in "$@"; do
        case "$t" in                     # a test named that does not exist would "catch" anything
            test_*) [ -f "$WORK/m/tests/unit/$t.c" ] ;;
            *)      [ -f "$WORK/m/tests/$t" ] ;;
        esac || { echo "mutant $name: no test $t (update tests/mutants.sh)"; return; }
        case "$t" in
            test_*) "$WORK/m/build/tests/$t" >"$WORK/t.log" 2>&1 ;;
            *)      sh "$WORK/m/tests/$t" >"$WORK/t.log" 2>&1 ;;
        esac
        if [ $? -ne 0 ]; then
            echo "mutant $name: caught by $t ($(($(date +%s) - started)) s)"
            return
        fi
    done
    if ! (cd "$WORK/m" && UNIT_DIR=build/tests TEST_JOBS=1 sh tests/run.sh >"$WORK/t.log" 2>&1); then
        echo "mutant $name: caught by the suite ($(grep '^failed:' "$WORK/t.log"); $(($(date +%s) - started)) s)"
        return
    fi
    echo "mutant $name: NOT CAUGHT"
}

# the engine
mutant no-sink-step-does-nothing src/engine/engine.c \
    's|^    ctx->bad_stage = 0;$|    if (!ctx->sink) return NN_OK;\n    ctx->bad_stage = 0;|' test_engine
mutant bias-gradient-summed src/engine/engine.c \
    's|^        db\[j\] = db\[j\] / n;$|        db[j] = db[j];|' test_engine shell/seed_reference.sh
mutant stage5-updated-output-weights src/engine/engine.c \
    's|^        if (check_layer(ctx, stage, ctx->dout\[l\], n, l, NN_EV_DE_DOUT) [|][|]$|        if (l == L) for (int m = net->w_off[L]; m < net->b_off[1]; m++) net->w[m] -= lr * ctx->dw[m];\n&|' \
    test_engine
# tracing and lessons
mutant weights-reset-each-step src/trace/run.c \
    's|^        ls_batch(L, step, x, y);$|        ls_batch(L, step, x, y);\n        memcpy(net->w, L->weights, (size_t)net->n_weights * sizeof(double));|' \
    shell/trace_text.sh
mutant kaiming-off src/lesson/csvload.c \
    's|double scale = kaiming ? sqrt(2.0 / sh->size\[l - 1\]) : 1.0;|double scale = kaiming ? 1.0 : 1.0;|' test_lesson
mutant csv-drops-last-value src/trace/writer_csv.c \
    's|^    FILE \*fp = out->opt.fp;$|    FILE *fp = out->opt.fp;\n    if (ev->stage == 6 \&\& strcmp(ev->symbol, "w12") == 0) return 0;|' \
    shell/seed_reference.sh
mutant quiz-accepts-anything src/tui/screen_quiz.c \
    's|^    if (is_right(st, ev, v)) {$|    if (1) {|' tui/test_classroom.sh tui/test_quiz.sh
# bugs fixed in issue 10: each one's test must keep catching it
mutant numbers-cut-at-64-bytes src/trace/format.c \
    's|if (!(fabs(v) < TR_FIXED_LIMIT))|if (0)|' shell/huge_numbers.sh
mutant output-mode-not-kept src/trace/atomic.c \
    's|mode = st.st_mode \& 07777; |mode = 0644; |' shell/output.sh
mutant check-ignores-noise src/engine/engine.c \
    's|c->tol = NN_CHECK_LIMIT + per_sigma \* fmax(noise, c->wobble);|c->tol = NN_CHECK_LIMIT;|' shell/check.sh
mutant deps-trusts-cblas-h scripts/deps.sh \
    's|need libopenblas-dev has_pc openblas|need libopenblas-dev has_file /usr/include/cblas.h|' shell/deps.sh
mutant text-cut-inside-a-character src/text/text.c \
    's|^    if (\*len + n < size) {$|    if (*len + 1 < size) { if (*len + n >= size) n = size - *len - 1;|' shell/untrusted.sh test_format
# issue 11
mutant reuse-always-stage-4 src/trace/format.c \
    's|^    if (out->now->layer >= L - 1)      /\* the hidden layer just below the output \*/$|    if (1)|' shell/exports.sh
mutant standardize-exact-zero-only src/lesson/csvload.c \
    's|if (sd <= 1e-12 \* fabs(mean) [|][|] sd == 0.0) {|if (sd == 0.0) {|' shell/lessons.sh
mutant check-no-kinks src/engine/engine.c \
    's|^    c->kink = has_relu \&\& |    c->kink = 0 \&\& |' shell/check.sh
mutant option-not-documented src/cli/cmd_train.c \
    's|^        { "seed", required_argument, NULL, .s. },$|&\n        { "quiet", no_argument, NULL, 0 },|' shell/docs.sh
mutant cross-entropy-clamped src/engine/engine.c \
    's|^    return y \* softplus(-net) + (1.0 - y) \* softplus(net);$|    return fmin(y * softplus(-net) + (1.0 - y) * softplus(net), 27.631);|' test_engine shell/check.sh
mutant cross-entropy-quotient src/engine/engine.c \
    's|^    return out - y;$|    return (out - y) / (out * (1.0 - out)) * (out * (1.0 - out));|' test_engine shell/check.sh
# issue 12: typed events
mutant event-kind-wrong src/engine/engine.c \
    's|ev_begin(ctx, NN_EV_DOUT_DNET, l, j + 1, 0, slope_form\[act\], 1,|ev_begin(ctx, NN_EV_DE_DOUT, l, j + 1, 0, slope_form[act], 1,|' shell/exports.sh
mutant operand-net-input-sample src/engine/engine.c \
    's|return i < I ? input_op(ctx, net, ctx->t_x, l, s, i, 0) : bias_op(l, j);|return i < I ? input_op(ctx, net, ctx->t_x, l, 0, i, 0) : bias_op(l, j);|' test_engine
mutant operand-gradient-slope-for-ce src/engine/engine.c \
    's|if (r == 1 \&\& !ce_out)  |if (r == 1)  |' test_engine
mutant deps-not-gathered src/trace/run.c \
    's|    if (rs->w->deps) {|    if (0 \&\& rs->w->deps) {|' shell/exports.sh
mutant fused-update-unchecked src/train/fast.c \
    's|    if (update_is_safe(f, net, x, n, lr, \&after)) {|    if (update_is_safe(f, net, x, n, lr, \&after) \|\| 1) {|' test_train
mutant fast-exp-term src/train/fast.c \
    's|    p = p \* r + 1.0 / 24.0;|    p = p * r + 1.0 / 25.0;|' test_train
mutant fast-exp-scale src/train/fast.c \
    's|    bits = (bits + 1023) << 52;|    bits = (bits + 1022) << 52;|' test_train
mutant eval-rows-assumed-in-order src/train/train.c \
    's|            next = rows\[first + s\] == rows\[first\] + s;|            next = 1;|' shell/train.sh
mutant pixel-table-unscaled src/lesson/csvload.c \
    's|        d.small\[k\] = L->scale > 0 ? (double)k / L->scale : (double)k;|        d.small[k] = (double)k;|' shell/train.sh
mutant read-file-grows-when-full src/lesson/csvload.c \
    '/int c = getc(fp);/,/                break;/d;/buf\[used++\] = (char)c;/d' test_lesson
mutant recorded-deps-dropped src/trace/record.c \
    's|\*n = tr_event_deps(&ev, &rec->deps, &rec->deps_room);|*n = 0 * tr_event_deps(\&ev, \&rec->deps, \&rec->deps_room);|' tui/test_figure.sh
mutant digits-drop-leading src/text/text.c \
    's|    while ((v /= 10) != 0);|    while ((v /= 10) > 9);|' shell/trace_text.sh
mutant csv-field-length-short src/trace/writer_csv.c \
    's|    return len < size ? len : strlen(text);|    return len < size \&\& len > 0 ? len - 1 : strlen(text);|' test_format
mutant operand-kind-wrong src/engine/engine.c \
    's|\.dep = -1, \.kind = NN_OP_BIAS_INPUT,|.dep = -1, .kind = NN_OP_VALUE,|' shell/exports.sh
mutant layout-elides-wrong-terms src/trace/layout.c \
    's|return T <= TR_SUM_SHOWN [|][|] t < 4 [|][|] t == T - 1;|return T <= TR_SUM_SHOWN \|\| t < 3 \|\| t == T - 1;|' test_format shell/trace_text.sh
mutant layout-cross-entropy-operand src/trace/layout.c \
    's|^    ref(b, y + 1);$|    ref(b, y);|' shell/trace_text.sh
mutant latex-times-as-star src/trace/writer_latex.c \
    's|tb_put(\&b, " \\\\cdot ");|tb_put(\&b, "*");|' shell/exports.sh
mutant latex-fraction-dropped src/trace/writer_latex.c \
    's|snprintf(piece, sizeof piece, "\\\\frac{1}{%d}", pc.number);|snprintf(piece, sizeof piece, "%d", pc.number);|' shell/exports.sh
# review: tests not yet seen failing
mutant recording-ring-off-by-one src/trace/record.c \
    's|rec->ring_step\[r\] <= step)|rec->ring_step[r] <= step + 1)|' test_engine
mutant template-operand-unchecked src/trace/format.c \
    's|piece->op = q < n_ops ? (int)q : TR_PIECE_BAD;|piece->op = (int)q;|' test_format
mutant batch-units-unchecked src/lesson/parse.c \
    's|if ((long)L->batch_size \* nn_widest(\&L->shape) > NN_MAX_BATCH_UNITS) {|if (0) {|' shell/bad_inputs.sh
mutant reused-terms-unmarked src/trace/run.c \
    's|^    return stage == NN_STAGE_HIDDEN_BACKWARD \&\& src_stage == NN_STAGE_OUTPUT_BACKWARD;$|    return 0 \&\& stage \&\& src_stage;|' \
    tui/test_stepper.sh web/test_html.sh
# issue 13: the figure holds still and lights what each value comes from
mutant figure-lines-reorder src/tui/figure.c \
    's|            draw_line(st, lit, y + r, x, l, j, s);|            draw_line(st, lit, y + r, x, l, j, (s + (int)st->m.cur) % (I + 1));|' tui/test_figure.sh
mutant figure-weights-unlit src/tui/figure.c \
    's|        case NN_OP_WEIGHT: lit_weight(sh, lit, op->weight - 1, LIT_OTHER); break;|        case NN_OP_WEIGHT: break;|' tui/test_figure.sh
mutant figure-reused-unmarked src/tui/figure.c \
    's|                if (tui_reused(ev, tui_event_id(st, op->dep)))|                if (0 \&\& tui_reused(ev, tui_event_id(st, op->dep)))|' \
    tui/test_figure.sh
mutant next-step-lands-on-same-stage src/tui/screen_step.c \
    's|        tui_go_stage(st, step + 1, 1);|        tui_go_stage(st, step + 1, stage);|' tui/test_steps.sh tui/test_stepper.sh
# issue 14: --set is editing the files
mutant set-weight-off-by-one src/lesson/edit.c \
    's|        L->weights\[m - 1\] = v;|        L->weights[m % W] = v;|' shell/edits.sh
mutant edit-changes-unmarked src/tui/edit.c \
    's|    if (old == now [|][|] (isnan(old) \&\& isnan(now)))|    if (1)|' tui/test_edit.sh
# issue 15: CSV cells a spreadsheet would run
mutant csv-formula-unguarded src/trace/writer_csv.c \
    's|    if (text\[0\] \&\& strchr("=+-@\\t\\r", text\[0\])) {|    if (0) {|' test_format
# tests written this session, each seen failing here
mutant quiz-comma-unread src/tui/screen_quiz.c \
    's|^        \*comma = .\..;$|        (void)comma;|' tui/test_classroom.sh
mutant presenter-no-board src/tui/tui.c \
    's|^    st->present.board = st->mode == TUI_MODE_PRESENT;$|    st->present.board = 0;|' tui/test_teaching.sh
# issue 15, this session: the text trace's width, one stage or sample, DOT's
# stage 6, the web page
mutant text-lines-unwrapped src/trace/writer_text.c \
    's|^#define TEXT_COLS      80 |#define TEXT_COLS      400 |' shell/trace_text.sh
mutant brackets-doubled src/trace/format.c \
    's|        piece->enclosed = enclosed(tmpl, at, s);|        piece->enclosed = 0;|' shell/trace_text.sh
mutant sample-unfiltered src/trace/run.c \
    's|(rs->out->opt.only_sample \&\& ev->sample > 0 \&\& ev->sample != rs->out->opt.only_sample)|(0)|' shell/exports.sh
mutant step-heading-per-layer src/trace/run.c \
    's|    rs->now.new_step = step != rs->last_step;|    rs->now.new_step = stage == 1;|' shell/exports.sh
mutant dot-updated-weight-dropped src/trace/writer_dot.c \
    's|        if (d->has_new\[m\])|        if (0)|' shell/exports.sh
mutant html-lt-unescaped src/trace/writer_html.c \
    's|        if (\*p == .<.)|        if (*p == 1)|' web/test_html.sh
mutant html-reused-unmarked src/trace/writer_html.c \
    's|                tr_op_reused(out, ev, q));|                0 \&\& tr_op_reused(out, ev, q));|' web/test_html.sh
mutant latex-lines-unbroken src/trace/writer_latex.c \
    's|^#define TEX_LINE  60.0 |#define TEX_LINE  400.0 |' shell/handouts.sh
mutant latex-summary-never src/trace/writer_latex.c \
    's|    t->summary = (long)L->batch_size|    t->summary = 0 \&\& (long)L->batch_size|' shell/handouts.sh
mutant e-final-after-unchanged src/trace/run.c \
    's|    rs.now.e_end = nn_loss(ctx, net, x, y, L->batch_size);|    rs.now.e_end = rs.now.e_start;|' shell/handouts.sh
mutant note-math-plain src/trace/writer_latex.c \
    's|        if (note_math(note + run_start|        if (1 \|\| note_math(note + run_start|' shell/handouts.sh
mutant markdown-no-figure src/trace/writer_markdown.c \
    's|    if (md_figure(out) != 0)|    if (0)|' shell/handouts.sh
mutant dot-order-free src/trace/writer_dot.c \
    's|^    fputs(" \[style=invis\];\\n", fp);|    fputs(" [style=invis, constraint=false];\\n", fp);|' shell/exports.sh
mutant worksheet-nothing-blank src/trace/writer_latex.c \
    's|    if (out->ws.sheet \&\& !out->ws.answers \&\& (out->ws.blank >> (ev->stage - 1) \& 1u))|    if (0)|' shell/worksheet.sh
mutant worksheet-same-numbers src/trace/worksheet.c \
    's|    ls_rng_seed(\&rng, seed \* 1000003ULL + (unsigned long long)k);|    ls_rng_seed(\&rng, seed);|' shell/worksheet.sh
# issue 16: the quiz names the mistake
mutant mistake-slope-kept src/engine/mistakes.c \
    's|mean_of_products(ev, 3, 1), OP(1));|mean_of_products(ev, 3, -1), OP(1));|' test_engine tui/test_quiz.sh
mutant quiz-undiagnosed src/tui/screen_quiz.c \
    's|    if (diagnose(st, ev, v))|    if (0 \&\& diagnose(st, ev, v))|' tui/test_quiz.sh
mutant present-quiz-all-wait src/tui/screen_present.c \
    's|            st->present.reveal = st->quiz.present \&\& st->quiz.asked \&\& st->quiz.asked\[st->m.cur\] == QUIZ_NONE ? 2 : 0;|            st->present.reveal = 0;|' tui/test_quiz.sh
mutant code-ignores-lesson src/tui/code.c \
    's|    for (int q = 0; q < 8; q++)|    for (int q = 0; q < 0; q++)|' tui/test_codes.sh
mutant follower-waited-for src/tui/follow.c \
    's|    ssize_t n = send(f->followers\[q\], line, len, MSG_NOSIGNAL \| MSG_DONTWAIT);|    ssize_t n = (ssize_t)len; (void)send(f->followers[q], line, len, MSG_NOSIGNAL \| MSG_DONTWAIT);|' \
    tui/test_follow.sh
mutant follow-never-breaks-away src/tui/tui.c \
    's|            st->follow.following = 0;|            (void)0;|' tui/test_follow.sh
# issue 19, this session: options before the subcommand, the weights count
mutant options-before-command-ignored src/cli/main.c \
    's|    if (argc >= 3 \&\& argv\[1\]\[0\] == .-.) {|    if (0) {|' shell/usage.sh
mutant weights-count-unplaced src/lesson/csvload.c \
    's|    if (rc == 0 \&\& given > 0 \&\& given < W - 1) {|    if (0) {|' shell/bad_inputs.sh
mutant train-every-epoch src/cli/cmd_train.c \
    's|    if (e->epoch % v->stride == 0 \|\| e->epoch == v->epochs)|    if (1)|' shell/train.sh

# issue 19: live values in notes, the loss curve
mutant note-wrong-value src/trace/notes.c \
    's|            tr_fmt_num(vals\[pc.ref\], (tr_prec){ digits, sig }, num);|            tr_fmt_num(vals[0], (tr_prec){ digits, sig }, num);|' shell/notes.sh
mutant note-sample-unchecked src/lesson/notes.c \
    's|            if (s > L->batch_size) {|            if (0) {|' shell/bad_inputs.sh
mutant note-values-not-probed src/trace/run.c \
    's|    int probing = names_values(L);|    int probing = 0;|' shell/notes.sh
mutant note-probe-wrong-value src/engine/engine.c \
    's|    case NN_EV_OUT:       return per_unit ? ctx->out\[layer\]\[at\] : NAN;|    case NN_EV_OUT:       return per_unit ? ctx->net[layer][at] : NAN;|' shell/notes.sh
mutant number-ties-rounded-up src/trace/format.c \
    's/        if (rest > half || (rest == half \&\& (q \& 1)))/        if (rest >= half)/' test_format
mutant number-big-path-wrong src/trace/format.c \
    's/    if (half \&\& (sticky || (a->n > 0 \&\& (a->d\[0\] \& 1)))) {   \/\* add one \*\//    if (sticky) {/' test_format
mutant number-exact-off-by-one-digit src/trace/format.c \
    's|        n = scaled_digits(v, prec - 1 - X, q);|        n = scaled_digits(v, prec - X, q);|' test_format
mutant check-around-term-unchanged src/engine/engine.c \
    's|                z\[v\] += values\[v\] \* in\[fu\];|                z[v] += col[fu] * in[fu];|' test_engine
mutant check-around-later-layer-skipped src/engine/engine.c \
    's|            for (int k = l + 1; k <= L; k++) {  /\* the layers after: whole \*/|            for (int k = l + 1; k < L; k++) {  /* the layers after: whole */|' test_engine
mutant check-weights-not-drawn src/cli/cmd_check.c \
    's|        int r = q + (int)(ls_rng_next(\&rng) % (unsigned long long)(W - q)), t = pick\[q\];|        int r = q, t = pick[q];|' shell/check.sh
mutant blas-nonfinite-unchecked src/train/fast.c \
    's|        inf_or_nan \|= !(t - t == 0.0);          /\* t - t is 0 for a finite t, NaN otherwise \*/|        (void)0;|' test_train shell/train.sh
mutant blas-eval-loss-unhalved src/train/fast.c \
    's|        sum += sh->loss == NN_LOSS_CROSS_ENTROPY ? e : 0.5 \* e;|        sum += e;|' test_train
mutant stage-bounds-first-only src/tui/model.c \
    's|            m->stage_last\[stage\] = e;|            m->stage_last[stage] = m->stage_first[stage];|' tui/test_stepper.sh
mutant note-shows-future src/tui/nav.c \
    's|        vals\[r\] = at <= shown ? v : NAN; |        vals[r] = v; |' tui/test_notes.sh
mutant note-html-shows-future src/trace/html/stepper.html \
    's|at <= cur ? p.v : "?"|p.v|' web/test_html.sh
mutant shipped-note-lies lessons/xor.lesson \
    's|it gives {X1:out_o1}|it gives 0.5|' shell/notes.sh
mutant curve-axis-not-from-0 src/tui/screen_curve.c \
    's|    double bottom = c->zoom ? lo : 0, top = hi;|    double bottom = lo, top = hi;|' tui/test_curve.sh
mutant curve-legend-lists-all src/tui/screen_curve.c \
    's|        has\[s\] = present(series\[s\], n) \&\& (s < S_ACC \|\| labels);|        has[s] = 1;|' tui/test_curve.sh
mutant curve-mark-hides-mark src/tui/screen_curve.c \
    's|    } else if (losses == 3u \|\| accs == 12u) {|    } else if (0) {|' tui/test_curve.sh
mutant curve-epoch-off-by-one src/tui/screen_curve.c \
    's|ls_n_weights(st->lesson), c->sel) == 0|ls_n_weights(st->lesson) + (size_t)ls_n_weights(st->lesson), c->sel) == 0|' tui/test_curve.sh

# issue 17: real MNIST, softmax, the loader
mutant test-rows-ignored src/train/train.c \
    's|    int last_rows = opt->test_split < 0 \&\& L->test_rows > 0;   /\* the lesson.s held-out rows \*/|    int last_rows = 0;|' shell/train.sh
mutant scale-not-applied src/lesson/csvload.c \
    's|        L->x\[row \* N + role\] = L->scale > 0 ? v / L->scale : v;   /\* the lesson.s scale key \*/|        L->x[row * N + role] = v;|' shell/edges.sh shell/train.sh
mutant data-fast-targets-reversed src/lesson/csvload.c \
    's|            twice \|= d->role\[d->y_col\[k\]\] != DATA_UNUSED, d->role\[d->y_col\[k\]\] = N + k;|            twice \|= d->role[d->y_col[k]] != DATA_UNUSED, d->role[d->y_col[k]] = N + O - 1 - k;|' shell/edits.sh
mutant softmax-as-sigmoid src/engine/engine.c \
    's|        if (net->act\[l\] == NN_ACT_SOFTMAX)      /\* out_j|        if (0)      /* out_j|' test_engine
mutant fast-number-inexact src/lesson/lesson.c \
    's|    double v = (double)m / pow10\[after > 0 ? after : 0\];|    double v = (double)m * (1.0 / pow10[after > 0 ? after : 0]);|' test_lesson
mutant softmax-any-targets src/lesson/parse.c \
    's|            if (ones != 1 \|\| others) {|            if (0) {|' shell/bad_inputs.sh

mutant image-answer-smallest src/tui/screen_step.c \
    's/        if (best < 0 || v > top) {/        if (best < 0 || v < top) {/' tui/test_image.sh
mutant pictures-answer-smallest src/trace/writer_markdown.c \
    's/        if (m->answer\[s\] < 0 || ev->value > m->best\[s\]) {/        if (m->answer[s] < 0 || ev->value < m->best[s]) {/' shell/handouts.sh
mutant html-picture-blank-pixels src/trace/html/stepper.html \
    's/        if (p <= 0) return;/        if (p < 0) return;/' web/test_html.sh
mutant export-numpy-update-sign src/trace/export.c \
    's/    "    w = w - ETA \* dw\\n"/    "    w = w + ETA * dw\\n"/' shell/export.sh

mutant matrix-gradient-transposed src/trace/matrix.c \
    's/    case TR_MX_GRAD:      return m->dw\[nn_w_index(sh, l, r, c)\];/    case TR_MX_GRAD:      return m->dw[nn_w_index(sh, l, c, r)];/' shell/matrix.sh
mutant matrix-screen-wrong-stage src/tui/screen_matrix.c \
    's/    return tr_mx_stage(sh, st->m.lesson->batch_size, ev->stage, layer, list, TR_MX_MAX);/    return tr_mx_stage(sh, st->m.lesson->batch_size, 1, 1, list, TR_MX_MAX);/' tui/test_matrix.sh
mutant matrix-screen-shows-future src/tui/screen_matrix.c \
    's/    for (; mx->fed <= last \&\& mx->fed < tr_rec_count(rec); mx->fed++)/    for (; mx->fed < tr_rec_count(rec); mx->fed++)/' tui/test_matrix.sh
mutant matrix-cursor-not-on-value src/tui/screen_matrix.c \
    's/        if (tr_mx_at(\&st->m.lesson->shape, \&list\[q\], ev, \&mx->r, \&mx->c)) {/        if (0) {/' tui/test_matrix.sh
mutant matrix-cursor-names-wrong-entry src/trace/matrix.c \
    's/    case TR_MX_NEW:       snprintf(buf, size, "w%d", nn_w_index(sh, l, r, c) + 1); return;/    case TR_MX_NEW:       snprintf(buf, size, "w%d", nn_w_index(sh, l, c, r) + 1); return;/' tui/test_matrix.sh

mutant html-targets-hidden src/trace/html/stepper.html \
    's/      var outs = 0;$/      var outs = 0, L = D.layers.length - 1;/' web/test_html.sh
mutant html-matrix-shows-future src/trace/html/stepper.html \
    's/v === undefined ? "" : at <= cur ? v.val : "?");/v === undefined ? "" : v.val);/' web/test_html.sh
mutant html-matrix-view-not-opened src/trace/html/stepper.html \
    's/var showMatrices = D.matrix === 1,/var showMatrices = false,/' web/test_html.sh
mutant html-matrix-weights-transposed src/trace/html/stepper.html \
    's/            function (r, c) { return start(wm\[r + "," + c\]); });/            function (r, c) { return start(wm[c + "," + r]); });/' web/test_html.sh

mutant image-range-wrong src/lesson/lesson.c \
    's/        \*hi = px\[i\] > \*hi ? px\[i\] : \*hi;/        (void)0;/' tui/test_image.sh
mutant picture-grey-halves-swapped src/tui/screen_step.c \
    's/                tui_text(st, y + 1 + r, x + 1 + c, 1, "▀", tui_grey(st, t, b));/                tui_text(st, y + 1 + r, x + 1 + c, 1, "▀", tui_grey(st, b, t));/' tui/test_image.sh
mutant picture-no-greys src/tui/draw.c \
    's/    st->look.greys = COLORS >= 256 \&\& COLOR_PAIRS > PAIR_GREY + TUI_GREYS \* TUI_GREYS;/    st->look.greys = 0;/' tui/test_image.sh

# the reader's check (tests/tui/test_reader.sh) and the defects it was written for (issue 28)
mutant fit-drops-first-digit src/trace/format.c \
    's/    for (int d = decimals_of(buf) - 1; d >= (lead > 0 ? lead : 0); d--) {/    for (int d = decimals_of(buf) - 1; d >= 0; d--) {/' tui/test_reader.sh
mutant given-shows-zero src/trace/format.c \
    's/        if (lead > digits \&\& lead <= TR_MAX_DIGITS)/        if (0)/' tui/test_reader.sh
mutant cut-without-mark src/tui/draw.c \
    's/    if (\*s \&\& used > 0) {                        \/\* cut: mark it \*\//    if (0) {/' tui/test_reader.sh
mutant derivation-result-dropped src/tui/screen_step.c \
    's/            budget = h - reserve;/            budget = h;/' tui/test_reader.sh
mutant figure-lines-unlabelled src/tui/figure.c \
    's/    while (k < labelled \&\& widths(sh, f, k, 1, L) > w)/    while (k < N_DEGRADE - 1 \&\& widths(sh, f, k, 1, L) > w)/' tui/test_reader.sh
mutant picture-over-figure src/tui/screen_step.c \
    's/    tui_fig_plan(st, y, pic ? pic + 1 : 0, main_w - (pic ? pic + 1 : 0), st->stepper.lay.fig_h);/    tui_fig_plan(st, y, 0, main_w, st->stepper.lay.fig_h);/' tui/test_reader.sh
mutant picture-width-per-sample src/tui/screen_step.c \
    's/    int ts = dry ? L->batch_size : s, tl/    int ts = s, tl/; s/            pic = st->stepper.lay.pic_bw;/            pic = draw_image(st, lit.sample, y, 0, st->stepper.lay.pic_w, st->stepper.lay.fig_h, 1);/' tui/test_reader.sh
mutant presenter-numbers-hidden src/tui/screen_step.c \
    's/        show_numbers = st->present.reveal >= 1;          \/\* the presenter reveals the numbers, then the result \*\//        show_numbers = 0;/' tui/test_classroom.sh
mutant quiz-old-weight-right src/tui/screen_quiz.c \
    's/        if (!same_as_asked(st, m, ev->value) \&\& !(fabs(v - ev->value) < fabs(v - m)))/        if (0)/' tui/test_quiz.sh
mutant quiz-zero-in-decimals src/tui/screen_quiz.c \
    's/    return want != 0 \&\& strspn(b, "-0.") == strlen(b) ? st->look.sig_digits : 0;/    return 0;/' tui/test_quiz.sh
mutant quiz-retry-scored src/tui/screen_quiz.c \
    's/            st->quiz.report.retried\[kind\]++;/            st->quiz.report.right[kind]++;/' tui/test_quiz.sh
mutant quiz-opens-on-first-value src/tui/tui.c \
    's/    quiz_moved(st, tr_rec_step(st->m.rec), st->m.cur);     \/\* the quiz opens on its first question \*\//    (void)0;/' tui/test_quiz.sh
mutant mistake-update-sign-as-error src/engine/mistakes.c \
    's/        n = add(out, n, max, NN_MISTAKE_UPDATE_SIGN, w + e \* g, OP(2));/        n = add(out, n, max, NN_MISTAKE_SIGN, w + e * g, OP(2));/' test_engine
mutant mistake-no-one-minus src/engine/mistakes.c \
    's/        n = add(out, n, max, NN_MISTAKE_ONE_MINUS, 1 - o, OP(0));/        (void)0;/' test_engine
mutant prompt-prefilled src/tui/edit.c \
    's/            st->edit.text\[0\] = .\\0.;/            snprintf(st->edit.text, sizeof st->edit.text, "w1=0.1");/' tui/test_edit.sh
mutant predict-counts-unreached src/tui/edit.c \
    's/        if (e > reached) {/        if (0) {/' tui/test_edit.sh
mutant serve-port-then-lesson src/cli/cmd_step.c \
    's/    return digits == n || (w\[n - 1 - digits\] == .:. \&\& !strchr(w, .\/.));/    return 0;/' shell/usage.sh
mutant note-question-mark src/trace/notes.c \
    's/            strcpy(num, "(not computed yet)");/            strcpy(num, "?");/' tui/test_notes.sh

# issue 29: exact at the edges
mutant softmax-loss-cancels src/engine/engine.c \
    's|    double lse = log1p(rest); |    double lse = log(1.0 + rest); |' test_engine
mutant batch-rows-count-held-out src/trace/format.c \
    's|    int n = L->batch_size, train = L->n_rows - L->test_rows;|    int n = L->batch_size, train = L->n_rows;|' shell/edges.sh
mutant standardize-all-rows src/lesson/csvload.c \
    's|    ls_standardize_rows(L, NULL, L->n_rows - L->test_rows);|    ls_standardize_rows(L, NULL, L->n_rows);|' shell/edges.sh
mutant export-compare-absolute src/trace/export.c \
    's|    "    floor = max(1e-3 \* np.abs(ref).max(), 1e-300)\\n"|    "    floor = 1\\n"|' shell/export.sh
# issue 30: nothing lost, nothing frozen
mutant output-may-be-an-input src/trace/atomic.c \
    's|    if (L \&\& ls_was_read(L, |    if (0 \&\& ls_was_read(L, |' shell/output.sh
mutant output-may-be-stdin src/trace/atomic.c \
    's|S_ISREG(in.st_mode) \&\& in.st_dev == out.st_dev|0 \&\& in.st_dev == out.st_dev|' shell/output.sh
mutant link-loop-written src/trace/atomic.c \
    's|        if (errno != ELOOP)$|        if (1)|' shell/output.sh
mutant export-lesson-steps-unlimited src/cli/cmd_export.c \
    's|    if (!steps \&\& L->steps > TR_EXPORT_MAX_STEPS) {|    if (0) {|' shell/export.sh
mutant image-size-wraps src/lesson/parse.c \
    's/    if (whole(wide, 1, N, w) != 0 || whole(x + 1, 1, N, h) != 0)/    if ((*w = (unsigned)strtoul(wide, NULL, 10)) < 1 || (*h = (unsigned)strtoul(x + 1, NULL, 10)) < 1)/' shell/bad_inputs.sh
mutant scale-subnormal-accepted src/lesson/parse.c \
    's/        if (rc != 0 || !(L->scale > 0) || !isnormal(L->scale)) {/        if (rc != 0 || !(L->scale > 0)) {/' shell/bad_inputs.sh
mutant nonfinite-named-by-wrong-engine src/trace/run.c \
    's|            nn_ctx_nonfinite_text(failed, what, sizeof what);|            nn_ctx_nonfinite_text(ctx, what, sizeof what);|' shell/edits.sh
mutant standardize-rows-list-ignored src/lesson/csvload.c \
    's|^#define ROW(q) (rows ? rows\[q\] : (q))$|#define ROW(q) (q)|' test_lesson
# issue 31: one key table
mutant help-drops-a-key src/tui/screen_help.c \
    's|^    for (int q = 0; q < n; q++) {$|    for (int q = 0; q < n - 1; q++) {|' tui/test_stepper.sh
mutant predicting-row-always src/tui/keys.c \
    's|^        if (!row_has(d, key) \|\| ((d->flags \& TUI_KEY_PREDICTING) \&\& !predicting))$|        if (!row_has(d, key))|' \
    tui/test_matrix.sh
mutant quiz-crosses-ignored src/tui/tui.c \
    's|^        if (tui_action_flags(act) \& TUI_KEY_CROSSES)$|        if (0)|' tui/test_quiz.sh
mutant serve-port-zero-not-shown src/tui/follow.c \
    's|^    if (getsockname(fd, (struct sockaddr \*)\&bound, \&bound_len) == 0)$|    if (0)|' tui/test_follow.sh
mutant train-loss-fixed-width src/cli/cmd_train.c \
    's|^    tr_fmt_fit(e->loss, TRAIN_LOSS_DIGITS, TRAIN_LOSS_WIDTH, loss);$|    snprintf(loss, sizeof loss, "%.6f", e->loss);|' shell/train.sh

# issue 31: no fixed buffer that cuts text
mutant note-cut-at-4k src/trace/notes.c \
    's|^    size_t len = tr_note(L, t, vals, digits, sig, none, 0);$|    size_t len = tr_note(L, t, vals, digits, sig, none, 0) % 4096;|' shell/long_text.sh
mutant dup-cut-at-2k src/text/text.c \
    's|^    size_t len = fn(text, none, 0);$|    size_t len = fn(text, none, 0) % 2048;|' shell/long_text.sh

# issue 31: one output for every command that writes a file
mutant output-failure-kept src/cli/output.c \
    's|^        cli_output_abort(o);$|        (void)o;|' shell/output.sh
mutant write-failure-unnamed src/cli/output.c \
    's|^        if (rc == TR_EWRITE)$|        if (0)|' shell/output.sh
mutant output-error-names-file src/cli/output.c \
    's|^        if (rc == TR_EWRITE)$|        if (o->path \|\| rc == TR_EWRITE)|' shell/output.sh
# issue 28: every printed example runs as printed and does what it says
mutant play-space-does-not-pause src/tui/screen_step.c \
    's|^        st->play.on = !st->play.on;$|        st->play.on = 1;|' tui/test_examples.sh
# issue 29: the DOT note wrapped, by characters
mutant dot-note-one-line src/trace/writer_dot.c \
    's|^#define DOT_NOTE_WIDTH 72 |#define DOT_NOTE_WIDTH 7200 |' shell/exports.sh
mutant wrap-counts-bytes src/text/text.c \
    's|^            q += n ? (size_t)n : 1;$|            q += n ? (size_t)n : 1; cols += n > 1 ? n - 1 : 0;|' test_format
# issue 29: a typed number written whole (scale = 100 was "1e+02"); the docs' lists
mutant given-in-exponent-form src/trace/format.c \
    's|^    if (e \&\& isfinite(v)) {$|    if (0) {|' test_format shell/trace_text.sh
# issue 30: the text trace's title within 80 columns
mutant title-not-wrapped src/trace/writer_text.c \
    's|tx_wrap_next(title, \&at, TEXT_COLS - indent, \&end)|tx_wrap_next(title, \&at, 100000, \&end)|' shell/trace_text.sh
# issue 30: every fatal signal restores the terminal
mutant quit-leaves-terminal-raw src/tui/tui.c \
    's|^    static const int fatal\[\] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, |    static const int fatal[] = { SIGINT, SIGTERM, SIGHUP, |' tui/test_stepper.sh
# issue 30: every field of a step code checked against the lesson
mutant code-value-overflows src/tui/nav.c \
    's|^    if (first < 0 \|\| at->value > last - first + 1) {|    if (first < 0 \|\| first + at->value - 1 > last) {|' tui/test_codes.sh
mutant code-step-cast-first src/tui/code.c \
    's|^    step = strtol(part\[1\], \&end, 10);$|    step = (int)strtol(part[1], \&end, 10);|' tui/test_codes.sh
# issue 30: train stops at the first loss that is not finite, keeping the last finite weights
mutant train-loss-nonfinite-unchecked src/train/train.c \
    's|^    if (isfinite(e->loss) \&\& (!n_test \|\| isfinite(e->test_loss)))|    if (1)|' shell/train.sh
mutant train-last-finite-not-kept src/train/train.c \
    's|^        memcpy(r.net->w, good, (size_t)r.net->n_weights \* sizeof(double));$|        (void)good;|' shell/train.sh
# issue 30: every invisible character made visible, whatever its length
mutant invisible-only-3-bytes src/text/text.c \
    's|^        } else if (n >= 2 \&\& tx_invisible(tx_utf8_code(s, n))) {$|        } else if (n == 3 \&\& tx_invisible(tx_utf8_code(s, n))) {|' test_format shell/untrusted.sh
mutant json-astral-unpaired src/trace/format.c \
    's|^            if (cp > 0xFFFF) |            if (0) |' test_format
# issue 30: a note's math that would not compile is left as text
mutant note-scripts-unchecked src/trace/writer_latex.c \
    's/^    if (depth != 0 || note_scripts_ok(w, n) != 0)$/    if (depth != 0)/' shell/untrusted.sh
# issue 30: a follower catches up with a far step in slices, keys answered
mutant follow-catch-up-unsliced src/tui/follow.c \
    's|^    if (code->step > reached + f->chunk) {$|    if (0) {|' tui/test_follow_far.sh
# issue 30: a code too long for its edits is not sent cut short
mutant code-cut-short src/tui/code.c \
    's|^    if (n <= 0 \|\| (size_t)n >= sizeof body) {   /\* edits too long|    if (0) {   /* edits too long|' tui/test_follow_far.sh
# issue 28: every number the web page shows is the trace's
mutant html-input-misdrawn src/trace/writer_html.c \
    's|tr_fmt_num_given(L->x\[(size_t)r \* N + i\], tr_out_prec(out), num)|tr_fmt_num_given(L->x[(size_t)r * N + i] + 0.01, tr_out_prec(out), num)|' web/test_html_read.sh
# review: a failed save after a blow-up still says why training stopped
mutant train-blowup-reason-lost-on-save src/cli/cmd_train.c \
    's|^            cli_error("%s", err);$|            (void)err;|' shell/train.sh
# issue 29: check's noise measured from the data
mutant check-noise-bounded src/engine/engine.c \
    's|^    return sigma;$|    return DBL_EPSILON * 4000 * 0.1;|' test_engine
mutant check-limit-loose src/engine/engine.h \
    's|#define NN_CHECK_LIMIT 5e-7|#define NN_CHECK_LIMIT 1e-6|' test_engine
mutant check-kinks-by-slopes-only src/engine/engine.c \
    's|int bent = c->wobble > NN_CHECK_SIGMAS \* noise \|\||int bent = 0 \|\||' shell/check.sh
mutant check-noise-from-kinks src/engine/engine.c \
    's|while (k > 1 \&\& w\[k - 1\] > NN_CHECK_SIGMAS \* first)|while (0)|' shell/check.sh
# issue 29: significant digits in handouts, the worksheet key's source
mutant min-sig-off src/trace/format.c \
    's|return p.digits + e + 1 < least ? least : 0;|return 0;|' shell/trace_text.sh test_format
mutant trace-sig-ignored src/cli/cmd_trace.c \
    's|\.sig = a\.prec\.sig,|.sig = 0,|' shell/trace_text.sh
mutant export-shown-rule-differs src/trace/export.c \
    's|least = min(3, DIGITS)|least = min(2, DIGITS)|' shell/export.sh
mutant worksheet-key-no-source src/trace/writer_latex.c \
    's|if (out->ws.sheet \&\& out->ws.answers)                   /\* the key: and what it rounds from \*/|if (0)|' shell/worksheet.sh
mutant worksheet-key-source-short src/trace/format.c \
    's|return tr_fmt_fixed(v, shown + more < TR_MAX_DIGITS ? shown + more : TR_MAX_DIGITS, buf);|return tr_fmt_fixed(v, shown + more - 1, buf);|' shell/worksheet.sh
# issue 29: the LaTeX handout
mutant latex-reused-unmarked src/trace/writer_latex.c \
    's|if (tr_op_reused(to, ev, pc.op)) {|if (0) {|' shell/handouts.sh
mutant reuse-not-tracked src/trace/run.c \
    's|if (ev->stage == NN_STAGE_OUTPUT_BACKWARD) {          /\* what stage 5 reuses: tr_op_reused \*/|if (0) {|' shell/handouts.sh
mutant figure-labels-unplaced src/trace/figure.c \
    's|^        f->edges\[e\].pos = at;$|        f->edges[e].pos = pref[e];|' test_format
mutant figure-labels-tiny src/trace/writer_latex.c \
    's|text=black, inner sep=1pt, font=\\\\footnotesize|text=black, inner sep=1pt, font=\\\\tiny|' shell/handouts.sh
# issue 30: a name looked up in the stepper's loop again
mutant lookup-blocks-keys src/tui/follow.c \
    's|^    if (!f->lookup \&\& getaddrinfo(f->host, f->port, \&hints, res) == 0)$|    hints.ai_flags = 0;\n    if (!f->lookup \&\& getaddrinfo(f->host, f->port, \&hints, res) == 0)|' tui/test_follow_dns.sh
mutant half-closed-dropped src/tui/follow.c \
    's|if (n == 0) {                         /\* its side closed: it may still read \*/|if (0) {|' tui/test_follow.sh
mutant half-closed-kept-forever src/tui/follow.c \
    's|if (f->followers\[q\] >= 0 \&\& (changed \|\| f->quiet\[q\]))|if (f->followers[q] >= 0 \&\& changed)|' tui/test_follow.sh
# issue 31: no fixed buffer cuts text
mutant html-note-run-cut src/trace/writer_html.c \
    's|^            text\[pc.len\] = .\\0.;$|            text[pc.len > 4095 ? 4095 : pc.len] = 0;|' shell/long_text.sh
mutant markdown-title-cut src/trace/writer_markdown.c \
    's|tx_dup_with(tr_escape_markdown, L->title);   /\* never cut \*/|tx_dup_with(tr_escape_markdown, L->title); if (title \&\& strlen(title) > 4095) title[4095] = 0;|' shell/long_text.sh
mutant code-name-cut src/tui/code.c \
    's|name\[TUI_CODE_SIZE\], letters|name[64], letters|' tui/test_codes.sh
# issue 32: the JSON Lines writer's own line buffer
mutant jsonl-zero-not-null src/trace/writer_jsonl.c \
    's|if (null_unless_positive \&\& v <= 0) {|if (null_unless_positive \&\& v < 0) {|' shell/exports.sh
mutant jsonl-escape-run-lets-quote-through src/trace/format.c \
    's|while (\*p >= 0x20 \&\& \*p < 0x7F \&\& \*p != .". \&\& \*p != .\\\\.)|while (*p >= 0x20 \&\& *p < 0x7F \&\& *p != 0x5c)|' shell/untrusted.sh
mutant arena-not-reused src/trace/record.c \
    's|^    rec->cur_block = -1;$|    rec->cur_block = rec->cur_block;|' test_engine
# issue 31: the bottom lines from the key table
mutant hint-line-wrong-word src/tui/keys.c \
    's|"back", "←/h", "h", "back", "h/Left"|"prev", "←/h", "h", "back", "h/Left"|' tui/test_stepper.sh
mutant latex-table-split-early src/trace/writer_latex.c \
    's|    if (tt->rows == tt->max_rows) {|    if (tt->rows + 1 == tt->max_rows) {|' shell/handouts.sh
mutant export-zero-as-decimals src/trace/export.c \
    's|    "    if SIG and v == 0:\\n"|    "    if False:\\n"|' shell/export.sh
mutant export-huge-in-fixed-form src/trace/export.c \
    's|    "    if math.isfinite(v) and abs(v) >= 1e15:\\n"|    "    if False:\\n"|' shell/export.sh
mutant template-brackets-as-text src/trace/layout.c \
    's|text(&b, "\$ft\$("); op(&b, 0); text(&b, "\$)");|text(\&b, "tanh("); op(\&b, 0); text(\&b, ")");|' test_format
mutant name-parts-wrong src/trace/layout.c \
    's|part(a, "dE", -1, "total"); part(b, "dnet", -1, u);|part(a, "dE", -1, "total"); part(b, "dout", -1, u);|' test_format
mutant latex-reciprocal-plain src/trace/writer_latex.c \
    's|kind == .R. ? "\\\\frac{1}{" :|kind == \x27R\x27 ? "1/{" :|' shell/exports.sh
mutant latex-function-slanted src/trace/writer_latex.c \
    's|        tb_put(b, "\\\\");|        tb_put(b, "");|' shell/exports.sh
mutant latex-power-plain src/trace/writer_latex.c \
    's|kind == .S. ? "e^{" :|kind == \x27S\x27 ? "e^(" :|' shell/exports.sh
mutant engine-fast-reassociated src/engine/engine.c \
    's|                r += a3\[j\] \* b3\[j\] \* c3;|                r += a3[j] * (b3[j] * c3);|' test_engine
mutant change-sign-flipped src/engine/engine.c \
    's|        change\[m\] = after\[m\] - before\[m\];|        change[m] = before[m] - after[m];|' shell/handouts.sh
mutant quiz-typing-line-literal src/tui/screen_step.c \
    's|tui_keys_hint(TUI_HINT_ANSWERING, st->look.unicode, hint, sizeof hint));|"q quit");|' tui/test_quiz.sh
mutant quiz-typing-takes-next src/tui/screen_quiz.c \
    's|        } else if (tui_action_flags(act) \& TUI_KEY_ANSWERING) {|        } else if (tui_action_flags(act) \& TUI_KEY_QUIZ) {|' tui/test_quiz.sh
mutant curve-esc-not-back src/tui/keys.c \
    's|TUI_VIEW_CURVE, TUI_VA_BACK, { .t., 27 }|TUI_VIEW_CURVE, TUI_VA_BACK, { 0x74 }|' tui/test_curve.sh
mutant matrix-line-short src/tui/keys.c \
    's|"Tab", "next matrix" }|NULL, NULL }|' tui/test_matrix.sh
mutant curve-error-line-full src/tui/screen_curve.c \
    's|tui_view_hint(TUI_VIEW_CURVE, 1, line, sizeof line)|tui_view_hint(TUI_VIEW_CURVE, 0, line, sizeof line)|' tui/test_curve.sh
mutant quiz-calls-nav src/tui/quiz.c \
    's|            tui_model_go(&st->m, e); |            tui_go(st, e); |' shell/layers.sh
mutant writers-listed-in-run src/trace/run.c \
    's|^int tr_most_changed(|const void *tr_run_writers(void) { return \&tr_writer_csv; }\nint tr_most_changed(|' shell/layers.sh
mutant quiz-typing-not-redrawn src/tui/screen_quiz.c \
    's|^        return TUI_REDRAW;$|        return TUI_HANDLED;|' tui/test_reader.sh
mutant loop-no-redraw-after-key src/tui/tui.c \
    's|^        dirty = k == KEY_RESIZE \|\| key(&st, k) != TUI_HANDLED;|        dirty = k == KEY_RESIZE; key(\&st, k);|' tui/test_quiz.sh
# issue 31: mutants find their lines by markers
mutant mutant-renamed tests/mutants.sh \
    's|^mutant fast-exp-term src/train/fast.c|mutant fast-exp-terms src/train/fast.c|' shell/mutant_markers.sh
mutant mutant-moved-file tests/mutants.sh \
    's|^mutant numbers-cut-at-64-bytes src/trace/format.c|mutant numbers-cut-at-64-bytes src/trace/run.c|' \
    shell/mutant_markers.sh
mutant oom-said-write-failed src/trace/run.c \
    's|    if (ferror(out->opt.fp)) {|    if (1) {|' test_oom
mutant mistakes-never-recorded src/trace/record.c \
    's|    rec->mistakes = mistakes;|    rec->mistakes = 0;|' tui/test_quiz.sh
# issue 32: an event's operands after its step, for the deps read on demand
mutant weight-dep-after-update src/engine/engine.c \
    's|\.dep = ctx->updated ? ctx->id_w_old\[m\] : ctx->id_w\[m\],|.dep = ctx->id_w[m],|' test_engine
mutant recorded-formula-never-laid-out src/trace/record.c \
    's|    if (!e->formula)|    if (0)|' test_engine
mutant layout-of-wrong-event src/trace/record.c \
    's|nn_event ev = engine_event(rec, i);|nn_event ev = engine_event(rec, i > 0 ? i - 1 : 0);|' test_engine
# issue 32: the web page's data compressed and in base64
mutant html-data-not-finished src/trace/writer_html.c \
    's|    z_run(h, Z_FINISH);|    z_run(h, Z_NO_FLUSH);|' web/test_html.sh
mutant html-last-base64-group-dropped src/trace/writer_html.c \
    's|    b64_put(h, NULL, 0, 1);|    (void)0;|' web/test_html.sh
# issue 32: a batch of 1 as dgemv and dger
mutant vectors-update-sign src/train/fast.c \
    's|f->dger(CblasRowMajor, NI, NJ, -lr,|f->dger(CblasRowMajor, NI, NJ, lr,|' test_train
mutant index-misses-last src/tui/model.c \
    's|for (long e = 0, n = tr_rec_count(rec); e < n; e++) {|for (long e = 0, n = tr_rec_count(rec); e < n - 1; e++) {|' test_engine
mutant recorded-never-named src/trace/record.c \
    's|    if (!e->symbol) {|    if (0) {|' tui/test_stepper.sh
mutant made-events-kept src/trace/record.c \
    's|    rec->held++;|    (void)0;|' test_engine
mutant html-data-stored src/trace/writer_html.c \
    's|deflateInit2(&h->z, Z_DEFAULT_COMPRESSION,|deflateInit2(\&h->z, Z_NO_COMPRESSION,|' web/test_html.sh
mutant deps-forgets-zlib scripts/deps.sh \
    's|    need zlib1g-dev has_pc zlib|    :|' shell/deps.sh
echo "worker done"
