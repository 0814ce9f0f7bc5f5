"""One figure style for every figure and animation: a colour-blind-safe palette, light and dark.

The palette is Okabe and Ito's, safe for the common colour-vision deficiencies. Roles, not
colours, are used elsewhere: the target is always drawn as :data:`TARGET`, the network's output
as :data:`PREDICTION`, and hidden units take :func:`unit_colors`.

Examples
--------
>>> from relu_guide.drawing import style
>>> style.unit_colors(3)
['#E69F00', '#009E73', '#CC79A7']
>>> with style.figure_style(dark=True):
...     import matplotlib.pyplot as plt
...     plt.rcParams["text.color"]
'#e6e6e6'
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import matplotlib as mpl
import numpy as np
from cycler import cycler

__all__ = [
    "DPI",
    "OKABE_ITO",
    "PREDICTION",
    "SECONDARY",
    "TARGET",
    "figure_style",
    "prediction_color",
    "redraw",
    "redrawable",
    "theme_colors",
    "unit_colors",
]

#: Okabe-Ito palette, by name.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
}

#: Colour of the network's output / the main curve.
PREDICTION = OKABE_ITO["blue"]
#: Colour of the target function (drawn dashed).
TARGET = OKABE_ITO["vermillion"]
#: Colour of a second curve (a gradient, a comparison).
SECONDARY = OKABE_ITO["orange"]

#: Order of the default colour cycle (yellow left out: too pale on white).
_CYCLE = ("blue", "orange", "green", "vermillion", "sky", "purple")

#: Dots per inch of rasters; figures are sized in inches at 100 dpi and saved at 2x.
DPI = 100

_THEMES: dict[bool, dict[str, str]] = {
    False: {"fg": "#1f1f1f", "bg": "#ffffff", "grid": "#e5e5e5", "muted": "#6b6b6b"},
    True: {"fg": "#e6e6e6", "bg": "#131416", "grid": "#33363a", "muted": "#a0a0a0"},
}


def theme_colors(dark: bool = False) -> dict[str, str]:
    """Foreground, background, grid and muted colours of the light or dark theme."""
    return dict(_THEMES[bool(dark)])


def unit_colors(n: int, dark: bool = False) -> list[str]:
    """Colours of ``n`` hidden units, legible on the light or dark background.

    Up to four units take Okabe-Ito colours that are neither the prediction's blue nor the
    target's vermillion; more units take evenly spaced colours of ``viridis``, cut so that no
    colour fades into the background.

    Examples
    --------
    >>> unit_colors(2)
    ['#E69F00', '#009E73']
    >>> len(unit_colors(20, dark=True))
    20
    """
    if n <= 0:
        return []
    if n <= 4:
        names = ["orange", "green", "purple", "sky"]
        return [OKABE_ITO[k] for k in names[:n]]
    lo, hi = (0.3, 1.0) if dark else (0.0, 0.78)
    cmap = mpl.colormaps["viridis"]
    return [mpl.colors.to_hex(cmap(v)) for v in np.linspace(lo, hi, n)]


def prediction_color(dark: bool = False) -> str:
    """Colour of the network's output: Okabe-Ito blue, or its lighter sibling sky blue on the
    dark background, where blue is too dark to read."""
    return OKABE_ITO["sky"] if dark else PREDICTION


def _rc(dark: bool) -> dict[str, Any]:
    c = _THEMES[bool(dark)]
    return {
        "figure.dpi": DPI,
        "savefig.dpi": 2 * DPI,
        "figure.facecolor": c["bg"],
        "savefig.facecolor": c["bg"],
        "axes.facecolor": c["bg"],
        "axes.edgecolor": c["muted"],
        "axes.labelcolor": c["fg"],
        "axes.titlecolor": c["fg"],
        "axes.grid": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "axes.prop_cycle": cycler(color=[OKABE_ITO[k] for k in _CYCLE]),
        "grid.color": c["grid"],
        "grid.linewidth": 0.8,
        "text.color": c["fg"],
        "xtick.color": c["muted"],
        "ytick.color": c["muted"],
        "xtick.labelcolor": c["fg"],
        "ytick.labelcolor": c["fg"],
        "legend.frameon": False,
        "legend.fontsize": 10,
        "lines.linewidth": 2.2,
        "font.size": 11,
        "font.family": "DejaVu Sans",
        "mathtext.fontset": "dejavusans",
        "svg.fonttype": "path",
        "svg.hashsalt": "relu-guide",
        "path.simplify": True,
    }


@contextlib.contextmanager
def figure_style(dark: bool = False) -> Iterator[None]:
    """Context manager applying the guide's matplotlib style (light by default)."""
    with mpl.rc_context(_rc(dark)):  # type: ignore[arg-type]
        yield


_Draw = TypeVar("_Draw", bound=Callable[..., Any])


def redrawable(draw: _Draw) -> _Draw:
    """Decorator of figure functions taking ``dark=``: each figure remembers how it was made.

    :func:`redraw` then draws the same figure again in the other theme (the site shows the dark
    one when the reader's theme is dark).
    """

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        fig = draw(*args, **kwargs)
        setattr(fig, "_relu_guide_recipe", functools.partial(draw, *args, **kwargs))  # noqa: B010
        return fig

    return wrapper  # type: ignore[return-value]


def redraw(fig: Any, *, dark: bool) -> Any:
    """The figure ``fig`` drawn again, by the same call, in the light or dark theme.

    Raises
    ------
    ValueError
        If ``fig`` was not made by a :func:`redrawable` figure function of relu_guide.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from relu_guide.drawing.activation_figures import activation_figure
    >>> fig = activation_figure("relu")
    >>> dark = redraw(fig, dark=True)
    >>> mpl.colors.to_hex(dark.get_facecolor()), len(dark.axes) == len(fig.axes)
    ('#131416', True)
    >>> redraw(plt.figure(), dark=True)
    Traceback (most recent call last):
    ...
    ValueError: this figure was not drawn by a relu_guide figure function: it cannot be redrawn
    >>> plt.close("all")
    """
    recipe = getattr(fig, "_relu_guide_recipe", None)
    if recipe is None:
        msg = "this figure was not drawn by a relu_guide figure function: it cannot be redrawn"
        raise ValueError(msg)
    return recipe(dark=dark)
