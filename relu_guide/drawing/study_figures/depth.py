"""Figures of depth: the sawtooth construction, and pieces and error against depth."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator

from relu_guide.core.sawtooth import DepthRow, sawtooth, square_approximation
from relu_guide.drawing.axes import decade_log_ticks
from relu_guide.drawing.style import (
    OKABE_ITO,
    SECONDARY,
    TARGET,
    figure_style,
    prediction_color,
    redrawable,
    theme_colors,
)
from relu_guide.studies.depth import ShallowComparison

__all__ = ["depth_figure", "sawtooth_figure"]


@redrawable
def sawtooth_figure(depths: Sequence[int] = (1, 2, 3), *, dark: bool = False) -> Figure:
    """Top: the sawtooth ``g_m`` (the tent map composed ``m`` times). Bottom: ``f_m`` and ``x^2``.

    Examples
    --------
    >>> fig = sawtooth_figure((1, 2))
    >>> [ax.get_title(loc="left") for ax in fig.axes[:2]]
    ['$g_1 = g$: 1 tooth', '$g_2 = g(g_1)$: 2 teeth']
    """
    x = np.linspace(0.0, 1.0, 1025)
    with figure_style(dark):
        fig, axes = plt.subplots(
            2,
            len(depths),
            figsize=(7.0, 4.6),
            sharex=True,
            layout="constrained",
            squeeze=False,
            height_ratios=(0.75, 1.0),
        )
        for j, m in enumerate(depths):
            ax, bx = axes[0, j], axes[1, j]
            ax.plot(x, sawtooth(x, m), color=OKABE_ITO["green"], lw=1.8)
            teeth = 2 ** (m - 1)
            name = "$g_1 = g$" if m == 1 else f"$g_{m} = g(g_{m - 1})$"
            ax.set_title(
                f"{name}: {teeth} {'tooth' if teeth == 1 else 'teeth'}", loc="left", fontsize=10.5
            )
            ax.set_ylim(-0.05, 1.12)
            ax.set_yticks([0, 1])
            f = square_approximation(x, m)
            bx.fill_between(x, x**2, f, color=prediction_color(dark), alpha=0.18, linewidth=0)
            bx.plot(x, x**2, color=TARGET, ls="--", lw=1.8)
            bx.plot(x, f, color=prediction_color(dark), lw=1.8)
            knots = np.linspace(0, 1, 2**m + 1)
            bx.plot(knots, knots**2, "o", color=prediction_color(dark), ms=3.5)
            bx.set_title(
                f"$f_{m}$: {2**m} pieces, error ≤ $4^{{-{m + 1}}}$", loc="left", fontsize=10.5
            )
            bx.set_xlabel("$x$")
            bx.set_ylim(-0.03, 1.05)
            if j:
                ax.tick_params(labelleft=False)
                bx.tick_params(labelleft=False)
        axes[1, 0].legend(
            handles=[
                Line2D([], [], color=TARGET, ls="--", lw=1.8, label="$x^2$"),
                Line2D(
                    [],
                    [],
                    color=prediction_color(dark),
                    lw=1.8,
                    label=r"$f_m = x - \sum_{s \leq m} g_s / 4^s$",
                ),
            ],
            loc="upper left",
            fontsize=9,
        )
        fig.set_label(
            "The tent map composed once, twice and three times makes sawtooths with doubling "
            "teeth; subtracting them with weights 1/4, 1/16, 1/64 from x gives piecewise-linear "
            "approximations of x squared with 2, 4 and 8 pieces."
        )
    return fig


@redrawable
def depth_figure(
    rows: Sequence[DepthRow], shallow: ShallowComparison | None = None, *, dark: bool = False
) -> Figure:
    """Pieces (left) and error (right) against depth: the sawtooth net vs equal-size shallow nets.

    Examples
    --------
    >>> from relu_guide.core.sawtooth import depth_table
    >>> len(depth_figure(depth_table(4)).axes)
    2
    """
    theme = theme_colors(dark)
    deep = [r for r in rows if r.depth >= 1]
    m = np.array([r.depth for r in deep])
    with figure_style(dark):
        fig, (ax, bx) = plt.subplots(1, 2, figsize=(7.0, 3.9), layout="constrained")
        ax.set_yscale("log", base=2)
        deep_look = {"color": prediction_color(dark), "ms": 5}
        shallow_look = {"color": SECONDARY, "ms": 5}
        ax.plot(m, [r.pieces for r in deep], "-o", **deep_look, label="deep: $m$ layers of 3 units")
        shallow_label = "shallow, same parameters:\n$4m - 1$ units, $\\leq 4m$ pieces"
        ax.plot(m, 4 * m, "-s", **shallow_look, label=shallow_label)
        ax.set_xlabel("depth $m$ (hidden layers)")
        ax.set_ylabel("linear pieces")
        ax.set_title("Pieces double with each layer", loc="left")
        ax.yaxis.set_major_locator(FixedLocator([2.0**k for k in range(0, 12, 2)]))
        ax.yaxis.set_major_formatter(lambda v, _: f"{int(v)}")
        ax.legend(loc="upper left", fontsize=9)
        bx.set_yscale("log")
        bx.plot(m, [r.max_error for r in deep], "-o", **deep_look, label="deep, largest error")
        bx.plot(
            m,
            [r.best_rmse for r in deep],
            "-o",
            color=prediction_color(dark),
            ms=4,
            lw=1.2,
            mfc=theme["bg"],
            label="deep, RMS error (best output shift)",
        )
        if shallow is not None:
            d = np.array(shallow.depths)
            bx.plot(d, shallow.best_rmse, "-s", **shallow_look, label="shallow, best possible RMS")
            med = np.median(shallow.trained_rmse, axis=1)
            bx.plot(d, med, ":", color=SECONDARY, lw=1.6)
            for j in range(shallow.trained_rmse.shape[1]):
                bx.scatter(
                    d, shallow.trained_rmse[:, j], s=14, color=SECONDARY, alpha=0.45, linewidths=0
                )
            n_seeds = shallow.trained_rmse.shape[1]
            bx.plot(
                [],
                [],
                ":o",
                color=SECONDARY,
                lw=1.6,
                ms=4,
                mew=0,
                alpha=0.8,
                label=f"shallow, trained ({n_seeds} seeds, median)",
            )
        decade_log_ticks(bx)
        bx.set_xlabel("depth $m$ (hidden layers)")
        bx.set_ylabel("error on $x^2$, $[0, 1]$")
        bx.set_title("Error falls 4x per layer", loc="left")
        fig.legend(
            handles=bx.get_legend_handles_labels()[0], loc="outside lower right", ncol=2, fontsize=9
        )
        for a in (ax, bx):
            a.set_xticks(m)
        fig.set_label(
            "Linear pieces and error against depth: the hand-built deep ReLU net doubles its "
            "pieces and divides its error by 4 with each layer; one-hidden-layer nets with as "
            "many parameters gain pieces linearly."
        )
    return fig
