"""Training speed: relu_guide's ``train`` against a plain torch autograd + ``optim.SGD`` loop.

Both train the guide's nets (1, 2 and 20 hidden ReLU units; 1000 steps of batch 256, lr 0.01)
on the very same batches from the very same initial weights, one thread each; the plain loop
is the textbook one (``zero_grad``, ``mse_loss``, ``backward``, ``step``). Each way runs
several times, interleaved, and the medians per step are compared; the final weights of the
two ways are compared too (they agree within float32 rounding).

Run: ``python benchmarks/bench_training.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from torch import nn

from relu_guide import Experiment, train
from relu_guide.core.training import _batches, build_model


def plain_loop(exp: Experiment) -> list[np.ndarray]:
    """The textbook loop on the experiment's batches; returns the final parameters."""
    model = build_model(exp)
    optimizer = torch.optim.SGD(model.parameters(), lr=exp.lr)
    xs, ys = _batches(exp)
    for step in range(exp.steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xs[step]), ys[step])
        loss.backward()
        optimizer.step()
    return [p.detach().numpy().copy() for p in model.parameters()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each (default: 5)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    print(f"per step, median of {args.repeats} interleaved runs of 1000 steps, batch 256")
    print(f"  {'net':<36} {'plain loop':>11} {'train()':>9} {'speed-up':>9} {'max |Δw|':>9}")
    for hidden in (1, 2, 20):
        exp = Experiment(hidden=(hidden,), steps=1000, frames=100, seed=0)
        plain_loop(exp.with_(steps=10, frames=1))  # warm up both
        train(exp.with_(steps=10, frames=1))
        plain, ours = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            reference = plain_loop(exp)
            plain.append(time.perf_counter() - start)
            run = train(exp)
            ours.append(run.seconds)
        final = [a for w, b in zip(run.weights, run.biases, strict=True) for a in (w[-1], b[-1])]
        gap = max(float(np.abs(a - b).max()) for a, b in zip(final, reference, strict=True))
        p, o = statistics.median(plain) / exp.steps, statistics.median(ours) / exp.steps
        print(
            f"  {exp.describe():<36} {1e6 * p:8.1f} µs {1e6 * o:6.1f} µs {p / o:8.2f}x {gap:9.1e}"
        )
    print("  (train() includes drawing the batches and keeping 101 snapshots; target: >= 2x)")


if __name__ == "__main__":
    main()
