r"""
Twenty ReLU neurons fit a parabola
==================================

``Linear(1, 20) → ReLU → Linear(20, 1)``. Twenty neurons give the network up to twenty
kinks, and training moves them along the :math:`x` axis. The result is a crisp piecewise
linear curve hugging :math:`x^2`, in this run (seed 0) several times more accurate than the
two-neuron net.
"""

# %%
# Training
# --------
# The guide's default experiment is exactly this network.

from relu_guide import animate
from relu_guide.core.analysis import count_linear_pieces, kinks
from relu_guide.core.experiments import TWENTY_NEURONS
from relu_guide.drawing.figures import neurons_figure
from relu_guide.studies.cache import train

run = train(TWENTY_NEURONS)
inside = [k for k in kinks(run) if k.state == "kink"]

print(run.experiment.describe())
print(f"final MSE: {run.losses[-1]:.4f}")
print(f"kinks inside [-5, 5]: {len(inside)} of 20")
print(f"linear pieces: {count_linear_pieces(run)}")

from relu_guide.core.claims import check
from relu_guide.core.experiments import TWO_NEURONS, two_neuron_seed

two = train(TWO_NEURONS.with_(seed=two_neuron_seed(train)))
check(
    "seed 0: several times more accurate than the two-neuron net ({ratio:.1f} times)",
    run.losses[-1] < two.losses[-1] / 5,
    ratio=float(two.losses[-1] / run.losses[-1]),
    seeds=[0],
)
check(
    "seed 0: the output's slope climbs at every kink",
    all(k.slope_change > 0 for k in inside),
    kinks=len(inside),
    seeds=[0],
)
import numpy as np

from relu_guide.core.analysis import staircase

grid = np.linspace(-5.0, 5.0, 1001)
start = run.predict(grid, 0)
check(
    "seed 0: at the start the output spans {share:.1%} of the target's range",
    np.ptp(start) < np.ptp(grid**2) / 20,
    share=float(np.ptp(start) / np.ptp(grid**2)),
    seeds=[0],
)
xs, ys = staircase(run)
mids, steps = 0.5 * (xs[::2] + xs[1::2]), ys[::2]
trend = float(np.polyfit(mids, steps, 1)[0])
check(
    "seed 0: a line through the slope's steps has slope {trend:.2f}, within 0.1 of the 2 of 2x",
    abs(trend - 2) < 0.1,
    trend=trend,
    seeds=[0],
)

# %%
# The fit
# -------
# The prediction over training: from a nearly flat start (its range is under a twentieth of
# the target's, checked below) to the parabola.

animate(run, view="fit")

# %%
# Neuron by neuron
# ----------------
# The trained network taken apart. Each coloured line is one neuron's contribution to the
# output (its ReLU output times its outgoing weight); the output is their sum plus a bias.
# Each triangle marks a kink, where one neuron turns on or off, and below, the slope of the
# output climbs one step per kink, along the slope 2x of the parabola (checked above). Call
# ``animate(run, view="neurons")`` to watch the kinks move during training.

fig = neurons_figure(run)

# sphinx_gallery_thumbnail_number = 1
