"""Figures drawn straight to pixels: laid out once, drawn once, the layout reusable by a twin.

``Figure.savefig`` on a constrained-layout figure lays it out in a dry draw, draws it again,
and encodes a true-colour PNG that a caller wanting a palette PNG decodes again.
:func:`rasterize` lays the figure out once, draws it once into an RGB array, and returns the
layout it used. The layout (measuring every text, twice) is the costliest part of drawing a
guide figure; a figure drawn again by the same call in the other theme has the same texts, the
same panels and the same size, so ``rasterize(dark, dpi, like=layout)`` copies the light
figure's layout instead of computing it again. Figures of one size share their Agg renderer, and
with it matplotlib's cache of text sizes (kept per renderer): a tick label measured for the light
figure is not measured again for the dark one. The pixels are those ``savefig`` gives.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from relu_guide.drawing.raster import rasterize
>>> fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
>>> _ = ax.plot([0, 1], [0, 1]), ax.set_title("a line")
>>> rgb, layout = rasterize(fig, 125)
>>> rgb.shape, fig.dpi, fig.get_layout_engine() is not None
((375, 500, 3), 100, True)
>>> twin, ax2 = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
>>> _ = ax2.plot([0, 1], [0, 1], color="C1"), ax2.set_title("a line")
>>> twin_rgb, _ = rasterize(twin, 125, like=layout)  # the same layout, not computed again
>>> ax2.get_position().bounds == ax.get_position().bounds
True
>>> plt.close("all")
"""

from __future__ import annotations

import contextlib
import io
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.transforms import Bbox

from relu_guide.drawing.once import measured_once

__all__ = ["Layout", "drawn_at", "lay_out", "layout_of", "rasterize", "remember", "twin_layouts"]

_SUPER_TEXTS = ("_suptitle", "_supxlabel", "_supylabel")
#: Agg renderers by (width, height, dpi), the most recently used last.
_RENDERERS: OrderedDict[tuple[float, float, float], RendererAgg] = OrderedDict()
_POOL_SIZE = 6


@dataclass(frozen=True)
class Layout:
    """Where a layout engine put a figure's panels and super-titles, for one size and dpi.

    ``key`` says what the layout fits: the size in pixels, the dpi, and each panel's kind,
    grid cell and words. A figure with another key is laid out afresh.
    """

    key: tuple[Any, ...]
    original: tuple[Bbox, ...]
    active: tuple[Bbox, ...]
    titles: tuple[tuple[float, float] | None, ...]


def _texts(ax: Any) -> tuple[Any, ...]:
    legend = ax.get_legend()
    words = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    return (
        type(ax).__name__,
        ax.get_title("left"),
        ax.get_title("center"),
        ax.get_title("right"),
        ax.get_xlabel(),
        ax.get_ylabel(),
        tuple(words),
    )


def _key(fig: Figure) -> tuple[Any, ...] | None:
    """What the layout depends on, or None when it cannot be copied (subfigures, colorbars)."""
    if fig.subfigs or any(getattr(ax, "_colorbar", None) is not None for ax in fig.axes):
        return None
    cells = []
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        geometry = None if spec is None else spec.get_geometry()
        limits = (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale())
        cells.append((geometry, ax.get_in_layout(), _texts(ax), limits))
    titles = []
    for name in _SUPER_TEXTS:
        text = getattr(fig, name, None)
        titles.append(None if text is None else (text.get_text(), float(text.get_fontsize())))
    legends = tuple(tuple(t.get_text() for t in leg.get_texts()) for leg in fig.legends)
    engine = fig.get_layout_engine()
    settings = tuple(sorted(engine.get().items())) if engine is not None else ()
    return (
        type(engine).__name__,
        settings,
        tuple(round(float(v), 6) for v in fig.bbox.size),
        round(float(fig.dpi), 6),
        tuple(cells),
        tuple(titles),
        legends,
    )


def _capture(fig: Figure, key: tuple[Any, ...]) -> Layout:
    titles = []
    for name in _SUPER_TEXTS:
        text = getattr(fig, name, None)
        titles.append(None if text is None else tuple(map(float, text.get_position())))
    return Layout(
        key=key,
        original=tuple(ax.get_position(original=True).frozen() for ax in fig.axes),
        active=tuple(ax.get_position(original=False).frozen() for ax in fig.axes),
        titles=tuple(titles),  # type: ignore[arg-type]
    )


def _apply(fig: Figure, layout: Layout) -> None:
    for ax, original, active in zip(fig.axes, layout.original, layout.active, strict=True):
        ax._set_position(original, which="original")  # type: ignore[attr-defined]
        ax._set_position(active, which="active")  # type: ignore[attr-defined]
    for name, position in zip(_SUPER_TEXTS, layout.titles, strict=True):
        text = getattr(fig, name, None)
        if text is not None and position is not None:
            text.set_position(position)


def rasterize(
    fig: Figure, dpi: float, *, like: Layout | None = None
) -> tuple[np.ndarray, Layout | None]:
    """Draw ``fig`` at ``dpi`` into an RGB array; the layout used, to copy onto a twin figure.

    The figure's layout engine runs once at that dpi (or ``like`` is copied, if it was made
    for a figure with the same size, panels and words), then the figure is drawn once with the
    layout fixed. The figure's dpi and layout engine are left as they were. Figures without an
    Agg canvas are drawn by ``savefig``.

    Returns
    -------
    rgb : numpy.ndarray
        ``(height, width, 3)`` uint8, what ``fig.savefig(dpi=dpi)`` gives.
    layout : Layout or None
        None for a figure without a layout engine, or one whose layout cannot be copied.
    """
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        from PIL import Image

        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor=fig.get_facecolor())
        with Image.open(buf) as image:
            return np.asarray(image.convert("RGB")), None
    engine = fig.get_layout_engine()
    layout: Layout | None = None
    with drawn_at(fig, dpi):
        try:
            if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
                key = _key(fig)
                if fig.axes and like is not None and key is not None and like.key == key:
                    _apply(fig, like)
                elif fig.axes:
                    engine.execute(fig)
                if key is not None:
                    layout = _capture(fig, key)
                fig.set_layout_engine("none")
            canvas.draw()
            rgb = np.asarray(canvas.buffer_rgba())[..., :3].copy()
        finally:
            if engine is not None and fig.get_layout_engine() is not engine:
                fig.set_layout_engine(engine)
    return rgb, layout


@contextlib.contextmanager
def drawn_at(fig: Figure, dpi: float) -> Iterator[None]:
    """A block in which ``fig`` is at ``dpi`` and, on an Agg canvas, draws with the shared
    renderer of its size (with it, the sizes of texts measured for any figure of that size);
    the figure's dpi and its canvas' own renderer are back after it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(4, 3), dpi=100)
    >>> with drawn_at(fig, 125):
    ...     float(fig.canvas.get_renderer().width)
    500.0
    >>> fig.dpi
    100
    >>> plt.close(fig)
    """
    canvas = fig.canvas
    old_dpi = fig.dpi
    own = canvas.__dict__.get("renderer"), canvas.__dict__.get("_lastKey")
    try:
        fig.dpi = dpi
        if isinstance(canvas, FigureCanvasAgg):
            _lend_renderer(canvas, fig)
        yield
    finally:
        # The canvas gets its own renderer back: the shared one will hold other figures.
        for name, value in zip(("renderer", "_lastKey"), own, strict=True):
            if value is None:
                canvas.__dict__.pop(name, None)
            else:
                setattr(canvas, name, value)
        fig.dpi = old_dpi


def _lend_renderer(canvas: FigureCanvasAgg, fig: Figure) -> None:
    """Give ``canvas`` the shared renderer of its figure's size (what ``get_renderer`` reuses)."""
    width, height = fig.bbox.size
    key = (float(width), float(height), float(fig.dpi))
    renderer = _RENDERERS.pop(key, None)
    if renderer is None:
        renderer = RendererAgg(width, height, fig.dpi)
        while len(_RENDERERS) >= _POOL_SIZE:
            _RENDERERS.popitem(last=False)
    _RENDERERS[key] = renderer
    canvas.renderer = renderer
    canvas._lastKey = key  # type: ignore[assignment]


#: Layouts of the figures laid out in the open :func:`twin_layouts` blocks, innermost last.
_TWINS: list[dict[tuple[Any, ...], Layout]] = []


@contextlib.contextmanager
def twin_layouts() -> Iterator[None]:
    """A block in which figures with the same key share one layout (a figure and its twin).

    Inside it, :func:`lay_out` copies the layout of a figure laid out (or :func:`remember`-ed)
    earlier in the block whose key matches: the same size, dpi, layout settings, panels, words
    and axis limits. The scraper opens one per output, around its light and dark drawings.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> def panel(color):
    ...     fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ...     _ = ax.plot([0, 1], [0, 1], color=color), ax.set_title("twins")
    ...     return fig
    >>> with twin_layouts():
    ...     light, dark = panel("C0"), panel("C1")
    ...     lay_out(light)
    ...     lay_out(dark)  # copied, not computed
    >>> dark.axes[0].get_position().bounds == light.axes[0].get_position().bounds
    True
    >>> plt.close("all")
    """
    _TWINS.append({})
    try:
        yield
    finally:
        _TWINS.pop()


def layout_of(fig: Figure) -> Layout | None:
    """The layout ``fig`` has now (as its last draw placed it), for ``rasterize(like=...)``.

    None when it cannot be copied (subfigures, colorbars) or the figure has no panels.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 3), dpi=125, layout="constrained")
    >>> fig.draw_without_rendering()
    >>> layout = layout_of(fig)
    >>> layout.active[0].bounds == ax.get_position().bounds
    True
    >>> plt.close(fig)
    """
    key = _key(fig) if fig.axes else None
    return None if key is None else _capture(fig, key)


def remember(fig: Figure) -> None:
    """Keep ``fig``'s current layout for its twins in the open :func:`twin_layouts` block."""
    layout = layout_of(fig) if _TWINS else None
    if layout is not None:
        _TWINS[-1].setdefault(layout.key, layout)


def lay_out(fig: Figure) -> None:
    """Run ``fig``'s layout engine once, or copy the layout of its twin (see :func:`twin_layouts`)."""
    engine = fig.get_layout_engine()
    if engine is None:
        return
    key = _key(fig) if _TWINS and fig.axes else None
    if key is not None and key in _TWINS[-1]:
        _apply(fig, _TWINS[-1][key])
        return
    with measured_once():
        engine.execute(fig)
    if key is not None:
        _TWINS[-1][key] = _capture(fig, key)
