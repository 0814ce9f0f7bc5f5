"""The playground's training, exactly: a float64 numpy reference of ``<relu-playground>``.

The widget in ``relu_guide/faces/playground/playground.js`` trains one net
``y(x) = b2 + Σ_j w2[j]·φ(w1[j]·x + b1[j])`` on the points of :func:`points`. This module does the
same arithmetic in the same order, so that the tests can ask the JavaScript for the very same
floats (for ReLU and leaky ReLU; ``tanh`` and ``exp`` may differ in the last bit between libms).

The arithmetic, for a batch of ``m`` points ``x_i`` with targets ``t_i`` (every sum runs left to
right, as a loop would; numpy's ``cumsum`` is such a loop):

- ``z_ij = w1[j]*x_i + b1[j]``, ``h_ij = φ(z_ij)``, ``y_i = (…((b2 + w2[0]*h_i0) + w2[1]*h_i1)…)``;
- ``r_i = y_i - t_i``, loss ``= (Σ_i r_i*r_i) / m``, ``g_i = (2/m)*r_i``;
- ``∂b2 = Σ_i g_i``, ``∂w2[j] = Σ_i g_i*h_ij``, ``d_ij = (g_i*w2[j])*φ'(z_ij)``,
  ``∂w1[j] = Σ_i d_ij*x_i``, ``∂b1[j] = Σ_i d_ij``;
- every parameter ``p`` becomes ``p - lr*∂p``, all from the gradients at the old parameters.

φ is ``relu`` (``z > 0 ? z : 0``, φ'(0) = 0 as in torch), ``leaky_relu`` (``z > 0 ? z :
slope*z``, φ' = 1 or ``slope``, default :data:`LEAKY_SLOPE`), ``tanh`` (φ' = 1 - tanh²) or
``sigmoid`` (``1/(1+exp(-z))``, φ' = s(1-s)).

The PRNG, identical in Python and JavaScript: mulberry32 (Tommy Ettinger's 32-bit generator),
whose integer steps are exact in both languages. :func:`initial_params` seeds it with ``seed``
and draws, in order, ``w1`` and ``b1`` uniform on ``(-1, 1)`` and ``w2`` and ``b2`` uniform on
``(-1/√width, 1/√width)`` (torch's default ranges for ``Linear(1, width)`` and
``Linear(width, 1)``), each as ``(2u - 1)·bound`` with ``u = k / 2³²``. :func:`batch_indices`
seeds a second generator with ``seed XOR 0x5BD1E995`` and draws, for every step, ``size`` point
indices with replacement, ``floor(k·n / 2³²)``.

Examples
--------
>>> p = initial_params(3, seed=0)
>>> [round(float(v), 6) for v in p["w1"]]
[-0.467142, -0.999341, -0.553456]
>>> run = train(p, "square", steps=100, lr=0.01)
>>> run["loss"][-1] < run["loss"][0]
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "BEST_WIDTHS",
    "DOMAIN",
    "LEAKY_SLOPE",
    "MAX_WIDTH",
    "N_POINTS",
    "TARGETS",
    "Mulberry32",
    "batch_indices",
    "gradients",
    "initial_params",
    "kinks",
    "loss",
    "points",
    "predict",
    "step",
    "target_values",
    "train",
]

#: The input interval, as in the guide.
DOMAIN: tuple[float, float] = (-5.0, 5.0)
#: Training points of the full batch: as many as the guide's batches.
N_POINTS = 256
#: The widest net the playground trains.
MAX_WIDTH = 64
#: Widths whose best net's error the playground draws: those of the guide's nets (its presets).
BEST_WIDTHS: tuple[int, ...] = (1, 2, 20)
#: Leaky ReLU's slope for negative inputs, as in relu_guide.
LEAKY_SLOPE = 0.1
#: Activation names the playground knows.
ACTIVATIONS: tuple[str, ...] = ("relu", "leaky_relu", "tanh", "sigmoid")

#: The registry's targets, written with the very operations the JavaScript uses.
TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "square": lambda x: x * x,
    "abs": np.abs,
    "sin": np.sin,
    "step": lambda x: np.where(x > 0, 1.0, 0.0),
    "cube": lambda x: x * x * x / 5.0,
}

Params = dict[str, np.ndarray | float]


def points(n: int = N_POINTS, domain: tuple[float, float] = DOMAIN) -> np.ndarray:
    """Midpoints of ``n`` equal cells of the domain: ``lo + (i + 0.5)·(hi - lo)/n``.

    Examples
    --------
    >>> points(4, (0.0, 1.0))
    array([0.125, 0.375, 0.625, 0.875])
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        msg = f"n must be a positive integer, got {n!r}"
        raise ValueError(msg)
    lo, hi = domain
    return lo + (np.arange(n) + 0.5) * ((hi - lo) / n)


def target_values(target: str, x: np.ndarray) -> np.ndarray:
    """The target on ``x``, by registry name.

    Examples
    --------
    >>> target_values("cube", np.array([5.0]))
    array([25.])
    """
    if target not in TARGETS:
        msg = f"unknown target {target!r}; choose one of: {', '.join(TARGETS)}"
        raise ValueError(msg)
    return np.asarray(TARGETS[target](np.asarray(x, dtype=float)), dtype=float)


class Mulberry32:
    """The playground's seeded PRNG: mulberry32, 32-bit integer steps, exact in JS too.

    Examples
    --------
    >>> rng = Mulberry32(1)
    >>> [rng.next_uint32() for _ in range(2)]
    [2693262067, 11749833]
    """

    def __init__(self, seed: int) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
            msg = f"seed must be an integer in [0, 2**32), got {seed!r}"
            raise ValueError(msg)
        self.state = seed

    def next_uint32(self) -> int:
        """The next 32-bit unsigned integer."""
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return (t ^ (t >> 14)) & 0xFFFFFFFF

    def uniform(self) -> float:
        """The next float in ``[0, 1)``: ``k / 2**32``."""
        return self.next_uint32() / 4294967296.0


def _check_width(width: int) -> int:
    if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= MAX_WIDTH:
        msg = f"width must be an integer from 1 to {MAX_WIDTH}, got {width!r}"
        raise ValueError(msg)
    return width


def initial_params(width: int, seed: int = 0) -> Params:
    """Initial weights drawn by the playground's PRNG (see the module docstring).

    Examples
    --------
    >>> p = initial_params(2, seed=5)
    >>> sorted(p), p["w1"].shape, type(p["b2"]).__name__
    (['b1', 'b2', 'w1', 'w2'], (2,), 'float')
    """
    _check_width(width)
    rng = Mulberry32(seed)
    bound = 1.0 / math.sqrt(width)

    def draw(n: int, b: float) -> np.ndarray:
        return np.array([(2.0 * rng.uniform() - 1.0) * b for _ in range(n)])

    w1, b1 = draw(width, 1.0), draw(width, 1.0)
    w2 = draw(width, bound)
    b2 = float(draw(1, bound)[0])
    return {"w1": w1, "b1": b1, "w2": w2, "b2": b2}


def batch_indices(seed: int, size: int, n: int = N_POINTS) -> Iterator[np.ndarray]:
    """Endless mini-batches: ``size`` indices into :func:`points` per step, with replacement.

    Examples
    --------
    >>> batches = batch_indices(0, 4)
    >>> next(batches), next(batches)
    (array([176,  89, 206,   2]), array([179,  95, 229, 212]))
    """
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= n:
        msg = f"batch size must be an integer from 1 to {n}, got {size!r}"
        raise ValueError(msg)
    rng = Mulberry32((seed ^ 0x5BD1E995) & 0xFFFFFFFF)
    while True:
        yield np.array([(rng.next_uint32() * n) >> 32 for _ in range(size)])


def _phi(activation: str, z: np.ndarray, slope: float) -> tuple[np.ndarray, np.ndarray]:
    """φ(z) and φ'(z)."""
    if activation == "relu":
        return np.where(z > 0, z, 0.0), np.where(z > 0, 1.0, 0.0)
    if activation == "leaky_relu":
        return np.where(z > 0, z, slope * z), np.where(z > 0, 1.0, slope)
    if activation == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t * t
    if activation == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1.0 - s)
    msg = f"unknown activation {activation!r}; choose one of: {', '.join(ACTIVATIONS)}"
    raise ValueError(msg)


def _seqsum(a: np.ndarray, axis: int) -> np.ndarray:
    """Sum along an axis strictly left to right (a loop's order, not numpy's pairwise one)."""
    total: np.ndarray = np.take(np.cumsum(a, axis=axis), -1, axis=axis)
    return total


def _forward(
    params: Params, x: np.ndarray, activation: str, slope: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w1, b1, w2 = (np.asarray(params[k], dtype=float) for k in ("w1", "b1", "w2"))
    z = x[:, None] * w1[None, :] + b1[None, :]
    h, dh = _phi(activation, z, slope)
    terms = np.concatenate([np.full((len(x), 1), float(params["b2"])), h * w2[None, :]], axis=1)
    return _seqsum(terms, axis=1), h, dh


def predict(
    params: Params, x: np.ndarray, activation: str = "relu", slope: float = LEAKY_SLOPE
) -> np.ndarray:
    """The net's output on ``x``.

    Examples
    --------
    >>> p = {"w1": np.array([1.0]), "b1": np.array([0.0]), "w2": np.array([2.0]), "b2": 1.0}
    >>> predict(p, np.array([-1.0, 3.0]))
    array([1., 7.])
    """
    return _forward(params, np.asarray(x, dtype=float), activation, slope)[0]


def loss(
    params: Params,
    target: str,
    activation: str = "relu",
    slope: float = LEAKY_SLOPE,
    x: np.ndarray | None = None,
) -> float:
    """Mean over the points (all of :func:`points` by default) of ``(y - target)²``."""
    x = points() if x is None else np.asarray(x, dtype=float)
    r = predict(params, x, activation, slope) - target_values(target, x)
    return float(_seqsum(r * r, axis=0) / len(x))


def gradients(
    params: Params,
    x: np.ndarray,
    t: np.ndarray,
    activation: str = "relu",
    slope: float = LEAKY_SLOPE,
) -> tuple[float, Params]:
    """The batch loss and its partial derivatives in every parameter (order as documented).

    Examples
    --------
    >>> p = {"w1": np.array([1.0]), "b1": np.array([0.0]), "w2": np.array([1.0]), "b2": 0.0}
    >>> value, grad = gradients(p, np.array([2.0]), np.array([0.0]))
    >>> value, grad["b2"], grad["w2"], grad["w1"]
    (4.0, 4.0, array([8.]), array([8.]))
    """
    y, h, dh = _forward(params, x, activation, slope)
    r = y - t
    m = len(x)
    value = float(_seqsum(r * r, axis=0) / m)
    g = (2.0 / m) * r
    w2 = np.asarray(params["w2"], dtype=float)
    d = (g[:, None] * w2[None, :]) * dh
    grad: Params = {
        "w1": _seqsum(d * x[:, None], axis=0),
        "b1": _seqsum(d, axis=0),
        "w2": _seqsum(g[:, None] * h, axis=0),
        "b2": float(_seqsum(g, axis=0)),
    }
    return value, grad


def step(
    params: Params, x: np.ndarray, t: np.ndarray, lr: float, activation: str = "relu",
    slope: float = LEAKY_SLOPE,
) -> Params:  # fmt: skip
    """One gradient-descent step on the batch ``(x, t)``: ``p - lr·∂p`` for every parameter."""
    _, grad = gradients(params, x, t, activation, slope)
    return _descend(params, grad, lr)


def _descend(params: Params, grad: Params, lr: float) -> Params:
    out: Params = {k: np.asarray(params[k], dtype=float) - lr * grad[k] for k in ("w1", "b1", "w2")}
    out["b2"] = float(params["b2"]) - lr * float(grad["b2"])
    return out


def train(
    params: Params,
    target: str,
    steps: int,
    lr: float = 0.01,
    activation: str = "relu",
    slope: float = LEAKY_SLOPE,
    batch: int | str = "full",
    seed: int = 0,
    checkpoints: tuple[int, ...] = (),
) -> dict[str, Any]:
    """Train as the widget does; the loss on all points after every step, params at checkpoints.

    Returns
    -------
    dict
        ``loss``: ``steps + 1`` values (before the first step, then after each);
        ``params``: ``{step: params}`` for every step in ``checkpoints``.

    Examples
    --------
    >>> run = train(initial_params(2, 1), "abs", 5, batch=16, seed=1, checkpoints=(5,))
    >>> len(run["loss"]), sorted(run["params"])
    (6, [5])
    """
    x_all = points()
    t_all = target_values(target, x_all)
    batches = None if batch == "full" else batch_indices(seed, int(batch))
    p = {k: (np.array(v, dtype=float) if k != "b2" else float(v)) for k, v in params.items()}
    losses: list[float] = []
    saved = {0: p} if 0 in checkpoints else {}
    for k in range(1, steps + 1):
        if batches is None:  # its loss is the loss on all points: the one before this step
            value, grad = gradients(p, x_all, t_all, activation, slope)
            losses.append(value)
            p = _descend(p, grad, lr)
        else:
            losses.append(loss(p, target, activation, slope))
            idx = next(batches)
            p = step(p, x_all[idx], t_all[idx], lr, activation, slope)
        if k in checkpoints:
            saved[k] = p
    losses.append(loss(p, target, activation, slope))
    return {"loss": losses, "params": saved}


def kinks(params: Params, domain: tuple[float, float] = DOMAIN) -> list[dict[str, float | str]]:
    """Every unit's kink ``-b1/w1`` and state: ``"kink"``, ``"dead"`` or ``"always on"``.

    The rule of :func:`relu_guide.core.analysis.kinks_of`: a kink strictly inside the domain
    bends the output; outside it, the sign of the unit's input at the domain's middle decides.

    Examples
    --------
    >>> p = {"w1": np.array([1.0, 1.0]), "b1": np.array([-1.0, 9.0]), "w2": np.ones(2), "b2": 0.0}
    >>> [(k["x"], k["state"]) for k in kinks(p)]
    [(1.0, 'kink'), (-9.0, 'always on')]
    """
    lo, hi = domain
    mid = 0.5 * (lo + hi)
    out: list[dict[str, float | str]] = []
    for w, b in zip(np.ravel(params["w1"]).tolist(), np.ravel(params["b1"]).tolist(), strict=True):
        x = -b / w if w != 0 else math.nan
        state = "kink" if lo < x < hi else ("always on" if w * mid + b > 0 else "dead")
        out.append({"x": x, "state": state})
    return out
