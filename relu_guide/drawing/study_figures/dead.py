"""Figures of dead units: the outcome census of many seeds, and the paths of the kinks."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relu_guide.core.analysis import kink_positions, kinks
from relu_guide.core.training import Run
from relu_guide.drawing.axes import decade_log_ticks
from relu_guide.drawing.style import (
    OKABE_ITO,
    SECONDARY,
    figure_style,
    prediction_color,
    redrawable,
    theme_colors,
)
from relu_guide.drawing.style import unit_colors as _unit_colors
from relu_guide.studies.dead import OUTCOMES, Census

__all__ = ["OUTCOME_COLORS", "OUTCOME_MARKERS", "census_figure", "kink_paths_figure"]


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
        decade_log_ticks(ax)
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
        decade_log_ticks(bx)
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
    xk = kink_positions(run)
    n_units = xk.shape[1]
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
                (x0 + x1) / 2, top * 0.5, "outside", rotation=90, ha="center", va="center",
                color=theme["muted"], fontsize=9,
            )  # fmt: skip
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
