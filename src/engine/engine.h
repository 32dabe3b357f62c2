/*
 * engine.h - the network math of nntrace, instrumented.
 *
 * A network of N inputs, one to five hidden layers and O outputs, an
 * activation per layer (sigmoid, tanh, relu, linear), the quadratic loss
 *     E_final = 1/(2n) sum_i ||f(x_i) - y_i||^2
 * or the cross-entropy, and batch gradient descent.  Pure C and libm: no I/O, no globals.  Every
 * value the engine computes can be reported, as it is computed, to an event
 * sink (struct nn_sink).  With no sink attached the engine formats nothing
 * and allocates nothing per value.
 *
 * Weight numbering with one hidden layer (0-based index m-1 for the
 * walkthrough's w_m; deeper networks: see struct nn_net):
 *   input->hidden, input-major:   x_i -> h_j   at  i*H + j
 *   hidden->output, hidden-major: h_j -> o_k   at  N*H + j*O + k
 *   hidden biases:                1   -> h_j   at  N*H + H*O + j
 *   output biases:                1   -> o_k   at  N*H + H*O + H + k
 *
 * Numbers and indices.  What names a value counts from 1, as a reader
 * writes it (h1, w5, X2): the unit, weight and sample of an event, of an
 * operand, and of every key made from them (the stepper's tui_model_slot,
 * the notes' references, step codes).  Positions in arrays count from 0
 * and are called indices: m for a weight (net->w[m] is w_{m+1}), i and j
 * for units (nn_w_index, nn_b_index, nn_unit_name, nn_w_units, and the
 * figure plan's nodes and edges, tr_fig).  A function takes one or the
 * other, never both, and says which.
 */
#ifndef NN_ENGINE_H
#define NN_ENGINE_H

#include <stddef.h>

#define NN_MAX_UNITS   4096       /* largest layer (the one limit for lessons and the engine) */
#define NN_MAX_WEIGHTS 4000000L   /* largest network, in weights */
#define NN_MAX_BATCH   1000000    /* largest batch, in samples */
#define NN_MAX_BATCH_UNITS (1L << 27) /* largest batch x widest layer: every index stays an int */

/* Return codes of the engine's functions. */
typedef enum nn_status {
    NN_OK = 0,
    NN_ENOMEM,      /* an allocation failed */
    NN_EARG,        /* sizes out of range, or a batch larger than the context's */
    NN_ENONFINITE,  /* a value became NaN or infinite (see nn_ctx_nonfinite) */
    NN_EABORTED     /* the sink asked to stop */
} nn_status;

/* The six stages of one gradient-descent step. */
typedef enum nn_stage {
    NN_STAGE_HIDDEN_FORWARD = 1,
    NN_STAGE_OUTPUT_FORWARD = 2,
    NN_STAGE_LOSS = 3,
    NN_STAGE_OUTPUT_BACKWARD = 4,
    NN_STAGE_HIDDEN_BACKWARD = 5,
    NN_STAGE_UPDATE = 6
} nn_stage;
#define NN_STAGES 6

#define NN_MAX_LAYERS 6   /* layers of neurons after the input: hidden layers + output */

/* Activations, per layer. */
/* softmax is an output activation, with the cross-entropy loss alone (the
 * categorical cross-entropy): out_k = e^(net_k) / sum_j e^(net_j). */
typedef enum nn_act { NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU, NN_ACT_LINEAR, NN_ACT_SOFTMAX, NN_ACT_COUNT } nn_act;
/* Losses. */
typedef enum nn_loss_kind { NN_LOSS_QUADRATIC, NN_LOSS_CROSS_ENTROPY, NN_LOSS_COUNT } nn_loss_kind;

/*
 * A network's shape and weights: one allocation, freed by nn_net_free.  A
 * shape alone (w == NULL) is filled by nn_shape_init.
 *
 * Layers: 0 is the input, 1 .. L-1 the hidden layers, L the output.  With
 * more than one hidden layer the weights are numbered the same way,
 * generalised: every weight matrix layer by layer (the matrix into layer l
 * from-major: from unit i of layer l-1 to unit j of layer l is at
 * w_off[l] + i*size[l] + j), then every layer's biases (b_off[l] + j).
 */
typedef struct nn_net {
    int n_layers;                     /* L: hidden layers + 1 */
    int size[NN_MAX_LAYERS + 1];      /* neurons of each layer, input first */
    nn_act act[NN_MAX_LAYERS + 1];    /* activation of layers 1..L */
    nn_loss_kind loss;                /* NN_LOSS_* */
    int n_weights;                    /* weights and biases */
    int w_off[NN_MAX_LAYERS + 1];     /* index of the first weight into layer l */
    int b_off[NN_MAX_LAYERS + 1];     /* index of the first bias of layer l */
    double *w;                        /* the weights; w[m-1] is the walkthrough's w_m */
} nn_net;

/* What an operand is (nn_operand.kind). */
typedef enum nn_op_kind {
    NN_OP_VALUE,          /* an earlier event's value (dep is its id) */
    NN_OP_INPUT,          /* an input x_i of the data (layer 0, unit i) */
    NN_OP_TARGET,         /* a target y_k (layer L, unit k) */
    NN_OP_WEIGHT,         /* a weight or bias w_m (weight m; layer: the one it feeds) */
    NN_OP_BIAS_INPUT,     /* the bias input, always 1 (layer: the one it feeds) */
    NN_OP_LEARNING_RATE,  /* eta */
    NN_OP_KINDS
} nn_op_kind;

/* What a value is (nn_event.kind). */
typedef enum nn_ev_kind {
    NN_EV_NET,            /* net_j of a neuron (stages 1, 2) */
    NN_EV_OUT,            /* out_j = f(net_j) (stages 1, 2) */
    NN_EV_LOSS,           /* a sample's E_total (stage 3) */
    NN_EV_LOSS_BATCH,     /* E_final (stage 3) */
    NN_EV_DE_DOUT,        /* dE_total/dout_j (stages 4, 5) */
    NN_EV_DOUT_DNET,      /* dout_j/dnet_j (stages 4, 5) */
    NN_EV_DE_DNET,        /* dE_total/dnet_o of a cross-entropy output, the two above in one (stage 4) */
    NN_EV_GRADIENT,       /* dE_final/dw_m (stages 4, 5) */
    NN_EV_UPDATE,         /* w_m after stage 6 */
    NN_EV_KINDS
} nn_ev_kind;

/* One value given to a formula: a weight, an input, an earlier event.  The
 * engine reports what it is; names and layout belong to the formatter
 * (src/trace/layout.c). */
typedef struct nn_operand {
    double value;      /* its value at this point of the run */
    long dep;          /* id of the event that computed it; -1 for a given value */
    nn_op_kind kind;   /* NN_OP_* */
    nn_ev_kind of;     /* NN_OP_VALUE: the NN_EV_* kind of the value it refers to; else 0 */
    int layer;         /* the layer of its unit (or that a weight or bias input feeds); 0 if none */
    int unit;          /* its unit, from 1 (for a bias input: the unit it feeds); 0 for none
                          (weights, eta, batch values) */
    int weight;        /* the weight's number m, from 1 (NN_OP_WEIGHT, or a gradient); 0 otherwise */
    int sample;        /* the batch sample it belongs to, from 1, when the event is a batch
                          value (written "X2:"); 0 otherwise */
} nn_operand;

/* How a formula combines its operands (nn_event.form).  The operands come
 * as n_terms terms of n_ops / n_terms operands each, in the order below. */
typedef enum nn_form {
    NN_FORM_WEIGHTED_SUM,  /* net = w*in + ... + w*b: terms (w_m, in_i), the last the bias's (w_m, b) */
    NN_FORM_SIGMOID,       /* 1/(1 + e^(-net)): (net) */
    NN_FORM_TANH,          /* tanh(net): (net) */
    NN_FORM_RELU,          /* max(0, net): (net) */
    NN_FORM_LINEAR,        /* net: (net) */
    NN_FORM_SQUARED_ERROR, /* 1/2*((out - y)^2 + ...): terms (out_k, y_k) */
    NN_FORM_CROSS_ENTROPY, /* y*ln(1 + e^(-net)) + (1 - y)*ln(1 + e^(net)) + ...: terms (y_k, net_k) */
    NN_FORM_MEAN,          /* 1/n*(a*b*c + ...): one term per sample, each a product */
    NN_FORM_DIFFERENCE,    /* out - y: (out, y) */
    NN_FORM_SUM_PRODUCTS,  /* a*b*c + ...: one term per unit of the layer above */
    NN_FORM_SIGMOID_SLOPE, /* out*(1 - out): (out) */
    NN_FORM_TANH_SLOPE,    /* 1 - out^2: (out) */
    NN_FORM_RELU_SLOPE,    /* (1 if net > 0, else 0): (net) */
    NN_FORM_LINEAR_SLOPE,  /* 1: no operand */
    NN_FORM_UPDATE,        /* w - eta*dE_final/dw: (w, eta, dE_final/dw) */
    NN_FORM_SOFTMAX,       /* e^(net_k)/(e^(net_1) + ... + e^(net_K)): (net_k), then (net_1) .. (net_K) */
    NN_FORM_CATEGORICAL_CE,/* -(y_1*ln(out_1) + ...): terms (y_k, out_k); computed from the nets as
                              sum_k y_k*(ln(sum_j e^(net_j)) - net_k), exact for any net */
    NN_FORMS
} nn_form;

/* "net", "out", "loss", "loss_batch", "dE_dout", "dout_dnet", "dE_dnet", "gradient",
 * "update"; and "value", "input", "target", "weight", "bias_input", "learning_rate". */
const char *nn_event_kind_name(nn_ev_kind kind);
const char *nn_operand_kind_name(nn_op_kind kind);

/*
 * One computed value, typed: what it is (kind, layer, unit, weight), where
 * (step, stage, sample), and how (form and every operand, none elided).
 * The engine's events give their operands on demand (nn_event_op), so that
 * a consumer that shows a long sum elided never pays for the terms it does
 * not show; an event made by hand may give them as an array (ops).  The
 * event itself is valid only during the sink call; a copy of it (its symbol
 * aside) still gives the operands it had until the context computes its next
 * step: the weights as stages 1-5 read them, from before the update.
 */
struct nn_ctx;
typedef struct nn_event {
    long id;                  /* 0, 1, 2, ... in order of emission within a context */
    nn_ev_kind kind;          /* NN_EV_*: what the value is */
    int layer;                /* 1..L: the neuron's layer; L for losses; for gradients and
                                 updates the layer the weight feeds */
    int unit;                 /* the neuron, from 1; 0 for losses, gradients and updates */
    int weight;               /* the weight's number m, from 1, for gradients and updates; else 0 */
    int step;                 /* gradient-descent step, from 1 */
    int stage;                /* 1..6 */
    int sample;               /* the sample's number in the batch, from 1; 0 for a batch value */
    const char *symbol;       /* the spec's symbol: "net_h1", "dE_final/dw5", "w5" (nn_symbol) */
    double value;             /* the value computed */
    nn_form form;             /* NN_FORM_*: how the operands combine */
    int n_terms;              /* terms of the form (1 for one that is not a sum) */
    int n_ops;                /* operands, term by term: n_terms * (n_ops / n_terms) */
    const nn_operand *ops;    /* an event made by hand: its operands; NULL for the engine's */
    const struct nn_ctx *src; /* the engine's events: the context that rebuilds operands */
} nn_event;

/* Operand q (0 .. n_ops-1) of an event, term by term in the order of its
 * form; from the engine's context as the event was computed (during the
 * sink call, or later for an event of the step the context computed last)
 * or from ev->ops.  Out of range: an operand of kind NN_OP_KINDS. */
nn_operand nn_event_op(const nn_event *ev, int q);
/* The ids of every earlier event ev used, in operand order (the operands'
 * deps >= 0, one per operand that has one): up to max of them into deps
 * (may be NULL with max 0); returns how many there are. */
int nn_event_deps(const nn_event *ev, long *deps, int max);

/*
 * The event sink.  Call protocol, for each step s = 1, 2, ...:
 *   for each stage t = 1..6 (stage 1 once per hidden layer, first to last;
 *   stage 5 once per hidden layer, last to first):
 *     stage(user, s, t, l)               before the stage's first event; l is
 *                                        the layer it computes (1..L), or 0
 *                                        for stage 6, which updates them all
 *     event(user, ev)                    for each value of the stage, in order:
 *       stages 1, 2: for each sample, its hidden (resp. output) nets, then outs;
 *       stage 3: E_total of each sample, then E_final;
 *       stages 4, 5: for each sample its dE_total/dout and dout/dnet values,
 *                    then the batch's dE_final/dw in weight order;
 *       stage 6: each updated weight, in weight order.
 * A callback that returns non-zero stops the run (nn_step returns NN_EABORTED).
 * Either callback may be NULL.
 */
typedef struct nn_sink {
    void *user;                                           /* passed back to the callbacks */
    int (*stage)(void *user, int step, int stage, int layer);  /* a stage begins */
    int (*event)(void *user, const nn_event *ev);         /* a value was computed */
    int unnamed;              /* 1: events come with symbol NULL, for a sink that names only the
                                 values it shows (nn_symbol): naming each of a 784-90-10 step's
                                 151,141 values was a fifth of recording it */
} nn_sink;

/* Workspace for running one network shape on batches of up to max_batch samples. */
typedef struct nn_ctx nn_ctx;

/*
 * Known mistakes (src/engine/mistakes.c): for a value, what a learner gets
 * who makes one of the mistakes published walkthroughs and their errata
 * record, each computed from the event's own operands.  The quiz compares a
 * wrong answer with them to name the mistake.
 */
typedef enum nn_mistake_kind {
    NN_MISTAKE_NO_SLOPE,         /* the activation's slope dout/dnet left out of a product */
    NN_MISTAKE_SLOPE_AT_OUT,     /* sigmoid slope taken at out: s(out)*(1 - s(out)), s the sigmoid */
    NN_MISTAKE_OTHER_SLOPE,      /* the other activation's slope: tanh's 1 - out^2 for a sigmoid, or
                                    the sigmoid's out*(1 - out) for tanh */
    NN_MISTAKE_SIGN,             /* the sign of (out - target) flipped */
    NN_MISTAKE_UPDATED_WEIGHTS,  /* stage 5 with the output weights after the update */
    NN_MISTAKE_SUM,              /* the sum over the batch instead of the mean */
    NN_MISTAKE_NO_BIAS,          /* the bias term forgotten */
    NN_MISTAKE_NO_ETA,           /* the learning rate not applied: w - dE/dw */
    NN_MISTAKE_ETA_TWICE,        /* the learning rate applied twice: w - eta*eta*dE/dw */
    NN_MISTAKE_NO_HALF,          /* the quadratic loss without its 1/2 */
    NN_MISTAKE_NO_ACTIVATION,    /* out taken as net: the activation not applied */
    NN_MISTAKE_NO_UPDATE,        /* the weight as it was: no update at all */
    NN_MISTAKE_UPDATE_SIGN,      /* the update's sign flipped: w + eta*dE/dw */
    NN_MISTAKE_ONE_MINUS,        /* the sigmoid's slope as 1 - out, without the factor out */
    NN_MISTAKES
} nn_mistake_kind;

typedef struct nn_mistake {
    nn_mistake_kind kind;        /* NN_MISTAKE_* */
    double value;                /* the value that mistake gives */
    nn_operand term;             /* the operand concerned (the slope left out, the bias's weight,
                                    ...); kind NN_OP_KINDS when none */
} nn_mistake;

/* The mistakes that apply to ev and what each gives, into out (max); their
 * count.  eta is the learning rate; gradient(user, m) returns dE_final/dw_m
 * of this step (for the updated output weights of stage 5), or NAN when it
 * is not known, in which case that mistake is left out. */
int nn_mistakes(const nn_event *ev, double eta, double (*gradient)(void *user, int weight), void *user,
                nn_mistake *out, int max);

/* Network. */
/* Fill a shape: n_layers = hidden layers + 1; sizes[0..n_layers]; acts[1..n_layers]
 * (NULL: all sigmoid).  0, or -1 when a size or the weight count is out of range. */
int nn_shape_init(nn_net *shape, int n_layers, const int *sizes, const int *acts, int loss);
nn_net *nn_net_new_shape(const nn_net *shape);        /* weights zero; NULL on no memory */
nn_net *nn_net_copy(const nn_net *net);
void nn_net_free(nn_net *net);
int nn_n_inputs(const nn_net *net);    /* N = size[0] */
int nn_n_outputs(const nn_net *net);   /* O = size[L] */
int nn_w_index(const nn_net *net, int l, int i, int j);  /* unit i of layer l-1 -> unit j of layer l */
int nn_b_index(const nn_net *net, int l, int j);         /* bias of unit j of layer l */
/* A unit's name: "x3", "h2" (one hidden layer), "h2_3" (layer 2, unit 3), "o1". */
void nn_unit_name(const nn_net *net, int l, int j, char *buf, size_t size);
/* The reverse: a unit's layer and 0-based index from its name; 0, or -1 if
 * the network has no such unit. */
int nn_unit_parse(const nn_net *net, const char *name, int *layer, int *unit);
/* The spec's symbol of a value of kind NN_EV_* at (layer, unit from 1, weight
 * from 1): "net_h1", "out_o2", "E_total", "E_final", "dE_total/dout_h1",
 * "dout_h1/dnet_h1", "dE_total/dnet_o1", "dE_final/dw5", "w5". */
#define NN_SYMBOL_SIZE 64   /* room for any symbol: the longest, "dout_h5_4096/dnet_h5_4096", is 25 */
void nn_symbol(const nn_net *net, nn_ev_kind kind, int layer, int unit, int weight, char *buf, size_t size);
/* The units weight m (0-based) joins: unit from_unit of layer from_layer
 * (-1: the bias input) to unit to_unit of layer to_layer (units 0-based). */
void nn_w_units(const nn_net *net, int m, int *from_layer, int *from_unit, int *to_layer, int *to_unit);
/* Describe weight index m (0-based): from ("x1", "h2", "1") and to ("h1", "o2"); *layer gets l. */
void nn_w_ends(const nn_net *net, int m, char *from, size_t from_size, char *to, size_t to_size);
int nn_w_layer(const nn_net *net, int m);      /* the layer a weight or bias feeds */
/* Names: "sigmoid", "tanh", "relu", "linear"; "quadratic", "cross_entropy". -1 if unknown. */
const char *nn_act_name(int act);
int nn_act_parse(const char *name);
const char *nn_loss_name(int loss);
int nn_loss_parse(const char *name);

/* Context. */
nn_ctx *nn_ctx_new(const nn_net *shape, int max_batch);  /* NULL on bad sizes or no memory */
/* The widest layer of a shape, for the rule batch x widest <= NN_MAX_BATCH_UNITS
 * that nn_ctx_new applies and the loaders check first, to say why. */
int nn_widest(const nn_net *shape);
void nn_ctx_free(nn_ctx *ctx);
void nn_ctx_set_sink(nn_ctx *ctx, const nn_sink *sink);  /* NULL detaches */
/* Where the first non-finite value appeared after NN_ENONFINITE: stage and symbol. */
int nn_ctx_nonfinite(const nn_ctx *ctx, int *stage, const char **symbol);
/* The same as one phrase for messages, after the caller's "step N, ":
 * "stage 3: E_total is not a finite number (try a smaller learning rate)". */
void nn_ctx_nonfinite_text(const nn_ctx *ctx, char *buf, size_t size);
/* A value the last nn_step on ctx and net computed, traced or not, as the
 * event of that kind would carry it: kind NN_EV_*, layer, unit and weight
 * from 1 (0 for none), sample 1..n (0 for a batch value); NAN when the step
 * has no such value.  Lets a caller that needs a few values (a note's live
 * values) run a step without a sink. */
double nn_ctx_value(const nn_ctx *ctx, const nn_net *net, nn_ev_kind kind, int layer, int unit, int weight, int sample);

/*
 * One gradient-descent step on a batch: x is n*N inputs (sample-major), y is
 * n*O targets.  Updates net->w in place with learning rate lr.  step numbers
 * the events.  Returns NN_OK or an NN_E code.  On entry, *loss (if not NULL)
 * receives E_final before the update.
 */
int nn_step(nn_ctx *ctx, nn_net *net, const double *x, const double *y, int n,
            double lr, int step, double *loss);
/* The same step as plain indexed loops, one sample and one unit at a time
 * (engine.c's reference, for reading beside the fast loops): net's weights
 * untouched, the updated ones into w_new (n_weights), E_final before the
 * update into *e_final.  NN_OK, or NN_EARG (n < 1, out of memory).  Equal to
 * nn_step to the bit (test_engine). */
/* What each of n weights moved: change[m] = after[m] - before[m]. */
void nn_weight_changes(const double *before, const double *after, int n, double *change);
int nn_step_reference(const nn_net *net, const double *x, const double *y, int n, double lr,
                      double *w_new, double *e_final);

/* E_final of the batch, no update, no events. */
double nn_loss(nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n);

/* The outputs of the last nn_loss, nn_gradient or nn_step: (n, O), sample-major. */
const double *nn_ctx_outputs(const nn_ctx *ctx);
/* The network's answer for one sample of O outputs: the unit (from 0) with
 * the largest out, the first of equals. */
int nn_answer(const double *out, int O);

/* dE_final/dw of the batch into dw (n_weights), no update, no events. */
int nn_gradient(nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n,
                double *dw);

/* Cross-entropy of one sigmoid output, from its net input: exact for any
 * net (no clamp), E = y ln(1 + e^(-net)) + (1 - y) ln(1 + e^(net)); and
 * its dE/dnet = out - y.  The engine and the BLAS path both use these. */
double nn_ce_loss(double net, double y);
double nn_ce_delta(double out, double y);
/* Softmax of n net inputs into out (shifted by their largest, so no e^net
 * overflows), and the categorical cross-entropy -sum_k y_k ln(out_k) from the
 * nets: sum_k y_k (ln(sum_j e^(net_j)) - net_k), finite for any nets.  The
 * dE/dnet_k of that pair is out_k - y_k (nn_ce_delta) when the targets sum to 1. */
void nn_softmax(const double *net, double *out, int n);
double nn_softmax_ce_loss(const double *net, const double *y, int n);

/*
 * The gradient check of `nntrace check` (the tests keep their own,
 * independent one), in three calls:
 *   nn_check_weight  weight m's analytic gradient dw[m] beside the five-point
 *                    central difference of E_final (h = 1e-4 max(1, |w|)),
 *                    and one sample of the losses' rounding noise (their
 *                    fourth difference); ctx must hold the forward pass of
 *                    net at its weights (the nn_loss that gave e0), neither
 *                    is changed;
 *   nn_check_noise   the rounding noise of E_final, estimated from the
 *                    samples of every weight checked (their 90th percentile,
 *                    bends left out); NAN when out of memory;
 *   nn_check_judge   the relative error (floor 1e-5), the tolerance
 *                    (NN_CHECK_LIMIT plus NN_CHECK_SIGMAS times the
 *                    difference's noise) and whether w sits at a relu kink
 *                    (the one-sided slopes disagree by more than 1%).
 * So a check of weights 0..W-1 is: nn_loss for e0; nn_check_weight for
 * each into c[0..W-1]; noise = nn_check_noise(c, W); nn_check_judge(net,
 * noise, &c[m]) for each.
 */
#define NN_CHECK_LIMIT 5e-7 /* mutant: check-limit-loose */
#define NN_CHECK_SIGMAS 10.0
typedef struct nn_check {
    double analytic;   /* dw[m] */
    double numeric;    /* the five-point difference */
    double h;          /* its step */
    double wobble;     /* |fourth difference of the five losses| / sqrt(70): a sample of their noise */
    double left;       /* (E(w) - E(w - h)) / h: the slope on the left, for kinks */
    double right;      /* (E(w + h) - E(w)) / h: the slope on the right */
    double rel;        /* nn_check_judge: |analytic - numeric| / max(|analytic|, |numeric|, 1e-5) */
    double tol;        /* nn_check_judge: what rel may reach */
    int kink;          /* nn_check_judge: a relu kink, not compared */
    int ok;            /* nn_check_judge: rel <= tol, or a kink */
} nn_check;
double nn_check_noise(const nn_check *c, int count);
void nn_check_judge(const nn_net *net, double noise, nn_check *c);
/* E_final with weight m set to each of values[0..nv-1] (nv <= 4) in turn,
 * the other weights as net has them, from a ctx that holds net's forward
 * pass of x (the nn_loss just before): only what weight m feeds is
 * recomputed (its unit's net input, its terms added in the formula's order;
 * its layer's outputs; every layer after), so each loss is the same to the
 * bit as nn_loss with net->w[m] = values[v], at a fraction of the cost.
 * ctx and net are left as they were.  0, or -1 (out of memory, bad m). */
int nn_loss_around(const nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n, int m,
                   const double *values, int nv, double *losses);
/* The multiply-adds nn_loss_around does for weight m: nv n (its unit's
 * inputs + every later layer's weights). */
double nn_loss_around_products(const nn_net *net, int m, int n, int nv);
void nn_check_weight(nn_ctx *ctx, nn_net *net, const double *x, const double *y, int n,
                     const double *dw, int m, double e0, nn_check *out);

/* The sigmoid, stable for any z. */
double nn_sigmoid(double z);

/* An activation's value f(z), and its slope dout/dnet from net z and out
 * (not for softmax, whose out needs the whole layer: nn_softmax). */
double nn_activate(nn_act act, double z);
double nn_activate_slope(nn_act act, double z, double out);

/* Stage title, as the walkthrough writes it ("Forward function for a hidden layer");
 * nn_stage_title_net names the network's loss in stage 3. */
const char *nn_stage_title(int stage);
const char *nn_stage_title_net(const nn_net *net, int stage);

#endif
