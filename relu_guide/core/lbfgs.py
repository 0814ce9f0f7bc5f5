"""L-BFGS in a few lines of numpy: the optimiser of the piecewise-linear fits' knots.

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.lbfgs import minimise
>>> z = minimise(lambda z: (float(z @ z), 2 * z), np.array([1.0, -2.0]))
>>> bool(np.abs(z).max() < 1e-6)
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["minimise"]


def minimise(
    fun: Callable[[np.ndarray], tuple[float, np.ndarray]],
    z: np.ndarray,
    *,
    max_iter: int = 300,
    memory: int = 10,
    gtol: float = 1e-9,
    ftol: float = 1e-13,
) -> np.ndarray:
    """Minimise ``fun`` (value and gradient) by L-BFGS with a backtracking line search.

    Plain numpy: a few dozen iterations on problems of at most a few hundred variables.

    Examples
    --------
    >>> z = minimise(lambda z: (float(((z - 3.0) ** 2).sum()), 2 * (z - 3.0)), np.zeros(2))
    >>> np.round(z, 6)
    array([3., 3.])
    """
    f, g = fun(z)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(max_iter):
        if np.max(np.abs(g)) < gtol:
            break
        # Two-loop recursion: d = -H g with H the L-BFGS inverse Hessian estimate.
        q = g.copy()
        coeffs = []
        for s, y in zip(reversed(s_hist), reversed(y_hist), strict=True):
            rho = 1.0 / float(y @ s)
            a = rho * float(s @ q)
            q -= a * y
            coeffs.append((rho, a))
        if s_hist:
            q *= float(s_hist[-1] @ y_hist[-1]) / float(y_hist[-1] @ y_hist[-1])
        else:
            q /= max(1.0, float(np.linalg.norm(g)))
        for (s, y), (rho, a) in zip(
            zip(s_hist, y_hist, strict=True), reversed(coeffs), strict=True
        ):
            q += s * (a - rho * float(y @ q))
        d = -q
        slope = float(g @ d)
        if slope >= 0.0:  # not a descent direction: restart from steepest descent
            s_hist.clear()
            y_hist.clear()
            d = -g / max(1.0, float(np.linalg.norm(g)))
            slope = float(g @ d)
        t = 1.0
        while True:
            z_new = z + t * d
            f_new, g_new = fun(z_new)
            if f_new <= f + 1e-4 * t * slope:
                break
            t *= 0.5
            if t < 1e-10:
                return z
        s, y = z_new - z, g_new - g
        if float(y @ s) > 1e-12 * float(s @ s):
            s_hist.append(s)
            y_hist.append(y)
            if len(s_hist) > memory:
                s_hist.pop(0)
                y_hist.pop(0)
        done = f - f_new <= ftol * max(1.0, abs(f))
        z, f, g = z_new, f_new, g_new
        if done:
            break
    return z
