r"""
Neurons at work: moving kinks and a census
==========================================

Each hidden ReLU unit of a one-hidden-layer net adds one ramp to the output, bent at its kink
:math:`x_j = -b_j / w_j`. This example follows the units of the two- and twenty-neuron nets as
they train, tracks the twenty kinks step by step, and takes a census at the end: which units
bend inside :math:`[-5, 5]`, which are dead and which are always on, and how their kinks
compare with the knots of the best possible fit.
"""

# %%
# Two neurons, one ramp each
# --------------------------
# The first seed whose two kinks end on opposite sides of 0. Each coloured line is one unit's
# weighted ramp :math:`v_j\,\mathrm{relu}(w_j x + b_j)`; the output is their sum
# plus a bias. Below, the network's slope: a staircase with one step per kink.

from relu_guide import animate
from relu_guide.core.analysis import kinks
from relu_guide.core.experiments import TWENTY_NEURONS, TWO_NEURONS, two_neuron_seed
from relu_guide.core.piecewise import best_piecewise_linear
from relu_guide.studies.cache import train

two = train(TWO_NEURONS.with_(seed=two_neuron_seed(train)))
print(f"seed {two.experiment.seed}: final MSE {two.losses[-1]:.3f}")
animate(two, view="neurons")

# %%
# Twenty neurons, one ramp each
# -----------------------------
# The same view for twenty units (seed 0): twenty ramps, their kinks (triangles) sliding along
# the axis, and a staircase of slopes that climbs along the parabola's slope :math:`2x`.

twenty = train(TWENTY_NEURONS)
animate(twenty, view="neurons")

# %%
# Twenty kinks on the move
# ------------------------
# Each line is one unit's kink over training (time runs upward, on a square-root scale so
# that the fast start shows). Kinks that leave :math:`[-5, 5]` end in the grey margins. The
# ticks above the plot are the knots of the best continuous fit with as many pieces as this
# net has inside the domain: evenly spread, while this run leaves its kinks bunched near the
# middle (checked below; the guide's chapter *Neurons at work* checks it over 24 seeds).

from relu_guide.drawing.study_figures import kink_paths_figure

census = kinks(twenty)
inside = sorted(k.x for k in census if k.state == "kink")
best = best_piecewise_linear("square", len(inside) + 1)
fig = kink_paths_figure(twenty, optimal=best.knots[1:-1])

# %%
# The census
# ----------
# Every unit at the end of training: where it bends, and by how much its ramp changes the
# slope of the output there (:math:`v_j |w_j|`).

for k in census:
    print(f"unit {k.unit:2d}  {k.state:9s}  x = {k.x:+7.2f}  slope change {k.slope_change:+.3f}")
print(f"final MSE {twenty.losses[-1]:.4f}")
print(f"best fit with {len(inside) + 1} pieces: MSE {best.mse:.5f}")

import numpy as np

from relu_guide.core.claims import check

share = float(np.mean(np.abs(inside) < 2.5))
share_best = float(np.mean(np.abs(best.knots[1:-1]) < 2.5))
check(
    "seed 0: {share:.0%} of the kinks lie in [-2.5, 2.5], against {best:.0%} of the best fit's",
    share > share_best,
    share=share,
    best=share_best,
    seeds=[0],
)
ups = [k.slope_change > 0 for k in census if k.state == "kink"]
check(
    "seed 0, twenty units: the staircase climbs at every kink",
    twenty.experiment.seed == 0 and twenty.experiment.hidden == (20,) and all(ups),
    kinks=len(ups),
    seeds=[0],
)

# sphinx_gallery_thumbnail_number = 3
