r"""
Where training starts
=====================

Three measurements at step 0. Hidden units that start identical receive identical gradients, so
they stay identical for ever; a tiny nudge may or may not separate them. Under torch's default
initialisation the kink :math:`x_j = -b_j/w_j` of unit :math:`j` is a ratio of two uniforms,
whose law puts a tenth of the kinks outside :math:`[-5, 5]` and half of those units dead. And through twenty layers, the
scale of the initial weights decides whether the signal and its gradient survive.
"""

# %%
# Identical units move as one
# ---------------------------
# :func:`~relu_guide.studies.initialisation.symmetric_runs` starts eight units as copies of one
# (torch's default draw for unit 0), then nudges them by noise of size :math:`10^{-6}` or
# :math:`10^{-3}`, and trains twenty seeds of each with plain SGD (learning rate 0.01, batches
# of 256) on :math:`x^2`, beside the same nets from torch's random start.

import numpy as np

from relu_guide.core.claims import check
from relu_guide.drawing.initialisation_figures import (
    depth_spread_figure,
    initial_kinks_figure,
    symmetry_figure,
)
from relu_guide.studies.chapter_specs import (
    DEPTH_SPREAD,
    INITIAL_KINKS,
    RANDOM_STARTS,
    SYMMETRIC_STARTS,
)
from relu_guide.studies.initialisation import kink_spread

runs = SYMMETRIC_STARTS.run()
random = RANDOM_STARTS.run()
exp = runs[0.0][0].experiment
seeds = [r.experiment.seed for r in runs[0.0]]
print(
    f"{exp.hidden[0]} units, {len(seeds)} seeds, nudges {sorted(runs)}; {exp.optimizer}, "
    f"learning rate {exp.lr}, batches of {exp.batch_size}, {exp.steps} steps, target {exp.target}"
)
assert (exp.hidden, len(seeds), sorted(runs)) == ((8,), 20, [0.0, 1e-6, 1e-3])  # as said above
assert (exp.optimizer, exp.lr, exp.batch_size, exp.target) == ("sgd", 0.01, 256, "square")
assert all(r.experiment == exp.with_(seed=r.experiment.seed)
           for rs in (*runs.values(), random) for r in rs)  # fmt: skip
spread = max(float(kink_spread(r).max()) for r in runs[0.0])
check("by construction (identical units get identical updates; a test of the engine): identical "
      "units stay identical, their kinks never differ ({spread:g})", spread == 0.0,
      spread=spread, seeds=seeds)  # fmt: skip
fig = symmetry_figure(runs, random, seed_index=1)

# %%
# Kinks at step 0
# ---------------
# :func:`~relu_guide.studies.initialisation.initial_kinks` reads the kinks of the guide's
# twenty-unit net for 2000 seeds. With :math:`w_j, b_j \sim U(-1, 1)`,
# :math:`P(|x_j| > 5) = 1/10`, and a unit whose kink lies outside is dead on the domain when
# it faces away from it: :math:`1/20` of the units.

kinks = INITIAL_KINKS.run()
n = kinks.kinks.size
assert (len(kinks.seeds), kinks.kinks.shape[1]) == (2000, 20)  # as said above
check(
    "{out:.2%} of {n:,} initial kinks lie outside [-5, 5] (derived: 10%)",
    abs(kinks.outside - 0.1) < 3 * np.sqrt(0.09 / n),
    out=kinks.outside,
    n=n,
    seeds=kinks.seeds,
)
check(
    "{dead:.2%} of the {n:,} units are dead at step 0 (derived: 5%)",
    abs(kinks.dead.mean() - 0.05) < 3 * np.sqrt(0.05 * 0.95 / n),
    dead=float(kinks.dead.mean()),
    n=n,
    seeds=kinks.seeds,
)
fig = initial_kinks_figure(kinks)

# %%
# Twenty layers deep
# ------------------
# :func:`~relu_guide.studies.initialisation.depth_spread` passes inputs through 20 layers of 64
# units, for torch's default, Glorot and He initialisation with tanh and ReLU, and measures at
# every layer how much the output still varies with :math:`x`, and the gradient of every weight
# matrix.

deep = DEPTH_SPREAD.run()
assert (deep.depth, deep.width) == (20, 64)  # as said above
assert {lab[0] for lab in deep.labels} == {"default", "glorot", "he"}
assert {lab[1] for lab in deep.labels} == {"tanh", "relu"}
for init, act in deep.labels:
    f = deep.median("forward", init, act)
    g = deep.median("backward", init, act)
    print(
        f"{init:>7} {act}: spread at layer {deep.depth} {f[-1]:.1e}; "
        f"gradient last/first matrix {g[-1] / g[0]:.1e}"
    )
fig = depth_spread_figure(deep)

# sphinx_gallery_thumbnail_number = 3
