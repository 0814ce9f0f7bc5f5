"""Depth beats width: a hand-built deep ReLU net that squares, by composing the tent map.

The tent map ``g(x) = 2 relu(x) - 4 relu(x - 1/2)`` folds ``[0, 1]`` onto itself; composed
``s`` times, ``g_s`` is a sawtooth with ``2^(s-1)`` teeth. Yarotsky's identity (after
Telgarsky's sawtooth) is

.. math:: f_m(x) = x - \\sum_{s=1}^{m} \\frac{g_s(x)}{4^s},

the piecewise-linear interpolant of :math:`x^2` at the :math:`2^m + 1` points
:math:`k / 2^m`. What follows is exact, and checked by the tests:

- :math:`f_m` has :math:`2^m` linear pieces: each layer doubles them;
- on a cell of width :math:`h = 2^{-m}` the error of the interpolant is :math:`t (h - t)`, so
  the largest error is :math:`h^2 / 4 = 4^{-(m+1)}`, and the root mean square error is
  :math:`h^2 / \\sqrt{30}`: both fall by exactly 4x per layer;
- lowering the output by :math:`h^2 / 6` gives the best continuous fit with :math:`2^m` pieces
  in mean square (see :mod:`relu_guide.core.piecewise`), with error :math:`h^2 / \\sqrt{180}`.

:func:`sawtooth_net` builds :math:`f_m` as a real ``nn.Sequential`` of ``Linear`` and ``ReLU``
layers: ``m`` hidden layers of 3 units, ``12 m - 2`` parameters. A one-hidden-layer net with the
same number of parameters has width ``4 m - 1``, hence at most ``4 m`` pieces: linear growth
against exponential.

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.sawtooth import sawtooth_net, square_approximation
>>> x = np.linspace(0, 1, 9)
>>> float(np.abs(square_approximation(x, 3) - x**2).max())  # exact at the knots k/8
0.0
>>> net = sawtooth_net(3)
>>> sum(p.numel() for p in net.parameters())
34
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from relu_guide.core.checks import check_count

__all__ = [
    "DepthRow",
    "count_pieces",
    "depth_table",
    "sawtooth",
    "sawtooth_net",
    "shallow_width",
    "square_approximation",
    "tent",
]


def _depth(depth: object, minimum: int = 0) -> int:
    return check_count(depth, "depth", minimum=minimum)


def tent(x: np.ndarray) -> np.ndarray:
    """The tent map ``2 relu(x) - 4 relu(x - 1/2)``: ``2x`` then ``2 - 2x`` on ``[0, 1]``.

    Examples
    --------
    >>> tent(np.array([0.0, 0.25, 0.5, 0.75, 1.0]))
    array([0. , 0.5, 1. , 0.5, 0. ])
    """
    x = np.asarray(x, dtype=float)
    y: np.ndarray = 2.0 * np.maximum(x, 0.0) - 4.0 * np.maximum(x - 0.5, 0.0)
    return y


def sawtooth(x: np.ndarray, s: int) -> np.ndarray:
    """The tent map composed ``s`` times: a sawtooth with ``2^(s-1)`` teeth on ``[0, 1]``.

    Examples
    --------
    >>> sawtooth(np.linspace(0, 1, 5), 2)
    array([0., 1., 0., 1., 0.])
    """
    y = np.asarray(x, dtype=float)
    for _ in range(_depth(s)):
        y = tent(y)
    return y


def square_approximation(x: np.ndarray, depth: int, *, shift: bool = False) -> np.ndarray:
    """``f_m(x) = x - sum_{s=1..m} g_s(x) / 4^s``: the interpolant of ``x^2`` at ``k / 2^m``.

    With ``shift``, lowered by ``h^2 / 6`` (``h = 2^-m``): the best ``2^m``-piece fit.

    Examples
    --------
    >>> square_approximation(np.array([0.25, 0.5]), 1)  # the chord from (0, 0) to (1/2, 1/4)
    array([0.125, 0.25 ])
    >>> square_approximation(np.array([0.25, 0.5]), 2)  # exact at multiples of 1/4
    array([0.0625, 0.25  ])
    """
    m = _depth(depth)
    x = np.asarray(x, dtype=float)
    y = x.copy()
    g = x
    for s in range(1, m + 1):
        g = tent(g)
        y = y - g / 4.0**s
    return y - 4.0**-m / 6.0 if shift else y


def sawtooth_net(
    depth: int, *, shift: bool = False, dtype: torch.dtype = torch.float64
) -> nn.Sequential:
    """:func:`square_approximation` as a deep ReLU network, valid on ``[0, 1]``.

    Hidden layer ``s`` holds ``relu(g_{s-1})``, ``relu(g_{s-1} - 1/2)`` (the two halves of the
    tent) and the running sum ``f_{s-1}`` (non-negative on ``[0, 1]``, so ReLU passes it
    through); the tent is folded again by the next layer's weights ``(2, -4)``. Depth 0 is the
    single layer ``Linear(1, 1)`` computing ``x``.

    Parameters
    ----------
    depth : int
        Number of hidden layers, ``m >= 0``.
    shift : bool, default False
        Lower the output bias by ``4^-m / 6`` (best fit in mean square instead of interpolant).
    dtype : torch.dtype, default float64

    Examples
    --------
    >>> net = sawtooth_net(2)
    >>> net
    Sequential(
      (0): Linear(in_features=1, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=3, bias=True)
      (3): ReLU()
      (4): Linear(in_features=3, out_features=1, bias=True)
    )
    >>> with torch.no_grad():
    ...     net(torch.tensor([[0.5], [0.75]], dtype=torch.float64)).ravel().tolist()
    [0.25, 0.5625]
    """
    m = _depth(depth)
    bias = -(4.0**-m) / 6.0 if shift else 0.0
    if m == 0:
        layers: list[nn.Module] = [_linear([[1.0]], [bias], dtype)]
        return nn.Sequential(*layers)
    # Layer 1 from x: relu(x), relu(x - 1/2), and the running sum f_0 = x.
    layers = [_linear([[1.0], [1.0], [1.0]], [0.0, -0.5, 0.0], dtype), nn.ReLU()]
    for s in range(1, m):
        # g_s = 2 u1 - 4 u2; next units relu(g_s), relu(g_s - 1/2), f_s = f_{s-1} - g_s / 4^s.
        q = 4.0**-s
        w = [[2.0, -4.0, 0.0], [2.0, -4.0, 0.0], [-2.0 * q, 4.0 * q, 1.0]]
        layers += [_linear(w, [0.0, -0.5, 0.0], dtype), nn.ReLU()]
    q = 4.0**-m
    layers.append(_linear([[-2.0 * q, 4.0 * q, 1.0]], [bias], dtype))
    return nn.Sequential(*layers)


def _linear(weight: list[list[float]], bias: list[float], dtype: torch.dtype) -> nn.Linear:
    w = torch.tensor(weight, dtype=dtype)
    layer = nn.Linear(w.shape[1], w.shape[0], dtype=dtype)
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(torch.tensor(bias, dtype=dtype))
    return layer


def count_pieces(y: np.ndarray, x: np.ndarray, *, tol: float = 1e-9) -> int:
    """Number of linear pieces of a piecewise-linear function sampled at increasing ``x``.

    Counts changes of slope between consecutive samples (a kink between samples shows up as a
    change too, so sample at points that include the kinks, or finer than the pieces).

    Examples
    --------
    >>> x = np.linspace(0, 1, 17)
    >>> count_pieces(sawtooth(x, 3), x)
    8
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        msg = f"x and y must be 1-D of equal length >= 2, got {x.shape} and {y.shape}"
        raise ValueError(msg)
    slopes = np.diff(y) / np.diff(x)
    scale = max(1.0, float(np.max(np.abs(slopes))))
    return 1 + int(np.count_nonzero(np.abs(np.diff(slopes)) > tol * scale))


def shallow_width(depth: int) -> int:
    """Width of the one-hidden-layer net with as many parameters as ``sawtooth_net(depth)``.

    ``12 m - 2`` parameters for depth ``m >= 1``; width ``N`` has ``3 N + 1``.

    Examples
    --------
    >>> [shallow_width(m) for m in (1, 2, 3)]
    [3, 7, 11]
    """
    return 4 * _depth(depth, 1) - 1


@dataclass(frozen=True)
class DepthRow:
    """What the sawtooth net of one depth achieves, measured on its torch model.

    Attributes
    ----------
    depth : int
    parameters : int
    pieces : int
        Linear pieces of the network's output on ``[0, 1]``, counted numerically.
    max_error : float
        Largest ``|net(x) - x^2|`` on a fine grid (exactly ``4^-(depth+1)``).
    rmse : float
        Root mean square error of the net (interpolant).
    best_rmse : float
        Root mean square error with the output shifted (the best ``2^m``-piece fit).
    """

    depth: int
    parameters: int
    pieces: int
    max_error: float
    rmse: float
    best_rmse: float


def _eval(net: nn.Sequential, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        y: np.ndarray = net(torch.from_numpy(x[:, None])).numpy()[:, 0]
        return y


def depth_table(max_depth: int = 8) -> list[DepthRow]:
    """Measure the sawtooth net of every depth ``0..max_depth`` on ``[0, 1]``.

    Pieces are counted on a dyadic grid eight times finer than the finest piece (its points
    include every kink); errors are measured on the same grid and, for the mean square, with
    Gauss-Legendre quadrature on every piece.

    Examples
    --------
    >>> rows = depth_table(3)
    >>> [r.pieces for r in rows]
    [1, 2, 4, 8]
    >>> [round(r.max_error * 4 ** (r.depth + 1), 12) for r in rows]
    [1.0, 1.0, 1.0, 1.0]
    """
    top = _depth(max_depth)
    x = np.linspace(0.0, 1.0, 2 ** (top + 3) + 1)
    t, w = np.polynomial.legendre.leggauss(4)
    rows = []
    for m in range(top + 1):
        net = sawtooth_net(m)
        y = _eval(net, x)
        cells = np.linspace(0.0, 1.0, 2**m + 1)
        half = 0.5 * np.diff(cells)
        xq = (0.5 * (cells[1:] + cells[:-1]))[:, None] + half[:, None] * t[None, :]
        wq = (half[:, None] * w[None, :]).ravel()
        err = _eval(net, xq.ravel()) - xq.ravel() ** 2
        shifted = _eval(sawtooth_net(m, shift=True), xq.ravel()) - xq.ravel() ** 2
        rows.append(
            DepthRow(
                depth=m,
                parameters=sum(p.numel() for p in net.parameters()),
                pieces=count_pieces(y, x),
                max_error=float(np.max(np.abs(y - x**2))),
                rmse=float(np.sqrt(np.sum(wq * err**2))),
                best_rmse=float(np.sqrt(np.sum(wq * shifted**2))),
            )
        )
    return rows
