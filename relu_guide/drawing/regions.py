"""The regions view of a two-input ReLU net: its linear regions, its units' lines, its fit.

Left, the square of inputs cut into the net's activation regions
(:func:`relu_guide.core.regions.linear_regions`), each filled with a colour of its own (the
colour follows the region's activation pattern, so a region keeps its colour while it moves);
the first hidden layer's units are drawn as their lines ``w · (x_1, x_2) + b = 0``, one colour per
unit. Right, the net's output as a heatmap, with the target's contours dashed. The same
:class:`RegionsView` draws a static figure (:func:`regions_figure`) and every frame of a
training animation (:func:`animate_regions`, encoded by :mod:`relu_guide.drawing.animation`).

Examples
--------
>>> from relu_guide.core.plane import PlaneExperiment
>>> from relu_guide.core.plane_training import train_plane
>>> from relu_guide.drawing.regions import RegionsView
>>> run, = train_plane([PlaneExperiment(hidden=(4,), steps=20, frames=2)])
>>> view = RegionsView(run, size=(560, 280))
>>> view.n_frames, len(view.update(-1)) > 0
(3, True)
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure

from relu_guide.core.plane import PlaneRun, plane_grid
from relu_guide.core.regions import Region, linear_regions
from relu_guide.drawing import style
from relu_guide.drawing.animation import Animation
from relu_guide.drawing.options import check_fps, check_size, check_text_floor
from relu_guide.drawing.style import redrawable
from relu_guide.drawing.text import enlarge_text

__all__ = [
    "RegionsAnimation",
    "RegionsView",
    "animate_regions",
    "describe_regions",
    "region_color",
    "regions_figure",
]


def region_color(pattern: Sequence[bool], dark: bool = False) -> tuple[float, float, float]:
    """A colour for an activation pattern: a hue drawn from the pattern's hash, soft tones.

    The same pattern always gets the same colour; neighbouring regions (patterns one unit
    apart) get unrelated hues.

    Examples
    --------
    >>> region_color((True, False)) == region_color((True, False))
    True
    >>> region_color((True, False)) != region_color((False, True))
    True
    """
    key = "".join("1" if p else "0" for p in pattern).encode()
    h = int.from_bytes(hashlib.blake2s(key, digest_size=4).digest(), "big") / 2**32
    sat, val = (0.45, 0.52) if dark else (0.30, 0.97)
    return colorsys.hsv_to_rgb(h, sat, val)


def _unit_segments(run: PlaneRun, frame: int) -> np.ndarray:
    """Each first-layer unit's line clipped to the square: ``(units, 2, 2)`` (NaN if outside)."""
    lo, hi = run.experiment.domain
    w = run.weights[0][frame].astype(float)
    b = run.biases[0][frame].astype(float)
    out = np.full((len(b), 2, 2), np.nan)
    for j, ((a, c), d) in enumerate(zip(w, b, strict=True)):
        pts = []
        for x in (lo, hi):  # crossings of the vertical sides: a x + c y + d = 0
            if c != 0:
                y = -(a * x + d) / c
                if lo <= y <= hi:
                    pts.append((x, y))
        for y in (lo, hi):
            if a != 0:
                x = -(c * y + d) / a
                if lo <= x <= hi:
                    pts.append((x, y))
        if len(pts) >= 2:
            p = np.array(pts)
            i, k = np.unravel_index(
                np.argmax(np.linalg.norm(p[:, None] - p[None], axis=-1)), (len(p),) * 2
            )
            out[j] = p[[i, k]]
    return out


def describe_regions(run: PlaneRun) -> str:
    """One sentence for alt text: what the regions view of this run shows."""
    exp = run.experiment
    if not run.fitted:
        return (
            f"The input square of the hand-built net {exp.describe()}, cut into its linear "
            "regions, each in its own colour, with each first-layer unit's line; beside it, the "
            "network's output as a heatmap."
        )
    target = (
        exp.target_fn.latex.replace("^2", "²")
        .replace("_1", "₁")
        .replace("_2", "₂")
        .replace(r"\max", "max")
    )
    return (
        f"The input square of {exp.describe()} fitting {target}, cut into its linear regions, "
        "each in its own colour, with each first-layer unit's line; beside it, the network's "
        "output as a heatmap with the target's contours dashed."
    )


class RegionsView:
    """A figure of a two-input run whose regions, lines and heatmap are updated frame by frame.

    Parameters
    ----------
    run : PlaneRun
    size : (int, int), default (760, 400)
        Pixels at :data:`relu_guide.drawing.style.DPI`.
    dark : bool, default False
    animated : bool, default False
        Mark the changing artists animated (for blitting).
    pyplot : bool, default False
        Register the figure with pyplot (so that sphinx-gallery and Jupyter show it).
    min_text_px : float, optional
        Smallest text size in pixels (see :class:`relu_guide.drawing.views.View`). A frame
        taller than wide stacks the two panels.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    overlays : list of Artist
        Always empty (the animation encoder asks for it).
    """

    def __init__(
        self,
        run: PlaneRun,
        *,
        size: tuple[int, int] = (760, 400),
        dark: bool = False,
        animated: bool = False,
        pyplot: bool = False,
        min_text_px: float | None = None,
    ) -> None:
        if not isinstance(run, PlaneRun):
            msg = f"run must be a PlaneRun (from train_plane), got {run!r}"
            raise ValueError(msg)
        floor = check_text_floor(min_text_px)
        self.run, self.dark, self.animated = run, bool(dark), bool(animated)
        self.size = (int(size[0]), int(size[1]))
        self.overlays: list[Artist] = []
        self._regions: dict[int, list[Region]] = {}
        exp = run.experiment
        lo, hi = exp.domain
        self.gx, self.gy = plane_grid(exp.domain, 121)
        outputs = np.stack([run.predict(self.gx, self.gy, f) for f in range(run.n_frames)])
        truth = exp.target_fn(self.gx, self.gy) if run.fitted else outputs[-1]
        vmin, vmax = (
            float(min(truth.min(), np.percentile(outputs, 1))),
            float(max(truth.max(), np.percentile(outputs, 99))),
        )
        self._outputs = outputs
        theme = style.theme_colors(self.dark)
        with style.figure_style(self.dark):
            figsize = (self.size[0] / style.DPI, self.size[1] / style.DPI)
            if pyplot:
                import matplotlib.pyplot as plt

                fig = plt.figure(figsize=figsize, dpi=style.DPI, layout="constrained")
            else:
                fig = Figure(figsize=figsize, dpi=style.DPI, layout="constrained")
                FigureCanvasAgg(fig)
            self.figure = fig
            stacked = self.size[1] > self.size[0]
            left, right = fig.subplots(2, 1) if stacked else fig.subplots(1, 2)
            for ax in (left, right):
                ax.set_xlim(lo, hi)
                ax.set_ylim(lo, hi)
                ax.set_aspect("equal")
                ax.grid(False)
                ax.set_xlabel("$x_1$")
            for ax in (left, right) if stacked else (left,):
                ax.set_ylabel("$x_2$")
            self._polys = PolyCollection([], edgecolors=theme["fg"], linewidths=0.35)
            left.add_collection(self._polys)
            n_units = exp.hidden[0]
            self._lines = LineCollection(
                [], colors=style.unit_colors(n_units, self.dark), linewidths=1.6
            )
            left.add_collection(self._lines)
            self._image = right.imshow(
                outputs[-1], origin="lower", extent=(lo, hi, lo, hi), cmap="cividis",
                vmin=vmin, vmax=vmax, interpolation="bilinear",
            )  # fmt: skip
            levels = np.linspace(truth.min(), truth.max(), 7)[1:-1]
            self._contours = right.contour(
                self.gx,
                self.gy,
                truth,
                levels=levels,
                colors=theme["fg"] if self.dark else "#ffffff",
                linestyles="--",
                linewidths=1.0,
            )
            self._contours.set_visible(run.fitted)
            fig.colorbar(self._image, ax=right, shrink=0.85, label="output")
            left.set_title("activation regions", loc="left", fontsize=11)
            right.set_title(
                f"output; target ${exp.target_fn.latex}$ dashed" if run.fitted else "output",
                loc="left",
                fontsize=11,
            )
            # Two lines, so that the layout keeps room for the status of every frame.
            self._status = fig.suptitle(
                "step 0\n ", x=0.01, ha="left", fontsize=11, fontweight="bold", linespacing=1.4
            )
            for artist in (self._polys, self._lines, self._image, self._contours, self._status):
                artist.set_animated(self.animated)
            enlarge_text(fig, floor)
            fig.set_label(describe_regions(run))
        self.update(-1)

    @property
    def n_frames(self) -> int:
        """Number of frames, one per stored state of the run."""
        return self.run.n_frames

    def regions(self, frame: int) -> list[Region]:
        """The activation regions at a frame (computed once)."""
        f = frame % self.n_frames
        if f not in self._regions:
            ws, bs = self.run.parameters(f)
            self._regions[f] = linear_regions(ws, bs, self.run.experiment.domain)
        return self._regions[f]

    def update(self, frame: int) -> list[Artist]:
        """Show one frame; returns the changed artists in drawing order."""
        f = frame % self.n_frames
        regions = self.regions(f)
        self._polys.set_verts([r.polygon for r in regions])
        self._polys.set_facecolor([region_color(r.pattern, self.dark) for r in regions])
        segs = _unit_segments(self.run, f)
        self._lines.set_segments(list(segs))
        self._image.set_data(self._outputs[f])
        step = int(self.run.steps[f])
        trained = self.run.experiment.steps > 1  # a hand-built net is a run of one step
        self._status.set_text(
            f"{self.run.experiment.describe()}\n"
            + (f"step {step}    " if trained else "")
            + f"{len(regions)} regions"
            + (f"    MSE {self.run.losses[f]:.3g}" if self.run.fitted else "")
        )
        return [self._polys, self._lines, self._image, self._contours, self._status]


@redrawable
def regions_figure(run: PlaneRun, frame: int = -1, *, dark: bool = False) -> Figure:
    """A static regions view of one frame (registered with pyplot).

    Examples
    --------
    >>> from relu_guide.core.plane import PlaneExperiment
    >>> from relu_guide.core.plane_training import train_plane
    >>> run, = train_plane([PlaneExperiment(hidden=(3,), steps=10, frames=1)])
    >>> len(regions_figure(run).axes)
    3
    """
    view = RegionsView(run, pyplot=True, dark=dark)
    view.update(frame)
    return view.figure


class RegionsAnimation(Animation):
    """A training animation of the regions view; saved and shown like any :class:`~relu_guide.Animation`.

    Make one with :func:`animate_regions`.
    """

    #: The output map is a colour gradient: with 64 colours its poster borrowed the regions'
    #: hues (pink and green rings in cividis); 256 keep the map's own.
    poster_colors = 256

    def __init__(
        self,
        run: PlaneRun,
        *,
        size: tuple[int, int] = (760, 400),
        fps: float = 10,
        dark: bool = False,
        min_text_px: float | None = None,
    ) -> None:
        if not isinstance(run, PlaneRun):
            msg = f"run must be a PlaneRun (from train_plane), got {run!r}"
            raise ValueError(msg)
        self.plane_run = run
        self.view = "regions"
        self.size = check_size(size)
        self.fps = check_fps(fps)
        self.dark = bool(dark)
        self.min_text_px = check_text_floor(min_text_px)
        self._cache: dict[str, bytes] = {}

    @property
    def n_frames(self) -> int:
        """Number of frames, one per stored state of the run."""
        return self.plane_run.n_frames

    @property
    def alt(self) -> str:
        """One sentence describing the animation."""
        return "Training animation: " + describe_regions(self.plane_run)

    def __repr__(self) -> str:
        w, h = self.size
        return (
            f"<RegionsAnimation of {self.plane_run.experiment.describe()}: "
            f"{self.n_frames} frames, {w}x{h} px, {self.fps} fps>"
        )

    def _view(self) -> RegionsView:  # type: ignore[override]
        return RegionsView(
            self.plane_run,
            size=self.size,
            dark=self.dark,
            animated=True,
            min_text_px=self.min_text_px,
        )


def animate_regions(
    run: PlaneRun,
    *,
    size: tuple[int, int] = (760, 400),
    fps: float = 10,
    dark: bool = False,
    min_text_px: float | None = None,
) -> RegionsAnimation:
    """An animation of the regions of a two-input net moving during training.

    A ``size`` taller than wide stacks the panels; ``min_text_px`` is a floor on the text
    size in pixels, as for :func:`relu_guide.animate`.

    Examples
    --------
    >>> from relu_guide.core.plane import PlaneExperiment
    >>> from relu_guide.core.plane_training import train_plane
    >>> run, = train_plane([PlaneExperiment(hidden=(4,), steps=20, frames=3)])
    >>> anim = animate_regions(run, size=(400, 200))
    >>> anim.n_frames, [f.shape for f in anim.frames([0])]
    (4, [(200, 400, 3)])
    """
    return RegionsAnimation(run, size=size, fps=fps, dark=dark, min_text_px=min_text_px)
