"""The "fit" view: the target, the output, the loss so far (and a straight line's slope)."""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
from matplotlib.lines import Line2D

from relu_guide.core.analysis import (
    best_affine_mse,
)
from relu_guide.drawing import style
from relu_guide.drawing.axes import limits, plain_log_ticks, span
from relu_guide.drawing.captions import (
    format_mse,
    target_label,
)
from relu_guide.drawing.views.base import View

__all__ = ["FitView"]


class FitView(View):
    """The target (dashed), the network's output, and the loss so far (log scale) below.

    For a single linear layer the line's equation is written at its right end, so its slope
    flipping sign from batch to batch can be read as well as seen.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(), steps=20, frames=4))
    >>> view = FitView(run, size=(400, 300))
    >>> _ = view.update(2)
    >>> bool((view.prediction.get_ydata() == run.predict(view.x, 2)).all())
    True
    """

    name = "fit"
    #: Earlier frames drawn fading behind a straight-line (affine) network's output.
    GHOSTS = 4

    def _build(self) -> None:
        run, exp, c = self.run, self.run.experiment, self.colors
        fig = self.figure
        self.affine = not exp.hidden and exp.output_activation_fn is None
        gs = fig.add_gridspec(2, 2 if self.affine else 1, height_ratios=(3.1, 1.0))
        ax = fig.add_subplot(gs[0, :])
        lax = fig.add_subplot(gs[1, 0])
        self.ax, self.loss_ax = ax, lax
        fig.get_layout_engine().set(h_pad=0.06, hspace=0.06)  # type: ignore[union-attr,call-arg]
        self._title(f"{exp.describe()} learning {target_label(run)}")

        x = self.x
        y_target = exp.target_fn(x)
        self.y_all = run.predict_frames(x)
        t_lo, t_hi = float(y_target.min()), float(y_target.max())
        ax.set_xlim(*limits([x], pad=0.02))
        ax.set_ylim(*limits([y_target, self.y_all], anchor=(t_lo, t_hi)))
        ax.set_xlabel("x", labelpad=1)
        ax.set_ylabel("y")
        (target,) = ax.plot(
            x, y_target, ls="--", color=style.TARGET, lw=2.2, label=f"target {target_label(run)}"
        )
        self.target = self._dyn(target)  # drawn over the prediction, so redrawn each frame
        target.set_zorder(2.2)
        (self.prediction,) = ax.plot(
            x, self.y_all[-1], color=self.prediction_color, lw=2.6, label="network output"
        )
        self._dyn(self.prediction)
        self.ghosts: list[Line2D] = []
        if self.affine:
            # The last few frames, fading: a straight line whose slope flips sign from batch
            # to batch sweeps out a bow tie around its pivot.
            for k in range(self.GHOSTS, 0, -1):
                (ghost,) = ax.plot(
                    x[[0, -1]],
                    self.y_all[-1][[0, -1]],
                    color=self.prediction_color,
                    lw=1.4,
                    alpha=0.5 * (1 - k / (self.GHOSTS + 1)),
                    zorder=1.9,
                )
                self.ghosts.append(self._dyn(ghost))
        self._legend(ax, [target, self.prediction], [(x, y_target), (x[None, :], self.y_all)])

        # The loss so far, with the best any affine function can do as a reference.
        losses = run.losses
        lax.set_yscale("log")
        lax.set_xlim(0, exp.steps)
        refs = [losses[losses > 0]]
        try:
            floor = best_affine_mse(exp.target_fn, exp.domain)
        except ValueError:
            floor = float("nan")
        if floor > 0:
            refs.append(np.array([floor]))
        lo, hi = span(refs)
        lo, hi = max(lo, 1e-12), max(hi, 1e-11)
        lax.set_ylim(lo / 10 ** (0.12 * math.log10(hi / lo) + 0.05), hi * 10**0.25)
        plain_log_ticks(lax)
        if floor > 0:
            lax.axhline(floor, color=c["muted"], lw=1.2, ls=":", zorder=1.5)
            note = lax.annotate(
                f"best straight line: {format_mse(floor)}",
                xy=(1.0, floor),
                xycoords=("axes fraction", "data"),
                xytext=(-2, 3),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=9,
                color=c["muted"],
            )
            note.set_in_layout(False)
        lax.set_xlabel("training step", labelpad=1)
        lax.set_ylabel("MSE (log)")
        (self.loss_line,) = lax.plot([], [], color=self.prediction_color, lw=1.8)
        (self.loss_dot,) = lax.plot([], [], "o", color=self.prediction_color, ms=5.5, clip_on=False)
        self._dyn(self.loss_line)
        self._dyn(self.loss_dot)
        if self.affine:
            # A straight line's slope over training: it keeps flipping sign around zero.
            sax = fig.add_subplot(gs[1, 1])
            self.slope_ax = sax
            w = run.weights[0][:, 0, 0].astype(float)
            reach = max(float(np.abs(w).max()), 1e-3) * 1.25
            sax.set_xlim(0, exp.steps)
            sax.set_ylim(-reach, reach)
            sax.axhline(0.0, color=c["muted"], lw=1.0, zorder=1.6)
            sax.set_xlabel("training step", labelpad=1)
            sax.set_ylabel("slope a")
            sax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(3, symmetric=True))
            for a in (lax, sax):  # half-width panels: fewer step labels
                a.xaxis.set_major_locator(mpl.ticker.MaxNLocator(4))
            (self.slope_line,) = sax.plot([], [], color=self.prediction_color, lw=1.3)
            (self.slope_dot,) = sax.plot(
                [], [], "o", color=self.prediction_color, ms=5.5, clip_on=False
            )
            self._dyn(self.slope_line)
            self._dyn(self.slope_dot)

    def _update(self, f: int) -> None:
        run = self.run
        y = self.y_all[f]
        self.prediction.set_ydata(y)
        if self.affine:
            w, b = float(run.weights[0][f, 0, 0]), float(run.biases[0][f, 0])
            sign = "−" if b < 0 else "+"
            equation = f"ŷ = {w:+.2f}x {sign} {abs(b):.2f}".replace("-", "−")
            self._status.set_text(f"{self._status.get_text()} · {equation}")
            for k, ghost in enumerate(self.ghosts):
                g = max(f - (self.GHOSTS - k), 0)
                ghost.set_ydata(self.y_all[g][[0, -1]])
            w_all = run.weights[0][:, 0, 0]
            self.slope_line.set_data(run.steps[: f + 1], w_all[: f + 1])
            self.slope_dot.set_data(run.steps[f : f + 1], w_all[f : f + 1])
        self.loss_line.set_data(run.steps[: f + 1], run.losses[: f + 1])
        self.loss_dot.set_data(run.steps[f : f + 1], run.losses[f : f + 1])
