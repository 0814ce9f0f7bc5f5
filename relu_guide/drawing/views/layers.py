"""The "layers" view: one panel per module, one line per neuron."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from relu_guide.core.analysis import (
    unit_order,
)
from relu_guide.drawing import style
from relu_guide.drawing.axes import limits
from relu_guide.drawing.captions import (
    target_label,
)
from relu_guide.drawing.views.base import View

__all__ = ["LayersView"]


class LayersView(View):
    """One panel per module, one line per neuron; the target dashed in the last panel.

    A Linear layer and the activation after it share their y limits, so what the activation
    cuts away is plain. Hidden units keep one colour across panels.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(2,), steps=20, frames=2))
    >>> view = LayersView(run, size=(500, 400))
    >>> [ax.get_title(loc="left") for ax in view.axes]
    ['Linear(1, 2): pre-activations', 'ReLU: activations', 'Linear(2, 1): output']
    """

    name = "layers"

    def _build(self) -> None:
        run, exp, c = self.run, self.run.experiment, self.colors
        fig = self.figure
        x = self.x
        outputs = run.forward(x)
        n = len(outputs)
        ncols = 1 if n == 1 else 2 if n <= 6 else 3
        nrows = -(-n // ncols)
        gs = fig.add_gridspec(nrows, ncols)
        self.axes: list[Axes] = []
        for i in range(n):
            r, col = divmod(i, ncols)
            last_row = i == n - 1
            span = gs[r, col:] if last_row else gs[r, col]
            self.axes.append(fig.add_subplot(span))
        fig.get_layout_engine().set(h_pad=0.05, w_pad=0.05, hspace=0.08, wspace=0.04)  # type: ignore[union-attr,call-arg]
        self._title(f"{exp.describe()} learning {target_label(run)}, layer by layer")

        y_target = exp.target_fn(x)
        # Index of the module holding the last Linear layer: from there on, one output unit.
        last_linear = max(i for i, (label, _) in enumerate(outputs) if label.startswith("Linear("))
        # Linear layers and the activation after them share y limits.
        groups: list[list[int]] = []
        for i, (label, _) in enumerate(outputs):
            if label.startswith("Linear(") or not groups:
                groups.append([i])
            else:
                groups[-1].append(i)
        ylims: dict[int, tuple[float, float]] = {}
        t_span = (float(y_target.min()), float(y_target.max()))
        for g in groups:
            vals = [outputs[i][1] for i in g]
            is_out = g[-1] == n - 1
            if is_out:
                vals.append(y_target)
            lim = limits(vals, anchor=t_span if is_out else None)
            for i in g:
                ylims[i] = lim

        order = unit_order(run) if exp.hidden else np.zeros(1, int)
        self.lines: list[list[Line2D]] = []
        self.outputs = [out for _, out in outputs]
        for i, (ax, (label, out)) in enumerate(zip(self.axes, outputs, strict=True)):
            units = out.shape[-1]
            is_out = i >= last_linear
            if i == n - 1:
                role = "output"
            else:
                role = "pre-activation" if label.startswith("Linear(") else "activation"
                role += "s" if units > 1 else ""
            ax.set_title(f"{label}: {role}", loc="left", fontsize=11.5)
            ax.set_xlim(*limits([x], pad=0.02))
            ax.set_ylim(*ylims[i])
            if i // ncols == nrows - 1:
                ax.set_xlabel("x", labelpad=1)
            if i < n - 1:  # where the activation that follows bends
                ax.axhline(0.0, color=c["muted"], lw=1.0, zorder=1.6)
            if is_out:
                colors = [self.prediction_color]
            elif i <= 1 or units != len(order):
                cols = style.unit_colors(units, self.dark)
                colors = [cols[k] for k in (order if units == len(order) else range(units))]
            else:
                colors = style.unit_colors(units, self.dark)
            lw = 2.4 if is_out else 2.0 if units <= 4 else 1.4
            lines = [
                ax.plot(x, out[-1, :, j], color=colors[j], lw=lw, label=f"unit {j + 1}")[0]
                for j in range(units)
            ]
            for line in lines:
                self._dyn(line)
            self.lines.append(lines)
            if i == n - 1:
                lines[0].set_label("output")
                (target,) = ax.plot(
                    x,
                    y_target,
                    ls="--",
                    color=style.TARGET,
                    lw=2.0,
                    zorder=2.2,
                    label=f"target {target_label(run)}",
                )
                self._dyn(target)
                self._legend(ax, [target, lines[0]], [(x, y_target), (x[None, :], out[..., 0])])
            elif i == 0 and 2 <= units <= 4:
                self._legend(
                    ax,
                    list(lines),
                    [(x[None, :], out[..., j]) for j in range(units)],
                    ncols=units if units <= 2 else 1,
                    fontsize=9.5,
                )

    def _update(self, f: int) -> None:
        for lines, out in zip(self.lines, self.outputs, strict=True):
            for j, line in enumerate(lines):
                line.set_ydata(out[f, :, j])
