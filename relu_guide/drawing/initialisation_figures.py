"""Figures of the initialisation chapter: symmetric starts, kinks at step 0, depth spread.

Examples
--------
>>> from relu_guide.studies.initialisation import initial_kinks
>>> from relu_guide.drawing.initialisation_figures import initial_kinks_figure
>>> len(initial_kinks_figure(initial_kinks(range(5))).axes)
2
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from relu_guide.core.training import Run
from relu_guide.drawing.axes import label_panel
from relu_guide.drawing.style import (
    OKABE_ITO,
    figure_style,
    redrawable,
    theme_colors,
    unit_colors,
)
from relu_guide.studies.initialisation import DepthSpread, InitialKinks, kink_density, kink_spread

__all__ = ["depth_spread_figure", "initial_kinks_figure", "symmetry_figure"]


def _kinks(run: Run) -> np.ndarray:
    w = run.weights[0][:, :, 0].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(-run.biases[0].astype(float) / w)


@redrawable
def symmetry_figure(
    runs: dict[float, list[Run]], random: Sequence[Run], *, seed_index: int = 0, dark: bool = False
) -> Figure:
    """Left: every unit's kink during training for one seed, from identical units, from
    identical units nudged by the smallest perturbation, and from torch's random start.
    Middle: how far apart the kinks get (median over seeds). Right: the error."""
    theme = theme_colors(dark)
    eps = sorted(runs)
    tiny = min(e for e in eps if e > 0)
    with figure_style(dark):
        fig, axes = plt.subplots(1, 3, figsize=(11.0, 3.9), layout="constrained")
        a, b, c = axes
        starts = [("identical units", runs[0.0][seed_index]), (f"nudged by {tiny:g}", runs[tiny][seed_index]),
                  ("random (torch default)", random[seed_index])]  # fmt: skip
        n = runs[0.0][seed_index].experiment.hidden[0]
        colors = unit_colors(n, dark)
        offsets = (0.0, 1.0, 2.0)
        for (label, run), off in zip(starts, offsets, strict=True):
            k = _kinks(run)
            for j in range(n):
                a.plot(
                    np.clip(k[:, j], -6, 6),
                    run.steps + off * run.steps[-1] * 1.15,
                    color=colors[j],
                    lw=1.3,
                )
            a.text(
                -5.9,
                off * run.steps[-1] * 1.15 + run.steps[-1] * 0.5,
                label,
                fontsize=9,
                color=theme["fg"],
                va="center",
            )
        a.set_yticks([])
        a.set_xlim(-6, 6)
        seed = runs[0.0][seed_index].experiment.seed
        label_panel(
            a, f"where the kinks go (seed {seed})", xlabel="kink −b/w (training runs upward)"
        )
        palette = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"]]
        for e, color in zip([e for e in eps if e > 0], palette, strict=False):
            spread = np.median([kink_spread(r) for r in runs[e]], axis=0)
            b.plot(runs[e][0].steps, spread, color=color, label=f"nudged by {e:g}")
        zero = max(float(np.max([kink_spread(r) for r in runs[0.0]])), 0.0)
        b.set_yscale("log")
        label_panel(
            b,
            f"identical units: exactly {zero:g}, always",
            xlabel="training step",
            ylabel="largest distance between two kinks",
            legend="lower right",
        )
        for e, color in zip(eps, [theme["fg"], *palette], strict=False):
            label = "identical units" if e == 0 else f"nudged by {e:g}"
            ls = "-" if e == 0 else "--"
            c.plot(
                runs[e][0].steps,
                np.median([r.losses for r in runs[e]], axis=0),
                color=color,
                ls=ls,
                label=label,
            )
        c.plot(
            random[0].steps,
            np.median([r.losses for r in random], axis=0),
            color=OKABE_ITO["vermillion"],
            label="random start",
        )
        c.set_yscale("log")
        label_panel(
            c,
            "the error",
            xlabel="training step",
            ylabel="mean squared error (median)",
            legend="center right",
        )
        fig.set_label(
            "Kinks of a one-hidden-layer ReLU net during training: started identical, all units "
            "move as one for ever; nudged by a tiny perturbation, they drift apart but the error "
            "stays that of the identical units; from torch's random start the error falls far lower."
        )
    return fig


@redrawable
def initial_kinks_figure(ik: InitialKinks, *, dark: bool = False) -> Figure:
    """Left: the histogram of all kinks at initialisation against the derived density, the
    domain shaded. Right: how many units per net start dead, against the binomial law."""
    theme = theme_colors(dark)
    lo, hi = ik.domain
    with figure_style(dark):
        fig, (a, b) = plt.subplots(
            1, 2, figsize=(10.0, 3.8), layout="constrained", width_ratios=(1.6, 1)
        )
        edges = np.linspace(-15, 15, 121)
        k = ik.kinks.ravel()
        a.axvspan(
            lo, hi, color=theme["grid"], alpha=0.7, lw=0, label=f"the domain [{lo:g}, {hi:g}]"
        )
        a.hist(
            np.clip(k, -15, 15),
            bins=edges,
            density=True,
            color=OKABE_ITO["sky"],
            label=f"measured ({k.size:,} kinks)",
        )
        xs = np.linspace(-15, 15, 1201)
        a.plot(
            xs,
            kink_density(xs),
            color=OKABE_ITO["vermillion"],
            lw=1.8,
            label="derived: 1/4, then 1/(4k²)",
        )
        label_panel(
            a,
            f"{ik.outside:.1%} of the kinks fall outside the domain",
            xlabel="kink −b/w at initialisation",
            ylabel="density",
            legend="upper right",
        )
        width = ik.kinks.shape[1]
        counts = ik.dead.sum(axis=1)
        top = int(max(counts.max(), 5))
        ks = np.arange(top + 1)
        measured = np.bincount(counts, minlength=top + 1) / len(counts)
        p = 0.05
        law = [math.comb(width, int(j)) * p**j * (1 - p) ** (width - j) for j in ks]
        b.bar(ks, measured, color=OKABE_ITO["sky"], label=f"measured ({len(counts):,} seeds)")
        b.plot(ks, law, "o", color=OKABE_ITO["vermillion"], label=f"binomial({width}, 1/20)")
        b.set_xticks(ks)
        label_panel(
            b,
            "dead at step 0",
            xlabel=f"units dead from the start, of {width}",
            ylabel="share of nets",
            legend="upper right",
        )
        fig.set_label(
            "Histogram of the kinks -b/w of twenty-unit nets at torch's default initialisation "
            "against the derived density, a tenth outside [-5, 5]; and the number of units dead "
            "from the start per net against the binomial law with p = 1/20."
        )
    return fig


@redrawable
def depth_spread_figure(spread: DepthSpread, *, dark: bool = False) -> Figure:
    """Forward spread and backward gradient norm, layer by layer, median over seeds."""
    colors = {
        "default": OKABE_ITO["vermillion"],
        "glorot": OKABE_ITO["green"],
        "he": OKABE_ITO["blue"],
    }
    styles = {"tanh": "--", "relu": "-"}
    names = {"default": "default", "glorot": "Glorot", "he": "He"}
    with figure_style(dark):
        fig, (a, b) = plt.subplots(1, 2, figsize=(10.5, 4.0), layout="constrained")
        for init, act in spread.labels:
            kw = {"color": colors[init], "ls": styles[act], "label": f"{names[init]}, {act}"}
            f = spread.median("forward", init, act)
            a.plot(np.arange(1, spread.depth + 1), f, marker=".", **kw)
            g = spread.median("backward", init, act)
            b.plot(np.arange(1, spread.depth + 2), g, marker=".", **kw)
        a.set_yscale("log")
        a.set_xticks(np.arange(0, spread.depth + 1, 5))
        label_panel(
            a,
            "forward: does the signal survive?",
            xlabel="hidden layer",
            ylabel="spread of the layer's output over x",
        )
        b.set_yscale("log")
        b.set_xticks(np.arange(0, spread.depth + 2, 5))
        label_panel(
            b,
            "backward: does the gradient reach layer 1?",
            xlabel="weight matrix (first to last)",
            ylabel="‖∂L/∂W‖ at initialisation",
            legend="lower right",
            ncol=2,
        )
        fig.set_label(
            f"Layer by layer through {spread.depth} hidden layers of {spread.width} units, at "
            "initialisation: the spread of each layer's output over the inputs and the gradient "
            "norm of each weight matrix, for torch's default, Glorot and He initialisation with "
            "tanh and ReLU, medians over seeds."
        )
    return fig
