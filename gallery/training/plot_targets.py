r"""
Other targets: kinks, waves, jumps and formulas
===============================================

The same twenty-neuron network fitted to other functions: :math:`|x|`, which one ReLU pair
represents exactly; :math:`\sin x`, which needs kinks spread over every bend; a step, which a
continuous piecewise-linear function can only approximate by a steep ramp; and a formula
typed as text.
"""

# %%
# Four targets
# ------------
# :func:`~relu_guide.get_target` accepts a registered name or any formula in ``x``
# (parsed safely by :func:`~relu_guide.core.formula.parse_formula`).

from relu_guide import get_target
from relu_guide.drawing.figures import fit_figure
from relu_guide.studies.specs import TARGET_FITS

runs = TARGET_FITS.run()
for spec, run in runs.items():
    print(f"{get_target(spec).name:>12}: final MSE {run.losses[-1]:.4f}")

# %%
# The absolute value
# ------------------
# Two ReLUs suffice in principle, :math:`|x| = \max(0, x) + \max(0, -x)`.

fig = fit_figure(runs["abs"])

# %%
# A sine wave
# -----------
# Every bend of :math:`\sin x` needs kinks of its own.

fig = fit_figure(runs["sin"])

# %%
# A step
# ------
# The jump becomes a steep ramp between two kinks.

fig = fit_figure(runs["step"])

# %%
# A formula
# ---------

fig = fit_figure(runs["x**3/25 - x"])
