"""matplotlib's repeated measuring done once: tick labels once per pass, formulas once per process.

Within one ``Figure.draw``, and within one pass of the constrained layout over a figure's panels
(``make_layout_margins``), matplotlib updates every axis's ticks and measures their labels several
times over: ``Axis.get_tightbbox`` and ``Axis.draw`` each do it twice (once more to place the axis
label), and placing a panel's title does it again for the y axis (to find its offset text), once
per title. Nothing those results depend on moves in between unless the panel's box or the axis's
limits move, so inside :func:`measured_once` each axis's ticks and tick-label boxes are computed
once per pass and per (panel box in pixels, axis limits), then reused.

Formulas (``$10^{-3}$`` on a log axis, ``$x^2$`` in a title) are laid out by a mathtext parser,
which caches its layouts; but every Agg renderer makes its own parser, and a guide figure is
measured by several renderers (its own canvas at each size it is laid out at, the shared ones of
:mod:`~relu_guide.drawing.raster`, its dark twin's): over the gallery, 477 formula layouts for 138
different formulas (the 19 examples in one process). Inside the block, one cache of
:data:`FORMULAS` layouts serves every parser of a kind (a layout depends on the kind of output, the
text, the dpi, the font and the rendering flags, not on the parser).

The pixels are the same (the tests compare them). Outside the block matplotlib is untouched, and
a matplotlib without these private methods is left alone.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from relu_guide.drawing.raster import rasterize
>>> fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
>>> _ = ax.semilogy([1, 2, 3], [1, 10, 1000]), ax.set_ylabel("error")
>>> with measured_once():
...     fast, _ = rasterize(fig, 100)
>>> slow, _ = rasterize(fig, 100)
>>> bool((fast == slow).all())
True
>>> plt.close(fig)
"""

from __future__ import annotations

import contextlib
import functools
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib._constrained_layout as constrained
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser

__all__ = ["FORMULAS", "measured_once"]

#: How many formula layouts the shared cache keeps (the least recently used go first).
FORMULAS = 512
#: What one pass has measured, by call and axis state; None outside a pass.
_memo: dict[tuple[Any, ...], Any] | None = None
#: Formula layouts by (kind of output, text, dpi, font, flags), the most recently used last.
_formulas: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
#: How many :func:`measured_once` blocks are open (the patches go with the last one).
_open = 0
_PATCHES: tuple[tuple[Any, str], ...] = (
    (Axis, "_update_ticks"),
    (Axis, "_get_ticklabel_bboxes"),
    (Figure, "draw"),
    (constrained, "make_layout_margins"),
    (MathTextParser, "_parse_cached"),
)
_originals: dict[tuple[Any, str], Any] = {}


def _state(axis: Axis) -> tuple[Any, ...]:
    """What an axis's ticks and their boxes depend on during a pass: which, where, what range."""
    return (id(axis), tuple(axis.axes.bbox.bounds), tuple(axis.get_view_interval()))


def _one_pass(original: Callable[..., Any]) -> Callable[..., Any]:
    """``original``, the outermost call of which is one pass (the memo lives as long as it)."""

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global _memo  # noqa: PLW0603 - one pass at a time, per process
        if _memo is not None:
            return original(*args, **kwargs)
        _memo = {}
        try:
            return original(*args, **kwargs)
        finally:
            _memo = None

    return wrapper


def _per_pass(original: Callable[..., Any], name: str) -> Callable[..., Any]:
    """The axis method ``original``, its result reused within a pass for the same state."""

    @functools.wraps(original)
    def wrapper(axis: Axis, *args: Any) -> Any:
        if _memo is None:
            return original(axis, *args)
        # the ticks (and renderer) measured are part of the key: the same list, the same boxes
        ids = (tuple(map(id, a)) if isinstance(a, list) else id(a) for a in args)
        key = (name, *_state(axis), *ids)
        if key not in _memo:
            _memo[key] = original(axis, *args)
        return _memo[key]

    return wrapper


def _shared(original: Callable[..., Any]) -> Callable[..., Any]:
    """``MathTextParser._parse_cached``, its layouts shared by all parsers of one output kind."""
    parse = getattr(original, "__wrapped__", original)  # past the parser's own small cache

    @functools.wraps(parse)
    def wrapper(parser: MathTextParser[Any], *args: Any) -> Any:
        key = (parser._output_type, *args)  # type: ignore[attr-defined]
        if key in _formulas:
            _formulas.move_to_end(key)
            return _formulas[key]
        result = _formulas[key] = parse(parser, *args)
        while len(_formulas) > FORMULAS:
            _formulas.popitem(last=False)
        return result

    return wrapper


def _patched(owner: Any, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    if owner is Axis:
        return _per_pass(original, name)
    if owner is MathTextParser:
        return _shared(original)
    return _one_pass(original)


@contextlib.contextmanager
def measured_once() -> Iterator[None]:
    """A block in which each axis's ticks are measured once per drawing or layout pass, and
    each formula laid out once.

    Blocks may nest; matplotlib gets its own methods back when the outermost closes.
    """
    global _open  # noqa: PLW0603 - the patches are process-wide while a block is open
    if _open == 0 and all(hasattr(owner, name) for owner, name in _PATCHES):
        for owner, name in _PATCHES:
            original = getattr(owner, name)
            _originals[owner, name] = original
            setattr(owner, name, _patched(owner, name, original))
    _open += 1
    try:
        yield
    finally:
        _open -= 1
        if _open == 0:
            for (owner, name), original in _originals.items():
                setattr(owner, name, original)
            _originals.clear()
