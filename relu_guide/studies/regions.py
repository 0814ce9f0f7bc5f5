"""How many linear regions trained two-input nets make, against the most they could.

:func:`region_counts` trains many nets (every seed of every architecture, batched by
:func:`relu_guide.core.plane_training.train_plane`) and counts their activation regions exactly
(:func:`relu_guide.core.regions.count_regions`) at initialisation and at the end, beside the
bound of each architecture (:func:`relu_guide.core.regions.layered_bound`).

Examples
--------
>>> from relu_guide.studies.regions import region_counts
>>> study = region_counts(hidden=((2,), (3,)), seeds=range(2), steps=20)
>>> study.initial.shape, study.bounds.tolist()
((2, 2), [4, 7])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from relu_guide.core.plane import PlaneExperiment, PlaneRun
from relu_guide.core.plane_training import train_plane
from relu_guide.core.regions import count_regions, layered_bound

__all__ = ["RegionCounts", "region_counts"]


@dataclass(frozen=True)
class RegionCounts:
    """Region counts of many trained two-input nets.

    Attributes
    ----------
    hidden : tuple of tuple of int
        The architectures (hidden widths), one row each.
    seeds : tuple of int
    initial, final : ndarray of int, shape (architectures, seeds)
        Activation regions inside the square at step 0 and at the end.
    losses : ndarray, shape (architectures, seeds)
        Final mean squared error.
    bounds : ndarray of int, shape (architectures,)
        :func:`~relu_guide.core.regions.layered_bound` of each architecture.
    runs : list of PlaneRun
        Row by row, seed by seed.
    """

    hidden: tuple[tuple[int, ...], ...]
    seeds: tuple[int, ...]
    initial: np.ndarray
    final: np.ndarray
    losses: np.ndarray
    bounds: np.ndarray
    runs: list[PlaneRun]

    @property
    def units(self) -> np.ndarray:
        """Hidden units of each architecture."""
        return np.array([sum(h) for h in self.hidden])


def region_counts(
    hidden: Sequence[Sequence[int]] = ((2,), (4,), (8,), (16,)),
    seeds: Iterable[int] = range(20),
    *,
    target: str = "bowl",
    steps: int = 500,
    lr: float = 0.01,
    frames: int = 5,
) -> RegionCounts:
    """Train every architecture with every seed (Adam, batches of 256) and count regions.

    Examples
    --------
    >>> study = region_counts(hidden=((4,),), seeds=range(3), steps=30)
    >>> bool((study.final <= study.bounds[:, None]).all())
    True
    """
    archs = tuple(tuple(int(w) for w in h) for h in hidden)
    seed_list = tuple(int(s) for s in seeds)
    if not archs or not seed_list:
        msg = f"need at least one architecture and one seed, got {archs!r}, {seed_list!r}"
        raise ValueError(msg)
    exps = [
        PlaneExperiment(target=target, hidden=h, steps=steps, frames=frames, lr=lr, seed=s)
        for h in archs
        for s in seed_list
    ]
    runs = train_plane(exps)
    shape = (len(archs), len(seed_list))

    def counts(frame: int) -> np.ndarray:
        return np.array(
            [count_regions(*r.parameters(frame), r.experiment.domain) for r in runs]
        ).reshape(shape)

    return RegionCounts(
        hidden=archs,
        seeds=seed_list,
        initial=counts(0),
        final=counts(-1),
        losses=np.array([r.losses[-1] for r in runs]).reshape(shape),
        bounds=np.array([layered_bound(h) for h in archs]),
        runs=runs,
    )
