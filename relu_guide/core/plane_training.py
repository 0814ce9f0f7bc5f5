"""Training two-input nets, many seeds at once.

:func:`train_plane` trains any number of :class:`~relu_guide.core.plane.PlaneExperiment`;
experiments that differ only in their seed train together, their parameters stacked on a model
axis, every layer one batched matrix product (:func:`stacked_forward`), each model with its own
batches (seeded as :func:`relu_guide.train` seeds its own) and its own gradient.

Examples
--------
>>> from relu_guide.core.plane import PlaneExperiment
>>> exp = PlaneExperiment(target="diamond", hidden=(4,), steps=200, frames=4, seed=0)
>>> run, = train_plane([exp])
>>> run.n_frames, bool(run.losses[-1] < run.losses[0])
(5, True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import torch

from relu_guide.core.checks import check_experiments
from relu_guide.core.optimizers import make_optimizer
from relu_guide.core.plane import PlaneExperiment, PlaneRun, initial_parameters, plane_grid
from relu_guide.core.training import BATCH_SEED_OFFSET, _one_thread

Tensor = torch.Tensor

__all__ = [
    "batch_generators",
    "plane_runs",
    "stacked_forward",
    "stacked_parameters",
    "train_groups",
    "train_plane",
]


def _group_key(exp: PlaneExperiment) -> PlaneExperiment:
    return replace(exp, seed=0)


def _batches(
    gens: Sequence[torch.Generator], exp: PlaneExperiment, n: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` steps of every model's batches: inputs ``(n, M, batch, 2)``, targets ``(n, M, batch)``."""
    lo, hi = exp.domain
    xs = torch.stack([torch.rand((n, exp.batch_size, 2), generator=g) for g in gens], dim=1)
    xs = xs.mul_(hi - lo).add_(lo)
    pts = xs.numpy().astype(float)
    ys = exp.target_fn(pts[..., 0], pts[..., 1])
    return xs, torch.from_numpy(ys.astype(np.float32))


def stacked_forward(
    x: torch.Tensor, weights: Sequence[torch.Tensor], biases: Sequence[torch.Tensor]
) -> torch.Tensor:
    """Forward pass of ``M`` stacked nets: inputs ``(M, batch, 2)`` to outputs ``(M, batch)``.

    Examples
    --------
    >>> w = [torch.ones(1, 3, 2), torch.ones(1, 1, 3)]
    >>> b = [torch.zeros(1, 3), torch.zeros(1, 1)]
    >>> stacked_forward(torch.tensor([[[1.0, -2.0]]]), w, b).tolist()
    [[0.0]]
    """
    h = x
    n = len(weights)
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        h = torch.baddbmm(b[:, None, :], h, w.transpose(1, 2))
        if i < n - 1:
            h = torch.relu(h)
    return h[..., 0]


_CHUNK = 250


def stacked_parameters(exps: Sequence[PlaneExperiment]) -> tuple[list[Tensor], list[Tensor]]:
    """The seeded initial weights and biases of ``exps`` (one architecture), stacked per layer.

    Examples
    --------
    >>> ws, bs = stacked_parameters([PlaneExperiment(hidden=(3,), seed=s) for s in (0, 1)])
    >>> [tuple(w.shape) for w in ws], [tuple(b.shape) for b in bs]
    ([(2, 3, 2), (2, 1, 3)], [(2, 3), (2, 1)])
    """
    inits = [initial_parameters(e) for e in exps]
    n_layers = len(exps[0].layer_widths) - 1
    weights = [torch.from_numpy(np.stack([p[0][i] for p in inits])) for i in range(n_layers)]
    biases = [torch.from_numpy(np.stack([p[1][i] for p in inits])) for i in range(n_layers)]
    return weights, biases


def batch_generators(exps: Sequence[PlaneExperiment]) -> list[torch.Generator]:
    """Each experiment's batch generator, seeded as :func:`relu_guide.train` seeds its own."""
    return [torch.Generator().manual_seed(e.seed + BATCH_SEED_OFFSET) for e in exps]


def plane_runs(
    exps: Sequence[PlaneExperiment], states: Sequence[Sequence[np.ndarray]], losses: Tensor
) -> list[PlaneRun]:
    """The runs of a group trained together: every model's snapshots and its grid losses.

    ``states`` holds, per snapshot, the stacked ``[w1, b1, w2, b2, ...]``; ``losses`` the batch
    losses, ``(steps, models)``.

    Raises
    ------
    RuntimeError
        If a batch loss is NaN or infinite.
    """
    exp = exps[0]
    if not bool(torch.isfinite(losses).all()):
        msg = f"training diverged (lr={exp.lr:g}) for {exp!r}; try a lower learning rate"
        raise RuntimeError(msg)
    n_layers = len(exp.layer_widths) - 1
    gx, gy = plane_grid(exp.domain)
    truth = exp.target_fn(gx, gy)
    runs = []
    for m, e in enumerate(exps):
        ws = [np.stack([s[2 * i][m] for s in states]) for i in range(n_layers)]
        bs = [np.stack([s[2 * i + 1][m] for s in states]) for i in range(n_layers)]
        snaps = exp.snapshot_steps
        run = PlaneRun(e, snaps, ws, bs, np.empty(0), losses[:, m].numpy().astype(float))
        grid = np.array(
            [np.mean((run.predict(gx, gy, f) - truth) ** 2) for f in range(run.n_frames)]
        )
        object.__setattr__(run, "losses", grid)
        runs.append(run)
    return runs


def train_groups(
    exps: Sequence[PlaneExperiment],
    train_group: Callable[[list[PlaneExperiment]], list[PlaneRun]],
) -> list[PlaneRun]:
    """Experiments that differ only in their seed trained together by ``train_group``, on one
    thread; one run each, in order."""
    groups: dict[object, list[int]] = {}
    for i, e in enumerate(exps):
        groups.setdefault(_group_key(e), []).append(i)
    out: list[PlaneRun | None] = [None] * len(exps)
    with _one_thread():
        for idx in groups.values():
            for i, run in zip(idx, train_group([exps[i] for i in idx]), strict=True):
                out[i] = run
    return [r for r in out if r is not None]


def _train_group(exps: list[PlaneExperiment]) -> list[PlaneRun]:
    exp = exps[0]
    weights, biases = stacked_parameters(exps)
    params = [t.requires_grad_() for pair in zip(weights, biases, strict=True) for t in pair]
    optimizer = make_optimizer(exp.optimizer, params, exp.lr)
    gens = batch_generators(exps)
    snaps = exp.snapshot_steps
    states = [[t.detach().numpy().copy() for t in params]]
    batch_losses = torch.empty(exp.steps, len(exps))
    for c0 in range(0, exp.steps, _CHUNK):
        n = min(_CHUNK, exp.steps - c0)
        xs, ys = _batches(gens, exp, n)
        for j in range(n):
            optimizer.zero_grad()
            per_model = ((stacked_forward(xs[j], weights, biases) - ys[j]) ** 2).mean(dim=1)
            per_model.sum().backward()
            optimizer.step()
            batch_losses[c0 + j] = per_model.detach()
            if c0 + j + 1 == snaps[len(states)]:
                states.append([t.detach().numpy().copy() for t in params])
    return plane_runs(exps, states, batch_losses)


def train_plane(experiments: Sequence[PlaneExperiment]) -> list[PlaneRun]:
    """Train two-input nets, those that differ only in their seed together; runs in order.

    Deterministic: the same experiments give the same runs, in any process.

    Raises
    ------
    ValueError
        If ``experiments`` is empty or holds something else.
    RuntimeError
        If a loss becomes NaN or infinite.

    Examples
    --------
    >>> runs = train_plane([PlaneExperiment(hidden=(3,), steps=20, frames=2, seed=s) for s in (0, 1)])
    >>> [r.experiment.seed for r in runs], runs[0].weights[0].shape
    ([0, 1], (3, 3, 2))
    """
    exps = check_experiments(experiments, PlaneExperiment)
    return train_groups(exps, _train_group)
