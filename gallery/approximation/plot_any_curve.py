r"""
Any curve from ramps
====================

:math:`\mathrm{relu}(x + 1) - 2\,\mathrm{relu}(x) + \mathrm{relu}(x - 1)` is a hat: zero, up to
1 at 0, back to zero. Hats centred on evenly spaced knots, each scaled by a target's value at
its knot, add up to the target's linear interpolant, and a one-hidden-layer ReLU net with one
unit per piece computes it. This example builds those nets for :math:`\sin(x)`, :math:`|x|` and
a step, measures how their error falls with the number of units, and trains nets of the same
widths (twenty seeds each, all at once) to compare.
"""

# %%
# A hat from three ramps, a curve from hats
# -----------------------------------------
# :func:`~relu_guide.core.approximation.hat_net` and
# :func:`~relu_guide.core.approximation.interpolating_net` build the nets.

import numpy as np

from relu_guide.core.approximation import hat, hat_net
from relu_guide.core.claims import check
from relu_guide.drawing.approximation_figures import (
    approximation_errors_figure,
    hat_figure,
    steep_ramps_figure,
)
from relu_guide.studies.chapter_specs import APPROXIMATION

x = np.linspace(-3, 3, 6001)
check(
    "relu(x+1) - 2 relu(x) + relu(x-1) is the hat on -1, 0, 1 (largest difference {gap:.1e})",
    np.allclose(hat_net(-1, 0, 1)(x), hat(x, -1, 0, 1), atol=1e-12),
    gap=float(np.abs(hat_net(-1, 0, 1)(x) - hat(x, -1, 0, 1)).max()),
)
fig = hat_figure("sin", 8)

# %%
# Error against units
# -------------------
# :func:`~relu_guide.studies.approximation.approximation_study` measures the interpolant's mean
# squared error for 5 to 33 units, and trains nets of those widths (Adam, learning rate 0.01,
# 800 steps, batches of 256) with twenty seeds each.

study = APPROXIMATION.run()
exp = study.runs[0].experiment
print(
    f"units {list(study.units)}, {len(study.seeds)} seeds each; {exp.optimizer}, learning rate "
    f"{exp.lr}, {exp.steps} steps, batches of {exp.batch_size}"
)
assert (min(study.units), max(study.units), len(study.seeds)) == (5, 33, 20)  # as said above
assert (exp.optimizer, exp.lr, exp.steps, exp.batch_size) == ("adam", 0.01, 800, 256)
assert all(r.experiment == exp.with_(target=r.experiment.target, hidden=r.experiment.hidden,
                                     seed=r.experiment.seed) for r in study.runs)  # fmt: skip
for t in study.targets:
    print(
        f"{t:>4}: interpolant slope {study.slope(t, 'hand_built', 9):5.2f}, "
        f"trained slope {study.slope(t, 'trained', 9):5.2f}"
    )
slopes = [study.slope(t, "hand_built", 9) for t in ("sin", "abs", "step")]
check(
    "the interpolant's error falls with slopes {s[0]:.2f}, {s[1]:.2f}, {s[2]:.2f} for sin, |x| and the step",
    abs(slopes[0] + 4) < 0.1 and abs(slopes[1] + 3) < 0.05 and abs(slopes[2] + 1) < 0.05,
    s=slopes,
)
fig = approximation_errors_figure(study)

# %%
# A jump needs steeper and steeper ramps
# --------------------------------------
# No continuous function can jump, so the ramp across the step must get steeper for the error
# to shrink: the interpolant's slope there is the number of units over the domain's length,
# and every trained net was still steepening at the end of its 800 steps.

i = study.targets.index("step")
steep = study.steepest[i]
rising = float(np.mean(steep[..., -1] > steep[..., -2]))
check(
    "every trained step net ({pct:.0%}) was still steepening over its last {k} steps",
    rising == 1.0,
    pct=rising,
    k=int(study.steps[-1] - study.steps[-2]),
    seeds=study.seeds,
)
fig = steep_ramps_figure(study)

# sphinx_gallery_thumbnail_number = 1
