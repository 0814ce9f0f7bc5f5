"""Views of a training run: one drawer per view, shared by static figures and animations.

A view builds a matplotlib figure for a :class:`~relu_guide.core.training.Run` once: every artist is
created up front, with axis limits computed from all the frames of the run so that nothing
jumps during an animation. :meth:`View.update` then only sets the data of the artists that
change and returns them, in drawing order. A static figure at frame ``k``
(:mod:`relu_guide.drawing.figures`) and frame ``k`` of an animation (:mod:`relu_guide.drawing.animation`) are
therefore drawn by the same code.

Three views exist (:data:`VIEW_NAMES`):

``"fit"``
    The target (dashed) and the network's output, with the loss so far on a log scale below.
``"layers"``
    One panel per module (each Linear layer, each activation), one line per neuron, the target
    dashed in the last panel: the network read layer by layer.
``"neurons"``
    For a one-hidden-layer ReLU net: each hidden unit's weighted piece
    ``w2_j * relu(w1_j x + b1_j)`` in its own colour, their sum, the target, the kinks on the
    x axis; below, the network's slope (a staircase) against the target's.

Examples
--------
>>> from relu_guide import Experiment, train
>>> from relu_guide.drawing.views import make_view
>>> run = train(Experiment(hidden=(3,), steps=30, frames=3))
>>> view = make_view(run, "fit", size=(400, 300))
>>> artists = view.update(-1)
>>> view.n_frames, len(artists) > 0
(4, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar, TypeVar

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.mathtext import MathTextParser
from matplotlib.text import Text
from PIL import Image, ImageDraw, ImageFont

from relu_guide.core.analysis import best_affine_mse, kinks, unit_pieces
from relu_guide.core.experiment import Experiment
from relu_guide.core.training import Run
from relu_guide.drawing import style
from relu_guide.drawing.options import VIEW_NAMES, check_view

__all__ = [
    "VIEW_NAMES",
    "FastText",
    "FitView",
    "LayersView",
    "NeuronsView",
    "View",
    "describe",
    "make_view",
    "target_label",
    "target_text",
    "view_class",
]

#: Points on the x grid every curve is drawn on.
GRID_POINTS = 801

#: Pixel size at which text and lines have their nominal point sizes (larger sizes scale up).
REFERENCE_SIZE = (700, 500)

#: The target's slope, in words, for the registry's targets.
_TARGET_SLOPES = {"square": "2x", "abs": "sign(x)", "sin": "cos(x)", "cube": "3x²/5"}

_MATH = MathTextParser("path")
_A = TypeVar("_A", bound=Artist)
#: ``(x, y)`` arrays, broadcastable together, of every point a curve takes over all frames.
Curves = list[tuple[np.ndarray, np.ndarray]]


def _mathtext_ok(text: str) -> bool:
    try:
        _MATH.parse(text)
    except ValueError:
        return False
    return True


def target_text(run: Run) -> str:
    """The target in plain text (for alt text): ``"x²"`` for ``"square"``, else its name.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> target_text(train(Experiment(hidden=(), steps=2, frames=1)))
    'x²'
    """
    return run.experiment.target_fn.text


def target_label(run: Run) -> str:
    """The target as matplotlib mathtext (``"$x^2$"``), or plain text if it cannot be typeset.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> target_label(train(Experiment(hidden=(), steps=2, frames=1)))
    '$x^2$'
    """
    t = run.experiment.target_fn
    math_text = f"${t.latex}$"
    if t.latex and t.latex != "f(x)" and _mathtext_ok(math_text):
        return math_text
    return target_text(run)


def describe(run: Run, view: str, frame: int | None = None) -> str:
    """One sentence describing a view of a run, for alt text and captions.

    Parameters
    ----------
    run : Run
    view : str
        One of :data:`VIEW_NAMES`.
    frame : int, optional
        The frame a static figure shows; ``None`` describes the whole animation.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> describe(train(Experiment(hidden=(2,), steps=20, frames=2)), "layers", -1)[:60]
    'Figure of Linear(1, 2) → ReLU → Linear(2, 1) fitting x² on ['
    """
    exp = run.experiment
    lo, hi = exp.domain
    shown = range(run.n_frames) if frame is None else [run.frame_index(frame)]
    kind = "Training animation" if frame is None else "Figure"
    when = (
        f"over {exp.steps:,} {exp.optimizer.upper()} steps"
        if frame is None
        else f"after {int(run.steps[shown[0]]):,} of {exp.steps:,} {exp.optimizer.upper()} steps"
    )
    head = f"{kind} of {exp.describe()} fitting {target_text(run)} on [{lo:g}, {hi:g}] {when}"
    if view == "fit":
        body = "the network's output (solid) against the dashed target, the loss below"
        if not exp.hidden and exp.output_activation_fn is None and frame is None:
            w = run.weights[0][:, 0, 0]
            flips = int(np.sum(np.sign(w[1:]) * np.sign(w[:-1]) < 0))
            body = (
                "the output stays a straight line, its slope flipping sign "
                f"{flips} times between frames, against the dashed target, the loss below"
            )
    elif view == "layers":
        labels = exp.module_labels()
        body = (
            f"one panel per module ({', '.join(labels)}) with one line per "
            "neuron, the last panel comparing the output with the dashed target"
            if len(labels) > 1
            else f"a single panel ({labels[0]}) comparing the output with the dashed target"
        )
    else:
        final = kinks(run, shown[-1])
        inside = sum(k.state == "kink" for k in final)
        moving = "the kinks moving along the x axis, " if frame is None else "the kinks marked, "
        body = (
            "each hidden unit's weighted ReLU piece in its own colour, their sum against "
            f"the dashed target, {moving}and below, the network's "
            f"staircase slope against the target's; {inside} of the "
            f"{len(final)} kinks {'lies' if inside == 1 else 'lie'} inside the domain"
        )
    first, last = float(run.losses[0]), float(run.losses[shown[-1]])
    if frame is None:
        verb = "falls" if last < first else "goes"
        return f"{head}: {body}; the mean squared error {verb} from {first:.3g} to {last:.3g}."
    return f"{head}: {body}; the mean squared error is {last:.3g}."


def _format_mse(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _status(run: Run, frame: int) -> str:
    return (
        f"step {int(run.steps[frame]):,} / {run.experiment.steps:,}"
        f" · MSE {_format_mse(float(run.losses[frame]))}"
    )


def _span(values: Sequence[np.ndarray]) -> tuple[float, float]:
    finite = [np.asarray(v, float)[np.isfinite(v)] for v in values]
    finite = [v for v in finite if v.size]
    if not finite:
        return -1.0, 1.0
    return float(min(v.min() for v in finite)), float(max(v.max() for v in finite))


def _limits(
    values: Sequence[np.ndarray],
    anchor: tuple[float, float] | None = None,
    pad: float = 0.06,
) -> tuple[float, float]:
    """Padded limits covering all values; wild values beyond ``anchor`` are cut off."""
    lo, hi = _span(values)
    if anchor is not None:
        a_lo, a_hi = anchor
        reach = max(a_hi - a_lo, 1e-9)
        lo, hi = max(lo, a_lo - reach), min(hi, a_hi + reach)
    if hi - lo < 1e-9:
        mid = 0.5 * (lo + hi)
        lo, hi = mid - 1.0, mid + 1.0
    extra = pad * (hi - lo)
    return lo - extra, hi + extra


def _inches(pixels: int, dpi: float) -> float:
    """Inches that make at least ``pixels`` pixels at ``dpi`` (never one less by rounding)."""
    inches = pixels / dpi
    while inches * dpi < pixels:
        inches = math.nextafter(inches, math.inf)
    return inches


def _log_ticks(ax: Axes) -> None:
    """Log-scale y ticks labelled as plain numbers (0.1, 1, 10), 1-2-5 on short ranges."""
    lo, hi = ax.get_ylim()
    decades = math.log10(hi / lo)
    subs = (1.0,) if decades > 2.2 else (1.0, 3.0) if decades > 0.8 else (1.0, 2.0, 3.0, 5.0)
    ax.yaxis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=subs, numticks=8))
    ax.yaxis.set_major_formatter(
        mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}")
    )
    ax.yaxis.set_minor_formatter(mpl.ticker.NullFormatter())


def _unit_order(run: Run) -> np.ndarray:
    """Rank of every first-layer unit by where it bends at the end of training (left first)."""
    w = run.weights[0][-1, :, 0].astype(float)
    b = run.biases[0][-1].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(w != 0, -b / np.where(w != 0, w, 1.0), np.inf)
    return np.argsort(np.argsort(x, kind="stable"), kind="stable")


class FastText(Text):
    """A one-line text drawn with Pillow on raster (Agg) canvases, about six times faster.

    Texts that change every frame (the step and loss) would otherwise be the costliest part of
    a frame: matplotlib lays out and rasterises every glyph anew for every new string. On other
    renderers (SVG, PDF) the text is drawn by matplotlib as usual. The same FreeType font file
    is used either way.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = Figure(figsize=(2, 1))
    >>> canvas = FigureCanvasAgg(fig)
    >>> text = fig.add_artist(FastText(0.5, 0.5, "step 10 / 20", ha="center"))
    >>> canvas.draw()
    >>> import numpy as np
    >>> int((np.asarray(canvas.buffer_rgba())[..., 0] < 128).sum()) > 20  # it was drawn
    True
    """

    _fonts: ClassVar[dict[tuple[str, float], ImageFont.FreeTypeFont]] = {}

    def draw(self, renderer: RendererBase) -> None:
        """Draw with Pillow on an Agg renderer, else as a matplotlib text."""
        text = self.get_text()
        if not isinstance(renderer, RendererAgg) or self.get_rotation() or "\n" in text:
            super().draw(renderer)
            return
        if not self.get_visible() or not text:
            return
        props = self.get_fontproperties()
        key = (font_manager.findfont(props), renderer.points_to_pixels(props.get_size_in_points()))
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(key[0], key[1])
        font = self._fonts[key]
        ascent, descent = font.getmetrics()
        width = font.getlength(text)
        mask = Image.new("L", (math.ceil(width) + 2, ascent + descent + 2))
        ImageDraw.Draw(mask).text((1, ascent + 1), text, font=font, fill=255, anchor="ls")
        alpha = np.asarray(mask)
        rgba = np.empty((*alpha.shape, 4), np.uint8)
        color = mpl.colors.to_rgba(self.get_color(), self.get_alpha())
        rgba[..., :3] = np.round(np.multiply(color[:3], 255)).astype(np.uint8)
        rgba[..., 3] = np.round(alpha * color[3]).astype(np.uint8)
        x, y = self.get_transform().transform(self.get_unitless_position())
        ha, va = self.get_horizontalalignment(), self.get_verticalalignment()
        left = x - {"left": 0.0, "center": width / 2, "right": width}[ha] - 1
        baseline = {"baseline": y, "bottom": y + descent, "top": y - ascent}.get(
            va, y - (ascent - descent) / 2
        )
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.get_clip_box() if self.get_clip_on() else None)
        renderer.draw_image(gc, round(left), round(baseline) - descent - 1, rgba[::-1])
        gc.restore()
        self.stale = False


class View:
    """Base of the views: a figure whose changing artists are updated frame by frame.

    Parameters
    ----------
    run : Run
        The training run to show.
    size : (int, int), default (700, 500)
        Width and height in pixels (at :data:`relu_guide.drawing.style.DPI` dots per inch).
    dark : bool, default False
        Use the dark theme.
    animated : bool, default False
        Mark the changing artists as animated, so that a normal draw leaves them out and only
        the static background is drawn (what blitting needs).
    pyplot : bool, default False
        Register the figure with pyplot (so that Jupyter and sphinx-gallery show it). Views
        made for animations are not registered.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    run : Run
    n_frames : int
    overlays : list of Artist
        Opaque, unchanging artists drawn over changing ones (legends that cover data).

    Examples
    --------
    Blitting by hand, as :mod:`relu_guide.drawing.animation` does:

    >>> from relu_guide import Experiment, train
    >>> view = FitView(train(Experiment(steps=20, frames=2)), size=(400, 300), animated=True)
    >>> canvas = view.figure.canvas
    >>> canvas.draw()  # the static background only
    >>> background = canvas.copy_from_bbox(view.figure.bbox)
    >>> for frame in range(view.n_frames):
    ...     canvas.restore_region(background)
    ...     for artist in view.update(frame):
    ...         view.figure.draw_artist(artist)
    >>> canvas.buffer_rgba().shape
    (300, 400, 4)
    """

    name: ClassVar[str] = ""

    def __init__(
        self,
        run: Run,
        *,
        size: tuple[int, int] = (700, 500),
        dark: bool = False,
        animated: bool = False,
        pyplot: bool = False,
    ) -> None:
        self.run = run
        self.size = (int(size[0]), int(size[1]))
        self.dark = bool(dark)
        self.animated = bool(animated)
        self.colors = style.theme_colors(self.dark)
        self.prediction_color = style.prediction_color(self.dark)
        self.check(run.experiment)
        self.x = np.linspace(*run.experiment.domain, GRID_POINTS)
        self._dynamic: list[Artist] = []
        self._suptitle: Text | None = None
        #: Opaque artists that never change but sit over changing ones (the legends): an
        #: animation draws them once and pastes their pixels over every frame.
        self.overlays: list[Artist] = []
        self._legends: list[tuple[Axes, Legend, Curves]] = []
        with style.figure_style(self.dark):
            self.figure = self._new_figure(pyplot)
            self._build()
            self._finish()
        self.update(-1)

    # -- building -------------------------------------------------------------------------

    def _new_figure(self, pyplot: bool) -> Figure:
        w, h = self.size
        # Drawn as a 700 x 500 figure, scaled: text and lines keep their proportions at any
        # size (a 1000 x 1000 video has larger text, a small one smaller).
        dpi = style.DPI * min(w / REFERENCE_SIZE[0], h / REFERENCE_SIZE[1])
        figsize = (_inches(w, dpi), _inches(h, dpi))
        if pyplot:
            import matplotlib.pyplot as plt

            return plt.figure(figsize=figsize, dpi=dpi, layout="constrained")
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        return fig

    @classmethod
    def check(cls, experiment: Experiment) -> None:
        """Raise ``ValueError`` if this view cannot show the experiment's network."""
        check_view(experiment, cls.name)

    def _build(self) -> None:
        raise NotImplementedError

    def _dyn(self, artist: _A) -> _A:
        """Register an artist that changes from frame to frame (or is drawn over one that does)."""
        artist.set_animated(self.animated)
        artist.set_in_layout(False)  # the layout is fixed once, whatever the frame shows
        self._dynamic.append(artist)
        return artist

    def _title(self, text: str) -> None:
        """Header: the title, then the training setup (left) and the step and loss (right)."""
        fig, exp = self.figure, self.run.experiment
        # A blank second line reserves room for the subtitle and the status in the layout.
        self._suptitle = fig.suptitle(
            text + "\n ", x=0.012, ha="left", fontsize=12.5, fontweight="bold", linespacing=1.45
        )
        setup = (
            f"{exp.optimizer.upper() if exp.optimizer == 'sgd' else exp.optimizer.title()}"
            f" · lr {exp.lr:g} · batches of {exp.batch_size} · seed {exp.seed}"
        )
        self._subtitle = fig.text(
            0.012, 0.0, setup, ha="left", va="bottom", fontsize=10, color=self.colors["muted"]
        )
        self._status = FastText(
            0.988, 0.0, "", ha="right", va="bottom", fontsize=10.5, color=self.colors["fg"]
        )
        fig.add_artist(self._dyn(self._status))
        for t in (self._subtitle, self._status):
            t.set_in_layout(False)

    def _legend(self, ax: Axes, handles: Sequence[Artist], curves: Curves, **kw: object) -> None:
        """A legend placed, once for all frames, where it covers the fewest data points.

        ``curves`` are ``(x, y)`` pairs of arrays (any shape broadcastable together) holding
        every point drawn on ``ax`` over all frames.
        """
        legend = ax.legend(
            handles=list(handles),
            loc="upper left",
            frameon=True,
            fancybox=False,
            framealpha=1.0,
            facecolor=self.colors["bg"],
            edgecolor="none",
            borderpad=0.4,
            handlelength=1.8,
            **kw,  # type: ignore[arg-type]
        )
        # Opaque and unchanging: drawn over the frame (an overlay) when it covers any data.
        legend.set_animated(self.animated)
        legend.set_zorder(5.0)
        self.overlays.append(legend)
        self._legends.append((ax, legend, curves))

    def _finish(self) -> None:
        """Lay out once (constrained layout), then freeze the layout and place legends."""
        fig = self.figure
        renderer = fig._get_renderer()  # type: ignore[attr-defined]
        if self._suptitle is not None:  # a long network name: a smaller title, down to 9 pt
            room = fig.bbox.width * (1 - 2 * self._suptitle.get_position()[0])
            while (
                self._suptitle.get_window_extent(renderer).width > room
                and float(self._suptitle.get_fontsize()) > 9
            ):
                self._suptitle.set_fontsize(float(self._suptitle.get_fontsize()) - 0.5)
        # Compute the layout once (no need to draw), then keep it fixed for every frame.
        engine = fig.get_layout_engine()
        assert engine is not None
        engine.execute(fig)
        fig.set_layout_engine("none")
        if self._suptitle is not None:  # subtitle and status on the title's blank second line
            box = self._suptitle.get_window_extent(renderer).transformed(fig.transFigure.inverted())
            for t in (self._subtitle, self._status):
                t.set_y(box.y0 + 0.004)
            # On a narrow figure the status wins the line (measured with the last, longest).
            self.update(-1)
            left = self._subtitle.get_window_extent(renderer).x1
            right = self._status.get_window_extent(renderer).x0
            if left + 16 > right:
                self._subtitle.set_visible(False)
        for ax, legend, curves in self._legends:
            pts = []
            for x, y in curves:
                bx, by = np.broadcast_arrays(x, y)
                pts.append(ax.transData.transform(np.column_stack([bx.ravel(), by.ravel()])))
            points = np.concatenate(pts) if pts else np.empty((0, 2))
            points = points[np.isfinite(points).all(axis=1)]
            best: tuple[int, str] | None = None
            for loc in (
                "upper center",
                "upper left",
                "upper right",
                "lower right",
                "lower left",
                "lower center",
                "center left",
                "center right",
            ):
                legend.set_loc(loc)  # type: ignore[arg-type]
                box = legend.get_window_extent(renderer).padded(4)
                count = int(box.count_contains(points))
                if best is None or count < best[0]:
                    best = (count, loc)
            assert best is not None
            legend.set_loc(best[1])  # type: ignore[arg-type]
            if best[0] == 0:  # covers no data in any frame: part of the static background
                legend.set_animated(False)
                self.overlays.remove(legend)
        self._dynamic.sort(key=lambda a: a.get_zorder())

    # -- frames ---------------------------------------------------------------------------

    @property
    def n_frames(self) -> int:
        """Number of frames: one per stored state of the run."""
        return self.run.n_frames

    def update(self, frame: int) -> list[Artist]:
        """Show frame ``frame`` (negative counts from the end); return the artists to draw.

        Only data changes; limits, layout and static artists stay as built. The artists are
        returned in drawing order (by z-order).
        """
        f = self.run.frame_index(frame)
        self._status.set_text(_status(self.run, f))
        self._update(f)
        return list(self._dynamic)

    def _update(self, f: int) -> None:
        raise NotImplementedError


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
        ax.set_xlim(*_limits([x], pad=0.02))
        ax.set_ylim(*_limits([y_target, self.y_all], anchor=(t_lo, t_hi)))
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
        lo, hi = _span(refs)
        lo, hi = max(lo, 1e-12), max(hi, 1e-11)
        lax.set_ylim(lo / 10 ** (0.12 * math.log10(hi / lo) + 0.05), hi * 10**0.25)
        _log_ticks(lax)
        if floor > 0:
            lax.axhline(floor, color=c["muted"], lw=1.2, ls=":", zorder=1.5)
            note = lax.annotate(
                f"best straight line: {_format_mse(floor)}",
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
            lim = _limits(vals, anchor=t_span if is_out else None)
            for i in g:
                ylims[i] = lim

        order = _unit_order(run) if exp.hidden else np.zeros(1, int)
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
            ax.set_xlim(*_limits([x], pad=0.02))
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


class NeuronsView(View):
    """Each hidden unit's weighted piece, their sum, the kinks; below, the slopes.

    Only for one hidden layer of ReLU (or leaky ReLU) units and a linear output.

    Examples
    --------
    >>> import numpy as np
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(3,), steps=20, frames=2))
    >>> view = NeuronsView(run, size=(500, 400))
    >>> pieces = np.array([line.get_ydata() for line in view.pieces])
    >>> bool(np.allclose(pieces.sum(0) + run.biases[1][-1, 0], view.output.get_ydata()))
    True
    """

    name = "neurons"

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
        b2 = run.biases[1][:, 0].astype(float)
        self.params = (w1, b1, w2, b2)
        y_target = exp.target_fn(x)
        self.y_all = run.predict_frames(x)
        # Each piece w2*act(w1 x + b1) is monotone on the domain: its extremes are at the ends.
        ends = np.array([lo, hi])
        piece_ends = w2[:, None, :] * act(w1[:, None, :] * ends[None, :, None] + b1[:, None, :])
        t_span = (float(y_target.min()), float(y_target.max()))
        ax.set_xlim(*_limits([x], pad=0.02))
        ax.set_ylim(*_limits([y_target, self.y_all, piece_ends, np.zeros(1)], anchor=t_span))
        ax.axhline(0.0, color=c["muted"], lw=1.0, zorder=1.6)
        ax.set_title(
            "each unit's piece " + r"$w_{2j}\,\mathrm{relu}(w_{1j}x + b_{1j})$" + " and their sum",
            loc="left",
            fontsize=11,
        )
        if act.name.startswith("leaky"):
            ax.set_title(ax.get_title(loc="left").replace("relu", "leaky"), loc="left")
        ax.tick_params(labelbottom=False)

        order = _unit_order(run)
        cols = style.unit_colors(units, self.dark)
        self.unit_colors = [cols[k] for k in order]
        lw = 1.9 if units <= 4 else 1.3
        self.pieces = [
            self._dyn(ax.plot(x, np.zeros_like(x), color=self.unit_colors[j], lw=lw)[0])
            for j in range(units)
        ]
        for line in self.pieces:
            line.set_zorder(2.0)
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
        net_slopes = self._slopes_all()
        # The target's slope without its spikes (a step's derivative is a Dirac delta).
        s_lo, s_hi = np.percentile(self.target_slope, [0.5, 99.5])
        dax.set_ylim(*_limits([net_slopes, np.array([s_lo, s_hi])]))
        dax.axhline(0.0, color=c["muted"], lw=1.0, zorder=1.6)
        slope_name = _TARGET_SLOPES.get(exp.target_fn.name)
        t_label = "target's slope" + (f" {slope_name}" if slope_name else "")
        (tline,) = dax.plot(x, self.target_slope, ls="--", color=style.TARGET, lw=2.0, zorder=2.3)
        tline.set_label(t_label)
        self._dyn(tline)
        (self.slope,) = dax.plot(
            [], [], color=self.prediction_color, lw=2.2, label="network's slope"
        )
        self.slope.set_zorder(2.2)
        self._dyn(self.slope)
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
                (np.linspace(lo, hi, net_slopes.shape[1])[None, :], net_slopes),
            ],
            fontsize=9,
        )

    def _slopes_all(self) -> np.ndarray:
        """The network's slope on a fine grid at every frame: shape (F, n)."""
        w1, b1, w2, _ = self.params
        act = self.run.experiment.activation_fn
        xs = np.linspace(*self.run.experiment.domain, 401)
        pre = w1[:, None, :] * xs[None, :, None] + b1[:, None, :]
        return np.asarray((act.derivative(pre) * (w1 * w2)[:, None, :]).sum(axis=-1))

    def staircase(self, frame: int) -> tuple[np.ndarray, np.ndarray]:
        """The network's slope at one frame as an exact staircase: vertices ``(x, slope)``.

        Examples
        --------
        >>> from relu_guide import Experiment, train
        >>> run = train(Experiment(hidden=(2,), steps=20, frames=2))
        >>> xs, ys = NeuronsView(run, size=(400, 300)).staircase(-1)
        >>> bool(xs[0] == -5.0 and xs[-1] == 5.0 and len(xs) == len(ys))
        True
        """
        f = self.run.frame_index(frame)
        w1, b1, w2, _ = (p[f] for p in self.params)
        lo, hi = self.run.experiment.domain
        act = self.run.experiment.activation_fn
        inside = sorted(k.x for k in self.kinks[f] if k.state == "kink")
        edges = np.array([lo, *inside, hi])
        mids = 0.5 * (edges[1:] + edges[:-1])
        s = (act.derivative(w1[None, :] * mids[:, None] + b1[None, :]) * (w1 * w2)).sum(axis=1)
        xs = np.repeat(edges, 2)[1:-1]
        ys = np.repeat(s, 2)
        return xs, ys

    def _update(self, f: int) -> None:
        run = self.run
        pieces = unit_pieces(run, self.x, f)
        ks = self.kinks[f]
        lo, hi = run.experiment.domain
        offsets = np.zeros((len(ks), 2))
        faces, edges = [], []
        bg = mpl.colors.to_rgba(self.colors["bg"])
        n_kink = n_dead = n_on = 0
        for j, (line, k) in enumerate(zip(self.pieces, ks, strict=True)):
            line.set_ydata(pieces[:, j])
            color = mpl.colors.to_rgba(self.unit_colors[j])
            if k.state == "kink":
                n_kink += 1
                line.set_alpha(1.0)
                line.set_linestyle("-")
                offsets[j] = (k.x, 0.0)
                faces.append(color)
                edges.append(color)
            else:
                n_dead += k.state == "dead"
                n_on += k.state == "always on"
                line.set_alpha(0.45)
                line.set_linestyle((0, (2, 1.5)))
                x = k.x if math.isfinite(k.x) else (lo if k.state == "dead" else hi)
                offsets[j] = (min(max(x, lo), hi), 0.0)
                faces.append(bg)
                edges.append((*color[:3], 0.8))
        self.kink_marks.set_offsets(offsets)
        self.kink_marks.set_facecolor(faces)
        self.kink_marks.set_edgecolor(edges)
        self.output.set_ydata(self.y_all[f])
        self.slope.set_data(*self.staircase(f))
        parts = [f"{n_kink} kink{'s' if n_kink != 1 else ''} inside"]
        if n_dead:
            parts.append(f"{n_dead} dead")
        if n_on:
            parts.append(f"{n_on} always on")
        self.census.set_text(" · ".join(parts))


_VIEWS: dict[str, type[View]] = {"fit": FitView, "layers": LayersView, "neurons": NeuronsView}


def make_view(
    run: Run,
    view: str = "fit",
    *,
    size: tuple[int, int] = (700, 500),
    dark: bool = False,
    animated: bool = False,
    pyplot: bool = False,
) -> View:
    """Build the named view of a run (see :class:`View` for the parameters).

    Raises
    ------
    ValueError
        If ``view`` is not one of :data:`VIEW_NAMES`, or the view cannot show this network.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> make_view(train(Experiment(hidden=(), steps=2, frames=1)), "neurons")
    Traceback (most recent call last):
    ...
    ValueError: the 'neurons' view needs one hidden layer of ReLU units and a linear output, got Linear(1, 1); try view='layers'
    """
    cls = view_class(view)
    return cls(run, size=size, dark=dark, animated=animated, pyplot=pyplot)


def view_class(view: str) -> type[View]:
    """The class drawing the named view.

    Raises
    ------
    ValueError
        If ``view`` is not one of :data:`VIEW_NAMES`.

    Examples
    --------
    >>> view_class("layers").__name__
    'LayersView'
    """
    if not isinstance(view, str) or view not in _VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(VIEW_NAMES)}")
    return _VIEWS[view]
