"""The names the package knows, as plain data: what ``relu-guide --help`` and ``list`` print.

Activations (label, formula, description), targets (formula, plain text), optimizers, and the
functions and constants a formula may use. The modules that compute with them
(:mod:`~relu_guide.core.activations`, :mod:`~relu_guide.core.targets`,
:mod:`~relu_guide.core.formula`, :mod:`~relu_guide.core.experiment`) build their registries from
these tables; this module imports nothing, so listing the options costs no numpy, torch or
matplotlib start-up.

Examples
--------
>>> from relu_guide.core.names import ACTIVATION_NAMES, TARGET_TEXT
>>> ACTIVATION_NAMES[:3], TARGET_TEXT["square"]
(('sigmoid', 'tanh', 'relu'), ('x^2', 'x²'))
"""

from __future__ import annotations

import math

__all__ = [
    "ACTIVATION_NAMES",
    "ACTIVATION_TEXT",
    "CONSTANTS",
    "FORMULA_FUNCTIONS",
    "OPTIMIZERS",
    "TARGET_NAMES",
    "TARGET_TEXT",
]

#: Optimizers :func:`relu_guide.train` knows.
OPTIMIZERS: tuple[str, ...] = ("sgd", "adam")

#: Every activation: its label, its formula in LaTeX, and what it is good and bad at.
ACTIVATION_TEXT: dict[str, tuple[str, str, str]] = {
    "sigmoid": (
        "sigmoid",
        r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        "Squashes to (0, 1), handy for probabilities; its gradient is at most 1/4 and "
        "vanishes away from 0.",
    ),
    "tanh": (
        "tanh",
        r"\tanh(x) = 2\sigma(2x) - 1",
        "Squashes to (-1, 1) and is centred at 0; its gradient reaches 1 at 0 but still "
        "vanishes in the tails.",
    ),
    "relu": (
        "ReLU",
        r"\max(0,\; x)",
        "Zero for negative inputs, the identity for positive ones: a gradient of exactly "
        "1 wherever the unit is active, and a kink that lets sums of units bend.",
    ),
    "leaky_relu": (
        "leaky ReLU",
        r"\max({a}\,x,\; x)",
        "ReLU with a small slope for negative inputs, so a unit whose input is always "
        "negative still gets a gradient and can recover.",
    ),
    "elu": (
        "ELU",
        r"x \text{ if } x > 0 \text{ else } e^{x} - 1",
        "Like ReLU for positive inputs, a smooth exponential floor at -1 for negative "
        "ones: no dead units and outputs closer to zero mean.",
    ),
    "gelu": (
        "GELU",
        r"x\,\Phi(x)",
        "The input weighted by the standard normal CDF: a smooth ReLU with a small dip "
        "below zero, used in transformers.",
    ),
    "silu": (
        "SiLU",
        r"x\,\sigma(x)",
        "The input weighted by its own sigmoid (also called swish): smooth, "
        "non-monotonic, close to ReLU away from zero.",
    ),
    "softplus": (
        "softplus",
        r"\log(1 + e^{x})",
        "A smooth ReLU whose derivative is the sigmoid: never exactly zero, never dead, "
        "but never exactly linear either.",
    ),
}
#: Names accepted by :func:`relu_guide.core.activations.get_activation`.
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATION_TEXT)

#: Every target of the registry: its formula in LaTeX and in plain text.
TARGET_TEXT: dict[str, tuple[str, str]] = {
    "square": ("x^2", "x²"),
    "abs": ("|x|", "|x|"),
    "sin": (r"\sin(x)", "sin(x)"),
    "step": (r"\mathbb{1}[x > 0]", "the step 1[x > 0]"),
    "cube": ("x^3 / 5", "x³/5"),
    "relu": (r"\max(0, x)", "max(0, x)"),
}
#: Names accepted by :func:`relu_guide.core.targets.get_target`.
TARGET_NAMES: tuple[str, ...] = tuple(TARGET_TEXT)

#: Named constants a formula may use besides ``x``.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
#: Functions a formula may call: name -> (number of arguments, LaTeX form). In the LaTeX
#: form, ``{0}`` and ``{1}`` stand for the arguments.
FORMULA_FUNCTIONS: dict[str, tuple[int, str]] = {
    "sin": (1, r"\sin({0})"),
    "cos": (1, r"\cos({0})"),
    "tan": (1, r"\tan({0})"),
    "arctan": (1, r"\arctan({0})"),
    "sinh": (1, r"\sinh({0})"),
    "cosh": (1, r"\cosh({0})"),
    "tanh": (1, r"\tanh({0})"),
    "exp": (1, r"e^{{{0}}}"),
    "log": (1, r"\log({0})"),
    "sqrt": (1, r"\sqrt{{{0}}}"),
    "abs": (1, r"|{0}|"),
    "sign": (1, r"\mathrm{{sign}}({0})"),
    "floor": (1, r"\lfloor {0} \rfloor"),
    "relu": (1, r"\max(0, {0})"),
    "sigmoid": (1, r"\sigma({0})"),
    "maximum": (2, r"\max({0}, {1})"),
    "minimum": (2, r"\min({0}, {1})"),
}
