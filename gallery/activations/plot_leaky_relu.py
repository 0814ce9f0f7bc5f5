r"""
Leaky ReLU and its gradient
===========================

The leaky ReLU :math:`\max(\alpha x, x)` (here :math:`\alpha = 0.1`) lets a small slope
through on the left. A ReLU neuron whose input is negative on every example gets no gradient
(it is *dead*), and while its inputs stay the same it cannot recover; a leaky one keeps a
derivative of at least :math:`\alpha`.
"""

# %%
# The figure
# ----------
# ReLU is drawn dashed beside the leaky ReLU; the gradient jumps from :math:`\alpha` to 1 at
# the kink.

from relu_guide import get_activation
from relu_guide.drawing.activation_figures import activation_figure

fig = activation_figure("leaky_relu", slope=0.1)

# %%
# The numbers behind it
# ---------------------
# On the left of the kink the leaky ReLU still passes a tenth of the gradient; ReLU passes
# none.

import numpy as np

from relu_guide.core.claims import check

leaky, relu = get_activation("leaky_relu", slope=0.1), get_activation("relu")
left = np.array([-3.0])
print(f"leaky ReLU gradient at x = -3: {leaky.derivative(left)[0]:.2f}")
print(f"ReLU gradient at x = -3:       {relu.derivative(left)[0]:.2f}")
x = np.linspace(-6.0, 6.0, 1201)
check(
    "the leaky ReLU's derivative never drops below alpha = {alpha}; ReLU's is 0 at x = -3",
    np.isclose(leaky.derivative(x).min(), 0.1) and relu.derivative(left)[0] == 0.0,
    alpha=0.1,
    smallest=float(leaky.derivative(x).min()),
)
