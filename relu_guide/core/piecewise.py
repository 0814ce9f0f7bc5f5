"""The best a one-hidden-layer ReLU net could do: optimal continuous piecewise-linear fits.

This module holds one idea, over 400 lines: the continuous piecewise-linear fit closest to a
target, its knots optimised, and the ReLU nets equal to such fits.

A net ``y = b2 + sum_j w2_j relu(w1_j x + b1_j)`` of width ``N`` is continuous and piecewise
linear with at most ``N + 1`` pieces on the domain. This module computes the continuous
piecewise-linear function with ``n`` pieces closest to a target in mean squared error (the error
averaged over the domain, inputs uniform, as in training), with the knots optimised.

How it is computed
------------------
For fixed knots the best fit is a linear least-squares problem in the hat-function basis: a
tridiagonal Gram system whose entries are exact, and whose right-hand side is integrated with
Gauss-Legendre quadrature on every cell (exact for polynomial targets of degree up to
``2 * nodes - 2``; the residual and the knot gradient are integrated the same way). The interior
knots are then optimised with L-BFGS (a few lines of numpy) on the logarithm of the
error, using its exact gradient ``dE/dt_k = (2/L) [s_{k-1} ∫ r φ_k (left cell) + s_k ∫ r φ_k
(right cell)]`` (``r`` the residual, ``s`` the slopes, ``φ_k`` the hat of knot ``k``), from
uniform knots and from several seeded random starts; the best result is kept.

The closed form for x², exact
-----------------------------
For ``f(x) = x^2`` on ``[a, b]`` with ``L = b - a``, the best ``n``-piece fit has **uniform
knots** and its mean squared error is **exactly** ``(L / n)^4 / 180``. Proof: on a cell of width
``h`` the best *affine* fit of ``x^2`` leaves the error ``h^4 / 180`` (the variance of
``t (h - t)`` for ``t`` uniform on ``[0, h]``: ``h^4 (1/30 - 1/36)``), so for any knots the best
continuous fit has error at least ``Σ h_i^5 / (180 L)``, which is smallest, by convexity of
``h^5``, for equal cells: ``(L/n)^4 / 180``. And with equal cells that bound is reached: the
interpolant of ``x^2`` at the knots, lowered by ``h^2 / 6``, is on every cell the best affine fit
of that cell, and it is continuous. :func:`square_best_mse` returns this value; the tests check
the solver against it.

From pieces to networks
-----------------------
A width-``N`` net has at most ``N + 1`` pieces, so ``best_piecewise_linear(f, N + 1).mse`` is a
lower bound on the error of any width-``N`` net. It is reached when the optimal fit has a flat
piece: the units whose kinks lie left of it face left, the others face right
(:func:`relu_net_from_fit`); for ``x^2`` that is every even width. :func:`best_relu_net` searches
such nets directly.

Examples
--------
>>> fit = best_piecewise_linear("square", 4)
>>> fit.knots
array([-5. , -2.5,  0. ,  2.5,  5. ])
>>> round(fit.mse, 9) == round(square_best_mse(4), 9) == round(2.5**4 / 180, 9)
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from relu_guide.core.checks import check_count, check_interval
from relu_guide.core.lbfgs import minimise
from relu_guide.core.targets import Target, get_target

__all__ = [
    "PiecewiseFit",
    "ReluNet",
    "best_piecewise_linear",
    "best_relu_net",
    "fit_with_knots",
    "relu_net_from_fit",
    "square_best_mse",
]

TargetSpec = str | Callable[[np.ndarray], np.ndarray] | Target

#: Gauss-Legendre nodes per cell and sub-cells per cell.
_NODES, _SUBCELLS = 8, 4


@dataclass(frozen=True)
class PiecewiseFit:
    """A continuous piecewise-linear function on a domain, and its error on a target.

    Attributes
    ----------
    knots : ndarray, shape (n_pieces + 1,)
        Increasing, from the domain's low end to its high end.
    values : ndarray, shape (n_pieces + 1,)
        The function's value at each knot.
    mse : float
        Mean squared error on the target over the domain (inputs uniform).
    target : Target

    Examples
    --------
    >>> fit = fit_with_knots("square", [-1.0, 0.0, 1.0], domain=(-1.0, 1.0))
    >>> fit(np.array([0.0, 0.5]))
    array([-0.16666667,  0.33333333])
    >>> fit.n_pieces, fit.slopes
    (2, array([-1.,  1.]))
    """

    knots: np.ndarray
    values: np.ndarray
    mse: float
    target: Target

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate on ``x`` (linear extrapolation outside the domain)."""
        x = np.asarray(x, dtype=float)
        y = np.interp(x, self.knots, self.values)
        s = self.slopes
        y = np.where(x < self.knots[0], self.values[0] + s[0] * (x - self.knots[0]), y)
        out: np.ndarray = np.where(
            x > self.knots[-1], self.values[-1] + s[-1] * (x - self.knots[-1]), y
        )
        return out

    @property
    def n_pieces(self) -> int:
        """Number of linear pieces."""
        return len(self.knots) - 1

    @property
    def slopes(self) -> np.ndarray:
        """Slope of every piece."""
        return np.diff(self.values) / np.diff(self.knots)

    @property
    def domain(self) -> tuple[float, float]:
        """The interval the fit is made on."""
        return float(self.knots[0]), float(self.knots[-1])


def square_best_mse(n_pieces: int, domain: tuple[float, float] = (-5.0, 5.0)) -> float:
    """Exact error of the best continuous ``n``-piece fit of ``x^2``: ``(L / n)^4 / 180``.

    See the module docstring for the proof (uniform knots are optimal).

    Examples
    --------
    >>> round(square_best_mse(1), 6)  # one piece: the best affine fit, 500/9
    55.555556
    >>> square_best_mse(2) / square_best_mse(4)
    16.0
    """
    n = check_count(n_pieces, "n_pieces")
    lo, hi = check_interval(domain)
    return float(((hi - lo) / n) ** 4 / 180.0)


class _Problem:
    """Quadrature data of one target on one domain, reused by every knot configuration."""

    def __init__(self, target: Target, domain: tuple[float, float]) -> None:
        self.target = target
        self.lo, self.hi = domain
        self.length = self.hi - self.lo
        t, w = np.polynomial.legendre.leggauss(_NODES)
        # Sub-cells of each cell, so that targets with a kink inside a cell stay accurate.
        sub = (np.arange(_SUBCELLS)[:, None] + 0.5 * (t[None, :] + 1.0)) / _SUBCELLS
        self.u = sub.ravel()  # position within a cell, in [0, 1]
        self.w = np.tile(0.5 * w, _SUBCELLS) / _SUBCELLS  # weights summing to 1

    def solve(
        self, knots: np.ndarray, flat: int | None = None
    ) -> tuple[np.ndarray, float, np.ndarray]:
        """Best values at the knots, the error and its gradient in the interior knots.

        ``flat`` forces piece ``flat`` to have zero slope (equal values at both its ends).
        """
        h = np.diff(knots)
        n = len(h)
        x = knots[:-1, None] + h[:, None] * self.u[None, :]
        wq = h[:, None] * self.w[None, :]  # integrates over each cell
        f = self.target(x)
        u = self.u[None, :]
        # Exact tridiagonal Gram matrix of the hats and the quadrature right-hand side.
        gram = np.zeros((n + 1, n + 1))
        idx = np.arange(n)
        gram[idx, idx] += h / 3.0
        gram[idx + 1, idx + 1] += h / 3.0
        gram[idx, idx + 1] = gram[idx + 1, idx] = h / 6.0
        rhs = np.zeros(n + 1)
        rhs[:-1] += np.sum(wq * f * (1.0 - u), axis=1)
        rhs[1:] += np.sum(wq * f * u, axis=1)
        if flat is None:
            values = np.linalg.solve(gram, rhs)
        else:
            merge = np.delete(np.eye(n + 1), flat + 1, axis=1)
            merge[flat + 1, flat] = 1.0
            values = merge @ np.linalg.solve(merge.T @ gram @ merge, merge.T @ rhs)
        g = values[:-1, None] * (1.0 - u) + values[1:, None] * u
        r = f - g
        mse = float(np.sum(wq * r * r) / self.length)
        s = np.diff(values) / h
        left = np.sum(wq * r * u, axis=1)[:-1]  # ∫ r φ_k over the cell left of knot k
        right = np.sum(wq * r * (1.0 - u), axis=1)[1:]  # ... and right of it
        grad = 2.0 / self.length * (s[:-1] * left + s[1:] * right)
        return values, mse, grad

    def knots_of(self, z: np.ndarray) -> np.ndarray:
        """Knots from log cell widths; no cell narrower than ``e^-_SPREAD`` of the widest."""
        e = np.exp(np.maximum(z - z.max(), -_SPREAD))
        h = self.length * e / e.sum()
        return np.concatenate([[self.lo], self.lo + np.cumsum(h)[:-1], [self.hi]])

    def optimise(self, z0: np.ndarray, flat: int | None) -> tuple[np.ndarray, float]:
        """Minimise log(error) over cell widths ``L softmax(z)``; return (knots, error)."""

        def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
            knots = self.knots_of(z)
            _, mse, grad_t = self.solve(knots, flat)
            h = np.diff(knots)
            grad_h = np.concatenate([np.cumsum(grad_t[::-1])[::-1], [0.0]])
            grad_z = h * (grad_h - np.dot(grad_h, h) / self.length)
            grad_z[z - z.max() < -_SPREAD] = 0.0  # clipped widths do not move
            mse = max(mse, 1e-300)
            return float(np.log(mse)), grad_z / mse

        z = minimise(objective, np.asarray(z0, dtype=float))
        knots = self.knots_of(z)
        return knots, self.solve(knots, flat)[1]


#: Largest log-ratio of the widest to the narrowest cell during knot optimisation.
_SPREAD = 24.0


def fit_with_knots(
    target: TargetSpec,
    knots: np.ndarray | list[float],
    domain: tuple[float, float] | None = None,
) -> PiecewiseFit:
    """The best continuous piecewise-linear fit with the given knots (no knot optimisation).

    Parameters
    ----------
    target : str, callable or Target
    knots : array_like
        Strictly increasing; the first and last are the ends of the domain.
    domain : (float, float), optional
        Checked against the end knots if given.

    Examples
    --------
    >>> fit = fit_with_knots("square", np.linspace(0.0, 1.0, 3))
    >>> fit.values  # the interpolant lowered by h²/6 = 1/24
    array([-0.04166667,  0.20833333,  0.95833333])
    """
    t = np.asarray(knots, dtype=float)
    if t.ndim != 1 or len(t) < 2 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        msg = f"knots must be at least two strictly increasing numbers, got {knots!r}"
        raise ValueError(msg)
    if domain is not None and check_interval(domain) != (t[0], t[-1]):
        msg = f"knots must span the domain {domain!r}, got {t[0]:g} to {t[-1]:g}"
        raise ValueError(msg)
    problem = _Problem(get_target(target), (float(t[0]), float(t[-1])))
    values, mse, _ = problem.solve(t)
    return PiecewiseFit(t, values, mse, problem.target)


def best_piecewise_linear(
    target: TargetSpec,
    n_pieces: int,
    domain: tuple[float, float] = (-5.0, 5.0),
    *,
    restarts: int = 4,
    seed: int = 0,
) -> PiecewiseFit:
    """The continuous piecewise-linear fit with ``n_pieces`` pieces closest to the target.

    Knots are optimised from uniform knots and from ``restarts`` seeded random starts; the best
    is returned (a local optimum in general; for ``x^2`` the global one, see
    :func:`square_best_mse`).

    Parameters
    ----------
    target : str, callable or Target
    n_pieces : int
    domain : (float, float), default (-5, 5)
    restarts : int, default 4
        Random starts besides the uniform one.
    seed : int, default 0
        Seeds the random starts.

    Returns
    -------
    PiecewiseFit

    Examples
    --------
    >>> fit = best_piecewise_linear("abs", 2)  # |x| is itself two pieces
    >>> fit.knots.round(6), round(fit.mse, 12)
    (array([-5.,  0.,  5.]), 0.0)
    """
    n = check_count(n_pieces, "n_pieces")
    problem = _Problem(get_target(target), check_interval(domain))
    knots, _ = _best_knots(problem, n, restarts, seed, flat=None)
    values, mse, _ = problem.solve(knots)
    return PiecewiseFit(knots, values, mse, problem.target)


def _starts(n: int, restarts: int, seed: int) -> list[np.ndarray]:
    """Log cell widths to start from: uniform, then ``restarts`` seeded random ones."""
    check_count(restarts, "restarts", minimum=0)
    rng = np.random.default_rng(seed)
    return [np.zeros(n)] + [np.clip(rng.normal(0.0, 0.5, n), -2, 2) for _ in range(restarts)]


def _best_knots(
    problem: _Problem,
    n: int,
    restarts: int,
    seed: int,
    flat: int | None,
    starts: list[np.ndarray] | None = None,
) -> tuple[np.ndarray, float]:
    if starts is None:
        starts = _starts(n, restarts, seed)
    if n == 1:
        knots = np.array([problem.lo, problem.hi])
        return knots, problem.solve(knots, flat)[1]
    best: tuple[np.ndarray, float] | None = None
    for z0 in starts:
        knots, mse = problem.optimise(z0, flat)
        if best is None or mse < best[1] * (1.0 - 1e-9):  # ties keep the earlier start
            best = (knots, mse)
    assert best is not None
    return best


#: Inputs per chunk of :meth:`ReluNet.__call__`.
_CHUNK = 4096


@dataclass(frozen=True)
class ReluNet:
    """Parameters of a one-hidden-layer ReLU net ``b2 + w2 · relu(w1 x + b1)``.

    Attributes
    ----------
    w1, b1, w2 : ndarray, shape (width,)
    b2 : float
    mse : float
        Its mean squared error on the target over the domain.
    lower_bound : float
        What no net of this width can beat: the best ``width + 1``-piece fit's error
        (``nan`` when not computed).
    """

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: float
    mse: float
    lower_bound: float = float("nan")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate the net on ``x``, :data:`_CHUNK` inputs at a time.

        The hidden layer of a chunk stays in the processor's cache: on the 400,001 points of
        an error grid, a 65-unit net is evaluated 20x faster than all at once (whose hidden
        layer takes 200 MB).
        """
        x = np.asarray(x, dtype=float)
        flat = x.ravel()
        out = np.empty(flat.shape)
        for start in range(0, flat.size, _CHUNK):
            hidden = np.multiply.outer(flat[start : start + _CHUNK], self.w1)
            hidden += self.b1
            np.maximum(hidden, 0.0, out=hidden)
            out[start : start + _CHUNK] = hidden @ self.w2 + self.b2
        return out.reshape(x.shape)

    @property
    def width(self) -> int:
        """Number of hidden units."""
        return len(self.w1)


def relu_net_from_fit(fit: PiecewiseFit, *, tol: float = 1e-6) -> ReluNet:
    """A one-hidden-layer ReLU net equal to a fit that has a flat piece, one unit per knot.

    Units with kinks left of the flattest piece face left (``relu(k - x)``), the others face
    right (``relu(x - k)``); each unit's outgoing weight is the change of slope at its knot.

    Raises
    ------
    ValueError
        If no piece is flat (slope within ``tol`` times the largest slope of zero): then the fit
        needs one more unit than it has interior knots.

    Examples
    --------
    >>> fit = best_piecewise_linear("square", 3)
    >>> net = relu_net_from_fit(fit)
    >>> net.width, bool(np.allclose(net(fit.knots), fit.values))
    (2, True)
    """
    s = fit.slopes
    p = int(np.argmin(np.abs(s)))
    scale = max(float(np.max(np.abs(s))), 1.0)
    if abs(s[p]) > tol * scale:
        msg = (
            f"the fit has no flat piece (smallest slope {s[p]:g}); "
            "a net with one unit per interior knot cannot represent it"
        )
        raise ValueError(msg)
    k = fit.knots[1:-1]
    jumps = np.diff(s)
    faces_left = np.arange(len(k)) < p
    w1 = np.where(faces_left, -1.0, 1.0)
    b1 = np.where(faces_left, k, -k)
    b2 = float(0.5 * (fit.values[p] + fit.values[p + 1]))
    net = ReluNet(w1, b1, jumps.astype(float), b2, 0.0)
    problem = _Problem(fit.target, fit.domain)
    x = fit.knots[:-1, None] + np.diff(fit.knots)[:, None] * problem.u[None, :]
    wq = np.diff(fit.knots)[:, None] * problem.w[None, :]
    mse = float(np.sum(wq * (fit.target(x) - net(x)) ** 2) / problem.length)
    return ReluNet(w1, b1, net.w2, b2, mse)


def best_relu_net(
    target: TargetSpec,
    width: int,
    domain: tuple[float, float] = (-5.0, 5.0),
    *,
    restarts: int = 2,
    seed: int = 0,
) -> ReluNet:
    """The best one-hidden-layer ReLU net of a given width found by searching its kinks.

    A net whose units left of some piece face left and the others right is a piecewise-linear
    function with that piece flat; for fixed kinks the best one is a least-squares fit with
    that constraint. Kinks are optimised for the flat piece at every position when
    ``width <= 4``, else at the flattest piece of the best ``width + 1``-piece fit and its
    neighbours; a net with one unit spent on a linear term (``width`` pieces, no constraint) is
    tried too.

    What is exact: for ``width == 1`` every net is of this form, so the result is the optimum
    (up to the knot search); any net's error is at least ``best_piecewise_linear(target,
    width + 1).mse``, and for ``x^2`` with even width the search reaches that bound.

    Examples
    --------
    >>> net = best_relu_net("square", 2)
    >>> bool(np.isclose(net.mse, square_best_mse(3)))
    True
    >>> net1 = best_relu_net("square", 1)  # one unit bends one side only
    >>> bool(square_best_mse(2) < net1.mse < square_best_mse(1))
    True
    >>> bool(np.isclose(net1.lower_bound, square_best_mse(2)))
    True
    """
    w = check_count(width, "width")
    problem = _Problem(get_target(target), check_interval(domain))
    n = w + 1
    free, bound = _best_knots(problem, n, restarts, seed, flat=None)
    if w <= 4:
        flats = list(range(n))
        starts = None
    else:
        # Start from the best free fit, flattening its flattest piece or a neighbour.
        values = problem.solve(free)[0]
        p = int(np.argmin(np.abs(np.diff(values) / np.diff(free))))
        flats = [q for q in (p - 1, p, p + 1) if 0 <= q < n]
        starts = [np.log(np.diff(free))]
    best: ReluNet | None = None
    for p in flats:
        knots, _ = _best_knots(problem, n, restarts, seed, flat=p, starts=starts)
        values, mse, _ = problem.solve(knots, flat=p)
        fit = PiecewiseFit(knots, values, mse, problem.target)
        net = relu_net_from_fit(fit, tol=1e-6)
        if best is None or net.mse < best.mse:
            best = net
    # One unit as a linear term (kink at the left end, always on), the rest free kinks.
    knots, _ = _best_knots(problem, w, restarts if w <= 4 else 0, seed, flat=None)
    values, mse, _ = problem.solve(knots)
    s = np.diff(values) / np.diff(knots)
    w1 = np.ones(w)
    b1 = np.concatenate([[-problem.lo], -knots[1:-1]])
    w2 = np.concatenate([[s[0]], np.diff(s)])
    if best is None or mse < best.mse:
        best = ReluNet(w1, b1, w2, float(values[0]), mse)
    return replace(best, lower_bound=min(bound, best.mse))
