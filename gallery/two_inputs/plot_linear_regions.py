r"""
Linear regions on the plane
===========================

A ReLU unit :math:`j` of two inputs, :math:`\max(0, w_{j1} x_1 + w_{j2} x_2 + b_j)`, is off on
one side of the line :math:`w_{j1} x_1 + w_{j2} x_2 + b_j = 0` and a tilted plane on the other. A one-hidden-layer net adds such
units, so its lines cut the input square into convex pieces, and on each piece the net is one
affine function: a *linear region*. This example draws the regions of hand-built nets whose
counts are known, then watches a trained net's regions move.
"""

# %%
# Hand-built nets
# ---------------
# :math:`|x_1| + |x_2|` needs four units but only two lines (each used twice): four regions.
# Six lines that all cross inside the square, no three at one point, make the most that six
# lines can: :math:`1 + 6 + 15 = 22`. The regions are found exactly by
# :func:`~relu_guide.core.regions.linear_regions`, which cuts the square along every unit's line.

from relu_guide.core.claims import check
from relu_guide.core.plane import fixed_run
from relu_guide.core.plane_training import train_plane
from relu_guide.core.regions import (
    count_regions,
    diamond_net,
    folded_grid_net,
    general_position_net,
    one_layer_bound,
)
from relu_guide.drawing.regions import animate_regions, regions_figure
from relu_guide.studies.chapter_specs import BOWL_EIGHT

diamond = fixed_run(*diamond_net(), target="diamond")
check(
    "the four-unit net for |x_1| + |x_2| fits it exactly with {n} regions",
    count_regions(*diamond_net(), (-2.0, 2.0)) == 4 and diamond.losses[-1] < 1e-20,
    n=count_regions(*diamond_net(), (-2.0, 2.0)),
    mse=float(diamond.losses[-1]),
)
fig = regions_figure(diamond)

# %%
six = general_position_net(6)
n6 = count_regions(*six, (-2.0, 2.0))
check(
    "a theorem, as a test of the counter: six lines in general position, crossing inside the "
    "square, make {n} = 1 + 6 + 15 regions",
    n6 == one_layer_bound(6) == 22,
    n=n6,
)
fig = regions_figure(fixed_run(*six))

# %%
# Depth folds the plane
# ---------------------
# Four units per layer can fold :math:`x_1` and :math:`x_2` in half, each layer again (the tent map
# of the depth chapter, applied to both coordinates). Three such layers, twelve units, cut the
# unit square into an 8 × 8 grid: 64 regions, where one layer of twelve units makes at most 79,
# and four layers make 256 from sixteen units, against at most 137.

grid = folded_grid_net(3)
n_grid = count_regions(*grid, (0.0, 1.0))
check(
    "by construction of the folding net (a test of the counter): three folding layers of four "
    "units make {n} = 4³ regions; one layer of 12 makes at most {bound}",
    n_grid == 64 and one_layer_bound(12) == 79,
    n=n_grid,
    bound=one_layer_bound(12),
)
check(
    "by construction of the folding net (a test of the counter): four folding layers of four "
    "units make {n} regions, more than the {bound} of one layer of 16",
    count_regions(*folded_grid_net(4), (0.0, 1.0)) == 256 > one_layer_bound(16) == 137,
    n=count_regions(*folded_grid_net(4), (0.0, 1.0)),
    bound=one_layer_bound(16),
)
fig = regions_figure(fixed_run(*grid, domain=(0.0, 1.0)))

# %%
# Training moves the lines
# ------------------------
# Eight units fit the bowl :math:`x_1^2 + x_2^2` on :math:`[-2, 2]^2` (Adam, learning rate 0.01,
# batches of 256, 1000 steps, seed 0). Each frame cuts the square again: watch the lines turn and slide, and
# regions appear and vanish as crossings enter and leave the square.

exp = BOWL_EIGHT
assert (exp.target, exp.domain, exp.hidden) == ("bowl", (-2.0, 2.0), (8,)), exp  # as said above
assert (exp.optimizer, exp.lr, exp.batch_size, exp.steps, exp.seed) == ("adam", 0.01, 256, 1000, 0)
(run,) = train_plane([exp])
first, last = (count_regions(*run.parameters(f), (-2.0, 2.0)) for f in (0, -1))
print(f"seed 0: {first} regions at initialisation, {last} after training; MSE {run.losses[-1]:.3f}")
check(
    "in this run (seed 0) training lowers the error of eight units on the bowl from {before:.1f} to {after:.3f}",
    run.losses[-1] < run.losses[0] / 100,
    before=float(run.losses[0]),
    after=float(run.losses[-1]),
    seeds=[0],
)
animate_regions(run)

# sphinx_gallery_thumbnail_number = 4
