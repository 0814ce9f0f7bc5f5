r"""
Tanh and its gradient
=====================

:math:`\tanh` maps every input into :math:`(-1, 1)` and is centred on zero. It is a sigmoid
in disguise: :math:`\tanh(x) = 2\sigma(2x) - 1` exactly. The tanh figure of the original post,
*An illustrated guide to ReLUs* (its author and address are not recorded in this project),
draws :math:`\tanh(x)` beside a dashed curve labelled "2*sigmoid(x) − 1", which rises visibly
more slowly: :math:`2\sigma(x) - 1` is :math:`\tanh(x/2)`, not tanh (checked below). Its
gradient peaks at 1, four times the sigmoid's, but it still vanishes in both tails.
"""

# %%
# The figure
# ----------
# The markers on the first panel are :math:`2\sigma(2x) - 1`: they sit exactly on the tanh
# curve. The sigmoid is drawn for comparison, its gradient beside tanh's in the second
# panel.

from relu_guide import get_activation
from relu_guide.drawing.activation_figures import activation_figure

fig = activation_figure("tanh")

# %%
# Checking the identity
# ---------------------
# Numerically, the identity holds to rounding error, while the look-alike
# :math:`2\sigma(x) - 1` is off by more than a tenth.

import numpy as np

tanh, sigmoid = get_activation("tanh"), get_activation("sigmoid")
x = np.linspace(-6.0, 6.0, 1201)
right = np.abs(tanh(x) - (2 * sigmoid(2 * x) - 1)).max()
wrong = np.abs(tanh(x) - (2 * sigmoid(x) - 1)).max()
print(f"max |tanh(x) - (2 sigma(2x) - 1)|: {right:.1e}")
print(f"max |tanh(x) - (2 sigma(x) - 1)|:  {wrong:.3f}")
print(f"largest gradient of tanh: {tanh.derivative(x).max():.4f}")
print(f"gradient of tanh at x = 3: {tanh.derivative(np.array([3.0]))[0]:.4f}")

from relu_guide.core.claims import check

check(
    "an identity, so a test of the arithmetic: tanh(x) = 2 sigma(2x) - 1 to rounding error ({gap:.1e})",
    right < 1e-12,
    gap=float(right),
)
half = np.abs(np.tanh(x / 2) - (2 * sigmoid(x) - 1)).max()
check(
    "an identity, so a test of the arithmetic: 2 sigma(x) - 1 = tanh(x/2) to rounding error ({gap:.1e})",
    half < 1e-12,
    gap=float(half),
)
check("2 sigma(x) - 1 is off by more than a tenth ({gap:.3f})", wrong > 0.1, gap=float(wrong))
peak = tanh.derivative(x).max()
check(
    "tanh's gradient peaks at 1, four times the sigmoid's peak",
    np.isclose(peak, 1.0) and np.isclose(peak / sigmoid.derivative(x).max(), 4.0),
    peak=float(peak),
)
tail = float(tanh.derivative(np.array([5.0]))[0])
check(
    "it still vanishes in both tails: below 1e-3 at x = ±5",
    tail < 1e-3 and np.isclose(tail, tanh.derivative(np.array([-5.0]))[0]),
    tail=tail,
)
