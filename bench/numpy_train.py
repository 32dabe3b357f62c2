"""Part 2 of the walkthrough, vectorised with numpy: 784-90-10, sigmoid,
quadratic loss, batch 20, synthetic data from a fixed seed.  Prints
samples per second: --train as the walkthrough writes it (weights to-major,
multiplied transposed), --in-place in fast.c's layout with no allocation per
step (--in-place SECONDS BATCH HIDDEN: of 784-HIDDEN-10 on batches of
BATCH); with --ceiling, the GFLOP/s of a large matrix product
(the machine's one-core ceiling on OpenBLAS).  Times are CPU times."""
import sys
import time

import numpy as np


def ceiling(seconds):
    n = 2000
    rng = np.random.default_rng(1)
    a, b = rng.random((n, n)), rng.random((n, n))
    a @ b
    runs, t0 = 0, time.process_time()
    while time.process_time() - t0 < seconds:
        a @ b
        runs += 1
    t = time.process_time() - t0
    print(f"{2.0 * n ** 3 * runs / t / 1e9:.3f} GFLOP/s")


def train(seconds, steps=None):
    rows, batch, eta = 2000, 20, 0.1
    rng = np.random.default_rng(42)
    x_all = rng.random((rows, 784))
    y_all = np.eye(10)[rng.integers(0, 10, rows)]
    w1, b1 = rng.normal(0, 0.05, (90, 784)), np.zeros(90)
    w2, b2 = rng.normal(0, 0.05, (10, 90)), np.zeros(10)

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    samples, step, t0 = 0, 0, time.process_time()
    while True:
        for _ in range(10):
            first = (step * batch) % rows
            x, y = x_all[first:first + batch], y_all[first:first + batch]
            net_h = x @ w1.T + b1                      # stage 1
            out_h = sigmoid(net_h)
            net_o = out_h @ w2.T + b2                  # stage 2
            out_o = sigmoid(net_o)
            d_o = (out_o - y) * out_o * (1 - out_o)    # stage 4: dE/dout * dout/dnet
            dw2, db2 = d_o.T @ out_h / batch, d_o.mean(axis=0)
            d_h = (d_o @ w2) * out_h * (1 - out_h)     # stage 5, with w2 before the update
            dw1, db1 = d_h.T @ x / batch, d_h.mean(axis=0)
            w1 -= eta * dw1                            # stage 6
            b1 -= eta * db1
            w2 -= eta * dw2
            b2 -= eta * db2
            samples += batch
            step += 1
            if step == steps:
                return w1, b1, w2, b2
        t = time.process_time() - t0
        if steps is None and t >= seconds:
            break
    print(f"{samples / t:.1f} samples/s")


def train_in_place(seconds, steps=None, batch=20, hidden=90):
    """The same step in fast.c's layout: weights from-major (784 x 90, so
    x @ w1 with no transpose), every array allocated once and each product
    written into it (out=), the update applied in place: the fair peer of
    nntrace train's BLAS path, which also never allocates per step.  Of
    784-hidden-10, on batches of `batch`."""
    rows, eta = 2000, 0.1
    rng = np.random.default_rng(42)
    x_all = rng.random((rows, 784))
    y_all = np.eye(10)[rng.integers(0, 10, rows)]
    w1, b1 = rng.normal(0, 0.05, (hidden, 784)).T.copy(), np.zeros(hidden)   # the same draws, from-major
    w2, b2 = rng.normal(0, 0.05, (10, hidden)).T.copy(), np.zeros(10)
    out_h, out_o = np.empty((batch, hidden)), np.empty((batch, 10))
    d_o, d_h = np.empty((batch, 10)), np.empty((batch, hidden))
    g1, g2 = np.empty((784, hidden)), np.empty((hidden, 10))
    t_h, t_o = np.empty((batch, hidden)), np.empty((batch, 10))
    step_size = -eta / batch

    def sigmoid_into(z, out):
        np.negative(z, out=out)
        np.exp(out, out=out)
        out += 1.0
        np.reciprocal(out, out=out)

    samples, step, t0 = 0, 0, time.process_time()
    while True:
        for _ in range(10):
            first = (step * batch) % rows
            x, y = x_all[first:first + batch], y_all[first:first + batch]
            np.matmul(x, w1, out=t_h)                  # stage 1
            t_h += b1
            sigmoid_into(t_h, out_h)
            np.matmul(out_h, w2, out=t_o)              # stage 2
            t_o += b2
            sigmoid_into(t_o, out_o)
            np.subtract(out_o, y, out=d_o)             # stage 4: dE/dout * dout/dnet
            d_o *= out_o
            np.subtract(1.0, out_o, out=t_o)
            d_o *= t_o
            np.matmul(d_o, w2.T, out=d_h)              # stage 5, with w2 before the update
            d_h *= out_h
            np.subtract(1.0, out_h, out=t_h)
            d_h *= t_h
            np.matmul(out_h.T, d_o, out=g2)            # stage 6, in place
            g2 *= step_size
            w2 += g2
            b2 += step_size * d_o.sum(axis=0)
            np.matmul(x.T, d_h, out=g1)
            g1 *= step_size
            w1 += g1
            b1 += step_size * d_h.sum(axis=0)
            samples += batch
            step += 1
            if step == steps:
                return w1, b1, w2, b2
        t = time.process_time() - t0
        if steps is None and t >= seconds:
            break
    print(f"{samples / t:.1f} samples/s")


def check():
    """Both peers compute the same step: 50 steps each from the same start,
    the largest difference of their weights (the layouts transposed)."""
    a, b = train(0, 50), train_in_place(0, 50)
    diff = max(abs(a[0] - b[0].T).max(), abs(a[1] - b[1]).max(), abs(a[2] - b[2].T).max(),
               abs(a[3] - b[3]).max())
    print(f"{diff:.1e}")


if __name__ == "__main__":
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    if sys.argv[1] == "--ceiling":
        ceiling(seconds)
    elif sys.argv[1] == "--check":
        check()
    elif sys.argv[1] == "--in-place":           # --in-place SECONDS [BATCH [HIDDEN]]
        train_in_place(seconds, None, int(sys.argv[3]) if len(sys.argv) > 3 else 20,
                       int(sys.argv[4]) if len(sys.argv) > 4 else 90)
    else:
        train(seconds)
