r"""
A single linear layer chasing a parabola
========================================

One ``Linear(1, 1)`` layer, :math:`y = a x + c`, trained by stochastic gradient descent on
the target :math:`x^2` over :math:`[-5, 5]`. A line cannot bend: the best any line can do is
flat (slope 0, checked below), and each random batch tips its slope towards whichever tail of the parabola it
happened to sample more. The layer ends close to that best line and no closer.
"""

# %%
# Training
# --------
# An :class:`~relu_guide.Experiment` (here :data:`~relu_guide.core.experiments.LINEAR`)
# describes the run (the defaults are the guide's: SGD, learning rate 0.01, batches of 256
# fresh inputs, 1000 steps, seed 0); :func:`~relu_guide.train` performs it and keeps 101
# snapshots of the weights (checked below).

from relu_guide import animate
from relu_guide.core.analysis import best_affine_fit
from relu_guide.core.experiments import LINEAR
from relu_guide.studies.cache import train

experiment = LINEAR
run = train(experiment)
slope, intercept, best_mse = best_affine_fit("square", experiment.domain)

print(experiment.describe())
print(f"final MSE: {run.losses[-1]:.3f}")
print(f"best line: y = {slope:.2f} x + {intercept:.3f}")
print(f"its MSE: {best_mse:.3f} (= 500/9)")

from relu_guide.core.claims import check

e = experiment
check(
    "the recipe: SGD, learning rate 0.01, batches of 256, 1000 steps, seed 0, 101 snapshots",
    (e.optimizer, e.lr, e.batch_size, e.steps, e.seed, run.n_frames)
    == ("sgd", 0.01, 256, 1000, 0, 101),
    lr=e.lr,
    batch=e.batch_size,
    steps=e.steps,
)
check(
    "the best line is flat, at height 25/3, with error 500/9",
    abs(slope) < 1e-9 and abs(intercept - 25 / 3) < 1e-9 and abs(best_mse - 500 / 9) < 1e-9,
    slope=slope,
    intercept=intercept,
    mse=best_mse,
)
check(
    "seed 0: the layer ends within 1% above the best line",
    best_mse * (1 - 1e-6) <= run.losses[-1] <= 1.01 * best_mse,
    mse=float(run.losses[-1]),
    seeds=[0],
)

# %%
# The animation
# -------------
# :func:`~relu_guide.animate` draws every snapshot: the target dashed, the layer's output
# solid, the loss so far below. Watch the slope flip between the two tails.

animate(run, view="fit")

# %%
# The slope over training
# -----------------------
# The final weights, and how often the slope changed sign between two consecutive snapshots,
# counted over all 101 snapshots (step 0 included), as the animation's description counts
# them. The guide's chapter counts only the snapshots from step 100 on, and says so.

from relu_guide.core.analysis import sign_flips

weights, biases = run.weights[0][:, 0, 0], run.biases[0][:, 0]
flips = sign_flips(weights)
print(f"final slope a = {weights[-1]:+.3f}, intercept c = {biases[-1]:.3f}")
print(f"slope sign changes over all {len(weights)} snapshots: {flips} of {len(weights) - 1} pairs")
check(
    "seed 0: over all {n} snapshots the slope changes sign {flips} times, between {share:.0%} "
    "of consecutive pairs",
    flips > 0.25 * (len(weights) - 1),
    n=len(weights),
    flips=flips,
    share=flips / (len(weights) - 1),
    seeds=[0],
)
