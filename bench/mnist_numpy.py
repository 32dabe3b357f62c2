"""The mnist lessons' training in numpy, for docs/mnist.md: Part 2 of the
walkthrough written with matrices, on the same rows (the first 8,000 of
data/mnist10k.csv to train, the last 2,000 held out, pixels / 255),
784-30-10 sigmoid, batch 20, 10 epochs, Kaiming-normal starting weights,
the quadratic loss (eta 3) or the cross-entropy (eta 0.5).  Its random
numbers are numpy's, not nntrace's: the accuracies are comparable, not equal.
Usage: python3 bench/mnist_numpy.py [quadratic|cross_entropy] [SEED]"""
import sys

import numpy as np

loss = sys.argv[1] if len(sys.argv) > 1 else "quadratic"
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
eta = 3.0 if loss == "quadratic" else 0.5
data = np.loadtxt("data/mnist10k.csv", delimiter=",", skiprows=1)
x, label = data[:, :784] / 255.0, data[:, 784].astype(int)
y = np.eye(10)[label]
train, test = np.arange(8000), np.arange(8000, 10000)
rng = np.random.default_rng(seed)
w1, b1 = rng.normal(0, np.sqrt(2 / 784), (784, 30)), rng.normal(0, np.sqrt(2 / 784), 30)
w2, b2 = rng.normal(0, np.sqrt(2 / 30), (30, 10)), rng.normal(0, np.sqrt(2 / 30), 10)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


for epoch in range(10):
    rng.shuffle(train)
    for first in range(0, 8000, 20):
        rows = train[first:first + 20]
        out_h = sigmoid(x[rows] @ w1 + b1)                   # stage 1
        out_o = sigmoid(out_h @ w2 + b2)                     # stage 2
        d_o = out_o - y[rows]                                # stage 4: dE/dnet (cross-entropy)
        if loss == "quadratic":
            d_o = d_o * out_o * (1 - out_o)                  # ... times the slope
        d_h = (d_o @ w2.T) * out_h * (1 - out_h)             # stage 5
        n = len(rows)
        w2 -= eta * out_h.T @ d_o / n; b2 -= eta * d_o.mean(0)   # stage 6
        w1 -= eta * x[rows].T @ d_h / n; b1 -= eta * d_h.mean(0)
    out = sigmoid(sigmoid(x[test] @ w1 + b1) @ w2 + b2)
    print(f"epoch {epoch + 1}: held-out accuracy {100 * np.mean(out.argmax(1) == label[test]):.1f}%")
