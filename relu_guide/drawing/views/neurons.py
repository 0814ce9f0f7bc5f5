"""The "neurons" view: each hidden unit's piece, their sum, the kinks; below, the slopes."""

from __future__ import annotations

import math
from typing import Literal

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.lines import Line2D

from relu_guide.core.analysis import (
    kinks,
    net_slopes,
    staircase,
    unit_order,
    unit_pieces,
)
from relu_guide.drawing import style
from relu_guide.drawing.axes import limits
from relu_guide.drawing.captions import (
    target_label,
    target_slope_text,
)
from relu_guide.drawing.text import FastText
from relu_guide.drawing.views.base import View

__all__ = ["NeuronsView"]

#: A unit piece's line style: solid, or dashed (dead or always on).
LineStyle = Literal["-"] | tuple[float, tuple[float, float]]


class NeuronsView(View):
    """Each hidden unit's weighted piece, their sum, the kinks; below, the slopes.

    Only for one hidden layer of ReLU (or leaky ReLU) units and a linear output.

    Examples
    --------
    >>> import numpy as np
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(3,), steps=20, frames=2))
    >>> view = NeuronsView(run, size=(500, 400))
    >>> pieces = np.array([segment[:, 1] for segment in view.pieces.get_segments()])
    >>> bool(np.allclose(pieces.sum(0) + run.biases[1][-1, 0], view.output.get_ydata()))
    True
    """

    name = "neurons"
    #: Set by the layout when the full census would run into the slope title.
    _short_census = False

    def _build(self) -> None:
        run, exp, c = self.run, self.run.experiment, self.colors
        act = exp.activation_fn
        fig = self.figure
        x = self.x
        lo, hi = exp.domain
        units = exp.hidden[0]
        gs = fig.add_gridspec(2, 1, height_ratios=(2.3, 1.0))
        ax = fig.add_subplot(gs[0])
        dax = fig.add_subplot(gs[1], sharex=ax)
        self.ax, self.slope_ax = ax, dax
        fig.get_layout_engine().set(h_pad=0.05, hspace=0.05)  # type: ignore[union-attr,call-arg]
        self._title(f"{exp.describe()} learning {target_label(run)}, unit by unit")

        # Parameters of every frame.
        w1 = run.weights[0][:, :, 0].astype(float)  # (F, units)
        b1 = run.biases[0].astype(float)
        w2 = run.weights[1][:, 0, :].astype(float)
        y_target = exp.target_fn(x)
        self.y_all = run.predict_frames(x)
        # Each piece w2*act(w1 x + b1) is monotone on the domain: its extremes are at the ends.
        ends = np.array([lo, hi])
        piece_ends = w2[:, None, :] * act(w1[:, None, :] * ends[None, :, None] + b1[:, None, :])
        t_span = (float(y_target.min()), float(y_target.max()))
        ax.set_xlim(*limits([x], pad=0.02))
        ax.set_ylim(*limits([y_target, self.y_all, piece_ends, np.zeros(1)], anchor=t_span))
        ax.axhline(0.0, color=c["muted"], lw=1.0, zorder=1.6)
        ax.set_title(
            "each unit's piece " + r"$w_{2j}\,\mathrm{relu}(w_{1j}x + b_{1j})$" + " and their sum",
            loc="left",
            fontsize=11,
        )
        if act.name.startswith("leaky"):
            ax.set_title(ax.get_title(loc="left").replace("relu", "leaky"), loc="left")
        ax.tick_params(labelbottom=False)

        order = unit_order(run)
        cols = style.unit_colors(units, self.dark)
        self.unit_colors = [cols[k] for k in order]
        lw = 1.9 if units <= 4 else 1.3
        # All the pieces in one collection, in unit order: one draw per frame, not one per unit.
        # Butt caps for all (a line's solid style would project its ends by half a width).
        self._segments = np.empty((units, len(x), 2))
        self._segments[:, :, 0] = x
        self._segments[:, :, 1] = 0.0
        self.pieces = LineCollection(
            list(self._segments), colors=self.unit_colors, linewidths=lw, capstyle="butt"
        )
        self.pieces.set_zorder(2.0)
        ax.add_collection(self.pieces, autolim=False)
        self._dyn(self.pieces)
        (target,) = ax.plot(x, y_target, ls="--", color=style.TARGET, lw=2.0, zorder=2.3)
        self._dyn(target)
        (self.output,) = ax.plot(x, self.y_all[-1], color=self.prediction_color, lw=2.6)
        self.output.set_zorder(2.2)
        self._dyn(self.output)
        # Kinks: markers on the x axis (filled inside the domain, hollow at the edge outside).
        trans = mpl.transforms.blended_transform_factory(ax.transData, ax.transAxes)
        self.kink_marks: PathCollection = ax.scatter(
            np.zeros(units),
            np.zeros(units),
            s=64 if units <= 4 else 44,
            marker="^",
            transform=trans,
            clip_on=False,
            zorder=3.0,
            linewidths=1.4,
        )
        self._dyn(self.kink_marks)
        self.kinks = [kinks(run, f) for f in range(run.n_frames)]
        bg = c["bg"]
        handles = [
            Line2D(
                [], [], ls="--", color=style.TARGET, lw=2.0, label=f"target {target_label(run)}"
            ),
            Line2D([], [], color=self.prediction_color, lw=2.6, label="sum + $b_2$ = output"),
            Line2D([], [], color=cols[0], lw=lw, label=f"{units} unit pieces"),
            Line2D(
                [],
                [],
                ls="none",
                marker="^",
                ms=8,
                color=cols[len(cols) // 2],
                label=r"kink $x = -b_{1j}/w_{1j}$",
            ),
            Line2D(
                [],
                [],
                ls="none",
                marker="^",
                ms=8,
                mfc=bg,
                mec=c["muted"],
                mew=1.4,
                label="dead or always on",
            ),
        ]
        pieces_all = [
            (ends[None, :, None], piece_ends),
            (x[None, :], self.y_all),
            (x, y_target),
        ]
        self._legend(ax, handles, pieces_all, ncols=2, fontsize=9, columnspacing=1.0)

        # Slopes: the network's derivative is a staircase, stepping at each kink.
        self.target_slope = np.gradient(y_target, x, edge_order=2)
        net_slope_all = net_slopes(run, np.linspace(lo, hi, 401))
        # The target's slope without its spikes (a step's derivative is a Dirac delta).
        s_lo, s_hi = np.percentile(self.target_slope, [0.5, 99.5])
        dax.set_ylim(*limits([net_slope_all, np.array([s_lo, s_hi])]))
        dax.axhline(0.0, color=c["muted"], lw=1.0, zorder=1.6)
        slope_name = target_slope_text(exp.target_fn)
        t_label = "target's slope" + (f" {slope_name}" if slope_name else "")
        (tline,) = dax.plot(x, self.target_slope, ls="--", color=style.TARGET, lw=2.0, zorder=2.3)
        tline.set_label(t_label)
        self._dyn(tline)
        (self.slope,) = dax.plot(
            [], [], color=self.prediction_color, lw=2.2, label="network's slope"
        )
        self.slope.set_zorder(2.2)
        self._dyn(self.slope)
        self._slope_axes = dax
        dax.set_title("slope dy/dx: one step per kink", loc="left", fontsize=11)
        # Beside the slope title, on its baseline (where matplotlib puts a right-hand title).
        self.census = FastText(
            1.0,
            1.0,
            "",
            ha="right",
            va="baseline",
            fontsize=10,
            color=c["muted"],
            transform=dax.transAxes + dax.titleOffsetTrans,  # type: ignore[attr-defined]
            clip_on=False,
        )
        dax.add_artist(self._dyn(self.census))
        dax.set_xlabel("x", labelpad=1)
        self._legend(
            dax,
            [tline, self.slope],
            [
                (x, self.target_slope),
                (np.linspace(lo, hi, net_slope_all.shape[1])[None, :], net_slope_all),
            ],
            fontsize=9,
        )

    def _finish(self) -> None:
        """Lay out; where the census would run into the slope title (a narrow frame), shorten
        the title, then the census (measured with the longest census this network can have)."""
        self._short_census = False  # a view drawn again at another size decides afresh
        super()._finish()
        units = self.run.experiment.hidden[0]
        renderer = self.figure._get_renderer()  # type: ignore[attr-defined]
        title = self._slope_axes._left_title  # type: ignore[attr-defined]  # the loc="left" title

        def collide() -> bool:
            self.census.set_text(self._census_text(units, units, units))
            left = self.census.get_window_extent(renderer).x0
            return bool(title.get_window_extent(renderer).x1 + 8 > left)

        if collide():
            title.set_text("slope dy/dx")
        if collide():
            self._short_census = True
        # The census now holds the longest text; the first update (View.__init__) sets it.

    def staircase(self, frame: int) -> tuple[np.ndarray, np.ndarray]:
        """The network's slope at one frame as a staircase (:func:`~relu_guide.core.analysis.staircase`).

        Examples
        --------
        >>> from relu_guide import Experiment, train
        >>> run = train(Experiment(hidden=(2,), steps=20, frames=2))
        >>> xs, ys = NeuronsView(run, size=(400, 300)).staircase(-1)
        >>> bool(xs[0] == -5.0 and xs[-1] == 5.0 and len(xs) == len(ys))
        True
        """
        return staircase(self.run, frame)

    def _update(self, f: int) -> None:
        run = self.run
        pieces = unit_pieces(run, self.x, f)
        ks = self.kinks[f]
        lo, hi = run.experiment.domain
        offsets = np.zeros((len(ks), 2))
        faces, edges = [], []
        bg = mpl.colors.to_rgba(self.colors["bg"])
        n_kink = n_dead = n_on = 0
        self._segments[:, :, 1] = pieces.T
        colors: list[tuple[float, float, float, float]] = []
        styles: list[LineStyle] = []
        for j, k in enumerate(ks):
            color = mpl.colors.to_rgba(self.unit_colors[j])
            if k.state == "kink":
                n_kink += 1
                colors.append(color)
                styles.append("-")
                offsets[j] = (k.x, 0.0)
                faces.append(color)
                edges.append(color)
            else:
                n_dead += k.state == "dead"
                n_on += k.state == "always on"
                colors.append((*color[:3], 0.45))
                styles.append((0, (2, 1.5)))
                x = k.x if math.isfinite(k.x) else (lo if k.state == "dead" else hi)
                offsets[j] = (min(max(x, lo), hi), 0.0)
                faces.append(bg)
                edges.append((*color[:3], 0.8))
        self.pieces.set_segments(list(self._segments))
        self.pieces.set_color(colors)
        self.pieces.set_linestyle(styles)
        self.kink_marks.set_offsets(offsets)
        self.kink_marks.set_facecolor(faces)
        self.kink_marks.set_edgecolor(edges)
        self.output.set_ydata(self.y_all[f])
        self.slope.set_data(*self.staircase(f))
        self.census.set_text(self._census_text(n_kink, n_dead, n_on))

    def _census_text(self, n_kink: int, n_dead: int, n_on: int) -> str:
        """``16 kinks inside · 2 dead · 2 always on`` (``16 kinks · 2 dead · 2 on`` if short)."""
        short = self._short_census
        parts = [f"{n_kink} kink{'s' if n_kink != 1 else ''}{'' if short else ' inside'}"]
        if n_dead:
            parts.append(f"{n_dead} dead")
        if n_on:
            parts.append(f"{n_on} {'on' if short else 'always on'}")
        return " · ".join(parts)
