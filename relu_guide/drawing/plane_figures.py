"""Figures of the two-input studies: region counts of trained nets against their bounds.

Examples
--------
>>> from relu_guide.studies.regions import region_counts
>>> from relu_guide.drawing.plane_figures import region_counts_figure
>>> shallow = region_counts(hidden=((2,), (4,)), seeds=range(2), steps=20)
>>> fig = region_counts_figure(shallow)
>>> len(fig.axes)
1
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from relu_guide.core.regions import one_layer_bound
from relu_guide.drawing.axes import label_panel
from relu_guide.drawing.style import OKABE_ITO, figure_style, redrawable, theme_colors
from relu_guide.studies.regions import RegionCounts

__all__ = ["region_counts_figure"]


def _seeds(ax: Axes, x: float, values: np.ndarray, color: str, filled: bool, spread: float) -> None:
    jitter = np.linspace(-spread, spread, len(values))
    face = color if filled else "none"
    ax.scatter(
        x + jitter, values, s=14, facecolors=face, edgecolors=color, linewidths=0.9, zorder=3
    )


def _shallow(ax: Axes, study: RegionCounts, muted: str) -> None:
    n = study.units
    grid = np.arange(0, n.max() + 1)
    ax.plot(grid, [one_layer_bound(int(k)) for k in grid], color=muted, lw=1.6, ls="--",
            label=r"bound $1 + N + N(N-1)/2$")  # fmt: skip
    for i, k in enumerate(n):
        _seeds(ax, float(k), study.initial[i], OKABE_ITO["orange"], False, 0.2 + 0.01 * k)
        _seeds(ax, float(k), study.final[i], OKABE_ITO["blue"], True, 0.2 + 0.01 * k)
    ax.plot(n, np.median(study.initial, axis=1), color=OKABE_ITO["orange"], lw=1.4,
            label="at initialisation (median, seeds)")  # fmt: skip
    ax.plot(n, np.median(study.final, axis=1), color=OKABE_ITO["blue"], lw=1.8,
            label="trained (median, seeds)")  # fmt: skip
    ax.set_xticks(n)
    label_panel(
        ax,
        "one hidden layer",
        xlabel="hidden units N (one layer; hollow: at initialisation, filled: trained)",
        ylabel="linear regions in the square",
    )
    ax.legend(loc="upper left")


def _deep(ax: Axes, study: RegionCounts, muted: str, fg: str) -> None:
    x = np.arange(len(study.hidden))
    ax.set_yscale("log")
    ax.scatter(x, study.bounds, marker="_", s=400, color=fg, linewidths=2, zorder=2,
               label="bound (product over layers)")  # fmt: skip
    same = one_layer_bound(int(study.units[0]))
    if np.all(study.units == study.units[0]):
        ax.axhline(
            same, color=muted, ls="--", lw=1.4, label=f"most for one layer of {study.units[0]}"
        )
    for i in x:
        _seeds(ax, float(i), study.initial[i], OKABE_ITO["orange"], False, 0.18)
        _seeds(ax, float(i), study.final[i], OKABE_ITO["blue"], True, 0.18)
    ax.set_xticks(x, ["×".join(map(str, h)) if len(h) > 1 else str(h[0]) for h in study.hidden])
    label_panel(ax, "deeper, same units", xlabel="hidden widths (same number of units)")
    ax.legend(loc="upper left")
    ax.set_xlim(-0.6, len(x) - 0.4)


@redrawable
def region_counts_figure(
    shallow: RegionCounts, deep: RegionCounts | None = None, *, dark: bool = False
) -> Figure:
    """Regions of trained nets (filled) and at initialisation (hollow), one dot per seed.

    Left, one hidden layer against the most ``N`` lines can make; right (if ``deep`` is given),
    architectures with the same number of units but more layers, against their bound (log scale).
    """
    theme = theme_colors(dark)
    with figure_style(dark):
        if deep is None:
            fig, ax = plt.subplots(figsize=(5.6, 4.2), layout="constrained")
            _shallow(ax, shallow, theme["muted"])
        else:
            fig, (a, b) = plt.subplots(1, 2, figsize=(10.0, 4.4), layout="constrained")
            _shallow(a, shallow, theme["muted"])
            _deep(b, deep, theme["muted"], theme["fg"])
        fig.set_label(
            "Linear regions of trained two-input ReLU nets and at initialisation, one dot per "
            "seed, against the most their architecture allows: one hidden layer stays below "
            "1 + N + N(N-1)/2; deeper nets with the same units stay far below their bound."
        )
    return fig
