"""The base of the views: one figure built once, its changing artists updated frame by frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from relu_guide.core.experiment import Experiment
from relu_guide.core.training import Run
from relu_guide.drawing import style
from relu_guide.drawing.axes import Curves, _legend_columns, inches
from relu_guide.drawing.captions import status
from relu_guide.drawing.options import check_text_floor, check_view
from relu_guide.drawing.raster import lay_out
from relu_guide.drawing.text import FastText, _split_line, enlarge_text, smallest_text_px

__all__ = ["GRID_POINTS", "REFERENCE_SIZE", "View"]

#: Points on the x grid every curve is drawn on.
GRID_POINTS = 801

#: Pixel size at which text and lines have their nominal point sizes (larger sizes scale up).
REFERENCE_SIZE = (700, 500)

_A = TypeVar("_A", bound=Artist)


def _count_inside(box: Bbox, x: np.ndarray, y: np.ndarray) -> int:
    """How many points lie strictly inside ``box`` (what :meth:`Bbox.count_contains` counts).

    Examples
    --------
    >>> _count_inside(Bbox([[0, 0], [2, 2]]), np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]))
    1
    """
    inside = (x > box.xmin) & (x < box.xmax) & (y > box.ymin) & (y < box.ymax)
    return int(np.count_nonzero(inside))


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
    min_text_px : float, optional
        Smallest text size in pixels. By default text scales with the frame (its nominal point
        sizes at 700 x 500); a floor keeps a narrow frame's text legible when the frame is
        shown small (a video on a phone), the layout making room for it.

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
    >>> from relu_guide.drawing.views import FitView
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
        min_text_px: float | None = None,
    ) -> None:
        floor = check_text_floor(min_text_px)
        self.run = run
        self.size = (int(size[0]), int(size[1]))
        self.dark = bool(dark)
        self.animated = bool(animated)
        self.colors = style.theme_colors(self.dark)
        self.prediction_color = style.prediction_color(self.dark)
        self.check(run.experiment)
        self.x = np.linspace(*run.experiment.domain, GRID_POINTS)
        self._frame = -1
        with style.figure_style(self.dark):
            self.figure = self._new_figure(pyplot)
        # The figure knows its view: a narrow variant redraws the view at its own size.
        setattr(self.figure, "_relu_guide_view", self)  # noqa: B010
        self._draw(floor)

    def _draw(self, floor: float | None) -> None:
        """Build the artists on the (empty) figure, lay them out, show the current frame."""
        self._floor = floor
        self._dynamic: list[Artist] = []
        self._suptitle: Text | None = None
        #: Opaque artists that never change but sit over changing ones (the legends): an
        #: animation draws them once and pastes their pixels over every frame.
        self.overlays: list[Artist] = []
        self._legends: list[tuple[Axes, Legend, Curves]] = []
        with style.figure_style(self.dark):
            self._build()
            enlarge_text(self.figure, floor)
            self._finish()
        self.update(self._frame)

    def _redraw_at(self, size: tuple[int, int], min_text_px: float | None) -> None:
        """Draw the view again, in place, ``size`` pixels large with that text floor.

        What the narrow variant of a figure of a view is (a phone's layout, like the video
        frames'): the view's own layout logic (stacked panels, shortened headings) runs again at
        the new size, instead of the wide layout being squeezed.
        """
        fig = self.figure
        fig.clear()
        fig.set_layout_engine("constrained")
        self.size = (int(size[0]), int(size[1]))
        w, h = self.size
        dpi = style.DPI * min(w / REFERENCE_SIZE[0], h / REFERENCE_SIZE[1])
        fig.set_dpi(dpi)
        fig.set_size_inches(inches(w, dpi), inches(h, dpi))
        self._draw(check_text_floor(min_text_px))

    # -- building -------------------------------------------------------------------------

    def _new_figure(self, pyplot: bool) -> Figure:
        w, h = self.size
        # Drawn as a 700 x 500 figure, scaled: text and lines keep their proportions at any
        # size (a 1000 x 1000 video has larger text, a small one smaller).
        dpi = style.DPI * min(w / REFERENCE_SIZE[0], h / REFERENCE_SIZE[1])
        figsize = (inches(w, dpi), inches(h, dpi))
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
            **kw,
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
            floor_pt = 0.0 if self._floor is None else self._floor * 72.0 / float(fig.dpi)
            lowest: float | None = None  # measured only for a title too long (walks every text)
            while self._suptitle.get_window_extent(renderer).width > room:
                if lowest is None:  # 9 pt, or the smallest text; never below the text floor
                    lowest = max(floor_pt, min(9.0, smallest_text_px(fig) * 72.0 / float(fig.dpi)))
                if float(self._suptitle.get_fontsize()) <= lowest:
                    # Still too long at the floor: the title on two lines, the blank line kept.
                    title = self._suptitle.get_text().removesuffix("\n ")
                    split = _split_line(title)
                    if split is not None:
                        self._suptitle.set_text(split + "\n ")
                    break
                # Half a point smaller, never below the floor (the last step may overshoot).
                self._suptitle.set_fontsize(
                    max(float(self._suptitle.get_fontsize()) - 0.5, floor_pt)
                )
        # Compute the layout once (no need to draw), then keep it fixed for every frame.
        assert fig.get_layout_engine() is not None
        lay_out(fig)  # or the layout of its twin in the other theme (see raster.twin_layouts)
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
            if legend.get_window_extent(renderer).width > ax.bbox.width:  # a narrow panel
                _legend_columns(legend, 1)
            pts = []
            for x, y in curves:
                bx, by = np.broadcast_arrays(x, y)
                pts.append(ax.transData.transform(np.column_stack([bx.ravel(), by.ravel()])))
            points = np.concatenate(pts) if pts else np.empty((0, 2))
            # Columns, not rows: counting points per box is then a few passes over two arrays.
            px, py = points[:, 0], points[:, 1]
            finite = np.isfinite(px) & np.isfinite(py)
            px, py = px[finite], py[finite]
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
                legend.set_loc(loc)
                box = legend.get_window_extent(renderer).padded(4)
                count = _count_inside(box, px, py)
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
        self._frame = frame
        self._status.set_text(status(self.run, f))
        self._update(f)
        return list(self._dynamic)

    def _update(self, f: int) -> None:
        raise NotImplementedError
