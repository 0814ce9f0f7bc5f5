"""Axis helpers shared by the views and the study figures: limits, sizes, log ticks, layouts.

Examples
--------
>>> import numpy as np
>>> from relu_guide.drawing.axes import limits
>>> limits([np.array([0.0, 10.0])], pad=0.1)
(-1.0, 11.0)
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import LogLocator, NullFormatter

__all__ = [
    "Curves",
    "decade_log_ticks",
    "inches",
    "label_panel",
    "limits",
    "plain_log_ticks",
    "span",
    "two_rows",
]

#: ``(x, y)`` arrays, broadcastable together, of every point a curve takes over all frames.
Curves = list[tuple[np.ndarray, np.ndarray]]


def span(values: Sequence[np.ndarray]) -> tuple[float, float]:
    """Smallest and largest finite value of all the arrays; (-1, 1) if there is none."""
    finite = [np.asarray(v, float)[np.isfinite(v)] for v in values]
    finite = [v for v in finite if v.size]
    if not finite:
        return -1.0, 1.0
    return float(min(v.min() for v in finite)), float(max(v.max() for v in finite))


def limits(
    values: Sequence[np.ndarray],
    anchor: tuple[float, float] | None = None,
    pad: float = 0.06,
) -> tuple[float, float]:
    """Padded limits covering all values; wild values beyond ``anchor`` are cut off."""
    lo, hi = span(values)
    if anchor is not None:
        a_lo, a_hi = anchor
        reach = max(a_hi - a_lo, 1e-9)
        lo, hi = max(lo, a_lo - reach), min(hi, a_hi + reach)
    if hi - lo < 1e-9:
        mid = 0.5 * (lo + hi)
        lo, hi = mid - 1.0, mid + 1.0
    extra = pad * (hi - lo)
    return lo - extra, hi + extra


def inches(pixels: int, dpi: float) -> float:
    """Inches that make at least ``pixels`` pixels at ``dpi`` (never one less by rounding)."""
    inches = pixels / dpi
    while inches * dpi < pixels:
        inches = math.nextafter(inches, math.inf)
    return inches


def plain_log_ticks(ax: Axes) -> None:
    """Log-scale y ticks labelled as plain numbers (0.1, 1, 10), 1-2-5 on short ranges."""
    lo, hi = ax.get_ylim()
    decades = math.log10(hi / lo)
    subs = (1.0,) if decades > 2.2 else (1.0, 3.0) if decades > 0.8 else (1.0, 2.0, 3.0, 5.0)
    ax.yaxis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=subs, numticks=8))
    ax.yaxis.set_major_formatter(
        mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}")
    )
    ax.yaxis.set_minor_formatter(mpl.ticker.NullFormatter())


def decade_log_ticks(ax: Axes, axis: str = "y") -> None:
    """Decade ticks, labelled as powers of ten, minor ticks unlabelled."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(LogLocator(base=10, numticks=12))
    subs = [k / 10 for k in range(2, 10)]
    target.set_minor_locator(LogLocator(base=10, subs=subs, numticks=12))
    target.set_minor_formatter(NullFormatter())


def label_panel(
    ax: Axes,
    title: str,
    *,
    xlabel: str | None = None,
    ylabel: str | None = None,
    legend: str | None = None,
    **legend_options: Any,
) -> None:
    """The study figures' panel labels: axis labels, a title on the left at 11 pt and, when
    ``legend`` names a location, a 9 pt legend there.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], label="a line")
    >>> label_panel(ax, "the title", xlabel="x", legend="upper left")
    >>> ax.get_title(loc="left"), ax.get_xlabel(), ax.get_legend() is not None
    ('the title', 'x', True)
    >>> plt.close(fig)
    """
    labels = {"xlabel": xlabel, "ylabel": ylabel}
    ax.set(**{k: v for k, v in labels.items() if v is not None})
    ax.set_title(title, loc="left", fontsize=11)
    if legend is not None:
        ax.legend(**{"loc": legend, "fontsize": 9, **legend_options})


def two_rows(fig: Figure, ratios: tuple[float, float]) -> tuple[SubFigure, SubFigure]:
    """Two stacked sub-figures with the given height ratios."""
    top, bottom = np.ravel(fig.subfigures(2, 1, height_ratios=ratios))  # type: ignore[arg-type]
    return top, bottom


def _legend_columns(legend: Any, ncols: int) -> None:
    """Lay ``legend``'s entries out in ``ncols`` columns (``Legend.set_ncols`` alone changes
    nothing once the legend is made: its columns are packed when it is created)."""
    box = legend._legend_handle_box
    columns = box.get_children()
    items = [item for column in columns for item in column.get_children()]
    if not columns or not items:
        return
    packed = []
    for part in np.array_split(np.arange(len(items)), min(ncols, len(items))):
        column = copy.copy(columns[0])  # the same spacing and alignment, other entries
        column._children = [items[i] for i in part]
        packed.append(column)
    box._children = packed
    legend.set_ncols(ncols)
    legend.stale = True
