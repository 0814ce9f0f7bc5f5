"""What a one-hidden-layer ReLU network is: kinks, per-unit pieces, linear regions, error bounds.

A net ``y = b2 + sum_j w2_j * relu(w1_j * x + b1_j)`` is continuous and piecewise linear. Unit
``j`` bends the output at its kink ``x = -b1_j / w1_j``; a unit whose kink lies outside the
domain is either *dead* (zero on the whole domain) or *always on* (linear on the whole domain)
and adds no bend. The best such function with a given number of pieces, knots optimised, is
:func:`relu_guide.core.piecewise.best_piecewise_linear`: the bound no training can beat.

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.analysis import Kink, kinks_of
>>> w1, b1 = np.array([1.0, -2.0, 1.0]), np.array([-1.0, -2.0, 9.0])
>>> [k.state for k in kinks_of(w1, b1, np.ones(3), (-5.0, 5.0))]
['kink', 'kink', 'always on']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from relu_guide.core.experiment import is_shallow_relu
from relu_guide.core.targets import Target, get_target
from relu_guide.core.training import Run

__all__ = [
    "Kink",
    "best_affine_fit",
    "best_affine_mse",
    "count_linear_pieces",
    "is_shallow_relu",
    "kink_positions",
    "kinks",
    "kinks_of",
    "net_slopes",
    "one_kink_per_side",
    "sign_flips",
    "staircase",
    "unit_kinks",
    "unit_order",
    "unit_pieces",
]

#: Gauss-Legendre nodes per cell and cells used by :func:`best_affine_fit`.
_GL_NODES, _GL_CELLS = 8, 256


@dataclass(frozen=True)
class Kink:
    """Where one hidden ReLU unit bends, and whether it bends inside the domain.

    Attributes
    ----------
    unit : int
        Index of the hidden unit.
    x : float
        The kink ``-b1 / w1`` (``nan`` when ``w1 == 0``).
    state : {"kink", "dead", "always on"}
        ``"kink"`` if ``x`` is strictly inside the domain; otherwise ``"dead"`` if the unit is
        zero on the whole domain, ``"always on"`` if it is active on all of it.
    weight : float
        The unit's outgoing weight ``w2``: the change of slope of the output at the kink is
        ``w2 * |w1|``.
    slope_change : float
        ``w2 * |w1|``: how much the output's slope grows when crossing the kink left to right.
    """

    unit: int
    x: float
    state: str
    weight: float
    slope_change: float


def kinks_of(
    w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, domain: tuple[float, float]
) -> list[Kink]:
    """Kinks of hidden units with input weights ``w1``, biases ``b1``, output weights ``w2``.

    Examples
    --------
    >>> ks = kinks_of(np.array([2.0, 1.0]), np.array([1.0, -9.0]), np.array([1.0, 1.0]), (-5, 5))
    >>> [(k.x, k.state) for k in ks]
    [(-0.5, 'kink'), (9.0, 'dead')]
    """
    lo, hi = domain
    out = []
    weights = zip(np.ravel(w1).tolist(), np.ravel(b1).tolist(), np.ravel(w2).tolist(), strict=True)
    for j, (w, b, v) in enumerate(weights):
        x = -b / w if w != 0 else float("nan")
        if lo < x < hi:
            state = "kink"
        else:
            # Outside the domain (or flat): the sign of the pre-activation at the middle decides.
            mid = 0.5 * (lo + hi)
            state = "always on" if w * mid + b > 0 else "dead"
        out.append(Kink(j, x, state, v, v * abs(w)))
    return out


def kink_positions(run: Run) -> np.ndarray:
    """Where every first-layer unit's input ``w1 x + b1`` crosses zero, at every frame.

    Shape ``(frames, units)``; ``nan`` where ``w1 == 0``. For a ReLU unit this is its kink.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> kink_positions(train(Experiment(hidden=(3,), steps=20, frames=2))).shape
    (3, 3)
    """
    w1 = run.weights[0][:, :, 0].astype(float)
    b1 = run.biases[0].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w1 != 0, -b1 / np.where(w1 != 0, w1, 1.0), np.nan)


def unit_kinks(run: Run, frame: int = -1) -> list[Kink]:
    """Kinks of the first layer's units at one frame, for any net whose first layer is
    followed by a (leaky) ReLU, the lone neuron ``Linear(1, 1) → ReLU`` included.

    The outgoing weights are the next layer's (1 when there is none).

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(), output_activation="relu", seed=1))
    >>> k = unit_kinks(run)[0]
    >>> k.state, round(k.x, 2)
    ('kink', 0.91)
    """
    f = run.frame_index(frame)
    w1, b1 = run.weights[0][f, :, 0], run.biases[0][f]
    w2 = run.weights[1][f, 0] if len(run.weights) > 1 else np.ones_like(w1)
    return kinks_of(w1, b1, w2, run.experiment.domain)


def unit_order(run: Run) -> np.ndarray:
    """Rank of every first-layer unit by where it bends at the end of training (left first).

    Units that never bend (``w1 == 0``) come last. The views colour units in this order.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> sorted(unit_order(train(Experiment(hidden=(3,), steps=20, frames=2))).tolist())
    [0, 1, 2]
    """
    x = np.nan_to_num(kink_positions(run)[-1], nan=np.inf)
    return np.argsort(np.argsort(x, kind="stable"), kind="stable")


def net_slopes(run: Run, x: np.ndarray, frames: list[int] | None = None) -> np.ndarray:
    """The network's slope ``dy/dx`` on ``x`` at several frames: shape ``(len(frames), n)``.

    For a one-hidden-layer (leaky) ReLU net, ``sum_j act'(w1_j x + b1_j) w1_j w2_j``: the sum
    of ``w1 w2`` over the units active at ``x`` (for ReLU), a staircase in ``x``.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(4,), steps=50, frames=2))
    >>> x = np.array([-3.0, 1.0])
    >>> slope = net_slopes(run, x, [-1])[0]
    >>> h = 1e-4
    >>> bool(np.allclose(slope, (run.predict(x + h) - run.predict(x - h)) / (2 * h), atol=1e-2))
    True
    """
    _one_hidden_relu(run)
    idx = np.arange(run.n_frames) if frames is None else [run.frame_index(f) for f in frames]
    w1 = run.weights[0][idx, :, 0].astype(float)  # (F, units)
    b1 = run.biases[0][idx].astype(float)
    w2 = run.weights[1][idx, 0, :].astype(float)
    pre = w1[:, None, :] * np.asarray(x, dtype=float)[None, :, None] + b1[:, None, :]
    act = run.experiment.activation_fn
    return np.asarray((act.derivative(pre) * (w1 * w2)[:, None, :]).sum(axis=-1))


def staircase(run: Run, frame: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """The network's slope at one frame as an exact staircase: vertices ``(x, slope)``.

    One step per kink inside the domain, each piece's slope measured at its middle.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> xs, ys = staircase(train(Experiment(hidden=(2,), steps=20, frames=2)))
    >>> bool(xs[0] == -5.0 and xs[-1] == 5.0 and len(xs) == len(ys))
    True
    """
    lo, hi = run.experiment.domain
    inside = sorted(k.x for k in kinks(run, frame) if k.state == "kink")
    edges = np.array([lo, *inside, hi])
    mids = 0.5 * (edges[1:] + edges[:-1])
    s = net_slopes(run, mids, [frame])[0]
    return np.repeat(edges, 2)[1:-1], np.repeat(s, 2)


def sign_flips(values: np.ndarray) -> int:
    """How many neighbours in a sequence have opposite signs (a zero has neither sign).

    The slope of a single linear layer trained by SGD flips sign from batch to batch: this
    counts the flips between snapshots.

    Examples
    --------
    >>> sign_flips(np.array([0.5, -0.1, -0.2, 0.0, 0.3]))
    1
    >>> sign_flips(np.array([1.0, -1.0, 1.0]))
    2
    """
    signs = np.sign(np.asarray(values, dtype=float))
    return int(np.count_nonzero(signs[1:] * signs[:-1] < 0))


def _one_hidden_relu(run: Run) -> None:
    exp = run.experiment
    if not is_shallow_relu(exp):
        msg = (
            "kink analysis needs a one-hidden-layer (leaky) ReLU net with a linear output, "
            f"got {exp.describe()}"
        )
        raise ValueError(msg)


def kinks(run: Run, frame: int = -1) -> list[Kink]:
    """Kinks of every hidden unit of a one-hidden-layer ReLU run at one frame.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(2,), steps=20, frames=2))
    >>> len(kinks(run))
    2
    """
    _one_hidden_relu(run)
    f = run.frame_index(frame)
    return kinks_of(
        run.weights[0][f, :, 0], run.biases[0][f], run.weights[1][f, 0], run.experiment.domain
    )


def one_kink_per_side(run: Run, frame: int = -1) -> bool:
    """True when exactly two units bend inside the domain, one on each side of 0.

    The shape a two-unit net needs to fit both arms of :math:`x^2`; the guide and the gallery
    pick their two-neuron seed with it.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> one_kink_per_side(train(Experiment(hidden=(2,), seed=2)))
    True
    >>> one_kink_per_side(train(Experiment(hidden=(2,), seed=0)))  # one unit dies
    False
    """
    xs = [k.x for k in kinks(run, frame) if k.state == "kink"]
    return len(xs) == 2 and min(xs) < 0 < max(xs)


def unit_pieces(run: Run, x: np.ndarray, frame: int = -1) -> np.ndarray:
    """Each hidden unit's contribution ``w2_j * act(w1_j x + b1_j)``: shape ``(n, units)``.

    Their sum plus the output bias ``b2`` is the network's output.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(3,), steps=20, frames=2))
    >>> x = np.linspace(-5, 5, 7)
    >>> total = unit_pieces(run, x).sum(axis=1) + run.biases[1][-1, 0]
    >>> bool(np.allclose(total, run.predict(x), atol=1e-5))
    True
    """
    _one_hidden_relu(run)
    f = run.frame_index(frame)
    hidden = run.layer_outputs(x, f)[1][1]
    pieces: np.ndarray = hidden * run.weights[1][f, 0].astype(float)
    return pieces


def count_linear_pieces(run: Run, frame: int = -1) -> int:
    """Number of linear pieces of the output on the domain.

    Counts distinct kinks inside the domain whose slope change is not zero.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> count_linear_pieces(train(Experiment(hidden=(), steps=5, frames=1)))
    Traceback (most recent call last):
    ...
    ValueError: kink analysis needs a one-hidden-layer (leaky) ReLU net with a linear output, got Linear(1, 1)
    """
    ks = [k for k in kinks(run, frame) if k.state == "kink" and k.slope_change != 0]
    return len({k.x for k in ks}) + 1


def _quadrature(domain: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on the domain, weights summing to 1."""
    lo, hi = domain
    t, w = np.polynomial.legendre.leggauss(_GL_NODES)
    edges = np.linspace(lo, hi, _GL_CELLS + 1)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    nodes = (mid[:, None] + half[:, None] * t[None, :]).ravel()
    weights = (half[:, None] * w[None, :]).ravel() / (hi - lo)
    return nodes, weights


def best_affine_fit(
    target: str | Callable[[np.ndarray], np.ndarray] | Target,
    domain: tuple[float, float] = (-5.0, 5.0),
) -> tuple[float, float, float]:
    """The affine function ``a*x + b`` closest to the target in mean squared error.

    The error is the average over the domain (inputs uniform, as in training), computed with
    composite Gauss-Legendre quadrature: exact for polynomial targets.

    Returns
    -------
    slope, intercept, mse : float

    Examples
    --------
    >>> a, b, mse = best_affine_fit("square")
    >>> round(a, 12), round(b, 12), round(mse, 9), round(500 / 9, 9)
    (0.0, 8.333333333333, 55.555555556, 55.555555556)
    """
    fn = get_target(target)
    x, w = _quadrature(domain)
    y = fn(x)
    design = np.stack([x, np.ones_like(x)], axis=1) * np.sqrt(w)[:, None]
    (a, b), *_ = np.linalg.lstsq(design, y * np.sqrt(w), rcond=None)
    mse = float(np.sum(w * (y - a * x - b) ** 2))
    return float(a), float(b), mse


def best_affine_mse(
    target: str | Callable[[np.ndarray], np.ndarray] | Target,
    domain: tuple[float, float] = (-5.0, 5.0),
) -> float:
    """The lowest mean squared error any affine function reaches on the target.

    No network without a nonlinearity, however many layers, can do better.

    Examples
    --------
    >>> round(best_affine_mse("square"), 6)
    55.555556
    """
    return best_affine_fit(target, domain)[2]
