"""Registry of activation functions: torch and numpy forms, derivative, formula.

Every activation is an :class:`Activation`: a frozen record holding the function for torch
tensors (used in training), the same function for numpy arrays (used in figures and fast
batched evaluation), its derivative in numpy, its LaTeX formula and a one-line description.

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.activations import get_activation
>>> relu = get_activation("relu")
>>> relu(np.array([-2.0, 0.0, 3.0]))
array([0., 0., 3.])
>>> relu.derivative(np.array([-2.0, 3.0]))
array([0., 1.])
>>> get_activation("leaky_relu", slope=0.2).name
'leaky_relu(slope=0.2)'
"""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from relu_guide.core.names import ACTIVATION_NAMES, ACTIVATION_TEXT

if TYPE_CHECKING:
    import torch
    from torch import nn

__all__ = ["ACTIVATION_NAMES", "Activation", "get_activation"]

NumpyFn = Callable[[np.ndarray], np.ndarray]
TorchFn = Callable[["torch.Tensor"], "torch.Tensor"]


def _torch_object(path: str) -> Any:
    """``"torch.nn.functional.elu"`` -> that object; torch is imported only when first asked."""
    module, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module), attr)


@dataclass(frozen=True)
class Activation:
    """One activation function in its torch and numpy forms, with its derivative.

    Torch is imported only when :attr:`torch_fn` or :meth:`module` is first used, so that
    listing the activations (``relu-guide list``) stays fast.

    Parameters
    ----------
    name : str
        Registry name, with its parameters if any (``"leaky_relu(slope=0.1)"``).
    label : str
        Human-readable name for legends and titles (``"leaky ReLU"``).
    torch_path : str
        Where the function on torch tensors lives (``"torch.relu"``); see :attr:`torch_fn`.
    numpy_fn : callable
        The same function on numpy arrays.
    derivative : callable
        Its derivative on numpy arrays; at a kink, the value torch autograd gives.
    latex : str
        Its formula in LaTeX, without dollar signs.
    description : str
        One line on what it is good and bad at.
    kinks : tuple of float
        Points where the derivative jumps (plots break the gradient line there).
    module_path : str
        The torch module class applying it (``"torch.nn.ReLU"``); see :meth:`module`.
    torch_args : tuple
        Extra positional arguments of both (the slope of leaky ReLU).

    Examples
    --------
    >>> import torch
    >>> tanh = get_activation("tanh")
    >>> float(tanh.torch_fn(torch.tensor(0.0)))
    0.0
    >>> tanh.module()
    Tanh()
    """

    name: str
    label: str
    torch_path: str = field(repr=False, compare=False)
    numpy_fn: NumpyFn = field(repr=False, compare=False)
    derivative: NumpyFn = field(repr=False, compare=False)
    latex: str = field(repr=False, compare=False)
    description: str = field(repr=False, compare=False)
    kinks: tuple[float, ...] = field(default=(), repr=False, compare=False)
    module_path: str = field(default="torch.nn.Identity", repr=False, compare=False)
    torch_args: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Apply the numpy form."""
        return self.numpy_fn(np.asarray(x, dtype=float))

    @functools.cached_property
    def torch_fn(self) -> TorchFn:
        """The function on torch tensors (imports torch on first use)."""
        fn = _torch_object(self.torch_path)
        if not self.torch_args:
            return fn  # type: ignore[no-any-return]
        args = self.torch_args
        return lambda t: fn(t, *args)

    def module(self) -> nn.Module:
        """A fresh torch module applying this activation (for ``nn.Sequential``)."""
        return _torch_object(self.module_path)(*self.torch_args)  # type: ignore[no-any-return]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # Split by sign so that exp never overflows.
    out = np.empty_like(x, dtype=float)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.vectorize(math.erf, otypes=[float])(x)
    return out


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def _normal_pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)


def _softplus(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.logaddexp(0.0, x)
    return out


def _leaky_relu(slope: float) -> Activation:
    if not (isinstance(slope, int | float) and 0.0 <= slope < 1.0):
        msg = f"leaky_relu slope must be in [0, 1), got {slope!r}"
        raise ValueError(msg)
    s = float(slope)
    return Activation(
        name=f"leaky_relu(slope={s:g})",
        label=ACTIVATION_TEXT["leaky_relu"][0],
        torch_path="torch.nn.functional.leaky_relu",
        numpy_fn=lambda x: np.where(x > 0, x, s * x),
        derivative=lambda x: np.where(x > 0, 1.0, s),
        latex=ACTIVATION_TEXT["leaky_relu"][1].replace("{a}", f"{s:g}"),
        description=ACTIVATION_TEXT["leaky_relu"][2],
        kinks=(0.0,),
        module_path="torch.nn.LeakyReLU",
        torch_args=(s,),
    )


def _text(name: str) -> dict[str, Any]:
    label, latex, description = ACTIVATION_TEXT[name]
    return {"name": name, "label": label, "latex": latex, "description": description}


def _elu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))


_FIXED: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation(
            **_text("sigmoid"),
            torch_path="torch.sigmoid",
            numpy_fn=_sigmoid,
            derivative=lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
            module_path="torch.nn.Sigmoid",
        ),
        Activation(
            **_text("tanh"),
            torch_path="torch.tanh",
            numpy_fn=np.tanh,
            derivative=lambda x: 1.0 - np.tanh(x) ** 2,
            module_path="torch.nn.Tanh",
        ),
        Activation(
            **_text("relu"),
            torch_path="torch.relu",
            numpy_fn=lambda x: np.maximum(x, 0.0),
            derivative=lambda x: (x > 0).astype(float),
            kinks=(0.0,),
            module_path="torch.nn.ReLU",
        ),
        Activation(
            **_text("elu"),
            torch_path="torch.nn.functional.elu",
            numpy_fn=_elu,
            derivative=lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0))),
            module_path="torch.nn.ELU",
        ),
        Activation(
            **_text("gelu"),
            torch_path="torch.nn.functional.gelu",
            numpy_fn=lambda x: x * _normal_cdf(x),
            derivative=lambda x: _normal_cdf(x) + x * _normal_pdf(x),
            module_path="torch.nn.GELU",
        ),
        Activation(
            **_text("silu"),
            torch_path="torch.nn.functional.silu",
            numpy_fn=lambda x: x * _sigmoid(x),
            derivative=lambda x: _sigmoid(x) * (1.0 + x * (1.0 - _sigmoid(x))),
            module_path="torch.nn.SiLU",
        ),
        Activation(
            **_text("softplus"),
            torch_path="torch.nn.functional.softplus",
            numpy_fn=_softplus,
            derivative=_sigmoid,
            module_path="torch.nn.Softplus",
        ),
    ]
}


def get_activation(name: str | Activation, *, slope: float = 0.1) -> Activation:
    """Look up an activation by name.

    Parameters
    ----------
    name : str or Activation
        One of :data:`ACTIVATION_NAMES`; an :class:`Activation` is returned as it is.
        ``"leaky_relu(slope=0.05)"`` (the form of :attr:`Activation.name`) is accepted too.
    slope : float, default 0.1
        Negative-side slope of ``"leaky_relu"``; ignored by the others. The default is larger
        than torch's 0.01 so that the slope can be seen in a figure.

    Returns
    -------
    Activation

    Raises
    ------
    ValueError
        If the name is unknown, with the list of known names.

    Examples
    --------
    >>> get_activation("sigmoid").label
    'sigmoid'
    >>> get_activation("swish")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'swish'; choose one of: sigmoid, tanh, relu, leaky_relu, elu, gelu, silu, softplus
    """
    if isinstance(name, Activation):
        return name
    if isinstance(name, str):
        key = name.strip().lower()
        if key == "leaky_relu":
            return _leaky_relu(slope)
        if key.startswith("leaky_relu(slope=") and key.endswith(")"):
            try:
                value = float(key[len("leaky_relu(slope=") : -1])
            except ValueError:
                pass
            else:
                return _leaky_relu(value)
        if key in _FIXED:
            return _FIXED[key]
    msg = f"unknown activation {name!r}; choose one of: {', '.join(ACTIVATION_NAMES)}"
    raise ValueError(msg)
