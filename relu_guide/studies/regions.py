"""How many linear regions trained two-input nets make, against the most they could.

:func:`region_counts` trains many nets (every seed of every architecture, batched as
:func:`relu_guide.core.plane_training.train_plane` batches them, with hand-written gradients) and counts their activation regions exactly
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
import torch

from relu_guide.core.activations import get_activation
from relu_guide.core.optimizers import make_optimizer
from relu_guide.core.plane import PlaneExperiment, PlaneRun
from relu_guide.core.plane_training import (
    _CHUNK,
    _batches,
    batch_generators,
    plane_runs,
    stacked_parameters,
    train_groups,
)
from relu_guide.core.regions import count_regions, layered_bound
from relu_guide.studies.backprop import StackedBackprop

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


def _train_group(exps: list[PlaneExperiment]) -> list[PlaneRun]:
    """Train experiments that differ only in their seed, stacked, by hand-written backward."""
    exp = exps[0]
    weights, biases = stacked_parameters(exps)
    params = [t for pair in zip(weights, biases, strict=True) for t in pair]
    for t in params:
        t.grad = torch.zeros_like(t)
    net = StackedBackprop(
        weights,
        biases,
        [(0, len(exps), get_activation("relu"))],
        None,
        batch=exp.batch_size,
        grad_w=[w.grad for w in weights if w.grad is not None],
        grad_b=[b.grad for b in biases if b.grad is not None],
    )
    optimizer = make_optimizer(exp.optimizer, params, exp.lr)
    gens = batch_generators(exps)
    snaps = exp.snapshot_steps
    states = [[t.numpy().copy() for t in params]]
    batch_losses = torch.empty(exp.steps, len(exps))
    for c0 in range(0, exp.steps, _CHUNK):
        n = min(_CHUNK, exp.steps - c0)
        xs, ys = _batches(gens, exp, n)
        for j in range(n):
            net.gradients(xs[j].transpose(1, 2), ys[j], loss=batch_losses[c0 + j])
            optimizer.step()
            if c0 + j + 1 == snaps[len(states)]:
                states.append([t.numpy().copy() for t in params])
    return plane_runs(exps, states, batch_losses)


def _train(exps: Sequence[PlaneExperiment]) -> list[PlaneRun]:
    """:func:`~relu_guide.core.plane_training.train_plane`, with the gradients of
    :class:`~relu_guide.studies.backprop.StackedBackprop` instead of autograd.

    The same groups, initial weights, batches, optimizer and snapshots; it agrees with
    ``train_plane`` to float32 precision over short horizons (tested).
    """
    return train_groups(exps, _train_group)


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
    runs = _train(exps)
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
