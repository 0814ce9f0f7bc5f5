"""Linear regions of a ReLU net on the plane, exactly: every activation region as a polygon.

Fix which units are on (an *activation pattern*): then every layer is affine in the input, so the
net is one affine function on the set of inputs with that pattern. That set is convex (each unit
adds one linear inequality in the input, given the layers below), so it is a convex polygon
inside the square domain. :func:`linear_regions` finds them all by cutting: start from the
square; for each hidden layer, and within it each unit, cut every current polygon along the
line where that unit's pre-activation (affine on the polygon) is zero; after a layer, every
polygon knows its units' states and the next layer's pre-activations are affine on it again.
The cuts are exact up to float64 rounding; polygons thinner than a tolerance are dropped.

What is counted is **activation regions**: connected sets of one activation pattern. Two
neighbours whose affine functions happen to agree (a unit whose output weight is zero, say) are
still two regions; this is the count of Hanin & Rolnick (2019) and the one the bounds bound.

Bounds. ``n`` lines cut the plane into at most ``1 + n + n(n - 1)/2`` pieces (each new line is
cut by the ones before into at most ``k + 1`` segments, each splitting a region), reached when
no two are parallel and no three meet: :func:`one_layer_bound`. A deep net's activation regions
are at most the product of that bound over its layers (:func:`layered_bound`; Serra, Tjandraatmadja
& Ramalingam 2018 prove a sharper one).

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.regions import count_regions, one_layer_bound
>>> w = [np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.ones((1, 3))]
>>> b = [np.zeros(3), np.zeros(1)]
>>> count_regions(w, b, (-1.0, 1.0))  # three lines through the origin: six sectors
6
>>> one_layer_bound(3)
7
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from relu_guide.core.targets import check_interval

__all__ = [
    "Region",
    "count_regions",
    "diamond_net",
    "folded_grid_net",
    "general_position_net",
    "layered_bound",
    "linear_regions",
    "one_layer_bound",
    "polygon_area",
    "ridge_net",
]

#: Relative tolerance: values this close to zero (times the scale) count as on the line, and
#: polygons with less area than this times the domain's are dropped.
_EPS = 1e-10


@dataclass(frozen=True)
class Region:
    """One activation region.

    Attributes
    ----------
    polygon : ndarray, shape (k, 2)
        Its vertices, counter-clockwise.
    pattern : tuple of bool
        The state of every hidden unit, layer by layer (True: on).
    gradient : ndarray, shape (2,)
        The net's slope in ``(x, y)`` on the region.
    offset : float
        The net's value at the origin of its affine function: ``f = gradient · (x, y) + offset``.
    """

    polygon: np.ndarray
    pattern: tuple[bool, ...]
    gradient: np.ndarray
    offset: float

    @property
    def area(self) -> float:
        """The polygon's area."""
        return polygon_area(self.polygon)


def polygon_area(polygon: np.ndarray) -> float:
    """Area of a simple polygon from its vertices (the shoelace formula).

    Examples
    --------
    >>> polygon_area(np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]]))
    2.0
    """
    p = np.asarray(polygon, dtype=float)
    if len(p) < 3:
        return 0.0
    x, y = p[:, 0], p[:, 1]
    # np.roll(y, -1) and np.roll(x, -1), built directly (np.roll is slow on tiny arrays).
    y_next, x_next = np.concatenate((y[1:], y[:1])), np.concatenate((x[1:], x[:1]))
    return float(abs(np.dot(x, y_next) - np.dot(y, x_next)) / 2.0)


def _cut(polygon: np.ndarray, values: list[float]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Split a convex polygon by the sign of an affine function given at its vertices.

    In Python floats: the same IEEE arithmetic as numpy's on the vertices, without its
    per-call cost on arrays of a few points.
    """
    points = polygon.tolist()
    pos, neg = [], []
    k = len(points)
    for i in range(k):
        p, q = points[i], points[(i + 1) % k]
        a, b = values[i], values[(i + 1) % k]
        if a >= 0:
            pos.append(p)
        if a <= 0:
            neg.append(p)
        if (a > 0 and b < 0) or (a < 0 and b > 0):
            t = a / (a - b)
            cross = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
            pos.append(cross)
            neg.append(cross)
    return (np.array(pos) if len(pos) >= 3 else None, np.array(neg) if len(neg) >= 3 else None)


def _check_net(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    ws = [np.asarray(w, dtype=float) for w in weights]
    bs = [np.asarray(b, dtype=float).reshape(-1) for b in biases]
    if len(ws) < 2 or len(ws) != len(bs):
        msg = f"need at least one hidden layer, got {len(ws)} weights, {len(bs)} biases"
        raise ValueError(msg)
    width = 2
    for w, b in zip(ws, bs, strict=True):
        if w.ndim != 2 or w.shape[1] != width or b.shape != (w.shape[0],):
            msg = (
                f"layer shapes do not chain from 2 inputs: weights {[w.shape for w in ws]}, "
                f"biases {[b.shape for b in bs]}"
            )
            raise ValueError(msg)
        width = w.shape[0]
    if width != 1:
        msg = f"the net must have one output, got {width}"
        raise ValueError(msg)
    return ws, bs


def linear_regions(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], domain: tuple[float, float]
) -> list[Region]:
    """Every activation region of a two-input ReLU net inside the square ``domain²``.

    Parameters
    ----------
    weights, biases : sequences of ndarray
        Layer by layer, ``(out, in)`` and ``(out,)``, from 2 inputs to 1 output; ReLU after
        every layer but the last.
    domain : (float, float)

    Returns
    -------
    list of Region
        Their areas sum to the square's.

    Examples
    --------
    >>> w = [np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([[1.0, 1.0]])]
    >>> regions = linear_regions(w, [np.zeros(2), np.zeros(1)], (-1.0, 1.0))
    >>> sorted(r.pattern for r in regions)  # |x|: two units, one line, two regions
    [(False, True), (True, False)]
    >>> [float(r.gradient[0]) for r in sorted(regions, key=lambda r: r.pattern)]
    [-1.0, 1.0]
    """
    ws, bs = _check_net(weights, biases)
    lo, hi = check_interval(domain)
    square = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]])
    min_area = _EPS * (hi - lo) ** 2
    # Each region: polygon, pattern so far, and the current layer's input as an affine map M x + c.
    current: list[tuple[np.ndarray, tuple[bool, ...], np.ndarray, np.ndarray]] = [
        (square, (), np.eye(2), np.zeros(2))
    ]
    for w, b in zip(ws[:-1], bs[:-1], strict=True):
        pieces = []
        for poly, pattern, m, c in current:
            pm, pc = w @ m, w @ c + b  # pre-activations, affine on this polygon
            parts: list[tuple[np.ndarray, tuple[bool, ...]]] = [(poly, ())]
            for j in range(len(b)):
                scale = float(np.abs(pm[j]).sum() * max(abs(lo), abs(hi)) + abs(pc[j]))
                tol = _EPS * max(scale, 1.0)
                nxt = []
                for part, states in parts:
                    v = [0.0 if abs(t) <= tol else t for t in (part @ pm[j] + pc[j]).tolist()]
                    if all(t >= 0 for t in v) or all(t <= 0 for t in v):  # one side only
                        # On one side, the sum of the values is positive iff one of them is.
                        nxt.append((part, (*states, any(t > 0 for t in v))))
                        continue
                    on, off = _cut(part, v)
                    if on is not None and polygon_area(on) > min_area:
                        nxt.append((on, (*states, True)))
                    if off is not None and polygon_area(off) > min_area:
                        nxt.append((off, (*states, False)))
                parts = nxt
            for part, states in parts:
                s = np.array(states, dtype=float)
                pieces.append((part, (*pattern, *states), s[:, None] * pm, s * pc))
        current = pieces
    out = []
    for poly, pattern, m, c in current:
        g = ws[-1] @ m
        off = ws[-1] @ c + bs[-1]
        out.append(Region(poly, pattern, g[0], float(off[0])))
    return out


def count_regions(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], domain: tuple[float, float]
) -> int:
    """The number of activation regions inside the square (see :func:`linear_regions`).

    Examples
    --------
    >>> w = [np.array([[1.0, 0.0], [0.0, 1.0]]), np.ones((1, 2))]
    >>> count_regions(w, [np.zeros(2), np.zeros(1)], (-1.0, 1.0))  # the four quadrants
    4
    """
    return len(linear_regions(weights, biases, domain))


def one_layer_bound(n: int) -> int:
    """The most regions ``n`` lines make in the plane: ``1 + n + n(n - 1)/2``.

    Examples
    --------
    >>> [one_layer_bound(n) for n in range(5)]
    [1, 2, 4, 7, 11]
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        msg = f"n must be a non-negative integer, got {n!r}"
        raise ValueError(msg)
    return 1 + int(n) + math.comb(int(n), 2)


def layered_bound(hidden: Sequence[int]) -> int:
    """An upper bound on the activation regions of a two-input net with these hidden widths.

    Within a region of the layers below, a layer of ``n`` units is affine in the input, so it
    cuts that region by ``n`` lines into at most :func:`one_layer_bound` ``(n)`` pieces: the
    product over layers bounds the count.

    Examples
    --------
    >>> layered_bound((8,)), layered_bound((4, 4))
    (37, 121)
    """
    out = 1
    for n in hidden:
        out *= one_layer_bound(n)
    return out


# Hand-built nets whose regions are known -------------------------------------------------------

Net = tuple[list[np.ndarray], list[np.ndarray]]


def general_position_net(n: int, radius: float = 0.3) -> Net:
    """``n`` units whose lines touch a circle of ``radius`` at spread angles: every pair of lines
    crosses within ``[-2, 2]²`` and no three meet, so they make all ``1 + n + n(n-1)/2`` regions.

    Examples
    --------
    >>> count_regions(*general_position_net(5), (-2.0, 2.0)) == one_layer_bound(5)
    True
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        msg = f"n must be a positive integer, got {n!r}"
        raise ValueError(msg)
    k = int(n)
    theta = np.pi * (np.arange(k) + 0.5) / k * 0.9
    normals = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    return [normals, np.ones((1, k))], [-radius * np.ones(k), np.zeros(1)]


def diamond_net() -> Net:
    """``|x_1| + |x_2| = relu(x_1) + relu(-x_1) + relu(x_2) + relu(-x_2)``: four units, two lines, four regions.

    Examples
    --------
    >>> count_regions(*diamond_net(), (-2.0, 2.0))
    4
    """
    w = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    return [w, np.ones((1, 4))], [np.zeros(4), np.zeros(1)]


def ridge_net() -> Net:
    """The ridge ``max(0, 1 - |x_1 - x_2|)`` as a hat of ``x_1 - x_2``: three parallel lines, four strips.

    ``relu(t + 1) - 2 relu(t) + relu(t - 1)`` with ``t = x - y`` (the hat of the one-input
    chapter, turned into a ridge).

    Examples
    --------
    >>> count_regions(*ridge_net(), (-2.0, 2.0))
    4
    """
    w = np.array([[1.0, -1.0]] * 3)
    return [w, np.array([[1.0, -2.0, 1.0]])], [np.array([1.0, 0.0, -1.0]), np.zeros(1)]


def folded_grid_net(depth: int) -> Net:
    """Tent maps of ``x`` and of ``y`` side by side, composed ``depth`` times, on ``[0, 1]²``.

    Each layer of four units folds both coordinates once more, so the square is cut into a
    ``2^depth × 2^depth`` grid: ``4^depth`` regions from ``4 depth`` units, while one layer of
    as many units makes at most ``1 + 4d + 4d(4d - 1)/2``.

    Examples
    --------
    >>> [count_regions(*folded_grid_net(d), (0.0, 1.0)) for d in (1, 2, 3)]
    [4, 16, 64]
    """
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 1:
        msg = f"depth must be a positive integer, got {depth!r}"
        raise ValueError(msg)
    first = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    half = np.array([0.0, -0.5, 0.0, -0.5])
    fold = np.array([[2.0, -4, 0, 0], [2, -4, 0, 0], [0, 0, 2, -4], [0, 0, 2, -4]])
    ws, bs = [first], [half]
    for _ in range(int(depth) - 1):
        ws.append(fold)
        bs.append(half)
    ws.append(np.array([[2.0, -4.0, 2.0, -4.0]]))
    bs.append(np.zeros(1))
    return ws, bs
