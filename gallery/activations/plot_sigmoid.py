r"""
Sigmoid and its gradient
========================

The sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})` squashes every input into :math:`(0, 1)`.
Beside it, its gradient :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))` peaks at only
:math:`1/4` and fades quickly on both sides: every sigmoid a gradient passes back through
multiplies it by at most :math:`1/4`.
"""

# %%
# The figure
# ----------
# :func:`~relu_guide.drawing.activation_figures.activation_figure` draws the function and, in a second
# panel, its gradient, on a shared x axis, with the maximal gradient 1/4 marked.

from relu_guide import get_activation
from relu_guide.drawing.activation_figures import activation_figure

fig = activation_figure("sigmoid")

# %%
# The numbers behind it
# ---------------------
# The gradient is largest at 0 and already small a few units away. A signal passing back
# through ten sigmoids is scaled by their derivatives, at most :math:`(1/4)^{10}` in all (the
# weights between them add factors of their own).

import numpy as np

sigmoid = get_activation("sigmoid")
x = np.linspace(-6.0, 6.0, 1201)
grad = sigmoid.derivative(x)
print(f"largest gradient: {grad.max():.4f} at x = {x[grad.argmax()]:+.2f}")
for point in (2.0, 5.0):
    slope = sigmoid.derivative(np.array([point]))[0]
    print(f"gradient at x = {point:.0f}: {slope:.4f}")
print(f"upper bound after ten sigmoids: {0.25**10:.2e}")

from relu_guide.core.claims import check

check(
    "the sigmoid's gradient peaks at 1/4, at x = 0",
    np.isclose(grad.max(), 0.25) and x[grad.argmax()] == 0.0,
    peak=float(grad.max()),
)
far = float(sigmoid.derivative(np.array([5.0]))[0])
check("at x = 5 it has fallen below a thirtieth of its peak ({g:.4f})", far < 0.25 / 30, g=far)
