"""Figures of the gradient study: per-layer gradient norms, and one net fitted with each activation."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from relu_guide.core.training import Run
from relu_guide.drawing.axes import decade_log_ticks, two_rows
from relu_guide.drawing.style import (
    OKABE_ITO,
    TARGET,
    figure_style,
    redrawable,
    theme_colors,
)
from relu_guide.drawing.style import unit_colors as _unit_colors
from relu_guide.studies.gradients import GradientStudy

__all__ = ["CONFIG_COLORS", "activation_fits_figure", "gradient_norms_figure"]


#: Colour of each configuration of the gradient study, by label.
CONFIG_COLORS: dict[str, str] = {
    "sigmoid": OKABE_ITO["purple"],
    "tanh": OKABE_ITO["orange"],
    "ReLU": OKABE_ITO["blue"],
    "leaky ReLU": OKABE_ITO["sky"],
    "ReLU, He init": OKABE_ITO["green"],
}


@redrawable
def gradient_norms_figure(studies: Sequence[GradientStudy], *, dark: bool = False) -> Figure:
    """Gradient norm of every layer: at initialisation (top), and over training (bottom).

    Top: median over seeds of ``||dL/dW_i||`` for every layer ``i``, log scale. Bottom: one
    panel per configuration (up to three a row), layers up, training steps across, the colour
    the median norm (one shared log colour scale), titled with the median final error.

    Examples
    --------
    >>> from relu_guide.studies.gradients import vanishing_gradient_study
    >>> studies = vanishing_gradient_study([("tanh", "tanh", 1.0)], seeds=1, steps=4, every=2)
    >>> len(gradient_norms_figure(studies).axes)  # profile, one map, colour bar
    3
    """

    # up to three maps a row: six side by side left a phone's column no room for their names
    rows = 1 if len(studies) <= 3 else 2
    cols = -(-len(studies) // rows)
    with figure_style(dark):
        fig = plt.figure(figsize=(7.0, 6.0 + 1.6 * (rows - 1)), layout="constrained")
        top, bottom = two_rows(fig, (1.1, 1.0 * rows))
        ax = top.subplots()
        grid = bottom.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
        maps = list(grid.ravel()[: len(studies)])
        for extra in grid.ravel()[len(studies) :]:
            extra.remove()
        colors = [
            CONFIG_COLORS.get(s.label, c)
            for s, c in zip(studies, _unit_colors(len(studies)), strict=True)
        ]
        n_layers = studies[0].record.norms.shape[2]
        layers = np.arange(1, n_layers + 1)
        for s, color in zip(studies, colors, strict=True):
            ax.plot(layers, s.median_norms[0], "-o", color=color, ms=5, label=s.label)
        ax.set_yscale("log")
        decade_log_ticks(ax)
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
        for row in grid:
            row[0].set_ylabel("layer")
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
        top, bottom = two_rows(fig, (1.0, 1.05))
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
