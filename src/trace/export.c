/*
 * export.c - a bridge to numpy and PyTorch: a short script that builds the
 * lesson's network, weights and batches, runs the traced steps (numpy:
 * Part 2's matrix formulas, by hand; PyTorch: autograd), prints E_final of
 * each step, and checks every gradient, updated weight and E_final against
 * the values this trace computed (written into the script), to 1e-12.
 *
 * Both are tr_writers driven by tr_run: they keep the trace's E_final,
 * dE_final/dw and updated weights of each step, and write the script at the
 * end.  Numbers go in as the shortest text that reads back to the same
 * double (tr_fmt_roundtrip).
 */
#include "trace.h"
#include "../text/text.h"

#include <stdlib.h>
#include <string.h>

/* What the writers keep while the trace runs. */
/* tr_fmt_num's rule in Python, so that the script prints E_final as
 * `nntrace trace` does at the same --digits and --sig (tests/shell/export.sh
 * compares the two). */
static const char shown_py[] =
    "def shown(v):\n"
    "    \"\"\"v as nntrace writes it: DIGITS decimals, but at least min(3, DIGITS)\n"
    "    significant digits; with SIG, SIG significant digits.\"\"\"\n"
    "    if SIG and v == 0:\n" /* mutant: export-zero-as-decimals */
    "        return \"0\"\n"
    "    if math.isfinite(v) and abs(v) >= 1e15:\n" /* mutant: export-huge-in-fixed-form */
    "        return f\"{v:.{(SIG - 1) if SIG else DIGITS}e}\"\n"
    "    least = min(3, DIGITS)\n" /* mutant: export-shown-rule-differs */
    "    lead = math.floor(math.log10(abs(v))) if v != 0 and math.isfinite(v) else 0\n"
    "    want = SIG or (least if v != 0 and abs(v) < 1 and DIGITS + lead + 1 < least else 0)\n"
    "    if want and v != 0 and math.isfinite(v):\n"
    "        decimals = want - 1 - lead\n"
    "        return f\"{v:.{want - 1}e}\" if decimals > 17 else f\"{v:.{max(decimals, 0)}f}\"\n"
    "    return f\"{v:.{DIGITS}f}\"";

typedef struct ex_state {
    int torch;                /* PyTorch (else numpy) */
    int W;                    /* weights */
    double *w0;               /* the starting weights (W) */
    double *e_final;          /* per step: E_final */
    double *dw;               /* per step: dE_final/dw, W each */
    double *w;                /* per step: the updated weights, W each */
} ex_state;

static void put_doubles(FILE *fp, const double *v, long n, int per_line)
{
    char num[TR_NUM_SIZE];
    fputc('[', fp);
    for (long q = 0; q < n; q++) {
        if (q)
            fputs(q % per_line ? ", " : ",\n    ", fp);
        fputs(tr_fmt_roundtrip(v[q], num), fp);
    }
    fputc(']', fp);
}

static int ex_begin(tr_out *out, int torch)
{
    const ls_lesson *L = out->opt.lesson;
    ex_state *x = calloc(1, sizeof *x);
    if (!x)
        return -1;
    out->state = x;
    x->torch = torch;
    x->W = ls_n_weights(L);
    size_t W = (size_t)x->W, S = (size_t)out->opt.steps;
    x->w0 = malloc(W * sizeof(double));
    x->e_final = malloc(S * sizeof(double));
    x->dw = malloc(S * W * sizeof(double));
    x->w = malloc(S * W * sizeof(double));
    if (!x->w0 || !x->e_final || !x->dw || !x->w)
        return -1;
    memcpy(x->w0, L->weights, W * sizeof(double));
    return 0;
}

static int ex_begin_numpy(tr_out *out) { return ex_begin(out, 0); }
static int ex_begin_torch(tr_out *out) { return ex_begin(out, 1); }

static int ex_event(tr_out *out, const tr_event *ev)
{
    ex_state *x = out->state;
    size_t at = (size_t)(ev->step - 1);
    if (ev->kind == NN_EV_LOSS_BATCH)
        x->e_final[at] = ev->value;
    else if (ev->kind == NN_EV_GRADIENT)
        x->dw[at * (size_t)x->W + (size_t)ev->weight - 1] = ev->value;
    else if (ev->kind == NN_EV_UPDATE)
        x->w[at * (size_t)x->W + (size_t)ev->weight - 1] = ev->value;
    return 0;
}

/* The script's header: what it is, the network, the weights, the batches, the trace's values. */
static int put_data(tr_out *out, ex_state *x, const char *lib)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    int N = nn_n_inputs(sh), O = nn_n_outputs(sh), Ln = sh->n_layers;
    char num[TR_NUM_SIZE], *title = tx_sanitize_dup(L->title);   /* never cut */
    if (!title)
        return -1;
    for (char *p = title; *p; p++)
        if (*p == '"' || *p == '\\')
            *p = '\'';                          /* stays inside the docstring */
    fprintf(fp, "\"\"\"%s, in %s: written by nntrace export.\n\n", title, lib);
    free(title);
    fprintf(fp, "The same network, starting weights and batches as `nntrace trace`, %d step%s of\n"
                "gradient descent %s;\nevery dE_final/dw, updated weight and E_final is "
                "checked against the values\nnntrace traced (TRACE below) to 1e-12.\n\"\"\"\n",
            out->opt.steps, out->opt.steps == 1 ? "" : "s",
            x->torch ? "with autograd computing the gradients"
                     : "written with matrices as in Part 2 of the walkthrough");
    fprintf(fp, "import math\nimport sys\n\n%s\n\n", x->torch ? "import torch" : "import numpy as np");
    fprintf(fp, "DIGITS, SIG = %d, %d   # how E_final is printed (nntrace export --digits, --sig)\n\n\n"
                "%s\n\n", out->opt.digits, out->opt.sig, shown_py);
    fprintf(fp, "SIZES = [");
    for (int l = 0; l <= Ln; l++)
        fprintf(fp, "%s%d", l ? ", " : "", sh->size[l]);
    fprintf(fp, "]            # inputs, hidden layers, outputs\nACTIVATIONS = [None");
    for (int l = 1; l <= Ln; l++)
        fprintf(fp, ", \"%s\"", nn_act_name(sh->act[l]));
    fprintf(fp, "]\nLOSS = \"%s\"\nETA = %s\n\n", nn_loss_name(sh->loss), tr_fmt_given(L->learning_rate, num));
    fprintf(fp, "# the starting weights w1..w%d in nntrace's numbering: each layer's matrix\n"
                "# (from unit i to unit j at i*size[l] + j), layer by layer, then every layer's biases\n"
                "W0 = ", x->W);
    put_doubles(fp, x->w0, x->W, 4);
    fprintf(fp, "\n\n# the batch of each step: inputs X (n x %d) and targets Y (n x %d)\nBATCHES = [\n", N, O);
    double *bx = malloc((size_t)L->batch_size * (size_t)N * sizeof(double));
    double *by = malloc((size_t)L->batch_size * (size_t)O * sizeof(double));
    if (!bx || !by) {                     /* not a script with fewer batches than steps */
        free(bx);
        free(by);
        return -1;
    }
    for (int step = 1; step <= out->opt.steps; step++) {
        ls_batch(L, step, bx, by);
        fprintf(fp, "  (");
        put_doubles(fp, bx, (long)L->batch_size * N, N);
        fprintf(fp, ",\n   ");
        put_doubles(fp, by, (long)L->batch_size * O, O);
        fprintf(fp, "),\n");
    }
    free(bx);
    free(by);
    fprintf(fp, "]\n\n# what nntrace traced, per step: E_final, every dE_final/dw, the updated weights\nTRACE = [\n");
    for (int s = 0; s < out->opt.steps; s++) {
        fprintf(fp, "  (%s,\n   ", tr_fmt_roundtrip(x->e_final[s], num));
        put_doubles(fp, x->dw + (size_t)s * x->W, x->W, 4);
        fprintf(fp, ",\n   ");
        put_doubles(fp, x->w + (size_t)s * x->W, x->W, 4);
        fprintf(fp, "),\n");
    }
    fprintf(fp, "]\n\n");
    return 0;
}

static const char numpy_body[] =
    "L = len(SIZES) - 1\n"
    "\n"
    "\n"
    "def rel(a, ref):\n"
    "    \"\"\"The largest |a - ref| relative to ref; near 0 (under 1/1000 of ref's largest) to that.\"\"\"\n"
    "    a, ref = np.atleast_1d(a), np.atleast_1d(ref)\n"
    "    floor = max(1e-3 * np.abs(ref).max(), 1e-300)\n" /* mutant: export-compare-absolute */
    "    return (np.abs(a - ref) / np.maximum(np.abs(ref), floor)).max()\n"
    "\n"
    "\n"
    "def unpack(w):\n"
    "    \"\"\"nntrace's flat weights as a matrix Wl (size[l-1] x size[l]) and a bias vector bl per layer.\"\"\"\n"
    "    Ws, bs, at = [None], [None], 0\n"
    "    for l in range(1, L + 1):\n"
    "        n = SIZES[l - 1] * SIZES[l]\n"
    "        Ws.append(w[at:at + n].reshape(SIZES[l - 1], SIZES[l]))\n"
    "        at += n\n"
    "    for l in range(1, L + 1):\n"
    "        bs.append(w[at:at + SIZES[l]])\n"
    "        at += SIZES[l]\n"
    "    return Ws, bs\n"
    "\n"
    "\n"
    "def pack(Ws, bs):\n"
    "    return np.concatenate([Ws[l].ravel() for l in range(1, L + 1)] + [bs[l] for l in range(1, L + 1)])\n"
    "\n"
    "\n"
    "def activate(act, net):\n"
    "    if act == \"sigmoid\":\n"
    "        return 1 / (1 + np.exp(-net))\n"
    "    if act == \"tanh\":\n"
    "        return np.tanh(net)\n"
    "    if act == \"relu\":\n"
    "        return np.maximum(0, net)\n"
    "    if act == \"softmax\":\n"
    "        e = np.exp(net - net.max(axis=1, keepdims=True))\n"
    "        return e / e.sum(axis=1, keepdims=True)\n"
    "    return net\n"
    "\n"
    "\n"
    "def slope(act, net, out):\n"
    "    \"\"\"dout/dnet, elementwise.\"\"\"\n"
    "    if act == \"sigmoid\":\n"
    "        return out * (1 - out)\n"
    "    if act == \"tanh\":\n"
    "        return 1 - out ** 2\n"
    "    if act == \"relu\":\n"
    "        return (net > 0).astype(float)\n"
    "    return np.ones_like(out)\n"
    "\n"
    "\n"
    "w = np.array(W0)\n"
    "worst = 0.0\n"
    "for step, ((xs, ys), (e_trace, dw_trace, w_trace)) in enumerate(zip(BATCHES, TRACE), 1):\n"
    "    X = np.array(xs).reshape(-1, SIZES[0])\n"
    "    Y = np.array(ys).reshape(-1, SIZES[-1])\n"
    "    n = len(X)\n"
    "    Ws, bs = unpack(w)\n"
    "    # stages 1 and 2: net = in @ W + b, out = f(net), layer by layer\n"
    "    outs, nets = [X], [None]\n"
    "    for l in range(1, L + 1):\n"
    "        nets.append(outs[l - 1] @ Ws[l] + bs[l])\n"
    "        outs.append(activate(ACTIVATIONS[l], nets[l]))\n"
    "    out, net = outs[L], nets[L]\n"
    "    # stage 3: E_total per sample, E_final their mean\n"
    "    if LOSS == \"quadratic\":\n"
    "        e_total = 0.5 * ((out - Y) ** 2).sum(axis=1)\n"
    "    elif ACTIVATIONS[L] == \"softmax\":\n"
    "        top = net.max(axis=1, keepdims=True)\n"
    "        lse = top + np.log(np.exp(net - top).sum(axis=1, keepdims=True))\n"
    "        e_total = (Y * (lse - net)).sum(axis=1)\n"
    "    else:\n"
    "        e_total = (Y * np.logaddexp(0, -net) + (1 - Y) * np.logaddexp(0, net)).sum(axis=1)\n"
    "    e_final = e_total.mean()\n"
    "    # stage 4: delta = dE_total/dnet of the outputs\n"
    "    if LOSS == \"quadratic\":\n"
    "        delta = (out - Y) * slope(ACTIVATIONS[L], net, out)\n"
    "    else:\n"
    "        delta = out - Y                 # the slope cancels (sigmoid or softmax outputs)\n"
    "    # stages 4 and 5: each layer's gradients, then the delta of the layer below\n"
    "    dWs, dbs = [None] * (L + 1), [None] * (L + 1)\n"
    "    for l in range(L, 0, -1):\n"
    "        dWs[l] = outs[l - 1].T @ delta / n\n"
    "        dbs[l] = delta.mean(axis=0)\n"
    "        if l > 1:\n"
    "            delta = (delta @ Ws[l].T) * slope(ACTIVATIONS[l - 1], nets[l - 1], outs[l - 1])\n"
    "    dw = pack(dWs, dbs)\n"
    "    # stage 6: every weight at once\n"
    "    w = w - ETA * dw\n" /* mutant: export-numpy-update-sign */
    "    diff = max(rel(e_final, e_trace), rel(dw, np.array(dw_trace)), rel(w, np.array(w_trace)))\n"
    "    worst = max(worst, diff)\n"
    "    print(f\"step {step}: E_final = {shown(e_final)}, largest difference from nntrace {diff:.2e}\")\n"
    "print(\"ok: equal to nntrace's trace within 1e-12\" if worst <= 1e-12 else\n"
    "      f\"DIFFERENT: {worst:.3e} from nntrace's trace\")\n"
    "sys.exit(0 if worst <= 1e-12 else 1)\n";

static const char torch_body[] =
    "torch.set_default_dtype(torch.float64)\n"
    "L = len(SIZES) - 1\n"
    "ACT = {\"sigmoid\": torch.sigmoid, \"tanh\": torch.tanh, \"relu\": torch.relu,\n"
    "       \"linear\": lambda z: z, \"softmax\": lambda z: torch.softmax(z, dim=1)}\n"
    "\n"
    "\n"
    "def rel(a, ref):\n"
    "    \"\"\"The largest |a - ref| relative to ref; near 0 (under 1/1000 of ref's largest) to that.\"\"\"\n"
    "    a, ref = a.detach().reshape(-1), ref.reshape(-1)\n"
    "    floor = max(1e-3 * ref.abs().max().item(), 1e-300)\n"
    "    return ((a - ref).abs() / ref.abs().clamp(min=floor)).max().item()\n"
    "\n"
    "\n"
    "def unpack(w):\n"
    "    \"\"\"nntrace's flat weights as a matrix Wl (size[l-1] x size[l]) and a bias vector bl per layer.\"\"\"\n"
    "    Ws, bs, at = [None], [None], 0\n"
    "    for l in range(1, L + 1):\n"
    "        n = SIZES[l - 1] * SIZES[l]\n"
    "        Ws.append(w[at:at + n].view(SIZES[l - 1], SIZES[l]))\n"
    "        at += n\n"
    "    for l in range(1, L + 1):\n"
    "        bs.append(w[at:at + SIZES[l]])\n"
    "        at += SIZES[l]\n"
    "    return Ws, bs\n"
    "\n"
    "\n"
    "w = torch.tensor(W0, dtype=torch.float64)\n"
    "worst = 0.0\n"
    "for step, ((xs, ys), (e_trace, dw_trace, w_trace)) in enumerate(zip(BATCHES, TRACE), 1):\n"
    "    X = torch.tensor(xs, dtype=torch.float64).view(-1, SIZES[0])\n"
    "    Y = torch.tensor(ys, dtype=torch.float64).view(-1, SIZES[-1])\n"
    "    w.requires_grad_(True)\n"
    "    Ws, bs = unpack(w)\n"
    "    out = X\n"
    "    for l in range(1, L + 1):              # stages 1 and 2\n"
    "        net = out @ Ws[l] + bs[l]\n"
    "        out = ACT[ACTIVATIONS[l]](net)\n"
    "    if LOSS == \"quadratic\":                # stage 3\n"
    "        e_total = 0.5 * ((out - Y) ** 2).sum(dim=1)\n"
    "    elif ACTIVATIONS[L] == \"softmax\":\n"
    "        e_total = -(Y * torch.log_softmax(net, dim=1)).sum(dim=1)\n"
    "    else:\n"
    "        e_total = torch.nn.functional.binary_cross_entropy_with_logits(net, Y, reduction=\"none\").sum(dim=1)\n"
    "    e_final = e_total.mean()\n"
    "    e_final.backward()                     # stages 4 and 5: autograd\n"
    "    dw = w.grad\n"
    "    with torch.no_grad():                  # stage 6\n"
    "        w = w - ETA * dw\n"
    "    e = torch.tensor(e_trace, dtype=torch.float64)\n"
    "    dwt, wt = torch.tensor(dw_trace, dtype=torch.float64), torch.tensor(w_trace, dtype=torch.float64)\n"
    "    diff = max(rel(e_final, e), rel(dw, dwt), rel(w, wt))\n"
    "    worst = max(worst, diff)\n"
    "    print(f\"step {step}: E_final = {shown(e_final.item())}, largest difference from nntrace {diff:.2e}\")\n"
    "print(\"ok: equal to nntrace's trace within 1e-12\" if worst <= 1e-12 else\n"
    "      f\"DIFFERENT: {worst:.3e} from nntrace's trace\")\n"
    "sys.exit(0 if worst <= 1e-12 else 1)\n";

static int ex_end(tr_out *out)
{
    ex_state *x = out->state;
    if (put_data(out, x, x->torch ? "PyTorch" : "numpy") != 0)
        return -1;
    fputs(x->torch ? torch_body : numpy_body, out->opt.fp);
    return ferror(out->opt.fp) ? -1 : 0;
}

static void ex_cleanup(tr_out *out)
{
    ex_state *x = out->state;
    if (x) {
        free(x->w0);
        free(x->e_final);
        free(x->dw);
        free(x->w);
        free(x);
    }
    out->state = NULL;
}

const tr_writer tr_export_numpy = { "numpy", ex_begin_numpy, NULL, ex_event, ex_end, ex_cleanup, 0 };
const tr_writer tr_export_pytorch = { "pytorch", ex_begin_torch, NULL, ex_event, ex_end, ex_cleanup, 0 };
