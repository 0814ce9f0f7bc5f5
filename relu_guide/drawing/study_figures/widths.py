"""The figure of the width study: error against width, SGD against the best possible net."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from relu_guide.core.analysis import best_affine_mse
from relu_guide.drawing.axes import decade_log_ticks
from relu_guide.drawing.style import (
    SECONDARY,
    figure_style,
    prediction_color,
    redrawable,
    theme_colors,
)
from relu_guide.studies.widths import WidthSweep

__all__ = ["width_sweep_figure"]


@redrawable
def width_sweep_figure(sweep: WidthSweep, *, min_width: int = 8, dark: bool = False) -> Figure:
    """Error against width on log-log axes: every seed of SGD, their median, the best possible.

    Fitted power laws (over widths ``>= min_width``) are drawn as thin lines, their slopes in
    the legend; the best error any affine function reaches is the ceiling.

    Examples
    --------
    >>> from relu_guide.studies.widths import width_sweep
    >>> fig = width_sweep_figure(width_sweep((2, 4, 8), seeds=2, steps=50), min_width=2)
    >>> fig.axes[0].get_xscale(), fig.axes[0].get_yscale()
    ('log', 'log')
    """
    theme = theme_colors(dark)
    w = np.array(sweep.widths, dtype=float)
    with figure_style(dark):
        fig, ax = plt.subplots(figsize=(7.0, 4.4), layout="constrained")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ceiling = best_affine_mse(
            sweep.runs[0].experiment.target_fn, sweep.runs[0].experiment.domain
        )
        ax.axhline(ceiling, color=theme["muted"], lw=1.2, ls=":", zorder=1)
        ax.text(
            w[-1],
            ceiling * 1.25,
            "best straight line",
            color=theme["muted"],
            fontsize=9.5,
            ha="right",
            va="bottom",
        )
        # Every seed, jittered a little sideways so that equal errors stay visible.
        n_seeds = len(sweep.seeds)
        jitter = 2.0 ** (np.linspace(-0.12, 0.12, n_seeds) if n_seeds > 1 else np.zeros(1))
        for j in range(n_seeds):
            ax.scatter(
                w * jitter[j],
                sweep.losses[:, j],
                s=16,
                color=prediction_color(dark),
                alpha=0.35,
                linewidths=0,
                zorder=3,
            )
        keep = w >= min_width
        fits = {}
        for name, y in (("sgd", sweep.median), ("best", sweep.best)):
            slope, icpt = np.polyfit(np.log(w[keep]), np.log(y[keep]), 1)
            fits[name] = slope
            xs = np.array([w[keep][0] / 1.3, w[keep][-1] * 1.3])
            ax.plot(
                xs,
                np.exp(icpt) * xs**slope,
                color=prediction_color(dark) if name == "sgd" else SECONDARY,
                lw=1.0,
                ls="--",
                zorder=2,
            )
        ax.plot(
            w,
            sweep.median,
            "-o",
            color=prediction_color(dark),
            ms=6,
            zorder=4,
            label=f"SGD, median of {n_seeds} seeds (slope {fits['sgd']:.1f})",
        )
        ax.plot(
            w,
            sweep.best,
            "-D",
            color=SECONDARY,
            ms=5.5,
            zorder=4,
            label=f"best possible net (slope {fits['best']:.1f})",
        )
        ax.scatter(
            [],
            [],
            s=16,
            color=prediction_color(dark),
            alpha=0.35,
            linewidths=0,
            label="SGD, each seed",
        )
        ax.set_xticks(w, [str(int(v)) for v in w])
        ax.xaxis.set_minor_locator(NullLocator())
        decade_log_ticks(ax)
        ax.set_xlabel("hidden units (width)")
        ax.set_ylabel("mean squared error on $x^2$")
        ax.set_title("What SGD found, and the best a net of that width can do", loc="left")
        # How far SGD stays from the best, at the widest net.
        gap = float(sweep.median[-1] / sweep.best[-1])
        ax.annotate(
            "",
            xy=(w[-1] * 1.22, sweep.best[-1]),
            xytext=(w[-1] * 1.22, sweep.median[-1]),
            arrowprops={"arrowstyle": "<->", "color": theme["fg"], "lw": 1.0},
        )
        ax.text(
            w[-1] * 1.3,
            np.sqrt(sweep.best[-1] * sweep.median[-1]),
            f"×{gap:,.0f}",
            color=theme["fg"],
            fontsize=10,
            va="center",
        )
        ax.set_xlim(w[0] / 1.35, w[-1] * 2.1)
        ax.legend(
            loc="lower left",
            title=f"slopes fitted over widths ≥ {min_width}",
            title_fontsize=9,
            alignment="left",
        )
        low = min(float(np.min(sweep.best)), float(np.min(sweep.losses)))
        ax.set_ylim(low / 4, ceiling * 4)
        fig.set_label(
            "Log-log plot of mean squared error against width: SGD's errors fall slowly "
            f"(slope {fits['sgd']:.1f}) while the best possible falls steeply "
            f"(slope {fits['best']:.1f})."
        )
    return fig
