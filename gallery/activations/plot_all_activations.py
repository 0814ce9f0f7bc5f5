r"""
All activations side by side
============================

ReLU's smooth relatives, ELU, GELU, SiLU and softplus, beside sigmoid, tanh, ReLU and leaky
ReLU, with all their gradients in a second panel. The newer ones all look like ReLU far from
zero: close to linear on the right, with a gradient near 1 for large inputs, and close to flat
on the left (ELU levels off at -1 rather than 0). They differ in how they round the kink.
"""

# %%
# The figure
# ----------
# :func:`~relu_guide.drawing.activation_figures.activations_comparison_figure` draws every
# activation of :data:`~relu_guide.drawing.activation_figures.COMPARISON_NAMES` in one panel and
# their gradients in another, with one shared legend.

from relu_guide import get_activation
from relu_guide.drawing import activation_figures

fig = activation_figures.activations_comparison_figure()

# %%
# One line on each
# ----------------
# Every :class:`~relu_guide.Activation` carries a one-line description and its gradient far on
# the right, where ReLU-like functions keep a gradient of 1 and squashing ones lose it.

import numpy as np

from relu_guide.core.claims import check

far_right, far_left = np.array([4.0]), np.array([-30.0])
slopes = {}
for name in activation_figures.COMPARISON_NAMES:
    act = get_activation(name)
    slopes[name] = float(act.derivative(far_right)[0])
    print(f"{act.label:>11}: gradient at x = 4 is {slopes[name]:.3f}")
newer = ("elu", "gelu", "silu", "softplus")
check(
    "at x = 4 the gradients of ELU, GELU, SiLU and softplus are within 0.1 of 1",
    all(abs(slopes[n] - 1) < 0.1 for n in newer),
    **{n: slopes[n] for n in newer},
)
check(
    "at x = 4 the squashing sigmoid and tanh have gradients below 0.02",
    slopes["sigmoid"] < 0.02 and slopes["tanh"] < 0.02,
    sigmoid=slopes["sigmoid"],
    tanh=slopes["tanh"],
)
lefts = {n: float(get_activation(n)(far_left)[0]) for n in newer}
check(
    "at x = -30 GELU, SiLU and softplus are within 1e-6 of 0, ELU within 1e-6 of -1",
    all(abs(lefts[n]) < 1e-6 for n in ("gelu", "silu", "softplus"))
    and abs(lefts["elu"] + 1) < 1e-6,
    **lefts,
)
