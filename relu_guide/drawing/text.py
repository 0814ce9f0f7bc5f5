"""FastText: one-line texts drawn with Pillow on raster canvases, for texts that change every frame.

Examples
--------
>>> from relu_guide.drawing.text import FastText
>>> FastText(0, 0, "step 1").get_text()
'step 1'
"""

from __future__ import annotations

import math
from typing import ClassVar

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text
from PIL import Image, ImageDraw, ImageFont

__all__ = ["FastText"]


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
