r"""
Dead ReLUs and the leaky fix
============================

The two-neuron net can fit :math:`x^2` well only if its two kinks end on opposite sides of 0.
Over 24 seeds (0 to 23: a small, rather unlucky sample; the guide's chapter on dead ReLUs
counts 200), this example counts how often that happens with ReLU and with leaky ReLU
(negative slope 0.1), and shows how the other runs fail: a unit that is dead (zero on the whole
domain, so it gets no gradient), always on (a plain line), or both kinks on one side.
"""

# %%
# The census
# ----------
# :func:`~relu_guide.studies.dead.dead_relu_census` trains the 48 nets as one batched model; each
# run's outcome comes from where its kinks ended (:func:`~relu_guide.studies.dead.outcome`).

from relu_guide.core.piecewise import best_relu_net
from relu_guide.studies.specs import DEAD_CENSUS

relu, leaky = DEAD_CENSUS.run()
for census in (relu, leaky):
    print(f"{census.label:>10} after 1000 steps: {census.at_step(1000).counts}")
    print(f"{census.label:>10} after 3000 steps: {census.counts}")

# %%
# The spread of final errors
# --------------------------
# First panel: every seed's final error, coloured by outcome; the dotted line is the best any
# two-unit net can do. Second panel: the loss of every seed over training, with the median in bold.
# A dead ReLU unit never comes back here (its inputs, x, never change); a leaky one still gets
# a tenth of the gradient and slowly crawls back, so the leaky median keeps falling long after
# the ReLU median has stalled (checked below).

from relu_guide.drawing.study_figures import census_figure

fig = census_figure([relu, leaky], best=best_relu_net("square", 2).mse, mark_step=1000)

import numpy as np

from relu_guide.core.claims import check

seeds = [r.experiment.seed for r in relu.runs]
then = relu.at_step(1000).outcomes
check(
    "every ReLU run dead at step 1000 is still dead at the end",
    all(b == "dead" for a, b in zip(then, relu.outcomes, strict=True) if a == "dead"),
    seeds=seeds,
)
med = {c.label: (np.median(c.at_step(1000).losses), np.median(c.losses)) for c in (relu, leaky)}
check(
    "the leaky median more than halves after step 1000; the ReLU median changes under 1%",
    med["leaky ReLU"][1] < med["leaky ReLU"][0] / 2
    and abs(med["ReLU"][1] / med["ReLU"][0] - 1) < 0.01,
    leaky=[float(v) for v in med["leaky ReLU"]],
    relu=[float(v) for v in med["ReLU"]],
    seeds=seeds,
)

# sphinx_gallery_thumbnail_number = 1
