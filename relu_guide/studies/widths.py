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

__all__ = ["TrainingGap", "WidthSweep", "seed_runs", "training_gap", "width_sweep"]


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
        """Least-squares slope of log(error) against log(width), for widths of at least ``min_width``.

        ``which`` is ``"sgd"`` (median over seeds) or ``"best"``.
        """
        if which not in ("sgd", "best"):
            msg = f"which must be 'sgd' or 'best', got {which!r}"
            raise ValueError(msg)
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


def seed_runs(
    width: int = 20, seeds: int = 24, *, steps: int = 1000, frames: int = 100
) -> list[Run]:
    """The guide's one-hidden-layer net of one width, trained with the first ``seeds`` seeds.

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


@dataclass(frozen=True)
class TrainingGap:
    """What closes the gap between SGD and the best net: longer training, another optimiser.

    Attributes
    ----------
    widths : tuple of int
    seeds : tuple of int
    sgd : list of Run
        Width-major, the guide's SGD recipe for ``long_steps`` steps, snapshots every 100.
    adam : list of Run
        The widest width only, Adam (learning rate ``adam_lr``) for ``steps`` steps.
    steps, long_steps : int
    adam_lr : float
    best : ndarray, shape (widths,)
        The best net of each width (:func:`relu_guide.core.piecewise.best_relu_net`).
    """

    widths: tuple[int, ...]
    seeds: tuple[int, ...]
    sgd: list[Run]
    adam: list[Run]
    steps: int
    long_steps: int
    adam_lr: float
    best: np.ndarray

    def median_sgd(self, width: int, step: int) -> float:
        """Median error over seeds of SGD at one width, after ``step`` steps."""
        runs = [r for r in self.sgd if r.experiment.hidden == (width,)]
        frame = int(np.flatnonzero(runs[0].steps == step)[0])
        return float(np.median([r.losses[frame] for r in runs]))

    def median_adam(self) -> float:
        """Median error over seeds of Adam at the widest width, after ``steps`` steps."""
        return float(np.median([r.losses[-1] for r in self.adam]))

    def kink_speed(self, width: int, until: int = 100) -> float:
        """Median distance a kink moves over the first ``until`` steps (kinks inside throughout)."""
        moves: list[float] = []
        for r in (r for r in self.sgd if r.experiment.hidden == (width,)):
            f = int(np.flatnonzero(r.steps == until)[0])
            x = -r.biases[0][[0, f]].astype(float) / r.weights[0][[0, f], :, 0].astype(float)
            inside = np.all(np.abs(x) < 5, axis=0)
            moves += list(np.abs(x[1] - x[0])[inside])
        return float(np.median(moves))


def training_gap(
    widths: Sequence[int] = (8, 64),
    seeds: int = 20,
    *,
    steps: int = 3000,
    long_steps: int = 6000,
    adam_lr: float = 0.01,
) -> TrainingGap:
    """Train the guide's nets for ``long_steps`` SGD steps, and the widest with Adam for ``steps``.

    Examples
    --------
    >>> gap = training_gap((2, 4), seeds=2, steps=100, long_steps=200)
    >>> gap.median_sgd(4, 200) <= gap.median_sgd(4, 0), gap.kink_speed(2) >= 0
    (True, True)
    """
    seed_list = tuple(range(seeds))
    sgd = train_many(
        [
            Experiment(hidden=(w,), steps=long_steps, frames=long_steps // 100, seed=s)
            for w in widths
            for s in seed_list
        ]
    )
    adam = train_many(
        [
            Experiment(
                hidden=(max(widths),),
                optimizer="adam",
                lr=adam_lr,
                steps=steps,
                frames=10,
                seed=s,
            )
            for s in seed_list
        ]
    )
    best = np.array([best_relu_net("square", w).mse for w in widths])
    return TrainingGap(tuple(widths), seed_list, sgd, adam, steps, long_steps, adam_lr, best)
