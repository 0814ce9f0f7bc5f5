r"""
All activations side by side
============================

ReLU's smooth relatives, ELU, GELU, SiLU and softplus, beside sigmoid, tanh, ReLU and leaky
ReLU, with all their gradients in a second panel. The modern ones all look like ReLU far from
zero: linear on the right, flat (or nearly) on the left, with a gradient near 1 for large
inputs. They differ in how they round the kink.
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

far_right = np.array([4.0])
for name in activation_figures.COMPARISON_NAMES:
    act = get_activation(name)
    slope = act.derivative(far_right)[0]
    print(f"{act.label:>11}: gradient at x = 4 is {slope:.3f}")
