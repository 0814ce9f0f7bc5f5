"""Error against the number of units: hand-built interpolants against trained nets.

:func:`approximation_study` builds, for each target and each number of units, the linear
interpolant at equally spaced knots as a net (:func:`relu_guide.core.approximation.interpolating_net`)
and trains one-hidden-layer nets of the same widths with many seeds, all at once
(:func:`relu_guide.studies.engine.train_many`). For every trained net it also records the
steepest slope of the output at every snapshot (exact, from the weights): how steep the
ramps have become.

Examples
--------
>>> from relu_guide.studies.approximation import approximation_study
>>> study = approximation_study(targets=("abs",), units=(3, 5), seeds=range(2), steps=20)
>>> study.hand_built.shape, study.trained.shape, study.steepest.shape
((1, 2), (1, 2, 2), (1, 2, 2, 6))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from relu_guide.core.approximation import error_slope, interpolating_net, steepest_slope
from relu_guide.core.experiment import Experiment
from relu_guide.core.training import Run
from relu_guide.studies.engine import train_many

__all__ = ["ApproximationStudy", "approximation_study"]


@dataclass(frozen=True)
class ApproximationStudy:
    """Errors of hand-built and trained nets, by target and number of units.

    Attributes
    ----------
    targets : tuple of str
    units : tuple of int
    seeds : tuple of int
    hand_built : ndarray, shape (targets, units)
        Mean squared error of the interpolant with that many units.
    trained : ndarray, shape (targets, units, seeds)
        Final mean squared error of each trained net.
    steepest : ndarray, shape (targets, units, seeds, snapshots)
        Steepest slope of each trained net's output at each snapshot.
    steps : ndarray of int, shape (snapshots,)
    runs : list of Run
        Target by target, width by width, seed by seed.
    """

    targets: tuple[str, ...]
    units: tuple[int, ...]
    seeds: tuple[int, ...]
    hand_built: np.ndarray
    trained: np.ndarray
    steepest: np.ndarray
    steps: np.ndarray
    runs: list[Run]

    def slope(self, target: str, which: str = "hand_built", min_units: int = 1) -> float:
        """Fitted exponent of error against units (median over seeds for trained nets).

        Examples
        --------
        >>> study = approximation_study(targets=("step",), units=(3, 5, 9), seeds=range(1), steps=10)
        >>> round(study.slope("step"), 2)
        -1.0
        """
        if which not in ("hand_built", "trained"):
            msg = f"which must be 'hand_built' or 'trained', got {which!r}"
            raise ValueError(msg)
        i = self.targets.index(target)
        keep = np.array(self.units) >= min_units
        errors = self.hand_built[i] if which == "hand_built" else np.median(self.trained[i], axis=1)
        return error_slope(np.array(self.units)[keep], errors[keep])


def approximation_study(
    targets: Sequence[str] = ("sin", "abs", "step"),
    units: Sequence[int] = (5, 9, 17, 33),
    seeds: Iterable[int] = range(20),
    *,
    steps: int = 800,
    optimizer: str = "adam",
    lr: float = 0.01,
    frames: int = 5,
) -> ApproximationStudy:
    """Hand-built and trained nets for every target and width (odd widths keep the knots of
    the interpolant off the kink of ``|x|`` and the jump of the step)."""
    seed_list = tuple(int(s) for s in seeds)
    widths = tuple(int(u) for u in units)
    names = tuple(targets)
    if not seed_list or not widths or not names:
        msg = f"need targets, units and seeds, got {names!r}, {widths!r}, {seed_list!r}"
        raise ValueError(msg)
    exps = [
        Experiment(
            target=t, hidden=(u,), steps=steps, frames=frames, optimizer=optimizer, lr=lr, seed=s
        )
        for t in names
        for u in widths
        for s in seed_list
    ]
    runs = train_many(exps)
    shape = (len(names), len(widths), len(seed_list))
    domain = exps[0].domain
    steep = np.array(
        [
            [
                steepest_slope(r.weights[0][f, :, 0], r.biases[0][f], r.weights[1][f, 0], domain)
                for f in range(r.n_frames)
            ]
            for r in runs
        ]
    )
    return ApproximationStudy(
        targets=names,
        units=widths,
        seeds=seed_list,
        hand_built=np.array([[interpolating_net(t, u, domain).mse for u in widths] for t in names]),
        trained=np.array([r.losses[-1] for r in runs]).reshape(shape),
        steepest=steep.reshape(*shape, -1),
        steps=runs[0].steps,
        runs=runs,
    )
