"""Two inputs: ReLU nets on the plane, their targets, and the record of a run.

A :class:`PlaneExperiment` is the two-input sibling of :class:`~relu_guide.Experiment`: inputs
``(x_1, x_2)`` drawn uniformly from a square, a target of two variables (:data:`PLANE_TARGETS`), a
ReLU net ``Linear(2, n) → ReLU → ... → Linear(n, 1)`` initialised as torch initialises
``nn.Linear`` (weights and biases uniform in ``±1/sqrt(fan_in)``, from a generator seeded with
the experiment's seed). :func:`~relu_guide.core.plane_training.train_plane` trains any number
of them into :class:`PlaneRun` records; :func:`fixed_run` makes one of a hand-built net.

Examples
--------
>>> from relu_guide.core.plane import PlaneExperiment
>>> from relu_guide.core.plane_training import train_plane
>>> exp = PlaneExperiment(target="diamond", hidden=(4,), steps=200, frames=4, seed=0)
>>> exp.describe()
'Linear(2, 4) → ReLU → Linear(4, 1)'
>>> run, = train_plane([exp])
>>> run.n_frames, bool(run.losses[-1] < run.losses[0])
(5, True)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from relu_guide.core.checks import check_interval, check_training, check_widths

__all__ = [
    "PLANE_TARGETS",
    "PlaneExperiment",
    "PlaneRun",
    "PlaneTarget",
    "fixed_run",
    "initial_parameters",
    "plane_grid",
]

#: Points per side of the grid on which :attr:`PlaneRun.losses` are measured.
GRID_SIDE = 101


@dataclass(frozen=True)
class PlaneTarget:
    """A function of two variables to fit.

    Attributes
    ----------
    name : str
    fn : callable
        ``fn(x, y)`` on numpy arrays of one shape, returning that shape.
    latex : str
        The formula for labels, without dollar signs.
    """

    name: str
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray] = field(repr=False, compare=False)
    latex: str = field(default="f(x_1, x_2)", repr=False, compare=False)

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Evaluate the target on arrays of inputs.

        Examples
        --------
        >>> PLANE_TARGETS["bowl"](np.array([1.0, 2.0]), np.array([1.0, 0.0]))
        array([2., 4.])
        """
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(self.fn(x, y), dtype=float)


#: The targets of the two-input chapter: smooth, kinked along the axes, and a ridge along the
#: diagonal (``max(0, 1 - |x_1 - x_2|)``, a hat of ``x_1 - x_2``: exactly three ReLUs).
PLANE_TARGETS: dict[str, PlaneTarget] = {
    t.name: t
    for t in (
        PlaneTarget("bowl", lambda x, y: x**2 + y**2, "x_1^2 + x_2^2"),
        PlaneTarget("diamond", lambda x, y: np.abs(x) + np.abs(y), "|x_1| + |x_2|"),
        PlaneTarget(
            "ridge", lambda x, y: np.maximum(0.0, 1.0 - np.abs(x - y)), r"\max(0, 1 - |x_1 - x_2|)"
        ),
    )
}


@dataclass(frozen=True)
class PlaneExperiment:
    """One training run of a two-input ReLU net, validated on construction.

    Parameters
    ----------
    target : str, default "bowl"
        A name from :data:`PLANE_TARGETS`.
    domain : (float, float), default (-2, 2)
        The inputs are drawn uniformly from the square ``domain × domain``.
    hidden : tuple of int, default (8,)
        Widths of the hidden ReLU layers (at least one).
    optimizer : {"sgd", "adam"}, default "adam"
    lr : float, default 0.01
    batch_size : int, default 256
    steps : int, default 1000
    frames : int, default 50
        Snapshots evenly spaced over the steps, plus the initial state.
    seed : int, default 0
        Seeds the initial weights and the batches.

    Raises
    ------
    ValueError
        On any invalid value, naming it.

    Examples
    --------
    >>> PlaneExperiment(hidden=(8, 8)).n_parameters
    105
    >>> PlaneExperiment(target="saddle")
    Traceback (most recent call last):
    ...
    ValueError: unknown plane target 'saddle'; choose one of: bowl, diamond, ridge
    """

    target: str = "bowl"
    domain: tuple[float, float] = (-2.0, 2.0)
    hidden: tuple[int, ...] = (8,)
    optimizer: str = "adam"
    lr: float = 0.01
    batch_size: int = 256
    steps: int = 1000
    frames: int = 50
    seed: int = 0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if self.target not in PLANE_TARGETS:
            msg = f"unknown plane target {self.target!r}; choose one of: {', '.join(PLANE_TARGETS)}"
            raise ValueError(msg)
        set_(self, "domain", check_interval(self.domain))
        set_(self, "hidden", check_widths(self.hidden, allow_empty=False))
        for name, value in check_training(self).items():
            set_(self, name, value)

    @property
    def target_fn(self) -> PlaneTarget:
        """The target, resolved."""
        return PLANE_TARGETS[self.target]

    @property
    def layer_widths(self) -> tuple[int, ...]:
        """Every layer's width, input and output included: ``(2, *hidden, 1)``."""
        return (2, *self.hidden, 1)

    @property
    def n_parameters(self) -> int:
        """Number of weights and biases."""
        return sum((a + 1) * b for a, b in itertools.pairwise(self.layer_widths))

    @property
    def snapshot_steps(self) -> np.ndarray:
        """The step of every stored state, ``frames + 1`` of them from 0 to ``steps``."""
        return np.rint(np.linspace(0, self.steps, self.frames + 1)).astype(np.int64)

    def describe(self) -> str:
        """The network as one line.

        Examples
        --------
        >>> PlaneExperiment(hidden=(3, 2)).describe()
        'Linear(2, 3) → ReLU → Linear(3, 2) → ReLU → Linear(2, 1)'
        """
        w = self.layer_widths
        parts = [f"Linear({a}, {b})" for a, b in itertools.pairwise(w)]
        return " → ReLU → ".join(parts)

    def with_(self, **changes: Any) -> PlaneExperiment:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


def plane_grid(domain: tuple[float, float], side: int = GRID_SIDE) -> tuple[np.ndarray, np.ndarray]:
    """Cell midpoints of a ``side × side`` grid on the square: ``(x, y)``, each ``(side, side)``.

    Examples
    --------
    >>> x, y = plane_grid((0.0, 1.0), 2)
    >>> x.tolist(), y.tolist()
    ([[0.25, 0.75], [0.25, 0.75]], [[0.25, 0.25], [0.75, 0.75]])
    """
    lo, hi = domain
    t = lo + (np.arange(side) + 0.5) * (hi - lo) / side
    x, y = np.meshgrid(t, t)
    return x, y


def initial_parameters(experiment: PlaneExperiment) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The seeded initial weights ``(out, in)`` and biases ``(out,)`` of every layer.

    Drawn as :func:`relu_guide.core.training.build_model` draws them: layer by layer, weight then
    bias, uniform in ``±1/sqrt(fan_in)``, from ``torch.Generator().manual_seed(seed)``.

    Examples
    --------
    >>> ws, bs = initial_parameters(PlaneExperiment(hidden=(3,)))
    >>> [w.shape for w in ws], bool(np.all(np.abs(ws[0]) <= 1 / np.sqrt(2)))
    ([(3, 2), (1, 3)], True)
    """
    gen = torch.Generator().manual_seed(experiment.seed)
    weights, biases = [], []
    for a, b in itertools.pairwise(experiment.layer_widths):
        bound = 1.0 / math.sqrt(a)
        weights.append(torch.empty(b, a).uniform_(-bound, bound, generator=gen).numpy())
        biases.append(torch.empty(b).uniform_(-bound, bound, generator=gen).numpy())
    return weights, biases


def _forward(
    x: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]
) -> np.ndarray:
    h = x
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        h = h @ w.T + b
        if i < len(weights) - 1:
            h = np.maximum(h, 0.0)
    return h[..., 0]


@dataclass(frozen=True, eq=False)
class PlaneRun:
    """A trained two-input net: its parameters at every snapshot and its error.

    Attributes
    ----------
    experiment : PlaneExperiment
    steps : ndarray of int, shape (frames + 1,)
    weights : list of ndarray, ``weights[i].shape == (frames + 1, out, in)``
    biases : list of ndarray, ``biases[i].shape == (frames + 1, out)``
    losses : ndarray, shape (frames + 1,)
        Mean squared error on :func:`plane_grid` at each snapshot.
    batch_losses : ndarray, shape (steps,)
    fitted : bool
        False for a hand-built net shown for its regions only (no target to compare with).
    """

    experiment: PlaneExperiment
    steps: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    losses: np.ndarray
    batch_losses: np.ndarray
    fitted: bool = True

    @property
    def n_frames(self) -> int:
        """Number of stored states."""
        return len(self.steps)

    def parameters(self, frame: int = -1) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Weights and biases of one frame, as float64 arrays."""
        if not -self.n_frames <= frame < self.n_frames:
            msg = f"frame {frame} out of range for a run of {self.n_frames} frames"
            raise IndexError(msg)
        return (
            [w[frame].astype(float) for w in self.weights],
            [b[frame].astype(float) for b in self.biases],
        )

    def predict(self, x: np.ndarray, y: np.ndarray, frame: int = -1) -> np.ndarray:
        """The net's output at points ``(x, y)`` (arrays of one shape), in float64.

        Examples
        --------
        >>> from relu_guide.core.plane_training import train_plane
        >>> run, = train_plane([PlaneExperiment(hidden=(2,), steps=10, frames=1)])
        >>> run.predict(np.zeros(3), np.ones(3)).shape
        (3,)
        """
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        ws, bs = self.parameters(frame)
        return _forward(np.stack([x, y], axis=-1), ws, bs)

    def model(self, frame: int = -1) -> nn.Sequential:
        """A torch model (float32) holding the parameters of one frame."""
        ws, bs = self.parameters(frame)
        modules: list[nn.Module] = []
        for i, (w, b) in enumerate(zip(ws, bs, strict=True)):
            lin = nn.Linear(w.shape[1], w.shape[0])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w))
                lin.bias.copy_(torch.from_numpy(b))
            modules.append(lin)
            if i < len(ws) - 1:
                modules.append(nn.ReLU())
        return nn.Sequential(*modules)


def fixed_run(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    *,
    target: str | None = None,
    domain: tuple[float, float] = (-2.0, 2.0),
) -> PlaneRun:
    """A hand-built net as a run of two identical frames (steps 0 and 1), for the views.

    With ``target=None`` the run is shown for its regions only (``fitted`` is False).

    Examples
    --------
    >>> run = fixed_run([np.eye(2), np.ones((1, 2))], [np.zeros(2), np.zeros(1)], target="diamond")
    >>> run.experiment.hidden, float(run.predict(np.array(1.0), np.array(-1.0)))
    ((2,), 1.0)
    """
    ws = [np.asarray(w, dtype=float) for w in weights]
    bs = [np.asarray(b, dtype=float).reshape(-1) for b in biases]
    if len(ws) < 2 or len(ws) != len(bs) or ws[0].shape[1:] != (2,) or ws[-1].shape[0] != 1:
        msg = f"need at least two layers from 2 inputs to 1 output, got weight shapes {[w.shape for w in ws]}"
        raise ValueError(msg)
    for a, b, w_next in zip(ws, bs, ws[1:], strict=False):
        if b.shape != (a.shape[0],) or w_next.shape[1] != a.shape[0]:
            msg = f"layer shapes do not chain: {[w.shape for w in ws]}, {[b.shape for b in bs]}"
            raise ValueError(msg)
    exp = PlaneExperiment(
        target=target or "bowl",
        domain=domain,
        hidden=tuple(w.shape[0] for w in ws[:-1]),
        steps=1,
        frames=1,
    )
    run = PlaneRun(
        exp,
        exp.snapshot_steps,
        [np.stack([w, w]) for w in ws],
        [np.stack([b, b]) for b in bs],
        np.empty(0),
        np.zeros(1),
        fitted=target is not None,
    )
    gx, gy = plane_grid(exp.domain)
    err = float(np.mean((run.predict(gx, gy) - exp.target_fn(gx, gy)) ** 2))
    object.__setattr__(run, "losses", np.array([err, err]))
    return run
