r"""
Other targets: kinks, waves, jumps and formulas
===============================================

The same twenty-neuron network, trained with seed 0, fitted to other functions: :math:`|x|`,
which one pair of ReLUs represents exactly; :math:`\sin x`, whose every bend needs kinks of
its own; a step, which a continuous piecewise-linear function can only approximate by a ramp;
and a formula typed as text.
"""

# %%
# Four targets
# ------------
# :func:`~relu_guide.get_target` accepts a registered name or any formula in ``x``
# (parsed safely by :func:`~relu_guide.core.formula.parse_formula`).

import numpy as np

from relu_guide import get_target
from relu_guide.core.analysis import kinks, net_slopes
from relu_guide.core.claims import check
from relu_guide.drawing.figures import fit_figure
from relu_guide.studies.specs import TARGET_FITS

runs = TARGET_FITS.run()
for spec, run in runs.items():
    print(f"{get_target(spec).name:>12}: final MSE {run.losses[-1]:.4f}")
check(
    "every target is fitted by Linear(1, 20) → ReLU → Linear(20, 1) with seed 0",
    all(r.experiment.hidden == (20,) and r.experiment.seed == 0 for r in runs.values()),
    targets=list(runs),
    seeds=[0],
)


def inner_kinks(run):
    """The kinks inside the domain, left to right."""
    return np.array(sorted(k.x for k in kinks(run) if k.state == "kink"))


# %%
# The absolute value
# ------------------
# Two ReLUs suffice in principle, :math:`|x| = \max(0, x) + \max(0, -x)`. Training does not
# find that pair: it spreads many kinks around 0 (counted below).

grid = np.linspace(-5.0, 5.0, 1001)
check(
    "|x| = max(0, x) + max(0, -x) on [-5, 5] (by construction)",
    bool(np.array_equal(np.abs(grid), np.maximum(0, grid) + np.maximum(0, -grid))),
)
abs_kinks = inner_kinks(runs["abs"])
print(f"|x|: {len(abs_kinks)} kinks, from x = {abs_kinks[0]:+.2f} to {abs_kinks[-1]:+.2f}")
check(
    "seed 0: the net trained on |x| uses {n} kinks, not two",
    len(abs_kinks) > 2,
    n=len(abs_kinks),
    seeds=[0],
)

fig = fit_figure(runs["abs"])

# %%
# A sine wave
# -----------
# Every bend of :math:`\sin x` needs kinks of its own. This net put kinks at the two inner
# bends, :math:`x = \pm\pi/2`, but none near the bend at :math:`x = -3\pi/2`: there its fit
# stays straight. The distance from each bend to the nearest kink:

sin_kinks = inner_kinks(runs["sin"])
bends = np.pi * np.array([-1.5, -0.5, 0.5, 1.5])
nearest = [float(np.min(np.abs(sin_kinks - b))) for b in bends]
for b, d in zip(bends, nearest, strict=True):
    print(f"bend at x = {b:+.2f}: nearest kink {d:.2f} away")
check(
    "seed 0: a kink lies within 0.25 of each inner bend of sin x (x = ±π/2), none within 1 of "
    "the bend at x = -3π/2",
    nearest[1] < 0.25 and nearest[2] < 0.25 and nearest[0] > 1,
    distances=nearest,
    seeds=[0],
)

fig = fit_figure(runs["sin"])

# %%
# A step
# ------
# The jump of height 1 at :math:`x = 0` becomes a ramp over several kinks, and not a steep one:
# its steepest piece, across 0, rises with a slope below 1 (printed and checked below), so the
# ramp spreads the jump over more than a unit of :math:`x`.

step_run = runs["step"]
step_kinks = inner_kinks(step_run)
edges = np.concatenate([[-5.0], step_kinks, [5.0]])
slopes = net_slopes(step_run, 0.5 * (edges[1:] + edges[:-1]), [-1])[0]
steepest = int(np.argmax(slopes))
print(f"step: {len(step_kinks)} kinks, from x = {step_kinks[0]:+.2f} to {step_kinks[-1]:+.2f}")
print(
    f"steepest piece: x in [{edges[steepest]:+.2f}, {edges[steepest + 1]:+.2f}], "
    f"slope {slopes[steepest]:.2f}"
)
check(
    "seed 0: the step net's steepest piece lies across x = 0, between two kinks, with slope "
    "{slope:.2f}, below 1",
    edges[steepest] < 0 < edges[steepest + 1]
    and 0 < steepest < len(slopes) - 1
    and slopes[steepest] < 1,
    slope=float(slopes[steepest]),
    seeds=[0],
)

fig = fit_figure(step_run)

# %%
# A formula
# ---------

fig = fit_figure(runs["x**3/25 - x"])
