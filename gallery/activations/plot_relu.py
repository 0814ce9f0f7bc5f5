r"""
ReLU and its gradient
=====================

The rectified linear unit :math:`\mathrm{ReLU}(x) = \max(0, x)` keeps positive inputs and
zeroes the others. Its gradient is 0 on the left and exactly 1 on the right: however large
the input, the gradient does not fade. At the kink, :math:`x = 0`, the gradient jumps; the
figure marks the value autograd uses there.
"""

# %%
# The figure
# ----------
# The gradient is drawn as two separate pieces: a line through the jump would show values
# the gradient never takes.

from relu_guide import get_activation
from relu_guide.drawing.activation_figures import activation_figure

fig = activation_figure("relu")

# %%
# The numbers behind it
# ---------------------
# The gradient takes only two values. The one at 0 is a convention: PyTorch uses 0.

import numpy as np
import torch

from relu_guide.core.claims import check

relu = get_activation("relu")
x = np.linspace(-6.0, 6.0, 1201)
values = sorted(set(relu.derivative(x).tolist()))
print(f"gradient values: {values}")
point = torch.tensor(0.0, requires_grad=True)
relu.torch_fn(point).backward()
print(f"autograd's gradient at the kink: {point.grad.item():.0f}")
check(
    "ReLU's gradient is 0 left of the kink and exactly 1 right of it",
    bool(np.all(relu.derivative(x[x < 0]) == 0) and np.all(relu.derivative(x[x > 0]) == 1)),
    values=values,
)
check("at the kink PyTorch's autograd uses 0", point.grad.item() == 0.0, grad=point.grad.item())
