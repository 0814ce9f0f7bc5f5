r"""
Best possible vs what SGD found
===============================

A one-hidden-layer ReLU net of width :math:`w` is a continuous piecewise-linear function with
at most :math:`w + 1` pieces, so no such net can beat the best :math:`(w + 1)`-piece fit. For
:math:`x^2` that optimum is known exactly: equal pieces and a mean squared error of
:math:`(L / n)^4 / 180`. This example trains nets of widths 1 to 64 with five seeds each, all at
once, and sets their errors against the best a net of each width can do.
"""

# %%
# The best possible, exactly
# --------------------------
# :func:`~relu_guide.core.piecewise.best_piecewise_linear` optimises the knots numerically; for
# :math:`x^2` it must land on the closed form.

from relu_guide.core.piecewise import best_piecewise_linear, square_best_mse

for n in (2, 5, 17, 65):
    fit = best_piecewise_linear("square", n)
    print(f"{n:2d} pieces: solver {fit.mse:.6g}, closed form {square_best_mse(n):.6g}")

# %%
# Sixty-four nets at once
# -----------------------
# :func:`~relu_guide.studies.widths.width_sweep` trains every width and seed as one batched model
# (each with the initial weights and batches :func:`~relu_guide.train` would use), then finds
# the best net of each width with :func:`~relu_guide.core.piecewise.best_relu_net`.

from relu_guide.drawing.study_figures import width_sweep_figure
from relu_guide.studies.specs import WIDTH_SWEEP

sweep = WIDTH_SWEEP.run()
for w, median, best in zip(sweep.widths, sweep.median, sweep.best, strict=True):
    print(f"width {w:2d}: SGD median {median:9.4g}   best possible {best:9.4g}")

# %%
# On log-log axes a power law is a straight line, and its slope is the exponent. From
# width 8 on, SGD's error falls roughly like :math:`1/w`; the best possible falls like
# :math:`1/w^4`, so the gap widens with every doubling.

fig = width_sweep_figure(sweep)

# sphinx_gallery_thumbnail_number = 1
