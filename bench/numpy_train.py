"""Part 2 of the walkthrough, vectorised with numpy: 784-90-10, sigmoid,
quadratic loss, batch 20, synthetic data from a fixed seed.  Prints
samples per second; with --ceiling, the GFLOP/s of a large matrix product
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


def train(seconds):
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
        t = time.process_time() - t0
        if t >= seconds:
            break
    print(f"{samples / t:.1f} samples/s")


if __name__ == "__main__":
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    if sys.argv[1] == "--ceiling":
        ceiling(seconds)
    else:
        train(seconds)
