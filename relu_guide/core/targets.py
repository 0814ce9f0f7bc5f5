"""Target functions a network is trained to fit: by name, or any callable on numpy arrays.

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.targets import get_target
>>> square = get_target("square")
>>> square(np.array([-2.0, 3.0]))
array([4., 9.])
>>> square.latex
'x^2'
>>> get_target(np.cos).name
'cos'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from relu_guide.core.checks import check_interval
from relu_guide.core.names import TARGET_NAMES, TARGET_TEXT

__all__ = ["TARGET_NAMES", "Target", "check_interval", "get_target"]


@dataclass(frozen=True)
class Target:
    """A function of one variable to fit, in numpy form.

    Parameters
    ----------
    name : str
        Registry name, formula text, or the callable's ``__name__``.
    fn : callable
        Maps a float numpy array to an array of the same shape.
    latex : str
        Formula for labels, without dollar signs.
    text : str, optional
        The target in plain text, for alt text, captions and ``relu-guide list`` (``"x²"``);
        its name when not given.

    Examples
    --------
    >>> t = Target("cube", lambda x: x**3, "x^3")
    >>> t(np.array([2.0]))
    array([8.])
    """

    name: str
    fn: Callable[[np.ndarray], np.ndarray] = field(repr=False, compare=False)
    latex: str = field(default="f(x)", repr=False, compare=False)
    text: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", self.name)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate the target, checking that it keeps the shape and stays finite."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(self.fn(x), dtype=float)
        if y.shape != x.shape:
            y = np.broadcast_to(y, x.shape).copy() if y.ndim == 0 else y
        if y.shape != x.shape:
            msg = f"target {self.name!r} returned shape {y.shape} for input of shape {x.shape}"
            raise ValueError(msg)
        if not np.all(np.isfinite(y)):
            msg = f"target {self.name!r} is not finite on the inputs given"
            raise ValueError(msg)
        return y


_FUNCTIONS: list[tuple[str, Callable[[np.ndarray], np.ndarray]]] = [
    ("square", np.square),
    ("abs", np.abs),
    ("sin", np.sin),
    ("step", lambda x: (x > 0).astype(float)),
    ("cube", lambda x: x**3 / 5.0),
    ("relu", lambda x: np.maximum(x, 0.0)),
]
_REGISTRY: dict[str, Target] = {
    t.name: t for t in [Target(name, fn, *TARGET_TEXT[name]) for name, fn in _FUNCTIONS]
}


def get_target(spec: str | Callable[[np.ndarray], np.ndarray] | Target) -> Target:
    """Resolve a target given by name, formula, callable or :class:`Target`.

    Parameters
    ----------
    spec : str, callable or Target
        A name from :data:`TARGET_NAMES`; a formula in ``x`` such as ``"sin(3*x) + x**2/4"``
        (parsed by :func:`relu_guide.core.formula.parse_formula`, never evaluated as Python); or any
        callable mapping a numpy array to an array of the same shape.

    Returns
    -------
    Target

    Raises
    ------
    ValueError
        If a string is neither a known name nor a valid formula.

    Examples
    --------
    >>> get_target("abs").latex
    '|x|'
    >>> get_target("sin(3*x) + x**2/4").name
    'sin(3*x) + x**2/4'
    """
    if isinstance(spec, Target):
        return spec
    if isinstance(spec, str):
        key = spec.strip()
        if key in _REGISTRY:
            return _REGISTRY[key]
        from relu_guide.core.formula import FormulaError, parse_formula

        try:
            formula = parse_formula(key)
        except FormulaError as exc:
            msg = (
                f"unknown target {spec!r}: not one of {', '.join(TARGET_NAMES)}, "
                f"and not a formula in x ({exc})"
            )
            raise ValueError(msg) from None
        return Target(key, formula, formula.latex)
    if callable(spec):
        return Target(getattr(spec, "__name__", type(spec).__name__), spec, "f(x)")
    msg = f"target must be a name, a formula or a callable, got {spec!r}"
    raise ValueError(msg)
