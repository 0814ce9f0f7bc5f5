r"""
Dead ReLUs and the leaky fix
============================

In this census the two-neuron net fits :math:`x^2` well only when its two kinks end on
opposite sides of 0. Over 24 seeds (0 to 23: a small sample, and an unlucky one; the guide's
chapter on dead ReLUs counts 200), this example counts how often that happens with ReLU and with
leaky ReLU (negative slope 0.1), and shows how the other runs fail: a unit that is dead (zero on
the whole domain, so it gets no gradient), always on (a plain line), or both kinks on one side.
The numbers in this text are checked below.
"""

# %%
# The census
# ----------
# :func:`~relu_guide.studies.dead.dead_relu_census` trains the 48 nets as one batched model; each
# run's outcome comes from where its kinks ended (:func:`~relu_guide.studies.dead.outcome`).

import numpy as np

from relu_guide import get_activation
from relu_guide.core.claims import check
from relu_guide.core.piecewise import best_relu_net
from relu_guide.studies.specs import DEAD_CENSUS, DEATHS

relu, leaky = DEAD_CENSUS.run()
MARK = 1000
for census in (relu, leaky):
    print(f"{census.label:>10} after {MARK} steps: {census.at_step(MARK).counts}")
    print(f"{census.label:>10} after {census.runs[0].experiment.steps} steps: {census.counts}")

seeds = [r.experiment.seed for r in relu.runs]
alpha = float(get_activation("leaky_relu")(np.array([-1.0]))[0] / -1.0)
population = DEATHS["relu"].run()
small_dead = relu.at_step(MARK).counts["dead"]
small_rate = small_dead / len(relu.runs)
pop_rate = population.n_dead_at_end / population.n
print(
    f"{len(relu.runs) + len(leaky.runs)} nets, seeds {seeds[0]} to {seeds[-1]}; leaky slope {alpha:g}"
)
print(
    f"dead after {MARK} steps: {small_dead} of {len(relu.runs)} runs here, "
    f"{pop_rate:.0%} over {population.n} seeds"
)
check(
    "the census: seeds {first} to {last} per activation, {nets} nets, leaky slope {alpha:g}; "
    "the chapter counts {pop} seeds",
    seeds == list(range(24))
    and [r.experiment.seed for r in leaky.runs] == seeds
    and np.isclose(alpha, 0.1)
    and population.n == 200,
    first=seeds[0],
    last=seeds[-1],
    nets=len(relu.runs) + len(leaky.runs),
    alpha=alpha,
    pop=population.n,
)
check(
    "an unlucky sample: {small} of these {n} ReLU runs are dead after {mark} steps, against "
    "{rate:.0%} of {pop} seeds",
    small_rate > pop_rate + 0.1,
    small=small_dead,
    n=len(relu.runs),
    rate=pop_rate,
    mark=MARK,
    pop=population.n,
    seeds=population.seeds,
)
best2 = best_relu_net("square", 2).mse
for census in (relu, leaky):
    good = np.array([o == "both sides" for o in census.outcomes])
    check(
        "{label}: every run that does not end with a kink on each side of 0 ends above 5 times "
        "the best two-unit error, and every run within 10% of that best has one on each side",
        bool(np.all(census.losses[~good] > 5 * best2))
        and bool(np.all(good[census.losses < 1.1 * best2])),
        label=census.label,
        best=best2,
        seeds=seeds,
    )

# %%
# The spread of final errors
# --------------------------
# First panel: every seed's final error, coloured by outcome; the dotted line is the best any
# two-unit net can do. Second panel: the loss of every seed over training, with the median in bold.
# A dead ReLU unit never comes back here: its inputs, x, never change, so its gradient stays
# exactly zero. A leaky unit on its inactive side still passes a gradient, through its slope of
# 0.1 there, so leaky runs that went badly can keep improving (how many did is printed and
# checked below), and the leaky median keeps falling long after the ReLU median has stalled
# (checked below too).

from relu_guide.drawing.study_figures import census_figure

fig = census_figure([relu, leaky], best=best2, mark_step=MARK)

then_r, then_l = relu.at_step(MARK), leaky.at_step(MARK)
check(
    "by construction (a test of the engine): every ReLU run dead at step {mark} is still dead at "
    "the end",
    all(b == "dead" for a, b in zip(then_r.outcomes, relu.outcomes, strict=True) if a == "dead"),
    mark=MARK,
    seeds=seeds,
)
bad = np.array([o != "both sides" for o in then_l.outcomes])
halved = int(np.sum(leaky.losses[bad] < then_l.losses[bad] / 2))
print(
    f"leaky runs without the good fit at step {MARK}: {bad.sum()}; at least halved since: {halved}"
)
check(
    "{halved} of the {bad} leaky runs without a kink on each side at step {mark} at least "
    "halve their error by the end",
    halved > bad.sum() / 2,
    halved=halved,
    bad=int(bad.sum()),
    mark=MARK,
    seeds=seeds,
)
med = {c.label: (np.median(c.at_step(MARK).losses), np.median(c.losses)) for c in (relu, leaky)}
check(
    "the leaky median more than halves after step {mark}; the ReLU median changes under 1%",
    med["leaky ReLU"][1] < med["leaky ReLU"][0] / 2
    and abs(med["ReLU"][1] / med["ReLU"][0] - 1) < 0.01,
    leaky=[float(v) for v in med["leaky ReLU"]],
    relu=[float(v) for v in med["ReLU"]],
    mark=MARK,
    seeds=seeds,
)

# sphinx_gallery_thumbnail_number = 1
