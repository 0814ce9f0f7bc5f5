"""Figures of the studies beyond the seed: results in, :class:`~matplotlib.figure.Figure` out.

Each function only draws: the numbers come from :mod:`relu_guide.studies.engine`,
:mod:`relu_guide.studies.gradients`, :mod:`relu_guide.core.sawtooth` and :mod:`relu_guide.core.piecewise`, computed
beforehand and passed in, so a page can check the very numbers a figure shows.

Examples
--------
>>> from relu_guide.core.sawtooth import depth_table
>>> from relu_guide.drawing.study_figures import sawtooth_figure
>>> fig = sawtooth_figure((1, 2, 3))
>>> len(fig.axes)
6
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, LogLocator, NullFormatter, NullLocator

from relu_guide.core.analysis import best_affine_mse, kinks
from relu_guide.core.sawtooth import DepthRow, sawtooth, square_approximation
from relu_guide.core.training import Run
from relu_guide.drawing.style import (
    OKABE_ITO,
    SECONDARY,
    TARGET,
    figure_style,
    prediction_color,
    redrawable,
    theme_colors,
)
from relu_guide.drawing.style import unit_colors as _unit_colors
from relu_guide.studies.dead import OUTCOMES, Census
from relu_guide.studies.depth import ShallowComparison
from relu_guide.studies.gradients import GradientStudy
from relu_guide.studies.widths import WidthSweep

__all__ = [
    "activation_fits_figure",
    "census_figure",
    "depth_figure",
    "gradient_norms_figure",
    "kink_paths_figure",
    "sawtooth_figure",
    "width_sweep_figure",
]

#: Colour of each outcome of :func:`relu_guide.studies.dead.outcome`.
OUTCOME_COLORS: dict[str, str] = {
    "both sides": OKABE_ITO["green"],
    "one side": OKABE_ITO["sky"],
    "always on": OKABE_ITO["purple"],
    "dead": OKABE_ITO["vermillion"],
}
#: Marker of each outcome (shape as well as colour).
OUTCOME_MARKERS: dict[str, str] = {
    "both sides": "o",
    "one side": "s",
    "always on": "^",
    "dead": "X",
}
#: Colour of each configuration of the gradient study, by label.
CONFIG_COLORS: dict[str, str] = {
    "sigmoid": OKABE_ITO["purple"],
    "tanh": OKABE_ITO["orange"],
    "ReLU": OKABE_ITO["blue"],
    "leaky ReLU": OKABE_ITO["sky"],
    "ReLU, He init": OKABE_ITO["green"],
}


def _log_ticks(ax: Axes, axis: str = "y") -> None:
    """Decade ticks, labelled as powers of ten, minor ticks unlabelled."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(LogLocator(base=10, numticks=12))
    subs = [k / 10 for k in range(2, 10)]
    target.set_minor_locator(LogLocator(base=10, subs=subs, numticks=12))
    target.set_minor_formatter(NullFormatter())


def _two_rows(fig: Figure, ratios: tuple[float, float]) -> tuple[SubFigure, SubFigure]:
    """Two stacked sub-figures with the given height ratios."""
    top, bottom = np.ravel(fig.subfigures(2, 1, height_ratios=ratios))  # type: ignore[arg-type]
    return top, bottom


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
        _log_ticks(ax)
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


@redrawable
def census_figure(
    censuses: Sequence[Census],
    *,
    best: float | None = None,
    mark_step: int | None = None,
    dark: bool = False,
) -> Figure:
    """Final error of every seed, coloured by outcome (left), and the loss over training (right).

    Parameters
    ----------
    censuses : sequence of Census
        One per activation (:func:`relu_guide.studies.dead.dead_relu_census`).
    best : float, optional
        The best error a net of this width can reach, drawn as a line.
    mark_step : int, optional
        A training step to mark on the right panel (the guide's usual 1000, say).

    Examples
    --------
    >>> from relu_guide.studies.dead import dead_relu_census
    >>> fig = census_figure(dead_relu_census(seeds=3, steps=30))
    >>> len(fig.axes)
    2
    """
    theme = theme_colors(dark)
    rng = np.random.default_rng(0)
    with figure_style(dark):
        fig, (ax, bx) = plt.subplots(
            1, 2, figsize=(7.0, 4.0), layout="constrained", width_ratios=(1.0, 1.25)
        )
        ax.set_yscale("log")
        bx.set_yscale("log")
        for i, census in enumerate(censuses):
            for o in OUTCOMES:
                idx = [k for k, v in enumerate(census.outcomes) if v == o]
                if not idx:
                    continue
                xs = i + rng.uniform(-0.22, 0.22, len(idx))
                ax.scatter(
                    xs,
                    census.losses[idx],
                    s=30,
                    marker=OUTCOME_MARKERS[o],
                    color=OUTCOME_COLORS[o],
                    alpha=0.85,
                    linewidths=0,
                    zorder=3,
                )
        ax.set_xticks(
            range(len(censuses)),
            [f"{c.label}\n{c.counts['both sides']} of {len(c.runs)}\nboth sides" for c in censuses],
            fontsize=10,
        )
        ax.set_xlim(-0.6, len(censuses) - 0.4)
        ax.grid(axis="x", visible=False)
        handles = [
            Line2D([], [], ls="", marker=OUTCOME_MARKERS[o], color=OUTCOME_COLORS[o], ms=6, label=o)
            for o in OUTCOMES
        ]
        if best is not None:
            for a in (ax, bx):
                a.axhline(best, color=theme["muted"], lw=1.0, ls=":", zorder=1)
            handles.append(
                Line2D([], [], color=theme["muted"], lw=1.0, ls=":", label="best possible")
            )
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=len(handles),
            fontsize=9.5,
            handletextpad=0.2,
            columnspacing=1.2,
        )
        ax.set_ylabel("final mean squared error")
        steps = censuses[0].runs[0].steps[-1]
        ax.set_title(f"Final error after {steps} steps", loc="left")
        _log_ticks(ax)
        colors = [prediction_color(dark), SECONDARY, OKABE_ITO["green"], OKABE_ITO["purple"]]
        for census, color in zip(censuses, colors, strict=False):
            steps = census.runs[0].steps
            curves = np.array([r.losses for r in census.runs])
            for c in curves:
                bx.plot(steps, c, color=color, lw=0.6, alpha=0.18)
            bx.plot(
                steps,
                np.median(curves, axis=0),
                color=color,
                lw=2.4,
                label=f"{census.label}, median",
            )
        bx.set_xlim(0, census.runs[0].steps[-1])
        if mark_step is not None:
            bx.axvline(mark_step, color=theme["muted"], lw=1.0, ls="--", zorder=1)
            bx.text(
                mark_step,
                0.02,
                f" step {mark_step}",
                transform=bx.get_xaxis_transform(),
                color=theme["muted"],
                fontsize=9,
                va="bottom",
            )
        bx.set_xlabel("training step")
        bx.set_title("Loss over training, every seed", loc="left")
        bx.legend(loc="upper right")
        _log_ticks(bx)
        lo = min(float(np.min([r.losses for c in censuses for r in c.runs])), best or np.inf)
        hi = float(np.max([r.losses for c in censuses for r in c.runs]))
        for a in (ax, bx):
            a.set_ylim(lo / 1.8, hi * 1.8)
        fig.set_label(
            "Final errors of many seeds of a two-unit net, coloured by where its kinks ended, "
            "and the loss of every seed over training, for "
            + " and ".join(c.label for c in censuses)
            + "."
        )
    return fig


@redrawable
def gradient_norms_figure(studies: Sequence[GradientStudy], *, dark: bool = False) -> Figure:
    """Gradient norm of every layer: at initialisation (top), and over training (bottom).

    Top: median over seeds of ``||dL/dW_i||`` for every layer ``i``, log scale. Bottom: one
    panel per configuration, layers up, training steps across, the colour the median norm (one
    shared log colour scale), titled with the median final error.

    Examples
    --------
    >>> from relu_guide.studies.gradients import vanishing_gradient_study
    >>> studies = vanishing_gradient_study([("tanh", "tanh", 1.0)], seeds=1, steps=4, every=2)
    >>> len(gradient_norms_figure(studies).axes)  # profile, one map, colour bar
    3
    """
    import matplotlib as mpl

    with figure_style(dark):
        fig = plt.figure(figsize=(7.0, 6.0), layout="constrained")
        top, bottom = _two_rows(fig, (1.1, 1.0))
        ax = top.subplots()
        maps = bottom.subplots(1, len(studies), sharey=True, squeeze=False)[0]
        colors = [
            CONFIG_COLORS.get(s.label, c)
            for s, c in zip(studies, _unit_colors(len(studies)), strict=True)
        ]
        n_layers = studies[0].record.norms.shape[2]
        layers = np.arange(1, n_layers + 1)
        for s, color in zip(studies, colors, strict=True):
            ax.plot(layers, s.median_norms[0], "-o", color=color, ms=5, label=s.label)
        ax.set_yscale("log")
        _log_ticks(ax)
        ax.set_xticks(layers, [f"{i}" for i in layers])
        ax.set_xlabel("layer (1 = next to the input)")
        ax.set_ylabel(r"$\|\partial L / \partial W_i\|$")
        exp = studies[0].record.runs[0].experiment
        ax.set_title(
            f"At initialisation: {len(exp.hidden)} hidden layers of {exp.hidden[0]} units",
            loc="left",
        )
        ax.legend(loc="lower right", ncol=2, fontsize=9.5)
        logs = [np.log10(s.median_norms).T for s in studies]  # (layers, records)
        vmin = float(np.floor(min(np.min(v) for v in logs)))
        vmax = float(np.ceil(max(np.max(v) for v in logs)))
        norm = mpl.colors.Normalize(vmin, vmax)
        steps = studies[0].record.steps
        image = None
        for bx, s, v in zip(maps, studies, logs, strict=True):
            image = bx.imshow(
                v,
                origin="lower",
                aspect="auto",
                cmap="viridis",
                norm=norm,
                extent=(0, float(steps[-1]), 0.5, n_layers + 0.5),
                interpolation="nearest",
            )
            final = float(np.median(s.final_losses))
            bx.set_title(f"{s.label}\nMSE {final:.3g}", loc="left", fontsize=9.5)
            bx.grid(False)
            bx.set_xticks([0, float(steps[-1])], ["0", f"{int(steps[-1] + 1)}"])
            bx.tick_params(labelsize=9)
        maps[0].set_ylabel("layer")
        maps[0].set_yticks([1, n_layers])
        bottom.supxlabel("training step", fontsize=11)
        assert image is not None
        bar = bottom.colorbar(image, ax=list(maps), shrink=0.9, pad=0.02)
        bar.set_label(r"$\log_{10} \|\partial L / \partial W_i\|$", fontsize=10)
        bar.ax.tick_params(labelsize=9)
        fig.set_label(
            "Per-layer gradient norms of deep narrow nets with "
            + ", ".join(s.label for s in studies)
            + ": at initialisation, and as colour maps over training."
        )
    return fig


@redrawable
def activation_fits_figure(runs: Sequence[Run], *, dark: bool = False) -> Figure:
    """The same net trained on the same task with each activation: fits, then their errors.

    Top: one small panel per run, the target dashed and the final fit. Bottom: every run's
    error ``network - target`` on one axis, in the run's colour.

    Examples
    --------
    >>> from relu_guide.studies.gradients import activation_fits
    >>> len(activation_fits_figure(activation_fits(("tanh", "relu"), steps=20)).axes)
    3
    """
    theme = theme_colors(dark)
    n = len(runs)
    colors = [
        CONFIG_COLORS.get(r.experiment.activation_fn.label, c)
        for r, c in zip(runs, _unit_colors(n), strict=True)
    ]
    with figure_style(dark):
        fig = plt.figure(figsize=(7.0, 5.4), layout="constrained")
        top, bottom = _two_rows(fig, (1.0, 1.05))
        axes = top.subplots(1, n, sharey=True, squeeze=False)[0]
        ex = bottom.subplots()
        exp = runs[0].experiment
        x = np.linspace(*exp.domain, 801)
        y = exp.target_fn(x)
        for ax, run, color in zip(axes, runs, colors, strict=True):
            ax.plot(x, y, color=TARGET, ls="--", lw=1.8)
            ax.plot(x, run.predict(x), color=color, lw=2.0)
            ax.set_title(run.experiment.activation_fn.label, loc="left", fontsize=10.5)
            ax.text(
                0.5,
                0.97,
                f"MSE {run.losses[-1]:.2g}",
                transform=ax.transAxes,
                ha="center",
                va="top",
                fontsize=9,
            )
            ax.tick_params(labelsize=9)
            ax.set_xticks([exp.domain[0], 0, exp.domain[1]])
            ex.plot(
                x, run.predict(x) - y, color=color, lw=1.6, label=run.experiment.activation_fn.label
            )
        ex.axhline(0.0, color=theme["muted"], lw=1.0)
        ex.set_xlim(*exp.domain)
        ex.set_xlabel("$x$")
        ex.set_ylabel("network $-$ target")
        ex.set_title("Their errors: smooth waves, or arcs that meet at kinks", loc="left")
        ex.legend(loc="upper center", ncol=n, fontsize=9.5)
        lim = float(np.max([np.abs(r.predict(x) - y).max() for r in runs]))
        ex.set_ylim(-1.15 * lim, 1.45 * lim)
        top.suptitle(
            f"{exp.describe().replace(exp.activation_fn.label, 'act')} on "
            f"${exp.target_fn.latex}$, {exp.steps} SGD steps, same seed",
            x=0.01,
            ha="left",
            fontsize=11,
        )
        fig.set_label(
            "The same network fitted to the same target with "
            + ", ".join(r.experiment.activation_fn.label for r in runs)
            + ": final fits, and their errors on one axis."
        )
    return fig


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
        ax.plot(
            m,
            [r.pieces for r in deep],
            "-o",
            color=prediction_color(dark),
            ms=5,
            label="deep: $m$ layers of 3 units",
        )
        ax.plot(
            m,
            4 * m,
            "-s",
            color=SECONDARY,
            ms=5,
            label="shallow, same parameters:\n$4m - 1$ units, $\\leq 4m$ pieces",
        )
        ax.set_xlabel("depth $m$ (hidden layers)")
        ax.set_ylabel("linear pieces")
        ax.set_title("Pieces double with each layer", loc="left")
        ax.yaxis.set_major_locator(FixedLocator([2.0**k for k in range(0, 12, 2)]))
        ax.yaxis.set_major_formatter(lambda v, _: f"{int(v)}")
        ax.legend(loc="upper left", fontsize=9)
        bx.set_yscale("log")
        bx.plot(
            m,
            [r.max_error for r in deep],
            "-o",
            color=prediction_color(dark),
            ms=5,
            label="deep, largest error",
        )
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
            bx.plot(
                d,
                shallow.best_rmse,
                "-s",
                color=SECONDARY,
                ms=5,
                label="shallow, best possible RMS",
            )
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
        _log_ticks(bx)
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


@redrawable
def kink_paths_figure(run: Run, *, optimal: np.ndarray | None = None, dark: bool = False) -> Figure:
    """Where each unit's kink travels during training, and where it ends (a kink census).

    Each hidden unit is a line of its colour: x is the kink ``-b1/w1``, upward is training
    (on a square-root scale, so that the fast start is visible). At the top, each unit's final
    state: a dot where it bends inside the domain; units whose kink left the domain are shown
    in the grey margins, a cross if dead, a triangle if always on.

    Parameters
    ----------
    run : Run
        A one-hidden-layer ReLU run.
    optimal : ndarray, optional
        Knot positions to compare with (the best fit's), drawn as grey ticks above the top.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> fig = kink_paths_figure(train(Experiment(hidden=(3,), steps=20, frames=4)))
    >>> len(fig.axes)
    1
    """
    theme = theme_colors(dark)
    exp = run.experiment
    lo, hi = exp.domain
    span = hi - lo
    w1 = run.weights[0][:, :, 0].astype(float)
    b1 = run.biases[0].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        xk = -b1 / w1
    n_units = w1.shape[1]
    colors = _unit_colors(n_units)
    final = kinks(run)
    top = float(run.steps[-1])
    markers = {"kink": "o", "dead": "X", "always on": "^"}
    with figure_style(dark):
        fig, ax = plt.subplots(figsize=(7.0, 4.4), layout="constrained")
        ax.set_yscale("function", functions=(np.sqrt, np.square))
        margin = 0.13 * span
        for x0, x1 in ((lo - margin, lo), (hi, hi + margin)):
            ax.axvspan(x0, x1, color=theme["grid"], alpha=0.6, lw=0, zorder=0)
        ax.text(
            lo - margin / 2,
            top * 0.5,
            "outside",
            rotation=90,
            ha="center",
            va="center",
            color=theme["muted"],
            fontsize=9,
        )
        ax.text(
            hi + margin / 2,
            top * 0.5,
            "outside",
            rotation=90,
            ha="center",
            va="center",
            color=theme["muted"],
            fontsize=9,
        )
        for j in range(n_units):
            path = np.where((xk[:, j] > lo) & (xk[:, j] < hi), xk[:, j], np.nan)
            ax.plot(path, run.steps, color=colors[j], lw=1.6, alpha=0.9)
        left = right = 0
        for k in final:
            if k.state == "kink":
                x = k.x
            elif np.isfinite(k.x) and k.x > hi:
                right += 1
                x = hi + margin * (0.2 + 0.2 * (right - 1))
            else:
                left += 1
                x = lo - margin * (0.2 + 0.2 * (left - 1))
            ax.plot(
                [x],
                [top],
                marker=markers[k.state],
                color=colors[k.unit],
                ms=8,
                ls="",
                mec=theme["bg"],
                mew=0.8,
                clip_on=False,
                zorder=4,
            )
        if optimal is not None:
            for x in np.ravel(optimal):
                ax.plot(
                    [x, x],
                    [1.03, 1.07],
                    transform=ax.get_xaxis_transform(),
                    color=theme["muted"],
                    lw=1.4,
                    clip_on=False,
                )
            ax.text(
                hi,
                1.09,
                "best-fit knots",
                transform=ax.get_xaxis_transform(),
                color=theme["muted"],
                fontsize=9,
                ha="right",
                va="bottom",
            )
        counts = {s: sum(k.state == s for k in final) for s in markers}
        ax.set_xlim(lo - margin, hi + margin)
        ax.set_ylim(0, top)
        ax.set_xlabel("kink position $x = -b_1 / w_1$")
        ax.set_ylabel("training step")
        ax.set_title(
            f"{n_units} units: {counts['kink']} bend inside, {counts['dead']} dead, "
            f"{counts['always on']} always on",
            loc="left",
            pad=22 if optimal is not None else 6,
        )
        handles = [
            Line2D([], [], marker=mk, ls="", color=theme["muted"], ms=7, label=lab)
            for mk, lab in (("o", "bends inside"), ("X", "dead"), ("^", "always on"))
        ]
        fig.legend(handles=handles, loc="outside lower center", ncol=3)
        fig.set_label(
            f"Paths of the {n_units} kinks of {exp.describe()} during training; at the end "
            f"{counts['kink']} bend inside the domain, {counts['dead']} are dead and "
            f"{counts['always on']} always on."
        )
    return fig
