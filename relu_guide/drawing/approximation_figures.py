"""Figures of the approximation chapter: hats from ramps, error against units, steep ramps.

Examples
--------
>>> from relu_guide.drawing.approximation_figures import hat_figure
>>> len(hat_figure().axes)
2
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from relu_guide.core.approximation import hat, hat_net, interpolating_net
from relu_guide.core.targets import get_target
from relu_guide.drawing.axes import label_panel
from relu_guide.drawing.style import (
    OKABE_ITO,
    TARGET,
    figure_style,
    prediction_color,
    redrawable,
    theme_colors,
    unit_colors,
)
from relu_guide.studies.approximation import ApproximationStudy

__all__ = ["approximation_errors_figure", "hat_figure", "steep_ramps_figure"]

_TITLES = {
    "sin": r"$\sin(x)$: smooth",
    "abs": r"$|x|$: a kink",
    "step": r"$\mathbb{1}[x > 0]$: a jump",
}


@redrawable
def hat_figure(target: str = "sin", units: int = 8, *, dark: bool = False) -> Figure:
    """Left: three ramps and their sum, a hat. Right: hats at the knots, scaled by the target's
    values there, summing to the linear interpolant (the net of :func:`interpolating_net`)."""
    theme = theme_colors(dark)
    f = get_target(target)
    with figure_style(dark):
        fig, (a, b) = plt.subplots(1, 2, figsize=(10.0, 3.9), layout="constrained")
        x = np.linspace(-2.5, 2.5, 1001)
        net = hat_net(-1.0, 0.0, 1.0)
        colors = unit_colors(3, dark)
        for j, (label, c) in enumerate(
            zip(
                (r"$\mathrm{relu}(x+1)$", r"$-2\,\mathrm{relu}(x)$", r"$\mathrm{relu}(x-1)$"),
                colors,
                strict=True,
            )
        ):
            a.plot(
                x,
                net.w2[j] * np.maximum(net.w1[j] * x + net.b1[j], 0),
                color=c,
                lw=1.6,
                ls="--",
                label=label,
            )
        a.plot(x, net(x), color=prediction_color(dark), lw=2.6, label="their sum: a hat")
        a.set_ylim(-2.2, 2.2)
        label_panel(a, "three ramps make a hat", xlabel="x", legend="lower left")
        lo, hi = -5.0, 5.0
        knots = np.linspace(lo, hi, units + 1)
        xs = np.linspace(lo, hi, 2001)
        spaced = np.concatenate([[2 * knots[0] - knots[1]], knots, [2 * knots[-1] - knots[-2]]])
        for i, k in enumerate(knots):
            b.plot(
                xs,
                f(np.array(k)) * hat(xs, spaced[i], k, spaced[i + 2]),
                color=theme["muted"],
                lw=1.0,
            )
        b.plot(xs, f(xs), color=TARGET, ls="--", lw=1.8, label=f"target ${f.latex}$")
        b.plot(xs, interpolating_net(target, units)(xs), color=prediction_color(dark), lw=2.2,
               label=f"sum of {units + 1} hats = a net of {units} units")  # fmt: skip
        b.scatter(knots, f(knots), color=prediction_color(dark), s=18, zorder=3)
        b.set_title(
            "scaled hats (grey) sum to the interpolant",
            loc="left",
            fontsize=11,
        )
        b.set_ylim(-1.75, 1.15)
        b.legend(loc="lower center", fontsize=9, ncol=2)
        b.set_xlabel("x")
        fig.set_label(
            "First panel: relu(x+1) - 2 relu(x) + relu(x-1) is a hat. Second: hats at evenly spaced knots, "
            f"scaled by {target} at the knots, sum to the linear interpolant of {target}, which a "
            f"ReLU net of {units} units computes."
        )
    return fig


@redrawable
def approximation_errors_figure(
    study: ApproximationStudy, *, min_units: int = 9, dark: bool = False
) -> Figure:
    """Mean squared error against units, log-log, one panel per target: the interpolant (line)
    and trained nets (median, one dot per seed), with the fitted slopes from ``min_units`` on."""
    u = np.array(study.units)
    trained_color = OKABE_ITO["orange"]
    with figure_style(dark):
        fig, axes = plt.subplots(
            1, len(study.targets), figsize=(10.5, 3.8), layout="constrained", sharex=True
        )
        for ax, t, hand, trained in zip(
            np.atleast_1d(axes), study.targets, study.hand_built, study.trained, strict=True
        ):
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            p_hand = study.slope(t, "hand_built", min_units)
            p_trained = study.slope(t, "trained", min_units)
            ax.plot(
                u,
                hand,
                "o-",
                color=prediction_color(dark),
                label=f"interpolant, slope {p_hand:.1f}",
            )
            for k, row in enumerate(trained):
                ax.scatter(np.full(len(row), u[k]) * np.exp(np.linspace(-0.08, 0.08, len(row))), row,
                           s=8, color=trained_color, alpha=0.5, lw=0)  # fmt: skip
            ax.plot(
                u,
                np.median(trained, axis=1),
                "s-",
                color=trained_color,
                label=f"trained, slope {p_trained:.1f}",
            )
            ax.set_xticks(u, [str(v) for v in u])
            ax.minorticks_off()
            label_panel(ax, _TITLES.get(t, t), xlabel="hidden units", legend="lower left")
        np.atleast_1d(axes)[0].set_ylabel("mean squared error")
        fig.set_label(
            "Mean squared error against the number of units, log-log, for sin, |x| and a step: the "
            "linear interpolant falls with slopes near -4, -3 and -1; trained nets (one dot per seed) "
            "fall more slowly."
        )
    return fig


@redrawable
def steep_ramps_figure(study: ApproximationStudy, *, dark: bool = False) -> Figure:
    """For the step: the steepest slope of the interpolant (grows like the units) and of trained
    nets during training (median over seeds, one line per width), still climbing at the end."""
    theme = theme_colors(dark)
    i = study.targets.index("step")
    u = np.array(study.units)
    colors = unit_colors(len(u), dark)
    with figure_style(dark):
        fig, (a, b) = plt.subplots(1, 2, figsize=(10.0, 3.9), layout="constrained")
        x = np.linspace(-1.5, 1.5, 1201)
        a.plot(x, get_target("step")(x), color=TARGET, ls="--", lw=1.8, label="step")
        for c, n in zip(colors, u, strict=True):
            a.plot(
                x,
                interpolating_net("step", int(n))(x),
                color=c,
                lw=1.6,
                label=f"interpolant, {n} units",
            )
        label_panel(a, "the ramp across the jump gets steeper", xlabel="x", legend="upper left")
        for c, n, steep in zip(colors, u, study.steepest[i], strict=True):
            b.plot(
                study.steps, np.median(steep, axis=0), color=c, lw=2, label=f"trained, {n} units"
            )
            b.axhline(n / 10.0, color=c, ls=":", lw=1.2)
        b.text(0.99, 0.02, "dotted: the interpolant's slope, units / 10", transform=b.transAxes,
               ha="right", va="bottom", fontsize=9, color=theme["muted"])  # fmt: skip
        label_panel(
            b,
            "trained nets keep steepening (median over seeds)",
            xlabel="training step",
            ylabel="steepest slope of the output",
            legend="upper left",
        )
        fig.set_label(
            "First panel: interpolants of a step with more units have steeper ramps across the jump. "
            "Second: the steepest slope of trained nets' outputs grows during training and is still growing "
            "at the end."
        )
    return fig
