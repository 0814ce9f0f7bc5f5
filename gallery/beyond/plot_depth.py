r"""
Depth beats width: the sawtooth network
=======================================

The tent map :math:`g(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - 1/2)` folds
:math:`[0, 1]` onto itself. Composed :math:`m` times it is a sawtooth with
:math:`2^{m-1}` teeth, and :math:`f_m(x) = x - \sum_{i \le m} g_i(x) / 4^i` is the
piecewise-linear interpolant of :math:`x^2` at :math:`2^m + 1` points. Built as a real network,
each hidden layer of three ReLU units doubles the number of pieces and divides the error by 4.
A one-hidden-layer net with as many parameters gains at most four pieces per layer's worth.
"""

# %%
# Teeth and pieces
# ----------------
# Top: the sawtooths :math:`g_1, g_2, g_3`. Bottom: :math:`f_1, f_2, f_3` against :math:`x^2`,
# equal at the dots.

from relu_guide.drawing.study_figures import depth_figure, sawtooth_figure

fig = sawtooth_figure((1, 2, 3))

# %%
# A real network
# --------------
# :func:`~relu_guide.core.sawtooth.sawtooth_net` builds :math:`f_m` from ``Linear`` and ``ReLU``
# layers; :func:`~relu_guide.core.sawtooth.depth_table` runs it on a fine grid and counts its
# pieces.

from relu_guide.core.sawtooth import sawtooth_net
from relu_guide.studies.specs import DEPTH_TABLE, SHALLOW_COMPARISON

print(sawtooth_net(2))
rows = DEPTH_TABLE.run()
for r in rows:
    print(
        f"depth {r.depth}: {r.parameters:3d} parameters, {r.pieces:3d} pieces, "
        f"largest error {r.max_error:.3g}"
    )

import itertools

import numpy as np

from relu_guide.core.claims import check
from relu_guide.core.sawtooth import square_approximation

x = np.linspace(0.0, 1.0, 2**10 + 1)
check(
    "for m = 1 to 6, f_m is the chord interpolant of x² at its 2^m + 1 points (to 1e-15)",
    all(
        np.allclose(
            square_approximation(x, m),
            np.interp(x, np.linspace(0, 1, 2**m + 1), np.linspace(0, 1, 2**m + 1) ** 2),
            atol=1e-15,
        )
        for m in range(1, 7)
    ),
)
check(
    "each hidden layer doubles the pieces and divides the largest error by exactly 4",
    all(
        b.pieces == 2 * a.pieces and a.max_error == 4 * b.max_error
        for a, b in itertools.pairwise(rows)
    ),
    depths=len(rows) - 1,
)

# %%
# Against shallow nets of the same size
# -------------------------------------
# One-hidden-layer nets with as many parameters (width :math:`4m - 1`), trained with Adam
# (seeds printed below), and the best :math:`4m`-piece fit: a bound no such net can beat.

shallow = SHALLOW_COMPARISON.run()
print(f"widths {shallow.widths}, {shallow.trained_rmse.shape[1]} seeds each")
check(
    "the shallow nets have width 4m - 1 for depth m, and are trained with Adam",
    all(w == 4 * m - 1 for w, m in zip(shallow.widths, shallow.depths, strict=True))
    and all(r.experiment.optimizer == "adam" for r in shallow.runs),
    widths=list(shallow.widths),
)
fig = depth_figure(rows, shallow)

# sphinx_gallery_thumbnail_number = 2
