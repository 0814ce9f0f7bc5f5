r"""
One ReLU neuron fits one side
=============================

A ``Linear(1, 1)`` layer followed by a ReLU: :math:`y = \max(0, wx + b)`. The ReLU
lets the neuron bend once, at :math:`x = -b/w`, so it can follow one arm of the parabola,
and only one: on the other side of its kink it outputs zero. With an unlucky start it does
not even do that, so this example computes the first seed whose kink ends inside the domain.
"""

# %%
# Training
# --------
# The same recipe as the linear layer, with ``output_activation="relu"``. With seed 0 the
# kink ends far outside :math:`[-5, 5]`: the neuron is a plain line there, as good as the
# best flat line and no better. We keep the first seed whose kink lands inside.

from relu_guide import animate
from relu_guide.core.analysis import best_affine_mse
from relu_guide.core.experiments import ONE_NEURON, one_neuron_seed
from relu_guide.studies.cache import train


def kink(run):
    w, b = run.weights[0][-1, 0, 0], run.biases[0][-1, 0]
    return -b / w


seed = one_neuron_seed(train)
runs = {s: train(ONE_NEURON.with_(seed=s)) for s in (0, seed)}
run = runs[seed]

print(ONE_NEURON.describe())
for s in (0, seed):
    mse = runs[s].losses[-1]
    print(f"seed {s}: kink at x = {kink(runs[s]):+.2f}, final MSE {mse:.3f}")
print(f"best line: MSE {best_affine_mse('square'):.3f}")

from relu_guide.core.claims import check

line = best_affine_mse("square")
check(
    "seed 0: the kink ends outside [-5, 5] and the neuron ends at the best line's error",
    abs(kink(runs[0])) > 5 and abs(runs[0].losses[-1] / line - 1) < 1e-3,
    kink=float(kink(runs[0])),
    mse=float(runs[0].losses[-1]),
    seeds=[0],
)
check(
    "seed {s}: the neuron that bends ends worse than the best flat line",
    run.losses[-1] > line,
    s=seed,
    mse=float(run.losses[-1]),
    line=line,
    seeds=[seed],
)

# %%
# The animation
# -------------
# The output is zero on one side of the kink and a straight ramp on the other: it follows
# one arm of the parabola. Its total error is even worse than the best flat line's, since it
# misses the other arm entirely.

animate(run, view="fit")
