"""The image files of one scraped figure: a palette PNG, its lossless WebP, a narrow layout.

The scraper (:mod:`relu_guide.faces.sphinxext.scraping`) saves every figure at
:data:`FIGURE_SCALE` as a PNG of :data:`PNG_COLORS` colours (:func:`quantize_png`; thumbnails
are made from it) and a WebP copy that the pages show (:func:`to_webp`), and draws a phone's
variant of it (:mod:`relu_guide.faces.sphinxext.narrow`); the sizes of text and videos a phone
shows are set here.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "FIGURE_SCALE",
    "MIN_TEXT_CSS",
    "PHONE_COLUMN",
    "PNG_COLORS",
    "VIDEO_SIZES",
    "WEBP_METHOD",
    "quantize_png",
    "save_palette",
    "to_webp",
    "video_text_px",
]

#: libwebp's effort for the lossless copies (0-6; :func:`to_webp` says why 3).
WEBP_METHOD = 3
#: Colours kept by :func:`quantize_png`: line art loses nothing visible, files shrink ~3x.
PNG_COLORS = 64
#: Pixels per figure pixel of scraped figures: 1.25 still looks sharp on a 2x screen and weighs
#: ~17% less than 1.5 (the site's media, every variant, must stay under 3 MiB).
FIGURE_SCALE = 1.25


def quantize_png(path: str | os.PathLike[str], colors: int = PNG_COLORS) -> bool:
    """Rewrite a PNG in place with a palette of ``colors`` colours; False if it already had one.

    Figures are flat colours and anti-aliased lines: a palette of 64 colours (fast octree, no
    dithering) looks the same and weighs about a third. Octree keeps the hue of small markers
    that median cut folds into the dominant colours (a green dot turned blue).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.png"
    >>> Image.new("RGB", (8, 8), "white").save(path)
    >>> quantize_png(path), quantize_png(path)
    (True, False)
    >>> with Image.open(path) as image:
    ...     image.mode
    'P'
    """
    from PIL import Image

    _check_colors(colors)
    with Image.open(path) as image:
        if image.mode == "P":
            return False
        image.load()
    palette = _quantize(image.convert("RGB"), colors)
    tmp = Path(f"{path}.tmp.png")
    palette.save(tmp, format="PNG", optimize=True)
    tmp.replace(path)
    return True


def _check_colors(colors: int) -> None:
    if not 2 <= colors <= 256:
        msg = f"colors must be between 2 and 256, got {colors!r}"
        raise ValueError(msg)


def _quantize(rgb: Any, colors: int) -> Any:
    from PIL import Image

    return rgb.quantize(colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def save_palette(rgb: np.ndarray, png: Path, colors: int = PNG_COLORS) -> Path:
    """Write an RGB array as a PNG of ``colors`` colours and its lossless WebP copy.

    The pixels of saving a true-colour PNG, :func:`quantize_png` and :func:`to_webp`, without
    encoding and decoding a true-colour PNG in between; the WebP file is the same byte for
    byte. The PNG is zlib's default effort, not the smallest: the site shows the WebP, the PNG
    only feeds sphinx-gallery's thumbnail (quantized again, smallest, when made), and the
    smallest PNG costs eight times the CPU. Returns the WebP path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> png = pathlib.Path(tempfile.mkdtemp()) / "a.png"
    >>> webp = save_palette(np.full((8, 8, 3), 255, np.uint8), png)
    >>> with Image.open(png) as image, Image.open(webp) as copy:
    ...     webp.name, image.mode, copy.getpixel((0, 0))
    ('a.webp', 'P', (255, 255, 255))
    """
    from PIL import Image

    _check_colors(colors)
    palette = _quantize(Image.fromarray(np.ascontiguousarray(rgb[..., :3])), colors)
    tmp = Path(f"{png}.tmp.png")
    palette.save(tmp, format="PNG")
    tmp.replace(png)
    return _save_webp(palette.convert("RGB"), png.with_suffix(".webp"))


def _save_webp(rgb: Any, webp: Path) -> Path:
    tmp = webp.with_name(f"{webp.name}.tmp")
    rgb.save(tmp, format="WEBP", lossless=True, method=WEBP_METHOD, quality=100, exact=True)
    tmp.replace(webp)
    return webp


#: Width in CSS pixels of the text column of a 390 px phone, where figures and videos shrink.
PHONE_COLUMN = 358
#: Smallest text a figure or video may show on that phone, in CSS pixels.
MIN_TEXT_CSS = 9.0
#: Frame size of every video of the site, by view: one file per theme that reads on a desktop
#: at its natural size and on a phone shrunk to :data:`PHONE_COLUMN` (its text is enlarged to
#: :func:`video_text_px`; the panels are stacked, regions above the output map).
VIDEO_SIZES: dict[str, tuple[int, int]] = {
    "fit": (560, 600),
    "layers": (560, 600),
    "neurons": (560, 600),
    "regions": (440, 760),
}


def video_text_px(width: int) -> float:
    """Smallest text, in pixels, of a video ``width`` pixels wide: :data:`MIN_TEXT_CSS` on a phone.

    Examples
    --------
    >>> video_text_px(560)
    14.1
    >>> video_text_px(560) * PHONE_COLUMN / 560 >= MIN_TEXT_CSS
    True
    """
    return math.ceil(MIN_TEXT_CSS * width / PHONE_COLUMN * 10) / 10


def to_webp(png: Path) -> Path:
    """A lossless WebP copy of a PNG beside it (the site shows it: ~25% lighter, same pixels).

    The PNG stays: sphinx-gallery makes thumbnails from it. Pages, and the sidecar, name the
    WebP file. Effort :data:`WEBP_METHOD` (3 of 6): on a built gallery's 126 images
    (``benchmarks/bench_webp.py``) effort 4 is 0.5% smaller for 23% more CPU (4.8 s against
    3.9 s), effort 5 0.8% smaller for ten times the CPU; effort 2 is 1.1% larger for 20% less.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> png = pathlib.Path(tempfile.mkdtemp()) / "a.png"
    >>> Image.new("RGB", (8, 8), "white").save(png)
    >>> webp = to_webp(png)
    >>> webp.name, Image.open(webp).getpixel((0, 0))
    ('a.webp', (255, 255, 255))
    """
    from PIL import Image

    with Image.open(png) as image:
        rgb = image.convert("RGB")
    return _save_webp(rgb, png.with_suffix(".webp"))
