"""The narrow variant of a figure, for phones: panels stacked, headings fitted to the width.

The scraper (:mod:`relu_guide.faces.sphinxext.scraping`) draws every figure wider than
:data:`NARROW_WIDTH` pixels again at that width (:func:`narrow_variant`): the text keeps its
size, so headings that no longer fit are wrapped, legends cut at an edge take fewer columns,
and a legend that now lies on its panel's lines moves below the panel. The figure's twin in the
other theme takes the same words (:class:`Fit`) without being measured again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["NARROW_STRETCH", "NARROW_WIDTH", "Fit", "narrow_variant"]


#: Width in pixels of the narrow variant of a figure, for phones: 9-point text stays above
#: 9 CSS px in a 358 px column (a 390 px phone), where a 700 px figure would shrink it to 6.
NARROW_WIDTH = 440
#: Height added to a narrow figure that keeps its panels side by side (they get narrower).
NARROW_STRETCH = 1.15


@dataclass(frozen=True)
class Fit:
    """What :func:`narrow_variant` did to a figure's words, to do again to its twin.

    ``before`` and ``after`` are the narrow figure's words (each heading's text and size,
    each legend's columns, the layout's side padding) before and after its headings were
    fitted; a twin (the same figure in the other theme) whose words are ``before`` gets
    ``after`` without being laid out and measured again. ``layout`` is the layout the
    fitted figure got at the dpi it was fitted at (for ``rasterize(like=...)``), or None.
    """

    before: tuple[Any, ...] = ()
    after: tuple[Any, ...] = ()
    layout: Any = None


def narrow_variant(fig: Any, like: Fit | None = None, dpi: float | None = None) -> Fit | None:
    """Reshape ``fig`` in place for a phone, if it is wider than :data:`NARROW_WIDTH`.

    Panels side by side in one row are stacked in one column; other layouts keep their
    panels and get :data:`NARROW_STRETCH` times taller. Text keeps its point size, so it is
    larger relative to the figure; headings that no longer fit (cut at an edge, or running
    into other text) are wrapped onto more lines (of two that run into each other, the wider
    first), legends cut at an edge take fewer columns, and a legend lying on its panel's
    lines (not faint ones) moves below the panel, the figure growing by its height. A figure of a training run's view is drawn again by its view at the narrow size,
    as the view lays out its narrow video frames. Returns what was done (a :class:`Fit`:
    pass it as ``like`` for the figure's twin in the other theme, which then takes the same
    words without fitting them again), or None (and leaves the figure alone) when the figure
    is already narrow. ``dpi`` is the one the figure will be drawn at, if not its own: the
    headings are fitted at it, and the :class:`Fit` holds the figure's layout at it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.0), dpi=100, layout="constrained")
    >>> fit = narrow_variant(fig)
    >>> fit is not None, [round(v) for v in fig.get_size_inches() * fig.dpi]
    (True, [440, 510])
    >>> [ax.get_subplotspec().rowspan.start for ax in axes]
    [0, 1]
    >>> plt.close(fig)
    """
    from relu_guide.drawing.text import smallest_text_px

    own_dpi = float(fig.dpi)
    width, height = (float(v) * own_dpi for v in fig.get_size_inches())
    if width <= NARROW_WIDTH:
        return None
    view = getattr(fig, "_relu_guide_view", None)
    if view is not None:  # its own narrow layout, text no smaller than the wide figure's
        size = (NARROW_WIDTH, round(height * NARROW_STRETCH))
        view._redraw_at(size, min_text_px=smallest_text_px(fig))
        return Fit()
    stacked = _stack_panels(fig)
    _narrow_legends(fig)
    new_height = height * stacked * 0.85 if stacked > 1 else height * NARROW_STRETCH
    fig.set_size_inches(NARROW_WIDTH / own_dpi, round(new_height) / own_dpi)
    before = _words(fig)
    if like is not None and like.before == before:
        _set_words(fig, like.after)
        return like
    layout = _fit_headings(fig, dpi)
    return Fit(before, _words(fig), layout)


def _legends(fig: Any) -> list[Any]:
    """The visible legends of ``fig``: its axes' first, then its own and its subfigures'."""
    found = [ax.get_legend() for ax in fig.axes]
    found += [legend for f in _figures(fig) for legend in f.legends]
    return [legend for legend in found if legend is not None and legend.get_visible()]


def _words(fig: Any) -> tuple[Any, ...]:
    """What :func:`_fit_headings` may change: each heading's text and size, which panels'
    legends moved below them, each legend's columns, the side padding of the layout (and the
    figure's size in inches)."""
    engine = fig.get_layout_engine()
    w_pad = engine.get().get("w_pad") if engine is not None else None
    return (
        tuple(float(v) for v in fig.get_size_inches()),
        tuple((t.get_text(), float(t.get_fontsize())) for t in _headings(fig)),
        tuple((i, getattr(ax, _MOVED)) for i, ax in enumerate(fig.axes) if hasattr(ax, _MOVED)),
        tuple(int(getattr(legend, "_ncols", 1)) for legend in _legends(fig)),
        w_pad,
    )


def _set_words(fig: Any, words: tuple[Any, ...]) -> None:
    """Give ``fig`` the headings, legends and padding ``words`` (from :func:`_words`)."""
    from relu_guide.drawing.axes import _legend_columns

    _size, headings, moved, columns, w_pad = words
    for i, grow in moved:
        legend = fig.axes[i].get_legend()
        if legend is not None:
            _move_below(legend, grow)
    for text, (value, size) in zip(_headings(fig), headings, strict=True):
        text.set_text(value)
        text.set_fontsize(size)
    for legend, ncols in zip(_legends(fig), columns, strict=True):
        if int(getattr(legend, "_ncols", 1)) != ncols:
            _legend_columns(legend, ncols)
    if w_pad is not None:
        fig.get_layout_engine().set(w_pad=w_pad)


#: Rounds of :func:`_fit_headings`: each lays the figure out and wraps what still collides.
_FIT_ROUNDS = 8


def _fit_headings(fig: Any, dpi: float | None = None) -> Any:
    """Wrap headings cut at an edge or running into other text (one word too wide: a smaller
    size, down to the figure's smallest text); halve legends cut at an edge.

    The figure is laid out by its layout engine, if any, and drawn without rendering a pixel
    (labels sit where a drawing puts them) at ``dpi`` (default: its own), measured, mended,
    and laid out again, until nothing collides or nothing more can be done. Returns the
    layout of the last drawing if nothing was mended after it (else None).
    """
    from relu_guide.drawing.raster import drawn_at

    with drawn_at(fig, float(fig.dpi) if dpi is None else dpi):  # the drawing's text sizes
        return _fit_rounds(fig)


def _fit_rounds(fig: Any) -> Any:
    from relu_guide.drawing.axes import _legend_columns
    from relu_guide.drawing.raster import layout_of
    from relu_guide.drawing.text import _split_line, smallest_text_px

    floor = smallest_text_px(fig) * 72.0 / float(fig.dpi)  # points: no text gets smaller
    for _ in range(_FIT_ROUNDS):
        renderer = fig.canvas.get_renderer()  # of the figure's size: a moved legend grows it
        with renderer._draw_disabled():  # Figure.draw_without_rendering, on the Agg renderer
            fig.draw(renderer)
        frame = fig.bbox
        boxes = [(t, t.get_window_extent(renderer)) for t in _text_boxes(fig)]
        headings = _headings(fig)
        is_heading = [any(t is h for h in headings) for t, _ in boxes]
        mended: set[int] = set()
        # the widest first: of two headings that run into each other, only the wider is
        # wrapped in a round (wrapping both wrapped the narrower one for nothing)
        for i in sorted(range(len(boxes)), key=lambda k: -boxes[k][1].width):
            text, box = boxes[i]
            cut = box.x0 < frame.x0 - 0.5 or box.x1 > frame.x1 + 0.5
            cut = cut or box.y0 < frame.y0 - 0.5 or box.y1 > frame.y1 + 0.5
            if _is_legend(text):
                ncols = int(getattr(text, "_ncols", 1))
                grow = box.height / float(fig.dpi)  # its height, at the drawing's dpi
                if _covers_lines(text, box) and _move_below(text, grow):
                    mended.add(i)  # on the data: below the panel, outside it
                elif cut and ncols > 1:  # cut at an edge: fewer columns
                    _legend_columns(text, -(-ncols // 2))
                    mended.add(i)
                continue
            spaced = _with_space(text, box, fig.dpi) if is_heading[i] else box
            partners = {
                j
                for j, (_, other) in enumerate(boxes)
                if j != i and (spaced if is_heading[j] else box).overlaps(other)
            }
            if not cut and (not partners or partners <= mended):
                continue
            if is_heading[i]:
                wrapped = _split_line(text.get_text())
                if wrapped is not None:
                    text.set_text(wrapped)
                    mended.add(i)
                elif cut and _widen_margins(fig, max(frame.x0 - box.x0, box.x1 - frame.x1)):
                    mended.add(i)  # one word cut at the side: wider margins make room
                elif float(text.get_fontsize()) > floor:  # a word wider than its column
                    text.set_fontsize(max(float(text.get_fontsize()) - 0.5, floor))
                    mended.add(i)
        if not mended:
            return layout_of(fig)
    return None


#: The spacing of a legend that :func:`_move_below` keeps (attributes and arguments alike).
_LEGEND_SPACING = (
    "borderpad",
    "labelspacing",
    "handlelength",
    "handletextpad",
    "columnspacing",
    "markerscale",
    "numpoints",
    "scatterpoints",
)
#: Set on a panel whose legend :func:`_move_below` moved: the inches the figure grew for it.
_MOVED = "_relu_guide_legend_below"


def _move_below(legend: Any, grow: float = 0.0) -> bool:
    """Move a panel's legend below the (sub)figure that holds the panel, outside any panel,
    if the panel is in its grid's bottom row and a constrained layout makes the room; whether
    it was moved. The new legend shows the same title and entries in as many columns, at the
    same sizes and spacing and in the same colours; the figure grows ``grow`` inches taller
    for it, all of them given to the subfigure that holds the legend (the other rows keep
    their heights).
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    ax = legend.axes
    spec = ax.get_subplotspec()
    root, holder = ax.get_figure(root=True), ax.get_figure(root=False)
    if spec is None or spec.rowspan.stop != spec.get_gridspec().nrows:
        return False
    if holder.legends:  # its place below is taken
        return False
    if not isinstance(root.get_layout_engine(), ConstrainedLayoutEngine):
        return False
    title = legend.get_title()
    moved = holder.legend(
        legend.legend_handles,
        [t.get_text() for t in legend.texts],
        loc="outside lower center",
        ncols=int(getattr(legend, "_ncols", 1)),
        fontsize=legend._fontsize,
        labelcolor=[t.get_color() for t in legend.texts],
        frameon=legend.get_frame_on(),
        title=title.get_text() or None,
        title_fontsize=title.get_fontsize(),
        alignment=legend._alignment,
        **{k: getattr(legend, k) for k in _LEGEND_SPACING},
    )
    moved.get_title().set_color(title.get_color())
    legend.remove()
    setattr(ax, _MOVED, grow)
    width, height = root.get_size_inches()
    spec = getattr(holder, "_subplotspec", None)
    if holder is not root and spec is not None and spec.get_gridspec().figure is root:
        grid = spec.get_gridspec()  # rows of the figure: the holder's row gets the inches
        ratios = list(grid.get_height_ratios() or [1.0] * grid.nrows)
        rows = [r * height / sum(ratios) for r in ratios]
        for row in spec.rowspan:
            rows[row] += grow / len(spec.rowspan)
        grid.set_height_ratios(rows)
    root.set_size_inches(width, height + grow)
    return True


def _covers_lines(legend: Any, box: Any) -> bool:
    """Whether a legend inside its axes lies on one of their lines (its box in pixels); faint
    lines (alpha under a half: a bundle of traces behind the data) do not count."""
    ax = getattr(legend, "axes", None)
    if ax is None or legend.get_bbox_to_anchor() is not ax.bbox:
        return False  # a figure's legend, or one placed outside by hand
    for line in ax.get_lines():
        alpha = line.get_alpha()
        if not line.get_visible() or len(line.get_xydata()) < 2 or (alpha or 1.0) < 0.5:
            continue
        path = line.get_transform().transform_path(line.get_path())
        if path.intersects_bbox(box, filled=False):
            return True
    return False


#: The space a heading keeps from the next heading beside it, in ems of its own size: two
#: panel titles that merely touch read as one ("sigmoidscaled").
HEADING_GAP = 0.3


def _with_space(text: Any, box: Any, dpi: float) -> Any:
    """A heading's box widened by :data:`HEADING_GAP` on each side (pixels at ``dpi``)."""
    from matplotlib.transforms import Bbox

    gap = HEADING_GAP * float(text.get_fontsize()) * float(dpi) / 72.0
    return Bbox.from_extents(box.x0 - gap, box.y0, box.x1 + gap, box.y1)


def _widen_margins(fig: Any, overshoot: float) -> bool:
    """Widen a constrained layout's side padding by ``overshoot`` pixels (and a little more)."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine) or overshoot <= 0:
        return False
    w_pad = float(engine.get()["w_pad"])
    engine.set(w_pad=w_pad + (overshoot + 2.0) / float(fig.dpi))
    return True


def _is_legend(artist: Any) -> bool:
    from matplotlib.legend import Legend

    return isinstance(artist, Legend)


def _figures(fig: Any) -> list[Any]:
    """``fig`` and all its subfigures, nested ones too."""
    found, todo = [], [fig]
    while todo:
        f = todo.pop()
        found.append(f)
        todo.extend(getattr(f, "subfigs", []))
    return found


def _headings(fig: Any) -> list[Any]:
    """Visible titles, axis labels, super-titles and figure texts of ``fig`` and its subfigures."""
    texts: list[Any] = []
    for f in _figures(fig):
        texts += [getattr(f, name, None) for name in ("_suptitle", "_supxlabel", "_supylabel")]
        texts += list(f.texts)
    for ax in fig.axes:
        texts += [ax._left_title, ax.title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
    shown = [t for t in texts if t is not None and t.get_visible() and t.get_text().strip()]
    return list({id(t): t for t in shown}.values())  # a super-title is a figure text too


def _text_boxes(fig: Any) -> list[Any]:
    """The texts a reader reads on ``fig``: headings, legends and tick labels in view.

    What a narrow layout must keep inside the figure and apart (tests check it too).
    """
    artists = _headings(fig) + _legends(fig)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            scale = axis.get_transform()  # compared where drawn: a log axis in decades
            lo, hi = sorted(float(v) for v in scale.transform(axis.get_view_interval()))
            slack = 1e-9 * (hi - lo)
            for tick in axis.get_major_ticks():
                loc = float(scale.transform([tick.get_loc()])[0])
                if not lo - slack <= loc <= hi + slack:
                    continue
                for label in (tick.label1, tick.label2):
                    if label.get_visible() and label.get_text().strip():
                        artists.append(label)
    return artists


def _narrow_legends(fig: Any) -> None:
    """Legends of more than two columns take half as many (a wide row would be cut off)."""
    from relu_guide.drawing.axes import _legend_columns

    for legend in _legends(fig):
        ncols = int(getattr(legend, "_ncols", 1))
        if ncols > 2:
            _legend_columns(legend, -(-ncols // 2))


def _stack_panels(fig: Any) -> int:
    """Move the panels of a one-row grid into one column; the number of rows it now has."""
    if getattr(fig, "subfigs", None):
        return 1
    axes = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    specs = [ax.get_subplotspec() for ax in axes]
    if len(specs) < 2:
        return 1
    grid = specs[0].get_gridspec()
    cols: int
    rows, cols = grid.get_geometry()
    if rows != 1 or cols < 2 or any(s.get_gridspec() is not grid for s in specs):
        return 1
    if any(len(s.colspan) != 1 for s in specs):
        return 1
    column = fig.add_gridspec(cols, 1)
    for ax, spec in zip(axes, specs, strict=True):
        ax.set_subplotspec(column[spec.colspan.start, 0])
    return cols
