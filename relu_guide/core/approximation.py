"""Any curve from ramps: hats from three ReLUs, and linear interpolation as a ReLU net.

Three ramps make a hat: with knots ``a < b < c``,

.. math:: \\phi(x) = \\frac{\\mathrm{relu}(x - a)}{b - a}
          - \\Bigl(\\frac{1}{b - a} + \\frac{1}{c - b}\\Bigr) \\mathrm{relu}(x - b)
          + \\frac{\\mathrm{relu}(x - c)}{c - b}

rises from 0 at ``a`` to 1 at ``b`` and falls back to 0 at ``c``, and is 0 beyond (the slopes
added after ``c`` cancel). A sum of hats centred on knots ``k_0 < ... < k_n`` with heights
``f(k_i)`` is the linear interpolant of ``f`` at the knots (the hat basis of
:mod:`relu_guide.core.piecewise`), and so is a one-hidden-layer net with ``n`` units
(:func:`interpolating_net`): one ramp from the left end carries the first slope, and one ramp
per interior knot changes it. For continuous ``f`` the interpolant converges uniformly as the
knots get denser; that is the universal approximation theorem made concrete for ReLU nets on
an interval.

How fast: on a cell of width ``h`` the interpolant of a smooth ``f`` is off by at most
``h^2 max|f''| / 8``, so its mean squared error falls like ``h^4``; at a kink (``|x|``, knot
not on it) one cell is off by ``O(h)``, a fraction ``h`` of the domain: ``h^3``; at a jump one
cell is off by ``O(1)``: ``h``. :func:`error_slope` fits these exponents.

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.approximation import hat_net, interpolating_net
>>> hat = hat_net(-1.0, 0.0, 1.0)
>>> hat(np.array([-2.0, -0.5, 0.0, 0.5, 2.0])).tolist()
[0.0, 0.5, 1.0, 0.5, 0.0]
>>> net = interpolating_net("sin", 9)
>>> knots = np.linspace(-5, 5, 10)
>>> bool(np.allclose(net(knots), np.sin(knots)))
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from relu_guide.core.piecewise import ReluNet
from relu_guide.core.targets import Target, check_interval, get_target

__all__ = [
    "error_slope",
    "hat",
    "hat_net",
    "interpolating_net",
    "max_error",
    "mean_squared_error",
    "ramp_net",
    "steepest_slope",
]

TargetSpec = str | Callable[[np.ndarray], np.ndarray] | Target

#: Midpoints per unit length on which errors are measured (fine enough for a jump's cell).
_POINTS = 400_001


def hat_net(a: float, b: float, c: float, height: float = 1.0) -> ReluNet:
    """The hat on knots ``a < b < c`` (peak ``height`` at ``b``) as three ReLU units.

    Raises
    ------
    ValueError
        Unless ``a < b < c``, all finite.

    Examples
    --------
    >>> net = hat_net(0.0, 1.0, 3.0, height=2.0)
    >>> net.w2.tolist(), net(np.array([1.0, 2.0, 4.0])).tolist()
    ([2.0, -3.0, 1.0], [2.0, 1.0, 0.0])
    """
    a, b, c = (float(v) for v in (a, b, c))
    if not (np.isfinite([a, b, c]).all() and a < b < c):
        msg = f"knots must be finite with a < b < c, got {(a, b, c)!r}"
        raise ValueError(msg)
    up, down = 1.0 / (b - a), 1.0 / (c - b)
    w2 = float(height) * np.array([up, -(up + down), down])
    return ReluNet(np.ones(3), -np.array([a, b, c]), w2, 0.0, float("nan"))


def hat(x: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """The hat function on knots ``a < b < c`` evaluated directly (for comparisons)."""
    x = np.asarray(x, dtype=float)
    return np.clip(np.minimum((x - a) / (b - a), (c - x) / (c - b)), 0.0, None)


def interpolating_net(
    target: TargetSpec, units: int, domain: tuple[float, float] = (-5.0, 5.0)
) -> ReluNet:
    """The linear interpolant of a target at ``units + 1`` equally spaced knots, as a net.

    One unit ``relu(x - lo)`` carries the first piece's slope; each interior knot gets a unit
    whose outgoing weight is the change of slope there. ``units`` pieces, ``units`` units.

    Examples
    --------
    >>> net = interpolating_net("abs", 2, (-1.0, 1.0))  # knots -1, 0, 1: exact
    >>> net.w2.tolist(), net.b2
    ([-1.0, 2.0], 1.0)
    """
    if isinstance(units, bool) or not isinstance(units, int | np.integer) or units < 1:
        msg = f"units must be a positive integer, got {units!r}"
        raise ValueError(msg)
    f = get_target(target)
    lo, hi = check_interval(domain)
    knots = np.linspace(lo, hi, int(units) + 1)
    values = f(knots)
    slopes = np.diff(values) / np.diff(knots)
    w2 = np.concatenate([[slopes[0]], np.diff(slopes)])
    b1 = -knots[:-1]
    net = ReluNet(np.ones(int(units)), b1, w2, float(values[0]), float("nan"))
    return ReluNet(net.w1, net.b1, net.w2, net.b2, mean_squared_error(net, f, (lo, hi)))


def ramp_net(slope: float, at: float = 0.0) -> ReluNet:
    """Two units that climb from 0 to 1 with the given slope, centred at ``at``: a step, blurred.

    ``s relu(x - at + 1/(2s)) - s relu(x - at - 1/(2s))``. Against the step at ``at`` its squared
    error integrates to ``1 / (12 s)`` whatever the domain around it, so its mean squared error
    over a domain of length ``L`` is ``1 / (12 s L)``: it vanishes only as the slope grows
    without bound.

    Examples
    --------
    >>> net = ramp_net(4.0)
    >>> net(np.array([-1.0, 0.0, 0.125, 1.0])).tolist()
    [0.0, 0.5, 1.0, 1.0]
    >>> bool(np.isclose(mean_squared_error(net, "step", (-5.0, 5.0)), 1 / (12 * 4.0 * 10)))
    True
    """
    s = float(slope)
    if not (np.isfinite(s) and s > 0):
        msg = f"slope must be a positive finite number, got {slope!r}"
        raise ValueError(msg)
    half = 0.5 / s
    return ReluNet(
        np.ones(2), -np.array([at - half, at + half]), np.array([s, -s]), 0.0, float("nan")
    )


def _grid(domain: tuple[float, float]) -> np.ndarray:
    lo, hi = domain
    return lo + (np.arange(_POINTS) + 0.5) * (hi - lo) / _POINTS


def mean_squared_error(
    model: Callable[[np.ndarray], np.ndarray], target: TargetSpec, domain: tuple[float, float]
) -> float:
    """Mean squared error over the domain (inputs uniform), on a fine midpoint grid.

    Examples
    --------
    >>> round(mean_squared_error(lambda x: 0 * x, "step", (-1.0, 1.0)), 6)
    0.5
    """
    x = _grid(check_interval(domain))
    return float(np.mean((model(x) - get_target(target)(x)) ** 2))


def max_error(
    model: Callable[[np.ndarray], np.ndarray], target: TargetSpec, domain: tuple[float, float]
) -> float:
    """Largest absolute error on the same grid.

    Examples
    --------
    >>> max_error(lambda x: 0.5 + 0 * x, "step", (-1.0, 1.0))
    0.5
    """
    x = _grid(check_interval(domain))
    return float(np.max(np.abs(model(x) - get_target(target)(x))))


def steepest_slope(
    w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, domain: tuple[float, float]
) -> float:
    """The largest absolute slope of ``w2 · relu(w1 x + b1)`` over the domain (exact).

    The slope is constant between kinks, so it is evaluated once per piece.

    Examples
    --------
    >>> net = hat_net(-0.1, 0.0, 0.1)
    >>> round(steepest_slope(net.w1, net.b1, net.w2, (-1.0, 1.0)), 9)
    10.0
    """
    lo, hi = check_interval(domain)
    w1, b1, w2 = (np.asarray(v, dtype=float).ravel() for v in (w1, b1, w2))
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(w1 != 0, -b1 / w1, np.nan)
    inside = np.sort(k[(k > lo) & (k < hi)])
    edges = np.concatenate([[lo], inside, [hi]])
    mids = (edges[:-1] + edges[1:]) / 2
    on = (np.outer(mids, w1) + b1) > 0
    return float(np.max(np.abs(on @ (w1 * w2))))


def error_slope(units: Sequence[float] | np.ndarray, errors: Sequence[float] | np.ndarray) -> float:
    """The least-squares slope of ``log(error)`` against ``log(units)``: the exponent ``p`` of
    ``error ∝ units^p``.

    Examples
    --------
    >>> round(error_slope([2, 4, 8], [1.0, 1 / 16, 1 / 256]), 6)
    -4.0
    """
    u = np.log(np.asarray(units, dtype=float))
    e = np.log(np.asarray(errors, dtype=float))
    if len(u) != len(e) or len(u) < 2 or not np.isfinite(e).all():
        msg = f"need two or more positive errors, one per unit count, got {list(errors)!r}"
        raise ValueError(msg)
    return float(np.polyfit(u, e, 1)[0])
