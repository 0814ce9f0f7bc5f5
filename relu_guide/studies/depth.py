"""Depth against width, trained: one-hidden-layer nets with the sawtooth's parameter count,
and nets shaped like the sawtooth, trained from torch's default initialisation.

Examples
--------
>>> from relu_guide.studies.depth import shallow_comparison
>>> shallow_comparison((1,), seeds=1, steps=5).widths
(3,)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relu_guide.core.experiment import Experiment
from relu_guide.core.piecewise import square_best_mse
from relu_guide.core.sawtooth import _depth, shallow_width
from relu_guide.core.training import Run
from relu_guide.studies.engine import train_many

__all__ = ["ShallowComparison", "shallow_comparison", "trained_deep_runs"]


@dataclass(frozen=True)
class ShallowComparison:
    """One-hidden-layer nets with as many parameters as the sawtooth net of each depth.

    Attributes
    ----------
    depths : tuple of int
    widths : tuple of int
        ``shallow_width(depth)`` for each depth.
    best_rmse : ndarray, shape (depths,)
        Root mean square error of the best ``width + 1``-piece fit of ``x^2`` on ``[0, 1]``
        (closed form): no net of that width can do better.
    trained_rmse : ndarray, shape (depths, seeds)
        Root mean square error of each trained net.
    runs : list of Run
        Depth-major, seeds inner.
    """

    depths: tuple[int, ...]
    widths: tuple[int, ...]
    best_rmse: np.ndarray
    trained_rmse: np.ndarray
    runs: list[Run]


def shallow_comparison(
    depths: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8),
    *,
    seeds: int = 3,
    steps: int = 2000,
    optimizer: str = "adam",
    lr: float = 0.003,
) -> ShallowComparison:
    """Train one-hidden-layer nets of equal parameter count on ``x^2`` over ``[0, 1]``.

    All widths and seeds train at once (:func:`relu_guide.studies.engine.train_many`).

    Examples
    --------
    >>> cmp = shallow_comparison((1, 2), seeds=2, steps=50)
    >>> cmp.widths, cmp.trained_rmse.shape
    ((3, 7), (2, 2))
    >>> bool(np.all(cmp.trained_rmse >= cmp.best_rmse[:, None]))
    True
    """

    widths = tuple(shallow_width(m) for m in depths)
    exps = [
        Experiment(
            target="square",
            domain=(0.0, 1.0),
            hidden=(w,),
            optimizer=optimizer,
            lr=lr,
            steps=steps,
            frames=min(10, steps),
            seed=s,
        )
        for w in widths
        for s in range(seeds)
    ]
    runs = train_many(exps)
    trained = np.sqrt([r.losses[-1] for r in runs]).reshape(len(widths), seeds)
    best = np.sqrt([square_best_mse(w + 1, (0.0, 1.0)) for w in widths])
    return ShallowComparison(tuple(depths), widths, best, trained, runs)


def trained_deep_runs(
    depth: int, *, seeds: int = 5, steps: int = 2000, optimizer: str = "adam", lr: float = 0.003
) -> list[Run]:
    """Nets shaped like ``sawtooth_net(depth)``, trained on ``x^2`` over ``[0, 1]``.

    ``depth`` hidden layers of 3 ReLU units, from torch's default initialisation, trained with
    the same recipe as :func:`shallow_comparison`: can gradient descent find the sawtooth?

    Examples
    --------
    >>> runs = trained_deep_runs(2, seeds=2, steps=20)
    >>> [run.experiment.describe() for run in runs][0]
    'Linear(1, 3) → ReLU → Linear(3, 3) → ReLU → Linear(3, 1)'
    """

    m = _depth(depth, 1)
    exps = [
        Experiment(
            target="square",
            domain=(0.0, 1.0),
            hidden=(3,) * m,
            optimizer=optimizer,
            lr=lr,
            steps=steps,
            frames=min(10, steps),
            seed=s,
        )
        for s in range(seeds)
    ]
    return train_many(exps)
