r"""Figures of activation functions: each one beside its gradient, and all of them compared.

This module holds one idea, over 400 lines: drawing an activation beside its gradient, the
gradient broken where the function has a kink. The single figure and the comparison share
every piece of it (titles, looks, the broken gradient line).

:func:`activation_figure` draws one activation in a left panel and its derivative in a right
panel sharing the x axis. Two panels rather than one panel with a twin y axis: a function and
its gradient have different ranges (the sigmoid's gradient never exceeds 1/4), and two y scales
on one panel make the eye compare heights that mean nothing. Side by side, each curve gets its
own honest scale and the shared x axis still lines up a steep stretch of the function with the
peak of its gradient.

Where a function has a kink (ReLU, leaky ReLU at 0) its gradient jumps, and a line drawn
through the jump would show a vertical segment of values the gradient never takes. The gradient
line is therefore broken at every kink, with an open dot at each one-sided limit and a filled
dot at the value autograd actually uses there, as one draws a step function in a maths book.

Examples
--------
>>> from relu_guide.drawing.activation_figures import activation_figure, activations_comparison_figure
>>> fig = activation_figure("tanh")
>>> [ax.get_title(loc="left") for ax in fig.axes]
['$\\tanh(x) = 2\\sigma(2x) - 1$', "$\\tanh'(x) = 1 - \\tanh^{2}(x)$"]
>>> fig = activations_comparison_figure()
>>> len(fig.axes)
2
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from relu_guide.core.activations import ACTIVATION_NAMES, Activation, get_activation
from relu_guide.core.checks import check_interval
from relu_guide.drawing.style import (
    OKABE_ITO,
    SECONDARY,
    figure_style,
    prediction_color,
    redrawable,
    theme_colors,
)

__all__ = ["COMPARISON_NAMES", "activation_figure", "activations_comparison_figure"]

#: The activations of :func:`activations_comparison_figure`, in drawing order.
COMPARISON_NAMES: tuple[str, ...] = tuple(n for n in ACTIVATION_NAMES if n != "none")

#: Width and height, in inches at 100 dpi, of the single-activation figure.
SINGLE_SIZE = (7.0, 3.2)
#: Width and height, in inches at 100 dpi, of the comparison figure.
COMPARISON_SIZE = (7.0, 4.2)

_POINTS = 1201
# DejaVu Sans has no semibold face: asking for the style's "semibold" makes matplotlib log a
# font warning on stderr and fall back to bold anyway.
_TITLE_WEIGHT = "bold"
# Activations drawn over a dashed ReLU, the function they modify or smooth.
_RELU_LIKE = frozenset({"leaky_relu", "elu", "gelu", "silu", "softplus"})

# Name of each activation as a function symbol in mathtext, and its derivative's formula.
_SYMBOL: dict[str, str] = {
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "relu": r"\mathrm{ReLU}",
    "leaky_relu": r"\mathrm{LeakyReLU}",
    "elu": r"\mathrm{ELU}",
    "gelu": r"\mathrm{GELU}",
    "silu": r"\mathrm{SiLU}",
    "softplus": r"\mathrm{softplus}",
}
_GRADIENT_LATEX: dict[str, str] = {
    "sigmoid": r"\sigma(x)\,(1 - \sigma(x))",
    "tanh": r"1 - \tanh^{2}(x)",
    "relu": r"1 \text{ if } x > 0 \text{ else } 0",
    "leaky_relu": r"1 \text{ if } x > 0 \text{ else } {a}",
    "elu": r"1 \text{ if } x > 0 \text{ else } e^{x}",
    "gelu": r"\Phi(x) + x\,\varphi(x)",
    "silu": r"\sigma(x)\,(1 + x\,(1 - \sigma(x)))",
    "softplus": r"\sigma(x)",
}


@dataclass(frozen=True)
class _Look:
    color: str
    dashes: tuple[float, ...]  # () for solid
    width: float


def _comparison_looks(dark: bool) -> dict[str, _Look]:
    """Colour and dash of each activation in the comparison: Okabe-Ito plus the text colour.

    Eight curves need eight colours; Okabe-Ito's yellow is too pale on white, so the
    foreground colour takes its place, and dashes tell the saturating pair (sigmoid, tanh)
    from the ReLU family, and the curves that lie on top of each other for x > 0 apart.
    """
    fg = theme_colors(dark)["fg"]
    o = OKABE_ITO
    return {
        "sigmoid": _Look(o["purple"], (5.0, 2.0), 2.0),
        "tanh": _Look(o["green"], (5.0, 2.0), 2.0),
        "relu": _Look(o["blue"], (), 3.0),
        "leaky_relu": _Look(o["orange"], (4.0, 2.0), 2.0),
        "elu": _Look(o["sky"], (), 2.0),
        "gelu": _Look(o["vermillion"], (), 2.0),
        "silu": _Look(fg, (1.5, 1.5), 1.8),
        "softplus": _Look(o["yellow"] if dark else "#8a7a00", (6.0, 1.5, 1.5, 1.5), 1.8),
    }


def _base_name(act: Activation) -> str:
    return act.name.split("(", 1)[0]


def _symbol(act: Activation) -> str:
    return _SYMBOL.get(_base_name(act), r"\mathrm{" + act.label.replace(" ", r"\ ") + "}")


def _function_title(act: Activation) -> str:
    """``f(x) = formula`` in mathtext, from :attr:`Activation.latex`."""
    lhs = f"{_symbol(act)}(x)"
    formula = act.latex.replace(r"\frac", r"\dfrac")  # full-size fractions in a title
    if "=" in formula:  # the formula names its left side itself
        return f"${formula}$"
    return f"${lhs} = {formula}$"


def _gradient_title(act: Activation, slope: float) -> str:
    name = _base_name(act)
    formula = _GRADIENT_LATEX.get(name)
    lhs = f"{_symbol(act)}'(x)"
    if formula is None:
        return f"${lhs}$"
    return f"${lhs} = {formula.replace('{a}', f'{slope:g}')}$"


def _pieces(lo: float, hi: float, kinks: Sequence[float]) -> list[np.ndarray]:
    """The x grid split at the kinks inside (lo, hi); each piece ends exactly on a kink."""
    inner = sorted(k for k in kinks if lo < k < hi)
    edges = [lo, *inner, hi]
    n = max(50, _POINTS // len(edges))
    return [np.linspace(a, b, n) for a, b in itertools.pairwise(edges)]


def _draw_gradient(
    ax: Axes,
    act: Activation,
    lo: float,
    hi: float,
    *,
    color: str,
    bg: str,
    lw: float = 2.4,
    dashes: tuple[float, ...] = (),
    label: str | None = None,
    dot_size: float = 7.0,
    dots: bool = True,
    zorder: float = 3.0,
) -> list[tuple[float, float, list[float]]]:
    """Draw the derivative broken at its kinks; return (kink, value, other limits) of each."""
    pieces = _pieces(lo, hi, act.kinks)
    eps = 1e-9
    for i, xs in enumerate(pieces):
        ys = act.derivative(xs).astype(float)
        # The ends of a piece are one-sided limits, not the value at the kink.
        if i > 0:
            ys[0] = act.derivative(np.array([xs[0] + eps]))[0]
        if i < len(pieces) - 1:
            ys[-1] = act.derivative(np.array([xs[-1] - eps]))[0]
        (line,) = ax.plot(
            xs, ys, color=color, lw=lw, label=label if i == 0 else None, zorder=zorder
        )
        if dashes:
            line.set_dashes(dashes)
    marks: list[tuple[float, float, list[float]]] = []
    if not dots:
        return marks
    for k in (k for k in act.kinks if lo < k < hi):
        value = float(act.derivative(np.array([float(k)]))[0])
        limits = [float(act.derivative(np.array([k + s]))[0]) for s in (-eps, eps)]
        others = sorted({v for v in limits if not np.isclose(v, value)})
        ms = dot_size
        ax.plot(
            [k] * len(others), others, ls="none", marker="o", ms=ms, mfc=bg, mec=color,
            mew=1.6, zorder=5, clip_on=False,
        )  # fmt: skip
        ax.plot([k], [value], ls="none", marker="o", ms=ms, color=color, zorder=6, clip_on=False)
        marks.append((float(k), value, others))
    return marks


def _function_and_gradient_axes(
    size: tuple[float, float], lo: float, hi: float, muted: str
) -> tuple[Figure, tuple[Axes, Axes]]:
    """Two panels side by side sharing x on ``[lo, hi]``, with the axes through 0 drawn."""
    fig, (ax_f, ax_g) = plt.subplots(1, 2, figsize=size, sharex=True, layout="constrained")
    for ax in (ax_f, ax_g):
        ax.axhline(0.0, color=muted, lw=0.9, zorder=1)
        ax.axvline(0.0, color=muted, lw=0.9, zorder=1)
        ax.set_xlim(lo, hi)
        ax.set_xlabel("$x$")
    return fig, (ax_f, ax_g)


@redrawable
def activation_figure(
    name: str | Activation,
    *,
    x_range: tuple[float, float] = (-6.0, 6.0),
    dark: bool = False,
    slope: float = 0.1,
) -> Figure:
    r"""One activation (left) and its gradient (right), with the comparisons that explain it.

    Extras by activation: tanh is overlaid with markers of :math:`2\sigma(2x) - 1`, which it
    equals exactly, and with :math:`\sigma(x)` for comparison (its gradient beside the
    sigmoid's); leaky ReLU is drawn with ReLU dashed; the sigmoid's maximal gradient 1/4 is
    marked. Gradients of functions with a kink are broken there, with an open dot at each
    one-sided limit and a filled dot at the value autograd uses.

    Parameters
    ----------
    name : str or Activation
        One of :data:`relu_guide.core.activations.ACTIVATION_NAMES`, or an Activation.
    x_range : (float, float), default (-6, 6)
        Interval of x shown.
    dark : bool, default False
        Dark theme (for the site's dark mode).
    slope : float, default 0.1
        Negative-side slope of ``"leaky_relu"``.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, 7 x 3.2 inches at 100 dpi.

    Raises
    ------
    ValueError
        For an unknown activation or an empty or infinite range, naming it.

    Examples
    --------
    >>> fig = activation_figure("leaky_relu", slope=0.2)
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['$\\mathrm{LeakyReLU}(x)$', '$\\mathrm{ReLU}(x)$']
    >>> fig.axes[0].get_title(loc="left")
    '$\\mathrm{LeakyReLU}(x) = \\max(0.2\\,x,\\; x)$'
    >>> activation_figure("relu", x_range=(1, -1))
    Traceback (most recent call last):
    ...
    ValueError: x_range must be finite with low < high, got (1, -1)
    """
    lo, hi = check_interval(x_range, "x_range")
    act = get_activation(name, slope=slope)
    base = _base_name(act)
    theme = theme_colors(dark)
    fg, bg, muted = theme["fg"], theme["bg"], theme["muted"]
    accent = OKABE_ITO["vermillion"]
    x = np.linspace(lo, hi, _POINTS)
    with figure_style(dark):
        fig, (ax_f, ax_g) = _function_and_gradient_axes(SINGLE_SIZE, lo, hi, muted)

        # --- the function ---------------------------------------------------------------
        main_label = _function_title(act)
        ax_f.set_title(main_label, loc="left", fontweight=_TITLE_WEIGHT)
        if base == "tanh":
            sigmoid = get_activation("sigmoid")
            ax_f.plot(
                x, act(x), color=prediction_color(dark), lw=2.6, label=r"$\tanh(x)$", zorder=3
            )
            # The identity drawn as markers on top: they sit exactly on the tanh curve.
            step = max(1, _POINTS // 40)
            xs = x[step // 2 :: step]
            ax_f.plot(
                xs, 2.0 * sigmoid(2.0 * xs) - 1.0, ls="none", marker="o", ms=5.5, mfc="none",
                mec=accent, mew=1.4, label=r"$2\sigma(2x) - 1$", zorder=4,
            )  # fmt: skip
            ax_f.plot(
                x, sigmoid(x), color=muted, lw=1.6, dashes=(4, 2), label=r"$\sigma(x)$", zorder=2
            )
        else:
            label = f"${_symbol(act)}(x)$"
            ax_f.plot(x, act(x), color=prediction_color(dark), lw=2.6, label=label, zorder=3)
        if base in _RELU_LIKE:
            relu = get_activation("relu")
            ax_f.plot(
                x, relu(x), color=muted, lw=1.6, dashes=(4, 2),
                label=r"$\mathrm{ReLU}(x)$", zorder=2,
            )  # fmt: skip
        if base == "leaky_relu" and lo < 0:
            xa = 0.5 * lo
            ax_f.annotate(
                f"slope {slope:g}", (xa, slope * xa), xytext=(0, -8), textcoords="offset points",
                ha="center", va="top", color=fg, fontsize=10,
            )  # fmt: skip
            bottom, top = ax_f.get_ylim()
            ax_f.set_ylim(min(bottom, slope * lo - 0.12 * (top - bottom)), top)
        if base == "tanh":
            ax_f.legend(loc="lower right", handlelength=1.8, borderaxespad=0.2, fontsize=9.5)
        elif base in _RELU_LIKE:
            ax_f.legend(loc="upper left", handlelength=2.2, borderaxespad=0.2)

        # --- the gradient ---------------------------------------------------------------
        marks = _draw_gradient(ax_g, act, lo, hi, color=SECONDARY, bg=bg, label=None)
        ax_g.set_title(_gradient_title(act, slope), loc="left", fontweight=_TITLE_WEIGHT)
        if base == "leaky_relu":
            _draw_gradient(
                ax_g, get_activation("relu"), lo, hi, color=muted, bg=bg, lw=1.6,
                dashes=(4, 2), dots=False, zorder=2,
            )  # fmt: skip
        if base == "tanh":
            sig = get_activation("sigmoid")
            ax_g.plot(x, sig.derivative(x), color=muted, lw=1.6, dashes=(4, 2), zorder=2)
            ax_g.annotate(
                r"$\sigma'(x)$", (1.2, float(sig.derivative(np.array([1.2]))[0])),
                xytext=(8, 6), textcoords="offset points", color=muted, fontsize=10,
            )  # fmt: skip
        peaks = {
            "sigmoid": (0.25, r"max $\frac{1}{4}$ at $x = 0$"),
            "tanh": (1.0, "max 1 at $x = 0$"),
        }
        if base in peaks:
            top, text = peaks[base]
            ax_g.plot([0.0], [top], ls="none", marker="o", ms=7, color=SECONDARY, zorder=6)
            ax_g.annotate(
                text, (0.0, top), xytext=(10, 0), textcoords="offset points", va="center",
                ha="left", color=fg, fontsize=10,
            )  # fmt: skip
            ax_g.set_ylim(-0.06 * top, 1.18 * top)
        for k, value, _ in marks:
            ax_g.annotate(
                f"value at $x = {k:g}$\nused by autograd: {value:g}", (k, value),
                xytext=(k + 0.04 * (hi - lo), 0.45), textcoords="data", ha="left", va="center",
                color=fg, fontsize=9.5,
                arrowprops={"arrowstyle": "-|>", "color": muted, "lw": 1.0, "shrinkB": 6},
            )  # fmt: skip
        if marks:
            ax_g.set_ylim(-0.12, 1.22)
    fig.set_label(_alt_text(act, base, lo, hi))
    return fig


def _alt_text(act: Activation, base: str, lo: float, hi: float) -> str:
    """One sentence for screen readers: what the two panels of an activation figure show."""
    grad = act.derivative(np.linspace(lo, hi, _POINTS))
    extra = {
        "tanh": "; circles of 2σ(2x) − 1 lie exactly on tanh, with σ(x) dashed for comparison",
        "leaky_relu": "; ReLU dashed for comparison",
    }.get(base, "")
    kinks = ", ".join(f"x = {k:g}" for k in act.kinks)
    jump = f", jumping at {kinks} without a vertical line" if kinks else ""
    return (
        f"{act.label[:1].upper()}{act.label[1:]} on [{lo:g}, {hi:g}] (first panel{extra}) and "
        f"its gradient (second panel), which ranges from {grad.min():.3g} to {grad.max():.3g}{jump}."
    )


@redrawable
def activations_comparison_figure(
    names: Sequence[str] = COMPARISON_NAMES,
    *,
    x_range: tuple[float, float] = (-4.0, 4.0),
    dark: bool = False,
) -> Figure:
    """All activations in one panel and all their gradients in another, with one legend.

    Parameters
    ----------
    names : sequence of str, default :data:`COMPARISON_NAMES`
        Activations to draw (leaky ReLU at its default slope 0.1).
    x_range : (float, float), default (-4, 4)
        Interval of x shown: wide enough for the tails, narrow enough to see the curves differ.
    dark : bool, default False
        Dark theme.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, 7 x 4.2 inches at 100 dpi, with a shared legend below them.

    Raises
    ------
    ValueError
        For an unknown name or an empty list, naming it.

    Examples
    --------
    >>> fig = activations_comparison_figure(["relu", "gelu"])
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['ReLU', 'GELU']
    """
    lo, hi = check_interval(x_range, "x_range")
    if isinstance(names, str) or len(names) == 0:
        msg = f"names must be a non-empty list of activation names, got {names!r}"
        raise ValueError(msg)
    acts = [get_activation(n) for n in names]
    theme = theme_colors(dark)
    bg, muted = theme["bg"], theme["muted"]
    looks = _comparison_looks(dark)
    fallback = iter(OKABE_ITO.values())
    x = np.linspace(lo, hi, _POINTS)
    with figure_style(dark):
        fig, (ax_f, ax_g) = _function_and_gradient_axes(COMPARISON_SIZE, lo, hi, muted)
        ax_f.set_title("activation $f(x)$", loc="left", fontweight=_TITLE_WEIGHT)
        ax_g.set_title("gradient $f'(x)$", loc="left", fontweight=_TITLE_WEIGHT)
        for act in acts:
            look = looks.get(_base_name(act)) or _Look(next(fallback), (), 2.0)
            (line,) = ax_f.plot(x, act(x), color=look.color, lw=look.width, label=act.label)
            if look.dashes:
                line.set_dashes(look.dashes)
            _draw_gradient(
                ax_g, act, lo, hi, color=look.color, bg=bg, lw=look.width, dashes=look.dashes,
                dot_size=5.0,
            )  # fmt: skip
        ax_f.set_ylim(-1.6, hi + 0.3)
        ax_g.set_ylim(-0.15, 1.2)
        fig.legend(
            loc="outside lower center", ncols=min(4, len(acts)), handlelength=2.6,
            columnspacing=1.6,
        )  # fmt: skip
    fig.set_label(
        f"{', '.join(a.label for a in acts)} on [{lo:g}, {hi:g}] (first panel) and their "
        "gradients (second panel): the smooth ones bend where ReLU kinks, the squashing ones flatten in the tails."
    )
    return fig
