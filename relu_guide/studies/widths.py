"""The width study: one-hidden-layer ReLU nets of many widths and seeds against the best nets.

Examples
--------
>>> from relu_guide.studies.widths import width_sweep
>>> sweep = width_sweep((2,), seeds=1, steps=10)
>>> sweep.losses.shape
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from relu_guide.core.experiment import Experiment
from relu_guide.core.piecewise import best_relu_net
from relu_guide.core.training import Run
from relu_guide.studies.engine import train_many

__all__ = ["WidthSweep", "seed_runs", "width_sweep"]


@dataclass(frozen=True)
class WidthSweep:
    """Final errors of one-hidden-layer nets of several widths and seeds, and the best possible.

    Attributes
    ----------
    widths : tuple of int
    seeds : tuple of int
    runs : list of Run
        Width-major: ``runs[i * len(seeds) + j]`` has width ``widths[i]`` and seed ``seeds[j]``.
    losses : ndarray, shape (widths, seeds)
        Final mean squared error of each run on the evaluation grid.
    best : ndarray, shape (widths,)
        The error of the best net of each width found by
        :func:`relu_guide.core.piecewise.best_relu_net`.
    lower_bound : ndarray, shape (widths,)
        The best ``width + 1``-piece fit: no net of that width can do better.
    """

    widths: tuple[int, ...]
    seeds: tuple[int, ...]
    runs: list[Run]
    losses: np.ndarray
    best: np.ndarray
    lower_bound: np.ndarray

    @property
    def median(self) -> np.ndarray:
        """Median final error over seeds, per width."""
        return np.asarray(np.median(self.losses, axis=1))

    def slope(self, which: str = "sgd", min_width: int = 2) -> float:
        """Least-squares slope of log(error) against log(width), for widths ``>= min_width``.

        ``which`` is ``"sgd"`` (median over seeds) or ``"best"``.
        """
        if which not in ("sgd", "best"):
            raise ValueError(f"which must be 'sgd' or 'best', got {which!r}")
        w = np.array(self.widths, dtype=float)
        keep = w >= min_width
        y = self.median if which == "sgd" else self.best
        return float(np.polyfit(np.log(w[keep]), np.log(y[keep]), 1)[0])


def width_sweep(
    widths: Sequence[int] = (1, 2, 4, 8, 16, 32, 64),
    seeds: int | Sequence[int] = 5,
    *,
    steps: int = 3000,
    target: str = "square",
    domain: tuple[float, float] = (-5.0, 5.0),
    optimizer: str = "sgd",
    lr: float = 0.01,
) -> WidthSweep:
    """Train one-hidden-layer ReLU nets of every width and seed; compare with the best nets.

    Examples
    --------
    >>> sweep = width_sweep((2, 4), seeds=2, steps=100)
    >>> sweep.losses.shape, bool(np.all(sweep.losses >= sweep.lower_bound[:, None]))
    ((2, 2), True)
    """
    seed_list = tuple(range(seeds)) if isinstance(seeds, int) else tuple(seeds)
    exps = [
        Experiment(
            target=target,
            domain=domain,
            hidden=(w,),
            optimizer=optimizer,
            lr=lr,
            steps=steps,
            frames=min(30, steps),
            seed=s,
        )
        for w in widths
        for s in seed_list
    ]
    runs = train_many(exps)
    losses = np.array([r.losses[-1] for r in runs]).reshape(len(widths), len(seed_list))
    nets = [best_relu_net(target, w, domain) for w in widths]
    best = np.array([net.mse for net in nets])
    lower = np.array([net.lower_bound for net in nets])
    return WidthSweep(tuple(widths), seed_list, runs, losses, best, lower)


def seed_runs(width: int = 20, seeds: int = 24, *, steps: int = 1000, frames: int = 100) -> list[Run]:
    """The guide's one-hidden-layer net of one width, trained with seeds ``0 .. seeds - 1``.

    All seeds train at once (:func:`relu_guide.studies.engine.train_many`), with the guide's
    usual recipe: what one run shows can then be checked over many.

    Examples
    --------
    >>> runs = seed_runs(3, seeds=2, steps=10, frames=2)
    >>> [r.experiment.seed for r in runs], runs[0].n_frames
    ([0, 1], 3)
    """
    exps = [
        Experiment(hidden=(width,), steps=steps, frames=min(frames, steps), seed=s)
        for s in range(seeds)
    ]
    return train_many(exps)
