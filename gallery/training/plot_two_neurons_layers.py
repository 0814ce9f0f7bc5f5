r"""
Two ReLU neurons, layer by layer
================================

``Linear(1, 2) → ReLU → Linear(2, 1)``: two neurons, each a line clipped at zero, added by
the last layer. Where they end depends on the initial weights, so this example *computes* the
first seed whose two kinks land one on each side of 0, and shows one for which they do not.
With that seed (checked below), the left neuron's ramp faces left and the right one's faces
right: one takes the left arm of the parabola, the other the right, and their sum is a fit with
a flat bottom between two walls.
"""

# %%
# Finding a seed that works
# -------------------------
# :func:`~relu_guide.core.analysis.kinks` lists where each hidden unit bends (or that it is dead,
# zero on the whole domain). We train seeds in order and keep the first whose two kinks lie on
# opposite sides of 0.

from relu_guide import animate
from relu_guide.core.analysis import kinks
from relu_guide.core.experiments import TWO_NEURONS, two_neuron_seed, two_neuron_unlucky_seed
from relu_guide.drawing.figures import layers_figure
from relu_guide.studies.cache import train

good_seed, bad_seed = two_neuron_seed(train), two_neuron_unlucky_seed(train)
runs = {seed: train(TWO_NEURONS.with_(seed=seed)) for seed in (good_seed, bad_seed)}
for seed in (good_seed, bad_seed):
    print(f"seed {seed}: final MSE {runs[seed].losses[-1]:.3f}")
    for k in kinks(runs[seed]):
        print(f"  unit {k.unit}: {k.state} at x = {k.x:+.2f}")

import numpy as np

from relu_guide.core.claims import check

good = sorted(kinks(runs[good_seed]), key=lambda k: k.x)
left, right = good[0].x, good[1].x
w1 = runs[good_seed].weights[0][-1, :, 0]
check(
    "seed {s}: the left unit's ramp faces left, the right one's faces right",
    w1[good[0].unit] < 0 < w1[good[1].unit],
    s=good_seed,
    w_left=float(w1[good[0].unit]),
    w_right=float(w1[good[1].unit]),
    seeds=[good_seed],
)
outside = runs[good_seed].predict(np.array([-5.0, left, right, 5.0]))
check(
    "seed {s}: the output rises from the flat bottom to both ends: two walls",
    outside[0] > outside[1] and outside[3] > outside[2],
    s=good_seed,
    values=outside.tolist(),
    seeds=[good_seed],
)
bottom = runs[good_seed].predict(np.linspace(left + 1e-3, right - 1e-3, 101))
check(
    "seed {s}: the output is flat between the two kinks",
    float(np.ptp(bottom)) < 1e-5,
    s=good_seed,
    spread=float(np.ptp(bottom)),
    seeds=[good_seed],
)
idle = [k for k in kinks(runs[bad_seed]) if k.state != "kink"]
check(
    "seed {s}: one unit ends with its kink outside [-5, 5]",
    len(idle) == 1,
    s=bad_seed,
    state=idle[0].state if idle else "none",
    seeds=[bad_seed],
)

# %%
# The working seed, layer by layer
# --------------------------------
# Three panels, one per stage: the two lines of the first layer, the same lines after the
# ReLU, and their weighted sum against the target (dashed).

animate(runs[good_seed], view="layers")

# %%
# A seed that fails
# -----------------
# Here one unit ends with its kink outside :math:`[-5, 5]`: it is dead (or always on) and adds
# no bend. The net is left with one kink and fits only one arm, like the single neuron. This
# is the last frame of its training.

fig = layers_figure(runs[bad_seed])

# sphinx_gallery_thumbnail_number = 1
