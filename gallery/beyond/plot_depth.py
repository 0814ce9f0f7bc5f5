r"""
Depth beats width: the sawtooth network
=======================================

The tent map :math:`g(x) = 2\,\mathrm{relu}(x) - 4\,\mathrm{relu}(x - 1/2)` folds
:math:`[0, 1]` onto itself. Composed :math:`m` times it is a sawtooth with
:math:`2^{m-1}` teeth, and :math:`f_m(x) = x - \sum_{s \le m} g_s(x) / 4^s` is the
piecewise-linear interpolant of :math:`x^2` at :math:`2^m + 1` points. Built as a real network,
each hidden layer of three ReLU units doubles the number of pieces and divides the error by 4.
A one-hidden-layer net with as many parameters gains only four pieces per layer's worth.
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

# %%
# Against shallow nets of the same size
# -------------------------------------
# One-hidden-layer nets with as many parameters (width :math:`4m - 1`), trained with Adam,
# three seeds each, and the best such a net could possibly do.

shallow = SHALLOW_COMPARISON.run()
fig = depth_figure(rows, shallow)

# sphinx_gallery_thumbnail_number = 2
