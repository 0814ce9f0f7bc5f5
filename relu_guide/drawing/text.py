"""FastText: one-line texts drawn with Pillow on raster canvases, for texts that change every frame.

Examples
--------
>>> from relu_guide.drawing.text import FastText
>>> FastText(0, 0, "step 1").get_text()
'step 1'
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import ClassVar

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image, ImageDraw, ImageFont

from relu_guide.drawing.axes import inches

__all__ = ["NARROW_CONTRAST", "FastText", "enlarge_text", "smallest_text_px", "texts"]

#: What :func:`enlarge_text` keeps of larger texts' excess over the smallest: titles stay larger
#: than tick labels, but a narrow frame has no width to spare.
NARROW_CONTRAST = 0.4


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


def texts(artist: Artist) -> Iterator[Text]:
    """The texts of ``artist`` and everything in it, as ``artist.findobj(Text)`` finds them.

    Unlike ``findobj``, an axis' ticks not made yet are not made to be searched: they would
    have no text until drawn, and making them cost a tenth of a second per figure.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> _ = fig.add_subplot().set_title("a title")
    >>> def words(found):
    ...     return sorted(t.get_text() for t in found if t.get_text())
    >>> words(texts(fig)) == words(fig.findobj(Text)), words(texts(fig))
    (True, ['a title'])
    """
    if isinstance(artist, Text):
        yield artist
    if isinstance(artist, Axis):
        made = vars(artist)  # the lazy tick lists, only once made
        children = [
            artist.label,
            artist.offsetText,
            *made.get("majorTicks", ()),
            *made.get("minorTicks", ()),
        ]
    else:
        children = artist.get_children()
    for child in children:
        yield from texts(child)


def smallest_text_px(fig: Figure) -> float:
    """Size in figure pixels of the smallest visible text of ``fig`` (CSS px at natural size).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(dpi=100)
    >>> _ = fig.text(0.5, 0.5, "small", fontsize=9), fig.text(0.1, 0.1, "big", fontsize=20)
    >>> round(smallest_text_px(fig), 1)
    12.5
    """
    sizes = [
        float(t.get_fontsize())
        for t in texts(fig)
        if t.get_visible() and t.get_text().strip() and t.figure is not None
    ]
    return min(sizes, default=0.0) * float(fig.dpi) / 72.0


def enlarge_text(fig: Figure, min_px: float | None, *, contrast: float = NARROW_CONTRAST) -> None:
    """Raise ``fig``'s dpi, keeping its size in pixels, until its smallest text is ``min_px``.

    Every text and line grows by the same factor, so the figure reads as the same figure with
    larger type; call it before the layout is computed so that the layout makes room. With
    ``contrast`` below 1, texts larger than the smallest keep only that share of their excess
    over it (titles stay larger, but less so). A figure whose text is already that large, or
    ``min_px=None``, leaves the figure alone.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(4, 3), dpi=100)
    >>> small, big = fig.text(0.5, 0.5, "tick", fontsize=9), fig.text(0, 0, "title", fontsize=13)
    >>> enlarge_text(fig, 15.0, contrast=0.5)
    >>> round(smallest_text_px(fig), 1), [round(v) for v in fig.get_size_inches() * fig.dpi]
    (15.0, [400, 300])
    >>> big.get_fontsize()
    11.0
    """
    if min_px is None:
        return
    smallest = smallest_text_px(fig)
    if not 0 < smallest < min_px:
        return
    if not 0 <= contrast <= 1:
        msg = f"contrast must be between 0 and 1, got {contrast!r}"
        raise ValueError(msg)
    width, height = (float(v) * float(fig.dpi) for v in fig.get_size_inches())
    dpi = float(fig.dpi) * min_px / smallest
    fig.set_dpi(dpi)
    fig.set_size_inches(inches(round(width), dpi), inches(round(height), dpi))
    if contrast == 1:
        return
    floor_pt = min_px * 72.0 / dpi  # the smallest size, in points at the new dpi

    def compressed(points: float) -> float:
        return floor_pt + max(points - floor_pt, 0.0) * contrast

    # New sizes from the old ones first: tick labels are texts too, and must shrink once.
    sizes = [(text, compressed(float(text.get_fontsize()))) for text in texts(fig)]
    ticks = [  # an axis' first tick has its labels' size (one tick made, not all located)
        (axis, compressed(float(axis.majorTicks[0].label1.get_fontsize())))
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
    ]
    for text, size in sizes:
        text.set_fontsize(size)
    for axis, size in ticks:  # tick labels made later take the axis' tick parameters
        axis.set_tick_params(labelsize=size)


def _split_line(text: str) -> str | None:
    """``text`` with its longest line that has a space cut in two at the space nearest its
    middle (not inside ``$...$``, and outside parentheses if it can), or None if no line has
    such a space.

    Examples
    --------
    >>> _split_line("$f_1$: 2 pieces, error $4^{-2}$")
    '$f_1$: 2 pieces,\\nerror $4^{-2}$'
    >>> _split_line("Linear(1, 2) → ReLU → Linear(2, 1) learning $x^2$")
    'Linear(1, 2) → ReLU →\\nLinear(2, 1) learning $x^2$'
    >>> _split_line("sigmoid,\\nMSE 55.5")
    'sigmoid,\\nMSE\\n55.5'
    >>> _split_line("$a b$") is None
    True
    """
    lines = text.split("\n")
    for i in sorted(range(len(lines)), key=lambda k: -len(lines[k])):
        line = lines[i]
        spaces = [
            k
            for k, ch in enumerate(line)
            if ch == " " and line[:k].count("$") % 2 == 0 and line[:k].strip() and line[k:].strip()
        ]
        outside = [k for k in spaces if line[:k].count("(") == line[:k].count(")")]
        spaces = outside or spaces
        if spaces:
            k = min(spaces, key=lambda k: abs(k - len(line) / 2))
            lines[i : i + 1] = [line[:k].rstrip(), line[k:].lstrip()]
            return "\n".join(lines)
    return None
